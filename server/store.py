"""The graph store behind the server.

A minimal embedded implementation: an in-memory pyoxigraph Store loaded from the
release's N-Quads. The endpoint work (issue 4) replaces the internals (persistent
store, worker processes with deadlines) but keeps this interface, which pages and
the remote backend rely on:

- ``select(sparql) -> list[dict[str, Term]]``  (pyoxigraph terms)
- ``construct(sparql) -> list[pyoxigraph.Triple]``
- ``ask(sparql) -> bool``
- ``triple_count() -> int``
"""
from pathlib import Path

import pyoxigraph as ox


class EmbeddedStore:
    def __init__(self, nquads: Path, extra_files=()):
        self._store = ox.Store()
        self._store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        for f in extra_files:
            self._store.bulk_load(path=str(f), format=ox.RdfFormat.from_extension(Path(f).suffix[1:]))

    def select(self, sparql: str) -> list[dict]:
        res = self._store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in res]

    def construct(self, sparql: str) -> list:
        return list(self._store.query(sparql, use_default_graph_as_union=True))

    def ask(self, sparql: str) -> bool:
        return bool(self._store.query(sparql, use_default_graph_as_union=True))

    def triple_count(self) -> int:
        return len(self._store)
