"""SPARQL Update: off by default, token-authenticated, SHACL-gated (422, graph unchanged), atomic, durable."""
import concurrent.futures
import json

import pytest

from http_helpers import ask, health, http_request

TOKEN = "s3cret-token"
DATA = "https://w3id.org/sco-kg/graph/data"
SCO = "https://w3id.org/sco-kg/ontology#"
ALIAS = f'INSERT DATA {{ GRAPH <{DATA}> {{ <https://w3id.org/sco-kg/id/test-alias-holder> a <{SCO}Place> ; ' \
        f'<http://www.w3.org/2000/01/rdf-schema#label> "Test place"@en }} }}'
UNLABELLED = f"INSERT DATA {{ GRAPH <{DATA}> {{ <https://w3id.org/sco-kg/id/test-unlabelled> a <{SCO}State> }} }}"
ASK_ALIAS = "ASK { <https://w3id.org/sco-kg/id/test-alias-holder> ?p ?o }"
ASK_UNLABELLED = "ASK { <https://w3id.org/sco-kg/id/test-unlabelled> ?p ?o }"


def _post(server, update: str, token: str | None = TOKEN, form: bool = False):
    """The update as application/sparql-update, or as a form; the body as text."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if form:
        r = http_request(server.sparql, "POST", headers, form={"update": update}, timeout=120)
    else:
        r = http_request(server.sparql, "POST", {**headers, "Content-Type": "application/sparql-update"},
                         update.encode(), timeout=120)
    return r.status, r.headers, r.text


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
    before = health(update_server)["triples"]
    got, headers, _ = _post(update_server, ALIAS, token=token)
    assert got == status and health(update_server)["triples"] == before
    if status == 401:
        assert headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.slow
def test_shape_violation_is_refused_and_nothing_changes(update_server) -> None:
    before = health(update_server)["triples"]
    status, _, body = _post(update_server, UNLABELLED)
    assert status == 422 and "rdfs:label" in body and "test-unlabelled" in body
    assert not ask(update_server, ASK_UNLABELLED) and health(update_server)["triples"] == before


@pytest.mark.slow
def test_request_is_atomic(update_server) -> None:
    """A valid operation followed by a shape-breaking one: neither is applied."""
    before = health(update_server)["triples"]
    status, _, _ = _post(update_server, ALIAS + " ;\n" + UNLABELLED, form=True)
    assert status == 422 and not ask(update_server, ASK_ALIAS) and health(update_server)["triples"] == before
    status, _, body = _post(update_server, ALIAS + " ;\nINSERT DATA { <x> <y> ")
    assert status == 400 and "Malformed update at line 2, column" in body and not ask(update_server, ASK_ALIAS)


@pytest.mark.slow
def test_update_while_readers_read_then_survives_kill9(start_server, tmp_path) -> None:
    # its own server: the module's is still needed by the tests after this one
    update_server = start_server("--update-token", TOKEN, "--workers", "2", data_dir=tmp_path / "data")
    update_server.data_dir = tmp_path / "data"
    before = health(update_server)["triples"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        reads = [pool.submit(ask, update_server, "ASK { ?s ?p ?o }") for _ in range(20)]
        status, _, body = _post(update_server, ALIAS)
        assert all(r.result() for r in reads)
    assert status == 200 and ask(update_server, ASK_ALIAS) and health(update_server)["triples"] == before + 2
    version = health(update_server)["store_version"]
    update_server.kill9()
    again = start_server("--update-token", TOKEN, data_dir=update_server.data_dir)
    assert ask(again, ASK_ALIAS) and health(again)["triples"] == before + 2
    assert health(again)["store_version"] == version  # reused, not rebuilt from the release


def test_store_is_rebuilt_when_a_load_file_changes(start_server, tmp_path) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    data_dir = tmp_path / "data"
    first = start_server("--load", str(extra), "--workers", "1", data_dir=data_dir)
    version = health(first)["store_version"]
    first.stop()
    extra.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/c> .\n")
    second = start_server("--load", str(extra), "--workers", "1", data_dir=data_dir)
    assert health(second)["store_version"] != version
    assert ask(second, "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/c> }")
    assert not ask(second, "ASK { <http://example.org/a> <http://example.org/p> <http://example.org/b> }")
    assert sorted(p.name for p in data_dir.iterdir() if p.is_dir()) == [health(second)["store_version"]]


@pytest.mark.embedded_only
@pytest.mark.slow
def test_an_update_that_does_not_parse_is_refused_before_the_store_is_copied(update_server) -> None:
    """Copies are numbered (server.store.embedded.datadir): one that does not parse takes no number, so it neither
    copied the store nor waited for the write lock; one that parses and is refused later does take one."""
    from server.store.embedded.datadir import DataDir
    issued = lambda: DataDir(update_server.data_dir).state().get("issued")  # noqa: E731
    before = issued()
    for bad in ("INSERT DATA { <urn:x:a> <urn:x:b> ", "DELETE WHERE { ?s ?p }", "CLEAR GRAPH"):
        status, _, body = _post(update_server, bad)
        assert status == 400 and "Malformed update" in body
    assert issued() == before
    status, _, _ = _post(update_server, UNLABELLED)
    assert status == 422 and issued() == before + 1


@pytest.mark.embedded_only
@pytest.mark.slow
def test_blank_node_labels_stay_the_same_across_committed_updates(update_server) -> None:
    """The ontology's blank nodes (restrictions, lists) keep their labels in every version and worker."""
    from ontology import vocab
    labels = f"SELECT ?b WHERE {{ GRAPH <{vocab.GRAPH_ONTOLOGY}> {{ ?b ?p ?o FILTER(isBlank(?b)) }} }}"

    def seen() -> set:
        r = http_request(update_server.sparql, "POST", accept="application/sparql-results+json",
                         form={"query": labels})
        return {row["b"]["value"] for row in json.loads(r.body)["results"]["bindings"]}
    before = seen()
    place = ALIAS.replace("test-alias-holder", "test-stable-labels")
    assert before and _post(update_server, place)[0] == 200
    assert seen() == before
