"""The pages' SPARQL, read from the .rq files beside this module, with values bound as RDF terms.

A query file marks where values go with `$name` (inside a VALUES block, or as DESCRIBE's target).
`bind` replaces each mark with terms serialized by pyoxigraph, so request input reaches a query only
as a term that pyoxigraph has checked (an IRI that is not valid per RFC 3987 raises ValueError before
any query runs), never as text pasted between angle brackets.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ontology import vocab

FOLDER = Path(__file__).resolve().parent / "queries"
_MARK = re.compile(r"\$([A-Za-z_]\w*)")


@lru_cache(maxsize=None)
def text(name: str) -> str:
    """The query in queries/NAME.rq with the graph's prefixes declared."""
    return vocab.sparql_prologue() + (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def iri(value: str) -> ox.NamedNode:
    """An IRI as a term; ValueError if it is not an absolute IRI."""
    try:
        return ox.NamedNode(value)
    except (ValueError, UnicodeError) as e:  # surrogates from undecodable bytes raise UnicodeError
        raise ValueError(f"not an IRI: {e}") from None


def iris(values) -> list[ox.NamedNode]:
    return [iri(v) for v in values]


def _row(value) -> str:
    if isinstance(value, tuple):  # one row of a multi-variable VALUES block
        return "(" + " ".join(str(v) for v in value) + ")"
    return str(value)


def bind(name: str, **values) -> str:
    """The query NAME with each `$key` replaced by the terms (or tuples of terms) in values[key]."""
    def term_list(m: re.Match) -> str:
        return " ".join(_row(v) for v in values[m.group(1)])
    return _MARK.sub(term_list, text(name))
