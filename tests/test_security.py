"""Hostile requests do no harm, tried against real `sco-kg serve` processes.

Each test reproduces one hole of the issue (SSRF through SERVICE/LOAD, operation injection, CSRF and
DNS rebinding, updates that empty the data and "conform", graph management, token handling, deep
nesting, missing security headers) and asserts that the server now refuses it and stays unchanged.
"""
import socket
import threading
import urllib.parse

import pytest

from http_helpers import ask, health, http_request

DATA = "https://w3id.org/sco-kg/graph/data"
ONTOLOGY = "https://w3id.org/sco-kg/graph/ontology"
SOURCES = "https://w3id.org/sco-kg/graph/sources"
TOKEN = "t0ken-for-security-tests"


class Listener:
    """A loopback TCP listener that counts the connections it gets (the SSRF target)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    target = Listener()
    yield target
    target.close()


def update(server, text, headers=None, params=None):
    return http_request(server.sparql, "POST", {"Content-Type": "application/sparql-update", **(headers or {})},
                        text.encode(), params=params)




@pytest.fixture(scope="module")
def open_server(start_server):
    """Updates without a token (loopback), 2 workers: the server the CSRF and gate tests attack."""
    return start_server("--open-update", "--workers", "1", "--cors-origin", "https://allowed.example")


# 1. SERVICE / LOAD refusal reads the operation as the engine does

HIDDEN = [
    "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://x/\\U00000041#> AS ?z) SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND('#' AS ?z) SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND('''it's \"#\" ''' AS ?z) SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(\"\\\"#\" AS ?z) SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "PREFIX e: <{t}> SELECT * WHERE {{ SERVICE e: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ sErViCe SILENT <{t}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("query", HIDDEN)
def test_hidden_service_is_refused_and_nothing_connects(sco_server, listener, query) -> None:
    status, _, body = http_request(sco_server.sparql, params={"query": query.format(t=f"http://127.0.0.1:{listener.port}/")})
    assert status in (400, 403), body
    assert listener.hits == 0


@pytest.mark.parametrize("prefix", ["INSERT DATA { <urn:a> <urn:b> '#' } ;",
                                    "INSERT DATA { <urn:a> <urn:b> <urn:x\\u0041#> } ;"])
def test_hidden_load_is_refused_and_nothing_connects(open_server, listener, prefix) -> None:
    status, _, body = update(open_server, f"{prefix} LOAD <http://127.0.0.1:{listener.port}/x.ttl>")
    assert status == 403, body
    assert listener.hits == 0


def test_stray_characters_are_a_syntax_error(sco_server) -> None:
    status, _, body = http_request(sco_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } ` SERVICE"})
    assert status == 400 and b"at line 1, column 29: unexpected character '`'" in body
    assert body.rstrip().endswith(b"\n" + b" " * 30 + b"^")  # the caret under the backtick (2 + 28 spaces)


# 2. Protocol IRI parameters are validated, never pasted

def test_using_graph_uri_cannot_inject_operations(open_server) -> None:
    before = health(open_server)["triples"]
    evil = "urn:x:g> } ; DROP ALL ; INSERT DATA { GRAPH <urn:x:h> { <urn:a> <urn:b> <urn:c"
    status, _, body = update(open_server, "DELETE { ?s ?p ?o } WHERE { ?s <urn:none> ?o }",
                             params={"using-graph-uri": evil})
    assert status == 400 and b"not an absolute IRI" in body
    assert health(open_server)["triples"] == before


@pytest.mark.parametrize("name", ["using-named-graph-uri", "using-graph-uri"])
@pytest.mark.parametrize("value", ["urn:x\\u003E", "relative", "http://a b/", "urn:{x}"])
def test_update_iri_parameters_are_absolute_iris(open_server, name, value) -> None:
    status, _, _ = update(open_server, "DELETE { ?s ?p ?o } WHERE { ?s <urn:none> ?o }", params={name: value})
    assert status == 400


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_query_iri_parameters_are_absolute_iris(sco_server, name) -> None:
    status, _, body = http_request(sco_server.sparql, params={"query": "ASK {}", name: "urn:x> } ASK {"})
    assert status == 400 and name.encode() in body


def test_valid_using_graph_uri_still_works(open_server) -> None:
    status, _, body = update(open_server, "INSERT { GRAPH <urn:x:copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
                             params={"using-graph-uri": "urn:x:empty"})
    assert status == 200, body


# 3. CSRF and DNS rebinding

def test_cross_site_update_is_refused(open_server) -> None:
    before = health(open_server)["triples"]
    form = urllib.parse.urlencode({"update": "DROP GRAPH <urn:x:anything>"})
    status, _, body = http_request(open_server.sparql, "POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}, body=form.encode())
    assert status == 403 and b"another origin" in body
    assert health(open_server)["triples"] == before


@pytest.mark.parametrize("origin", ["own", "https://allowed.example"])
def test_same_origin_and_allowed_origin_updates_pass(open_server, origin) -> None:
    origin = f"http://127.0.0.1:{open_server.port}" if origin == "own" else origin
    status, _, body = update(open_server, "INSERT DATA { GRAPH <urn:x:o> { <urn:a> <urn:b> <urn:c> } }",
                             headers={"Origin": origin})
    assert status == 200, body


@pytest.mark.parametrize("path", ["/sparql", "/", "/health"])
def test_foreign_host_is_not_answered(open_server, path) -> None:
    status, _, _ = http_request(open_server.base + path, headers={"Host": f"evil.example:{open_server.port}"})
    assert status == 421


def test_public_host_is_answered(start_server) -> None:
    server = start_server("--public-host", "kg.example.org", "--workers", "1")
    status, _, body = http_request(server.sparql, headers={"Host": "kg.example.org", "Accept": "text/turtle"})
    assert status == 200 and b"http://kg.example.org/sparql" in body
    assert http_request(server.sparql, headers={"Host": "other.example.org"})[0] == 421


def test_security_headers(sco_server) -> None:
    _, html, _ = http_request(sco_server.base + "/", accept="text/html")
    assert html["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in html["Content-Security-Policy"]
    assert "script-src 'self'" in html["Content-Security-Policy"] and html["Referrer-Policy"]
    _, js, _ = http_request(sco_server.sparql, accept="application/sparql-results+json", params={"query": "ASK {}"})
    assert js["X-Content-Type-Options"] == "nosniff"


# 4. Updates may not empty the data, nor touch the ontology or sources

@pytest.mark.parametrize("text,status", [
    ("DROP ALL", 403), ("CLEAR ALL", 403), (f"DROP GRAPH <{ONTOLOGY}>", 403), (f"CLEAR GRAPH <{SOURCES}>", 403),
    (f"DELETE WHERE {{ GRAPH <{SOURCES}> {{ ?s ?p ?o }} }}", 403),
    (f"DROP GRAPH <{DATA}>", 422), (f"CLEAR GRAPH <{DATA}>", 422), (f"MOVE <{DATA}> TO <urn:x:elsewhere>", 422),
])
def test_update_cannot_empty_or_touch_read_only_graphs(open_server, text, status) -> None:
    before = health(open_server)["triples"]
    got, _, body = update(open_server, text)
    assert got == status, body
    assert health(open_server)["triples"] == before


# 5. Graph management runs on the real copy (it was checked on an empty store: "graph does not exist")

def test_graph_management_of_existing_graphs(open_server) -> None:
    assert update(open_server, "INSERT DATA { GRAPH <urn:x:m1> { <urn:m> <urn:m> <urn:m> } }")[0] == 200
    for text in ("COPY <urn:x:m1> TO <urn:x:m2>", "MOVE <urn:x:m2> TO <urn:x:m3>", "CLEAR GRAPH <urn:x:m3>",
                 "DROP GRAPH <urn:x:m1>"):
        status, _, body = update(open_server, text)
        assert status == 200, (text, body)
    assert not ask(open_server, "ASK { GRAPH ?g { <urn:m> <urn:m> <urn:m> } }")


# 6. Token from the environment or a file; Bearer in any case

def test_token_from_environment_and_file(start_server, tmp_path, monkeypatch) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    from_file = start_server("--update-token-file", str(token_file), "--workers", "1")
    monkeypatch.setenv("SCO_KG_UPDATE_TOKEN", TOKEN)
    from_env = start_server("--workers", "1")
    for server in (from_file, from_env):
        assert TOKEN not in " ".join(server.argv)
        ok = "INSERT DATA { GRAPH <urn:x:t> { <urn:a> <urn:b> <urn:c> } }"
        assert update(server, ok, headers={"Authorization": f"bEaReR {TOKEN}"})[0] == 200
        assert update(server, ok, headers={"Authorization": "Bearer wrong"})[0] == 403


# 7. Deep nesting is refused before any engine sees it

@pytest.fixture(scope="module")
def long_server(start_server):
    return start_server("--workers", "1", "--max-query-length", "100000", "--max-body-bytes", "200000")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 10000 + "}" * 10000,
    "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
    "SELECT * WHERE { BIND(" + "+".join(["1"] * 10000) + " AS ?x) }",
])
def test_deep_nesting_is_400(long_server, query) -> None:
    server = long_server
    status, _, body = http_request(server.sparql, "POST", {"Content-Type": "application/sparql-query"}, query.encode())
    assert status == 400 and b"at most" in body
    assert ask(server, "ASK { ?s ?p ?o }")


def test_nesting_within_the_limit_runs(long_server) -> None:
    assert ask(long_server, "ASK " + "{" * 400 + "}" * 400)
