"""Code that runs in the store's child processes: query workers, the update writer, the loader.

Query workers each serve one committed version of the store and answer jobs sent over a pipe.
They are separate processes so that a query past its deadline can be stopped by killing its
worker (pyoxigraph has no cancel, and a Python signal is only seen between result rows; NOTES.md).
A worker holds either an in-memory copy of the version, loaded from the version's N-Quads
snapshot (the default: a join runs ~5x faster in memory than on RocksDB, measured 0.9 ms against
4.5 ms at 100k triples), or a read-only handle on its RocksDB directory (`--worker-store disk`,
for data too large to copy into each worker). Nothing here imports Flask.
"""
import os
import signal
from pathlib import Path

import pyoxigraph as ox

from graph import vocab

from ..sparql import results
from . import sandbox
from .describe import Describer
from ..errors import EndpointError, syntax_message

LOAD_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE, "rdf": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD, "n3": ox.RdfFormat.N3,
}


def _graphs(iris):
    return None if iris is None else [ox.NamedNode(i) for i in iris]


def query_kwargs(job: dict) -> dict:
    """Dataset of the query (Protocol §2.1.4 overrides FROM; neither: union default graph)."""
    kwargs = {"base_iri": job.get("base_iri")}
    if job["default_graphs"] is not None or job["named_graphs"] is not None:
        kwargs["default_graph"] = _graphs(job["default_graphs"]) or []
        kwargs["named_graphs"] = _graphs(job["named_graphs"]) or []
    elif not job["has_from"]:
        kwargs["use_default_graph_as_union"] = True
    return kwargs


def _describe(store, job, kwargs) -> list:
    found = store.query(job["describe_select"], **kwargs)
    names = [v.value for v in found.variables]
    resources = [s[n] for s in found for n in names if isinstance(s[n], (ox.NamedNode, ox.BlankNode))]
    return Describer(store, _graphs(job["default_graphs"])).describe(resources)


def _need(job, kind):
    fmt = job["formats"].get(kind)
    if fmt is None:
        raise EndpointError(f"None of the media types in the Accept header can carry {kind} "
                            "results; see the service description for the formats offered.", 406)
    return fmt


def run_query(store: ox.Store, job: dict) -> tuple:
    """('ok', kind, bytes) where kind is solutions / boolean / graph."""
    kwargs = query_kwargs(job)
    if job.get("describe_select"):
        return "ok", "graph", results.graph_bytes(_describe(store, job, kwargs), _need(job, "graph"),
                                                  job["max_rows"])
    answer = store.query(job["sparql"], **kwargs)
    if isinstance(answer, ox.QueryBoolean):
        return "ok", "boolean", results.boolean_bytes(answer, _need(job, "boolean"))
    if isinstance(answer, ox.QuerySolutions):
        return "ok", "solutions", results.solutions_bytes(answer, _need(job, "solutions"), job["max_rows"],
                                                          job["max_bytes"])
    return "ok", "graph", results.graph_bytes(answer, _need(job, "graph"), job["max_rows"])


def dataset_counts(store: ox.Store) -> tuple:
    """Triples per named graph and in the default graph (COUNT runs in Rust, fast at 1M)."""
    per_graph = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    graphs = {s["g"].value: int(s["n"].value) for s in per_graph if isinstance(s["g"], ox.NamedNode)}
    default = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return "ok", len(store), graphs, default


def answer(store: ox.Store, job: dict) -> tuple:
    """Run one job; every failure becomes ('error', status, message), never a traceback."""
    try:
        if job["op"] == "counts":
            return dataset_counts(store)
        return run_query(store, job)
    except EndpointError as e:
        return "error", e.status, e.message
    except SyntaxError as e:
        return "error", 400, syntax_message("query", e)
    except (ValueError, TypeError, RuntimeError) as e:
        return "error", 400, f"The query could not be evaluated: {e}"
    except OSError as e:
        return "error", 503, f"The store could not be read: {e}"


def snapshot_of(version: str | Path) -> Path:
    """The N-Quads snapshot beside a version directory (v3/ -> v3.nq), written before its commit."""
    return Path(version).with_suffix(".nq")


def open_version(path: str, in_memory: bool) -> ox.Store:
    if not in_memory:
        return ox.Store.read_only(path)
    store = ox.Store()
    store.bulk_load(path=str(snapshot_of(path)), format=ox.RdfFormat.N_QUADS)
    return store


def query_worker(conn, path: str, in_memory: bool) -> None:
    """Main loop of a query worker: open the version, then answer jobs until the pipe closes."""
    sandbox.confine()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    store = open_version(path, in_memory)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, job))


WITHHOLD_TEXTS = f"DELETE WHERE {{ GRAPH ?g {{ ?s <{vocab.SCO}text> ?text }} }}"


def build_version(path: str, nquads: str | None, load_files: list[str], withhold_texts: bool = False) -> None:
    """Load the release and the --load files into a new store directory (child process).

    With withhold_texts the sources' full texts are left out of the store, so no query can
    return them (the publishers keep their rights; the quotes stay)."""
    store = ox.Store(path)
    if nquads:
        store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    for f in load_files:
        store.bulk_load(path=f, format=LOAD_FORMATS[Path(f).suffix[1:].lower()])
    if withhold_texts:
        store.update(WITHHOLD_TEXTS)
    seal(store, path)


def seal(store: ox.Store, path: str) -> None:
    """Flush a new version and write its snapshot; the store must not be written afterwards."""
    store.flush()
    store.dump(output=str(snapshot_of(path)), format=ox.RdfFormat.N_QUADS)


def fsync_tree(path: Path) -> None:
    """Make a store directory and its snapshot durable before it becomes the current version."""
    for f in [*path.iterdir(), snapshot_of(path)]:
        if f.is_file():
            fd = os.open(f, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
