"""Events, chairs and documents: "the summit in Astana in July 2024", "Kazakhstan has chaired the SCO",
"In 2017, the organization adopted the SCO Convention on Countering Extremism"."""
import re

from .common import Context, at, search
from .dates import nearest
from .linking import DOCUMENT_TYPES, ORG_TYPES, slugify
from .text import fold

PLACES = {"City", "Venue", "State", "Region"}
HAPPENINGS = {"Conflict", "Crisis"}
NEW_EVENT = re.compile(r"\b((?:[\w-]+ ){0,2}(?:military exercise|joint drills|drills|armed clashes|clashes|protests|"
                       r"crisis|incident|ministerial summit|ministerial meeting|meeting of the [A-Z]+))\b")
CHAIR = re.compile(r"\b(?:chair(?:ed|s)?|chairmanship|chairing|rotating presidency)\b")
ADOPT = re.compile(r"\b(?:adopted|signed|issued|drawn up|ended with|approved|ratified|concluded|"
                   r"reached agreements?|made a (?:further )?joint statement)\b")
DOC_WORDS = {"Declaration": "Declaration", "Charter": "Charter", "Convention": "Convention", "Strategy": "Strategy",
             "Initiative": "Initiative", "Memorandum": "Memorandum", "Agreement": "Agreement", "Treaty": "Treaty",
             "joint statement": "JointStatement", "memorandum of understanding": "Memorandum"}
TITLED = re.compile(r"(?:the )?((?:[A-Z][\w'-]*|on|of|for|and|the) ?)+?\b(Declaration|Charter|Convention|Strategy|"
                    r"Initiative|Memorandum|Agreement|Treaty)\b(?: (?:on|of|for) (?:[A-Z][\w'-]* ?)+)?|"
                    r"\"[^\"]{6,80}\"|\b(?:a |the )?(joint statement|memorandum of understanding)\b")


def _place_after(ctx: Context, pos: int):
    m = re.match(r"[\w ,'-]{0,60}?\b(?:in|at)\s+(?:the\s+)?", ctx.ftext[pos:ctx.sentence.end])
    if not m:
        return None
    places = ctx.of(PLACES, pos + m.end(), pos + m.end() + 40)
    return places[0].slug if places and places[0].start == pos + m.end() else None


def _city_in(ctx: Context):
    """A city the sentence puts something in ("gathered … in the Kazakh capital of Astana")."""
    for m in ctx.of({"City", "Venue"}):
        if re.search(r"\b(?:in|at|of)\s+(?:the\s+)?$", ctx.ftext[max(ctx.sentence.start, m.start - 8):m.start]):
            return m.slug
    return None


def occurrences(ctx: Context):
    for ev in ctx.events + ctx.of(HAPPENINGS):
        place = _place_after(ctx, ev.end) or (_city_in(ctx) if ev.type in ("Summit", "Meeting") else None)
        date = nearest([d for d in ctx.dates if abs(d.start - ev.start) < 60], ev.start)
        if place or date:
            yield ctx.candidate("EventOccurrence", {"event": ev.slug, "place": place,
                                                    "from": date.value if date else None},
                                "event.linked", 0.6, ev.start)
    for m in search(NEW_EVENT, ctx):
        s, e = at(ctx, m)
        if any(ev.start <= s < ev.end or s <= ev.start < e for ev in ctx.events):
            continue
        place = _place_after(ctx, e)
        for date in [d for d in ctx.dates if abs(d.start - s) < 80] or [None]:
            if not date and not place:
                continue
            label = f"{m.group(1)} {('in ' + ctx.linker.label_of(place)) if place else ''} {date.value if date else ''}"
            event = ctx.linker.propose(" ".join(label.split()), "Meeting")
            yield ctx.candidate("EventOccurrence", {"event": event, "place": place, "from": date.value if date else None},
                                "event.new", 0.5, s)


def _chaired_list(ctx: Context, pos: int) -> list[str]:
    """"chairing five other international organizations, including the CSTO, the Organization of …":
    the organizations named between commas (names may hold "of", "on", "and")."""
    m = re.search(r"\bincluding\s+", ctx.ftext[pos:ctx.sentence.end])
    if not m:
        return []
    out = []
    for raw in re.split(r",\s*(?:and\s+)?", ctx.text[pos + m.end():ctx.sentence.end].rstrip(" .")):
        name = re.sub(r"^(?:the|and)\s+", "", raw.strip())
        if not name[:1].isupper() or len(name.split()) > 10:
            break
        out.append(ctx.linker.forms.get(fold(name)) or ctx.linker.propose(name, "IntergovernmentalOrganization"))
    return out


def chairmanships(ctx: Context):
    for m in search(CHAIR, ctx):
        s, e = at(ctx, m)
        if ctx.ftext[e:e + 4] == " by ":
            continue   # "a summit chaired by India" is said of the summit
        if ctx.last_state and re.search(r"\bthe country (?:is|was|has)\s+$", ctx.ftext[ctx.sentence.start:s]):
            for org in _chaired_list(ctx, e):
                yield ctx.candidate("Chairmanship", {"chair": ctx.last_state, "organization": org},
                                    "chair.the-country-chairs", 0.5, s)
            continue
        states = ctx.of({"State"}, max(ctx.sentence.start, s - 60), s)
        orgs = ctx.of(ORG_TYPES)
        org = orgs[0].slug if orgs else ctx.default_org
        if not states or not org:
            continue
        span = re.search(r"from ((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)", ctx.folded())
        date = nearest(ctx.dates, e)
        window = ctx.folded()
        values = {"chair": states[-1].slug, "organization": org,
                  "from": span.group(1) if span else (date.value if date else None),
                  "until": span.group(2) if span else None,
                  "ended": True if re.search(r"past year|previous|former|has chaired", window) else None}
        yield ctx.candidate("Chairmanship", values, "chair.state-chairs", 0.7, s)


def _document(ctx: Context):
    docs = ctx.of(DOCUMENT_TYPES)
    if docs:
        return docs[0].slug
    m = TITLED.search(ctx.folded())
    if not m:
        return None
    title = ctx.text[ctx.sentence.start + m.start():ctx.sentence.start + m.end()].strip("“”\" ")
    word = next((w for w in DOC_WORDS if w in title), "joint statement")
    title = re.sub(r"^(?:a|the)\s+", "", title)
    return ctx.linker.propose(title, DOC_WORDS[word], slug=slugify(title) if word[0].isupper() else None)


def adoptions(ctx: Context):
    for m in search(ADOPT, ctx):
        s, e = at(ctx, m)
        doc = _document(ctx)
        if not doc:
            continue
        by = ctx.of(ORG_TYPES | {"State"}, ctx.sentence.start, s, adjective=False)
        event = ctx.events[0].slug if ctx.events else None
        date = nearest(ctx.dates, s)
        values = {"document": doc, "adopted_by": sorted({b.slug for b in by[-2:]}), "event": event,
                  "date": date.value if date else None}
        yield ctx.candidate("DocumentAdoption", values, "document.adopted", 0.6, s)
        break


RULES = (occurrences, chairmanships, adoptions)
