"""Benchmark of `sco-kg propose`, leave-one-source-out over the five sources.

For each source: propose from its text as if it had never been curated (`--without-source`), then
compare the candidates with that source's curated facts, kind by kind.
    python bench/propose.py [--source 003] [--json]

A curated fact is *found* when a candidate of the same kind names the same entities in the fields that
say what the fact is about (member and organization, attendee and event, holder and post, …) and one
of its quotes overlaps one of the fact's quotes in the text. An entity the curator created for the
left-out source and the method proposed as new count as the same only there (no slug is guessed).
*Exact* also asks for the same fact node (every field equal). A candidate is *correct* when it finds
at least one curated fact. *Verbatim*: quotes found in the text as the build anchors them.
"""
import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import SOURCES_DIR  # noqa: E402
from graph.anchor import AnchorError, anchor  # noqa: E402
from graph.build import load_curation  # noqa: E402
from graph.curation import parse_quote  # noqa: E402
from graph.propose.check import as_entities, as_fact  # noqa: E402
from graph.propose.run import graph_without, propose  # noqa: E402

SUBJECT = {"Membership": ("member", "organization"), "Chairmanship": ("chair", "organization"),
           "PostHolding": ("holder", "post"), "Attendance": ("attendee", "event"), "Absence": ("attendee", "event"),
           "Founding": ("organization",), "EventOccurrence": ("event",), "DocumentAdoption": ("document",)}
GOAL_KINDS = tuple(SUBJECT)


def _spans(text, quotes):
    out = []
    for q in quotes:
        try:
            a = anchor(text, q)
            out.append((a.start, a.end))
        except AnchorError:
            pass
    return out


def _same(cand, cur, kept, proposed) -> bool:
    for k in SUBJECT[cur.kind.name]:
        c, g = cand.values.get(k), cur.values.get(k)
        if c == g:
            continue
        if c in proposed and g not in kept:   # both new to the graph: the curator's slug is not guessable
            continue
        return False
    return True


def bench_source(sid: str, text: str, curated: list, all_entities: dict) -> dict:
    t0 = time.perf_counter()
    p = propose(text, sid, without=sid)
    seconds = time.perf_counter() - t0
    kept, _ = graph_without(sid)
    entities = {**all_entities, **as_entities(p.entities)}
    cands, quotes, verbatim = [], 0, 0
    for c in p.candidates:
        fact, _ = as_fact(c["fact"], entities, sid)
        spans = []
        for raw in c["fact"]["quotes"]:
            quotes += 1
            q = parse_quote(raw, "", [])
            try:
                a = anchor(text, q)
                verbatim += 1
                spans.append((a.start, a.end))
            except AnchorError:
                pass
        cands.append((fact, spans))
    gold = [(f, _spans(text, f.quotes)) for f in curated if f.kind.name in SUBJECT]
    found, exact, correct = Counter(), Counter(), Counter()
    total, proposed_n = Counter(f.kind.name for f, _ in gold), Counter(f.kind.name for f, _ in cands)
    for g, gspans in gold:
        hits = [c for c, cspans in cands if c.kind.name == g.kind.name and _overlap(cspans, gspans)
                and _same(c, g, kept, p.entities)]
        found[g.kind.name] += bool(hits)
        exact[g.kind.name] += any(c.path() == g.path() for c in hits)
    for c, cspans in cands:
        correct[c.kind.name] += any(c.kind.name == g.kind.name and _overlap(cspans, gspans) and _same(c, g, kept, p.entities)
                                    for g, gspans in gold)
    return {"source": sid, "seconds": round(seconds, 2), "chars": len(text), "quotes": quotes, "verbatim": verbatim,
            "curated": dict(total), "found": dict(found), "exact": dict(exact),
            "candidates": dict(proposed_n), "correct": dict(correct)}


def _overlap(a, b) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _pct(n, d) -> str:
    return f"{100 * n / d:.0f} % ({n}/{d})" if d else "–"


def table(results: list[dict]) -> str:
    def tot(key, kind=None):
        return sum((r[key].get(kind, 0) if kind else sum(r[key].values())) for r in results)
    lines = ["| kind | curated | found (right kind) | exact fact | candidates | correct |", "|---|---|---|---|---|---|"]
    for kind in GOAL_KINDS:
        lines.append(f"| {kind} | {tot('curated', kind)} | {_pct(tot('found', kind), tot('curated', kind))} | "
                     f"{_pct(tot('exact', kind), tot('curated', kind))} | {tot('candidates', kind)} | "
                     f"{_pct(tot('correct', kind), tot('candidates', kind))} |")
    lines.append(f"| **all** | {tot('curated')} | {_pct(tot('found'), tot('curated'))} | "
                 f"{_pct(tot('exact'), tot('curated'))} | {tot('candidates')} | "
                 f"{_pct(tot('correct'), tot('candidates'))} |")
    lines += ["", "| source | characters | seconds | candidates | quotes verbatim |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['source'][:3]} | {r['chars']} | {r['seconds']} | {sum(r['candidates'].values())} | "
                     f"{_pct(r['verbatim'], r['quotes'])} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", help="only this source (its ID or first digits)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    curation, texts, _ = load_curation()
    results = []
    for sid in sorted(texts):
        if args.source and not sid.startswith(args.source):
            continue
        curated = [f for f in curation.facts if f.source == sid]
        results.append(bench_source(sid, (SOURCES_DIR / f"{sid}.txt").read_text(encoding="utf-8"), curated,
                                    curation.entities))
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
