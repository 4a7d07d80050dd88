"""`sco-kg serve --backend URL` in front of a real engine (`oxigraph serve`, Virtuoso): the same answers.

The endpoint's, pages' and competency suites run on every backend through conftest's `backend`
fixture. Here: what only a server in front of an engine does. Every shipped query in
graph/data/queries/, the dataset (graphs, counts, classes) and DESCRIBE are compared with the embedded
server byte for byte, in every results format; updates are refused; a stopped engine gives 503.
"""
import json
import subprocess
import time

import pyoxigraph as ox
import pytest

from conftest import ROOT, launch, sco_kg
from engines import free_port
from http_helpers import health, http_request
from graph import QUERIES_DIR
from oxigraph_engine import start_oxigraph
from server.store.remote.engine_client import Endpoints
from server.publish import publish
from test_sparql_limits import CROSS
from virtuoso_engine import start_virtuoso

pytestmark = [pytest.mark.slow, pytest.mark.remote_only]
SOLUTIONS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
             "text/tab-separated-values")
GRAPHS = ("application/n-triples", "text/turtle", "application/rdf+xml", "application/ld+json")
ENGINES = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


def _answer(server, query: str, accept: str) -> tuple[int, bytes]:
    status, _, body = http_request(server.sparql, "POST", accept=accept, form={"query": query})
    return status, body


def _same(embedded_server, remote, query: str, accepts) -> None:
    """Byte for byte in each format (the first must be 200; ASK has no CSV/TSV: 406 from both).

    Graphs are sets (RDF 1.1 Concepts §3): their triples are compared, in whatever order written.
    """
    for accept in accepts:
        want, got = _answer(embedded_server, query, accept), _answer(remote, query, accept)
        assert want[0] == got[0] and (want[0] == 200 or accept != accepts[0]), (accept, want, got)
        if accept in GRAPHS:
            assert _triples(want[1], accept) == _triples(got[1], accept), accept
        else:
            assert want[1] == got[1], accept


def _triples(body: bytes, media: str) -> set:
    return {str(t) for t in ox.parse(body, format=ox.RdfFormat.from_media_type(media))}


SHIPPED = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_queries_answer_the_same_in_every_format(embedded_server, sco_server, path) -> None:
    text = path.read_text()
    graph = any(w in text.upper() for w in ("CONSTRUCT", "DESCRIBE"))
    _same(embedded_server, sco_server, text, GRAPHS if graph else SOLUTIONS)


SAME = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
    "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/sco-kg/graph/ontology> WHERE { ?s ?p ?o }",
    "ASK { GRAPH <https://w3id.org/sco-kg/graph/sources> { ?s a ?c } }",
    "ASK { <https://w3id.org/sco-kg/id/nobody> ?p ?o }",
    "SELECT ?s WHERE { ?s ?p <relative> }",
    "SELECT ?x ?y WHERE { BIND(true AS ?x) BIND(false AS ?y) }",
    "SELECT ?start WHERE { ?sel <http://www.w3.org/ns/oa#start> ?start } ORDER BY ?start LIMIT 5",
]


@pytest.mark.parametrize("query", SAME)
def test_dataset_and_values_are_the_embedded_stores(embedded_server, sco_server, query) -> None:
    _same(embedded_server, sco_server, query, SOLUTIONS)


def test_construct_is_the_same(embedded_server, sco_server) -> None:
    _same(embedded_server, sco_server,
          "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/sco-kg/graph/sources> { ?s ?p ?o } }", GRAPHS)


def test_health_is_the_release(embedded_server, sco_server) -> None:
    want, got = health(embedded_server), health(sco_server)
    assert got["release"] and got["release"] == want["release"]
    assert (got["triples"], got["graphs"]) == (want["triples"], want["graphs"])


def test_describe_is_ours_and_the_same(embedded_server, sco_server) -> None:
    rows = json.loads(_answer(embedded_server, "SELECT DISTINCT ?e WHERE { ?f <https://w3id.org/sco-kg/ontology#evidence> "
                              "?ev ; ?p ?e FILTER(STRSTARTS(STR(?e), 'https://w3id.org/sco-kg/id/')) } ORDER BY ?e LIMIT 3",
                              "application/sparql-results+json")[1])["results"]["bindings"]
    assert len(rows) == 3
    for row in rows:
        _same(embedded_server, sco_server, f"DESCRIBE <{row['e']['value']}>", ("application/n-triples",))


def test_update_is_refused_with_the_reason(sco_server) -> None:
    status, _, body = http_request(sco_server.sparql, "POST", {"Content-Type": "application/sparql-update"},
                                   b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    assert status == 403
    assert b"not accepted through a remote backend" in body


def test_engine_refusal_is_400_and_engine_failure_502(backend, sco_server) -> None:
    """SPARQL 1.1 leaves a failing expression's value unbound (Oxigraph: 200). Virtuoso stops the query with a
    500 instead: a data exception (SQLSTATE class 22) is the client's 400 with the engine's words (not the
    query it echoes, which carries our dataset); a valid query it cannot evaluate is its own failure, 502."""
    virtuoso = backend.name == "virtuoso"
    status, _, body = http_request(sco_server.sparql, params={"query": "SELECT ?v WHERE { BIND(1/0 AS ?v) }"})
    assert (status, b"refused to evaluate" in body, b"SR084: Division by 0" in body) == \
        ((400, True, True) if virtuoso else (200, False, False)), body
    assert b"define input" not in body
    status, _, body = http_request(sco_server.sparql, params={"query": "SELECT * WHERE { ?s <http://x/p>* ?o } LIMIT 1"})
    assert (status, b"transitive start not given" in body) == ((502, True) if virtuoso else (200, False)), body


def _serve_fails(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*sco_kg(), "serve", "--port", str(free_port()), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_update_options_are_refused_at_start(backend, release) -> None:
    out = _serve_fails("--dist", str(release), "--backend", backend.engine.query_url, "--update-token", "secret")
    assert out.returncode != 0 and "SHACL" in out.stderr and "sco-kg publish" in out.stderr


def test_unreachable_engine_is_refused_at_start(release) -> None:
    out = _serve_fails("--dist", str(release), "--backend", f"http://127.0.0.1:{free_port()}/query")
    assert out.returncode != 0 and "cannot be read" in out.stderr


@pytest.fixture()
def own_engine(backend, release, tmp_path):
    """An engine of its own: the deadline test leaves it computing, then stops it."""
    engine = ENGINES[backend.name](tmp_path / "engine")
    publish(Endpoints(engine.query_url, engine.update_url, engine.store_url), release / "sco-kg.nq", 120)
    server = launch(release, tmp_path / "unused", "--backend", engine.query_url, "--timeout", "2")
    yield engine, server
    server.stop()
    engine.stop()


def test_deadline_gives_the_same_504_then_engine_down_gives_503(own_engine) -> None:
    engine, server = own_engine
    started = time.monotonic()
    status, _, body = http_request(server.sparql, params={"query": CROSS})
    elapsed = time.monotonic() - started
    assert status == 504 and b"deadline of this server" in body
    assert 1.9 < elapsed < 2 + 60, elapsed  # never early; CROSS would run for hours: the answer is the deadline
    # The server itself is not blocked (Virtuoso, still computing, may keep the next query waiting).
    assert http_request(server.base + "/health").status == 200
    engine.stop()
    status, _, body = http_request(server.sparql, params={"query": "ASK { ?s ?p ?o }"})
    assert status == 503 and b"cannot be reached" in body
    assert http_request(server.base + "/health").status == 503
    # Pages ask the same store: the same 503, not a 500 (the app-wide error handler).
    status, _, body = http_request(server.base + "/id/belarus", accept="text/html")
    assert status == 503 and b"cannot be reached" in body


def test_an_engine_that_can_call_out_is_refused_at_start(release, tmp_path) -> None:
    """The engine is the last guard behind the request checks: one that runs SERVICE is refused at start
    (the session's engines run confined, server.store.confined_engine, and pass the same check)."""
    from oxigraph_engine import OxigraphServer
    engine = OxigraphServer(tmp_path / "engine", free_port()).start(confined=False)
    try:
        r = subprocess.run([*sco_kg(), "serve", "--backend", engine.query_url, "--dist", str(release),
                            "--port", str(free_port())], capture_output=True, text=True, timeout=180)
    finally:
        engine.stop()
    assert r.returncode != 0 and "can call other servers" in r.stderr and "confined_engine" in r.stderr
