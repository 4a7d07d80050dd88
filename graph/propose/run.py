"""Propose candidate facts from a text: link, apply every rule to every sentence, merge, set against
the graph, and leave out what a curator has already judged."""
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import DATA_DIR
from ..anchor import AnchorError, anchor
from ..build import load_curation
from ..curation import Quote
from . import events, membership, people
from .common import Candidate, Context
from .dates import dates
from .check import as_entities, as_fact
from .existing import Statements
from .judgements import judged
from .lexicon import Lexicon
from .linking import EVENT_TYPES, Linker
from .text import fold, sentences

RULES = (*membership.RULES, *people.RULES, *events.RULES)


@dataclass
class Proposal:
    source: str
    entities: dict[str, dict]            # proposed new entities, as in graph/data/entities/*.yaml
    candidates: list[dict]               # {id, rule, confidence, supports, contradicts, fact}
    judged: int = 0                      # candidates left out because a curator already decided them
    problems: list[str] = field(default_factory=list)

    def to_yaml_doc(self, text_path: str) -> dict:
        return {"source": self.source, "text": text_path, "entities": self.entities, "candidates": self.candidates}


def graph_without(source: str | None, graph_dir: Path = DATA_DIR):
    """The curated entities and facts, as if `source` had never been curated: its facts left out, and
    the entities of its own file unless another source's facts name them."""
    curation, texts, _ = load_curation(graph_dir)
    if not source:
        return curation.entities, curation.facts
    facts = [f for f in curation.facts if f.source != source]
    used = {v for f in facts for v in _slugs(f)}
    entities = {s: e for s, e in curation.entities.items() if e.file.stem != source or s in used}
    return entities, facts


def _slugs(fact):
    for f in fact.kind.fields:
        v = fact.values.get(f.name)
        if f.type == "entity" and v:
            yield v
        elif f.type == "entities":
            yield from v or []


def candidate_id(spec: dict) -> str:
    """Stable across runs on the same text: the fact's fields and its first quote."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def propose(text: str, source: str, without: str | None = None, graph_dir: Path = DATA_DIR,
            judgements: Path | None = None) -> Proposal:
    entities, facts = graph_without(without, graph_dir)
    linker = Linker(entities)
    linker.holdings = _holdings(facts)
    found = _apply_rules(text, linker, entities)
    lexicon = Lexicon(facts)
    statements = Statements(facts, {**entities, **as_entities(linker.proposed)})
    decided = judged(judgements) if judgements else {}
    out = Proposal(source, {}, [])
    for cands in _merge(found).values():
        spec = _spec(cands, text)
        cid = candidate_id(spec)
        if cid in decided:
            out.judged += 1
            continue
        fact, errors = as_fact(spec, {**entities, **as_entities(linker.proposed)}, source)
        if errors or fact is None:
            out.problems.extend(errors)
            continue
        if any(f.source == source for f in statements.supported(fact)):
            continue   # already curated from this very text
        best = max(cands, key=lambda c: c.confidence)
        score = lexicon.score(fact.kind.name, text[best.start:best.end])
        out.candidates.append({
            "id": cid, "rule": "+".join(sorted({c.rule for c in cands})),
            "confidence": round(best.confidence * (0.75 + 0.25 * score), 2),
            "supports": statements.supports(fact), "contradicts": statements.contradicts(fact), "fact": spec})
    used = {v for c in out.candidates for v in _spec_slugs(c["fact"])}
    out.entities = {s: e for s, e in linker.proposed.items() if s in used}
    return out


def _holdings(facts) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    for f in facts:
        if f.kind.name == "PostHolding":
            held.setdefault(f.values["holder"], []).append(f.values["post"])
    return held


def _apply_rules(text: str, linker: Linker, entities) -> list[Candidate]:
    ftext = fold(text)
    sents = sentences(text)
    all_mentions = [linker.mentions(text, s.start, s.end) for s in sents]
    orgs = Counter(m.slug for ms in all_mentions for m in ms if m.type == "IntergovernmentalOrganization")
    default_org = orgs.most_common(1)[0][0] if orgs else None
    said = Counter(m.slug for s, ms in zip(sents, all_mentions) for m in linker.events(text, s.start, s.end, None, ms))
    summits = said or Counter(m.slug for ms in all_mentions for m in ms if m.type in EVENT_TYPES)
    default_event = summits.most_common(1)[0][0] if summits else None
    found, last_state = [], None
    for s, ms in zip(sents, all_mentions):
        evs = linker.events(text, s.start, s.end, default_event, ms)
        ctx = Context(text, ftext, s, linker, ms, evs, default_org, default_event, dates(text, s.start, s.end),
                      last_state)
        people.add_titled(ctx)
        for rule in RULES:
            found.extend(rule(ctx))
        states = [m.slug for m in ms if m.type == "State" and not m.adjective]
        last_state = states[-1] if states else last_state
    return found


def _merge(found: list[Candidate]) -> dict:
    """One candidate per fact: the same fields from several sentences or rules give several quotes."""
    merged: dict = {}
    for c in found:
        key = (c.kind, json.dumps(c.values, sort_keys=True))
        merged.setdefault(key, []).append(c)
    return merged


def _spec(cands: list[Candidate], text: str) -> dict:
    spec = {"kind": cands[0].kind, **cands[0].values, "quotes": []}
    seen = set()
    for c in sorted(cands, key=lambda c: c.start):
        if (c.start, c.end) in seen:
            continue
        seen.add((c.start, c.end))
        spec["quotes"].append(_quote(text, c.start, c.end, c.factuality))
    return spec


def _quote(text: str, start: int, end: int, factuality: str):
    """The quote as curated: the exact text, with a prefix where it occurs more than once."""
    exact = text[start:end]
    prefix = None
    for width in (20, 40, 80, 160, 300):
        try:
            if anchor(text, Quote(exact, prefix)).start == start:
                break
        except AnchorError:
            pass
        prefix = text[max(0, start - width):start].lstrip()
    if prefix is None and factuality == "reported":
        return exact
    q = {"exact": exact}
    if prefix:
        q["prefix"] = prefix
    if factuality != "reported":
        q["factuality"] = factuality
    return q


def _spec_slugs(spec: dict):
    for k, v in spec.items():
        if k != "quotes" and isinstance(v, str):
            yield v
        elif isinstance(v, list) and k != "quotes":
            yield from v
