"""What SPARQL engines write differently, undone so that every engine's answer is the embedded store's.

The remote store never passes an engine's bytes on: it reads the answer into RDF terms here and
then writes them with the embedded store's serializers (server.sparql.results). What is undone:

- SPARQL JSON results (SPARQL 1.1 JSON Results §3.2.2 knows "uri", "literal", "bnode"): Virtuoso
  also writes ``"typed-literal"`` (the pre-Recommendation draft's name) and answers ASK with a
  one-row table ``__ASK_RETVAL`` = 1 (no row when false) instead of a ``"boolean"`` member.
- Literal forms: the embedded store keeps typed literals in pyoxigraph's canonical form (numbers
  canonicalised, integer subtypes as xsd:integer, booleans "true"/"false"), while Virtuoso writes
  booleans as ``"1"``/``"0"`` and doubles as ``"1000.0"``. Every XSD-typed literal from an engine
  goes through the same canonicalisation (a pyoxigraph store's encoding), so the values compare
  and print alike; a literal is the same RDF value before and after (XSD 1.1 §3.3 lexical mappings).
- Boolean constants in expressions: Virtuoso evaluates ``true``/``false`` (e.g. ``BIND(true AS
  ?x)``) and comparisons to the integers 1/0, losing the type before we could read it. The
  constants are therefore sent as the casts ``xsd:boolean(true)`` (SPARQL 1.1 Query §17.5: the
  identity), which every engine evaluates to the same boolean (not ``xsd:boolean("false")``, which
  Virtuoso 7.2.5 casts to true); `VALUES` rows are not expressions and keep the
  constant (a cast is not allowed there). Projected comparisons (``SELECT (?a < ?b AS ?c)``) still
  come back from Virtuoso as 1/0: docs/engines.md lists that as a known difference.
- Errors: Virtuoso answers HTTP 500 both when it fails and when it refuses to evaluate the query,
  e.g. at a division by zero or an invalid regular expression, where SPARQL 1.1 leaves the value
  unbound. Its message names an SQLSTATE; class 22 ("data exception") is the refusal
  (`refused_values`), which the remote store answers as the client's 400 with the engine's words.
"""
import json
import re

import pyoxigraph as ox

from ontology import vocab

from ...sparql import lexer

_XSD = str(vocab.XSD)
_BOOLEAN_CAST = {"TRUE": f"<{_XSD}boolean>(true)", "FALSE": f"<{_XSD}boolean>(false)"}
_CANONICAL_SUBJECT = ox.NamedNode("urn:sco-kg:canonical")
# "Virtuoso 22012 Error SR084: Division by 0." and then the query it was given
_DATA_EXCEPTION = re.compile(r"Virtuoso 22[0-9A-Z]{3} Error [^\n]+")


def portable_query(text: str) -> str:
    """`text` with the boolean constants of its expressions written as casts (see above)."""
    return lexer.splice(text, [(t.start, t.start + len(t.text), _BOOLEAN_CAST[t.keyword])
                               for t in lexer.tokenize(text) if t.in_expression and t.keyword in _BOOLEAN_CAST])


def refused_values(error_text: str) -> str | None:
    """The engine's own words, when its error answer says a value in the query stopped it (see above)."""
    found = _DATA_EXCEPTION.match(error_text)
    return found.group() if found else None


def solutions(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """An engine's SPARQL JSON results as pyoxigraph results with canonical terms.

    Raises ValueError (or KeyError/TypeError) when the answer is not SPARQL JSON.
    """
    data = json.loads(body)
    if "boolean" in data:
        return _boolean(bool(data["boolean"]))
    names = data["head"].get("vars", [])
    bnodes: dict = {}  # one answer's labels name the same node in every row
    rows = [{n: _term(v, bnodes) for n, v in row.items()} for row in data["results"]["bindings"]]
    if names == ["__ASK_RETVAL"]:  # Virtuoso's ASK
        return _boolean(any(_true(row.get("__ASK_RETVAL")) for row in rows))
    canonical = canonical_terms({t for row in rows for t in row.values()})
    bindings = [{n: _json(canonical.get(t, t)) for n, t in row.items()} for row in rows]
    text = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    return ox.parse_query_results(text.encode(), format=ox.QueryResultsFormat.JSON)


def triples(triples_in) -> list[ox.Triple]:
    """Triples whose literals are in canonical form."""
    triples_in = list(triples_in)
    canonical = canonical_terms({t.object for t in triples_in})
    return [ox.Triple(t.subject, t.predicate, canonical[t.object]) if t.object in canonical else t
            for t in triples_in]


def canonical_terms(terms) -> dict:
    """XSD-typed literal -> its canonical form, as the embedded (pyoxigraph) store keeps it."""
    typed = [t for t in terms if isinstance(t, ox.Literal) and t.datatype.value.startswith(_XSD)
             and t.datatype.value not in (_XSD + "string",)]
    if not typed:
        return {}
    store = ox.Store()
    predicates = [ox.NamedNode(f"urn:sco-kg:term:{i}") for i in range(len(typed))]
    store.extend(ox.Quad(_CANONICAL_SUBJECT, p, t) for p, t in zip(predicates, typed))
    back = {q.predicate: q.object for q in store}
    return {t: back[p] for p, t in zip(predicates, typed)}


def _boolean(value: bool) -> ox.QueryBoolean:
    return ox.parse_query_results(json.dumps({"head": {}, "boolean": value}).encode(),
                                  format=ox.QueryResultsFormat.JSON)


def _true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value not in ("0", "false")


def _term(v: dict, bnodes: dict):
    kind, value = v["type"], v["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":  # labels such as Virtuoso's "nodeID://b1" are not valid in every syntax
        return bnodes.setdefault(value, ox.BlankNode())
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in v:
            return ox.Literal(value, language=v["xml:lang"])
        return ox.Literal(value, datatype=ox.NamedNode(v["datatype"])) if "datatype" in v else ox.Literal(value)
    raise ValueError(f"unknown term type {kind!r} in SPARQL JSON results")


def _json(term) -> dict:
    """A term as SPARQL 1.1 JSON Results §3.2.2 writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
