"""What the pages show: terms, facts with their evidence and factuality, disagreements.

Plain data, filled by server.web.reads from the store; the templates read these objects only.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ontology import vocab

from .fact_kinds import KINDS, ORDER, OTHER, kind_of

SCO, ORG = vocab.SCO, vocab.ORG
XSD_BOOLEAN = vocab.XSD + "boolean"

# How a source puts a fact (docs/interface.md); a quote without a stated factuality is taken as
# reported (releases built before factuality was recorded state none).
REPORTED, EXPECTED, HEDGED, ATTRIBUTED = (SCO + "Reported", SCO + "Expected", SCO + "Hedged",
                                          SCO + "Attributed")
FACTUALITY_WORDS = {REPORTED: "reported", EXPECTED: "expected", HEDGED: "hedged", ATTRIBUTED: "attributed"}

CATEGORIES = OrderedDict([
    ("organizations", ("Organizations", ["IntergovernmentalOrganization", "Organization", "OrganizationalBody",
                                         "Grouping"])),
    ("states", ("States", ["State"])),
    ("persons", ("Persons", ["Person"])),
    ("posts", ("Posts", ["Post"])),
    ("events", ("Events", ["Event", "Summit", "Meeting", "MinisterialMeeting", "MilitaryExercise", "Ceremony",
                           "Crisis", "Conflict"])),
    ("documents", ("Documents", ["Document", "Charter", "Convention", "Declaration", "Strategy", "Memorandum",
                                 "JointStatement", "Initiative", "Agreement", "Treaty", "Project"])),
    ("places", ("Places", ["Place", "City", "Region", "Venue"])),
    ("works", ("Cited works", ["CitedWork"])),
])
ORGANIZATION_TYPES = {SCO + c for c in CATEGORIES["organizations"][1]}
EVENT_TYPES = {SCO + c for c in CATEGORIES["events"][1]}


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def humanize(iri: str) -> str:
    name = local_name(iri)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return name[:1].upper() + name[1:]


def anchor(iri: str) -> str:
    """A stable HTML id for an evidence node (used on fact, entity and source pages)."""
    return "q-" + hashlib.sha1(iri.encode()).hexdigest()[:10]


@dataclass
class Term:
    """An RDF term as the pages show it."""
    value: str
    is_iri: bool
    label: str | None = None
    datatype: str | None = None

    @property
    def text(self) -> str:
        if self.label:
            return self.label
        if self.is_iri:
            return humanize(self.value)
        if self.datatype == XSD_BOOLEAN:
            return "yes" if self.value in ("true", "1") else "no"
        return self.value


def term(t, label=None) -> Term:
    if isinstance(t, ox.Literal):
        return Term(t.value, False, None, t.datatype.value if not t.language else None)
    return Term(t.value, True, None if label is None else label.value)


@dataclass
class Evidence:
    iri: str
    source: str
    source_id: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0
    cites: list = field(default_factory=list)
    factuality: str = REPORTED
    before: str = ""
    after: str = ""
    key_words: tuple = ()

    @property
    def anchor(self) -> str:
        return anchor(self.iri)

    @property
    def factuality_word(self) -> str:
        return FACTUALITY_WORDS.get(self.factuality, "reported")

    def segments(self) -> list[tuple[str, bool]]:
        """The quote as shown inside <q>, cut into (text, is a key word) pieces: the names of what the fact is
        about."""
        return key_segments(inside_marks(self.exact), self.key_words)


# A quote shown inside <q> (or between the page's own “ ”) gets double quote marks from the page: a source's own
# double mark at either end would show doubled (““…””), so it is left to the page's. A single mark at an end nests
# inside the page's double ones (“‘…’”) and may be an apostrophe ("the members’"): it stays.
OPENING_MARKS, CLOSING_MARKS = ("\u201c", '"'), ("\u201d", '"')


def inside_marks(text: str) -> str:
    """The quote without the source's own double quote marks at its ends, for showing between the page's marks;
    the stored quote is never changed."""
    if text.startswith(OPENING_MARKS):
        text = text[1:]
    if text.endswith(CLOSING_MARKS):
        text = text[:-1]
    return text


def key_segments(text: str, words) -> list[tuple[str, bool]]:
    words = sorted({w for w in words if len(w) >= 3}, key=len, reverse=True)[:40]
    if not words:
        return [(text, False)]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


@dataclass
class Fact:
    iri: str
    label: str = ""
    kind: str = OTHER
    types: list = field(default_factory=list)
    props: "OrderedDict[str, list[Term]]" = field(default_factory=OrderedDict)
    begin: str | None = None
    end: str | None = None
    end_derived_from: list = field(default_factory=list)  # the later statements a derived end comes from
    when: str | None = None
    sources: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    disputes: list = field(default_factory=list)

    @property
    def reported(self) -> bool:
        """A fact is reported when at least one of its evidence annotations is (docs/interface.md)."""
        return not self.evidence or any(e.factuality == REPORTED for e in self.evidence)

    @property
    def factuality_word(self) -> str:
        if self.reported:
            return "reported"
        return "expected" if any(e.factuality == EXPECTED for e in self.evidence) else "hedged"

    @property
    def period(self) -> str:
        if self.when:
            return self.when
        if self.begin and self.end:
            derived = " (end derived)" if self.end_derived_from else ""
            return self.begin if self.begin == self.end else f"{self.begin} – {self.end}{derived}"
        if self.begin:
            return f"from {self.begin}"
        if self.end:
            return f"until {self.end}"
        for p in ("year", "startYear"):
            if SCO + p in self.props:
                return ("from " if p == "startYear" else "") + self.props[SCO + p][0].value
        return ""

    def years(self) -> tuple[int | None, int | None]:
        def year(v):
            m = re.match(r"-?\d{4}", v or "")
            return int(m.group(0)) if m else None
        b = year(self.begin) or year(self.when) or year(_first(self.props.get(SCO + "startYear")))
        e = year(self.end) or year(_first(self.props.get(SCO + "endYear")))
        return b, e

    def cell(self, predicate: str) -> list:
        return self.props.get(predicate, [])

    def names(self) -> set[str]:
        """The words a quote of this fact is likely to use for it: labels and literal values."""
        return {t.text for ts in self.props.values() for t in ts} | {y for y in (self.begin, self.end, self.when) if y}

    def by_source(self) -> "OrderedDict[str, list[Evidence]]":
        """The evidence grouped by source, so a long source title is written once per cell."""
        out: OrderedDict = OrderedDict()
        for e in self.evidence:
            out.setdefault(e.source, []).append(e)
        return out

    def sort_key(self):
        return (ORDER.index(self.kind) if self.kind in KINDS else len(ORDER), self.years()[0] or 9999, self.label)


def _first(terms):
    return terms[0].value if terms else None


@dataclass
class Disagreement:
    iri: str
    question: str
    about: list = field(default_factory=list)
    claims: list = field(default_factory=list)  # Facts (with evidence)

    @property
    def anchor(self) -> str:
        return "d-" + hashlib.sha1(self.iri.encode()).hexdigest()[:10]

    def opposes(self, fact: Fact) -> bool:
        """Whether another claim, from a source this fact does not cite, stands against it."""
        own = set(fact.sources)
        return any(c.iri != fact.iri and set(c.sources) - own for c in self.claims)


def mark_disputes(facts, disagreements) -> None:
    """A fact is disputed only by a disagreement that holds another source's claim against it."""
    for f in facts:
        f.disputes = [d for d in disagreements if any(c.iri == f.iri for c in d.claims) and d.opposes(f)]


def set_kind(fact: Fact) -> None:
    fact.kind = kind_of(fact.types)


def highlight_segments(text: str, quotes: list[dict]) -> list[dict]:
    """Split a text at every quote boundary: [{text, quotes (covering), starts (anchors starting here)}]."""
    bounds = {0, len(text)}
    for q in quotes:
        bounds.update((q["start"], q["end"]))
    bounds = sorted(b for b in bounds if 0 <= b <= len(text))
    segments = []
    for lo, hi in zip(bounds, bounds[1:]):
        covering = [q for q in quotes if q["start"] <= lo and hi <= q["end"]]
        covering.sort(key=lambda q: q["end"] - q["start"])
        segments.append({"text": text[lo:hi], "quotes": covering,
                         "starts": [q for q in quotes if q["start"] == lo]})
    return segments
