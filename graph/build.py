"""`sco-kg build` and `sco-kg validate`: curated files → anchored, validated, reasoned release.

Stages (timed, for bench/build.py): parse (YAML), anchor (quotes → RDF), shacl, write, reasoner.
Any failure raises BuildError with a readable report and leaves the previous release in place.
"""
import logging
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from . import DATA_DIR, ENTITIES_DIR, FACTS_DIR, SOURCES_DIR
from .curation import (Curation, YamlSyntaxError, load_disagreements, load_entities, load_facts, load_sources_meta,
                       written_dates)
from .changes import write_changes
from .release import is_current, publish_stage, staging_dir, write_files
from .to_rdf import RdfBuilder, source_iri, sources_graph

log = logging.getLogger(__name__)
# What each stage does, for a server that logs its first build (`sco-kg serve` says what it waits for).
STAGE_WORDS = {"parse": "reading the curated files", "anchor": "finding every quote in its source text",
               "shacl": "validating the graph with the SHACL shapes", "write": "writing the release files",
               "reasoner": "checking consistency with HermiT"}


class BuildError(Exception):
    """The build refused its input; the message says which file, fact or node, and why."""


@dataclass
class Assembled:
    ontology: Graph
    data: Graph
    sources: Graph
    origins: dict
    timings: dict = field(default_factory=dict)


@contextmanager
def _stage(timings: dict, name: str):
    log.info("build: %s", STAGE_WORDS.get(name, name))
    t0 = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - t0


def _fail_on(errors: list[str], what: str) -> None:
    if errors:
        raise BuildError(f"{what}: {len(errors)} problem(s)\n" + "\n".join(f"  - {e}" for e in errors))


def load_curation(graph_dir: Path = DATA_DIR) -> tuple[Curation, dict[str, str], dict[str, bytes]]:
    errors: list[str] = []
    sources_dir = graph_dir / SOURCES_DIR.name
    raw = {p.stem: p.read_bytes() for p in sorted(sources_dir.glob("*.txt"))}
    texts = {sid: b.decode("utf-8") for sid, b in raw.items()}
    try:
        entities = load_entities(graph_dir / ENTITIES_DIR.name, errors)
        meta = load_sources_meta(graph_dir / "sources.yaml", set(texts), errors)
        facts = load_facts(graph_dir / FACTS_DIR.name, set(texts), entities, errors, written_dates(meta))
        disagreements = load_disagreements(graph_dir / "disagreements.yaml", facts, entities, errors)
    except YamlSyntaxError as e:
        raise BuildError(str(e)) from None
    _fail_on(errors, "curated files")
    return Curation(entities, facts, meta, disagreements), texts, raw


def assemble(graph_dir: Path = DATA_DIR) -> Assembled:
    """Parse, anchor and validate; everything but writing files and running the reasoner."""
    from ontology import load_ontology
    from shapes.validate import validate_graph
    timings: dict = {}
    with _stage(timings, "parse"):
        curation, texts, raw = load_curation(graph_dir)
        ontology = load_ontology()
    with _stage(timings, "anchor"):
        builder = RdfBuilder(curation, texts)
        data = builder.build()
        errors = list(builder.errors)
        sources = sources_graph(texts, raw, curation.sources, curation.entities, errors)
        _fail_on(errors, "evidence")
    origins = dict(builder.origins)
    for sid in texts:
        origins[source_iri(sid)] = {f"graph/data/sources/{sid}.txt"}
    with _stage(timings, "shacl"):
        conforms, report = validate_graph(ontology + data + sources, origins)
    if not conforms:
        raise BuildError(report)
    return Assembled(ontology, data, sources, origins, timings)


def build(out: Path = Path("dist"), reasoner: bool = True, graph_dir: Path = DATA_DIR) -> Assembled:
    a = assemble(graph_dir)
    stage = staging_dir(out)
    try:
        with _stage(a.timings, "write"):
            write_files(stage, a.ontology, a.data, a.sources, graph_dir)
            write_changes(out, stage)
        if reasoner:
            _reason(stage / "sco-kg.owl", a.timings)
        publish_stage(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return a


def _reason(owl_file: Path, timings: dict) -> None:
    from ontology.reasoner import check_consistency
    if shutil.which("java") is None:
        raise BuildError("the HermiT consistency check needs Java, which is not on the PATH: install a JRE "
                         "(apt-get install default-jre-headless), or build with --no-reasoner")
    with _stage(timings, "reasoner"):
        result = check_consistency(owl_file)
    if not result.consistent:
        raise BuildError(result.detail)


def validate(reasoner: bool = True, graph_dir: Path = DATA_DIR) -> str:
    """Shapes and reasoner on the curated files of `graph_dir`, without touching any release."""
    a = assemble(graph_dir)
    lines = ["curated files: parsed", "evidence: every quote anchored", "SHACL: conforms"]
    if reasoner:
        stage = staging_dir(Path("dist"))
        try:
            write_files(stage, a.ontology, a.data, a.sources, graph_dir)
            _reason(stage / "sco-kg.owl", a.timings)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        lines.append("HermiT: consistent")
    return "\n".join(lines)


def ensure_release(dist: Path = Path("dist")) -> Path:
    """The release folder, built first if missing or older than the curated files."""
    if not is_current(dist):
        build(dist)
    return Path(dist)
