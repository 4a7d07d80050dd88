"""The pages, linked data and search from a server in front of each engine are the embedded server's.

Their behaviour (negotiation, layout, factuality, 404s, search ranking) is tested once, in process
(test_pages_app, test_linked_data_app, test_search_app, test_dumps_app). What an engine can change is
the answers of the pages' SPARQL reads (server/web/queries): so every kind of page is fetched from both
servers, with the same extra file loaded, and compared as a reader gets them (each server's own address
masked): the same RDF graph, the same words, links and embedded JSON-LD on a page, the same JSON.
"""
import json
import urllib.parse
from collections import Counter

import pytest
import rdflib
from rdflib.compare import to_isomorphic

from http_helpers import http_request
from support_pages import BASE, Page, local, pages_server, rows  # noqa: F401  (fixture)

pytestmark = [pytest.mark.slow, pytest.mark.remote_only]
HTML = "text/html"
RDF = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


def _kinds(release) -> list[str]:
    """One IRI of every kind the graph mints (fact, evidence, source, measure), besides fixed pages."""
    def first(prefix: str) -> str:
        return rows(release, f'SELECT ?s WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{BASE}{prefix}")) }} '
                             'ORDER BY ?s LIMIT 1')[0]["s"].value
    return [local(first(p)) for p in ("fact/", "evidence/", "source/", "measure/")]


PAGES = ["/", "/id/sco", "/id/belarus", "/id/india", "/id/vladimir-putin", "/id/astana-summit-2024", "/ontology",
         "/graph/data", "/dumps", "/query", "/id/belarusia"]


@pytest.fixture(scope="module")
def both(embedded_pages, pages_server):
    return embedded_pages, pages_server


@pytest.fixture(scope="module")
def embedded_pages(start_server, release, tmp_path_factory):
    """The embedded `pages_server` (the same options and extra file), to compare with."""
    from conftest import Backend, _SERVERS
    from support_pages import PAGES_SERVER_OPTIONS, _extra_file
    return Backend("embedded", release, start_server, tmp_path_factory.mktemp("embedded-pages"), None,
                   _SERVERS).serve(*PAGES_SERVER_OPTIONS, load=[_extra_file(release, tmp_path_factory)])


def _get(server, path: str, accept: str) -> tuple[int, bytes]:
    status, _, body = http_request(server.base + path, accept=accept)
    return status, body.replace(server.base.encode(), b"http://SERVER")


def _graph(body, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=fmt)


def _content(body: bytes, accept: str):
    """What a reader gets from an answer, in whatever order an engine returned the rows behind it: an RDF
    graph (blank nodes compared by isomorphism), a page's words, links and JSON-LD graph, or the JSON.
    A page's words are counted without the commas between list items, and its links as a set (where
    quotes overlap, which fact a highlight links to): engines list unordered rows in different orders."""
    if accept in RDF:
        return to_isomorphic(_graph(body, RDF[accept]))
    if accept == HTML:
        page = Page(body.decode())
        embedded = [to_isomorphic(_graph(block, "json-ld")) for block in page.jsonld]
        words = Counter(w.strip(",;") for part in page.text_parts for w in part.split())
        return words, set(page.hrefs()), embedded
    return json.loads(body)


def _same(both, path: str, accept: str) -> None:
    (want_status, want), (got_status, got) = (_get(s, path, accept) for s in both)
    assert want_status == got_status, (path, accept, want_status, got_status)
    a, b = _content(want, accept), _content(got, accept)
    if accept == HTML:
        assert a[0] == b[0], (path, "words", (a[0] - b[0]).most_common(8), (b[0] - a[0]).most_common(8))
        assert a[1] == b[1], (path, "links", a[1] ^ b[1])
    if accept in RDF:  # named triples first, for a readable message
        named = lambda g: {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}  # noqa: E731
        assert named(a) == named(b), (path, accept, sorted(map(str, named(a) ^ named(b)))[:4])
    assert a == b, (path, accept)


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_the_embedded_servers(both, path):
    _same(both, path, HTML)


def test_pages_of_every_minted_kind_are_the_embedded_servers(both, release):
    for path in _kinds(release):
        _same(both, path, HTML)
        _same(both, path, "text/turtle")


@pytest.mark.parametrize("path", ["/id/belarus", "/id/sco", "/ontology"])
def test_entity_documents_are_the_embedded_servers(both, backend, request, path):
    if backend.name == "virtuoso" and path == "/id/sco":
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            'Virtuoso 7.2 gives back "3000000000"^^xsd:integer (past 32 bits) as xsd:decimal')))
    for accept in RDF:
        _same(both, path, accept)


@pytest.mark.parametrize("q", ["belarus", "türki", "sco", "modi", "member"])
def test_search_is_the_embedded_servers(both, q):
    path = "/search?" + urllib.parse.urlencode({"q": q})
    _same(both, path, "application/json")
    _same(both, path, HTML)


def test_reconciliation_is_the_embedded_servers(both):
    """The reconciliation's own queries (classes, property values) as each engine answers them."""
    batch = {"q0": {"query": "turkiye", "type": "org:FormalOrganization"},
             "q1": {"query": "India", "properties": [{"pid": "skos:exactMatch", "v": "http://www.wikidata.org/entity/Q668"}]}}
    answers = []
    for server in both:
        status, _, body = http_request(server.base + "/reconcile", "POST", form={"queries": json.dumps(batch)})
        assert status == 200
        answers.append(json.loads(body))
    out = answers[1]
    assert out["q0"]["result"][0]["id"] == "turkey"
    assert out["q1"]["result"][0]["id"] == "india" and out["q1"]["result"][0]["match"] is True
    assert answers[0] == answers[1]
