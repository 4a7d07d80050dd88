"""`sco-kg publish` against a real `oxigraph serve` and a real Virtuoso: idempotent, verified, all-or-nothing.

Each engine is started once per module; every test starts from an engine without our graphs.
Failures are injected by a small proxy in front of the engine that refuses chosen requests,
so the tests can see what a rejected graph or a refused swap leaves behind.
"""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_plus, urlsplit

import pytest

from engines import free_port
from server.cli import main as cli
from http_helpers import http_request
from oxigraph_engine import start_oxigraph
from server.store.remote.engine_client import query, update
from virtuoso_engine import start_virtuoso

pytestmark = pytest.mark.slow

G1, G2 = "https://w3id.org/sco-kg/graph/ontology", "https://w3id.org/sco-kg/graph/data"
EX = "https://w3id.org/sco-kg/id/"


def release(folder, n_data: int, label: str = "old"):
    """A release folder with G1 (2 triples) and G2 (n_data triples, one blank node)."""
    folder.mkdir(exist_ok=True)
    lines = [f'<{EX}o> <http://www.w3.org/2000/01/rdf-schema#label> "ontology {label}"@en <{G1}> .',
             f'<{EX}o> <http://www.w3.org/2000/01/rdf-schema#comment> "x" <{G1}> .',
             f'<{EX}e0> <{EX}p> _:b0 <{G2}> .']
    lines += [f'<{EX}e{i}> <{EX}p> "{label} {i}" <{G2}> .' for i in range(1, n_data)]
    (folder / "sco-kg.nq").write_text("\n".join(lines) + "\n")
    return folder


OURS = "https://w3id.org/sco-kg/"  # our graphs and their staging graphs; engines have their own too


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def engine_once(request, tmp_path_factory):
    start = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[request.param]
    server = start(tmp_path_factory.mktemp(request.param) / "engine")
    yield server
    server.stop()


@pytest.fixture()
def engine(engine_once):
    for g in list(graphs_in(engine_once)):
        update(engine_once.update_url, f"DROP SILENT GRAPH <{g}>", timeout_s=10)
    return engine_once


def publish(url, dist, *extra):
    return cli(["publish", url, "--dist", str(dist), "--no-build", "--timeout", "20", *extra])


def graphs_in(engine) -> dict[str, int]:
    """Our graphs in the engine (all of them, staging graphs included: none may be left behind)."""
    body = query(engine.query_url, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                 accept="text/csv", timeout_s=10).body.decode()
    rows = [line.replace('"', "").split(",") for line in body.strip().splitlines()[1:]]
    return {g: int(n) for g, n in rows if g.startswith(OURS)}


def ontology_label(engine) -> str:
    sparql = f"SELECT ?l WHERE {{ GRAPH <{G1}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"
    return query(engine.query_url, sparql, accept="text/csv", timeout_s=10).body.decode()


def test_publish_loads_every_graph_and_verifies(engine, tmp_path, capsys):
    assert publish(engine.store_url, release(tmp_path / "r", 5)) == 0
    assert graphs_in(engine) == {G1: 2, G2: 5}
    assert "published 7 triples in 2 graphs" in capsys.readouterr().out


def test_publish_twice_is_idempotent(engine, tmp_path):
    dist = release(tmp_path / "r", 50)
    assert publish(engine.store_url, dist) == 0
    first = graphs_in(engine)
    assert publish(engine.store_url, dist) == 0
    assert graphs_in(engine) == first == {G1: 2, G2: 50}


def test_publish_replaces_previous_content(engine, tmp_path):
    assert publish(engine.store_url, release(tmp_path / "a", 50, "old")) == 0
    assert publish(engine.store_url, release(tmp_path / "b", 10, "new")) == 0
    assert graphs_in(engine) == {G1: 2, G2: 10}
    assert "ontology new" in ontology_label(engine)


def test_duplicate_lines_are_counted_once(engine, tmp_path):
    dist = release(tmp_path / "r", 5)
    nq = dist / "sco-kg.nq"
    nq.write_text(nq.read_text() + nq.read_text().splitlines()[-1] + "\n")
    assert publish(engine.store_url, dist) == 0
    assert graphs_in(engine) == {G1: 2, G2: 5}


def test_default_graph_triples_are_refused(engine, tmp_path, capsys):
    dist = release(tmp_path / "r", 5)
    (dist / "sco-kg.nq").write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n")
    assert publish(engine.store_url, dist) == 1
    assert "default graph" in capsys.readouterr().err and graphs_in(engine) == {}


def test_engine_down_exits_non_zero(tmp_path, capsys):
    url = f"http://127.0.0.1:{free_port()}/store"
    assert publish(url, release(tmp_path / "r", 5)) == 1
    assert "cannot reach" in capsys.readouterr().err


def test_missing_update_endpoint_is_reported(tmp_path, capsys):
    assert publish("http://127.0.0.1:9/graph-store", release(tmp_path / "r", 5),
                   "--query-url", "http://127.0.0.1:9/q") == 1
    assert "--update-url" in capsys.readouterr().err


class FaultyProxy:
    """Forwards to the engine, except where `rule(method, path, body)` returns a status to fake."""

    def __init__(self, engine, rule):
        self.authorizations = seen = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                faked = rule(self.command, unquote_plus(self.path), body.decode("utf-8", "replace"))
                if faked:
                    self._answer(faked, "text/plain", b"injected" if faked >= 400 else b"")
                    return
                seen.append(self.headers.get("Authorization"))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                status, answer_headers, data = http_request(engine.base + self.path, self.command, headers, body or None,
                                                            timeout=20)
                self._answer(status, answer_headers.get("Content-Type", "text/plain"), data)

            def _answer(self, status, content_type, data):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *args: None  # a client that gave up is part of some tests
        self.store_url = f"http://127.0.0.1:{self.server.server_address[1]}{urlsplit(engine.store_url).path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def previous(engine, tmp_path):
    """The engine holding a first release, and what it looked like."""
    assert publish(engine.store_url, release(tmp_path / "old", 30, "old")) == 0
    return graphs_in(engine)


def publish_through(rule, engine, tmp_path, capsys):
    proxy = FaultyProxy(engine, rule)
    try:
        code = publish(proxy.store_url, release(tmp_path / "new", 10, "new"))
    finally:
        proxy.close()
    return code, capsys.readouterr().err


def _data_put(method, path, body):
    return method == "PUT" and "graph/data" in path


def test_credentials_from_the_environment_go_with_every_request(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("SCO_KG_ENGINE_AUTHORIZATION", "Bearer s3cret")
    proxy = FaultyProxy(engine, lambda *r: None)
    try:
        assert publish(proxy.store_url, release(tmp_path / "r", 5)) == 0
    finally:
        proxy.close()
    assert proxy.authorizations and set(proxy.authorizations) == {"Bearer s3cret"}


def test_rejected_graph_leaves_previous_content(engine, previous, tmp_path, capsys):
    code, err = publish_through(lambda *r: 500 if _data_put(*r) else None, engine, tmp_path, capsys)
    assert code == 1 and "upload of <https://w3id.org/sco-kg/graph/data>" in err
    assert graphs_in(engine) == previous  # and no staging graph left behind
    assert "ontology old" in ontology_label(engine)


def test_acknowledged_but_lost_upload_is_caught_by_the_count(engine, previous, tmp_path, capsys):
    code, err = publish_through(lambda *r: 204 if _data_put(*r) else None, engine, tmp_path, capsys)
    assert code == 1 and "expected 10, the engine has 0" in err
    assert graphs_in(engine) == previous


def test_swap_past_the_deadline_says_its_outcome_is_unknown(engine, previous, tmp_path, capsys):
    def slow_move(method, path, body):
        if "MOVE" in body:
            time.sleep(3)  # longer than the publish's --timeout below
    proxy = FaultyProxy(engine, slow_move)
    try:
        code = cli(["publish", proxy.store_url, "--dist", str(release(tmp_path / "new", 10, "new")), "--no-build",
                    "--timeout", "1"])
    finally:
        proxy.close()
    assert code == 1 and "may still complete" in capsys.readouterr().err


def test_refused_swap_leaves_previous_content(engine, previous, tmp_path, capsys):
    code, err = publish_through(lambda m, p, body: 500 if "MOVE" in body else None, engine, tmp_path, capsys)
    assert code == 1 and "swap" in err
    assert graphs_in(engine) == previous
    assert "ontology old" in ontology_label(engine)
