"""What every rule works with: a sentence's mentions, dates and lists, and the candidate it yields."""
import re
from dataclasses import dataclass, field

from .dates import Date, dates
from .factuality import factuality
from .linking import Linker, Mention
from .text import Sentence


@dataclass
class Candidate:
    kind: str                 # a curation kind (Leadership included)
    values: dict              # its fields as curated
    start: int                # the span the quote covers
    end: int
    rule: str
    confidence: float
    factuality: str = "reported"


@dataclass
class Context:
    text: str
    ftext: str                # fold(text), computed once
    sentence: Sentence
    linker: Linker
    mentions: list[Mention]
    events: list[Mention]
    default_org: str | None
    default_event: str | None
    dates: list[Date] = field(default_factory=list)
    last_state: str | None = None   # the state the text named last before this sentence ("the country")

    def candidate(self, kind, values, rule, confidence, at: int, *spans: tuple[int, int]) -> Candidate:
        """A candidate quoting the sentence; factuality read around `at` (the trigger)."""
        s = self.sentence
        lo = min([at, *(a for a, _ in spans)])
        clause_start = max(self.text.rfind(",", s.start, lo), self.text.rfind(";", s.start, lo), s.start)
        window = self.text[clause_start:min(s.end, at + 30)]
        return Candidate(kind, {k: v for k, v in values.items() if v not in (None, [], "")},
                         s.start, s.end, rule, confidence, factuality(window))

    def of(self, types: set[str], start: int | None = None, end: int | None = None, adjective=None) -> list[Mention]:
        start = self.sentence.start if start is None else start
        end = self.sentence.end if end is None else end
        return [m for m in self.mentions if m.type in types and start <= m.start and m.end <= end
                and (adjective is None or m.adjective == adjective)]

    def folded(self, start: int | None = None, end: int | None = None) -> str:
        return self.ftext[self.sentence.start if start is None else start:
                          self.sentence.end if end is None else end]


# A list of names: "India, Pakistan, Iran, and Uzbekistan", "Kazakhstan, China, ... the UAE, Turkey".
ITEM = r"(?:the\s+)?[A-Z][\w'\-.]*(?:\s+[A-Z][\w'\-.]*)*(?:\s+in\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d)?"
SEP = r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
LIST = re.compile(rf"{ITEM}(?:{SEP}{ITEM})*")
ITEM_DATE = re.compile(r"\s+in\s+((?:[A-Z][a-z]+\s+)?(?:19|20)\d\d)$")
STOP = {"The", "In", "It", "This", "Its", "They", "He", "She", "But", "And", "Other", "Some"}


def name_list(ctx: Context, pos: int, types: set[str], new_type: str | None = "State",
              unknown_ok: bool = False) -> list[tuple[str, str | None]]:
    """(slug, date) of each name in the list starting at `pos` (after spaces); unknown names proposed
    as `new_type` entities when most of the list are known ones of that type, or always if `unknown_ok`."""
    folded = ctx.ftext[:ctx.sentence.end]
    while pos < ctx.sentence.end and folded[pos] in " :":
        pos += 1
    m = LIST.match(folded, pos)
    if not m:
        return []
    items, unknown = [], 0
    for raw in re.split(SEP, m.group()):
        item_date = ITEM_DATE.search(raw)
        name = raw[:item_date.start()] if item_date else raw
        name = re.sub(r"^the\s+", "", name).strip(" .")
        slug = ctx.linker.forms.get(name)
        if ctx.linker.is_adjective(name):
            break   # "Kazakhstan, and Russian president …": the list has ended
        if slug is None:
            if not name or name in STOP or not new_type:
                break
            unknown += 1
        date = dates(item_date.group(1))[0].value if item_date else None
        items.append((slug, name, date))
    known = [s for s, _, _ in items if s and ctx.linker.type_of(s) in types]
    if not unknown_ok and (not known or unknown > len(known)):
        return [(s, d) for s, _, d in items if s and ctx.linker.type_of(s) in types]
    return [(s if s else ctx.linker.propose(n, new_type), d) for s, n, d in items
            if (s is None) or ctx.linker.type_of(s) in types]


def search(pattern: re.Pattern, ctx: Context):
    return pattern.finditer(ctx.folded())


def at(ctx: Context, m: re.Match) -> tuple[int, int]:
    """A match in ctx.folded() as text offsets."""
    return ctx.sentence.start + m.start(), ctx.sentence.start + m.end()
