"""A pool of query worker processes with deadlines.

Each job goes to an idle worker; if no answer comes by the deadline the worker is killed
(SIGKILL: the only way to stop a running pyoxigraph query) and a fresh one is started in the
background, so other clients keep getting answers from the remaining workers. Workers serve one
committed store version; `reopen` moves the pool to a new version: idle workers are replaced at
once, busy ones when they finish, so no worker ever reads a directory that is being written.

Fairness: a query still running after SHORT_QUERY_S is "long"; at most size - 1 long
queries run at once (1 with a single worker), so one worker always stays for short queries. A
query that would become the long one too many is stopped at that point with 503 and Retry-After,
whichever client sent it: slow queries wait their turn instead of shutting everyone else out.
"""
import logging
import multiprocessing
import pickle
import queue
import select
import signal
import threading
import time
from pathlib import Path

from . import worker
from ...errors import Busy, EndpointError, QueryTimeout

log = logging.getLogger(__name__)


def context():
    """forkserver: children fork from a clean single-threaded server, not from the threaded WSGI process."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["server.store.embedded.worker"])
    return ctx


class Worker:
    def __init__(self, ctx, path: Path, in_memory: bool, memory_bytes: int, services: tuple[str, ...] = ()):
        self.path = path
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker.query_worker,
                                   args=(child, str(path), in_memory, memory_bytes, services), daemon=True)
        self.process.start()
        child.close()
        # One poll object per pipe: Connection.poll builds a selector per call (~20 us with the GIL held).
        self._poller = select.poll()
        self._poller.register(self.conn.fileno(), select.POLLIN)
        try:
            ready = self.ready(600) and isinstance(self.receive(), worker.Reply)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise EndpointError(f"a query worker could not open the store at {path}", 503)

    def send(self, job: worker.Job) -> None:
        self.conn.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))

    def ready(self, timeout: float) -> bool:
        """An answer (or the end of the pipe) is there to read, within `timeout` seconds."""
        return bool(self._poller.poll(timeout * 1000))

    def receive(self) -> worker.Reply:
        return pickle.loads(self.conn.recv_bytes())

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, path: Path, size: int, ctx=None, in_memory: bool = True, memory_bytes: int = 0,
                 short_s: float = 0.5, services: tuple[str, ...] = ()):
        self._ctx = ctx or context()
        self._path = path
        self._size = size
        self._in_memory = in_memory
        self._memory_bytes = memory_bytes
        self._short_s = short_s
        self._services = services  # the allowed SERVICE targets: the only network a worker may reach
        self._long = 0  # queries running past short_s now
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._live: set[Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._add()

    @property
    def size(self) -> int:
        return self._size

    @property
    def path(self) -> Path:
        """The version every worker handed out from now on serves."""
        return self._path

    def _add(self) -> None:
        w = Worker(self._ctx, self._path, self._in_memory, self._memory_bytes, self._services)
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

    def call(self, job: worker.Job, timeout: float, internal: bool = False) -> worker.Reply:
        """Send `job` to a worker; its reply, or QueryTimeout/Busy past the deadline.

        `internal` jobs (the dataset counts) are exempt from the long-query share."""
        deadline = time.monotonic() + timeout
        w = self._take(deadline, timeout)
        try:
            w.send(job)
            if not self._wait(w, deadline, internal):
                self._retire(w)
                raise QueryTimeout.for_query(timeout)
            reply = w.receive()
        except (EOFError, OSError):
            message = self._death_message(w)
            self._retire(w)
            raise Busy(message)
        self._release(w)
        return reply

    def _take(self, deadline: float, timeout: float) -> Worker:
        """An idle, live worker of the current version.

        One of an older version (left by a race with reopen) goes, and so does one that died while
        idle (killed from outside, or its forkserver was): an idle worker's pipe is readable only
        at its end."""
        while True:
            try:
                w = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy(f"All {self._size} query workers stayed busy for {timeout:g} s; try again shortly.")
            if w.path == self._path and not w.ready(0):
                return w
            self._retire(w)

    def _wait(self, w: Worker, deadline: float, internal: bool) -> bool:
        """True when the answer is there before the deadline; Busy if it would be one long query too many."""
        def remaining() -> float:
            return max(0.0, deadline - time.monotonic())
        if internal or w.ready(min(self._short_s, remaining())):
            return w.ready(remaining())
        with self._lock:
            full = self._long >= max(1, self._size - 1)
            self._long += 0 if full else 1
        if full:
            self._retire(w)
            raise Busy(f"This query ran past {self._short_s:g} s while {self._long} other long queries were "
                       "running; the last query worker is kept for short queries. Try again shortly.")
        try:
            return w.ready(remaining())
        finally:
            with self._lock:
                self._long -= 1

    @staticmethod
    def _death_message(w: Worker) -> str:
        w.process.join(1)
        if w.process.exitcode == -signal.SIGABRT:  # the engine aborts when an allocation fails
            return worker.memory_message() + " (The engine stopped the worker; out of memory or too deep nesting.)"
        return "The query worker stopped unexpectedly (out of memory?); try a narrower query."

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
