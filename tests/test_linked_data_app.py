"""Dereferenceable IRIs, in process: content negotiation, JSON-LD, 404s and hostile paths, the licence.

Engine-independent behaviour of the linked-data layer, asked of the app itself (`site`: create_app on the
session's release, Flask's test client). rdflib reading the IRIs over HTTP, and the same documents from
each engine, are in tests/test_linked_data.py and tests/test_backend_pages.py.
"""
import json

import pytest
import rdflib
from rdflib import URIRef

from support_pages import BASE, SCO, local, rows, site  # noqa: F401  (fixture)

BELARUS = URIRef(BASE + "id/belarus")


@pytest.mark.parametrize("accept,media", [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/n-triples", "application/n-triples"),
    ("text/plain", "text/plain"),  # N-Triples, labelled as asked (rdflib's format="nt" asks for text/plain)
    ("text/html", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "text/html"),
    ("*/*", "text/turtle"),
    (None, "text/turtle"),
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.8, text/html;q=0.1", "application/rdf+xml"),
    ("text/html;q=0.2, application/n-triples;q=0.3", "application/n-triples"),
    ("text/*;q=0.5, text/turtle;q=0", "text/html"),
    ("application/ld+json;q=0, */*;q=0.1", "text/turtle"),
])
def test_negotiation_by_q_values(site, accept, media):
    status, headers, body = site.request("/id/belarus", accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    # 200 + Content-Location naming the representation, which is itself fetchable and the same
    ext = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
           "application/n-triples": "nt", "text/plain": "nt", "text/html": "html"}[media]
    assert headers["Content-Location"] == f"/id/belarus.{ext}"
    s2, h2, b2 = site.request(headers["Content-Location"])
    assert s2 == 200 and h2["Content-Type"].split(";")[0] == ("application/n-triples" if ext == "nt" else media)
    if media != "text/html":
        assert b2 == body


def test_not_acceptable(site):
    status, headers, body = site.request("/id/belarus", accept="image/png")
    assert status == 406
    assert b"text/turtle" in body


def test_jsonld_uses_the_published_context_inline(site):
    status, headers, body = site.request("/id/belarus", accept="application/ld+json")
    doc = json.loads(body)
    s, h, ctx_body = site.request("/context.jsonld")
    assert s == 200 and h["Content-Type"].startswith("application/ld+json")
    published = json.loads(ctx_body)["@context"]
    # the context is embedded (no client fetches a remote context) and is the published one
    assert doc["@context"] == published
    assert published["sco"] == SCO and published["org"] == "http://www.w3.org/ns/org#"
    node = next(n for n in doc["@graph"] if n["@id"] == str(BELARUS))
    assert "sco:State" in node["@type"]
    assert {"@value": "Belarus", "@language": "en"} in node["rdfs:label"]


def test_unknown_iri_is_a_helpful_404(site):
    status, headers, body = site.request("/id/belarusia", accept="text/html")
    assert status == 404
    html = body.decode()
    assert "Not in the graph" in html and BASE + "id/belarusia" in html
    assert 'href="/id/belarus"' in html  # a suggestion
    assert 'href="/query"' in html and 'href="/"' in html
    status, headers, body = site.request("/id/belarusia", accept="text/turtle")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert site.request("/fact/nothing/here", accept="text/turtle")[0] == 404


def test_all_entities_resolve(site, release):
    entities = [r["s"].value for r in rows(release, f'SELECT DISTINCT ?s WHERE {{ ?s a ?t . '
                                                     f'FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}')]
    assert len(entities) > 50
    bad = [e for e in entities if site.request(local(e), "HEAD", accept="application/n-triples")[0] != 200]
    assert not bad


@pytest.mark.parametrize("path", ["/id/x%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/id/%22quoted%22", "/id/a%0Ab",
                                  "/id/belarus%3E%20%3Fp%20%3Fo%20.%20%3Cx"])
def test_hostile_paths_are_plain_404s(site, path):
    for accept in ("text/html", "text/turtle"):
        assert site.request(path, accept=accept)[0] == 404


@pytest.mark.parametrize("path", ["/id/%00", "/id/%ff%fe", "/id/a%20b", "/id/a{b", "/id/a|b", "/id/a^b",
                                  "/id/a%5Cb", "/id/%C3%28", "/id/a%3Cb%3E", "/fact/%22x%22", "/id/%7F"])
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_paths_that_are_no_iri_are_404(site, path, accept):
    status, headers, body = site.request(path, accept=accept)
    assert status == 404, (path, status, body[:200])


def test_a_long_path_is_a_quick_404(site):
    status, _, body = site.request("/id/" + "ab-" * 3400, accept="text/html")
    assert status == 404 and b"Not in the graph" in body


def test_entity_documents_state_the_licence(site):
    for path in ("/id/belarus", "/id/sco", "/source/000_e80a9174165847db", "/ontology"):
        g = rdflib.Graph().parse(data=site.request(path, accept="text/turtle")[2], format="turtle")
        licences = set(g.objects(None, URIRef("http://purl.org/dc/terms/license")))
        assert URIRef("https://creativecommons.org/licenses/by/4.0/") in licences, path
