"""The service description (SPARQL 1.1 Service Description §3).

GET /sparql without a query answers the service description: `sd:endpoint` is the URL that was
requested, the languages and result formats offered, the union default graph as a feature, and
the dataset with each named graph (`sd:name`) and its size. The dataset's VoID description
is server.web.void's.
"""
import pyoxigraph as ox

from ontology import vocab

from .operations import DatasetInfo

SD, VOID = vocab.SD, vocab.VOID
FORMATS = vocab.FORMATS
DCT = vocab.DCTERMS
RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads"]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(vocab.XSD + "integer"))


def _graph_node(t: list, count: int) -> ox.BlankNode:
    g = ox.BlankNode()
    t += [ox.Triple(g, RDF_TYPE, _n(SD + "Graph")), ox.Triple(g, _n(VOID + "triples"), _int(count))]
    return g


def service_triples(endpoint: str, info: DatasetInfo, update: bool) -> list[ox.Triple]:
    svc, ds = ox.BlankNode(), ox.BlankNode()
    t = [ox.Triple(svc, RDF_TYPE, _n(SD + "Service")),
         ox.Triple(svc, _n(SD + "endpoint"), _n(endpoint)),
         ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
         ox.Triple(svc, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
         ox.Triple(svc, _n(SD + "defaultEntailmentRegime"), _n(vocab.ENTAILMENT + "Simple")),
         ox.Triple(svc, _n(SD + "defaultDataset"), ds),
         ox.Triple(ds, RDF_TYPE, _n(SD + "Dataset"))]
    t.append(ox.Triple(ds, _n(SD + "defaultGraph"), _graph_node(t, info.triples)))
    if update:
        t.append(ox.Triple(svc, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    t += [ox.Triple(svc, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in RESULT_FORMATS]
    for graph, count in sorted(info.graphs.items()):
        named = ox.BlankNode()
        t += [ox.Triple(ds, _n(SD + "namedGraph"), named),
              ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
              ox.Triple(named, _n(SD + "name"), _n(graph))]
        t.append(ox.Triple(named, _n(SD + "graph"), _graph_node(t, count)))
    return t
