"""`sco-kg publish URL`: load the release into an external SPARQL 1.1 engine.

URL is the engine's Graph Store endpoint (for ``oxigraph serve``: ``http://host:port/store``).
The steps, and what each one guarantees:

1. Split the release's N-Quads into one N-Triples document per named graph, counting triples.
2. PUT each document into a staging graph ``<G?sco-kg-staging>`` (Graph Store HTTP Protocol §5.3).
   The live graphs are not touched; PUT replaces, so a rerun starts from a clean staging graph.
3. Count the triples of every staging graph through the query endpoint. A failed upload or a
   wrong count stops here: the staging graphs are dropped, the live content is unchanged.
4. Swap: ONE SPARQL Update request that MOVEs every staging graph onto its live graph
   (SPARQL 1.1 Update §3.2.4). The Graph Store Protocol has no rename, so the swap needs the
   engine's update endpoint. Engines that run one update request as one transaction switch all
   graphs at once or none (seen with Oxigraph; documented by Fuseki/TDB2 and GraphDB); the
   README says what to expect from the others.
5. Count the live graphs again; publishing twice gives the same graphs and the same counts.

Exit status 0 when every graph holds exactly the release's triples, 1 otherwise.
"""
import sys
from pathlib import Path

import pyoxigraph as ox

from .store.remote.engine_client import EngineError, EngineTimeout, Endpoints, count_per_graph, put_graph, update

STAGING_SUFFIX = "?sco-kg-staging"


class PublishError(Exception):
    """The publish stopped; the message says at which step and why."""


class SwapUnfinished(Exception):
    """The swap request timed out: its outcome is unknown, so nothing is cleaned up."""


def main(args) -> int:
    try:
        endpoints = Endpoints.derive(args.url, role="store", query=args.query_url, update=args.update_url)
        if not endpoints.update:
            raise PublishError(f"no update endpoint known for {args.url}: give --update-url")
        counts = publish(endpoints, _release_file(args.dist, args.no_build), args.timeout)
    except (PublishError, SwapUnfinished, ValueError) as e:
        print(f"publish failed: {e}", file=sys.stderr)
        return 1
    for graph, n in sorted(counts.items()):
        print(f"{n:>8} triples  <{graph}>")
    print(f"published {sum(counts.values())} triples in {len(counts)} graphs to {endpoints.store}")
    return 0


def publish(endpoints: Endpoints, nquads: Path, timeout_s: float) -> dict[str, int]:
    """Steps 1–5 above; returns the verified triple count of every published graph."""
    graphs = split_graphs(nquads)
    expected = {g: n for g, (_, n) in graphs.items()}
    staging = {g: g + STAGING_SUFFIX for g in graphs}
    try:
        for g, (doc, _) in graphs.items():
            _step(f"upload of <{g}> to <{staging[g]}>", put_graph, endpoints.store, staging[g], doc,
                  timeout_s=timeout_s)
        _verify(endpoints.query, {staging[g]: n for g, n in expected.items()}, timeout_s, "staging")
        _swap(endpoints.update, staging, timeout_s)
    except PublishError:
        _drop_quietly(endpoints.update, staging.values(), timeout_s)
        raise
    return _verify(endpoints.query, expected, timeout_s, "published")


def split_graphs(nquads: Path) -> dict[str, tuple[bytes, int]]:
    """Named graph IRI -> (its triples as N-Triples, how many)."""
    quads: dict[str, dict] = {}  # graph -> its triples, each once (the engine keeps a set too)
    for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        if isinstance(q.graph_name, ox.DefaultGraph):
            raise PublishError(f"{nquads} has triples in the default graph; the release keeps "
                               "everything in named graphs")
        quads.setdefault(q.graph_name.value, {})[q.triple] = None
    return {g: (ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES), len(ts)) for g, ts in quads.items()}


def swap_update(staging: dict[str, str]) -> str:
    """One update request, several operations (Update §3.2.4 MOVE): one transaction on most engines."""
    return " ;\n".join(f"MOVE <{s}> TO <{g}>" for g, s in staging.items())


def _swap(update_url: str, staging: dict[str, str], timeout_s: float) -> None:
    try:
        update(update_url, swap_update(staging), timeout_s=timeout_s)
    except EngineTimeout:
        # The engine may still be applying it: dropping the staging graphs now could race it.
        raise SwapUnfinished(f"the swap did not finish within {timeout_s:g} s; the engine may still complete "
                             "it. Run publish again (it is idempotent) to see where it stands.") from None
    except EngineError as e:
        raise PublishError(f"swap of the staging graphs onto the live graphs failed: {e}") from None


def _verify(query_url: str, expected: dict[str, int], timeout_s: float, what: str) -> dict[str, int]:
    found = _step(f"count of the {what} graphs", count_per_graph, query_url, list(expected),
                  timeout_s=timeout_s)
    wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
    if wrong:
        lines = [f"<{g}>: expected {n}, the engine has {m}" for g, (n, m) in sorted(wrong.items())]
        raise PublishError(f"the {what} graphs do not hold the release:\n  " + "\n  ".join(lines))
    return found


def _step(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except EngineError as e:
        raise PublishError(f"{what} failed: {e}") from None


def _drop_quietly(update_url: str | None, graphs, timeout_s: float) -> None:
    """Best effort: staging graphs would otherwise show in an engine's union default graph."""
    if update_url:
        try:
            update(update_url, " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), timeout_s=timeout_s)
        except EngineError:
            pass  # the engine is what failed; the error already reported says so


def _release_file(dist: Path, no_build: bool) -> Path:
    if not no_build:
        from graph.build import BuildError, ensure_release
        try:
            ensure_release(dist)
        except BuildError as e:
            raise PublishError(f"the release could not be built:\n{e}") from None
    from graph.release import FILES
    nq = Path(dist) / FILES["nquads"]
    if not nq.exists():
        raise PublishError(f"no release at {nq}")
    return nq
