"""Dereferenceable IRIs against the running server: content negotiation, rdflib clients, 404s."""
import json

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from http_helpers import http_request
from support_pages import BASE, SCO, local, pages_server, rows  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow
BELARUS = URIRef(BASE + "id/belarus")
RDF_FORMATS = {  # rdflib format name -> media type we must answer with
    "turtle": "text/turtle", "xml": "application/rdf+xml", "json-ld": "application/ld+json", "nt": "application/n-triples",
}


def test_rdflib_parse_without_format_gets_the_description(pages_server):
    g = rdflib.Graph().parse(pages_server.base + "/id/belarus")
    assert (BELARUS, RDFS.label, Literal("Belarus", lang="en")) in g
    assert (BELARUS, RDF.type, URIRef(SCO + "State")) in g
    # the description carries the facts about Belarus and their evidence
    memberships = set(g.subjects(URIRef("http://www.w3.org/ns/org#member"), BELARUS))
    assert memberships
    assert any(g.value(ev, URIRef("http://www.w3.org/ns/oa#hasTarget")) for m in memberships
               for ev in g.objects(m, URIRef(SCO + "evidence")))


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdflib_parse_each_format(pages_server, fmt):
    reference = rdflib.Graph().parse(pages_server.base + "/id/belarus.nt", format="nt")
    g = rdflib.Graph().parse(pages_server.base + "/id/belarus", format=fmt)
    assert (BELARUS, RDFS.label, Literal("Belarus", lang="en")) in g
    assert len(g) == len(reference) > 20


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
def test_negotiation_by_q_values(pages_server, accept, media):
    status, headers, body = http_request(pages_server.base + "/id/belarus", accept=accept)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    # 200 + Content-Location naming the representation, which is itself fetchable and the same
    ext = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
           "application/n-triples": "nt", "text/plain": "nt", "text/html": "html"}[media]
    assert headers["Content-Location"] == f"/id/belarus.{ext}"
    s2, h2, b2 = http_request(pages_server.base + headers["Content-Location"])
    assert s2 == 200 and h2["Content-Type"].split(";")[0] == ("application/n-triples" if ext == "nt" else media)
    if media != "text/html":
        assert b2 == body


def test_not_acceptable(pages_server):
    status, headers, body = http_request(pages_server.base + "/id/belarus", accept="image/png")
    assert status == 406
    assert b"text/turtle" in body


def test_jsonld_uses_the_published_context_inline(pages_server):
    status, headers, body = http_request(pages_server.base + "/id/belarus", accept="application/ld+json")
    doc = json.loads(body)
    s, h, ctx_body = http_request(pages_server.base + "/context.jsonld")
    assert s == 200 and h["Content-Type"].startswith("application/ld+json")
    published = json.loads(ctx_body)["@context"]
    # the context is embedded (no client fetches a remote context) and is the published one
    assert doc["@context"] == published
    assert published["sco"] == SCO and published["org"] == "http://www.w3.org/ns/org#"
    node = next(n for n in doc["@graph"] if n["@id"] == str(BELARUS))
    assert "sco:State" in node["@type"]
    assert {"@value": "Belarus", "@language": "en"} in node["rdfs:label"]


def test_unknown_iri_is_a_helpful_404(pages_server):
    status, headers, body = http_request(pages_server.base + "/id/belarusia", accept="text/html")
    assert status == 404
    html = body.decode()
    assert "Not in the graph" in html and BASE + "id/belarusia" in html
    assert 'href="/id/belarus"' in html  # a suggestion
    assert 'href="/query"' in html and 'href="/"' in html
    status, headers, body = http_request(pages_server.base + "/id/belarusia", accept="text/turtle")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert http_request(pages_server.base + "/fact/nothing/here", accept="text/turtle")[0] == 404


def test_every_kind_of_minted_iri_resolves(pages_server, release):
    """Entities, facts, evidence (and its fragments), sources, measures, roles, ontology terms, the ontology."""
    one = lambda prefix: rows(release, f'SELECT ?s WHERE {{ ?s ?p ?o . FILTER(STRSTARTS(STR(?s), "{BASE}{prefix}")) }} '
                                       f'ORDER BY ?s LIMIT 1')[0]["s"].value
    iris = [one("id/"), one("fact/"), one("evidence/"), one("source/"), one("measure/"),
            SCO + "memberState", SCO + "State", SCO + "evidence", BASE + "ontology"]
    for iri in iris:
        doc = iri.split("#")[0]
        g = rdflib.Graph().parse(pages_server.base + local(doc), format="turtle")
        assert any(True for _ in g.triples((URIRef(iri), None, None))), iri
        status, headers, body = http_request(pages_server.base + local(doc), accept="text/html")
        assert status == 200 and b"<h1" in body, iri
    # a fragment of a fact (its interval) is described by the fact's document
    during = rows(release, f'SELECT ?i WHERE {{ ?f <http://www.w3.org/ns/org#memberDuring> ?i }} ORDER BY ?i LIMIT 1')[0]["i"].value
    g = rdflib.Graph().parse(pages_server.base + local(during.split("#")[0]), format="turtle")
    assert (URIRef(during), URIRef("http://www.w3.org/2006/time#hasBeginning"), None) in g


def test_all_entities_resolve(pages_server, release):
    entities = [r["s"].value for r in rows(release, f'SELECT DISTINCT ?s WHERE {{ ?s a ?t . '
                                                     f'FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}')]
    assert len(entities) > 50
    bad = [e for e in entities if http_request(pages_server.base + local(e), "HEAD", accept="application/n-triples")[0] != 200]
    assert not bad


def test_ontology_iri_serves_the_ontology(pages_server):
    g = rdflib.Graph().parse(pages_server.base + "/ontology", format="xml")
    assert (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) in g
    assert (URIRef(SCO + "Membership"), RDF.type, OWL.Class) in g
    assert g.value(URIRef(SCO + "State"), RDFS.label) is not None


def test_named_graph_iris_resolve(pages_server, release):
    graphs = json.loads((release / "release.json").read_text())["graphs"]
    for graph, count in graphs.items():
        g = rdflib.Graph().parse(pages_server.base + local(graph), format="turtle")
        assert int(g.value(URIRef(graph), URIRef("http://rdfs.org/ns/void#triples"))) == count
        status, headers, body = http_request(pages_server.base + local(graph), accept="text/html")
        assert status == 200 and graph.encode() in body
    assert http_request(pages_server.base + "/graph/nothing", accept="text/turtle")[0] == 404


@pytest.mark.parametrize("path", ["/id/x%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "/id/%22quoted%22", "/id/a%0Ab",
                                  "/id/belarus%3E%20%3Fp%20%3Fo%20.%20%3Cx"])
def test_hostile_paths_are_plain_404s(pages_server, path):
    for accept in ("text/html", "text/turtle"):
        assert http_request(pages_server.base + path, accept=accept)[0] == 404


# --- paths that are no IRI; the licence in every document --------------------

@pytest.mark.parametrize("path", ["/id/%00", "/id/%ff%fe", "/id/a%20b", "/id/a{b", "/id/a|b", "/id/a^b",
                                  "/id/a%5Cb", "/id/%C3%28", "/id/a%3Cb%3E", "/fact/%22x%22", "/id/%7F"])
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_paths_that_are_no_iri_are_404(pages_server, path, accept):
    status, headers, body = http_request(pages_server.base + path, accept=accept)
    assert status == 404, (path, status, body[:200])


def test_a_long_path_is_a_quick_404(pages_server):
    status, _, body = http_request(pages_server.base + "/id/" + "ab-" * 3400, accept="text/html")
    assert status == 404 and b"Not in the graph" in body


def test_entity_documents_state_the_licence(pages_server):
    for path in ("/id/belarus", "/id/sco", "/source/000_e80a9174165847db", "/ontology"):
        g = rdflib.Graph().parse(data=http_request(pages_server.base + path, accept="text/turtle")[2], format="turtle")
        licences = set(g.objects(None, URIRef("http://purl.org/dc/terms/license")))
        assert URIRef("https://creativecommons.org/licenses/by/4.0/") in licences, path
