"""The boundary the HTTP code and the pages rely on (`app.extensions["sco_store"]`).

- ``select(sparql) -> list[dict[str, Term]]``  (pyoxigraph terms; each of the three takes the client's
  text as `written` when `sparql` is its canonical form, server.sparql.reading)
- ``construct(sparql) -> list[pyoxigraph.Triple]``
- ``ask(sparql) -> bool``
- ``triple_count() -> int``
all built on ``query(QueryOp) -> Answer``, so every call has the same deadline protection; a backend
implements only ``query``, ``update``, ``info`` and ``close``. `server.store.make` picks the backend.
"""
from abc import ABC, abstractmethod

import pyoxigraph as ox

from ..sparql.negotiation import Choice
from ..sparql.operations import Answer, DatasetInfo, QueryOp, UpdateOp

_JSON = Choice("application/sparql-results+json", "json")
_NTRIPLES = Choice("application/n-triples", "ntriples")
_INTERNAL = {"solutions": _JSON, "boolean": _JSON, "graph": _NTRIPLES}


class GraphStore(ABC):
    @abstractmethod
    def query(self, op: QueryOp) -> Answer: ...

    @abstractmethod
    def update(self, op: UpdateOp) -> int:
        """Apply atomically; returns the number of triples after the update."""

    @abstractmethod
    def info(self) -> DatasetInfo: ...

    @abstractmethod
    def close(self) -> None: ...

    @property
    def cache_version(self) -> str | None:
        """Names the data answers come from, for HTTP validators (server.middleware.http_cache); None: cannot
        tell (a remote engine can change behind us), so no answer is marked cacheable."""
        return None

    def select(self, sparql: str, written: str | None = None) -> list[dict]:
        body = self.query(QueryOp(sparql, formats=_INTERNAL, written=written)).body
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    def construct(self, sparql: str, written: str | None = None) -> list:
        body = self.query(QueryOp(sparql, formats=_INTERNAL, written=written)).body
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def ask(self, sparql: str, written: str | None = None) -> bool:
        body = self.query(QueryOp(sparql, formats=_INTERNAL, written=written)).body
        return bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))

    def triple_count(self) -> int:
        return self.info().triples
