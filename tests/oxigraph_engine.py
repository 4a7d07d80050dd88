"""A real `oxigraph serve` for tests and benchmarks: own data folder, loopback only.

The `oxigraph` package on PyPI (a test dependency) ships the server binary next to the
Python interpreter of the environment it is installed in.
"""
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from engines import Engine, free_port


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server binary is missing: pip install oxigraph")
    return found


@dataclass
class OxigraphServer(Engine):
    name = "oxigraph serve"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def command(self) -> list[str]:
        return [oxigraph_binary(), "serve", "--location", str(self.folder), "--bind", f"127.0.0.1:{self.port}"]


def start_oxigraph(location: Path, port: int | None = None) -> OxigraphServer:
    return OxigraphServer(Path(location), port or free_port()).start()
