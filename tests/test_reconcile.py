"""/reconcile: the W3C Reconciliation Service API 0.2 (the protocol OpenRefine speaks).

Every answer is validated against the specification's JSON schemas (tests/reconciliation_schemas/,
the files the 0.2 specification publishes under schemas/). In process on the session's release, and
once through `sco-kg serve` started as a user starts it, with the form POST OpenRefine sends.
"""
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from http_helpers import http_request

SCHEMAS = Path(__file__).resolve().parent / "reconciliation_schemas"
SPEC = "https://reconciliation-api.github.io/specs/0.2/schemas/"


def _registry() -> Registry:
    """The schemas by their published address, so that `"$ref": "type.json"` resolves offline."""
    return Registry().with_resources(
        (SPEC + f.name, Resource.from_contents(json.loads(f.read_text(encoding="utf-8")), default_specification=DRAFT7))
        for f in SCHEMAS.glob("*.json"))


REGISTRY = _registry()


def valid(schema: str, instance) -> None:
    """Raises with every violation if the instance does not follow the named schema."""
    doc = json.loads((SCHEMAS / f"{schema}.json").read_text(encoding="utf-8"))
    doc["$id"] = SPEC + f"{schema}.json"  # one schema names itself reconciliation-query.json
    errors = sorted(Draft7Validator(doc, registry=REGISTRY).iter_errors(instance), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def reconcile(client, batch: dict, method: str = "post"):
    valid("reconciliation-query-batch", batch)  # what we send is a valid batch too
    data = {"queries": json.dumps(batch)}
    r = client.post("/reconcile", data=data) if method == "post" else client.get("/reconcile", query_string=data)
    assert r.status_code == 200, r.text
    assert r.mimetype == "application/json"
    valid("reconciliation-result-batch", r.json)
    assert set(r.json) == set(batch)
    return r.json


def test_manifest(client):
    r = client.get("/reconcile")
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    m = r.json
    valid("manifest", m)
    assert m["identifierSpace"] == "https://w3id.org/sco-kg/id/"
    assert {t["id"] for t in m["defaultTypes"]} >= {"sco:State", "sco:Person", "sco:IntergovernmentalOrganization"}
    assert m["view"]["url"].endswith("/id/{{id}}") and "{{id}}" in m["preview"]["url"]
    for kind in ("entity", "type", "property"):
        s = m["suggest"][kind]
        assert client.get(s["service_path"], query_string={"prefix": "a"}).status_code == 200


def test_manifest_ignores_a_jsonp_callback(client):
    r = client.get("/reconcile", query_string={"callback": "alert"})
    assert r.mimetype == "application/json" and not r.text.startswith("alert")


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_column_of_states_persons_and_organizations(client, method):
    out = reconcile(client, {
        "q0": {"query": "Türkiye"},
        "q1": {"query": "turkiye", "type": "sco:State"},
        "q2": {"query": "Vladimir Putin", "type": ["sco:Person"], "limit": 3},
        "q3": {"query": "SCO", "type": "sco:IntergovernmentalOrganization"},
        "q4": {"query": "Belarus", "type": "https://w3id.org/sco-kg/ontology#State"},
    }, method)
    for key, expected in (("q0", "turkey"), ("q1", "turkey"), ("q2", "vladimir-putin"), ("q3", "sco"),
                          ("q4", "belarus")):
        best = out[key]["result"][0]
        assert best["id"] == expected and best["match"] is True and best["score"] == 100, (key, best)
    assert out["q0"]["result"][0]["name"] == "Turkey"
    assert {"id": "sco:State", "name": "State"} in out["q1"]["result"][0]["type"]
    assert len(out["q2"]["result"]) <= 3


def test_types_restrict_and_follow_subclasses(client):
    out = reconcile(client, {"people": {"query": "India", "type": "sco:Person"},
                             "any_org": {"query": "SCO", "type": "org:FormalOrganization"}})
    assert all("sco:Person" in {t["id"] for t in c["type"]} for c in out["people"]["result"])
    assert "india" not in {c["id"] for c in out["people"]["result"]}
    # sco:IntergovernmentalOrganization is declared below org:FormalOrganization
    assert out["any_org"]["result"][0]["id"] == "sco"


def test_a_partial_name_is_a_candidate_not_a_match(client):
    result = reconcile(client, {"q": {"query": "Putin", "type": "sco:Person"}})["q"]["result"]
    assert result[0]["id"] == "vladimir-putin" and result[0]["match"] is False and result[0]["score"] < 100


def test_an_identifier_as_query_finds_its_entity(client):
    for text in ("kazakhstan", "https://w3id.org/sco-kg/id/kazakhstan"):
        best = reconcile(client, {"q": {"query": text}})["q"]["result"][0]
        assert best["id"] == "kazakhstan" and best["score"] == 100


def test_properties_raise_the_matching_candidate(client):
    wikidata_india = "http://www.wikidata.org/entity/Q668"
    out = reconcile(client, {
        "right": {"query": "India", "properties": [{"pid": "skos:exactMatch", "v": wikidata_india}]},
        "wrong": {"query": "India", "properties": [{"pid": "skos:exactMatch", "v": "Q159"}]},
        "by_id": {"query": "India", "properties": [{"pid": "skos:exactMatch", "v": [{"id": wikidata_india}, "x"]}]},
    })
    right, wrong = out["right"]["result"][0], out["wrong"]["result"][0]
    assert right["id"] == "india" and right["match"] is True
    assert {"id": "properties", "value": 1.0} in right["features"]
    assert wrong["score"] < right["score"] and wrong["match"] is False
    assert out["by_id"]["result"][0]["match"] is True


def test_properties_without_a_name(client):
    # The posts in Russia (org:postIn), found through the value alone.
    result = reconcile(client, {"q": {"properties": [{"pid": "org:postIn", "v": {"id": "russia"}}]}})["q"]["result"]
    assert result and all(c["score"] == 100 for c in result)
    assert all("sco:Post" in {t["id"] for t in c["type"]} or "sco:LeaderPost" in {t["id"] for t in c["type"]}
               for c in result)


def test_nothing_found_is_an_empty_result(client):
    assert reconcile(client, {"q": {"query": "Atlantis"}})["q"]["result"] == []


@pytest.mark.parametrize("queries,words", [
    ("{not json", "not JSON"),
    ("[]", "object"),
    ('{"q": "Belarus"}', "'q' must be an object"),
    ('{"q": {"query": ""}}', "non-empty query or properties"),
    ('{"q": {"query": "x", "limit": 0}}', "positive integer"),
    ('{"q": {"query": "x", "type": 3}}', "type"),
    ('{"q": {"query": "x", "properties": [{"pid": "sco:x"}]}}', "pid"),
    ('{"q": {"query": "x", "properties": [{"pid": "sco:x", "v": null}]}}', "neither"),
    (json.dumps({f"q{i}": {"query": "x"} for i in range(101)}), "at most 100"),
])
def test_bad_batches_are_400_with_a_reason(client, queries, words):
    r = client.post("/reconcile", data={"queries": queries})
    assert r.status_code == 400 and words in r.text, r.text


SCHEMA_NAMES = {"entity": "entities", "type": "types", "property": "properties"}


@pytest.mark.parametrize("kind,prefix,expected", [
    ("entity", "türk", "turkey"), ("entity", "kazakh", "kazakhstan"), ("entity", "belarus", "belarus"),
    ("type", "stat", "sco:State"), ("type", "person", "sco:Person"),
    ("property", "held", "org:heldBy"), ("property", "post in", "org:postIn"),
])
def test_suggest(client, kind, prefix, expected):
    r = client.get(f"/reconcile/suggest/{kind}", query_string={"prefix": prefix})
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    valid(f"suggest-{SCHEMA_NAMES[kind]}-response", r.json)
    assert expected in [item["id"] for item in r.json["result"]], r.json


def test_suggest_pages_with_cursor(client):
    first = client.get("/reconcile/suggest/entity", query_string={"prefix": "s"}).json["result"]
    second = client.get("/reconcile/suggest/entity", query_string={"prefix": "s", "cursor": 2}).json["result"]
    assert len(first) > 2 and second[0] == first[2]
    assert client.get("/reconcile/suggest/entity", query_string={"prefix": "s", "cursor": "x"}).status_code == 400


def test_suggest_entities_are_entities(client):
    ids = [i["id"] for i in client.get("/reconcile/suggest/entity", query_string={"prefix": "member"}).json["result"]]
    assert not any(i.startswith(("sco:", "org:", "fact/")) for i in ids)


def test_preview(client):
    r = client.get("/reconcile/preview", query_string={"id": "turkey"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "Turkey" in r.text and "Türkiye" in r.text and 'href="/id/turkey"' in r.text
    assert client.get("/reconcile/preview", query_string={"id": "atlantis"}).status_code == 404
    assert client.get("/reconcile/preview", query_string={"id": "<script>"}).status_code == 404


@pytest.mark.slow
def test_openrefine_form_post_through_the_server(start_server):
    """As OpenRefine does it: the manifest, then a urlencoded POST of a batch, from a served process."""
    server = start_server()
    status, headers, body = http_request(server.base + "/reconcile")
    assert status == 200
    valid("manifest", json.loads(body))
    batch = {"q0": {"query": "Türkiye", "type": "sco:State", "limit": 3},
             "q1": {"query": "Shanghai Cooperation Organization"}}
    status, headers, body = http_request(server.base + "/reconcile", "POST", form={"queries": json.dumps(batch)})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    out = json.loads(body)
    valid("reconciliation-result-batch", out)
    assert out["q0"]["result"][0]["id"] == "turkey" and out["q0"]["result"][0]["match"]
    assert out["q1"]["result"][0]["id"] == "sco"
    status, _, body = http_request(server.base + "/reconcile/preview?id=turkey")
    assert status == 200 and b"Turkey" in body


@pytest.mark.slow
def test_readme_reconciliation_command_runs_as_written(start_server):
    import re
    import subprocess
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## First steps in the browser.*?```sh\n(.*?)\n```", readme, re.S).group(1)
    server = start_server()
    command = block.replace("http://127.0.0.1:8035", server.base)
    r = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    valid("reconciliation-result-batch", out)
    assert out["q0"]["result"][0]["id"] == "turkey" and out["q0"]["result"][0]["match"] is True
