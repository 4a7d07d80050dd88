"""Shared fixtures: a release built once per session, and real `sco-kg serve` processes on 127.0.0.1.

The W3C SPARQL 1.1 suites are read in place from SCO_KG_W3C (default ../shared/w3c/sparql11
relative to the project root); they are never copied into the repository.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
W3C = Path(os.environ.get("SCO_KG_W3C", ROOT.parent / "shared" / "w3c" / "sparql11")).resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sco_kg() -> list[str]:
    script = Path(sys.executable).with_name("sco-kg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "graph.cli"]


@dataclass
class ScoServer:
    """A running `sco-kg serve` (the real CLI, waitress, worker processes)."""
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
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sco-kg serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.base + "/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"sco-kg serve did not come up:\n{log.read_text()}")


@pytest.fixture(scope="session")
def w3c_dir() -> Path:
    if not (W3C / "protocol" / "manifest.ttl").exists():
        pytest.fail(f"W3C SPARQL 1.1 suites not found at {W3C}; set SCO_KG_W3C")
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

    def start(*args: str, data_dir: Path | None = None, port: int | None = None) -> ScoServer:
        server = launch(release, data_dir or tmp_path_factory.mktemp("store") / "data", *args, port=port)
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()


# The read-only endpoint most tests use: 2 workers, a 2 s deadline, small limits, one CORS origin.
SCO_SERVER_OPTIONS = ("--workers", "2", "--timeout", "2", "--max-rows", "5000", "--max-result-bytes", "3000000",
                      "--max-query-length", "20000", "--max-body-bytes", "50000",
                      "--cors-origin", "https://allowed.example")


@pytest.fixture(scope="session")
def sco_server(start_server) -> ScoServer:
    return start_server(*SCO_SERVER_OPTIONS)


@pytest.fixture(scope="session")
def curl() -> str:
    found = shutil.which("curl")
    if not found:
        pytest.fail("curl is needed by the real-client tests (apt-get install curl)")
    return found
