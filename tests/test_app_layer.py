"""The fast layer: the app in this process (`create_app(config, store=...)`, Flask's test client).

No `sco-kg serve` process and no socket: content negotiation, DESCRIBE rewriting, the dataset
parameters (SPARQL 1.1 Protocol §2.1.4) and the data directory, on the session's release.
"""
import json

import pytest

from server.store.embedded.datadir import DataDir, fingerprint

BASE = "https://w3id.org/sco-kg/"
ONTOLOGY, DATA = BASE + "graph/ontology", BASE + "graph/data"
BELARUS = BASE + "id/belarus"


def _query(client, query, accept=None, **params):
    return client.get("/sparql", query_string={"query": query, **params},
                      headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("query,accept,media", [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", None, "application/sparql-results+json"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv", "text/csv"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("ASK {}", "application/xml", "application/xml"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", None, "text/turtle"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/plain", "text/plain"),  # N-Triples, for rdflib
    ("DESCRIBE <%s>" % BELARUS, "application/ld+json", "application/ld+json"),
])
def test_negotiation(client, query, accept, media) -> None:
    r = _query(client, query, accept)
    assert r.status_code == 200 and r.mimetype == media


@pytest.mark.parametrize("query,accept", [("ASK {}", "text/csv"), ("SELECT * WHERE {}", "image/png"),
                                          ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json")])
def test_406_for_what_no_format_can_carry(client, query, accept) -> None:
    r = _query(client, query, accept)
    assert r.status_code == 406 and r.mimetype == "text/plain"


def _triples(client, query) -> set[str]:
    r = _query(client, query, "application/n-triples")
    assert r.status_code == 200, r.text
    return set(r.text.splitlines())


def test_describe_brings_the_facts_and_their_evidence(client) -> None:
    lines = _triples(client, f"DESCRIBE <{BELARUS}>")
    subjects = {line.split(" ", 1)[0] for line in lines}
    assert f"<{BELARUS}>" in subjects
    assert any("/fact/" in s for s in subjects), "facts about the entity are described"
    assert any("<http://www.w3.org/ns/oa#exact>" in line for line in lines), "with their evidence quotes"


def test_describe_by_pattern_is_describe_by_iri(client) -> None:
    by_iri = _triples(client, f"DESCRIBE <{BELARUS}>")
    by_pattern = _triples(client, f'DESCRIBE ?e WHERE {{ ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                                  f'FILTER(?e = <{BELARUS}>) }}')
    assert by_iri == by_pattern


def _count(client, query, **params) -> int:
    r = _query(client, query, **params)
    assert r.status_code == 200, r.text
    return int(r.json["results"]["bindings"][0]["n"]["value"])


def test_default_dataset_is_the_union_of_the_release(client, release) -> None:
    graphs = json.loads((release / "release.json").read_text())["graphs"]
    assert _count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == sum(graphs.values())
    r = _query(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {b["g"]["value"] for b in r.json["results"]["bindings"]} == set(graphs)


def test_dataset_parameters(client, release) -> None:
    graphs = json.loads((release / "release.json").read_text())["graphs"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _count(client, count, **{"default-graph-uri": ONTOLOGY}) == graphs[ONTOLOGY]
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(client, named, **{"named-graph-uri": DATA}) == graphs[DATA]
    assert _count(client, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}") == graphs[ONTOLOGY]
    assert _count(client, count, **{"default-graph-uri": BASE + "graph/none"}) == 0


def test_fingerprint_follows_release_load_files_and_withholding(tmp_path) -> None:
    extra = tmp_path / "extra.nq"
    extra.write_text("<http://x/a> <http://x/b> <http://x/c> <http://x/g> .\n")
    base = fingerprint({"version": "1"}, [extra])
    assert base == fingerprint({"version": "1"}, [extra])
    assert base != fingerprint({"version": "2"}, [extra])
    assert base != fingerprint({"version": "1"}, [extra], withhold_texts=True)
    extra.write_text("<http://x/a> <http://x/b> <http://x/d> <http://x/g> .\n")
    assert base != fingerprint({"version": "1"}, [extra])


def test_data_directory_switches_only_on_commit(tmp_path) -> None:
    d = DataDir(tmp_path / "data")
    assert d.current() is None and not d.is_current("fp")
    v1 = d.new_version()
    v1.mkdir()
    assert d.current() is None  # written but not committed: not current
    d.commit(v1, fingerprint="fp")
    assert d.current() == v1 and d.is_current("fp") and not d.is_current("other")
    v2 = d.new_version()
    assert v2.name == "v2"
    v2.mkdir()
    d.discard(v2)
    assert not v2.exists() and d.current() == v1


@pytest.mark.parametrize("header, gzipped", [
    ("gzip", True), ("GZIP", True), ("br, *;q=0.5", True),
    ("GZIP;Q=0", False), ("gzip;q=abc", False), ("gzip;q=0, *", False), ("identity", False), ("", False),
])
def test_gzip_only_when_accept_encoding_allows_it(client, header, gzipped) -> None:
    """RFC 9110 §12.5.3 as Werkzeug parses it: names case-insensitive, q=0 refuses, a malformed q drops the item."""
    r = client.get("/sparql", headers={"Accept-Encoding": header, "Accept": "text/turtle"})
    assert r.status_code == 200 and (r.headers.get("Content-Encoding") == "gzip") == gzipped


@pytest.mark.parametrize("headers, status", [
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),
    ({"Origin": "https://evil.example"}, 403),
    ({"Sec-Fetch-Site": "same-origin"}, 400),  # past the origin check: the (broken) update is read
    ({}, 400),                                 # no browser: not a cross-site request
])
def test_open_update_refuses_other_sites_with_or_without_origin(app, headers, status) -> None:
    app.config["OPEN_UPDATE"] = True
    r = app.test_client().post("/sparql", data="INSERT DATA { <urn:x:a> <urn:x:b> ",
                               headers={"Content-Type": "application/sparql-update", **headers})
    assert r.status_code == status, r.get_data(as_text=True)


def test_void_is_one_description_at_both_paths(client) -> None:
    from rdflib import Graph, Namespace, URIRef
    from rdflib.compare import isomorphic
    void, spdx = Namespace("http://rdfs.org/ns/void#"), Namespace("http://spdx.org/rdf/terms#")
    graphs = [Graph().parse(data=client.get(p, headers={"Accept": "text/turtle"}).text, format="turtle")
              for p in ("/.well-known/void", "/dumps")]
    assert isomorphic(*graphs)
    g = graphs[0]
    dataset = URIRef("http://localhost/.well-known/void#dataset")
    dumps = set(g.objects(dataset, void.dataDump))
    assert {str(d).rsplit("/", 1)[1] for d in dumps} >= {"sco-kg.nq", "sco-kg.ttl", "sco-kg.jsonld"}
    assert all(len(str(g.value(g.value(d, spdx.checksum), spdx.checksumValue))) == 64 for d in dumps)
    assert {str(s) for s in g.objects(dataset, void.subset)} == {ONTOLOGY, DATA, BASE + "graph/sources"}


def test_a_get_answer_is_kept_once_and_a_post_answer_by_the_store(app, client) -> None:
    answers = app.extensions["sco_answers"]
    assert answers is app.extensions["sco_store"].answers  # one cache, one budget
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 # kept once"
    before = len(answers)
    assert _query(client, query).status_code == 200
    assert len(answers) == before + 1  # the whole response, not also the store's answer
    assert client.post("/sparql", data={"query": query}).status_code == 200
    assert len(answers) == before + 2  # a POST is not kept whole: the store keeps its answer


@pytest.mark.parametrize("path", ["/ontology", "/id/belarus"])
def test_a_document_states_its_licence_once(client, path) -> None:
    """The ontology graph states the licence itself; the document must not add it a second time."""
    r = client.get(path, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    lines = r.get_data(as_text=True).splitlines()
    licence = [line for line in lines if " <http://purl.org/dc/terms/license> " in line]
    assert len(licence) == 1, licence
    assert len(lines) == len(set(lines))
