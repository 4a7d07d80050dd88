"""The `sco-kg` command line: exit statuses and output formats, run as a user runs it."""
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sco-kg/ontology#SourceDocument> }"


def sco_kg(*args, check=False):
    exe = Path(sys.executable).with_name("sco-kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "server.cli"]
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=ROOT, check=check)


def test_query_formats(release):
    table = sco_kg("query", COUNT, "--dist", release, check=True).stdout
    assert table.splitlines()[0].strip() == "n" and "5" in table and "(1 row)" in table
    data = json.loads(sco_kg("query", COUNT, "--dist", release, "--format", "json", check=True).stdout)
    assert data["results"]["bindings"][0]["n"]["value"] == "5"
    rows = list(csv.reader(io.StringIO(sco_kg("query", COUNT, "--dist", release, "--format", "csv", check=True).stdout)))
    assert rows == [["n"], ["5"]]
    assert sco_kg("query", COUNT, "--dist", release, "--format", "tsv", check=True).stdout.splitlines()[0] == "?n"


def test_query_from_file(release):
    out = sco_kg("query", "@graph/data/queries/joined-2017.rq", "--dist", release, check=True).stdout
    assert "India" in out and "Pakistan" in out


def test_malformed_query_exits_non_zero_with_position(release):
    r = sco_kg("query", "SELECT ?x WHERE { ?x ?y }", "--dist", release)
    assert r.returncode == 2
    assert "Malformed query at line 1, column" in r.stderr


def broken_tree(tmp_path) -> Path:
    """A curated tree whose one fact quotes a sentence its source does not contain."""
    tree = tmp_path / "tree"
    for sub in ("sources", "entities", "facts"):
        (tree / sub).mkdir(parents=True)
    (tree / "sources" / "999_00000000000000aa.txt").write_text("Alpha joined the Org.")
    (tree / "entities" / "e.yaml").write_text("alpha: {type: State, label: Alpha}\norg: {type: IntergovernmentalOrganization, label: Org}\n")
    (tree / "facts" / "999_00000000000000aa.yaml").write_text(
        "source: 999_00000000000000aa\nfacts:\n  - kind: Membership\n    member: alpha\n    organization: org\n"
        "    role: member-state\n    quotes: [\"Alpha left the Org.\"]\n")
    return tree


def test_build_refuses_a_broken_tree(tmp_path):
    tree = broken_tree(tmp_path)
    r = sco_kg("build", "--out", tmp_path / "dist", "--graph-dir", tree, "--no-reasoner")
    assert r.returncode == 1
    assert "999_00000000000000aa.yaml:7: fact #1 (Membership)" in r.stderr and "Alpha left the Org." in r.stderr
    assert not (tmp_path / "dist").exists()


def test_validate_reports_conformance():
    r = sco_kg("validate", "--no-reasoner")
    assert r.returncode == 0, r.stderr
    assert "SHACL: conforms" in r.stdout


def test_validate_reads_the_tree_it_is_given(tmp_path):
    r = sco_kg("validate", "--no-reasoner", "--graph-dir", broken_tree(tmp_path))
    assert r.returncode == 1
    assert "validation failed" in r.stderr and "Alpha left the Org." in r.stderr


def test_review_prints_sentence_then_quotes_with_source_and_factuality():
    r = sco_kg("review", "--source", "002", "--kind", "Attendance", check=True)
    blocks = r.stdout.split("\n\n")
    sharif = next(b for b in blocks if "Shehbaz Sharif attended" in b)
    # 002: "Other leaders attending include Shehbaz Sharif of Pakistan" (a preview: expected).
    assert sharif.startswith("Expected: Shehbaz Sharif attended the 2024 SCO summit in Astana")
    assert "002 [expected] “" in sharif and re.search(r"002_694e076b4a465653\.yaml:\d+: fact #", sharif)
    assert r.stdout.rstrip().endswith("fact(s)") and "Membership" not in r.stdout


def test_review_shows_the_work_a_footnoted_quote_cites():
    out = sco_kg("review", "--source", "003", check=True).stdout
    assert "Russia has also opposed the establishment of an SCO bank.³⁹”  (footnote 39: work-lanteigne-2018)" in out


def test_review_refuses_an_unknown_kind():
    r = sco_kg("review", "--kind", "Rumour")
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_query_refuses_service_and_load_in_one_line(release):
    """`sco-kg query` reads a query as the server does: it never calls out, whatever the text hides."""
    import socket
    with socket.create_server(("127.0.0.1", 0)) as listener:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        for text in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                     f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE SILENT ?u {{ ?s ?p ?o }} }}",
                     f'SELECT * WHERE {{ BIND(1 AS ?a) FILTER(?a <?b#> """\n) SERVICE <{url}> {{ ?s ?p ?o }}\n# """\n}}',
                     f"LOAD <{url}>"):
            r = sco_kg("query", text, "--dist", release)
            assert r.returncode == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) <= 3, r.stderr
            assert "Traceback" not in r.stderr and ("refused" in r.stderr or "ambiguous" in r.stderr)
        listener.setblocking(False)
        try:
            listener.accept()
            called = True
        except BlockingIOError:
            called = False
    assert not called
