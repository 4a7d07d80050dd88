"""`sco-kg conflicts`: the disagreements between sources, from graph/data/queries/conflicts.rq."""
import json
import sys
from collections import defaultdict
from pathlib import Path

from . import QUERIES_DIR
from .query import open_release, select, term_text

CONFLICTS_QUERY = QUERIES_DIR / "conflicts.rq"


def conflicts(dist: Path) -> list[dict]:
    """One entry per disagreement: question, subject, and each claim (its sentence, whether any source
    reports it) with its sources and their quotes, each with how the source puts it."""
    rows = select(open_release(dist), CONFLICTS_QUERY.read_text())
    by_question: dict[str, dict] = {}
    for r in rows:
        q = by_question.setdefault(term_text(r["question"]), {
            "question": term_text(r["question"]), "subject": term_text(r["subject"]),
            "subject_label": term_text(r["subjectLabel"]), "claims": defaultdict(dict)})
        claim = q["claims"][term_text(r["claim"])]
        claim.setdefault("label", term_text(r["claimLabel"]))
        claim.setdefault("reported", term_text(r["reported"]) == "true")
        claim.setdefault("sources", defaultdict(list))[term_text(r["source"])].append(
            {"quote": term_text(r["quote"]), "factuality": term_text(r["factuality"])})
    return [{**q, "claims": [{"fact": iri, "label": c["label"], "reported": c["reported"],
                              "sources": dict(c["sources"])}
                             for iri, c in q["claims"].items()]} for q in by_question.values()]


def format_text(items: list[dict]) -> str:
    out = []
    for q in items:
        out.append(f"{q['question']}  [{q['subject_label']}]")
        for c in q["claims"]:
            status = "" if c["reported"] else "  [no source reports it]"
            out.append(f"  claim: {c['label']}{status}\n         {c['fact']}")
            for source, quotes in c["sources"].items():
                for q in quotes:
                    out.append(f"    {source} ({q['factuality']}): “{q['quote']}”")
        out.append("")
    out.append(f"{len(items)} disagreement(s)")
    return "\n".join(out) + "\n"


def print_conflicts(dist: Path, fmt: str = "text") -> int:
    items = conflicts(dist)
    sys.stdout.write(json.dumps(items, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else format_text(items))
    return 0
