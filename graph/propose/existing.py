"""A candidate set against the graph's statements: the ones it supports (same fact node) and the ones
it contradicts (same who and what, another date or role; attended against did not attend)."""
from collections import defaultdict
from dataclasses import replace

from ..curation import Entity, Fact
from ..sentences import sentence
from ..statements import by_fact, statements
from ..to_rdf import fact_iri

# The fields that say which question a fact answers; two facts with these equal and another date or
# role give two answers to one question.
QUESTION = {"Membership": ("member", "organization"), "Chairmanship": ("chair", "organization"),
            "PostHolding": ("holder", "post"), "Founding": ("organization",), "EventOccurrence": ("event",),
            "Attendance": ("attendee", "event"), "Absence": ("attendee", "event")}
ANSWER = ("from", "until", "date")
# A founding member is a member state: dates are compared within a group of roles only.
ROLE_GROUP = {"member-state": "member", "founding-member": "member", "member": "member", "chair": "member"}
OPPOSITE = {"Attendance": "Absence", "Absence": "Attendance"}


def describe(fact: Fact, entities: dict[str, Entity]) -> str:
    """The fact's sentence as the build writes it (read as reported: the factuality is shown apart)."""
    plain = replace(fact, quotes=[replace(q, factuality="reported") for q in fact.quotes])
    return sentence(statements([plain])[0], entities)


class Statements:
    def __init__(self, facts: list[Fact], entities: dict[str, Entity]):
        self.entities = entities
        self.statement_of = by_fact(statements(facts))   # a curated fact's node, as the build names it
        self.by_path = defaultdict(list)
        self.by_question = defaultdict(list)
        for f in facts:
            self.by_path[f.path()].append(f)
            if f.kind.name in QUESTION:
                self.by_question[(f.kind.name, *self._key(f))].append(f)

    @staticmethod
    def _key(f: Fact) -> tuple:
        return tuple(str(f.values.get(k)) for k in QUESTION[f.kind.name])

    def _name(self, f: Fact) -> str:
        return f"{fact_iri(self.statement_of[id(f)])} ({f.source[:3]}): {describe(f, self.entities)}"

    def supported(self, fact: Fact) -> list[Fact]:
        # one node however precisely each source dates it; dates that cannot both be true are two claims,
        # judged on the node's dates (an undated fact merged into a dated node has that node's date)
        return [f for f in self.by_path.get(fact.path(), []) if not _differs(self.statement_of[id(f)], fact)]

    def supports(self, fact: Fact) -> list[str]:
        return sorted({self._name(f) for f in self.supported(fact)})

    def contradicts(self, fact: Fact) -> list[str]:
        name = fact.kind.name
        if name not in QUESTION:
            return []
        found = [f for f in self.by_question.get((name, *self._key(fact)), []) if _differs(f, fact)]
        if name in OPPOSITE:
            found += self.by_question.get((OPPOSITE[name], *self._key(fact)), [])
        return sorted({self._name(f) for f in found})


def _differs(a, b: Fact) -> bool:
    """a: a curated fact or its statement (both have .values)."""
    ra, rb = a.values.get("role"), b.values.get("role")
    if ra and rb and ROLE_GROUP.get(ra, ra) != ROLE_GROUP.get(rb, rb):
        return False   # an observer then a member: two statements, no contradiction
    for k in ANSWER:
        x, y = a.values.get(k), b.values.get(k)
        if x is not None and y is not None and x != y and not (str(x).startswith(str(y)) or str(y).startswith(str(x))):
            return True
    return False
