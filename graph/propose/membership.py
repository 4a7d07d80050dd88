"""Memberships and foundings: "X joined in July 2023", "additions to the SCO include X and Y in 2017",
"the original grouping, formed in 2001, was comprised of …", "established in 2001 by China and Russia"."""
import re

from .common import Context, at, name_list, search
from .dates import nearest
from .linking import ORG_TYPES

STATES = {"State"}
# Words after which a list of members follows.
LIST_TRIGGER = re.compile(
    r"\b(?:additions to (?:the )?\w+ include|expanded (?:its|their) membership to include|"
    r"members(?: of the \w+)?,? such as|fellow \w+ members|(?:consisting|comprised|composed) of|includes?|"
    r"(?:added|welcoming|welcomed|admitted|admission of|inclusion of|accession of)|"
    r"member states,? other than [\w\s-]+?,|status to|(?:observers?|dialogue partners?|partners),? (?:such as|include))",
    re.I)
JOINED = re.compile(r"\b(?:joined|became (?:a )?(?:full )?member|was admitted|were admitted|acceded)\b")
MEMBER_OF = re.compile(r"\b(?:(?:is|are|was|were|as) (?:also |both |now )?(?:a |full )?members? (?:state )?of|"
                       r"(?:an? )?ally|membership)\b")
FOUNDED = re.compile(r"\b(?:established|founded|formed|created|set up)\b")
FOUNDING_WORDS = re.compile(r"\b(?:original|founding|founded|established|formed)\b", re.I)


def _role(ctx: Context, org: str, window: str) -> str:
    if re.search(r"observer", window, re.I) and re.search(r"dialogue partner", window, re.I):
        return "observer-or-dialogue-partner"
    for cue, role in (("observer", "observer-state"), ("dialogue partner", "dialogue-partner"),
                      ("partner status", "partner-status")):
        if cue in window.lower():
            return role
    if FOUNDING_WORDS.search(window):
        return "founding-member"
    return "member" if ctx.linker.type_of(org) == "Grouping" else "member-state"


def _org(ctx: Context, start: int, end: int) -> str | None:
    orgs = ctx.of(ORG_TYPES, start, end)
    return orgs[0].slug if orgs else ctx.default_org


def _membership(ctx, member, org, role, date, rule, conf, at_, until=None):
    values = {"member": member, "organization": org, "role": role,
              "from": date if role != "observer-or-dialogue-partner" else None, "until": until}
    return ctx.candidate("Membership", values, rule, conf, at_)


def from_lists(ctx: Context):
    for m in search(LIST_TRIGGER, ctx):
        s, e = at(ctx, m)
        items = name_list(ctx, e, STATES)
        if not items:
            continue
        before = ctx.of(ORG_TYPES, ctx.sentence.start, s)   # "the “Shanghai Five” consisting of …"
        org = before[-1].slug if before else _org(ctx, s, ctx.sentence.end)
        if not org or org in {slug for slug, _ in items}:
            continue
        window = ctx.folded(ctx.sentence.start, e)
        role = _role(ctx, org, window)
        year = nearest(ctx.dates, s)
        for slug, item_date in items:
            date = item_date or (year.value if year and role != "member" else None)
            yield _membership(ctx, slug, org, role, date, "membership.list", 0.7, s)


def from_joined(ctx: Context):
    for m in search(JOINED, ctx):
        s, e = at(ctx, m)
        before = ctx.of(STATES, ctx.sentence.start, s, adjective=False)
        if not before:
            continue
        org = _org(ctx, e, ctx.sentence.end) or _org(ctx, ctx.sentence.start, s)
        date = nearest([d for d in ctx.dates if d.start >= e], e)
        if org:
            yield _membership(ctx, before[-1].slug, org, _role(ctx, org, ctx.folded()), date.value if date else None,
                              "membership.joined", 0.8, s)


def from_member_of(ctx: Context):
    """"Türkiye, a NATO ally", "both are members of the SCO and CSTO", "Türkiye’s NATO membership"."""
    for m in search(MEMBER_OF, ctx):
        s, e = at(ctx, m)
        orgs = ctx.of({"IntergovernmentalOrganization", "Grouping"}, max(ctx.sentence.start, s - 12), e + 40)
        states = ctx.of(STATES, ctx.sentence.start, s, adjective=False)[-2:]
        for org in orgs:
            for st in states:
                yield _membership(ctx, st.slug, org.slug, _role(ctx, org.slug, ctx.folded(s, e)), None,
                                  "membership.member-of", 0.5, s)


def foundings(ctx: Context):
    for m in search(FOUNDED, ctx):
        s, e = at(ctx, m)
        near = ctx.of(ORG_TYPES, ctx.sentence.start, e) or ctx.of(ORG_TYPES, e, e + 40)
        org = near[-1 if near and near[0].start < s else 0].slug if near else ctx.default_org
        if not org or ctx.linker.type_of(org) not in ORG_TYPES:
            continue
        date = nearest([d for d in ctx.dates if d.start >= s - 40], e)
        tail = ctx.folded(e, ctx.sentence.end)
        founders = []
        by = re.search(r"\b(?:by|comprised of|consisting of|amongst|among)\s+", tail)
        if by:
            founders = [slug for slug, _ in name_list(ctx, e + by.end(), STATES)]
        when = date.value if date else None
        if not when and not founders:
            continue   # "has firmly established itself" founds nothing
        yield ctx.candidate("Founding", {"organization": org, "founders": sorted(set(founders)), "date": when},
                            "founding.established", 0.8, s)
        for slug in founders:
            yield _membership(ctx, slug, org, "founding-member", when, "membership.founder", 0.7, s)


RULES = (from_lists, from_joined, from_member_of, foundings)
