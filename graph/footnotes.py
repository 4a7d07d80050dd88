"""Footnote markers in a source text, and the works a quote cites through them.

A source marks a footnote with superscript digits after the statement it supports ("…grouping.²",
"worried⁵", "member in 2023.³⁴" is footnote 34). The same digits at the start of a line label the
footnote's own text, not a citation. A quote cites a footnote's work only when the marker lies
inside the quote or directly after its end, past closing punctuation only.
"""
import re

SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_DIGITS = str.maketrans(SUPERSCRIPT, "0123456789")
_MARKER = re.compile(f"[{SUPERSCRIPT}]+")
_CLOSING = re.compile(r"[.,;:!?\"”’')]*")


def markers(text: str, start: int, end: int) -> list[str]:
    """Footnote numbers whose marker lies in text[start:end] or directly after end."""
    after = _CLOSING.match(text, end).end()
    found = []
    for m in _MARKER.finditer(text, start):
        if m.start() > after:
            break
        if (m.start() < end or m.start() == after) and not _labels_a_footnote(text, m.start()):
            found.append(m.group().translate(_TO_DIGITS))
    return found


def _labels_a_footnote(text: str, i: int) -> bool:
    return i == 0 or text[i - 1] == "\n"
