"""Content negotiation for /sparql (SPARQL 1.1 Protocol §2.1.6, RFC 9110 §12.5.1).

Each result kind has an ordered list of media types we can write; the Accept header's
q-values pick one, the most specific matching range wins, and ties go to our order (so no
Accept, or `*/*`, gives the first: SPARQL JSON for results, Turtle for graphs).
`text/plain` gets N-Triples because rdflib's `parse(url, format="nt")` asks for it.
"""
from dataclasses import dataclass
from functools import lru_cache

# media type -> format name understood by server.sparql.results (one per serializer).
SOLUTIONS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
BOOLEAN = {k: v for k, v in SOLUTIONS.items() if v in ("json", "xml")}
GRAPH = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
}
KINDS = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "graph": GRAPH}


@dataclass(frozen=True)
class Choice:
    media_type: str
    format: str

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.format != "rdfxml"
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """[(type, subtype, q)]; a missing or empty header accepts anything."""
    ranges = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if "/" not in fields[0]:
            continue
        main, sub = fields[0].lower().split("/", 1)
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((main, sub, q))
    return ranges or [("*", "*", 1.0)]


def _quality(media_type: str, ranges) -> float:
    main, sub = media_type.split("/")
    best, best_q = -1, 0.0
    for r_main, r_sub, q in ranges:
        specificity = 2 if (r_main, r_sub) == (main, sub) else 1 if (r_main == main and r_sub == "*") \
            else 0 if (r_main, r_sub) == ("*", "*") else -1
        if specificity > best:
            best, best_q = specificity, q
    return best_q if best >= 0 else 0.0


def choose(accept: str | None, offers: dict[str, str]) -> Choice | None:
    """The acceptable offer with the highest q (first in our order on ties), or None (406)."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media_type, fmt in offers.items():
        q = _quality(media_type, ranges)
        if q > best_q:
            best, best_q = Choice(media_type, fmt), q
    return best


@lru_cache(maxsize=512)
def choose_all(accept: str | None) -> dict[str, Choice | None]:
    """The choice for each result kind; the query's form decides which one is used.

    Cached per Accept value (clients send the same few); callers must not modify the dict.
    """
    return {kind: choose(accept, offers) for kind, offers in KINDS.items()}
