"""The lexer read against a real parser: over the W3C SPARQL 1.1 syntax suites, what the lexer says
of each valid query (its form, its FROM clauses, its SERVICE and LOAD targets) is what rdflib's
parser finds, so a keyword hidden in a string, an IRI or a comment is never taken for one, and a
real one is never missed."""
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
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
