"""The fact kinds as the pages show them, read from graph.kinds (the one table of kinds and fields).

graph.kinds says which class and which properties each kind has; this module adds only what a page
needs on top: a heading per kind and a column per field (the period fields share one column).
"""
from __future__ import annotations

from dataclasses import dataclass

from graph import kinds as curated

WHEN = "when"  # the column that shows a fact's period or date
OTHER = "Fact"
# Headings in prose; a kind without one here gets its name ("Body placement" -> "Body placements").
HEADINGS = {"PostHolding": "Posts held", "Attendance": "Events attended", "Absence": "Events missed",
            "EventOccurrence": "Events held", "DocumentAdoption": "Documents adopted",
            "BodyPlacement": "Bodies", "MembershipInterest": "Interest in membership",
            "NonMembership": "Not members", "Citation": "Works cited", "Relation": "Other relations",
            "Participation": "Participation"}
# The heading when the page's entity is the event the facts are about, not the person.
EVENT_HEADINGS = {"Attendance": "Who attended", "Absence": "Who did not attend"}
_DATE_TYPES = {"start": "Period", "end": "Period", "date": "Date"}


@dataclass(frozen=True)
class ShownKind:
    name: str
    own_class: str
    classes: frozenset
    heading: str
    columns: tuple  # (predicate IRI or WHEN, header)


def _words(name: str) -> str:
    out = "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(name))
    return out.replace("_", " ")


def _columns(kind: curated.Kind) -> tuple:
    columns = []
    for f in kind.fields:
        col = (WHEN, _DATE_TYPES[f.type]) if f.type in _DATE_TYPES else (f.prop, _words(f.name).capitalize())
        if col not in columns:
            columns.append(col)
    return tuple(columns)


def _shown(kind: curated.Kind) -> ShownKind:
    return ShownKind(kind.name, kind.classes[0], frozenset(kind.classes),
                     HEADINGS.get(kind.name) or _words(kind.name).capitalize() + "s", _columns(kind))


KINDS: dict[str, ShownKind] = {k.name: _shown(k) for k in curated.KINDS.values()}
ORDER = list(KINDS)


def kind_of(types) -> str:
    """The most specific kind whose own class the node has (a Chairmanship is also a Membership)."""
    types = set(types)
    matching = [k for k in KINDS.values() if k.own_class in types]
    if not matching:
        return OTHER
    return max(matching, key=lambda k: len(k.classes)).name


def heading(kind: str, about_event: bool = False) -> str:
    if about_event and kind in EVENT_HEADINGS:
        return EVENT_HEADINGS[kind]
    return KINDS[kind].heading if kind in KINDS else "Other facts"
