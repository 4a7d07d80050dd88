"""People in office and at events: "Russian President Vladimir Putin", "Shehbaz Sharif of Pakistan",
"Erdoğan attended the conference", "Modi notably skipped the Astana summit", "Putin visited Beijing"."""
import re

from .common import SEP, Context, at, name_list, search
from .dates import nearest
from .linking import NAME, PLACE_TYPES, Mention, slugify

TITLE = re.compile(r"\b(?P<acting>acting\s+)?(?P<title>President|Prime Minister|[Pp]remier|Secretary-General|"
                   r"[Ff]oreign [Mm]inister|[Pp]resident|[Pp]rime [Mm]inister|Chancellor|King|Emir|leader)\b")
ENDED = re.compile(r"\b(?:then|at the time|former|late|who was killed|who died|ex-)\b")
ATTEND = re.compile(r"\b(?:attended|attending|attend|attendance|attendees?|gathered|came|participat\w+|presence|"
                    r"convene)\b")
ABSENT = re.compile(r"\b(?:skipped|skip|skipping|not attend\w*|absence|absent|forgo|stayed away|missed)\b")
VISIT = re.compile(r"\b(?:(?:state )?visit(?:ed|ing|s)?(?: to)?|trips? to)\s+")
HEADS = re.compile(r"\bheads? of state(?: and government)? of\s+")
LEADER = rf"(?P<name>{NAME}) of (?P<state>{NAME})"
LEADERS = re.compile(rf"{LEADER}(?:{SEP}{NAME} of {NAME})*")
PEOPLE = {"Person"}
STATE_TYPES = {"State"}


def _name_after(ctx: Context, pos: int) -> tuple[str, int] | None:
    """The person named right after `pos`: the graph's, a close spelling, or a new one (two names or more)."""
    for m in ctx.of(PEOPLE, pos, pos + 3):
        return m.slug, m.end
    m = re.compile(NAME).match(ctx.ftext, pos)
    if m and " " in m.group() and not TITLE.match(m.group()):
        return ctx.linker.person(ctx.text[m.start():m.end()]), m.end()
    return None


def _state_before(ctx: Context, pos: int, reach: int = 30) -> str | None:
    near = [m for m in ctx.of(STATE_TYPES, max(ctx.sentence.start, pos - reach), pos)]
    return near[-1].slug if near else None


def _post(ctx: Context, title: str, state: str | None, person: str) -> str | None:
    title = title.lower()
    words = {"premier": ["premier", "prime minister"], "prime minister": ["prime minister", "premier"]}.get(title, [title])
    for slug in ctx.linker.holdings.get(person, ()):
        post = ctx.linker.entities.get(slug)
        if post and any(w in post.label.lower() for w in words) and (state is None or post.post_in == state):
            return slug
    if state is None:
        return None
    for e in ctx.linker.entities.values():
        if e.type == "Post" and e.post_in == state and any(w in n.lower() for w in words for n in [e.label, *e.alt]):
            return e.slug
    label = f"{title.title()} of {ctx.linker.label_of(state)}"
    return ctx.linker.propose(label, "Post", slug=f"{slugify(title)}-of-{state}", post_in=state)


def add_titled(ctx: Context) -> None:
    """People the graph does not name yet, found by their title ("acting President Mohammad Mokhbar")."""
    for m in search(TITLE, ctx):
        _, e = at(ctx, m)
        named = _name_after(ctx, e + 1)
        if named and not ctx.of(PEOPLE, e + 1, named[1]):
            ctx.mentions.append(Mention(e + 1, named[1], named[0], "Person"))
    ctx.mentions.sort(key=lambda m: m.start)


def posts(ctx: Context):
    for m in search(TITLE, ctx):
        s, e = at(ctx, m)
        after = re.match(r"(?: of (?P<of>[A-Z][\w ]+?))?(?: at the time)?,?\s+", ctx.ftext[e:ctx.sentence.end])
        named = _name_after(ctx, e + after.end()) if after else None
        if not named:
            continue
        person, name_end = named
        state = _state_before(ctx, s) or \
            (ctx.linker.forms.get(after.group("of")) if after.group("of") else None)
        if m.group("title") == "leader":   # "Chinese leader Xi Jinping": no office named
            if state:
                yield ctx.candidate("Leadership", {"leader": person, "state": state}, "leader.state-leader", 0.7, s)
            continue
        post = _post(ctx, m.group("title"), state, person)
        if not post:
            continue
        window = ctx.folded(max(ctx.sentence.start, s - 20), min(ctx.sentence.end, name_end + 40))
        values = {"holder": person, "post": post, "ended": True if ENDED.search(window) else None,
                  "acting": True if m.group("acting") else None}
        yield ctx.candidate("PostHolding", values, "post.title-name", 0.8, s)
    for p in ctx.of({"Post"}):   # "UN Secretary-General António Guterres"
        named = _name_after(ctx, p.end + 1)
        if named:
            yield ctx.candidate("PostHolding", {"holder": named[0], "post": p.slug}, "post.named-post", 0.8, p.start)


def _representing(ctx: Context, person: str, pos: int) -> str | None:
    state = _state_before(ctx, pos)
    if state:
        return state
    for slug in ctx.linker.holdings.get(person, ()):
        post = ctx.linker.entities.get(slug)
        if post and post.post_in:
            return post.post_in
    return None


def _event(ctx: Context, pos: int) -> str | None:
    near = min(ctx.events, key=lambda m: abs(m.start - pos), default=None)
    return near.slug if near else ctx.default_event


def leader_lists(ctx: Context):
    """"including Vladimir Putin of Russia, Xi Jinping of China, and Kassym-Jomart Tokayev of Kazakhstan"."""
    for m in search(LEADERS, ctx):
        s, _ = at(ctx, m)
        trigger = ATTEND.search(ctx.folded(ctx.sentence.start, s + len(m.group())))
        for item in re.finditer(LEADER, m.group()):
            state = ctx.linker.forms.get(item.group("state"))
            if not state or ctx.linker.type_of(state) != "State":
                continue
            person = ctx.linker.person(ctx.text[s + item.start("name"):s + item.end("name")])
            yield ctx.candidate("Leadership", {"leader": person, "state": state}, "leader.name-of-state", 0.7,
                                s + item.start())
            event = _event(ctx, s)
            if trigger and event:
                yield ctx.candidate("Attendance", {"attendee": person, "event": event, "representing": state},
                                    "attendance.leader-list", 0.7, ctx.sentence.start + trigger.start())


def attendances(ctx: Context):
    for m in search(ATTEND, ctx):
        s, e = at(ctx, m)
        event = _event(ctx, s)
        if not event:
            continue
        heads = HEADS.search(ctx.ftext, e, ctx.sentence.end)
        if heads:
            for state, _ in name_list(ctx, heads.end(), STATE_TYPES):
                yield ctx.candidate("Attendance", {"attendee": state, "event": event, "representing": state,
                                                   "capacity": "heads of state and government"},
                                    "attendance.heads-of-state", 0.8, s)
            continue
        if LEADERS.search(ctx.folded()) or (not ctx.events and not m.group().startswith("attend")):
            continue   # a person "came" to nothing the sentence names
        for p in ctx.of(PEOPLE, max(ctx.sentence.start, s - 80), min(ctx.sentence.end, e + 80)):
            yield ctx.candidate("Attendance", {"attendee": p.slug, "event": event,
                                               "representing": _representing(ctx, p.slug, p.start)},
                                "attendance.person-attended", 0.6, s)


def absences(ctx: Context):
    for m in search(ABSENT, ctx):
        s, e = at(ctx, m)
        event = _event(ctx, s)
        who = ctx.of(PEOPLE, ctx.sentence.start, s) or ctx.of(STATE_TYPES, ctx.sentence.start, s, adjective=False)
        if event and who:
            p = who[-1]
            rep = _representing(ctx, p.slug, p.start) if p.type == "Person" else None
            yield ctx.candidate("Absence", {"attendee": p.slug, "event": event, "representing": rep},
                                "absence.skipped", 0.7, s)


def visits(ctx: Context):
    for m in search(VISIT, ctx):
        s, e = at(ctx, m)
        who = ctx.of(PEOPLE, max(ctx.sentence.start, s - 120), s)
        if not who:
            continue
        person = who[-1].slug
        date = nearest([d for d in ctx.dates if d.start >= e], e)
        for place, _ in name_list(ctx, e, PLACE_TYPES, new_type="City", unknown_ok=True)[:3]:
            event = ctx.linker.propose(f"{ctx.linker.label_of(person)} visit to {ctx.linker.label_of(place)}",
                                       "Meeting")
            yield ctx.candidate("EventOccurrence", {"event": event, "place": place,
                                                    "from": date.value if date else None}, "event.visit", 0.6, s)
            yield ctx.candidate("Attendance", {"attendee": person, "event": event,
                                               "representing": _representing(ctx, person, who[-1].start)},
                                "attendance.visit", 0.6, s)


def meetings(ctx: Context):
    """"the high-profile meeting between Putin and Xi": a meeting of the two, attended by both."""
    for m in search(re.compile(r"\bmeeting (?:between|of)\s+"), ctx):
        s, e = at(ctx, m)
        pair = ctx.of(PEOPLE, e, e + 40)[:2]
        if len(pair) < 2:
            continue
        names = " and ".join(ctx.linker.label_of(p.slug) for p in pair)
        event = ctx.linker.propose(f"Meeting between {names}", "Meeting")
        place = next(iter(ctx.of({"City"})), None)
        yield ctx.candidate("EventOccurrence", {"event": event, "place": place.slug if place else None},
                            "event.meeting-between", 0.5, s)
        for p in pair:
            yield ctx.candidate("Attendance", {"attendee": p.slug, "event": event,
                                               "representing": _representing(ctx, p.slug, p.start)},
                                "attendance.meeting-between", 0.6, s)


RULES = (posts, meetings, leader_lists, attendances, absences, visits)
