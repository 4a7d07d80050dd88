"""Entity linking: the graph's entities found in a sentence by their names, and new entities proposed.

Names are the entities' labels and alternative names, matched on an accent-folded copy of the text
("Erdogan" finds "Erdoğan", "Turkiye" finds "Türkiye"), a person's single name where no other entity
uses it ("Xi", "Putin"), and a state's adjective ("Russian President"). A name the graph does not have
is compared with the graph's people by edit distance ("Mokhbar" is "Mokhber"), else proposed as new.
"""
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from ..curation import Entity
from .text import fold

# A state's adjective (a rule, not data: the curated names are nouns).
DEMONYMS = {
    "china": ["Chinese"], "russia": ["Russian"], "india": ["Indian"], "kazakhstan": ["Kazakh", "Kazakhstani"],
    "turkey": ["Turkish"], "pakistan": ["Pakistani"], "iran": ["Iranian"], "kyrgyzstan": ["Kyrgyz"],
    "tajikistan": ["Tajik"], "uzbekistan": ["Uzbek"], "belarus": ["Belarusian"], "mongolia": ["Mongolian"],
    "united-states": ["American"], "afghanistan": ["Afghan"], "ukraine": ["Ukrainian"], "japan": ["Japanese"],
    "azerbaijan": ["Azerbaijani"], "turkmenistan": ["Turkmen"], "vietnam": ["Vietnamese"],
}
EVENT_TYPES = {"Summit", "Meeting", "MinisterialMeeting", "Ceremony", "MilitaryExercise"}
ORG_TYPES = {"IntergovernmentalOrganization", "Grouping", "Organization", "OrganizationalBody"}
DOCUMENT_TYPES = {"Charter", "Convention", "Declaration", "Strategy", "Memorandum", "JointStatement",
                  "Initiative", "Agreement", "Treaty"}
PLACE_TYPES = {"City", "Region", "Venue", "State"}
EVENT_NOUN = re.compile(r"\b(summit|conference|meeting|session|gathering)\b", re.I)
NAME = r"[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+){0,3}"
FUZZY_CUTOFF = 85


@dataclass(frozen=True)
class Mention:
    start: int          # offsets in the text
    end: int
    slug: str
    type: str
    adjective: bool = False   # "Russian" rather than "Russia"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-") or "x"


class Linker:
    def __init__(self, entities: dict[str, Entity]):
        self.entities = entities
        self.proposed: dict[str, dict] = {}     # slug -> entity spec, for the candidates file
        forms: dict[str, set[str]] = {}
        for e in entities.values():
            if e.type == "LeaderPost":
                continue
            for name in [e.label, *e.alt]:
                forms.setdefault(fold(name), set()).add(e.slug)
            for adj in DEMONYMS.get(e.slug, []) if e.type == "State" else []:
                forms.setdefault(adj, set()).add(e.slug)
        self._adjectives = {a for s, adjs in DEMONYMS.items() if s in entities for a in adjs}
        tokens = Counter(t for e in entities.values() if e.type == "Person" for t in fold(e.label).split())
        for e in entities.values():
            if e.type == "Person":
                for t in fold(e.label).split():
                    if tokens[t] == 1 and t not in forms and len(t) > 1:
                        forms.setdefault(t, set()).add(e.slug)
        self.forms = {f: next(iter(s)) for f, s in forms.items() if len(s) == 1}
        alternation = "|".join(re.escape(f) for f in sorted(self.forms, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<![\w'])(?:{alternation})(?![\w])")
        self._people = {fold(e.label): e.slug for e in entities.values() if e.type == "Person"}
        for e in entities.values():
            if e.type == "Person":
                self._people.update({fold(a): e.slug for a in e.alt})
        self._places = {fold(w) for e in entities.values() if e.type in {"City", "Venue", "Region"}
                        for w in e.label.split()}
        self._events = [(e, self._event_keys(e)) for e in entities.values() if e.type in EVENT_TYPES]

    def type_of(self, slug: str) -> str:
        e = self.entities.get(slug)
        return e.type if e else self.proposed.get(slug, {}).get("type", "")

    def label_of(self, slug: str) -> str:
        e = self.entities.get(slug)
        return e.label if e else self.proposed.get(slug, {}).get("label", slug)

    def mentions(self, text: str, start: int, end: int) -> list[Mention]:
        folded = fold(text[start:end])
        out = []
        for m in self._pattern.finditer(folded):
            slug = self.forms[m.group()]
            out.append(Mention(start + m.start(), start + m.end(), slug, self.type_of(slug),
                               adjective=m.group() in self._adjectives))
        return out

    def is_adjective(self, name: str) -> bool:
        return name in self._adjectives

    def person(self, name: str) -> str:
        """A person's slug: the graph's by name or a close spelling, else a proposed new person."""
        key = fold(name)
        if key in self._people:
            return self._people[key]
        best = process.extractOne(key, list(self._people), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return self._people[best[0]] if best else self.propose(name, "Person")

    def propose(self, name: str, type_: str, slug: str | None = None, **extra) -> str:
        """A new entity the candidates need; the graph's own if one has that slug or name."""
        name = re.sub(r"^(?:[Tt]he)\s+|['’]s$", "", name.strip())
        if fold(name) in self.forms:
            return self.forms[fold(name)]
        slug = slug or slugify(name)
        if slug in self.entities:
            return slug
        same = self._similar(name, type_)
        if same:
            return same
        self.proposed.setdefault(slug, {"type": type_, "label": name, **extra})
        return slug

    def _may_be(self, event: str, years: set[str], mentions: list[Mention]) -> bool:
        """Whether "the summit" of a sentence may be the text's main event: no other year, no other city."""
        names, eyears = self._event_keys(self.entities[event]) if event in self.entities else (set(), set())
        cities = {fold(self.label_of(m.slug)) for m in mentions if m.type == "City"}
        return not (years - eyears) and not (cities - names)

    def _similar(self, name: str, type_: str) -> str | None:
        """An entity of the same kind whose name has the same words but for a few ("Xi Jinping visit to
        Kazakhstan" is "Xi Jinping's state visit to Kazakhstan")."""
        same_kind = {fold(e.label): e.slug for e in self.entities.values()
                     if e.type == type_ or (type_ in EVENT_TYPES and e.type in EVENT_TYPES)}
        best = process.extractOne(fold(name), list(same_kind), scorer=fuzz.token_set_ratio, score_cutoff=90,
                                  processor=utils.default_process)
        return same_kind[best[0]] if best else None

    # --- events: "the summit in Astana" is the graph's Astana summit; "the summit" the text's main one
    def _event_keys(self, e: Entity) -> tuple[set[str], set[str]]:
        """The places that tell an event from others ("the summit in Astana"), and its years; a person
        named in an event's label says nothing of which meeting a sentence means."""
        words = " ".join([e.label, *e.alt])
        names = {fold(w) for w in re.findall(r"\b[A-Z][a-z]+\b", words)} & self._places
        return names, set(re.findall(r"\b(?:19|20)\d{2}\b", words))

    def events(self, text: str, sent_start: int, sent_end: int, default: str | None,
               mentions: list[Mention]) -> list[Mention]:
        """Event nouns of a sentence linked to the graph's events, or to the text's main event."""
        sentence = fold(text[sent_start:sent_end])
        years = set(re.findall(r"\b(?:19|20)\d{2}\b", sentence))
        named = list(sentence)
        for m in mentions:   # "Shanghai" of "Shanghai Cooperation Organization" names no summit
            if m.type not in PLACE_TYPES:
                named[m.start - sent_start:m.end - sent_start] = " " * (m.end - m.start)
        words = set(re.findall(r"\b[A-Z][a-z]+\b", "".join(named)))
        out = []
        for m in EVENT_NOUN.finditer(sentence):
            noun_type = "Summit" if m.group(1).lower() in ("summit", "conference", "session") else None
            scored = [(len(names & words) + (e.type == noun_type), e.slug) for e, (names, eyears) in self._events
                      if names & words and (not years or not eyears or years & eyears)
                      and (noun_type is None or e.type == noun_type)]
            slug = max(scored)[1] if scored else None
            other = re.search(r"\b(?:ministerial|ministers'?|next|previous|first)\s+$", sentence[:m.start()])
            if slug is None and default and not other and self._may_be(default, years, mentions):
                slug = default
            if slug:
                out.append(Mention(sent_start + m.start(), sent_start + m.end(), slug, self.type_of(slug)))
        return out
