"""`sco-kg conflicts`: the disagreements between sources, from graph/queries/conflicts.rq."""
import json
import sys
from collections import defaultdict
from pathlib import Path

from . import QUERIES_DIR
from .query import open_release, select, term_text

CONFLICTS_QUERY = QUERIES_DIR / "conflicts.rq"


def conflicts(dist: Path) -> list[dict]:
    """One entry per disagreement: question, subject, and each claim with its sources and quotes."""
    rows = select(open_release(dist), CONFLICTS_QUERY.read_text())
    by_question: dict[str, dict] = {}
    for r in rows:
        q = by_question.setdefault(term_text(r["question"]), {
            "question": term_text(r["question"]), "subject": term_text(r["subject"]),
            "subject_label": term_text(r["subjectLabel"]), "claims": defaultdict(dict)})
        claim = q["claims"][term_text(r["claim"])]
        claim.setdefault("label", term_text(r["claimLabel"]))
        claim.setdefault("sources", defaultdict(list))[term_text(r["source"])].append(term_text(r["quote"]))
    return [{**q, "claims": [{"fact": iri, "label": c["label"], "sources": dict(c["sources"])}
                             for iri, c in q["claims"].items()]} for q in by_question.values()]


def format_text(items: list[dict]) -> str:
    out = []
    for q in items:
        out.append(f"{q['question']}  [{q['subject_label']}]")
        for c in q["claims"]:
            out.append(f"  claim: {c['label']}\n         {c['fact']}")
            for source, quotes in c["sources"].items():
                for quote in quotes:
                    out.append(f"    {source}: “{quote}”")
        out.append("")
    out.append(f"{len(items)} disagreement(s)")
    return "\n".join(out) + "\n"


def print_conflicts(dist: Path, fmt: str = "text") -> int:
    items = conflicts(dist)
    sys.stdout.write(json.dumps(items, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else format_text(items))
    return 0
