"""The query page's server-rendered results: a plain form that works without JavaScript or YASGUI.

The query goes through the store like any /sparql query (same deadline and row limits). SERVICE is
refused outright here (the page never fetches from elsewhere); updates do not parse as queries.
Results are shown as people read them: IRIs shortened with the graph's prefixes and labelled,
literals as their text (the datatype in a tooltip), errors as a sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ontology import vocab

from ..errors import EndpointError
from ..sparql import lexer, reading
from .linked_data import compact_iri

STATIC = Path(__file__).resolve().parent / "static"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
MAX_SHOWN_ROWS = 1000


def have_yasgui() -> bool:
    """Looked at on every request: the files may be installed while the server runs."""
    return all((STATIC / "yasgui" / f).exists() for f in YASGUI_FILES)


@dataclass
class Cell:
    text: str
    href: str | None = None
    label: str | None = None
    title: str | None = None


@dataclass
class Result:
    status: int = 200
    error: str | None = None
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: bool | None = None
    total: int = 0


# The page's editors start with the graph's prefixes declared in their text: what runs is what the
# reader sees, as /sparql would run it, and an error's line and column point into that text.
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in vocab.PREFIXES.items())
STARTER = PROLOGUE + "\nSELECT ?state ?name WHERE {\n  ?state a sco:State ; rdfs:label ?name .\n} ORDER BY ?name\n"


def run(store, view, text: str, config: dict, href) -> Result:
    if len(text) > int(config["MAX_QUERY_LENGTH"]):
        return Result(413, f"The query is longer than {config['MAX_QUERY_LENGTH']} characters, the limit of this server.")
    if lexer.mentions(text, "SERVICE"):
        return Result(403, "SERVICE is refused on this page: it queries only this server's graph.")
    try:
        read = reading.read(text)  # what runs is what was read (server.sparql.reading)
        form, sent, written = lexer.query_form(read.tokens), read.sent, read.written
        if form == "ASK":
            return Result(boolean=store.ask(sent, written))
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = store.construct(sent, written)
            rows = [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in triples]
            return _table(view, ["subject", "predicate", "object"], rows, href)
        rows = store.select(sent, written)
    except EndpointError as e:
        return Result(e.status, e.message)
    names = list(dict.fromkeys(k for r in rows for k in r)) if rows else []
    return _table(view, names, rows, href)


def _table(view, columns, rows, href) -> Result:
    shown = rows[:MAX_SHOWN_ROWS]
    named = {t.value for r in shown for t in r.values() if isinstance(t, ox.NamedNode)}
    labels = view.labels(sorted(named)[:2000])
    out = [[_cell(r.get(c), labels, href) for c in columns] for r in shown]
    return Result(columns=columns, rows=out, total=len(rows))


def _cell(t, labels: dict, href) -> Cell:
    if t is None:
        return Cell("")
    if isinstance(t, ox.NamedNode):
        # the graph's own IRIs by their path on this server, as the YASGUI results show them
        text = t.value[len(vocab.BASE):] if t.value.startswith(vocab.BASE) else compact_iri(t.value)
        return Cell(text, href(t.value), labels.get(t.value), t.value)
    if isinstance(t, ox.BlankNode):
        return Cell("_:" + t.value)
    if t.language:
        return Cell(t.value, title=f"language: {t.language}")
    datatype = t.datatype.value
    return Cell(t.value, title=None if datatype == vocab.XSD + "string" else compact_iri(datatype))
