"""Application factory: configuration, the store (`app.extensions["sco_store"]`), blueprints, CORS,
and one error answer for every route."""
import logging
from pathlib import Path

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from .config import DEFAULTS, PATH_SETTINGS
from .errors import EndpointError
from .middleware import cors, guard, http_cache
from .store.make import make_store

log = logging.getLogger(__name__)

# Headings of the error page a browser gets; other clients get the message as plain text.
_HEADINGS = {400: "Bad request", 403: "Refused", 404: "Not found", 406: "Not acceptable", 413: "Too large",
             503: "The graph store is unavailable", 504: "Too slow"}


def _prefers_html() -> bool:
    # text/plain first: */* or no Accept (curl, programs) gets plain text.
    return request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html"


def endpoint_error(e: EndpointError) -> Response:
    """The store's or the protocol's error, on any route: status, message, and headers such as Retry-After."""
    headers = {"Vary": "Accept", **e.headers}
    if request.blueprint != "sparql" and _prefers_html():
        page = render_template("error.html", title=_HEADINGS.get(e.status, "Error"),
                               heading=_HEADINGS.get(e.status, "Error"), message=e.message)
        return Response(page, status=e.status, headers=headers, content_type="text/html; charset=utf-8")
    return Response(e.message + "\n", status=e.status, headers=headers, content_type="text/plain; charset=utf-8")


def _vary_on_negotiated(resp: Response) -> Response:
    """A 406 depends on Accept as much as a 200 does (RFC 9110 §12.5.5)."""
    if resp.status_code == 406:
        resp.vary.add("Accept")
    return resp


def _unexpected(e: Exception):
    """Last resort: log the trace here, never send it to the client."""
    if isinstance(e, HTTPException):
        return e
    log.exception("unexpected error")
    return Response("Internal error; it has been logged.\n", status=500, content_type="text/plain; charset=utf-8")


def resolve_paths(config: dict) -> None:
    """Every configured path made absolute once, against the working directory the server starts in;
    Flask would otherwise resolve a relative one against the package (send_file of `dist/…`)."""
    for key in PATH_SETTINGS:
        value = config.get(key)
        if isinstance(value, list):
            config[key] = [str(Path(v).resolve()) for v in value]
        elif value is not None:
            config[key] = Path(value).resolve() if isinstance(value, Path) else str(Path(value).resolve())


def create_app(config: dict | None = None, store=None) -> Flask:
    """The app; `store` (a GraphStore) replaces the one `make_store` would make (tests share one)."""
    app = Flask(__name__, static_folder="web/static")
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    resolve_paths(app.config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.extensions["sco_store"] = store or make_store(app.config)
    app.extensions["sco_answers"] = getattr(app.extensions["sco_store"], "answers", None)

    from .middleware import bodies, compress
    from .sparql import endpoint as sparql
    from .web import changes_page, pages, reconcile
    bodies.init_app(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(changes_page.bp)
    cors.init_app(app, app.config["CORS_ORIGINS"])
    guard.init_app(app)
    app.register_error_handler(EndpointError, endpoint_error)
    compress.init_app(app)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_vary_on_negotiated)
    http_cache.init_app(app)
    return app
