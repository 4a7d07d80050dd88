"""Whether a quote names an entity: by its label, an alternative label, or a distinctive word of one of them
("the summit", "Modi", "Kazakh" for Kazakhstan), so the build can refuse a fact whose quote does not say who or
what it is about."""
import re

from .curation import Entity

# Words that name nothing on their own.
_STOP = {"the", "of", "in", "at", "on", "and", "for", "a", "an", "with", "by", "to", "from", "its", "after",
         "before", "around", "between", "not", "stated", "year", "series"}
_WORD = re.compile(r"[0-9A-Za-zÀ-ɏ’'-]+")
_STEM = 5   # a word names a longer name word when they share their first five letters ("Kazakh", "Kazakhstan")


def _words(text: str) -> list[str]:
    return [w.lower().strip("’'-") for w in _WORD.findall(text)]


def name_words(entity: Entity) -> set[str]:
    """The distinctive words of an entity's names, without what a label adds in parentheses."""
    words = set()
    for name in [entity.label, *entity.alt]:
        words |= {w for w in _words(re.sub(r"\([^)]*\)", " ", name)) if w not in _STOP and len(w) > 1}
    return words


def names(entity: Entity, text: str) -> bool:
    found = _words(text)
    return any(w == t or (len(w) >= _STEM and len(t) >= _STEM and w[:_STEM] == t[:_STEM])
               for t in name_words(entity) for w in found)
