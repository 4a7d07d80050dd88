"""Application factory."""
from pathlib import Path

from flask import Flask

from .config import DEFAULTS
from .store import EmbeddedStore


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    dist = Path(app.config["DIST_DIR"])
    app.extensions["sco_store"] = EmbeddedStore(dist / "sco-kg.nq", app.config["LOAD_FILES"])

    from . import pages, sparql
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    return app
