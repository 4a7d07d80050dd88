"""Writing query results (runs inside the query worker processes).

SELECT solutions are written as SPARQL 1.1 Query Results JSON here, counting rows so the row
limit can be enforced (pyoxigraph's serializer consumes the iterator and cannot count); the
other result formats (XML, CSV, TSV) are pyoxigraph's own writers fed from that JSON.
Graphs are written by pyoxigraph's RDF serializers.
"""
import json
from itertools import islice

import pyoxigraph as ox

from .errors import EndpointError

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
}
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "sco": "https://w3id.org/sco-kg/ontology#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
}
_PLAIN = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


class TooManyRows(EndpointError):
    status = 400

    def __init__(self, limit: int):
        super().__init__(f"The result has more than {limit} rows, the limit of this server. "
                         "Add a LIMIT (and OFFSET to page through it).")


def term_json(term) -> dict:
    """One RDF term in SPARQL 1.1 Query Results JSON Format §3.2.2."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in _PLAIN:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": term_json(term.subject),
                                        "predicate": term_json(term.predicate),
                                        "object": term_json(term.object)}}


def solutions_json(solutions: ox.QuerySolutions, max_rows: int) -> bytes:
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        if len(rows) == max_rows:
            raise TooManyRows(max_rows)
        rows.append({n: term_json(solution[n]) for n in names if solution[n] is not None})
    return json.dumps({"head": {"vars": names}, "results": {"bindings": rows}},
                      ensure_ascii=False, separators=(",", ":")).encode()


def boolean_json(value: bool) -> bytes:
    return b'{"head":{},"boolean":%s}' % (b"true" if value else b"false")


def convert_results(json_bytes: bytes, fmt: str) -> bytes:
    if fmt == "json":
        return json_bytes
    parsed = ox.parse_query_results(json_bytes, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=RESULT_FORMATS[fmt])


def graph_bytes(triples, fmt: str, max_rows: int) -> bytes:
    triples = list(islice(triples, max_rows + 1))
    if len(triples) > max_rows:
        raise TooManyRows(max_rows)
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes)
