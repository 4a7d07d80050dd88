"""Shared fixtures: a release built once per session, and real `sco-kg serve` processes on 127.0.0.1.

Two layers, a pyramid. The in-process layer (`app`, `client`, as in the Flask tutorial's
tests/conftest.py, and support_pages' `site` with http_helpers.app_request) runs
`create_app(config, store=...)` under Flask's test client: no process, no socket. Behaviour that is
the same whatever the engine (pages, negotiation, 404s, search, dumps) is tested there, once:
the tests/test_*_app.py files. The real-server layer starts `sco-kg serve` as a user does, for real
clients, processes and limits, and for what an engine can change, on a `backend`:

- `backend` is parametrised over "embedded", "oxigraph" and "virtuoso": every test that uses it,
  directly or through `sco_server`/`pages_server`/`w3c_server`, runs once per backend. Each engine
  is started once per session (tests/oxigraph_engine.py, tests/virtuoso_engine.py) and gets the
  release by `sco-kg publish`'s code; extra test graphs go into the same engine, and a server sees
  them only when its --dist lists them (the remote store serves exactly the release's graphs).
- `@pytest.mark.embedded_only`: the test is about the embedded store itself (its worker processes,
  its update path); `@pytest.mark.remote_only`: about the server in front of an engine; there,
  tests/test_remote_backend.py and tests/test_backend_pages.py compare each engine's answers, pages
  and search with the embedded server's.

The W3C SPARQL 1.1 test files the suites run are vendored in tests/w3c/ (with their licence).
"""
import json
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from engines import free_port
from http_helpers import http_request, wait_until_answering

ROOT = Path(__file__).resolve().parents[1]
W3C = Path(__file__).resolve().parent / "w3c" / "sparql11"


def sco_kg() -> list[str]:
    script = Path(sys.executable).with_name("sco-kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


@dataclass
class ScoServer:
    """A running `sco-kg serve` (the real CLI, granian, worker processes)."""
    process: subprocess.Popen
    port: int
    log: Path
    argv: list

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill9(self) -> None:
        self.process.kill()
        self.process.wait()


def launch(dist: Path, data_dir: Path, *args: str, port: int | None = None, timeout: float = 120) -> ScoServer:
    port = port or free_port()
    # --no-build: the session's release is served as built, even if curated files change meanwhile.
    argv = [*sco_kg(), "serve", "--no-build", "--port", str(port), "--dist", str(dist),
            "--data-dir", str(data_dir), *args]
    log = data_dir.parent / f"{data_dir.name}-{port}.log"
    with open(log, "ab") as fh:
        process = subprocess.Popen(argv, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
    server = ScoServer(process, port, log, argv)
    problem = wait_until_answering(server.base + "/health", process, timeout)
    if problem:
        server.stop()
        raise RuntimeError(f"sco-kg serve {problem}:\n{log.read_text()}")
    return server


@pytest.fixture(scope="session")
def app_config(release, tmp_path_factory) -> dict:
    return {"DIST_DIR": release, "DATA_DIR": tmp_path_factory.mktemp("app") / "store", "WORKERS": 1,
            "TESTING": True}


@pytest.fixture(scope="session")
def app_store(app_config):
    """One embedded store (one worker process) for every in-process app of the session."""
    from server.config import DEFAULTS
    from server.store.embedded.store import EmbeddedStore
    store = EmbeddedStore({**DEFAULTS, **app_config})
    yield store
    store.close()


@pytest.fixture()
def app(app_config, app_store):
    """A fresh app per test (as in the Flask tutorial), on the session's store."""
    from server.app import create_app
    return create_app(app_config, store=app_store)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def w3c_dir() -> Path:
    if not (W3C / "protocol" / "manifest.ttl").exists():
        pytest.fail(f"W3C SPARQL 1.1 test files not found at {W3C}")
    return W3C


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """The real release, built once per session without the reasoner (the build's tests cover it)."""
    from graph.build import build
    dist = tmp_path_factory.mktemp("release") / "dist"
    build(dist, reasoner=False)
    return dist


@pytest.fixture(scope="session")
def start_server(release, tmp_path_factory):
    """Factory: start a server on the session release; every server is stopped at the end."""
    started = []

    def start(*args: str, data_dir: Path | None = None, port: int | None = None, dist: Path | None = None) -> ScoServer:
        server = launch(dist or release, data_dir or tmp_path_factory.mktemp("store") / "data", *args, port=port)
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def start_conformance_server(start_server, tmp_path_factory):
    """Factory: an embedded server for the W3C suites' updates, serving only the `load` files.

    Not the release: its ontology and sources graphs are read-only through Update, and the update
    gate (shapes/update-gate.ttl) requires the release's content, so a suite's CLEAR ALL or DROP
    ALL would be refused. Here the release is empty (written by the build's own code), the shapes
    file is empty, and --open-update accepts updates without a token (loopback only).
    """
    from graph.release import write_files
    from rdflib import Graph
    folder = tmp_path_factory.mktemp("conformance")
    dist = folder / "empty-release"
    dist.mkdir()
    write_files(dist, Graph(), Graph(), Graph())
    shapes = folder / "no-shapes.ttl"
    shapes.write_text("")

    def start(*options: str, load=()) -> ScoServer:
        files = [a for f in load for a in ("--load", str(f))]
        return start_server("--open-update", "--shapes", str(shapes), *files, *options, dist=dist)
    return start


# The read-only endpoint most tests use: 2 workers, small limits, one CORS origin, and a deadline no
# answer comes near even on a loaded machine (a test's verdict never depends on the load; the tests of
# the deadline itself start servers with a short one and queries that would run for hours).
SCO_SERVER_OPTIONS = ("--workers", "2", "--timeout", "120", "--max-rows", "10000", "--max-result-bytes", "6000000",
                      "--max-query-length", "20000", "--max-body-bytes", "50000",
                      "--cors-origin", "https://allowed.example")


BACKENDS = ("embedded", "oxigraph", "virtuoso")
REMOTE = BACKENDS[1:]


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("embedded_only"):
            names = ("embedded",)
        elif metafunc.definition.get_closest_marker("remote_only"):
            names = REMOTE
        else:
            names = BACKENDS
        metafunc.parametrize("backend", names, indirect=True, scope="session")


@dataclass
class Backend:
    """Where a test server gets its answers: the embedded store, or an engine holding the release."""
    name: str
    release: Path
    start_server: object
    folder: Path
    engine: object = None  # OxigraphServer / VirtuosoServer
    servers: dict = field(default_factory=dict)  # (options, files) -> ScoServer, shared per session

    def serve(self, *options: str, load=()) -> ScoServer:
        """A server with `options` that also serves the graphs of the RDF files in `load`."""
        key = (self.name, options, tuple(map(str, load)))
        if key not in self.servers:
            if self.engine is None:
                files = [a for f in load for a in ("--load", str(f))]
                self.servers[key] = self.start_server(*options, *files)
            else:
                self.servers[key] = self.start_server(*options, "--backend", self.engine.query_url,
                                                      dist=self._dist_with(load))
        return self.servers[key]

    def _dist_with(self, load) -> Path:
        """The release plus `load`'s graphs, published into the engine and listed in release.json."""
        if not load:
            return self.release
        from server.store.remote.engine_client import Endpoints
        from server.publish import publish
        dist = Path(self.folder) / f"dist-{len(self.servers)}"
        dist.mkdir()
        quads = [q for f in load for q in ox.parse(path=str(f))]
        (dist / "extra.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        counts = publish(Endpoints(self.engine.query_url, self.engine.update_url, self.engine.store_url),
                         dist / "extra.nq", 120)
        for f in self.release.iterdir():
            if f.name != "release.json":
                (dist / f.name).symlink_to(f)
        meta = json.loads((self.release / "release.json").read_text())
        meta["graphs"] = {**meta["graphs"], **counts}
        (dist / "release.json").write_text(json.dumps(meta))
        return dist


@pytest.fixture(scope="session")
def engines(release, tmp_path_factory):
    """Factory: the session's engine of a kind, started on first use with the release published."""
    from oxigraph_engine import start_oxigraph
    from server.store.remote.engine_client import Endpoints
    from server.publish import publish
    from virtuoso_engine import start_virtuoso
    started = {}

    def get(name: str):
        if name not in started:
            start = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[name]
            started[name] = start(tmp_path_factory.mktemp(name) / "engine")
            publish(Endpoints(started[name].query_url, started[name].update_url, started[name].store_url),
                    release / "sco-kg.nq", 120)
        return started[name]
    yield get
    for engine in started.values():
        engine.stop()


_SERVERS: dict = {}


@pytest.fixture(scope="session")
def backend(request, release, start_server, engines, tmp_path_factory) -> Backend:
    name = getattr(request, "param", "embedded")
    engine = None if name == "embedded" else engines(name)
    return Backend(name, release, start_server, tmp_path_factory.mktemp(f"backend-{name}"), engine, _SERVERS)


@pytest.fixture(scope="session")
def sco_server(backend) -> ScoServer:
    return backend.serve(*SCO_SERVER_OPTIONS)


@pytest.fixture(scope="session")
def embedded_server(release, start_server, tmp_path_factory) -> ScoServer:
    """The embedded `sco_server`, for tests that compare a remote backend's answers with it."""
    return Backend("embedded", release, start_server, tmp_path_factory.mktemp("embedded"), None,
                   _SERVERS).serve(*SCO_SERVER_OPTIONS)


class ThroughServer:
    """What the competency tests ask of a pyoxigraph Store, answered over HTTP by a server."""

    def __init__(self, server: ScoServer):
        self.server = server

    def query(self, sparql: str, use_default_graph_as_union: bool = True):
        assert use_default_graph_as_union  # the server's default dataset is the union
        status, _, body = http_request(self.server.sparql, "POST", accept="application/sparql-results+json",
                                       form={"query": sparql})
        assert status == 200, body[:500]
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


@pytest.fixture(scope="session")
def curl() -> str:
    found = shutil.which("curl")
    if not found:
        pytest.fail("curl is needed by the real-client tests (apt-get install curl)")
    return found
