"""Ranks (Wikidata's meaning) and the direct view, derived at build time from the statements.

The rules, written once here and in the ontology's definitions of the ranks (docs/data-model.md shows them):
- deprecated: a competing claim of a disagreement that no evidence reports, while a claim of that disagreement
  that contests it is reported;
- preferred: a reported statement that holds at the latest source date (its period, as the sources give it or as
  derived from a succession, has begun and not ended) and that no reported claim contests;
- normal: every other statement (ended, contested, or only expected, hedged or attributed).
A statement no evidence reports is therefore never preferred.
"""
from .curation import Curation
from .periods import DerivedEnd, holds_at
from .statements import Statement

PREFERRED, NORMAL, DEPRECATED = "PreferredRank", "NormalRank", "DeprecatedRank"

# Claims of one disagreement contest each other when they give values of the same kind (9 members against 10),
# or one says the other did not happen. A work record or a claim set beside a statement (whether a cited
# work can support it) questions its citation, not its value.
_OPPOSITES = {frozenset(("Attendance", "Absence")), frozenset(("Membership", "NonMembership"))}


def contests(a: Statement, b: Statement) -> bool:
    return a.kind.name == b.kind.name or frozenset((a.kind.name, b.kind.name)) in _OPPOSITES

# Direct view: (kind, role) -> the direct property from the member to the organization.
ROLE_PROPERTIES = {"member-state": "memberStateOf", "founding-member": "memberStateOf",
                   "observer-state": "observerStateOf", "dialogue-partner": "dialoguePartnerOf"}
# Offices that make their holder a leader of the state they are in (besides the posts "leader of <state>").
HEAD_OFFICES = ("President of ", "Prime Minister of ", "Premier of ")


def ranks(stmts: list[Statement], ends: dict[str, DerivedEnd], rivals: dict[str, list[Statement]],
          when: str) -> dict[str, str]:
    """Statement path -> rank. `rivals`: per statement, the other claims of the disagreements it is a claim of."""
    return {s.path: rank_of(s.reported, any(r.reported and contests(s, r) for r in rivals.get(s.path, ())),
                            holds_at(s.values, ends[s.path].date if s.path in ends else None, when))
            for s in stmts}


def rank_of(reported: bool, contested_by_reported: bool, holds_now: bool) -> str:
    if not reported and contested_by_reported:
        return DEPRECATED
    return PREFERRED if reported and not contested_by_reported and holds_now else NORMAL


def direct_triples(stmts: list[Statement], rank: dict[str, str], curation: Curation):
    """(subject slug, sco property name, object slug) for what preferred statements say holds now."""
    entities = curation.entities
    for s in stmts:
        if rank[s.path] != PREFERRED:
            continue
        v = s.values
        if s.kind.name == "Membership" and v["role"] in ROLE_PROPERTIES and entities[v["member"]].type == "State":
            yield v["member"], ROLE_PROPERTIES[v["role"]], v["organization"]
        elif s.kind.name == "Chairmanship":
            yield v["chair"], "chairOf", v["organization"]
        elif s.kind.name == "PostHolding":
            post = entities[v["post"]]
            state = entities.get(post.post_in or "")
            if state and state.type == "State" and (post.type == "LeaderPost" or post.label.startswith(HEAD_OFFICES)):
                yield v["holder"], "leaderOf", state.slug
