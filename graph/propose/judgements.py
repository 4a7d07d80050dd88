"""A curator's decisions as data: one file per source, graph/data/judgements/<ID>.yaml, a list of
{id, decision, kind} in the order they were made. `propose` leaves out every candidate already
decided, so a curator is never asked twice; the file is read and appended, never rewritten."""
from pathlib import Path

import yaml

from .. import DATA_DIR

JUDGEMENTS_DIR = DATA_DIR / "judgements"
DECISIONS = ("accept", "reject", "edit", "skip")


def judgements_file(source: str, graph_dir: Path = DATA_DIR) -> Path:
    return graph_dir / JUDGEMENTS_DIR.name / f"{source}.yaml"


def judged(path: Path) -> dict[str, str]:
    """Candidate id -> the last decision on it (a skip is no decision: it is asked again)."""
    if not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {e["id"]: e["decision"] for e in entries if e.get("decision") in DECISIONS[:3]}


def record(path: Path, cid: str, decision: str, kind: str) -> None:
    assert decision in DECISIONS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(yaml.safe_dump([{"id": cid, "decision": decision, "kind": kind}], allow_unicode=True, sort_keys=False))
