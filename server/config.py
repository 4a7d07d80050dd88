"""Default settings of the server; `create_app(config)` overrides any of them."""
from pathlib import Path

DEFAULTS = {
    # Release folder written by `sco-kg build` (dataset as N-Quads + release.json).
    "DIST_DIR": Path("dist"),
    # Persistent Oxigraph store; rebuilt when the release changes. None = in memory.
    "DATA_DIR": Path("var/store"),
    # Extra RDF files to serve (`--load`).
    "LOAD_FILES": [],
    # Canonical IRI base of everything the graph mints.
    "BASE_IRI": "https://w3id.org/sco-kg/",
    "QUERY_TIMEOUT_S": 5.0,
    "MAX_QUERY_LENGTH": 100_000,
    "MAX_BODY_BYTES": 1_000_000,
    "MAX_RESULT_ROWS": 100_000,
    "UPDATE_TOKEN": None,
    "OPEN_UPDATE": False,
    "CORS_ORIGINS": [],
    "SERVICE_ALLOW_LIST": [],
    "WITHHOLD_SOURCE_TEXT": False,
    "BACKEND_URL": None,
}
