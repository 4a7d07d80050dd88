"""Reading a request body: whole, and by a bounded number of request threads at once.

- Whole: a body shorter than its Content-Length (the client stopped sending, or was cut off) is
  refused with 400; it used to be run as it was, so a cut update could apply part of what was sent
  (found while fuzzing; tests/test_slow_clients.py).
- Bounded: granian hands the app a body stream that blocks the request thread until the bytes
  arrive, and has no body read timeout (its maintainers declined to add one), so a client that
  declares a Content-Length and sends less holds a thread for as long as it keeps the connection
  open; --threads such clients made the server answer nobody. At most BODY_READERS threads (serve
  sets --threads - 1) wait for bodies at once, so the remaining thread still answers GET queries,
  pages and dumps. Past that a request with a body gets 503 at once when every reader has been
  waiting for more than STALLED_S (their clients stalled: a thread refusing one after another costs
  microseconds each, so 50 stalled clients do not hold up a GET), and otherwise waits up to WAIT_S
  for a reader to finish (readers of normal bodies under load, which a 1 s wait refused). Nothing inside the
  app can end a stalled read (a read from another thread deadlocked granian), so a server facing
  the Internet belongs behind a proxy with a body timeout (docs/security.md).
"""
import threading
import time

from flask import Flask, Request, current_app

from ..errors import Busy, MalformedQuery

STALLED_S = 1.0  # a body still arriving after this long is stalled: a normal one is read in microseconds
WAIT_S = 10.0    # the longest a request waits for readers whose bodies are still arriving normally


class Readers:
    """At most `n` threads reading bodies at once, each known with the time it started reading."""

    def __init__(self, n: int):
        self._n, self._since, self._changed = n, {}, threading.Condition()

    def acquire(self) -> object | None:
        """A slot (release it), or None: every reader stalled, or none finished within WAIT_S."""
        deadline = time.monotonic() + WAIT_S
        with self._changed:
            while len(self._since) >= self._n:
                now = time.monotonic()
                all_stalled = max(self._since.values()) + STALLED_S  # when the newest reader counts as stalled
                if all_stalled <= now or deadline <= now:
                    return None
                self._changed.wait(min(deadline, all_stalled) - now)
            slot = object()
            self._since[slot] = time.monotonic()
            return slot

    def release(self, slot: object) -> None:
        with self._changed:
            del self._since[slot]
            self._changed.notify()


def init_app(app: Flask) -> None:
    app.extensions["sco_body_readers"] = Readers(int(app.config["BODY_READERS"]))


def whole_body(request: Request) -> bytes:
    """The request body (cached for the form parser), or MalformedQuery/Busy."""
    readers = current_app.extensions["sco_body_readers"]
    slot = readers.acquire()
    if slot is None:
        raise Busy("Every request thread that may read a request body is waiting for one that has not "
                   "arrived; try again shortly.")
    try:
        data = request.get_data()
    finally:
        readers.release(slot)
    declared = request.content_length
    if declared is not None and len(data) < declared:
        raise MalformedQuery(f"The request body ended after {len(data)} of the {declared} bytes its "
                             "Content-Length declares; nothing was run.")
    return data
