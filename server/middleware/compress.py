"""gzip for responses when the client accepts it (RFC 9110 §8.4, §12.5.3).

Only buffered text answers of some size are compressed (pages, RDF, JSON, results); files sent
from disk (dumps, static) and streamed answers pass as they are. A strong ETag becomes weak, since
the bytes differ from the identity encoding's (RFC 9110 §8.8.3). `Vary: Accept-Encoding` is added.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, request
from werkzeug.http import parse_accept_header

MIN_BYTES = 1024
TYPES = ("text/", "application/json", "application/ld+json", "application/sparql-results", "application/n-",
         "application/rdf+xml", "application/trig", "image/svg+xml", "application/javascript")


def compress(resp: Response) -> Response:
    if (resp.direct_passthrough or resp.is_streamed or "Content-Encoding" in resp.headers
            or not resp.mimetype or not resp.mimetype.startswith(TYPES) or resp.status_code < 200
            or resp.status_code in (204, 304)):
        return resp
    resp.vary.add("Accept-Encoding")
    if not accepts_gzip(request.headers.get("Accept-Encoding", "")):
        return resp
    data = resp.get_data()
    if len(data) < MIN_BYTES:
        return resp
    resp.set_data(gzip.compress(data, compresslevel=6))
    resp.headers["Content-Encoding"] = "gzip"
    etag, weak = resp.get_etag()
    if etag and not weak:
        resp.set_etag(etag, weak=True)
    return resp


def accepts_gzip(accept_encoding: str) -> bool:
    """Werkzeug's parsing: names case-insensitive, a malformed q-value drops its item (RFC 9110 §12.5.3).
    The one reading of Accept-Encoding: the response cache keys on it too."""
    return parse_accept_header(accept_encoding)["gzip"] > 0


def init_app(app: Flask) -> None:
    app.after_request(compress)
