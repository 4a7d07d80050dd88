"""Load the curated YAML (entities, facts, source metadata, disagreements) and check its structure.

Every problem is reported as `path:line` of the entity, fact, field or quote it concerns, with the fact's
number and kind; all of them at once, so a curator fixes a file in one pass.
"""
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import yaml_lines
from .naming import unnamed
from .yaml_lines import line_of, place

from .kinds import (ALIASES, COMMON_KEYS, ENTITY_KEYS, ENTITY_TYPES, KEY_TYPES, KINDS, RELATIVE_PERIODS, ROLES,
                    TEXT_TYPES, Kind)

DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


FACTUALITY = ("reported", "expected", "hedged", "attributed")   # docs/interface.md, "How each source puts a fact"


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str | None = None
    factuality: str = "reported"
    line: int | None = field(default=None, compare=False)   # where it is curated, for messages


@dataclass
class Entity:
    slug: str
    type: str
    label: str
    file: Path
    alt: list[str] = field(default_factory=list)
    wikidata: str | None = None
    post_in: str | None = None
    doi: str | None = None
    url: str | None = None
    line: int | None = None


@dataclass
class Fact:
    kind: Kind
    values: dict          # field name -> normalised value (str, bool, list[str], int/float)
    quotes: list[Quote]
    source: str           # source document ID
    file: Path
    index: int            # position in the file, 1-based, for messages
    ref: str | None = None
    period: str | None = None   # "this-year", "next-year", "past-year": how the source gave from/until
    line: int | None = None     # where the fact starts in its file

    def where(self, line: int | None = None) -> str:
        """`path:line: fact #N (Kind, ref R)`; `line` is that of one of its fields or quotes, else the fact's."""
        ref = ', ref ' + self.ref if self.ref else ''
        return f"{place(self.file, line or self.line)}: fact #{self.index} ({self.kind.name}{ref})"

    def reported(self) -> bool:
        return any(q.factuality == "reported" for q in self.quotes)

    def path(self) -> str:
        """The statement's identity as an IRI path: its kind and structured values, plus a hash of any verbatim
        words; never when it holds, free text or the source (graph/statements.py adds dates only where sources
        give dates that cannot both be true)."""
        parts = [self.kind.name.lower()]
        texts = []
        for f in self.kind.fields:
            v = self.values.get(f.name)
            if v is None or not f.identity:
                continue
            if f.type in TEXT_TYPES:
                texts.append(f"{f.name}={v}")
            elif isinstance(v, list):
                parts.append("+".join(sorted(map(str, v))))
            else:
                parts.append(_slugify(str(v).lower()))
        if self.kind.quote_identity:
            texts.extend(q.exact for q in self.quotes)
        if texts:
            parts.append(hashlib.sha256("\n".join(texts).encode()).hexdigest()[:8])
        return "/".join(parts)


@dataclass
class Disagreement:
    question: str
    about: str
    claims: list[str]     # "<source prefix>:<ref>"
    file: Path
    index: int
    line: int | None = None


@dataclass
class Curation:
    entities: dict[str, Entity]
    facts: list[Fact]
    sources: dict[str, dict]
    disagreements: list[Disagreement]


def _slugify(s: str) -> str:
    return re.sub(r"[^a-z0-9.+-]+", "-", s).strip("-") or "x"


class YamlSyntaxError(Exception):
    """A curated file is not YAML; reported alone, since every later check would fail because of it."""


def _read_yaml(path: Path, errors: list[str]):
    try:
        return yaml_lines.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise YamlSyntaxError(f"{where}: not valid YAML: {getattr(e, 'problem', None) or e}") from None


def load_entities(entities_dir: Path, errors: list[str]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for path in sorted(entities_dir.glob("*.yaml")):
        doc = _read_yaml(path, errors) or {}
        for slug, spec in doc.items():
            entity = _entity(path, slug, spec, errors, line_of(doc, slug))
            if entity is None:
                continue
            if slug in entities:
                first = entities[slug]
                errors.append(f"{place(path, entity.line)}: entity '{slug}' is already defined in "
                              f"{place(first.file, first.line)}")
                continue
            entities[slug] = entity
    for e in entities.values():
        if e.post_in and e.post_in not in entities:
            errors.append(f"{place(e.file, e.line)}: entity '{e.slug}': post_in names unknown entity '{e.post_in}'")
    return entities


def _entity(path: Path, slug, spec, errors: list[str], line: int | None = None) -> Entity | None:
    where = f"{place(path, line)}: entity '{slug}'"
    if not isinstance(slug, str) or not SLUG.match(slug):
        errors.append(f"{where}: slug must be lowercase kebab-case")
        return None
    if not isinstance(spec, dict) or not spec.get("label") or spec.get("type") not in ENTITY_TYPES:
        errors.append(f"{where}: needs a label and a type from: {', '.join(sorted(ENTITY_TYPES))}")
        return None
    unknown = set(spec) - ENTITY_KEYS
    if unknown:
        errors.append(f"{where}: unknown keys {sorted(unknown)}")
    wikidata = spec.get("wikidata")
    if wikidata is not None and not re.match(r"^Q[0-9]+$", str(wikidata)):
        errors.append(f"{where}: wikidata must look like Q123")
    alt = spec.get("alt") or []
    return Entity(slug, spec["type"], str(spec["label"]), path, [str(a) for a in alt],
                  wikidata, spec.get("post_in"), spec.get("doi"), spec.get("url"), line)


def load_facts(facts_dir: Path, known_sources: set[str], entities: dict[str, Entity], errors: list[str],
               written: dict[str, str] | None = None) -> list[Fact]:
    """The curated facts; `written` (source ID -> the date the source was written) resolves `period:`."""
    facts: list[Fact] = []
    for path in sorted(facts_dir.glob("*.yaml")):
        doc = _read_yaml(path, errors) or {}
        source = doc.get("source")
        if source not in known_sources:
            errors.append(f"{place(path, line_of(doc, 'source') or 1)}: 'source' must name one of "
                          f"{sorted(known_sources)}, not {source!r}")
            continue
        specs = doc.get("facts") or []
        for i, spec in enumerate(specs, start=1):
            fact = _fact(path, i, source, spec, entities, errors, (written or {}).get(source), line_of(specs, i - 1))
            if fact is not None:
                facts.append(fact)
    _check_refs(facts, errors)
    return facts


def _fact(path: Path, index: int, source: str, spec, entities, errors: list[str], written: str | None = None,
          line: int | None = None) -> Fact | None:
    where = f"{place(path, line)}: fact #{index}"
    if isinstance(spec, dict) and spec.get("kind") in ALIASES:
        spec = _unalias(spec, path, entities, f"{where} ({spec['kind']})", errors)
    if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
        errors.append(f"{where}: 'kind' must be one of {', '.join([*KINDS, *ALIASES])}")
        return None
    fact = Fact(KINDS[spec["kind"]], {}, [], source, path, index, spec.get("ref"), spec.get("period"), line)
    kind, where = fact.kind, fact.where()

    def at(key: str) -> str:
        return fact.where(line_of(spec, key))
    allowed = COMMON_KEYS | {f.name for f in kind.fields}
    if "cites" in spec:
        errors.append(f"{at('cites')}: 'cites' is no longer curated: a quote cites the work of a footnote marker "
                      "inside it or directly after it (end the quote at the marker)")
    for key in sorted(set(spec) - allowed - {"cites"}):
        errors.append(f"{at(key)}: unknown field '{key}' (allowed: {', '.join(sorted(allowed - {'kind'}))})")
    for f in kind.fields:
        raw = spec.get(f.name)
        if raw is None:
            if f.required:
                errors.append(f"{where}: missing required field '{f.name}'")
            continue
        value = _value(f.type, raw, entities, f"{at(f.name)}: field '{f.name}'", errors)
        if value is not None:
            fact.values[f.name] = value
    if "period" in spec:
        _relative_period(spec["period"], kind, written, fact.values, f"{at('period')}: 'period'", errors)
    fact.quotes = _quotes(spec.get("quotes"), fact, line_of(spec, "quotes"), errors)
    _check_verbatim(kind, fact.values, fact.quotes, at, errors)
    problem = unnamed(kind.name, fact.values, [q.exact for q in fact.quotes], entities)
    if problem:
        errors.append(f"{where}: {problem}")
    return fact


def _relative_period(period, kind: Kind, written: str | None, values: dict, where: str, errors: list[str]) -> None:
    """"This year", "for the next year", "over the past year": a period read against the source's own date."""
    fields = {f.name for f in kind.fields}
    if period not in RELATIVE_PERIODS:
        errors.append(f"{where}: must be one of {', '.join(RELATIVE_PERIODS)}")
    elif period == "this-year" and "date" in fields and written and "date" not in values:
        values["date"] = written[:4]     # a figure or event of "this year": its year
    elif not {"from", "until"} <= fields:
        errors.append(f"{where}: a {kind.name} has no period")
    elif "from" in values or "until" in values:
        errors.append(f"{where}: give either 'period' or 'from'/'until'")
    elif written is None:
        errors.append(f"{where}: the source has no 'written' date in graph/data/sources.yaml to read it against")
    else:
        at = written[:4] if period == "this-year" else written
        for name, offset in zip(("from", "until"), RELATIVE_PERIODS[period]):
            values[name] = f"{int(at[:4]) + offset:04d}{at[4:]}"


def _check_verbatim(kind: Kind, values: dict, quotes: list[Quote], at, errors: list[str]) -> None:
    """Quoted words, titles, names: each as the source writes it, inside one of the fact's quotes."""
    for f in kind.fields:
        if not f.verbatim or f.name not in values:
            continue
        for v in values[f.name] if isinstance(values[f.name], list) else [values[f.name]]:
            if not any(str(v) in q.exact for q in quotes):
                errors.append(f"{at(f.name)}: field '{f.name}' value {str(v)!r} is not word for word in any of its quotes")


def _unalias(spec: dict, path: Path, entities: dict[str, Entity], where: str, errors: list[str]) -> dict | None:
    """A Leadership fact as the PostHolding of "leader of <state>", creating that post on first use."""
    kind, renamed = ALIASES[spec["kind"]]
    out = {renamed.get(k, k): v for k, v in spec.items()}
    out["kind"] = kind
    state = entities.get(str(spec.get("state")))
    if state is None or state.type != "State":
        errors.append(f"{where}: 'state' must name a State entity, not {spec.get('state')!r}")
        return None
    slug = f"leader-of-{state.slug}"
    post = entities.setdefault(slug, Entity(slug, "LeaderPost", f"leader of {state.label}", path, post_in=state.slug))
    if post.type != "LeaderPost" or post.post_in != state.slug:
        errors.append(f"{where}: entity '{slug}' exists but is not the LeaderPost of {state.slug}")
    out["post"] = slug
    return out


def _value(type_: str, raw, entities, where: str, errors: list[str]):
    assert type_ in KEY_TYPES or type_ in TEXT_TYPES
    if type_ in ("entity", "entities"):
        slugs = raw if type_ == "entities" else [raw]
        if type_ == "entities" and not isinstance(raw, list):
            slugs = [raw]
        missing = [s for s in slugs if s not in entities]
        if missing:
            errors.append(f"{where}: unknown entity {', '.join(map(str, missing))}")
            return None
        return sorted(slugs) if type_ == "entities" else raw
    if type_ == "role":
        if raw not in ROLES:
            errors.append(f"{where}: role must be one of {', '.join(ROLES)}")
            return None
        return raw
    if type_ == "texts":
        return [str(x) for x in raw] if isinstance(raw, list) else [str(raw)]
    if type_ in ("start", "end", "date", "date-literal"):
        text = str(raw)
        if not DATE.match(text):
            errors.append(f"{where}: a date is YYYY, YYYY-MM or YYYY-MM-DD, not {raw!r}")
            return None
        return text
    if type_ == "bool":
        if not isinstance(raw, bool):
            errors.append(f"{where}: must be true or false")
            return None
        return raw
    if type_ == "ended":
        if raw is not True:
            errors.append(f"{where}: write 'ended: true' or leave it out")
            return None
        return raw
    if type_ in ("measure", "relation", "topic"):
        if not SLUG.match(str(raw)):
            errors.append(f"{where}: must be a kebab-case name")
            return None
        return str(raw)
    if type_ == "footnote":
        return [str(n) for n in raw] if isinstance(raw, list) else [str(raw)]
    return raw if type_ == "value" and isinstance(raw, (int, float)) else str(raw)


def _quotes(raw, fact: Fact, line: int | None, errors: list[str]) -> list[Quote]:
    """The fact's quotes, each with its own line; `line` is that of the `quotes:` key."""
    if not raw:
        errors.append(f"{fact.where(line)}: at least one quote is required")
        return []
    if not isinstance(raw, list):
        errors.append(f"{fact.where(line)}: 'quotes' is a list, one '- ' item per quote")
        return []
    found = (parse_quote(r, fact.where(line_of(raw, i)), errors, line_of(raw, i)) for i, r in enumerate(raw))
    return [q for q in found if q is not None]


def parse_quote(q, where: str, errors: list[str], line: int | None = None) -> Quote | None:
    """A quote as curated: a plain string (reported) or {exact, prefix, factuality}; `line` is where it is."""
    if isinstance(q, str) and q:
        return Quote(q, line=line)
    if isinstance(q, dict) and q.get("exact"):
        return _quote_mapping(q, where, errors, line)
    errors.append(f"{where}: a quote is a string or {{exact: ..., prefix: ..., factuality: ...}}, not {q!r}")
    return None


def _quote_mapping(q: dict, where: str, errors: list[str], line: int | None) -> Quote | None:
    unknown = set(q) - {"exact", "prefix", "factuality"}
    factuality = q.get("factuality", "reported")
    if unknown:
        errors.append(f"{where}: a quote has unknown keys {sorted(unknown)}")
        return None
    if factuality not in FACTUALITY:
        errors.append(f"{where}: factuality must be one of {', '.join(FACTUALITY)}, not {factuality!r}")
        return None
    return Quote(str(q["exact"]), q.get("prefix"), factuality, line)


def _check_refs(facts: list[Fact], errors: list[str]) -> None:
    seen: dict[tuple[Path, str], Fact] = {}
    for f in facts:
        if f.ref is None:
            continue
        if (f.file, f.ref) in seen:
            errors.append(f"{f.where()}: ref '{f.ref}' is already used by fact #{seen[(f.file, f.ref)].index}")
        seen[(f.file, f.ref)] = f


def load_sources_meta(path: Path, known_sources: set[str], errors: list[str]) -> dict[str, dict]:
    meta = (_read_yaml(path, errors) or {}) if path.exists() else {}
    for sid, m in meta.items():
        if sid not in known_sources:
            errors.append(f"{place(path, line_of(meta, sid))}: unknown source document '{sid}'")
        elif m.get("written") is not None and not (DATE.match(str(m["written"])) and m.get("written_reason")):
            errors.append(f"{place(path, line_of(m, 'written'))}: {sid}: 'written' is a date YYYY, YYYY-MM or "
                          "YYYY-MM-DD with a 'written_reason'")
    return meta


def written_dates(meta: dict[str, dict]) -> dict[str, str]:
    """Source ID -> when the source was written (`written:` in graph/data/sources.yaml, with the reason it gives)."""
    return {sid: str(m["written"]) for sid, m in meta.items()
            if isinstance(m, dict) and m.get("written") and DATE.match(str(m["written"]))}


def load_disagreements(path: Path, facts: list[Fact], entities, errors: list[str]) -> list[Disagreement]:
    if not path.exists():
        return []
    refs = {f"{f.source[:3]}:{f.ref}" for f in facts if f.ref}
    result = []
    specs = _read_yaml(path, errors) or []
    for i, spec in enumerate(specs, start=1):
        line = line_of(specs, i - 1)
        where = f"{place(path, line)}: disagreement #{i}"
        if not isinstance(spec, dict) or not spec.get("question") or spec.get("about") not in entities:
            errors.append(f"{where}: needs a question and 'about' naming a known entity")
            continue
        claims = [str(c) for c in spec.get("claims") or []]
        for c in claims:
            if c not in refs:
                errors.append(f"{where}: claim '{c}' names no fact (write <source prefix>:<ref>)")
        if len(claims) < 2:
            errors.append(f"{where}: a disagreement needs at least two claims")
        result.append(Disagreement(spec["question"], spec["about"], claims, path, i, line))
    return result
