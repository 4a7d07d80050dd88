"""Reading a request body: whole, and by a bounded number of request threads at once.

- Whole: a body shorter than its Content-Length (the client stopped sending, or was cut off) is
  refused with 400; it used to be run as it was, so a cut update could apply part of what was sent
  (found while fuzzing; tests/test_slow_clients.py).
- Bounded: granian hands the app a body stream that blocks the request thread until the bytes
  arrive, and has no body read timeout (its maintainers declined to add one), so a client that
  declares a Content-Length and sends less holds a thread for as long as it keeps the connection
  open; --threads such clients made the server answer nobody. At most BODY_READERS threads (serve
  sets --threads - 1) wait for bodies at once; past that a request with a body gets 503 after a
  second, and the remaining thread still answers GET queries, pages and dumps. Nothing inside the
  app can end a stalled read (a read from another thread deadlocked granian), so a server facing
  the Internet belongs behind a proxy with a body timeout (docs/security.md).
"""
import threading

from flask import Flask, Request, current_app

from ..errors import Busy, MalformedQuery

WAIT_S = 1.0  # for a slot: a normal body is read in microseconds, so slots free up at once


def init_app(app: Flask) -> None:
    app.extensions["sco_body_readers"] = threading.BoundedSemaphore(int(app.config["BODY_READERS"]))


def whole_body(request: Request) -> bytes:
    """The request body (cached for the form parser), or MalformedQuery/Busy."""
    readers = current_app.extensions["sco_body_readers"]
    if not readers.acquire(timeout=WAIT_S):
        raise Busy("Every request thread that may read a request body is waiting for one that has not "
                   "arrived; try again shortly.")
    try:
        data = request.get_data()
    finally:
        readers.release()
    declared = request.content_length
    if declared is not None and len(data) < declared:
        raise MalformedQuery(f"The request body ended after {len(data)} of the {declared} bytes its "
                             "Content-Length declares; nothing was run.")
    return data
