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


