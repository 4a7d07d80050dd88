"""HTTP validators on every GET answer that depends only on the data (RFC 9110 §8.8.3, §13.1.2; RFC 9111 §5.2).

The entity tag names what decides an answer: the store version (`GraphStore.cache_version`), this
server process (its templates and settings), the request's Host, path with query string and Accept.
It is computed before the answer is made, so it never names newer data than the body carries; a
request whose If-None-Match holds it is answered 304 without running any query (nor any of the
app's checks: the tag is unguessable, salted per process, so only a client that was given the
answer, by the same Host, can hold it). Query results,
pages, dumps, linked-data documents, VoID and /health are covered; POST never is; static files
keep Flask's own validators. `Cache-Control`: `no-cache` when updates are accepted (use the copy
after revalidating: it stays valid until the next committed update, which only we can tell), else
`max-age=60` (the data change only when the server restarts on a new release).
"""
import hashlib
import secrets

from flask import Flask

# Changes with every start: a new process may render the same data differently (new templates, settings).
_PROCESS = secrets.token_hex(8)


def _matches(header: str, tag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored; `*` matches."""
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return tag in candidates or "*" in candidates


def _with_validators(headers: list, tag: str, cache_control: str) -> list:
    names = {k.lower(): i for i, (k, _) in enumerate(headers)}
    if "cache-control" not in names:
        headers.append(("Cache-Control", cache_control))
    if "etag" in names:  # the route has its own (a dump: its file's digest)
        return headers
    headers.append(("ETag", tag))
    if "vary" not in names:
        headers.append(("Vary", "Accept"))
    elif "accept" not in headers[names["vary"]][1].lower():
        headers[names["vary"]] = ("Vary", headers[names["vary"]][1] + ", Accept")
    return headers


class Revalidation:
    """WSGI middleware around the Flask app (`app.wsgi_app`): a 304 costs no routing, no query, no template."""

    def __init__(self, wsgi_app, app: Flask):
        self._wsgi_app = wsgi_app
        self._app = app

    def _tag(self, environ: dict) -> str | None:
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or path.startswith("/static/"):
            return None
        version = self._app.extensions["sco_store"].cache_version
        if version is None:
            return None
        key = "\n".join((_PROCESS, version, environ.get("HTTP_HOST", ""), path, environ.get("QUERY_STRING", ""),
                         environ.get("HTTP_ACCEPT", "")))
        return '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'

    def _cache_control(self) -> str:
        config = self._app.config
        return "no-cache" if config["UPDATE_TOKEN"] or config["OPEN_UPDATE"] else "max-age=60"

    def __call__(self, environ, start_response):
        tag = self._tag(environ)
        if tag is None:
            return self._wsgi_app(environ, start_response)
        if _matches(environ.get("HTTP_IF_NONE_MATCH", ""), tag):
            start_response("304 Not Modified", [("ETag", tag), ("Cache-Control", self._cache_control()),
                                                ("Vary", "Accept")])
            return []

        def start(status, headers, exc_info=None):
            if status.startswith("200 "):
                headers = _with_validators(list(headers), tag, self._cache_control())
            return start_response(status, headers, exc_info)
        return self._wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    app.wsgi_app = Revalidation(app.wsgi_app, app)
