"""The tests' one HTTP client: a request to a real server (or to the app in process, `app_request`),
answered as (status, headers, body), errors included.

http.client rather than urllib: it sends exactly the method, path and headers given (a test of the
Host guard sets its own Host), a 4xx/5xx is a reply to assert on rather than an exception, and a
redirect is returned, not followed (the server sends none; a test would see one if it did).
"""
import http.client
import json
import subprocess
import time
import urllib.parse
from typing import NamedTuple

FORM = "application/x-www-form-urlencoded"


class Reply(NamedTuple):
    status: int
    headers: http.client.HTTPMessage  # case-insensitive, as on the wire
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http_request(url: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None, *,
                 accept: str | None = None, params: dict | list | None = None, form: dict | list | None = None,
                 timeout: float = 60) -> Reply:
    """One request to `url` (http://host:port/path?query). `accept` is the Accept header (the one most
    tests vary; None sends none), `params` are added to the query string, `form` is sent as the body
    of an HTML form (urlencoded, with its Content-Type) instead of `body`."""
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme == "http", url  # the tests talk to servers they started, on 127.0.0.1
    target, sent, body = _message(parts, headers, body, accept, params, form)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request(method, target, body=body, headers=sent)
        r = conn.getresponse()
        return Reply(r.status, r.headers, r.read())
    finally:
        conn.close()


def app_request(client, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None, *,
                accept: str | None = None, params: dict | list | None = None, form: dict | list | None = None) -> Reply:
    """The same request as `http_request`, to an app in this process (`client`: Flask's test client
    of `create_app(config, store=...)`), answered the same way; `path` may carry a query string."""
    target, sent, body = _message(urllib.parse.urlsplit(path), headers, body, accept, params, form)
    with client.open(target, method=method, headers=sent, data=body) as r:  # closes a sent file's handle
        return Reply(r.status_code, r.headers, r.get_data())


def _message(parts, headers, body, accept, params, form) -> tuple[str, dict, bytes | None]:
    """Request target, headers and body of a request (see http_request)."""
    query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params or {}, doseq=True)) if q)
    sent = {**({"Accept": accept} if accept is not None else {}), **({"Content-Type": FORM} if form is not None else {}),
            **(headers or {})}
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
    return (parts.path or "/") + ("?" + query if query else ""), sent, body


def health(server) -> dict:
    """The /health document of a running server (a ScoServer), which must answer 200."""
    r = http_request(server.base + "/health", timeout=30)
    assert r.status == 200, (r.status, r.text)
    return json.loads(r.body)


def ask(server, query: str) -> bool:
    """The answer of an ASK query on a running server's /sparql, which must answer 200."""
    status, _, body = http_request(server.sparql, accept="application/sparql-results+json", params={"query": query})
    assert status == 200, body
    return json.loads(body)["boolean"]


def wait_until_answering(url: str, process: subprocess.Popen, timeout_s: float) -> str | None:
    """Ask `url` until it answers 200 while `process` runs (a server or engine starting): None once it
    does, else what went wrong, for the caller's error message."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited ({process.returncode})"
        try:
            if http_request(url, timeout=2).status == 200:
                return None
        except OSError:  # not listening yet
            pass
        time.sleep(0.1)
    return f"did not answer within {timeout_s:g} s"
