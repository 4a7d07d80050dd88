"""Code that runs in the store's child processes: query workers, the update writer, the loader.

Query workers each serve one committed version of the store and answer jobs sent over a pipe.
They are separate processes so that a query past its deadline can be stopped by killing its
worker (pyoxigraph has no cancel, and a Python signal is only seen between result rows).
A worker holds either an in-memory copy of the version, loaded from the version's N-Quads
snapshot (the default: a join runs ~5x faster in memory than on RocksDB, measured 0.9 ms against
4.5 ms at 100k triples), or a read-only handle on its RocksDB directory (`--worker-store disk`,
for data too large to copy into each worker). Nothing here imports Flask.
"""
import os
import pickle
import resource
import signal
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from ontology import vocab

from ...sparql import results
from ...sparql.operations import Analysis, PickledAsTuple, QueryOp
from .. import sandbox
from .. import describe
from ...errors import EndpointError
from ...sparql.syntax_errors import explain

LOAD_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE, "rdf": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD, "n3": ox.RdfFormat.N3,
}


@dataclass(frozen=True, slots=True)
class Job(PickledAsTuple):
    """What the front process sends a query worker: one query, analysed, with its limits; or `counts`."""
    sparql: str = ""
    analysis: Analysis = Analysis()
    base_iri: str | None = None
    # Protocol §2.1.4 dataset; None = not given (then FROM, or the union default graph).
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    formats: dict = field(default_factory=dict)  # result kind -> format name (server.sparql.results)
    max_rows: int = 0
    max_bytes: int = 0
    counts: bool = False  # the dataset's counts (DatasetInfo) instead of a query
    written: str | None = None  # the client's text `sparql` was made from, for error messages

    @property
    def cache_key(self) -> tuple:
        """What decides the answer's bytes on one store version (the limits are the server's own)."""
        return self.sparql, self.base_iri, self.default_graphs, self.named_graphs, tuple(self.formats.items())

    @classmethod
    def query(cls, op: QueryOp, max_rows: int, max_bytes: int) -> "Job":
        return cls(op.sparql, op.analysis, op.base_iri, op.default_graphs, op.named_graphs,
                   {k: c.format for k, c in op.formats.items() if c is not None}, max_rows, max_bytes,
                   written=op.written)


@dataclass(frozen=True, slots=True)
class Counts(PickledAsTuple):
    triples: int
    graphs: dict[str, int]  # named graph IRI -> triples


@dataclass(frozen=True, slots=True)
class Reply(PickledAsTuple):
    """A child's answer: status 200 with the result kind and bytes (or the counts, or the triples after an
    update), or an error. Query workers, the update writer and the store builder all send one."""
    status: int = 200
    kind: str = ""  # solutions / boolean / graph
    body: bytes = b""
    message: str = ""
    counts: Counts | None = None
    version: str = ""  # the store version (directory name) the worker serves
    triples: int = 0  # after an update: the triples the new version holds

    def raise_error(self) -> None:
        if self.status != 200:
            raise EndpointError(self.message, self.status)


def _graphs(iris):
    return None if iris is None else [ox.NamedNode(i) for i in iris]


def query_kwargs(job: Job) -> dict:
    """Dataset of the query (Protocol §2.1.4 overrides FROM; neither: union default graph)."""
    kwargs = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = _graphs(job.default_graphs) or []
        kwargs["named_graphs"] = _graphs(job.named_graphs) or []
    elif not job.analysis.has_from:
        kwargs["use_default_graph_as_union"] = True
    return kwargs


def _need(job: Job, kind: str) -> str:
    fmt = job.formats.get(kind)
    if fmt is None:
        raise EndpointError(f"None of the media types in the Accept header can carry {kind} "
                            "results; see the service description for the formats offered.", 406)
    return fmt


def run_query(store: ox.Store, job: Job) -> Reply:
    kwargs = query_kwargs(job)
    if job.analysis.describe_select:
        described = describe.describe(store, job.analysis.describe_select, _graphs(job.default_graphs), **kwargs)
        return Reply(kind="graph", body=results.graph_bytes(described, _need(job, "graph"), job.max_rows))
    answer = store.query(job.sparql, **kwargs)
    if isinstance(answer, ox.QueryBoolean):
        return Reply(kind="boolean", body=results.boolean_bytes(answer, _need(job, "boolean")))
    if isinstance(answer, ox.QuerySolutions):
        return Reply(kind="solutions", body=results.solutions_bytes(answer, _need(job, "solutions"), job.max_rows,
                                                                    job.max_bytes))
    return Reply(kind="graph", body=results.graph_bytes(answer, _need(job, "graph"), job.max_rows))


def dataset_counts(store: ox.Store) -> Reply:
    """Triples in all and per named graph (COUNT runs in Rust, fast at 1M)."""
    per_graph = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    graphs = {s["g"].value: int(s["n"].value) for s in per_graph if isinstance(s["g"], ox.NamedNode)}
    return Reply(counts=Counts(len(store), graphs))


def answer(store: ox.Store, job: Job) -> Reply:
    """Run one job; every failure becomes an error Reply, never a traceback."""
    try:
        return dataset_counts(store) if job.counts else run_query(store, job)
    except EndpointError as e:
        return Reply(e.status, message=e.message)
    except SyntaxError as e:
        return Reply(400, message=explain("query", e, job.sparql, written=job.written))
    except (ValueError, TypeError, RuntimeError) as e:
        return Reply(400, message=f"The query could not be evaluated: {e}")
    except MemoryError:
        return Reply(503, message=memory_message())
    except OSError as e:
        return Reply(503, message=f"The store could not be read: {e}")


def snapshot_of(version: str | Path) -> Path:
    """The N-Quads snapshot beside a version directory (v3/ -> v3.nq), written before its commit."""
    return Path(version).with_suffix(".nq")


def open_version(path: str, in_memory: bool) -> ox.Store:
    if not in_memory:
        return ox.Store.read_only(path)
    store = ox.Store()
    load_keeping_labels(store, snapshot_of(path))
    return store


def load_keeping_labels(store: ox.Store, nquads: str | Path) -> None:
    """Load N-Quads keeping their blank-node labels (Store.bulk_load gives every load new random ones):
    a blank node then has the same label in every version and every worker."""
    store.bulk_extend(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False))


def memory_message() -> str:
    return ("The query needed more memory than a query may use on this server and was stopped. "
            "Narrow it (LIMIT, more specific patterns, no ORDER BY over large results).")


def limit_memory(extra_bytes: int) -> None:
    """RLIMIT_AS: the address space the worker has now (its copy of the graph) plus `extra_bytes`.

    Past it an allocation fails: Python raises MemoryError, the engine aborts the process; either
    way the pool answers 503 and starts a fresh worker. 0 = no limit.
    """
    if extra_bytes <= 0:
        return
    with open("/proc/self/statm") as fh:
        now = int(fh.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (now + extra_bytes, now + extra_bytes))


def query_worker(conn, path: str, in_memory: bool, memory_bytes: int = 0, services: tuple[str, ...] = ()) -> None:
    """Main loop of a query worker: open the version, then answer jobs until the pipe closes.

    services: the allowed SERVICE targets (server.store.sandbox); none: no network."""
    sandbox.confine(conn, services)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    store = open_version(path, in_memory)
    limit_memory(memory_bytes)
    version = Path(path).name
    conn.send_bytes(pickle.dumps(Reply(version=version)))
    while True:
        try:
            job = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        conn.send_bytes(pickle.dumps(replace(answer(store, job), version=version), pickle.HIGHEST_PROTOCOL))


WITHHOLD_TEXTS = f"DELETE WHERE {{ GRAPH ?g {{ ?s <{vocab.SCO}text> ?text }} }}"


def build_version(path: str, nquads: str | None, load_files: list[str], withhold_texts: bool = False) -> None:
    """Load the release and the --load files into a new store directory (child process).

    With withhold_texts the sources' full texts are left out of the store, so no query can
    return them (the publishers keep their rights; the quotes stay)."""
    store = ox.Store(path)
    if nquads:
        load_keeping_labels(store, nquads)
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
