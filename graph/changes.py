"""What changed between two releases: the statements (fact nodes) added, removed and changed, each with
its sentence and its evidence (source, factuality, quote). `sco-kg diff OLD_DIST NEW_DIST` prints it;
every build writes it against the release it replaces into the new release as changes.json, which the
server shows at /changes.

A fact node is any subject of the data graph with `sco:evidence`; it is changed when its sentence,
its other triples, or its evidence (source, factuality, quote) differ.
"""
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from .release import FILES, read_meta
from ontology.vocab import GRAPH_DATA, OA, RDFS, SCO

CHANGES_JSON = "changes.json"
_EVIDENCE, _LABEL = ox.NamedNode(SCO + "evidence"), ox.NamedNode(RDFS + "label")


def statements(dist: Path | None) -> dict[str, dict]:
    """IRI -> {sentence, evidence: [{source, factuality, exact}], triples: [..]} of a release (none: {})."""
    if dist is None or not (Path(dist) / FILES["nquads"]).exists():
        return {}
    store = ox.Store()
    store.bulk_load(path=str(Path(dist) / FILES["nquads"]), format=ox.RdfFormat.N_QUADS)
    data = ox.NamedNode(GRAPH_DATA)

    def one(s, p):
        return next((q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, data)), None)

    out = {}
    for fact in {q.subject for q in store.quads_for_pattern(None, _EVIDENCE, None, data)}:
        evidence, triples, sentence = [], [], ""
        for q in store.quads_for_pattern(fact, None, None, data):
            if q.predicate == _LABEL:
                sentence = q.object.value
            elif q.predicate == _EVIDENCE:
                target = one(q.object, OA + "hasTarget")
                quote = next((one(sel, OA + "exact") for sel in
                              (x.object for x in store.quads_for_pattern(target, ox.NamedNode(OA + "hasSelector"),
                                                                         None, data))
                              if one(sel, OA + "exact") is not None), None)
                source = one(target, OA + "hasSource")
                how = one(q.object, SCO + "factuality")
                evidence.append({"source": source.value.rsplit("/", 1)[-1] if source else None,
                                 "factuality": how.value.rsplit("#", 1)[-1].lower() if how else None,
                                 "exact": quote.value if quote else None})
            elif not isinstance(q.object, ox.BlankNode):
                triples.append(f"{q.predicate} {q.object}")
        out[fact.value] = {"sentence": sentence, "evidence": sorted(evidence, key=json.dumps),
                           "triples": sorted(triples)}
    return out


def diff(old: Path | None, new: Path) -> dict:
    before, after = statements(old), statements(new)
    changed = []
    for iri in sorted(before.keys() & after.keys()):
        a, b = before[iri], after[iri]
        if a == b:
            continue
        entry = {"iri": iri, "sentence": b["sentence"],
                 "evidence_added": [e for e in b["evidence"] if e not in a["evidence"]],
                 "evidence_removed": [e for e in a["evidence"] if e not in b["evidence"]]}
        if a["sentence"] != b["sentence"]:
            entry["was"] = a["sentence"]
        if a["triples"] != b["triples"]:
            entry["fields_changed"] = True
        changed.append(entry)
    return {
        "previous": read_meta(old).get("version") if old else None,
        "release": read_meta(new).get("version"),
        "added": [_entry(i, after[i]) for i in sorted(after.keys() - before.keys(), key=lambda i: after[i]["sentence"])],
        "removed": [_entry(i, before[i]) for i in sorted(before.keys() - after.keys(), key=lambda i: before[i]["sentence"])],
        "changed": changed,
    }


def _entry(iri: str, s: dict) -> dict:
    return {"iri": iri, "sentence": s["sentence"], "sources": sorted({e["source"] for e in s["evidence"]}),
            "evidence": s["evidence"]}


def write_changes(previous: Path, stage: Path) -> dict:
    """The staged release's changes against the release it replaces (everything added if there is none)."""
    changes = diff(previous if (Path(previous) / FILES["nquads"]).exists() else None, stage)
    (Path(stage) / CHANGES_JSON).write_text(json.dumps(changes, indent=1, ensure_ascii=False), encoding="utf-8")
    return changes


def read_changes(dist: Path) -> dict | None:
    try:
        return json.loads((Path(dist) / CHANGES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def as_text(changes: dict) -> str:
    lines = [f"release {changes['release']} against {changes['previous'] or 'nothing (first release)'}: "
             f"{len(changes['added'])} added, {len(changes['removed'])} removed, {len(changes['changed'])} changed"]
    for sign, key in (("+", "added"), ("-", "removed")):
        for e in changes[key]:
            lines.append(f"{sign} {e['sentence']}\n    {e['iri']}")
            lines += [_evidence_line("", ev) for ev in e["evidence"]]
    for e in changes["changed"]:
        lines.append(f"~ {e['sentence']}\n    {e['iri']}")
        if "was" in e:
            lines.append(f"    was: {e['was']}")
        lines += [_evidence_line("+ ", ev) for ev in e["evidence_added"]]
        lines += [_evidence_line("- ", ev) for ev in e["evidence_removed"]]
    return "\n".join(lines) + "\n"


def _evidence_line(sign: str, ev: dict) -> str:
    return f"    {sign}{(ev['source'] or '?')[:3]} [{ev['factuality']}] “{ev['exact']}”"


def print_diff(old: Path, new: Path, fmt: str = "text") -> int:
    for dist in (old, new):
        if not (Path(dist) / FILES["nquads"]).exists():
            print(f"diff: {dist} is not a release folder (no {FILES['nquads']})", file=sys.stderr)
            return 2
    changes = diff(old, new)
    sys.stdout.write(json.dumps(changes, indent=1, ensure_ascii=False) + "\n" if fmt == "json" else as_text(changes))
    return 0
