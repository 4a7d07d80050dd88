"""The lexer read against a real parser: over the W3C SPARQL 1.1 syntax suites, what the lexer says
of each valid query (its form, its FROM clauses, its SERVICE and LOAD targets) is what rdflib's
parser finds, so a keyword hidden in a string, an IRI or a comment is never taken for one, and a
real one is never missed."""
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from server.sparql import lexer

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
POSITIVE = {URIRef(str(MF) + t) for t in ("PositiveSyntaxTest11", "PositiveUpdateSyntaxTest11", "PositiveSyntaxTest")}
SUITES = ("syntax-query", "syntax-fed", "syntax-update-1", "syntax-update-2")
FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE", "AskQuery": "ASK"}


def _positive_cases(w3c: Path) -> list[Path]:
    cases = []
    for suite in SUITES:
        manifest = w3c / suite / "manifest.ttl"
        g = Graph().parse(manifest, format="turtle")
        for test, _, kind in g.triples((None, URIRef(str(MF) + "action"), None)):
            types = set(g.objects(test, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")))
            if types & POSITIVE:
                cases.append(Path(str(kind).removeprefix("file://")))
    return sorted(cases)


def _rdflib_tree(text: str, update: bool):
    try:
        return parseUpdate(text) if update else parseQuery(text)
    except Exception:  # rdflib's own gaps (a few SPARQL 1.1 forms): not a case to compare on
        return None


def test_every_valid_query_reads_as_rdflib_reads_it(w3c_dir):
    cases = _positive_cases(w3c_dir)
    assert len(cases) > 100
    compared = 0
    for path in cases:
        text = path.read_text(encoding="utf-8")
        update = path.suffix == ".ru"
        tree = _rdflib_tree(text, update)
        if tree is None:
            continue
        tokens = lexer.tokenize(text)  # a valid query never raises
        shown = repr(tree)
        if not update:
            expected_form = next(v for k, v in FORMS.items() if k in shown)
            assert lexer.query_form(tokens) == expected_form, path.name
            assert lexer.has_dataset_clause(tokens) == ("datasetClause" in shown), path.name
        assert bool(lexer.remote_targets(tokens, "SERVICE")) == ("ServiceGraphPattern" in shown), path.name
        if update:
            assert bool(lexer.remote_targets(tokens, "LOAD")) == ("'Load'" in shown or "Load_" in shown
                                                                  or "Load(" in shown), path.name
        compared += 1
    assert compared > 90


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { BIND(<http://x/\\u0041#> AS ?z) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
    'SELECT ("#" AS ?x) WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }',
    "SELECT ('''\n#''' AS ?x) WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    'PREFIX p: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE p: { ?s ?p ?o } }',
])
def test_hidden_service_is_found(text):
    assert lexer.remote_targets(lexer.tokenize(text), "SERVICE")


@pytest.mark.parametrize("text", [
    'SELECT ("SERVICE <http://x/> {}" AS ?s) WHERE {}',
    'SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/>',
])
def test_a_keyword_in_a_string_iri_or_comment_is_not_one(text):
    assert lexer.remote_targets(lexer.tokenize(text), "SERVICE") == []


def _limit(tree) -> tuple | None:
    """(OFFSET, LIMIT) of a query's outermost solution modifier, as rdflib's algebra reads it."""
    algebra = translateQuery(tree).algebra
    return (algebra.p.start, algebra.p.length) if algebra.p.name == "Slice" else None


def test_row_cap_keeps_every_valid_select_valid_and_capped(w3c_dir):
    """What the remote store sends an engine (at most max_rows + 1 rows): every SELECT of the W3C suites
    that rdflib reads (346; LIMITs there are in subqueries only, see test_row_cap for the others) stays
    valid and gets a LIMIT of at most the cap, except that an ORDER BY without a LIMIT is left alone
    (Virtuoso refuses a sorted LIMIT above 10,000)."""
    compared = 0
    for path in sorted(w3c_dir.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        tree = _rdflib_tree(text, update=False)
        if tree is None or "SelectQuery" not in repr(tree):
            continue
        try:
            before = _limit(tree)
        except Exception:  # rdflib cannot translate a few valid queries to its algebra: nothing to compare
            continue
        out = lexer.cap_rows(text, lexer.tokenize(text), 3)
        after = _limit(parseQuery(out))
        if before is None and "orderby" in tree[1]:
            assert out == text, path.name
        else:
            start, length = before or (0, None)
            assert after == (start, 3 if length is None else min(length, 3)), (path.name, out)
        compared += 1
    assert compared > 300


@pytest.mark.parametrize("text,expected", [
    ("SELECT * { ?s ?p ?o } # a comment", "SELECT * { ?s ?p ?o } LIMIT 10  # a comment"),
    ("SELECT * { ?s ?p ?o } VALUES ?s { <x:a> }", "SELECT * { ?s ?p ?o }  LIMIT 10 VALUES ?s { <x:a> }"),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } }", "SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } } LIMIT 10 "),
    ("SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 500", "SELECT * { ?s ?p ?o } OFFSET 5 LIMIT 10"),
    ("SELECT * { ?s ?p ?o } LIMIT 7", "SELECT * { ?s ?p ?o } LIMIT 7"),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s", "SELECT * { ?s ?p ?o } ORDER BY ?s"),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 20000", "SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 10"),
])
def test_row_cap(text, expected):
    assert lexer.cap_rows(text, lexer.tokenize(text), 10) == expected


class _Counted:
    """A compiled pattern that adds up how many characters its matches span."""

    def __init__(self, pattern, spans: list):
        self._pattern, self._spans = pattern, spans

    def match(self, text, pos=0):
        m = self._pattern.match(text, pos)
        self._spans.append(m.end() - pos if m else 0)
        return m


@pytest.mark.parametrize("hostile", [
    'SELECT * WHERE { ?s ?p "a"@en' + "-en" * 16000 + " }",        # a language tag's run, once quadratic
    "SELECT * WHERE { ?s ?p ?o } " + "a.b-c." * 8000,                 # words sharing one run, no prefix
    "SELECT * WHERE { " + "ex:a-" * 9000 + " }",
])
def test_reading_is_linear_in_the_text(monkeypatch, hostile) -> None:
    """The scanners of the tokenizer span each character a bounded number of times (counted, not timed)."""
    spans: list = []
    for name in ("_TOKEN", "_PREFIX_RUN", "_LOCAL", "_PLAIN"):
        monkeypatch.setattr(lexer, name, _Counted(getattr(lexer, name), spans))
    try:
        lexer.tokenize(hostile)
    except lexer.LexError:
        pass
    assert len(hostile) > 40_000 and sum(spans) <= 3 * len(hostile)
