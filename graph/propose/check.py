"""Candidates read as the build reads curated facts: the curation loader for fields and entities, then
the RDF builder for anchoring every quote and for the sentence of every fact."""
from pathlib import Path

from ..curation import FACTUALITY, Curation, Entity, Fact, _fact
from ..to_rdf import RdfBuilder


def as_fact(spec: dict, entities: dict[str, Entity], source: str, strict: bool = False) -> tuple[Fact | None, list[str]]:
    """A candidate's curation mapping read by the curation loader itself, with the problems it finds.
    Like the loader, it adds to `entities` the post a Leadership fact implies. Not `strict`, a quote
    `attributed` is read as `hedged` by a loader that does not know that value yet (to compare it with
    the graph); `strict` is what the build will say."""
    errors: list[str] = []
    if not strict and "attributed" not in FACTUALITY:
        spec = {**spec, "quotes": [{**q, "factuality": "hedged"} if isinstance(q, dict) and
                                   q.get("factuality") == "attributed" else q for q in spec["quotes"]]}
    fact = _fact(Path(f"{source}.yaml"), 0, source, spec, entities, errors)
    return fact, errors


def as_entities(proposed: dict[str, dict]) -> dict[str, Entity]:
    return {s: Entity(s, e["type"], e["label"], Path("proposed"), list(e.get("alt") or []), post_in=e.get("post_in"))
            for s, e in proposed.items()}


def build_problems(specs: list[dict], proposed: dict[str, dict], text: str, source: str,
                   entities: dict[str, Entity]) -> list[str]:
    """What the build would refuse in these candidates: unknown fields or entities, a quote not found
    verbatim (or ambiguous), two facts with one sentence."""
    known = {**entities, **as_entities(proposed)}
    errors, facts = [], []
    for i, spec in enumerate(specs, start=1):
        fact, problems = as_fact(spec, known, source, strict=True)
        errors += [f"candidate #{i}: {p}" for p in problems]
        if fact is not None and not problems:
            fact.index = i
            facts.append(fact)
    builder = RdfBuilder(Curation(known, facts, {}, []), {source: text})
    builder.build()
    return errors + builder.errors
