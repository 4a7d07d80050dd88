"""Find a curator's quote in its source text (Web Annotation text selectors).

Offsets are Unicode code points, end exclusive (Python str indices), as oa:TextPositionSelector
and docs/interface.md count them.
"""
from dataclasses import dataclass

from .curation import Quote

CONTEXT = 32        # characters of oa:prefix / oa:suffix recorded around a quote
PREFIX_WINDOW = 300  # how far before a quote a curator's disambiguating prefix may start
# Quote marks a curator may type straight where the source prints them curly, or the other way round.
MARK_NAMES = {"'": "a straight apostrophe", "\u2019": "a curly apostrophe", "\u2018": "a curly opening single quote",
              '"': "a straight quote mark", "\u201c": "a curly opening quote mark",
              "\u201d": "a curly closing quote mark"}
_STRAIGHTENED = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


class AnchorError(Exception):
    """The quote is not in the text, or is there more than once without a prefix to tell which."""


@dataclass(frozen=True)
class Anchor:
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def _occurrences(text: str, exact: str) -> list[int]:
    found, i = [], text.find(exact)
    while i != -1:
        found.append(i)
        i = text.find(exact, i + 1)
    return found


def anchor(text: str, quote: Quote) -> Anchor:
    found = _occurrences(text, quote.exact)
    if not found:
        raise AnchorError(f"quote not found verbatim in the source: {quote.exact!r}{_marks_hint(text, quote.exact)}")
    if quote.prefix is not None:
        found = [i for i in found if quote.prefix in text[max(0, i - PREFIX_WINDOW - len(quote.prefix)):i]]
        if not found:
            raise AnchorError(f"no occurrence of the quote is preceded by the prefix {quote.prefix!r}: {quote.exact!r}")
    if len(found) > 1:
        raise AnchorError(f"quote occurs {len(found)} times; add a prefix that tells which: {quote.exact!r}")
    start = found[0]
    end = start + len(quote.exact)
    return Anchor(quote.exact, start, end, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def _marks_hint(text: str, exact: str) -> str:
    """Where the quote is in the text but for straight vs curly quote marks: which marks to write instead.
    Each mark straightens to one character, so an offset in the straightened text is one in the text."""
    at = text.translate(_STRAIGHTENED).find(exact.translate(_STRAIGHTENED))
    if at == -1:
        return ""
    source = text[at:at + len(exact)]
    marks = list(dict.fromkeys(s for s, q in zip(source, exact) if s != q))
    return (f"; found with {' and '.join(MARK_NAMES[m] for m in marks)} at offset {at}: "
            f"write {' and '.join(marks)}")
