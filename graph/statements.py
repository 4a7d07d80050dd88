"""Curated facts -> statements: one node per statement, however many sources state it.

The same kind and the same structured values (participants, role, organization, ...) are one statement; each
source adds its evidence. When it holds is not part of the identity: a source that gives a date less precisely
("2024") supports the statement of one that gives it more precisely ("2024-07"), and the statement carries the
most precise date that a reporting source gives. Dates that cannot both be true ("2017" and "2018") make two
statements, whose IRIs then end with their dates, and a disagreement can set them against each other.
"""
from dataclasses import dataclass, field

from .curation import Fact
from .kinds import TEXT_TYPES, WHERE_FIELDS

DATED = ("from", "until", "date")
CIRCUMSTANCES = DATED + WHERE_FIELDS


@dataclass
class Statement:
    facts: list[Fact]                      # in file order
    path: str                              # the IRI path under fact/
    values: dict                           # structured values, the most precise dates, the first text of each field
    texts: dict = field(default_factory=dict)   # free-text field -> every distinct value the sources give

    @property
    def kind(self):
        return self.facts[0].kind

    @property
    def reported(self) -> bool:
        """Reported when at least one evidence reports it (CURATION.md, "How the source puts it")."""
        return any(f.reported() for f in self.facts)


def compatible(a: str, b: str) -> bool:
    """Two dates can both be true: one is the other at a lower precision ("2024" and "2024-07")."""
    return a.startswith(b) or b.startswith(a)


def _agree(name: str, a: str, b: str) -> bool:
    return compatible(a, b) if name in DATED else a == b


def statements(facts: list[Fact]) -> list[Statement]:
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        groups.setdefault(f.path(), []).append(f)
    out = []
    for path, group in groups.items():
        clusters = _clusters(group)
        for cluster in clusters:
            s = _merged(cluster, path)
            if len(clusters) > 1:
                s.path += "".join(f"/{s.values[d]}" for d in CIRCUMSTANCES if d in s.values) or "/undated"
            out.append(s)
    return out


def by_fact(stmts: list[Statement]) -> dict[int, Statement]:
    """id(fact) -> its statement."""
    return {id(f): s for s in stmts for f in s.facts}


def _clusters(group: list[Fact]) -> list[list[Fact]]:
    """Facts whose dates and places can all be true together, in file order."""
    clusters: list[tuple[list[Fact], dict]] = []
    for f in group:
        for members, most_precise in clusters:
            if all(_agree(d, f.values[d], most_precise[d]) for d in CIRCUMSTANCES if d in f.values and d in most_precise):
                members.append(f)
                for d in CIRCUMSTANCES:
                    if len(f.values.get(d, "")) > len(most_precise.get(d, "")):
                        most_precise[d] = f.values[d]
                break
        else:
            clusters.append(([f], {d: f.values[d] for d in CIRCUMSTANCES if d in f.values}))
    return [members for members, _ in clusters]


def _merged(facts: list[Fact], path: str) -> Statement:
    """One statement's values: structured values (the same in every fact), each date at the highest precision that
    a reporting fact gives (any fact's when none reports it), and free text as the sources give it."""
    reported = [f for f in facts if f.reported()]
    dating = reported or facts
    values = dict(facts[0].values)
    texts: dict[str, list] = {}
    for fd in facts[0].kind.fields:
        if fd.name in CIRCUMSTANCES:
            dates = [f.values[fd.name] for f in dating if fd.name in f.values]
            values.pop(fd.name, None)
            if dates:
                values[fd.name] = max(dates, key=len)
        elif fd.type == "ended":
            values.pop(fd.name, None)
            if "until" not in values and any(f.values.get("ended") for f in dating):
                values["ended"] = True
        elif fd.type in TEXT_TYPES and not fd.identity:
            found = [f.values[fd.name] for f in reported + [f for f in facts if f not in reported] if fd.name in f.values]
            values.pop(fd.name, None)
            if found:
                values[fd.name] = found[0]
                texts[fd.name] = list(dict.fromkeys(found))
    return Statement(facts, path, values, texts)
