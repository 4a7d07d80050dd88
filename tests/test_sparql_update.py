"""SPARQL Update: off by default, token-authenticated, SHACL-gated (422, graph unchanged), atomic, durable."""
import concurrent.futures
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

TOKEN = "s3cret-token"
DATA = "https://w3id.org/sco-kg/graph/data"
SCO = "https://w3id.org/sco-kg/ontology#"
ALIAS = f'INSERT DATA {{ GRAPH <{DATA}> {{ <https://w3id.org/sco-kg/id/test-alias-holder> a <{SCO}Place> ; ' \
        f'<http://www.w3.org/2000/01/rdf-schema#label> "Test place"@en }} }}'
UNLABELLED = f"INSERT DATA {{ GRAPH <{DATA}> {{ <https://w3id.org/sco-kg/id/test-unlabelled> a <{SCO}State> }} }}"
ASK_ALIAS = "ASK { <https://w3id.org/sco-kg/id/test-alias-holder> ?p ?o }"
ASK_UNLABELLED = "ASK { <https://w3id.org/sco-kg/id/test-unlabelled> ?p ?o }"


def _post(server, update: str, token: str | None = TOKEN, form: bool = False):
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = urllib.parse.urlencode({"update": update}).encode() if form else update.encode()
    req = urllib.request.Request(server.sparql, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def _ask(server, query: str) -> bool:
    with urllib.request.urlopen(server.sparql + "?" + urllib.parse.urlencode({"query": query}), timeout=30) as r:
        return json.loads(r.read())["boolean"]


def _health(server) -> dict:
    with urllib.request.urlopen(server.base + "/health", timeout=30) as r:
        return json.loads(r.read())


def _count(server) -> int:
    return _health(server)["triples"]


@pytest.fixture(scope="module")
def update_server(start_server, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("update") / "data"
    server = start_server("--update-token", TOKEN, "--workers", "2", data_dir=data_dir)
    server.data_dir = data_dir
    return server


@pytest.mark.embedded_only  # a remote backend refuses updates for its own reason (test_remote_backend)
def test_update_is_off_by_default(sco_server) -> None:
    status, _, body = _post(sco_server, ALIAS)
    assert status == 403 and "--update-token" in body


def test_open_update_refused_off_loopback(release, tmp_path) -> None:
    import subprocess
    from conftest import sco_kg
    out = subprocess.run([*sco_kg(), "serve", "--host", "0.0.0.0", "--open-update", "--dist", str(release),
                          "--data-dir", str(tmp_path / "d")], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "loopback" in out.stderr


@pytest.mark.parametrize("token,status", [(None, 401), ("wrong", 403)])
def test_update_needs_the_token(update_server, token, status) -> None:
    before = _count(update_server)
    got, headers, _ = _post(update_server, ALIAS, token=token)
    assert got == status and _count(update_server) == before
    if status == 401:
        assert headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.slow
def test_shape_violation_is_refused_and_nothing_changes(update_server) -> None:
    before = _count(update_server)
    status, _, body = _post(update_server, UNLABELLED)
    assert status == 422 and "rdfs:label" in body and "test-unlabelled" in body
    assert not _ask(update_server, ASK_UNLABELLED) and _count(update_server) == before


@pytest.mark.slow
def test_request_is_atomic(update_server) -> None:
    """A valid operation followed by a shape-breaking one: neither is applied."""
    before = _count(update_server)
    status, _, _ = _post(update_server, ALIAS + " ;\n" + UNLABELLED, form=True)
    assert status == 422 and not _ask(update_server, ASK_ALIAS) and _count(update_server) == before
    status, _, body = _post(update_server, ALIAS + " ;\nINSERT DATA { <x> <y> ")
    assert status == 400 and "Malformed update at line 2, column" in body and not _ask(update_server, ASK_ALIAS)


@pytest.mark.slow
def test_update_while_readers_read_then_survives_kill9(update_server, start_server) -> None:
    before = _count(update_server)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        reads = [pool.submit(_ask, update_server, "ASK { ?s ?p ?o }") for _ in range(20)]
        status, _, body = _post(update_server, ALIAS)
        assert all(r.result() for r in reads)
    assert status == 200 and _ask(update_server, ASK_ALIAS) and _count(update_server) == before + 2
    version = _health(update_server)["store_version"]
    update_server.kill9()
    again = start_server("--update-token", TOKEN, data_dir=update_server.data_dir)
    assert _ask(again, ASK_ALIAS) and _count(again) == before + 2
    assert _health(again)["store_version"] == version  # reused, not rebuilt from the release


def test_store_is_rebuilt_when_a_load_file_changes(start_server, tmp_path) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    data_dir = tmp_path / "data"
    first = start_server("--load", str(extra), "--workers", "1", data_dir=data_dir)
    version = _health(first)["store_version"]
    first.stop()
    extra.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/c> .\n")
    second = start_server("--load", str(extra), "--workers", "1", data_dir=data_dir)
    assert _health(second)["store_version"] != version
    assert _ask(second, "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/c> }")
    assert not _ask(second, "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/b> }")
    assert sorted(p.name for p in data_dir.iterdir() if p.is_dir()) == [_health(second)["store_version"]]
