"""The tests' one HTTP client: a request to a real server, answered as (status, headers, body), errors included.

http.client rather than urllib: it sends exactly the method, path and headers given (a test of the
Host guard sets its own Host), a 4xx/5xx is a reply to assert on rather than an exception, and a
redirect is returned, not followed (the server sends none; a test would see one if it did).
"""
import http.client
import urllib.parse
from typing import NamedTuple


class Reply(NamedTuple):
    status: int
    headers: http.client.HTTPMessage  # case-insensitive, as on the wire
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http_request(url: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None, *,
                 accept: str | None = None, params: dict | list | None = None, timeout: float = 60) -> Reply:
    """One request to `url` (http://host:port/path?query). `accept` is the Accept header (the one most
    tests vary; None sends none), `params` are added to the query string."""
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme == "http", url  # the tests talk to servers they started, on 127.0.0.1
    query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params or {}, doseq=True)) if q)
    sent = {**({"Accept": accept} if accept is not None else {}), **(headers or {})}
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request(method, (parts.path or "/") + ("?" + query if query else ""), body=body, headers=sent)
        r = conn.getresponse()
        return Reply(r.status, r.headers, r.read())
    finally:
        conn.close()
