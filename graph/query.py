"""The built release in an in-memory pyoxigraph store, for the commands that read it (conflicts, review, query)."""
import sys
from pathlib import Path

import pyoxigraph as ox

from .release import FILES


class QueryError(Exception):
    """The query could not be parsed or run; the message says why."""


def open_release(dist: Path) -> ox.Store:
    from .build import ensure_release
    nq = Path(dist) / FILES["nquads"]
    if not nq.exists():
        print(f"no release in {dist}: building it first", file=sys.stderr)
    ensure_release(dist)
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    return store


def select(store: ox.Store, text: str):
    """Run a query with the union of the named graphs as default graph (as the endpoint does)."""
    try:
        return store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"syntax error: {e}") from None
    except (OSError, ValueError) as e:
        raise QueryError(str(e)) from None


def term_text(term) -> str:
    if term is None:
        return ""
    return term.value


def format_table(names: list[str], rows) -> str:
    cells = [[term_text(sol[n]) for n in names] for sol in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    line = lambda vals: " | ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    return "\n".join(out) + f"\n({len(cells)} row{'s' if len(cells) != 1 else ''})\n"
