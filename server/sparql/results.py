"""Writing query results (runs inside the query worker processes).

pyoxigraph's own serializers write the results, streaming into a buffer capped in bytes, so a
huge answer stops early instead of filling memory. The row limit is checked without a Python
loop over the rows in the usual case: a result whose size in bytes cannot hold more rows than
the limit is accepted as is; only a larger one is parsed back and counted.
"""
import csv
import io
from itertools import islice

import pyoxigraph as ox

from ontology import vocab

from ..errors import EndpointError

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
# The fewest bytes one row can take in each format (an empty solution: `{},`, `<result></result>`, CRLF, LF).
MIN_ROW_BYTES = {"json": 3, "xml": 17, "csv": 2, "tsv": 1}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
}
# Prefixes written into Turtle, TriG and RDF/XML answers: the graph's own, and those of service descriptions.
PREFIXES = {**vocab.PREFIXES, "sd": vocab.SD, "void": vocab.VOID}


class TooManyRows(EndpointError):
    status = 400

    def __init__(self, limit: int):
        super().__init__(f"The result has more than {limit} rows, the limit of this server. "
                         "Add a LIMIT (and OFFSET to page through it).")


class TooManyBytes(EndpointError):
    status = 400

    def __init__(self, limit: int):
        super().__init__(f"The result is larger than {limit} bytes, the limit of this server. "
                         "Select fewer or shorter values, or add a LIMIT.")


class CappedBuffer(io.RawIOBase):
    """A write-only buffer that refuses to grow past `cap` bytes (pyoxigraph writes in 8 KB chunks)."""

    def __init__(self, cap: int):
        super().__init__()
        self.data = bytearray()
        self.cap = cap

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        if len(self.data) + len(chunk) > self.cap:
            raise TooManyBytes(self.cap)
        self.data += chunk
        return len(chunk)


def solutions_bytes(solutions: ox.QuerySolutions, fmt: str, max_rows: int, max_bytes: int) -> bytes:
    buf = CappedBuffer(max_bytes)
    solutions.serialize(output=buf, format=RESULT_FORMATS[fmt])
    body = bytes(buf.data)
    if len(body) > MIN_ROW_BYTES[fmt] * max_rows and _count_rows(body, fmt, max_rows + 1) > max_rows:
        raise TooManyRows(max_rows)
    return body


def _count_rows(body: bytes, fmt: str, stop: int) -> int:
    if fmt == "csv":  # pyoxigraph does not read CSV results back (the format is lossy)
        rows = islice(csv.reader(io.StringIO(body.decode("utf-8"), newline="")), 1, None)
    else:
        rows = ox.parse_query_results(body, format=RESULT_FORMATS[fmt])
    return sum(1 for _ in islice(rows, stop))


def boolean_bytes(answer: ox.QueryBoolean, fmt: str) -> bytes:
    return answer.serialize(format=RESULT_FORMATS[fmt])


def graph_bytes(triples, fmt: str, max_rows: int) -> bytes:
    triples = list(islice(triples, max_rows + 1))
    if len(triples) > max_rows:
        raise TooManyRows(max_rows)
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
