"""DESCRIBE: a concise bounded description that carries the evidence.

SPARQL leaves DESCRIBE's result to the service (Query §16.4). Ours, for each resource R:
- every triple with R as subject;
- every fact node (an IRI under /fact/) with R as object, and each fact's own triples;
- each fact's evidence (the objects of sco:evidence) and the evidence's fragment parts
  (#target, #quote, #position: IRIs of the same document as the evidence IRI);
- as in a CBD, the triples of every blank node reached.
Source documents are named but not expanded (their full text would swamp the answer).
The resources are those the DESCRIBE's own SELECT finds (server.sparql.lexer.describe_as_select).
"""
from collections.abc import Iterable

import pyoxigraph as ox

from graph import BASE, SCO

FACT_PREFIX = BASE + "fact/"
EVIDENCE = ox.NamedNode(SCO + "evidence")


def _document(iri: str) -> str:
    return iri.split("#", 1)[0]


def expands(node, predicate, obj) -> bool:
    """Whether the description follows `obj` from `node`."""
    if isinstance(obj, ox.BlankNode) or predicate == EVIDENCE:
        return True
    return (isinstance(obj, ox.NamedNode) and isinstance(node, ox.NamedNode) and "#" in obj.value
            and _document(obj.value) == _document(node.value) and obj != node)


class Describer:
    """Walks the store (restricted to `graphs`, or the union of all when None)."""

    def __init__(self, store: ox.Store, graphs: list | None):
        self.store = store
        self.graphs = graphs

    def _quads(self, s=None, o=None):
        for g in (self.graphs if self.graphs is not None else [None]):
            yield from self.store.quads_for_pattern(s, None, o, g)

    def _facts_about(self, resource) -> Iterable:
        for q in self._quads(o=resource):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(FACT_PREFIX):
                yield q.subject

    def describe(self, resources: Iterable) -> list[ox.Triple]:
        queue = list(dict.fromkeys(resources))
        queue += [f for r in list(queue) if not isinstance(r, ox.Literal) for f in self._facts_about(r)]
        seen, triples = set(), {}
        while queue:
            node = queue.pop()
            if node in seen or isinstance(node, ox.Literal):
                continue
            seen.add(node)
            for q in self._quads(s=node):
                triples[q.triple] = None
                if expands(node, q.predicate, q.object):
                    queue.append(q.object)
        return list(triples)


def resources(solutions) -> list:
    """The IRIs and blank nodes among a DESCRIBE's SELECT solutions (a literal has no description)."""
    names = [v.value for v in solutions.variables]
    return [s[n] for s in solutions for n in names if isinstance(s[n], (ox.NamedNode, ox.BlankNode))]


def describe(store: ox.Store, select: str, graphs: list | None, **query_kwargs) -> list[ox.Triple]:
    """DESCRIBE on a local store: run its SELECT (with the caller's dataset), describe what it found."""
    return Describer(store, graphs).describe(resources(store.query(select, **query_kwargs)))
