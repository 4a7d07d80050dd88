"""Whether a quote names an entity: by its label, an alternative label, or a distinctive word of one of them
("the summit", "Modi", "Kazakh" for Kazakhstan), so the build can refuse a fact whose quote does not say who or
what it is about."""
from __future__ import annotations

import re
from typing import Protocol


class Entity(Protocol):
    """What naming needs of a curated entity (graph.curation.Entity, which imports this module)."""
    label: str
    alt: list[str]

# Words that name nothing on their own.
_STOP = {"the", "of", "in", "at", "on", "and", "for", "a", "an", "with", "by", "to", "from", "its", "after",
         "before", "around", "between", "not", "stated", "year", "series"}
_WORD = re.compile(r"[0-9A-Za-zÀ-ɏ’'-]+")
_STEM = 5   # a word names a longer name word when they share their first five letters ("Kazakh", "Kazakhstan")


def _words(text: str) -> list[str]:
    return [re.sub(r"[’']s$", "", w.lower()).strip("’'-") for w in _WORD.findall(text)]


def name_words(entity: Entity) -> set[str]:
    """The distinctive words of an entity's names, without what a label adds in parentheses."""
    words = set()
    for name in [entity.label, *entity.alt]:
        words |= {w for w in _words(re.sub(r"\([^)]*\)", " ", name)) if w not in _STOP and len(w) > 1}
    return words


def names(entity: Entity, text: str) -> bool:
    """Whether the text names the entity (a word of one of its names, or a word sharing its first five letters)."""
    found = _words(text)
    return any(w == t or (len(w) >= _STEM and len(t) >= _STEM and w[:_STEM] == t[:_STEM])
               for t in name_words(entity) for w in found)


# Kinds whose quote must name their event or one of their participants: "India's Modi then called for an end to
# the fighting" names neither the 2022 meeting nor an attendance of it.
EVENT_KINDS = {"Attendance": ("attendee", "event"), "Absence": ("attendee", "event"),
               "Participation": ("participant", "event"), "Response": ("responder", "event")}
# Who adopted a document, as the quote names them: "the 10 members of the SCO" are not the SCO.
_MEMBERS_OF = re.compile(r"members\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def unnamed(kind: str, values: dict, quotes: list[str], entities: dict[str, Entity]) -> str | None:
    """Why the quotes do not support the fact's participants, or None when they do."""
    text = " ".join(quotes)
    if kind in EVENT_KINDS:
        slugs = [values[k] for k in EVENT_KINDS[kind] if k in values]
        if not any(names(entities[s], text) for s in slugs):
            return f"its quotes name neither its event nor its participants ({', '.join(slugs)})"
    if kind == "DocumentAdoption":
        for slug in values.get("adopted_by", []):
            if only_as_members(entities[slug], text):
                return (f"its quotes name the members of {slug}, not {slug} itself: "
                        f"adopted_by names who the source names")
    return None


def only_as_members(entity: Entity, text: str) -> bool:
    """The text names the organization only as "members of" it ("the 10 members of the SCO")."""
    spans = [m for name in [entity.label, *entity.alt] for m in re.finditer(re.escape(name), text)]
    return bool(spans) and all(_MEMBERS_OF.search(text[:m.start()]) for m in spans)
