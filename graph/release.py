"""Write a release folder atomically, and tell whether an existing one is current.

A release is written into a fresh sibling folder and swapped in by two renames, so a failed
build never leaves a half-written release where the previous one was.
"""
import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from . import DATA_DIR, GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SOURCES, PACKAGE_DIR

RELEASE_JSON = "release.json"
FILES = {
    "nquads": "sco-kg.nq",
    "trig": "sco-kg.trig",
    "turtle": "sco-kg.ttl",
    "owl": "sco-kg.owl",
    "ontology": "sco-kg-ontology.ttl",
}


def inputs_digest(graph_dir: Path = DATA_DIR) -> str:
    """A hash of every file the build reads: a release built from the same inputs is current.

    The curated files are those of `graph_dir`, the tree the release was built from, so a release
    built from another tree never passes for one of the shipped tree.
    """
    from ontology import ONTOLOGY_DIR
    from shapes import SHAPES_FILE
    graph_dir = Path(graph_dir).resolve()
    curated = [p for p in graph_dir.rglob("*") if p.suffix in {".yaml", ".txt"}]
    code = list(PACKAGE_DIR.rglob("*.py"))
    ontology = [p for p in ONTOLOGY_DIR.rglob("*") if p.suffix in {".ttl", ".py"}]
    h = hashlib.sha256()
    for p in sorted(set(curated + code + ontology)) + [SHAPES_FILE]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def implicit_dist() -> Path:
    """Where a command that needs a release but was not given --dist keeps it: `dist` in the project
    folder (or wherever a release already is), else a cache folder ($XDG_CACHE_HOME/sco-kg/dist,
    ~/.cache by default), so that `sco-kg conflicts` run elsewhere writes nothing into that folder."""
    here = Path.cwd()
    if here == PACKAGE_DIR.parent or (here / "dist" / "release.json").exists():
        return Path("dist")
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "sco-kg" / "dist"


def is_current(dist: Path) -> bool:
    """Whether `dist` holds a complete release of the shipped curated tree, built from its current files."""
    meta = read_meta(dist)
    return bool(meta) and meta.get("inputs") == inputs_digest() and all((dist / f).exists() for f in FILES.values())


def read_meta(dist: Path) -> dict:
    try:
        return json.loads((Path(dist) / RELEASE_JSON).read_text())
    except (OSError, ValueError):
        return {}


def staging_dir(dist: Path) -> Path:
    dist = Path(dist).resolve()
    dist.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{dist.name}-staging-", dir=dist.parent))
    stage.chmod(0o755)  # mkdtemp makes it private; a release is for everyone to read
    return stage


def write_files(stage: Path, ontology: Graph, data: Graph, sources: Graph, graph_dir: Path = DATA_DIR) -> dict:
    """Serialise the three named graphs into `stage`; returns release.json's content.

    `graph_dir` is the curated tree they were built from: release.json carries its digest.
    The .owl file is the one graph written differently: as OWL 2 DL (ontology.owl_dl says how).
    """
    from ontology.owl_dl import owl_dl
    ds = Dataset()
    for iri, g in ((GRAPH_ONTOLOGY, ontology), (GRAPH_DATA, data), (GRAPH_SOURCES, sources)):
        named = ds.graph(URIRef(iri))
        named += g
    for prefix, ns in data.namespaces():
        ds.bind(prefix, ns)
    ds.serialize(stage / FILES["nquads"], format="nquads")
    ds.serialize(stage / FILES["trig"], format="trig")
    merged = ontology + data + sources
    for prefix, ns in data.namespaces():
        merged.bind(prefix, ns)
    merged.serialize(stage / FILES["turtle"], format="turtle")
    owl_dl(merged).serialize(stage / FILES["owl"], format="xml")
    ontology.serialize(stage / FILES["ontology"], format="turtle")
    meta = {
        "version": hashlib.sha256((stage / FILES["nquads"]).read_bytes()).hexdigest()[:16],
        "inputs": inputs_digest(graph_dir),
        "triples": len(ontology) + len(data) + len(sources),
        "graphs": {GRAPH_ONTOLOGY: len(ontology), GRAPH_DATA: len(data), GRAPH_SOURCES: len(sources)},
        "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "files": FILES,
    }
    (stage / RELEASE_JSON).write_text(json.dumps(meta, indent=2))
    return meta


def publish_stage(stage: Path, dist: Path) -> None:
    """Swap the staged release in place of `dist`."""
    dist = Path(dist).resolve()
    old = None
    if dist.exists():
        old = dist.with_name(f".{dist.name}-previous-{stage.name}")
        dist.rename(old)
    stage.rename(dist)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
