"""The 3 W3C SPARQL 1.1 Service Description checks (service-description/manifest.ttl), plus VoID."""
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from http_helpers import http_request

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDF_FORMATS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt",
               "application/ld+json": "json-ld"}


def _get(url: str, accept: str | None = None) -> tuple[str, Graph]:
    status, headers, body = http_request(url, accept=accept, timeout=30)
    assert status == 200, body[:500]
    media = headers["Content-Type"].split(";")[0]
    return media, Graph().parse(data=body.decode(), format=RDF_FORMATS[media])


def test_manifest_lists_the_three_checks(w3c_dir) -> None:
    g = Graph().parse(w3c_dir / "service-description" / "manifest.ttl")
    names = {str(t).rsplit("#", 1)[1] for t in Collection(g, g.value(next(g.subjects(MF.entries, None)), MF.entries))}
    assert names == {"has-endpoint-triple", "returns-rdf", "conforms-to-schema"}


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/rdf+xml", "application/ld+json"])
def test_returns_rdf(sco_server, accept) -> None:
    media, g = _get(sco_server.sparql, accept)
    assert len(g) > 10 and (accept is None or media == accept)


def test_has_endpoint_triple(sco_server) -> None:
    _, g = _get(sco_server.sparql)
    assert (None, SD.endpoint, URIRef(sco_server.sparql)) in g


def test_conforms_to_schema(sco_server) -> None:
    _, g = _get(sco_server.sparql)
    service = g.value(None, SD.endpoint, URIRef(sco_server.sparql))
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g  # update is off here
    named = list(g.subjects(RDF.type, SD.NamedGraph))
    assert named and all(g.value(n, SD.name) is not None for n in named)
    names = {str(g.value(n, SD.name)) for n in named}
    assert {"https://w3id.org/sco-kg/graph/ontology", "https://w3id.org/sco-kg/graph/data",
            "https://w3id.org/sco-kg/graph/sources"} <= names
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g and g.value(dataset, SD.defaultGraph) is not None


def test_void(sco_server, release) -> None:
    import json
    _, g = _get(sco_server.base + "/.well-known/void")
    dataset = next(g.subjects(RDF.type, VOID.Dataset))
    triples = json.loads((release / "release.json").read_text())["triples"]
    assert int(g.value(URIRef(sco_server.base + "/.well-known/void#dataset"), VOID.triples)) == triples
    assert (None, VOID.sparqlEndpoint, URIRef(sco_server.sparql)) in g and dataset is not None
