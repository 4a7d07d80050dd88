"""Application factory: configuration, the store (`app.extensions["sco_store"]`), blueprints, CORS."""
import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from .sparql import cors
from .config import DEFAULTS
from .store.make import make_store

log = logging.getLogger(__name__)


def _unexpected(e: Exception):
    """Last resort: log the trace here, never send it to the client."""
    if isinstance(e, HTTPException):
        return e
    log.exception("unexpected error")
    return Response("Internal error; it has been logged.\n", status=500, content_type="text/plain; charset=utf-8")


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder="web/static")
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.extensions["sco_store"] = make_store(app.config)

    from .web import compress, pages

    from .sparql import endpoint as sparql
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    cors.init_app(app, app.config["CORS_ORIGINS"])
    compress.init_app(app)
    app.register_error_handler(Exception, _unexpected)
    return app
