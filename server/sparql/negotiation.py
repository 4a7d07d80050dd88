"""Content negotiation for /sparql (SPARQL 1.1 Protocol §2.1.6, RFC 9110 §12.5.1).

Each result kind has an ordered list of media types we can write; the Accept header's
q-values pick one, the most specific matching range wins, and ties go to our order (so no
Accept, or `*/*`, gives the first: SPARQL JSON for results, Turtle for graphs).
`text/plain` gets N-Triples because rdflib's `parse(url, format="nt")` asks for it.
"""
from dataclasses import dataclass
from functools import lru_cache

from ..errors import NotAcceptable

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
# Each format's own media type (a `.ext` URL's), and the one a linked-data answer names when an alias was asked for.
MEDIA_TYPE_OF = {"turtle": "text/turtle", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
                 "ntriples": "application/n-triples", "html": "text/html"}
ALIASES = {"application/x-turtle": "text/turtle", "text/n3": "text/turtle", "application/json": "application/ld+json",
           "application/xhtml+xml": "text/html"}


@dataclass(frozen=True)
class Choice:
    """A negotiated answer: the media type sent and the format name of the writer that makes it."""
    media_type: str
    format: str

    @property
    def content_type(self) -> str:
        # RDF/XML carries its encoding in its XML declaration; every other format is UTF-8 text.
        return self.media_type if self.format == "rdfxml" else f"{self.media_type}; charset=utf-8"


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


def choose(accept: str | None, offers: dict[str, str], canonical: bool = False) -> Choice | None:
    """The acceptable offer with the highest q (first in our order on ties), or None (406).

    canonical=True names the answer by its format's own media type when an alias was asked for
    (application/json asked, application/ld+json sent), as a linked-data answer does.
    """
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media_type, fmt in offers.items():
        q = _quality(media_type, ranges)
        if q > best_q:
            best, best_q = Choice(ALIASES.get(media_type, media_type) if canonical else media_type, fmt), q
    return best


def acceptable(accept: str | None, offers: dict[str, str], canonical: bool = False, what: str = "") -> Choice:
    """choose(), or the one 406 every route answers: what is offered, in our order of preference."""
    choice = choose(accept, offers, canonical)
    if choice is None:
        offered = ", ".join(dict.fromkeys(ALIASES.get(m, m) if canonical else m for m in offers))
        raise NotAcceptable(f"None of the media types in the Accept header is offered. {what or 'This resource'} "
                            f"is available as {offered}.")
    return choice


@lru_cache(maxsize=512)
def choose_all(accept: str | None) -> dict[str, Choice | None]:
    """The choice for each result kind; the query's form decides which one is used.

    Cached per Accept value (clients send the same few); callers must not modify the dict.
    """
    return {kind: choose(accept, offers) for kind, offers in KINDS.items()}
