"""The W3C SPARQL 1.1 Update evaluation tests of eight suites, through the HTTP layer.

One conformance server (conftest.start_conformance_server: an empty release, no shapes,
--open-update) runs them all, one after another. For each test:
1. the initial dataset is set by one update, `DROP ALL ; INSERT DATA { ... }`, written from the
   test's ut:data (default graph) and ut:graphData files (each named by its rdfs:label), every
   term serialised by pyoxigraph, so no file content is pasted into the request unescaped;
2. the test's request is POSTed as application/sparql-update, byte for byte as the suite gives it;
3. the dataset is read back: the endpoint's default graph is the union of all graphs, so the
   store's own default graph is first copied into READBACK (`COPY DEFAULT TO`), then one SELECT
   over `GRAPH ?g` returns every graph;
4. graph by graph, the graphs holding triples are compared with the expected ones, isomorphic
   (blank nodes) and numbers by value.
The suite's negative syntax tests must be refused with 400 and leave the store version unchanged.
All 69 evaluation and 8 syntax tests pass with pyoxigraph 0.5.13: there are no expected failures.
"""
import io
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.query import Result

from conftest import W3C
from http_helpers import health, http_request
from test_w3c_query import _file_iri, _format, _graph_equal, _path

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUITES = ("clear", "drop", "copy", "move", "add", "delete", "delete-insert", "basic-update")
DEFAULT = ""  # the default graph's key in a dataset {graph name: file paths / rdflib Graph}
READBACK = "urn:x-sco-kg:test:w3c-update:default-graph"


def _dataset_of(g: Graph, node) -> dict[str, list[Path]]:
    """ut:data and ut:graphData of an action or a result: {graph name or DEFAULT: files}."""
    files = defaultdict(list)
    for f in g.objects(node, UT.data):
        files[DEFAULT].append(_path(str(f)))
    for gd in g.objects(node, UT.graphData):
        files[str(g.value(gd, RDFS_LABEL))].append(_path(str(g.value(gd, UT.graph))))
    return dict(files)


def _tests_of(suite: str):
    manifest = W3C / suite / "manifest.ttl"
    g = Graph().parse(manifest, format="turtle", publicID=_file_iri(manifest))
    for test in Collection(g, g.value(next(g.subjects(MF.entries, None)), MF.entries)):
        kind = str(g.value(test, RDF_TYPE)).rsplit("#", 1)[1]
        name = f"{suite}/{str(test).rsplit('#', 1)[1]}"
        action = g.value(test, MF.action)
        if kind == "UpdateEvaluationTest":
            yield name, {"kind": kind, "request": _path(str(g.value(action, UT.request))),
                         "before": _dataset_of(g, action), "after": _dataset_of(g, g.value(test, MF.result))}
        else:
            assert kind == "NegativeSyntaxTest11", f"{name}: test kind {kind} is not handled"
            yield name, {"kind": kind, "request": _path(str(action))}


def load_tests() -> list:
    return [t for s in SUITES if (W3C / s / "manifest.ttl").exists() for t in _tests_of(s)]


TESTS = load_tests()


@pytest.fixture(scope="module")
def update_server(start_conformance_server):
    return start_conformance_server("--workers", "1")


def _post_update(server, update: bytes) -> tuple[int, str]:
    r = http_request(server.sparql, "POST", {"Content-Type": "application/sparql-update"}, update)
    return r.status, r.text


def _update(server, update: str) -> None:
    status, body = _post_update(server, update.encode())
    assert status == 200, f"{update[:300]}\n-> {status} {body[:500]}"


def _insert_data(dataset: dict[str, list[Path]]) -> str:
    """INSERT DATA for the files of `dataset`; each file's blank nodes are its own."""
    blocks = []
    for name, files in dataset.items():
        triples = " ".join(f"{q.subject} {q.predicate} {q.object} ." for f in files
                           for q in ox.parse(path=f, base_iri=_file_iri(f), rename_blank_nodes=True))
        blocks.append(triples if name == DEFAULT else f"GRAPH {ox.NamedNode(name)} {{ {triples} }}")
    return "INSERT DATA { " + "\n".join(blocks) + " }"


def _expected(dataset: dict[str, list[Path]]) -> dict[str, Graph]:
    graphs = defaultdict(Graph)
    for name, files in dataset.items():
        for f in files:
            graphs[name].parse(f, format=_format(f), publicID=_file_iri(f))
    return {name: g for name, g in graphs.items() if len(g)}


def _read_dataset(server) -> dict[str, Graph]:
    """Every graph that holds triples; blank node labels are shared across graphs, as in the store."""
    _update(server, f"COPY DEFAULT TO <{READBACK}>")
    status, _, body = http_request(server.sparql, "POST", accept="application/sparql-results+json",
                                   form={"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert status == 200, body[:500]
    rows = list(Result.parse(source=io.BytesIO(body), format="json"))
    graphs = defaultdict(Graph)
    for g, s, p, o in rows:
        graphs[DEFAULT if str(g) == READBACK else str(g)].add((s, p, o))
    return dict(graphs)


def _show(dataset: dict[str, Graph]) -> str:
    return "\n".join(f"{name or 'DEFAULT'}:\n  " + "\n  ".join(sorted(g.serialize(format="nt").splitlines()))
                     for name, g in sorted(dataset.items()))


def _evaluate(server, test: dict) -> None:
    _update(server, "DROP ALL ;\n" + _insert_data(test["before"]))
    status, body = _post_update(server, test["request"].read_bytes())
    assert status == 200, body[:500]
    got, expected = _read_dataset(server), _expected(test["after"])
    same = got.keys() == expected.keys() and all(_graph_equal(expected[n], got[n]) for n in expected)
    assert same, f"expected:\n{_show(expected)}\ngot:\n{_show(got)}"


@pytest.mark.slow
@pytest.mark.embedded_only  # updates are refused with --backend
@pytest.mark.parametrize("name,test", TESTS, ids=[n for n, _ in TESTS])
def test_w3c_update(update_server, name, test) -> None:
    if test["kind"] == "UpdateEvaluationTest":
        _evaluate(update_server, test)
        return
    before = health(update_server)["store_version"]
    status, body = _post_update(update_server, test["request"].read_bytes())
    assert status == 400 and body.startswith("Malformed"), (status, body[:300])
    assert health(update_server)["store_version"] == before


def test_suites_found() -> None:
    counts = {s: sum(n.startswith(s + "/") for n, _ in TESTS) for s in SUITES}
    assert all(counts.values()) and len(TESTS) == 77, counts
