"""Sentences with their offsets in the text, and an accent-folded copy of a text of equal length."""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pysbd


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_SEGMENTER = pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[Sentence]:
    """The sentences of each paragraph (a line), located by search so offsets are exact code points."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        cursor = para.start()
        for piece in _SEGMENTER.segment(para.group()):
            piece = piece.strip()
            if not piece:
                continue
            start = text.find(piece, cursor, para.end())
            if start == -1:   # pysbd changed the text; keep the paragraph whole instead of guessing
                out.append(Sentence(para.start(), para.end(), para.group()))
                break
            out.append(Sentence(start, start + len(piece), piece))
            cursor = start + len(piece)
    return out


_PUNCT = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _PUNCT:
        return _PUNCT[c]
    base = unicodedata.normalize("NFKD", c)[0]
    return base if base.isascii() and base.isalpha() else c


def fold(s: str) -> str:
    """One character for one: accents dropped, curly quotes straight; offsets stay those of `s`."""
    return "".join(_fold_char(c) for c in s)
