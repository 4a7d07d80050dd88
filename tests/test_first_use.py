"""What a new user does first, done the way the README says: the serve command from the project
folder with default options, downloads, the first queries, and the messages mistakes get."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import ROOT, ScoServer, sco_kg
from http_helpers import http_request, wait_until_answering

DEFAULT_PORT = 8035  # the README's address: http://127.0.0.1:8035/


def run(*args, cwd=ROOT, env=None):
    return subprocess.run([*sco_kg(), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def _readme_serve_argv() -> list[str]:
    """The sco-kg part of the README's serve command, exactly as written."""
    block = re.search(r"Serve the graph.*?```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S).group(1)
    command = block.split("&&")[-1].split()
    assert command[0] == ".venv/bin/sco-kg", "the README serves with the venv's sco-kg"
    return [*sco_kg(), *command[1:]]


@pytest.fixture(scope="module")
def readme_server(release, tmp_path_factory):
    """`sco-kg serve` as the README starts it: from the project folder, default options, port 8035.

    The session's release is copied to the default `dist/` first when none is there, so the server
    reuses it instead of building (the build has tests of its own)."""
    if not (ROOT / "dist" / "release.json").exists():
        shutil.copytree(release, ROOT / "dist", dirs_exist_ok=True)
    log = tmp_path_factory.mktemp("readme") / "serve.log"
    with open(log, "wb") as fh:
        process = subprocess.Popen(_readme_serve_argv(), cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    server = ScoServer(process, DEFAULT_PORT, log, [])
    try:
        problem = wait_until_answering(server.base + "/health", process, 300)
        if problem:
            pytest.fail(f"the README's serve command {problem}:\n{log.read_text()}")
        yield server
    finally:
        server.stop()


# --- the README's serve command ----------------------------------------------------------------

def test_every_download_answers_with_its_file(readme_server):
    status, _, page = http_request(readme_server.base + "/dumps", accept="text/html")
    assert status == 200
    links = sorted(set(re.findall(r'href="(/dumps/[^"]+)"', page.decode())))
    assert links, "the downloads page links no files"
    for link in links:
        status, headers, body = http_request(readme_server.base + link)
        assert status == 200, f"{link}: {status} {body[:200]!r}"
        assert len(body) > 1000, link


def test_entity_page_and_rdf(readme_server):
    status, _, body = http_request(readme_server.base + "/id/belarus", accept="text/html")
    assert status == 200 and b"Belarus" in body
    status, headers, body = http_request(readme_server.base + "/id/belarus", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=body, format="turtle")) > 0


def test_the_readme_curl_example_runs_as_written(readme_server):
    readme = (ROOT / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith("curl ") and ":8035/sparql" in line)
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60, check=True).stdout
    assert json.loads(out) == {"head": {}, "boolean": True}


# --- the README's first queries, as written ----------------------------------------------------

def _first_query_commands() -> list[str]:
    block = re.search(r"## A first query.*?```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S).group(1)
    commands, current = [], ""
    for line in block.splitlines():  # a quoted query may run over several lines
        current = f"{current}\n{line}" if current else line
        if current.count("'") % 2 == 0:
            commands.append(current)
            current = ""
    return commands


def test_readme_first_queries_run_as_written(release):
    if not (ROOT / "dist" / "release.json").exists():
        shutil.copytree(release, ROOT / "dist", dirs_exist_ok=True)
    commands = _first_query_commands()
    assert len(commands) >= 3
    for command in commands:
        r = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"{command}\n{r.stderr}"
        assert r.stdout.strip(), command
    states = subprocess.run(["bash", "-c", commands[0]], cwd=ROOT, capture_output=True, text=True).stdout
    assert "Belarus" in states and "(0 rows)" not in states


# --- every query form in every format ----------------------------------------------------------

FORMS = {
    "SELECT": "SELECT ?s WHERE { ?s a sco:State } ORDER BY ?s LIMIT 2",
    "ASK": "ASK { ?s a sco:State }",
    "CONSTRUCT": "CONSTRUCT { ?s a sco:State } WHERE { ?s a sco:State } LIMIT 2",
    "DESCRIBE": "DESCRIBE <https://w3id.org/sco-kg/id/belarus>",
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_every_query_form_in_every_format(release, form, fmt):
    r = run("query", FORMS[form], "--dist", release, "--format", fmt)
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("\n") and "Traceback" not in r.stderr
    if fmt == "json":
        json.loads(r.stdout)


def test_describe_is_the_endpoints_description(release, sco_server):
    cli = run("query", FORMS["DESCRIBE"], "--dist", release).stdout
    endpoint = http_request(sco_server.sparql, params={"query": FORMS["DESCRIBE"]}, accept="application/n-triples").text
    ours, theirs = Graph().parse(data=cli, format="nt"), Graph().parse(data=endpoint, format="nt")
    assert len(ours) > 100 and ours.isomorphic(theirs)


def test_the_graphs_prefixes_are_predefined(release):
    r = run("query", "SELECT ?l WHERE { ?s a sco:State ; rdfs:label ?l } ORDER BY ?l LIMIT 1", "--dist", release)
    assert r.returncode == 0, r.stderr


# --- mistakes get one readable message and a non-zero exit -------------------------------------

def test_undeclared_prefix_names_it_with_a_caret(release):
    r = run("query", "SELECT ?l WHERE {\n  ?s foo:label ?l }", "--dist", release)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "line 2, column 6" in r.stderr and "the prefix foo: is not declared" in r.stderr
    assert r.stderr.splitlines()[-1] == "       ^"  # two spaces of indent, then under column 6
    assert "\\u{" not in r.stderr  # none of the parser's character classes


def test_syntax_error_says_what_was_expected_in_words(release):
    r = run("query", "SELECT * WHERE { ?s ?p ?o } LIMT 3", "--dist", release)
    assert r.returncode == 2 and "line 1, column" in r.stderr and "expected" in r.stderr
    assert "[" not in r.stderr.splitlines()[0]


def test_an_update_is_refused_with_a_sentence(release):
    r = run("query", "DROP ALL", "--dist", release)
    assert r.returncode == 2 and "this is an update" in r.stderr and "Traceback" not in r.stderr


def test_a_missing_query_file(release):
    r = run("query", "@nowhere/missing.rq", "--dist", release)
    assert r.returncode == 2 and "cannot read the query file nowhere/missing.rq" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_yaml_syntax_error_is_reported_once_with_file_and_line(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "graph" / "data", tree, ignore=shutil.ignore_patterns("queries"))
    with open(tree / "entities" / "core.yaml", "a") as fh:
        fh.write("  - kind: Membership\n   bad: [\n")
    r = run("build", "--no-reasoner", "--graph-dir", tree, "--out", tmp_path / "dist")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    problems = [line for line in r.stderr.splitlines() if "core.yaml" in line]
    assert len(problems) == 1 and re.search(r"core\.yaml:\d+:\d+: not valid YAML", problems[0])
    assert "unknown entity" not in r.stderr  # no cascade


def test_build_without_java_says_so(tmp_path):
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # python's folder only: no java
    r = run("build", "--out", tmp_path / "dist", env=env)
    assert r.returncode == 1 and "needs Java" in r.stderr and "Traceback" not in r.stderr


def test_serve_on_a_busy_port_says_so(release, tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run("serve", "--no-build", "--dist", release, "--data-dir", tmp_path / "data", "--port", port)
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr


# --- pages share the endpoint's error answers --------------------------------------------------

@pytest.fixture(scope="module")
def slow_server(start_server):
    """A deadline no page query can meet: every page that queries the store passes it."""
    return start_server("--timeout", "0.001", "--workers", "1")


# A worker stopped at the deadline is being replaced, so a request right after one may find the
# store busy (503, Retry-After) rather than slow (504): either is the store's answer, never a 500.
STORE_ANSWERS = {503: b"", 504: b"deadline"}


def test_a_page_past_the_deadline_is_an_html_error_for_browsers(slow_server):
    status, headers, body = http_request(slow_server.base + "/id/sco", accept="text/html")
    assert status in STORE_ANSWERS and headers["Content-Type"].startswith("text/html")
    assert STORE_ANSWERS[status] in body and b"Internal error" not in body and b"<h1>" in body


def test_a_page_past_the_deadline_is_a_text_error_for_programs(slow_server):
    status, headers, body = http_request(slow_server.base + "/id/sco", accept="*/*")
    assert status in STORE_ANSWERS and headers["Content-Type"].startswith("text/plain")
    assert STORE_ANSWERS[status] in body and b"Internal error" not in body


def test_a_406_from_a_page_varies_on_accept(sco_server):
    status, headers, _ = http_request(sco_server.base + "/id/belarus", accept="application/x-unknown")
    assert status == 406 and "Accept" in headers.get("Vary", "")
