"""The approved W3C SPARQL 1.1 query-evaluation and query-syntax tests, through the HTTP layer.

Every test's data files are loaded once (--load, one N-Quads file) as named graphs called by
their file IRIs; each query is then sent to /sparql with default-graph-uri (qt:data) and
named-graph-uri (qt:graphData), so the release in the same store never leaks into a test
(queries with their own FROM get no protocol dataset). The query is prefixed with
`BASE <query file IRI>`, as the suite resolves relative IRIs against the query's location.
Results come back as SPARQL JSON or N-Triples and are compared with the expected results as
multisets, numbers by value (Oxigraph canonicalises numeric lexical forms and datatypes
derived from xsd:integer) and blank nodes by position only.
"""
import io
import json
import urllib.parse
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.query import Result

from conftest import W3C
from http_helpers import http_request
from server.sparql import lexer

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "float", "double", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
EMPTY_GRAPH = "urn:x-sco-kg:test:empty"

# Expected failures, each with the reason (measured through our endpoint with pyoxigraph 0.5.13).
# The same tests fail in-process with pyoxigraph, so they are the engine's, not the HTTP layer's.
_ENGINE = "Oxigraph 0.5.13 evaluation differs (a test added to rdf-tests after SPARQL 1.1): "
EXPECTED_FAILURES = {
    "aggregates/agg-groupconcat-04": _ENGINE + "GROUP_CONCAT keeps the common language tag, the test wants a simple literal",
    "aggregates/agg-groupconcat-06": _ENGINE + "GROUP_CONCAT keeps the common language tag, the test wants a simple literal",
    "aggregates/agg-empty-group-count-graph": _ENGINE + "an ungrouped COUNT subquery inside GRAPH ?g gives one row without ?g",
    "bindings/graph": _ENGINE + "VALUES with UNDEF for the graph variable inside GRAPH ?g leaves ?g unbound",
    "negation/graph-minus": _ENGINE + "the outer GRAPH variable is taken into account for MINUS disjointness",
    "property-path/zero_or_more_set_start": _ENGINE + "zero-length path from a constant absent from the data gives no row",
    "property-path/zero_or_more_set_end": _ENGINE + "zero-length path to a constant absent from the data gives no row",
    "property-path/zero_or_one_set_start": _ENGINE + "zero-length path from a constant absent from the data gives no row",
    "property-path/zero_or_one_set_end": _ENGINE + "zero-length path to a constant absent from the data gives no row",
}


def _file_iri(path: Path) -> str:
    return path.resolve().as_uri()


def _tests_of(manifest: Path):
    g = Graph().parse(manifest, format="turtle", publicID=_file_iri(manifest))
    root = next(g.subjects(MF.entries, None))
    for test in Collection(g, g.value(root, MF.entries)):
        kind = str(g.value(test, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))).rsplit("#", 1)[1]
        if g.value(test, DAWGT.approval) not in (DAWGT.Approved, None) and kind == "QueryEvaluationTest":
            continue
        name = f"{manifest.parent.name}/{str(test).rsplit('#', 1)[-1]}"
        action = g.value(test, MF.action)
        if kind == "QueryEvaluationTest":
            yield name, {"kind": kind, "query": str(g.value(action, QT.query)),
                         "data": [str(d) for d in g.objects(action, QT.data)],
                         "graphs": [str(d) for d in g.objects(action, QT.graphData)],
                         "result": str(g.value(test, MF.result))}
        elif kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
            yield name, {"kind": kind, "query": str(action)}


def load_tests() -> list:
    top = W3C / "manifest-sparql11-query.ttl"
    if not top.exists():
        return []
    g = Graph().parse(top, format="turtle", publicID=_file_iri(top))
    includes = Collection(g, g.value(next(g.subjects(MF.include, None)), MF.include))
    return [t for m in includes for t in _tests_of(Path(urllib.parse.urlparse(str(m)).path))]


TESTS = load_tests()


def _path(iri: str) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(iri).path))


def _format(path: Path) -> str:
    return {".ttl": "turtle", ".rdf": "xml", ".nt": "nt", ".n3": "n3"}.get(path.suffix, "turtle")


@pytest.fixture(scope="module")
def eval_server(start_server, tmp_path_factory):
    lines = []
    files = {f for _, t in TESTS if t["kind"] == "QueryEvaluationTest" for f in t["data"] + t["graphs"]}
    for iri in sorted(files):
        g = Graph().parse(_path(iri), format=_format(_path(iri)), publicID=iri)
        lines += [f"{s.n3()} {p.n3()} {o.n3()} <{iri}> .\n" for s, p, o in g]
    nq = tmp_path_factory.mktemp("w3c-query") / "data.nq"
    nq.write_text("".join(lines))
    return start_server("--load", str(nq), "--timeout", "20", "--workers", "2")


def _send(server, query: str, params: list, accept: str) -> tuple[int, bytes]:
    status, _, body = http_request(server.sparql, "POST", accept=accept, form=[("query", query)] + params)
    return status, body


def _norm(term):
    if isinstance(term, BNode):
        return "_:b"
    if isinstance(term, Literal) and term.datatype and str(term.datatype) in NUMERIC:
        try:
            return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            return ("number", str(term))
    if isinstance(term, Literal) and term.datatype is None and term.language is None:
        return Literal(str(term), datatype=URIRef(XSD + "string"))
    return term


def _rows(result_bindings, variables) -> Counter:
    return Counter(tuple(_norm(row.get(v)) for v in variables) for row in result_bindings)


def _expected(path: Path):
    """('boolean', bool) | ('rows', vars, Counter) | ('graph', Graph)."""
    fmt = {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}.get(path.suffix)
    if fmt:
        with open(path, "rb") as fh:
            r = Result.parse(source=fh, format=fmt)
        if r.type == "ASK":
            return "boolean", r.askAnswer
        names = [str(v) for v in r.vars]
        return "rows", names, _rows([{str(k): v for k, v in b.items()} for b in r.bindings], names)
    g = Graph().parse(path, format=_format(path), publicID=_file_iri(path))
    rs = next(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), RS.ResultSet), None)
    if rs is None:
        return ("graph", g)
    if g.value(rs, RS.boolean) is not None:
        return "boolean", g.value(rs, RS.boolean).toPython()
    names = [str(v) for v in g.objects(rs, RS.resultVariable)]
    rows = [{str(g.value(b, RS.variable)): g.value(b, RS.value) for b in g.objects(s, RS.binding)}
            for s in g.objects(rs, RS.solution)]
    return "rows", names, _rows(rows, names)


def _actual_rows(body: bytes, names: list) -> Counter:
    data = json.loads(body)
    r = Result.parse(source=io.BytesIO(body), format="json")
    return _rows([{str(k): v for k, v in b.items()} for b in r.bindings], names) if "results" in data else None


def _graph_equal(expected: Graph, got: Graph) -> bool:
    def normalised(g):
        out = Graph()
        for s, p, o in g:
            n = _norm(o)
            out.add((s, p, Literal(str(n[1]), datatype=URIRef("urn:number")) if isinstance(n, tuple) else o))
        return out
    return isomorphic(normalised(expected), normalised(got))


def _evaluate(server, test: dict) -> None:
    query_file = _path(test["query"])
    query = f"BASE <{test['query']}>\n" + query_file.read_text(encoding="utf-8")
    has_from = lexer.has_dataset_clause(lexer.tokenize(query))
    params = [] if has_from else \
        [("default-graph-uri", g) for g in (test["data"] or [EMPTY_GRAPH])] + [("named-graph-uri", g) for g in test["graphs"]]
    expected = _expected(_path(test["result"]))
    accept = "application/n-triples" if expected[0] == "graph" else "application/sparql-results+json"
    status, body = _send(server, query, params, accept)
    assert status == 200, body.decode(errors="replace")[:500]
    if expected[0] == "graph":
        got = Graph().parse(data=body.decode(), format="nt")
        assert _graph_equal(expected[1], got), body.decode()[:2000]
    elif expected[0] == "boolean":
        assert json.loads(body)["boolean"] == expected[1]
    else:
        assert _actual_rows(body, expected[1]) == expected[2], body.decode()[:2000]


@pytest.mark.slow
@pytest.mark.parametrize("name,test", TESTS, ids=[n for n, _ in TESTS])
def test_w3c_query(eval_server, name, test) -> None:
    if name in EXPECTED_FAILURES:
        pytest.xfail(EXPECTED_FAILURES[name])
    if test["kind"] == "QueryEvaluationTest":
        _evaluate(eval_server, test)
        return
    text = _path(test["query"]).read_text(encoding="utf-8")
    status, body = _send(eval_server, text, [("default-graph-uri", EMPTY_GRAPH)], "*/*")
    if test["kind"] == "PositiveSyntaxTest11":
        # Parsed; the engine may still refuse to run it (an unknown extension function is a 400).
        assert status == 200 or not body.startswith(b"Malformed"), body.decode()[:300]
    else:
        assert status == 400, (status, body.decode()[:300])


def test_suite_found() -> None:
    assert len(TESTS) > 200, f"W3C query tests not found under {W3C}"
