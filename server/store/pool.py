"""A pool of query worker processes with deadlines (issue 4, "Bounded and safe").

Each job goes to an idle worker; if no answer comes by the deadline the worker is killed
(SIGKILL: the only way to stop a running pyoxigraph query) and a fresh one is started in the
background, so other clients keep getting answers from the remaining workers. Workers serve one
committed store version; `reopen` moves the pool to a new version: idle workers are replaced at
once, busy ones when they finish, so no worker ever reads a directory that is being written.
"""
import logging
import multiprocessing
import queue
import threading
import time
from pathlib import Path

from . import worker
from ..errors import Busy, EndpointError, QueryTimeout

log = logging.getLogger(__name__)


def context():
    """forkserver: children fork from a clean single-threaded server, not from the threaded WSGI process."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["server.store.worker"])
    return ctx


class Worker:
    def __init__(self, ctx, path: Path, in_memory: bool):
        self.path = path
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker.query_worker, args=(child, str(path), in_memory), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(600) or self.conn.recv() != "ready":
            self.kill()
            raise EndpointError(f"a query worker could not open the store at {path}", 503)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, path: Path, size: int, ctx=None, in_memory: bool = True):
        self._ctx = ctx or context()
        self._path = path
        self._size = size
        self._in_memory = in_memory
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._live: set[Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._add()

    @property
    def size(self) -> int:
        return self._size

    def _add(self) -> None:
        w = Worker(self._ctx, self._path, self._in_memory)
        with self._lock:
            self._live.add(w)
        self._idle.put(w)

    def _add_later(self) -> None:
        def run():
            try:
                self._add()
            except EndpointError as e:
                log.error("could not replace a query worker: %s", e.message)
        threading.Thread(target=run, daemon=True).start()

    def _retire(self, w: Worker) -> None:
        with self._lock:
            self._live.discard(w)
        w.kill()
        self._add_later()

    def call(self, job: dict, timeout: float) -> tuple:
        """Send `job` to a worker; its reply, or QueryTimeout/Busy past the deadline."""
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Busy(f"All {self._size} query workers stayed busy for {timeout:g} s; try again shortly.")
        try:
            w.conn.send(job)
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._retire(w)
                raise QueryTimeout.for_query(timeout)
            reply = w.conn.recv()
        except (EOFError, OSError):
            self._retire(w)
            raise Busy("The query worker stopped unexpectedly (out of memory?); try a narrower query.")
        self._release(w)
        return reply

    def _release(self, w: Worker) -> None:
        if w.path != self._path:
            self._retire(w)
        else:
            self._idle.put(w)

    def reopen(self, path: Path) -> None:
        """Serve `path` from now on (after an update commits a new version)."""
        self._path = path
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                return
            self._retire(w)

    def paths_in_use(self) -> set[Path]:
        with self._lock:
            return {w.path for w in self._live} | {self._path}

    def close(self) -> None:
        with self._lock:
            workers, self._live = list(self._live), set()
        for w in workers:
            w.kill()
