"""/sparql's content negotiation, in process: which media type each Accept gets for SELECT, ASK and
CONSTRUCT, and 406 when nothing fits. The same for every engine (answers in every format are compared
with the embedded store's in tests/test_remote_backend.py); real clients are in test_sparql_clients.py.
"""
import pytest
from rdflib import Graph

from support_pages import site  # noqa: F401  (fixture)


@pytest.mark.parametrize("accept,expected", [
    (None, "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
    ("text/*", "text/csv"),
    ("application/json", "application/json"),
])
def test_select_negotiation(site, accept, expected) -> None:
    status, headers, _ = site.request("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in headers["Vary"]


@pytest.mark.parametrize("accept,expected", [
    (None, "text/turtle"), ("text/plain", "text/plain"), ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/ld+json", "application/ld+json"),
    ("application/n-quads", "application/n-quads"), ("application/trig", "application/trig"),
    ("text/plain, */*;q=0.1", "text/plain"),
])
def test_construct_negotiation(site, accept, expected) -> None:
    status, headers, body = site.request("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"}, accept=accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == expected
    fmt = {"text/plain": "nt", "application/n-triples": "nt", "text/turtle": "turtle", "application/rdf+xml": "xml",
           "application/ld+json": "json-ld", "application/n-quads": "nquads", "application/trig": "trig"}[expected]
    assert len(Graph().parse(data=body.decode(), format=fmt)) == 3


def test_406_when_nothing_acceptable(site) -> None:
    status, headers, body = site.request("/sparql", params={"query": "ASK {}"}, accept="image/png")
    assert status == 406 and b"Accept" in body
    status, _, _ = site.request("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, accept="application/sparql-results+json")
    assert status == 406
