"""What changed between releases: `sco-kg diff`, the changes.json every build writes, and /changes
(in process, `create_app(store=...)`), with the VoID description linking it."""
import json
from pathlib import Path

import pytest

from graph.changes import CHANGES_JSON, diff, read_changes, write_changes
from server.cli import main
from ontology.vocab import BASE, GRAPH_DATA, OA, RDFS, SCO

FACT = BASE + "fact/membership/"


def _dist(path: Path, version: str, facts: dict) -> Path:
    """A release folder with only what the diff reads: N-Quads of fact nodes and their evidence."""
    path.mkdir(parents=True)
    lines = []
    for iri, (sentence, extra, evidence) in facts.items():
        g = f"<{GRAPH_DATA}>"
        lines.append(f'<{iri}> <{RDFS}label> "{sentence}"@en {g} .')
        lines += [f'<{iri}> <{SCO}{p}> "{o}" {g} .' for p, o in extra.items()]
        for n, (source, how, exact) in enumerate(evidence):
            ev = f"{iri}/ev{n}"
            lines += [f"<{iri}> <{SCO}evidence> <{ev}> {g} .", f"<{ev}> <{OA}hasTarget> <{ev}#t> {g} .",
                      f"<{ev}#t> <{OA}hasSource> <{BASE}source/{source}> {g} .",
                      f"<{ev}#t> <{OA}hasSelector> <{ev}#q> {g} .", f'<{ev}#q> <{OA}exact> "{exact}" {g} .',
                      f"<{ev}> <{SCO}factuality> <{SCO}{how}> {g} ."]
    (path / "sco-kg.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (path / "release.json").write_text(json.dumps({"version": version}))
    return path


@pytest.fixture
def releases(tmp_path):
    old = _dist(tmp_path / "old", "v1", {
        FACT + "a": ("Belarus is a member", {}, [("000_x", "Reported", "Belarus joined")]),
        FACT + "b": ("Iran is a member", {}, [("000_x", "Reported", "Iran joined")]),
        FACT + "c": ("India joined in 2017", {"from": "2017"}, [("001_y", "Reported", "India joined in 2017")])})
    new = _dist(tmp_path / "new", "v2", {
        FACT + "a": ("Belarus is a member", {}, [("000_x", "Reported", "Belarus joined")]),
        FACT + "c": ("India joined in 2017", {"from": "2017"}, [("001_y", "Reported", "India joined in 2017"),
                                                               ("999_z", "Expected", "India will join")]),
        FACT + "d": ("Mongolia attended", {}, [("999_z", "Reported", "\u201cMongolia attended\u201d")])})
    return old, new


def test_added_removed_and_changed_statements_with_their_sentences_and_sources(releases):
    old, new = releases
    changes = diff(old, new)
    assert (changes["previous"], changes["release"]) == ("v1", "v2")
    assert [(e["iri"], e["sentence"], e["sources"]) for e in changes["added"]] == \
        [(FACT + "d", "Mongolia attended", ["999_z"])]
    assert [e["iri"] for e in changes["removed"]] == [FACT + "b"]
    [changed] = changes["changed"]
    assert changed["iri"] == FACT + "c" and "was" not in changed and "fields_changed" not in changed
    assert changed["evidence_added"] == [{"source": "999_z", "factuality": "expected", "exact": "India will join"}]
    assert diff(new, new)["added"] == diff(new, new)["changed"] == []


def test_a_changed_sentence_and_field_are_named(tmp_path, releases):
    old, _ = releases
    new = _dist(tmp_path / "n2", "v3", {
        FACT + "a": ("Belarus is a member", {}, [("000_x", "Reported", "Belarus joined")]),
        FACT + "b": ("Iran is a member state", {}, [("000_x", "Reported", "Iran joined")]),
        FACT + "c": ("India joined in 2017", {"from": "2018"}, [("001_y", "Reported", "India joined in 2017")])})
    changed = {e["iri"]: e for e in diff(old, new)["changed"]}
    assert changed[FACT + "b"]["was"] == "Iran is a member"
    assert changed[FACT + "c"].get("fields_changed") is True


def test_cli_diff_prints_text_and_json_and_exits_0(releases, capsys):
    old, new = releases
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "1 added, 1 removed, 1 changed" in out and "+ Mongolia attended" in out and "- Iran is a member" in out
    assert "+ 999 [expected] “India will join”" in out
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"][0]["sentence"] == "Iran is a member"


def test_cli_diff_refuses_a_folder_that_is_no_release(tmp_path, releases, capsys):
    assert main(["diff", str(tmp_path), str(releases[1])]) == 2
    assert "not a release folder" in capsys.readouterr().err


def test_changes_are_written_against_the_previous_release_or_nothing(tmp_path, releases):
    old, new = releases
    write_changes(old, new)
    assert read_changes(new)["previous"] == "v1"
    write_changes(tmp_path / "none", new)
    first = read_changes(new)
    assert first["previous"] is None and len(first["added"]) == 3


def test_the_build_writes_its_changes(release):
    changes = read_changes(release)
    assert changes is not None and (release / CHANGES_JSON).exists()
    assert changes["previous"] is None and len(changes["added"]) > 100    # a first build: every statement added
    assert all(e["sentence"] and e["evidence"] for e in changes["added"])


@pytest.fixture
def changes_client(app_config, app_store, releases):
    from server.app import create_app
    old, new = releases
    write_changes(old, new)
    return create_app({**app_config, "DIST_DIR": new}, store=app_store).test_client()


def test_changes_page_html_for_browsers_json_for_programs(changes_client):
    page = changes_client.get("/changes", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.mimetype == "text/html" and "Vary" in page.headers
    html = page.get_data(as_text=True)
    assert "Mongolia attended" in html and "India will join" in html and "v1" in html
    # a quote in the source's own marks is shown in the page's marks, not doubled
    assert "[reported]: \u201cMongolia attended\u201d</li>" in html and "\u201c\u201c" not in html
    data = changes_client.get("/changes", headers={"Accept": "application/json"})
    assert data.status_code == 200 and data.mimetype == "application/json"
    assert data.get_json()["added"][0]["sentence"] == "Mongolia attended"
    assert changes_client.get("/changes", headers={"Accept": "image/png"}).status_code == 406


def test_changes_page_without_a_changes_file(app_config, app_store, tmp_path):
    from server.app import create_app
    client = create_app({**app_config, "DIST_DIR": tmp_path}, store=app_store).test_client()
    r = client.get("/changes", headers={"Accept": "application/json"})
    assert r.status_code == 404 and "no changes" in r.get_json()["error"]
    assert client.get("/changes").status_code == 404


def test_void_links_the_changes(client):
    r = client.get("/dumps", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert any(f"<{RDFS}seeAlso>" in line and line.split()[2].endswith("/changes>") for line in r.text.splitlines())
