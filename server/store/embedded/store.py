"""The embedded Oxigraph store.

`EmbeddedStore` design (why it is correct with updates and readers in separate processes):
- The data live in a persistent Oxigraph store under DATA_DIR, one directory per committed version
  (server.store.embedded.datadir), built from the release's N-Quads plus the --load files, and rebuilt only when
  the release version or a --load file changes.
- Queries run in worker processes (server.store.embedded.pool), each with an in-memory copy of a committed version
  (loaded from its N-Quads snapshot) or a *read-only* handle on it; a query past its deadline is
  stopped by killing its worker.
- An update never writes a directory a reader has open: a writer process copies the current version,
  applies and validates the update there, and the copy is committed by an atomic pointer switch;
  workers then move to the new version. pyoxigraph's "reading while another process writes is
  undefined behaviour" therefore never arises: every directory has either one writer (before its
  commit) or any number of readers (after), never both.
- One server per DATA_DIR (an exclusive lock, released by the kernel when its holder dies, so a
  lock left by a killed server is stale by construction), version names never reused
  (server.store.embedded.datadir), and every child confined (server.store.sandbox): it dies with the
  server and cannot open a network socket (query workers and the writer: none beyond the ports of
  the operator's --allow-service targets), so a kill -9 of the server alone leaves no writer behind
  to write into what the next server owns.
"""
import logging
import threading
from pathlib import Path

from graph.release import read_meta

from ...errors import EndpointError, QueryTimeout
from ...sparql import lexer
from ...sparql.operations import Answer, DatasetInfo, QueryOp, UpdateOp
from .. import sandbox
from . import update
from ..base import GraphStore
from .datadir import DataDir, fingerprint
from .pool import WorkerPool, context
from ...middleware.result_cache import ResultCache
from .worker import Job, Reply, build_version

log = logging.getLogger(__name__)


# The syntax check of an update runs it on an empty store: a few ms for what a client can send.
_SYNTAX_CHECK_S = 5.0


def _run_child(ctx, target, args, timeout: float | None, what: str = "update") -> Reply:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(child, *args), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            raise QueryTimeout(f"The {what} ran past the {timeout:g} s deadline and was stopped; nothing changed.")
        return parent.recv()
    except EOFError:
        raise EndpointError(f"The {what} process stopped unexpectedly; nothing changed.", 503)
    finally:
        process.join(5)
        parent.close()


def _build_child(conn, path, nquads, load_files, withhold_texts):
    sandbox.confine(conn)
    try:
        build_version(path, nquads, load_files, withhold_texts)
        conn.send(Reply())
    except (SyntaxError, OSError, ValueError) as e:  # a broken --load file, mostly
        conn.send(Reply(status=400, message=f"could not load the data: {e}"))


class EmbeddedStore(GraphStore):
    def __init__(self, config: dict):
        self._config = config
        self._ctx = context()
        self._datadir = DataDir(Path(config["DATA_DIR"]))
        self._lock_file = self._datadir.lock()
        self._release = read_meta(Path(config["DIST_DIR"]))
        self._ensure_built()
        # LOAD and SERVICE targets the request checks let through; the children may reach their ports only.
        self._services = tuple(config["SERVICE_ALLOW_LIST"])
        self._pool = WorkerPool(self._datadir.current(), config["WORKERS"], self._ctx,
                                in_memory=config["WORKER_STORE"] == "memory",
                                memory_bytes=int(config["WORKER_MEMORY_MB"]) << 20,
                                short_s=float(config["SHORT_QUERY_S"]), services=self._services)
        self.answers = ResultCache(int(config["RESULT_CACHE_MB"]) << 20)  # shared with the HTTP layer: one budget
        self._write_lock = threading.Lock()
        self._info = self._count()

    def _ensure_built(self) -> None:
        dist, loads = Path(self._config["DIST_DIR"]), [Path(f) for f in self._config["LOAD_FILES"]]
        nquads = dist / "sco-kg.nq"
        withhold = bool(self._config.get("WITHHOLD_SOURCE_TEXT"))
        fp = fingerprint(self._release, loads + ([nquads] if nquads.exists() else []), withhold)
        self._fingerprint = fp
        if not self._datadir.is_current(fp):
            log.info("loading the release into the store at %s (first start, or a new release)", self._datadir.root)
            version = self._datadir.new_version()
            args = (str(version), str(nquads) if nquads.exists() else None, [str(f) for f in loads], withhold)
            reply = _run_child(self._ctx, _build_child, args, None, "store build")
            if reply.status != 200:
                self._datadir.discard(version)
                reply.raise_error()
            self._datadir.commit(version, fingerprint=fp, release=self._release)
        self._datadir.collect(set())

    def _count(self) -> DatasetInfo:
        counts = self._pool.call(Job(counts=True), max(60.0, self._timeout), internal=True).counts
        return DatasetInfo(counts.triples, counts.graphs, self._release,
                           self._datadir.current().name)

    @property
    def _timeout(self) -> float:
        return float(self._config["QUERY_TIMEOUT_S"])

    @property
    def cache_version(self) -> str:
        # No answer is older than this: an update moves the pool to its version first and the
        # counts (/health, VoID) last. Naming the pool's version let a /health of the old counts,
        # asked in between, be kept under the new version's tag and served until the next update.
        return f"{self._fingerprint[:16]}/{self._info.store_version}"

    def query(self, op: QueryOp) -> Answer:
        job = Job.query(op, int(self._config["MAX_RESULT_ROWS"]), int(self._config["MAX_RESULT_BYTES"]))
        current = self._pool.path.name
        version = f"{self._fingerprint[:16]}/{current}"  # as cache_version names it, so the HTTP layer's puts agree
        reply = self.answers.get(version, job.cache_key)
        if reply is None:
            reply = self._pool.call(job, self._timeout)
            reply.raise_error()
            # Not from a worker left on the version before an update, nor an answer the HTTP layer keeps whole.
            if reply.version == current and not op.kept_whole:
                self.answers.put(version, job.cache_key, reply, len(reply.body) + len(job.sparql))
        return Answer(op.formats[reply.kind], reply.body)

    def update(self, op: UpdateOp) -> int:
        text = op.sparql
        if op.using_graphs or op.using_named_graphs:
            text = lexer.add_using(text, lexer.tokenize(text), list(op.using_graphs), list(op.using_named_graphs))
        self._refuse_unparsable(text, op)
        with self._write_lock:
            src, dst = self._datadir.current(), self._datadir.new_version()
            args = (str(src), str(dst), text, op.base_iri, self._config["SHAPES_FILE"], self._services, op.written)
            try:
                reply = _run_child(self._ctx, update.writer, args, float(self._config["UPDATE_TIMEOUT_S"]))
            except EndpointError:
                self._datadir.discard(dst)
                raise
            if reply.status != 200:
                self._datadir.discard(dst)
                reply.raise_error()
            self._datadir.commit(dst)
            self._pool.reopen(dst)
            self._info = self._count()
            self._datadir.collect(self._pool.paths_in_use())
            return reply.triples

    def _refuse_unparsable(self, text: str, op: UpdateOp) -> None:
        """An update that does not parse is refused before it waits for the write lock or copies the store.

        An update that runs past _SYNTAX_CHECK_S even on an empty store parsed: its real run's deadline decides."""
        try:
            reply = _run_child(self._ctx, update.syntax_check, (text, op.base_iri, op.written), _SYNTAX_CHECK_S,
                               "syntax check")
        except QueryTimeout:
            return
        reply.raise_error()

    def info(self) -> DatasetInfo:
        return self._info

    def close(self) -> None:
        self._pool.close()
        self._lock_file.close()
