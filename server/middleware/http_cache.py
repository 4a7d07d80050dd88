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
Whole GET answers are also kept by their tag and given again without entering the app (`Revalidation`).
"""
import hashlib
import secrets

from flask import Flask

from .compress import accepts_gzip
from .result_cache import ResultCache

# Set on a request whose whole answer is kept here, so the store does not keep it a second time.
KEPT_WHOLE = "sco_kg.kept_whole"


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
    """WSGI middleware around the Flask app (`app.wsgi_app`).

    A 304 costs no routing, no query, no template. A 200 GET answer of known length is also kept
    whole by its tag (server.middleware.result_cache), and given again to the next request with that tag
    without entering Flask, unless the request has an Origin, Authorization or Range header: those
    go through the app (CORS headers differ by Origin), always. Routes with validators of their own
    (dumps) are not kept: their conditional requests are theirs to answer.
    """

    def __init__(self, wsgi_app, app: Flask):
        self._wsgi_app = wsgi_app
        self._app = app
        # New with every app: kept answers and tags belong to this app (its pages depend on its configuration,
        # templates and settings), even where two apps share one store and so one cache, and across restarts.
        self._instance = secrets.token_hex(8)
        # The store's cache when it has one: one budget for every kept answer.
        shared = app.extensions.get("sco_answers")
        self._responses = shared if shared is not None else ResultCache(int(app.config["RESULT_CACHE_MB"]) << 20)

    def _tag(self, environ: dict) -> tuple[str, str] | None:
        """(store version, entity tag), or None for an answer that is not cacheable."""
        path = environ.get("PATH_INFO", "")
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or path.startswith("/static/"):
            return None
        version = self._app.extensions["sco_store"].cache_version
        if version is None:
            return None
        key = "\n".join((self._instance, version, environ.get("HTTP_HOST", ""), path, environ.get("QUERY_STRING", ""),
                         environ.get("HTTP_ACCEPT", ""), "gzip" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) else ""))
        return version, '"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'

    def _cache_control(self) -> str:
        config = self._app.config
        return "no-cache" if config["UPDATE_TOKEN"] or config["OPEN_UPDATE"] else "max-age=60"

    def __call__(self, environ, start_response):
        tagged = self._tag(environ)
        if tagged is None:
            return self._wsgi_app(environ, start_response)
        version, tag = tagged
        if _matches(environ.get("HTTP_IF_NONE_MATCH", ""), tag):
            start_response("304 Not Modified", [("ETag", tag), ("Cache-Control", self._cache_control()),
                                                ("Vary", "Accept")])
            return []
        keep = not any(h in environ for h in ("HTTP_ORIGIN", "HTTP_AUTHORIZATION", "HTTP_RANGE"))
        key = environ["REQUEST_METHOD"], tag  # a HEAD answer has no body
        kept = self._responses.get(version, key) if keep else None
        if kept is not None:
            start_response(kept[0], list(kept[1]))
            return [kept[2]]
        if keep:
            environ[KEPT_WHOLE] = True
        answer = []

        def start(status, headers, exc_info=None):
            if status.startswith("200 "):
                headers = _with_validators(list(headers), tag, self._cache_control())
                if ("ETag", tag) in headers:  # not a route with validators of its own (a dump)
                    answer.extend((status, headers))
            return start_response(status, headers, exc_info)
        body = self._wsgi_app(environ, start)
        headers = answer[1] if answer else []
        length = next((int(v) for k, v in headers if k.lower() == "content-length"), None)
        if not keep or length is None or not self._responses.fits(length):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self._responses.put(version, key, (answer[0], tuple(answer[1]), data), len(data))
        return [data]


def init_app(app: Flask) -> None:
    app.wsgi_app = Revalidation(app.wsgi_app, app)
