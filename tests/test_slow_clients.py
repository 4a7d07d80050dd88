"""Clients that stop sending their request body (found while fuzzing; server.middleware.bodies).

Before: --threads connections that declared a Content-Length and sent less made the server answer
nobody, for as long as they stayed open; and a body cut short (the client half-closed early) was
run as it was, so a cut update was applied.
"""
import socket
import time
import urllib.parse

import pytest

from http_helpers import http_request

TOKEN = "slow-client-t0ken"
THREADS = 4


@pytest.fixture(scope="module")
def server(start_server):
    return start_server("--update-token", TOKEN, "--workers", "2", "--threads", str(THREADS))


def _stalled(server, path="/sparql") -> socket.socket:
    """A POST that declares 100 bytes of body and sends 6."""
    s = socket.create_connection(("127.0.0.1", server.port))
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
              "Content-Length: 100\r\n\r\nASK {}".encode())
    return s


def _cut(server, content_type: str, body: bytes, missing: int) -> tuple[int, bytes]:
    """Send `body` under a Content-Length `missing` bytes longer, then half-close: the rest never comes."""
    s = socket.create_connection(("127.0.0.1", server.port))
    try:
        s.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
                  f"Authorization: Bearer {TOKEN}\r\nContent-Length: {len(body) + missing}\r\n\r\n".encode() + body)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(30)
        head, _, rest = s.recv(65536).partition(b"\r\n\r\n")
        return int(head.split()[1]), rest
    finally:
        s.close()


def _get(server, query: str) -> tuple:
    r = http_request(server.sparql, params={"query": query}, timeout=10)
    return r.status, r.text, r.headers


def _post(server, query: str) -> tuple:
    r = http_request(server.sparql, "POST", {"Content-Type": "application/x-www-form-urlencoded"},
                     urllib.parse.urlencode({"query": query}).encode(), timeout=10)
    return r.status, r.text, r.headers


def _asks(server, graph: str) -> bool:
    return "true" in _get(server, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[1]


def test_stalled_bodies_leave_a_thread_for_other_requests(server) -> None:
    held = [_stalled(server) for _ in range(THREADS + 2)]
    try:
        time.sleep(0.5)
        started = time.monotonic()
        status, body, _ = _get(server, "ASK { ?s ?p ?o }")
        assert status == 200 and "true" in body and time.monotonic() - started < 3
        started = time.monotonic()
        status, body, headers = _post(server, "ASK { ?s ?p ?o }")
        assert status == 503 and "request body" in body and headers.get("Retry-After")
        assert time.monotonic() - started < 3
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 10  # the held threads end when their clients go
    while _post(server, "ASK { ?s ?p ?o }")[0] != 200:
        assert time.monotonic() < deadline, "POST bodies still refused after the stalled clients left"
        time.sleep(0.2)


def test_fifty_stalled_bodies_do_not_hold_up_a_get(server) -> None:
    """Stalled clients beyond the reader threads are refused one after another in microseconds, so the
    thread left for other requests reaches a GET at once (with a 1 s wait each, 47 of them held it ~47 s).
    The bound is 30 s, a margin for a loaded machine."""
    held = [_stalled(server) for _ in range(50)]
    try:
        time.sleep(0.5)
        started = time.monotonic()
        r = http_request(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert r.status == 200 and "true" in r.text and time.monotonic() - started < 30
    finally:
        for s in held:
            s.close()


@pytest.mark.parametrize("content_type,body", [
    ("application/sparql-update", b"INSERT DATA { GRAPH <urn:cut:direct> { <urn:a> <urn:b> <urn:c> } }"),
    ("application/x-www-form-urlencoded",
     urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:cut:form> { <urn:a> <urn:b> <urn:c> } }"}).encode()),
])
def test_a_cut_update_is_not_applied(server, content_type, body) -> None:
    graph = "urn:cut:direct" if "sparql-update" in content_type else "urn:cut:form"
    status, answer = _cut(server, content_type, body, missing=40)
    assert status == 400 and b"Content-Length" in answer and b"nothing was run" in answer
    assert not _asks(server, graph)
    whole = http_request(server.sparql, "POST", {"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"},
                         body)  # the same body, whole: applied
    assert whole.status == 200 and _asks(server, graph)
