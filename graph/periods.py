"""When a statement holds: ends derived from successions, and whether it holds at a date.

A role replaced by a later role of the same member in the same organization (observer -> member state,
dialogue partner -> observer) ends where the later one begins; so does a chairmanship when the organization's
next chair begins. Such an end is derived by the build, not stated by a source: it names the statement it
comes from (sco:DerivedInstant, sco:derivedFrom).
"""
from dataclasses import dataclass

from .statements import Statement, compatible

# How far a role goes in an organization: a later role of a higher level replaces an earlier one.
ROLE_LEVELS = {"dialogue-partner": 1, "partner-status": 1, "observer-or-dialogue-partner": 1,
               "observer-state": 2, "member-state": 3, "founding-member": 3}


@dataclass(frozen=True)
class DerivedEnd:
    date: str               # where the later statement begins
    later: Statement        # the statement it comes from


def derived_ends(stmts: list[Statement]) -> dict[str, DerivedEnd]:
    """Statement path -> its derived end, for statements no source gives an end."""
    ends = {}
    for s in stmts:
        if "until" in s.values or "ended" in s.values:
            continue
        later = [t for t in stmts if t.reported and "from" in t.values and _replaces(t, s)]
        if later:
            first = min(later, key=lambda t: t.values["from"])
            ends[s.path] = DerivedEnd(first.values["from"], first)
    return ends


def _replaces(later: Statement, earlier: Statement) -> bool:
    if later.kind.name != earlier.kind.name or later.kind.name not in ("Membership", "Chairmanship") \
            or later.values["organization"] != earlier.values["organization"]:
        return False
    if later.kind.name == "Chairmanship":
        return "from" in earlier.values and _before(earlier.values["from"], later.values["from"]) \
            and later.values["chair"] != earlier.values["chair"]
    if later.values["member"] != earlier.values["member"]:
        return False
    lower, higher = ROLE_LEVELS.get(earlier.values["role"]), ROLE_LEVELS.get(later.values["role"])
    return lower is not None and higher is not None and lower < higher \
        and ("from" not in earlier.values or _before(earlier.values["from"], later.values["from"]))


def _before(a: str, b: str) -> bool:
    """a is certainly earlier than b (not the same time at two precisions)."""
    return not compatible(a, b) and a < b


def holds_at(values: dict, end: str | None, when: str) -> bool:
    """Whether a statement with these values (and derived end, if any) holds at `when`: begun by then, not ended."""
    start = values.get("from")
    if start and not (start[:len(when)] <= when[:len(start)]):
        return False
    if values.get("ended"):
        return False
    end = values.get("until") or end
    if end is None:
        return True
    common = min(len(end), len(when))
    # An end at `when`'s precision or finer that is not after it has come; a coarser one ("2024" at 2024-07) has not.
    return end[:common] > when[:common] or (end[:common] == when[:common] and len(end) < len(when))


def latest(dates) -> str:
    """The latest of some dates at various precisions ("2024-10" after "2024-07" after "2024")."""
    return max(dates, key=lambda d: (d[:4], d))
