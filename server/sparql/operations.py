"""What the HTTP layer asks of a store, independent of the engine behind it.

The SPARQL 1.1 Protocol request, once checked (server.sparql.protocol), becomes a QueryOp or an
UpdateOp; any GraphStore (embedded, remote) executes it and answers with bytes in the
negotiated format.
"""
from dataclasses import dataclass, field

from . import lexer
from .negotiation import Choice


class PickledAsTuple:
    """For slotted frozen dataclasses that cross to the query workers: pickled as the tuple of their
    fields, several times faster than the state protocol dataclasses give them."""
    __slots__ = ()

    def __reduce__(self):
        return type(self), tuple(getattr(self, f) for f in self.__slots__)


@dataclass(frozen=True, slots=True)
class Analysis(PickledAsTuple):
    """What executing a query needs to know of its text, found once when the request is read."""
    has_from: bool = False              # FROM / FROM NAMED (Query §13.2): no union default graph
    describe_select: str | None = None  # DESCRIBE: the SELECT that lists the resources to describe

    @classmethod
    def of(cls, sparql: str) -> "Analysis":
        # Tokenizing costs ~0.1 ms per query; only a query that may have FROM or DESCRIBE needs it.
        if not lexer.mentions(sparql, "FROM", "DESCRIBE"):
            return cls()
        tokens = lexer.tokenize(sparql)
        describe = lexer.query_form(tokens) == "DESCRIBE"
        return cls(lexer.has_dataset_clause(tokens), lexer.describe_as_select(sparql, tokens) if describe else None)


@dataclass(frozen=True)
class QueryOp:
    sparql: str
    # Protocol §2.1.4: default-graph-uri / named-graph-uri; None = not given.
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    # The negotiated format per result kind ("solutions", "boolean", "graph"); None = 406.
    formats: dict = field(default_factory=dict)
    base_iri: str | None = None
    written: str | None = None  # the client's text when `sparql` is its canonical form (error messages)
    # The HTTP layer keeps this request's whole answer (a GET): the store need not keep it too.
    kept_whole: bool = field(default=False, compare=False)
    analysis: Analysis = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "analysis", Analysis.of(self.sparql))


@dataclass(frozen=True)
class UpdateOp:
    sparql: str
    # Protocol §2.2.3: using-graph-uri / using-named-graph-uri.
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    written: str | None = None  # as in QueryOp


@dataclass(frozen=True)
class Answer:
    choice: Choice
    body: bytes


@dataclass(frozen=True)
class DatasetInfo:
    """For /health, the service description and VoID."""
    triples: int
    graphs: dict[str, int]      # named graph IRI -> triples
    release: dict               # release.json of the build served (may be empty)
    store_version: str
