"""HTTP revalidation and the result cache: ETag per store version and request, 304, Cache-Control,
answers that follow committed updates, and a cache bounded in memory. Speed is measured in bench/, not here."""
import json
import urllib.parse

import pytest

from http_helpers import health, http_request
from server.middleware.result_cache import ResultCache

# Validators come from the embedded store's committed version; behind --backend the engine can
# change without the server knowing, so those answers carry none (docs/endpoint.md).
pytestmark = pytest.mark.embedded_only

TOKEN = "cache-token"
DATA = "https://w3id.org/sco-kg/graph/data"
THING = "https://w3id.org/sco-kg/id/test-cache-thing"
ASK = f"ASK {{ <{THING}> ?p ?o }}"
INSERT = (f'INSERT DATA {{ GRAPH <{DATA}> {{ <{THING}> a <https://w3id.org/sco-kg/ontology#Place> ; '
          f'<http://www.w3.org/2000/01/rdf-schema#label> "Cache test place"@en }} }}')
JSON = "application/sparql-results+json"


def _query(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


@pytest.fixture(scope="module")
def writable(start_server):
    return start_server("--update-token", TOKEN, "--workers", "2")


@pytest.mark.slow
def test_query_result_is_revalidated_with_304(sco_server) -> None:
    path = _query("SELECT ?l WHERE { <https://w3id.org/sco-kg/id/sco> ?p ?l } LIMIT 3")
    status, headers, body = http_request(sco_server.base + path, headers={"Accept": JSON})
    tag = headers["ETag"]
    assert status == 200 and tag.startswith('"') and headers["Cache-Control"] == "max-age=60"  # read-only server
    assert "Accept" in headers["Vary"]
    for offered in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        status, again, body = http_request(sco_server.base + path, headers={"Accept": JSON, "If-None-Match": offered})
        assert (status, body, again["ETag"]) == (304, b"", tag), offered
    status, _, body = http_request(sco_server.base + path, headers={"Accept": JSON, "If-None-Match": '"not-this-one"'})
    assert status == 200 and json.loads(body)["results"]["bindings"]


@pytest.mark.slow
def test_tag_names_the_representation(sco_server) -> None:
    path = _query("ASK { ?s ?p ?o }")
    tags = {http_request(sco_server.base + path, headers={"Accept": a})[1]["ETag"] for a in (JSON, "application/sparql-results+xml")}
    assert len(tags) == 2
    assert http_request(sco_server.base + _query("ASK { ?s ?p ?s }"), headers={"Accept": JSON})[1]["ETag"] not in tags


@pytest.mark.slow
def test_errors_and_posts_carry_no_validators(sco_server) -> None:
    status, headers, _ = http_request(sco_server.base + _query("SELECT WHERE {"))
    assert status == 400 and "ETag" not in headers
    status, headers, _ = http_request(sco_server.sparql, "POST", {"Content-Type": "application/sparql-query"},
                                      b"ASK { ?s ?p ?o }")
    assert status == 200 and "ETag" not in headers


@pytest.mark.slow
@pytest.mark.parametrize("path, accept", [("/", "text/html"), ("/id/sco", "text/html"), ("/id/sco", "text/turtle"),
                                          ("/.well-known/void", "text/turtle"), ("/health", "*/*")])
def test_pages_and_documents_are_revalidated(sco_server, path, accept) -> None:
    status, headers, _ = http_request(sco_server.base + path, headers={"Accept": accept})
    assert status == 200 and headers["ETag"] and headers["Cache-Control"]
    status, _, body = http_request(sco_server.base + path, headers={"Accept": accept, "If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")


@pytest.mark.slow
def test_dumps_keep_their_digest_as_tag(sco_server) -> None:
    status, headers, body = http_request(sco_server.base + "/dumps", headers={"Accept": "text/html"})
    assert status == 200
    name = body.decode().split('href="/dumps/', 1)[1].split('"', 1)[0]
    status, headers, _ = http_request(sco_server.base + f"/dumps/{name}")
    assert status == 200 and headers["Cache-Control"]
    assert http_request(sco_server.base + f"/dumps/{name}", headers={"If-None-Match": headers["ETag"]})[0] == 304


@pytest.mark.slow
def test_committed_update_changes_tags_and_cached_answers(writable) -> None:
    path = _query(ASK)
    status, headers, body = http_request(writable.base + path, headers={"Accept": JSON})
    assert status == 200 and json.loads(body)["boolean"] is False
    assert headers["Cache-Control"] == "no-cache"  # valid until the next update, which only the server knows of
    before = headers["ETag"]
    assert http_request(writable.base + path, headers={"Accept": JSON})[2] == body  # now answered from the result cache
    assert http_request(writable.sparql, "POST", {"Content-Type": "application/sparql-update",
                                                  "Authorization": f"Bearer {TOKEN}"}, INSERT.encode(), timeout=120).status == 200
    status, headers, body = http_request(writable.base + path, headers={"Accept": JSON, "If-None-Match": before})
    assert status == 200 and headers["ETag"] != before
    assert json.loads(body)["boolean"] is True  # not the cached answer of the old version


@pytest.mark.slow
def test_kept_answers_still_get_cors_headers(sco_server) -> None:
    path = _query("ASK { ?s a ?t } # kept")
    first = http_request(sco_server.base + path, headers={"Accept": JSON})
    again = http_request(sco_server.base + path, headers={"Accept": JSON})  # from the response cache
    assert first[0] == again[0] == 200 and first[2] == again[2] and first[1]["ETag"] == again[1]["ETag"]
    status, headers, body = http_request(sco_server.base + path, headers={"Accept": JSON, "Origin": "https://allowed.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://allowed.example" and body == first[2]



@pytest.mark.slow
def test_kept_head_answer_is_not_given_to_a_get(sco_server) -> None:
    for _ in range(2):
        status, _, body = http_request(sco_server.base + "/health", "HEAD")
        assert status == 200 and body == b""
    assert health(sco_server)["status"] == "ok"


def test_result_cache_is_bounded_and_forgets_least_recently_used() -> None:
    cache = ResultCache(8_000)
    for i in range(100):
        cache.put("v1", f"q{i}", b"x" * 500, 500)
        assert cache.size_bytes <= 8_000
    assert cache.get("v1", "q0") is None and cache.get("v1", "q99") is not None
    cache.get("v1", "q90")  # used: kept over q91
    for i in range(100, 110):
        cache.put("v1", f"q{i}", b"x" * 500, 500)
    assert cache.get("v1", "q90") is not None and cache.get("v1", "q91") is None


def test_result_cache_holds_one_version() -> None:
    cache = ResultCache(1_000_000)
    cache.put("v1", "big", b"x" * 200_000, 200_000)  # more than an eighth of the bound
    cache.put("v1", "q", b"{}", 2)
    assert cache.get("v1", "big") is None and cache.get("v1", "q") == b"{}"
    assert cache.get("v2", "q") is None  # asked for by a request on a newer version
    cache.put("v2", "r", b"[]", 2)  # the first answer of a new version empties the cache
    assert cache.get("v1", "q") is None and cache.get("v2", "r") == b"[]" and cache.size_bytes == 2
