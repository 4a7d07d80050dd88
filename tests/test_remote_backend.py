"""`sco-kg serve --backend URL` in front of a real `oxigraph serve`: the same answers, the same safety.

The release is published into a fresh engine (`sco-kg publish`'s code); the server is started
with the options of conftest's `sco_server`, plus --backend. The endpoint's own tests (clients,
limits, service description) and the competency tests are imported here and run again with
`sco_server` / `store` overridden to be that server; every query in graph/queries/ is also
compared answer for answer with the embedded store.
"""
import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest

from conftest import ROOT, SCO_SERVER_OPTIONS, launch, sco_kg
from graph import QUERIES_DIR
from oxigraph_engine import free_port, start_oxigraph
from server.store.engine_client import Endpoints
from server.store.publish import publish
# The endpoint's tests, run again against the remote backend (the deadline test is the embedded
# store's own, it counts worker processes; the remote one is test_deadline_* below).
from test_sparql_clients import (  # noqa: F401
    test_cors, test_dataset_parameters_and_union_default, test_describe_entity_brings_facts_and_evidence,
    test_health, test_rdflib_sparqlstore, test_sparqlwrapper_select_json, test_sparqlwrapper_xml_csv_ask_construct,
    test_select_negotiation, test_construct_negotiation, test_406_when_nothing_acceptable,
    test_curl_get_post_and_errors)
from test_sparql_limits import (  # noqa: F401
    CROSS, _request, listener, test_keyword_inside_string_is_not_refused, test_load_refused,
    test_no_500_for_evaluation_errors, test_protocol_errors_are_4xx_plain_text, test_query_length_and_body_limits,
    test_result_size_limit_stops_the_answer_early, test_row_limit, test_service_refused_and_no_request_made, test_syntax_errors_name_line_and_column)
from test_w3c_service_description import (  # noqa: F401
    test_conforms_to_schema, test_has_endpoint_triple, test_returns_rdf, test_void)
from test_competency import (  # noqa: F401
    test_astana_attendance_per_source, test_founders_per_source, test_joined_in_2017, test_member_count_per_source,
    test_members_in_2016, test_observers_and_partners_per_source, test_which_sources_state_belarus_membership)

pytestmark = pytest.mark.slow


def engine_with_release(location, release):
    engine = start_oxigraph(location)
    publish(Endpoints(engine.query_url, engine.update_url, engine.store_url), release / "sco-kg.nq", 60)
    return engine


@pytest.fixture(scope="module")
def engine(release, tmp_path_factory):
    server = engine_with_release(tmp_path_factory.mktemp("oxigraph") / "data", release)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def remote_server(engine, release, tmp_path_factory):
    server = launch(release, tmp_path_factory.mktemp("remote") / "unused", "--backend", engine.query_url,
                    *SCO_SERVER_OPTIONS)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sco_server(remote_server):
    """The imported tests' server, here the one in front of the engine."""
    return remote_server


class ThroughServer:
    """What the competency tests ask of a pyoxigraph Store, answered over HTTP by a server."""

    def __init__(self, server):
        self.server = server

    def query(self, sparql: str, use_default_graph_as_union: bool = True):
        assert use_default_graph_as_union  # the server's default dataset is the union
        status, body = _answer(self.server, sparql, "application/sparql-results+json")
        assert status == 200, body
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)


@pytest.fixture(scope="module")
def store(remote_server):
    """The competency tests' store, here our server in front of the engine."""
    return ThroughServer(remote_server)


@pytest.fixture(scope="module")
def embedded(start_server):
    return start_server(*SCO_SERVER_OPTIONS)


def _answer(server, query: str, accept: str) -> tuple[int, bytes]:
    req = urllib.request.Request(server.sparql, data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _comparable(body: bytes, accept: str):
    """Solutions as a multiset of rows (order kept when the query orders), graphs as sets of lines."""
    if accept == "application/n-triples":
        return sorted(set(body.decode().splitlines()))
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    return [sorted(row.items()) for row in data["results"]["bindings"]]


COMPETENCY = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.mark.parametrize("path", COMPETENCY, ids=[p.stem for p in COMPETENCY])
def test_competency_queries_answer_the_same(embedded, remote_server, path) -> None:
    text = path.read_text()
    accept = "application/n-triples" if any(w in text.upper() for w in ("CONSTRUCT", "DESCRIBE")) \
        else "application/sparql-results+json"
    want, got = _answer(embedded, text, accept), _answer(remote_server, text, accept)
    assert want[0] == got[0] == 200, (want, got)
    ordered = "ORDER BY" in text.upper()
    a, b = _comparable(want[1], accept), _comparable(got[1], accept)
    assert (a == b) if ordered or not isinstance(a, list) else sorted(map(str, a)) == sorted(map(str, b))


SAME = [
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", "application/sparql-results+json"),
    ("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c", "application/sparql-results+json"),
    ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/sco-kg/graph/ontology> WHERE { ?s ?p ?o }", "application/sparql-results+json"),
    ("ASK { GRAPH <https://w3id.org/sco-kg/graph/sources> { ?s a ?c } }", "application/sparql-results+json"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/sco-kg/graph/sources> { ?s ?p ?o } }", "application/n-triples"),
    ("SELECT ?s WHERE { ?s ?p <relative> }", "application/sparql-results+json"),
]


@pytest.mark.parametrize("query,accept", SAME)
def test_same_answers_as_embedded(embedded, remote_server, query, accept) -> None:
    want, got = _answer(embedded, query, accept), _answer(remote_server, query, accept)
    assert want[0] == got[0] == 200
    assert _comparable(want[1], accept) == _comparable(got[1], accept)


def test_describe_is_ours_not_the_engines(embedded, remote_server) -> None:
    rows = json.loads(_answer(embedded, "SELECT ?e WHERE { ?f <https://w3id.org/sco-kg/ontology#evidence> ?ev ; "
                                        "?p ?e FILTER(STRSTARTS(STR(?e), 'https://w3id.org/sco-kg/id/')) } LIMIT 3",
                              "application/sparql-results+json")[1])["results"]["bindings"]
    for entity in {r["e"]["value"] for r in rows}:
        query = f"DESCRIBE <{entity}>"
        want, got = _answer(embedded, query, "application/n-triples"), _answer(remote_server, query, "application/n-triples")
        assert want[0] == got[0] == 200
        assert _comparable(want[1], "application/n-triples") == _comparable(got[1], "application/n-triples")


def test_update_is_refused_with_the_reason(remote_server) -> None:
    status, body = _request(remote_server, data=b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                            headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert "not accepted through a remote backend" in body


def _serve_fails(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*sco_kg(), "serve", "--port", str(free_port()), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_update_options_are_refused_at_start(engine, release) -> None:
    out = _serve_fails("--dist", str(release), "--backend", engine.query_url, "--update-token", "secret")
    assert out.returncode != 0 and "SHACL" in out.stderr and "sco-kg publish" in out.stderr


def test_unreachable_engine_is_refused_at_start(release) -> None:
    out = _serve_fails("--dist", str(release), "--backend", f"http://127.0.0.1:{free_port()}/query")
    assert out.returncode != 0 and "cannot be read" in out.stderr


@pytest.fixture()
def own_engine(release, tmp_path):
    """An engine of its own: the deadline test leaves it computing (engines do not stop on disconnect)."""
    engine = engine_with_release(tmp_path / "oxigraph", release)
    server = launch(release, tmp_path / "unused", "--backend", engine.query_url, "--timeout", "2")
    yield engine, server
    server.stop()
    engine.stop()


def test_deadline_gives_the_same_504_then_engine_down_gives_503(own_engine) -> None:
    engine, server = own_engine
    started = time.monotonic()
    status, body = _request(server, CROSS)
    elapsed = time.monotonic() - started
    assert status == 504 and "deadline of this server" in body
    assert 1.9 < elapsed < 4, elapsed
    assert _request(server, "ASK { ?s ?p ?o }")[0] == 200  # the server itself is not blocked
    engine.stop()
    status, body = _request(server, "ASK { ?s ?p ?o }")
    assert status == 503 and "cannot be reached" in body
    assert _request(server, path="/health")[0] == 503
