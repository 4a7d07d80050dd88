"""`sco-kg serve --backend URL`: the same GraphStore, answered by an external SPARQL 1.1 engine.

What stays ours (it runs before or after the engine is called, exactly as for the embedded store):
the protocol checks of server.sparql.protocol (SERVICE/LOAD refused, length and body limits, update
authorisation, dataset parameters), content negotiation and the result writers (server.sparql.results,
so the row limit and the media types are the same), our DESCRIBE (server.store.describe), CORS.

What the engine does: evaluate the query. It is asked over the SPARQL 1.1 Protocol (§2.1.2) for
SPARQL JSON results or N-Triples, never in the client's own format; the answer is read into RDF
terms (server.store.remote.dialect undoes what engines write differently, e.g. Virtuoso's) and written
by the embedded store's own serializers, so every format is byte for byte what the embedded
store would send for the same terms. A SELECT is sent with a LIMIT one row past the server's row
limit (server.sparql.lexer.cap_rows), so the engine stops producing where our writer would refuse
anyway (Virtuoso does not stream: it builds the whole answer before its first byte). The whole
exchange is bounded by QUERY_TIMEOUT_S; past it the client gets the same 504 as from the
embedded store (the engine may go on computing: give it its own timeout, see the README).

Dataset: the embedded store answers with the union of the release's graphs as default graph.
Engines differ there (Oxigraph keeps a separate default graph unless started with
--union-default-graph, Virtuoso merges every graph it has, its own system graphs included), so we
do not rely on their setting: when the request names no dataset (no default-graph-uri/
named-graph-uri, no FROM), we send it explicitly, the named graphs listed in the release's
release.json (--dist) as default graph and as named graphs (Protocol §2.1.4). Other graphs of
the engine (Virtuoso's virtrdf#, a running publish's staging graphs) are never part of it.

Updates are refused: the embedded store applies an update to a copy, validates the copy with the
SHACL shapes and then switches to it. An external engine offers no copy to validate before the
commit, and validating after it would let other readers see (and the engine keep) a graph that
breaks the shapes; so the server refuses updates rather than apply them unchecked. The way to
change the graph is a new release and `sco-kg publish`.
"""
import logging
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from . import dialect, engine_client

from ...sparql import lexer

from ...sparql import results
from ...sparql.syntax_errors import explain
from ..describe import FACT_PREFIX, Describer, expands, resources
from .engine_client import AnswerTooLarge, EngineError, EngineTimeout, EngineUnavailable
from ...errors import EndpointError, MalformedQuery, NotAcceptable, QueryTimeout, Refused
from ...sparql.operations import Answer, DatasetInfo, QueryOp, UpdateOp
from ..base import GraphStore

log = logging.getLogger(__name__)
_SOLUTIONS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
_KINDS = {"ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
# The graph list and counts (for the dataset, /health, VoID) are refreshed this often, so a
# publish done while the server runs is picked up without a restart.
_INFO_TTL_S = 30.0
# The engine's JSON or N-Triples may be this many times larger than the answer we write (Turtle,
# CSV); reading stops there, so a huge result is refused before it is parsed.
_ENGINE_BYTES_FACTOR = 4
UPDATE_REFUSED = ("SPARQL Update is not available on a server in front of an external engine "
                  "(--backend): an update could not be checked against the SHACL shapes before the engine "
                  "commits it. Change the graph by publishing a new release (sco-kg publish).")


class RemoteStore(GraphStore):
    def __init__(self, config: dict):
        if config.get("LOAD_FILES"):
            raise EndpointError("--load cannot be used with --backend: load the files into the engine.")
        if config.get("UPDATE_TOKEN") or config.get("OPEN_UPDATE"):
            raise EndpointError(UPDATE_REFUSED)
        self._config = config
        self._url = config["BACKEND_URL"]  # the engine's query endpoint
        self._meta = _release_meta(Path(config["DIST_DIR"]))
        self._graphs: dict[str, int] = self._meta["graphs"]
        self._lock = threading.Lock()
        self._info, self._info_time = None, 0.0
        # Fail at start, with the reason, when the engine cannot be reached; a first count may be slow.
        self._recount(max(60.0, self._timeout))
        if not config["SERVICE_ALLOW_LIST"]:  # an operator who allows SERVICE targets lets the engine call out
            refuse_an_engine_that_calls_out(self._url, self._timeout)

    @property
    def _timeout(self) -> float:
        return float(self._config["QUERY_TIMEOUT_S"])

    @property
    def _max_bytes(self) -> int:
        return int(self._config["MAX_RESULT_BYTES"])

    @property
    def _max_rows(self) -> int:
        return int(self._config["MAX_RESULT_ROWS"])

    def query(self, op: QueryOp) -> Answer:
        deadline = time.monotonic() + self._timeout
        tokens = lexer.tokenize(op.sparql)
        form = lexer.query_form(tokens)
        kind = _KINDS.get(form, "solutions")
        choice = op.formats.get(kind)
        if choice is None:  # known before the engine is asked: spare it the work
            raise NotAcceptable(f"None of the media types in the Accept header can carry {kind} results; "
                                "see the service description for the formats offered.")
        dataset = self._dataset(op, lexer.has_dataset_clause(tokens))
        base = op.base_iri if any(t.kind == "iri" and ":" not in t.text for t in tokens) else None
        try:
            if form == "DESCRIBE":
                value = self._describe(lexer.describe_as_select(op.sparql, tokens), dataset, deadline, base)
            elif form == "SELECT":  # one row past the limit is all _write needs to refuse the answer
                value = self._evaluate(lexer.cap_rows(op.sparql, tokens, self._max_rows + 1), kind, dataset,
                                       deadline, base)
            else:
                value = self._evaluate(op.sparql, kind, dataset, deadline, base)
        except EndpointError as e:
            if e.status in (400, 502):  # the engine refused it: if for its syntax, say so in our words
                _raise_our_syntax_error(op.sparql, op.written)
            raise
        return Answer(choice, self._write(kind, value, choice.format))

    def update(self, op: UpdateOp) -> int:
        raise Refused(UPDATE_REFUSED)

    def info(self) -> DatasetInfo:
        """Graphs and counts, recounted by the engine when older than _INFO_TTL_S.

        A recount is bounded by the query deadline (it may run inside a query's call); if the
        engine is too slow for it, the previous counts are kept until the next try.
        """
        with self._lock:
            if time.monotonic() - self._info_time > _INFO_TTL_S:
                self._recount(self._timeout)
            return self._info

    def close(self) -> None:
        """Nothing held open: every request uses its own connection."""

    def _dataset(self, op: QueryOp, has_from: bool) -> tuple[tuple, tuple]:
        """(default graphs, named graphs) to send; empty = the engine's own (Protocol §2.1.4)."""
        if op.default_graphs is not None or op.named_graphs is not None:
            return op.default_graphs or (), op.named_graphs or ()
        if has_from:
            return (), ()
        graphs = tuple(self._graphs)  # also when the engine lacks one: never fall back to its own
        return graphs, graphs

    def _send(self, sparql: str, accept: str, dataset, deadline: float, base_iri=None) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timeout_error()
        sparql = dialect.portable_query(sparql)
        if base_iri:  # relative IRIs resolve against the request URL, as in the embedded store
            sparql = f"BASE <{base_iri}> {sparql}"
        try:
            return engine_client.query(self._url, sparql, accept=accept, timeout_s=remaining,
                                       default_graphs=dataset[0], named_graphs=dataset[1],
                                       max_bytes=_ENGINE_BYTES_FACTOR * self._max_bytes).body
        except AnswerTooLarge:
            raise results.TooManyBytes(self._max_bytes) from None
        except EngineTimeout:
            raise self._timeout_error() from None
        except EngineUnavailable as e:
            self._info_time = 0.0  # so /health asks the engine again instead of answering from cache
            raise EndpointError(f"The SPARQL engine behind this server cannot be reached ({e}); "
                                "try again later.", 503) from None
        except EngineError as e:
            if e.status == 400:  # the engine's evaluator: the client's query is at fault
                raise MalformedQuery(f"Malformed query: {e.text}") from None
            refusal = dialect.refused_values(e.text)
            if refusal:
                raise EndpointError(f"The SPARQL engine behind this server refused to evaluate the query: {refusal} "
                                    "(where an expression fails, SPARQL 1.1 leaves its value unbound; this "
                                    "engine stops the query instead).", 400) from None
            raise EndpointError(f"The SPARQL engine behind this server failed: {e}", 502) from None

    def _timeout_error(self) -> QueryTimeout:
        return QueryTimeout.for_query(self._timeout)

    def _evaluate(self, sparql: str, kind: str, dataset, deadline: float, base: str | None):
        """Triples, solutions or a boolean, read from the engine's N-Triples or SPARQL JSON.

        Reading and rewriting costs ~20 ms per 1000 rows (bench/remote.py); passing the engine's
        JSON on would send its dialect (Virtuoso's "typed-literal", booleans as 1/0) to clients.
        """
        if kind == "graph":
            body = self._send(sparql, _TRIPLES, dataset, deadline, base)
            return _parsed(lambda: dialect.triples(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
        body = self._send(sparql, _SOLUTIONS, dataset, deadline, base)
        return _parsed(lambda: dialect.solutions(body))

    def _write(self, kind: str, value, fmt: str) -> bytes:
        rows = self._max_rows
        if kind == "graph":
            body = results.graph_bytes(value, fmt, rows)
        elif isinstance(value, ox.QueryBoolean):
            body = results.boolean_bytes(value, fmt)
        else:
            body = results.solutions_bytes(value, fmt, rows, self._max_bytes)
        if len(body) > self._max_bytes:
            raise results.TooManyBytes(self._max_bytes)
        return body

    def _describe(self, select: str, dataset, deadline: float, base: str | None) -> list:
        """Our DESCRIBE (server.store.describe), walking the engine instead of a local store."""
        found = self._evaluate(select, "solutions", dataset, deadline, base)
        return Describer(_RemoteQuads(self, dataset, deadline), None).describe(resources(found))

    def _recount(self, timeout_s: float) -> None:
        try:
            counts = engine_client.count_per_graph(self._url, list(self._graphs), timeout_s=timeout_s)
        except EngineTimeout:
            if self._info is None:
                raise EndpointError(f"The SPARQL engine at {self._url} did not count its graphs within "
                                    f"{timeout_s:g} s.", 503) from None
            log.warning("the engine did not count its graphs within %g s; keeping the previous counts", timeout_s)
            self._info_time = time.monotonic()
            return
        except EngineError as e:
            raise EndpointError(f"The SPARQL engine at {self._url} cannot be read: {e}", 503) from None
        graphs = {g: counts[g] for g in self._graphs if g in counts}  # in release order
        release = self._meta if graphs == self._graphs else {}  # i.e. the engine holds what was published
        self._info = DatasetInfo(sum(graphs.values()), graphs, release, f"remote {self._url}")
        self._info_time = time.monotonic()


def refuse_an_engine_that_calls_out(url: str, timeout_s: float) -> None:
    """Start-up check: the engine is sent a SERVICE to a listener opened here on loopback; refuse to
    serve (EndpointError) if it connects. The request checks refuse SERVICE and LOAD, but the engine is
    the last guard when they miss one, as the embedded store's sandbox is (docs/engines.md)."""
    called = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        probe = f"http://127.0.0.1:{listener.getsockname()[1]}/sco-kg-probe"
        threading.Thread(target=_note_connection, args=(listener, called), daemon=True).start()
        try:
            engine_client.query(url, f"ASK {{ SERVICE SILENT <{probe}> {{ ?s ?p ?o }} }}",
                                accept=_SOLUTIONS, timeout_s=timeout_s)
        except EngineError:
            pass  # refusing SERVICE, or failing to reach the listener, is what an engine here should do
    if not called.is_set():
        return
    raise EndpointError(f"The SPARQL engine at {url} can call other servers: it connected to {probe} when sent "
                        "a SERVICE. Run it so that it cannot (docs/engines.md: python -m "
                        "server.store.confined_engine), or allow SERVICE targets with --allow-service.")


def _note_connection(listener: socket.socket, called: threading.Event) -> None:
    """Close the first connection at once (the engine's SERVICE then fails fast) and note it."""
    try:
        connection = listener.accept()[0]
        called.set()
        connection.close()
    except OSError:  # the listener was closed: nobody connected
        pass


def _release_meta(dist: Path) -> dict:
    """release.json of --dist: the names and sizes of the graphs the engine must serve."""
    from graph.release import read_meta
    meta = read_meta(dist)
    if not meta.get("graphs"):
        raise EndpointError(f"no release.json with the release's graphs in {dist}: with --backend the server "
                            "serves the graphs of the release it was given (--dist), as published.")
    return meta


def _raise_our_syntax_error(sparql: str, written: str | None) -> None:
    """When an engine refuses a query, say why as the embedded store says it, if it is the syntax.

    Engines word their errors differently (Virtuoso answers 500 "SP030: SPARQL compiler" for
    what is not SPARQL 1.1), so the query is read by our own parser (oxigraph's, on an empty store:
    nothing to evaluate, and SERVICE was refused before the engine was asked). A query that parses
    keeps the engine's message."""
    if lexer.mentions(sparql, "SERVICE"):
        return
    try:
        ox.Store().query(sparql)
    except SyntaxError as e:
        raise MalformedQuery(explain("query", e, sparql, written=written)) from None
    except (OSError, ValueError):
        return


def _parsed(parse):
    """Run `parse` on an engine's answer; an unreadable answer is the engine's fault (502)."""
    try:
        return parse()
    except (SyntaxError, ValueError, AttributeError, TypeError) as e:
        raise EndpointError(f"The SPARQL engine behind this server sent an unreadable answer: {e}", 502) from None


class _RemoteQuads:
    """The one pyoxigraph.Store method the Describer uses, answered by the engine in few requests.

    A request per node would cost one round trip per fact, evidence and selector (hundreds for a
    well-documented entity). Instead the walk is fetched level by level: whenever the Describer
    asks for a node not fetched yet, every node it is bound to ask for next (the facts about a
    resource, and what `describe.expands` says it follows) is fetched in the same request.
    Blank nodes cannot be named in a later request (their labels are scoped to one result,
    SPARQL Query §4.1.4), so the walk stops at them; the release mints IRIs for what it describes.
    """

    def __init__(self, store: RemoteStore, dataset, deadline: float):
        self._store, self._dataset, self._deadline = store, dataset, deadline
        self._triples: dict = {}   # subject -> its quads, once fetched
        self._pending: set = set()  # subjects the walk will ask for

    def quads_for_pattern(self, s=None, p=None, o=None, g=None):
        if o is not None:
            return self._facts_about(o)
        if isinstance(s, ox.BlankNode):
            return []
        if s not in self._triples:
            self._fetch({s} | self._pending)
        return self._triples[s]

    def _select(self, sparql: str):
        body = self._store._send(sparql, _SOLUTIONS, self._dataset, self._deadline)
        return _parsed(lambda: dialect.solutions(body))

    def _facts_about(self, o) -> list:
        if isinstance(o, ox.BlankNode):
            return []
        rows = self._select(f"SELECT ?s ?p WHERE {{ ?s ?p {o} FILTER(STRSTARTS(STR(?s), \"{FACT_PREFIX}\")) }}")
        quads = [ox.Quad(row["s"], row["p"], o, ox.DefaultGraph()) for row in rows]
        self._pending.update(q.subject for q in quads if q.subject not in self._triples)
        return quads

    def _fetch(self, subjects: set) -> None:
        self._pending -= subjects
        values = " ".join(str(n) for n in subjects)
        for n in subjects:
            self._triples[n] = []
        for row in self._select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"):
            s, p, o = row["s"], row["p"], row["o"]
            self._triples[s].append(ox.Quad(s, p, o, ox.DefaultGraph()))
            if isinstance(o, ox.NamedNode) and o not in self._triples and expands(s, p, o):
                self._pending.add(o)
