"""Default settings of the server; `create_app(config)` overrides any of them (`sco-kg serve` options)."""
import os
from pathlib import Path


# Host names a server always answers to (server.middleware.guard refuses others: DNS rebinding).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

DEFAULTS = {
    # Release folder written by `sco-kg build` (dataset as N-Quads + release.json).
    "DIST_DIR": Path("dist"),
    # Persistent Oxigraph store (one directory per committed version); rebuilt when the release changes.
    "DATA_DIR": Path("var/store"),
    # Extra RDF files to serve (`--load`).
    "LOAD_FILES": [],
    # Deadline of one query, in seconds; past it the worker process running it is killed.
    "QUERY_TIMEOUT_S": 5.0,
    # Deadline of one update (copy, apply, SHACL validation).
    "UPDATE_TIMEOUT_S": 120.0,
    # Query worker processes (queries running at the same time).
    "WORKERS": max(2, os.cpu_count() or 2),
    # Address space a query worker may use beyond its copy of the graph (RLIMIT_AS); 0 = no limit.
    "WORKER_MEMORY_MB": 1024,
    # A query running longer is "long"; at most WORKERS - 1 long queries run at once (pool fairness).
    "SHORT_QUERY_S": 0.5,
    # Memory for answers of the current store version kept to answer repeated queries.
    "RESULT_CACHE_MB": 64,
    # "memory": each worker holds a copy of the graph (fast); "disk": read-only RocksDB (less memory).
    "WORKER_STORE": "memory",
    "MAX_QUERY_LENGTH": 100_000,
    "MAX_BODY_BYTES": 1_000_000,
    # Request threads that may wait for a request body at once (server.middleware.bodies); `sco-kg serve`
    # sets its --threads - 1, so one thread is always left for requests without a body.
    "BODY_READERS": 3,
    "MAX_RESULT_ROWS": 100_000,
    # Size of one answer; a query producing more is stopped while its result is being written.
    "MAX_RESULT_BYTES": 200_000_000,
    # SPARQL Update: off unless a token is set (or OPEN_UPDATE, loopback only).
    "UPDATE_TOKEN": None,
    "OPEN_UPDATE": False,
    # Shapes that gate updates: None = the project's shapes (shapes.validate); else a Turtle file.
    "SHAPES_FILE": None,
    # Host names answered (DNS rebinding guard, server.middleware.guard); `sco-kg serve` adds --host and --public-host.
    "ALLOWED_HOSTS": list(LOOPBACK_NAMES),
    # Browser origins allowed to call the endpoint (CORS); "*" allows any, without credentials.
    "CORS_ORIGINS": [],
    # SERVICE / LOAD targets an operator allows; everything else is refused before execution.
    "SERVICE_ALLOW_LIST": [],
    "WITHHOLD_SOURCE_TEXT": False,
    # Query endpoint of an external SPARQL engine to serve from instead of the embedded store.
    "BACKEND_URL": None,
}

# Settings that name files or folders: made absolute against the working directory at start-up.
PATH_SETTINGS = ("DIST_DIR", "DATA_DIR", "LOAD_FILES", "SHAPES_FILE")
