"""What the test engines (tests/oxigraph_engine.py, tests/virtuoso_engine.py) share: a process on a
loopback port, started the way its manual says, waited for until its query endpoint answers, stopped.

A subclass names its endpoints (`query_url`, `update_url`, `store_url`) and its command line
(`command`); it may prepare its folder first (`prepare`) and finish the setup once the engine
answers (`ready`).
"""
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from http_helpers import wait_until_answering


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Engine:
    folder: Path
    port: int  # its HTTP port, on 127.0.0.1
    process: subprocess.Popen | None = None

    name = "engine"
    start_timeout_s = 20.0
    stop_timeout_s = 10.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def ports(self) -> list[int]:
        """The TCP ports it listens on."""
        return [self.port]

    def confined(self) -> list[str]:
        """Its command as docs/engines.md runs it: able to listen on its ports, not to call out."""
        ports = [a for p in self.ports for a in ("--port", str(p))]
        return [sys.executable, "-m", "server.store.confined_engine", *ports, "--", *self.command()]

    def prepare(self) -> None:
        """Before the start: write what the engine reads at start-up."""

    def ready(self) -> None:
        """Once it answers: the setup that needs a running engine."""

    def log(self) -> str:
        """What the engine said, for the error when it does not start."""
        return ""

    @property
    def output(self) -> Path:
        """Its stdout and stderr: a file beside its folder, not a pipe nobody reads (a full pipe blocks it)."""
        return self.folder.parent / f"{self.folder.name}.out"

    def start(self, confined: bool = True) -> "Engine":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prepare()
        with open(self.output, "ab") as out:
            self.process = subprocess.Popen(self.confined() if confined else self.command(), cwd=self.folder,
                                            stdout=out, stderr=subprocess.STDOUT)
        problem = wait_until_answering(self.query_url + "?query=ASK%7B%7D", self.process, self.start_timeout_s)
        if problem:
            self.stop()
            raise RuntimeError(f"{self.name} on port {self.port} {problem}: {self._said()}")
        try:
            self.ready()
        except BaseException:  # a half-set-up engine is not left running
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(self.stop_timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _said(self) -> str:
        said = self.output.read_text(errors="replace")[-2000:] if self.output.exists() else ""
        return (said + self.log()).strip() or "(nothing)"
