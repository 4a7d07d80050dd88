"""`sco-kg query`: a SPARQL query from the shell, answered as the endpoint answers it.

Every query form works in every `--format`:
- SELECT and ASK: a table, or the SPARQL 1.1 Query Results JSON, CSV and TSV formats;
- CONSTRUCT and DESCRIBE: N-Triples (table), JSON-LD (json), or subject/predicate/object rows (csv, tsv).
DESCRIBE gives the endpoint's concise description with the evidence (server.store.describe). The
default graph is the union of the named graphs, as on the endpoint. The graph's usual prefixes
(ontology.vocab.PREFIXES: rdf, rdfs, owl, xsd, skos, dcterms, org, prov, oa, time, foaf, sco) are
predefined here, as Wikidata's query service predefines its own; the endpoint itself stays plain
SPARQL 1.1, where a query declares its prefixes.
"""
import csv
import io
import sys
from pathlib import Path

import pyoxigraph as ox

from ontology import vocab
from graph.query import format_table

from .errors import EndpointError
from .sparql import lexer, reading
from .sparql.syntax_errors import explain
from .store import describe

_RESULTS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


class ShellQueryError(Exception):
    """The query cannot be answered; the message says why, in a sentence."""


def main(args) -> int:
    from graph.build import BuildError
    try:
        text = read_query(args.query)
        sys.stdout.write(answer(text, _open(args.dist), args.format))
    except (ShellQueryError, BuildError) as e:
        print(f"sco-kg query: {e}", file=sys.stderr)
        return 2
    return 0


def read_query(arg: str) -> str:
    if not arg.startswith("@"):
        return arg
    path = Path(arg[1:])
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise ShellQueryError(f"cannot read the query file {path}: {e.strerror}") from None


def _open(dist: Path) -> ox.Store:
    from graph.query import open_release
    return open_release(dist)


def _read(written: str) -> reading.Reading:
    """Read as the endpoint reads it: SERVICE and LOAD refused (this command never calls the network)."""
    try:
        read = reading.read(written)
        for keyword in ("SERVICE", "LOAD"):
            reading.refuse_remote(read, keyword, ())
    except EndpointError as e:
        raise ShellQueryError(e.message) from None
    return read


def answer(written: str, store: ox.Store, fmt: str) -> str:
    read = _read(written)
    text, tokens = read.sent, read.tokens
    form = lexer.query_form(tokens)
    if form is None and any(t.keyword in _UPDATE_WORDS for t in tokens):
        raise ShellQueryError("this is an update; sco-kg query only reads the release. Changes go through the "
                              "endpoint (sco-kg serve --update-token) or the curated files and sco-kg build.")
    try:
        if form == "DESCRIBE":
            described = describe.describe(store, lexer.describe_as_select(text, tokens), None,
                                          use_default_graph_as_union=True, prefixes=vocab.PREFIXES)
            return _graph_text(described, fmt)
        result = store.query(text, use_default_graph_as_union=True, prefixes=vocab.PREFIXES)
    except SyntaxError as e:
        raise ShellQueryError(explain("query", e, text, vocab.PREFIXES, written)) from None
    except (OSError, ValueError) as e:
        raise ShellQueryError(str(e)) from None
    if isinstance(result, ox.QueryTriples):
        return _graph_text(list(result), fmt)
    if isinstance(result, ox.QueryBoolean) and fmt == "table":
        return str(bool(result)).lower() + "\n"
    if fmt == "table":
        return format_table([v.value for v in result.variables], result)
    return _line(result.serialize(format=_RESULTS[fmt]).decode())


def _line(text: str) -> str:
    """Shell output ends with a newline (pyoxigraph's JSON and boolean CSV do not)."""
    return text if text.endswith("\n") else text + "\n"


def _graph_text(triples: list, fmt: str) -> str:
    if fmt == "table":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    if fmt == "json":
        return _line(ox.serialize(triples, format=ox.RdfFormat.JSON_LD).decode())
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\r\n" if fmt == "csv" else "\n")
    writer.writerow(["subject", "predicate", "object"])
    # CSV is lossy by design (plain values, Results CSV §2); TSV keeps terms in N-Triples form (§3).
    cell = (lambda term: term.value) if fmt == "csv" else str
    writer.writerows([cell(t.subject), cell(t.predicate), cell(t.object)] for t in triples)
    return out.getvalue()
