"""`sco-kg review`: every fact as its sentence, then each quote with source and factuality.

Read from the curated files (no release needed), in file order, so a curator can read a source
document start to end against its facts (CURATION.md, "How to review").
"""
import sys

from .anchor import AnchorError, anchor
from .build import BuildError, load_curation
from .footnotes import markers
from .sentences import sentence
from .statements import by_fact, statements
from .to_rdf import footnote_works, fact_iri


class UnknownSource(ValueError):
    """--source names no source document."""


def review_text(source: str | None = None, kind: str | None = None) -> str:
    curation, texts, _ = load_curation()
    if source and not any(s.startswith(source) for s in texts):
        raise UnknownSource(f"no source document {source!r}; the sources are: {', '.join(sorted(texts))} "
                            "(an ID or its first digits, e.g. 003)")
    statement_of = by_fact(statements(curation.facts))
    works = footnote_works(curation.facts)
    out, shown = [], 0
    for f in curation.facts:
        if (source and not f.source.startswith(source)) or (kind and f.kind.name != kind):
            continue
        shown += 1
        st = statement_of[id(f)]
        out.append(f"{sentence(st, curation.entities)}\n  {f.where()}\n  {fact_iri(st)}")
        others = sorted({g.source[:3] for g in st.facts} - {f.source[:3]})
        if others:
            out.append(f"  also stated by: {', '.join(others)}")
        for q in f.quotes:
            out.append(f"    {f.source[:3]} [{q.factuality}] “{q.exact}”{_cited(texts[f.source], q, works[f.source])}")
        out.append("")
    out.append(f"{shown} fact(s)")
    return "\n".join(out) + "\n"


def _cited(text: str, quote, works: dict[str, set[str]]) -> str:
    try:
        a = anchor(text, quote)
    except AnchorError as e:
        return f"  !! {e}"
    notes = markers(text, a.start, a.end)
    cited = [f"{n}: {', '.join(sorted(works.get(n, ()))) or 'no Citation fact'}" for n in notes]
    return f"  (footnote {'; '.join(cited)})" if cited else ""


def print_review(source: str | None, kind: str | None) -> int:
    try:
        sys.stdout.write(review_text(source, kind))
    except BuildError as e:
        print(f"review failed:\n{e}", file=sys.stderr)
        return 1
    except UnknownSource as e:
        print(f"sco-kg review: {e}", file=sys.stderr)
        return 2
    return 0
