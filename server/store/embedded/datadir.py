"""The persistent store directory: committed versions and which one is current.

Layout of DATA_DIR:
    state.json   {"current": "v3", "fingerprint": "...", "release": {...}}
    v3/          an Oxigraph (RocksDB) store
    v3.nq        its N-Quads snapshot, from which in-memory query workers load
A version directory is never written after it is committed: an update copies the current one
(RocksDB checkpoint, cheap hard links), applies itself to the copy, and the copy becomes current
by an atomic replace of state.json. A crash or kill -9 at any point leaves either the old or the
new version current, never a mix; anything uncommitted is removed at the next start.
The fingerprint (release version + content of the --load files) decides when to rebuild.
Version numbers only grow: state.json records the last one handed out ("issued") before its
directory is written, so a version removed as an uncommitted leftover never gets its name back
(an orphaned writer of the old name can then only write into a directory nobody reads).
One server at a time holds `lock` (flock: the kernel drops it when the holder dies, however it
dies; the file says which process holds it, for the error message).
"""
import fcntl
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from ...errors import EndpointError
from .worker import fsync_tree, snapshot_of

_VERSION = re.compile(r"^v(\d+)$")


LAYOUT = 2  # bumped when a version directory's layout changes (2: with its N-Quads snapshot)


def fingerprint(release: dict, load_files: list[Path], withhold_texts: bool = False) -> str:
    h = hashlib.sha256(json.dumps([LAYOUT, release.get("version"), withhold_texts]).encode())
    for f in load_files:
        h.update(str(Path(f).resolve()).encode())
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


class DataDir:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def _state_file(self) -> Path:
        return self.root / "state.json"

    def state(self) -> dict:
        try:
            return json.loads(self._state_file.read_text())
        except (OSError, ValueError):
            return {}

    def current(self) -> Path | None:
        name = self.state().get("current")
        return self.root / name if name and (self.root / name).is_dir() else None

    def is_current(self, fp: str) -> bool:
        return self.current() is not None and self.state().get("fingerprint") == fp

    def lock(self):
        """Hold the data directory for this process (the returned file) or raise EndpointError."""
        fh = open(self.root / "lock", "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise EndpointError(f"another server (process {holder}) is using the data directory {self.root}; "
                                "stop it, or give this one another --data-dir", 503)
        fh.truncate(0)
        fh.write(str(os.getpid()))
        fh.flush()
        return fh

    def new_version(self) -> Path:
        """A version name never handed out before in this directory, recorded before it is used."""
        numbers = [int(m.group(1)) for p in self.root.iterdir() if (m := _VERSION.match(p.stem))]
        number = max(numbers + [self.state().get("issued", 0)], default=0) + 1
        self._write_state({**self.state(), "issued": number})
        return self.root / f"v{number}"

    def commit(self, version: Path, **fields) -> None:
        """Make `version` current: durable files first, then an atomic state replace."""
        fsync_tree(version)
        self._write_state({**self.state(), **fields, "current": version.name})

    def _write_state(self, state: dict) -> None:
        tmp = self._state_file.with_suffix(".tmp")
        with open(tmp, "w") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._state_file)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def discard(self, version: Path) -> None:
        shutil.rmtree(version, ignore_errors=True)
        snapshot_of(version).unlink(missing_ok=True)

    def collect(self, keep: set[Path]) -> None:
        """Remove versions no worker uses any more (and leftovers of interrupted updates)."""
        keep = {p.resolve() for p in keep} | ({self.current().resolve()} if self.current() else set())
        for p in self.root.iterdir():
            if _VERSION.match(p.stem) and p.with_suffix("").resolve() not in keep:
                self.discard(p.with_suffix(""))
