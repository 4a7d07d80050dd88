"""`sco-kg review --candidates`: one key per decision, accepted facts written where the build reads them,
every decision kept as data that a later `propose` replays. Driven by stdin, and by a terminal (pty)."""
import io
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from graph import DATA_DIR
from graph.build import load_curation
from server.cli import main
from graph.propose.judgements import judgements_file
from graph.propose.review import review_candidates
from graph.propose.run import propose

TEXT = Path(__file__).parent / "data" / "propose" / "tianjin.txt"
SOURCE = "999_0123456789abcdef"


@pytest.fixture
def tree(tmp_path):
    """A copy of the curated tree, and the candidates for our text."""
    graph = tmp_path / "graph"
    graph.mkdir()
    for name in ("sources", "entities", "facts"):
        shutil.copytree(DATA_DIR / name, graph / name)
    for name in ("sources.yaml", "disagreements.yaml"):
        shutil.copy(DATA_DIR / name, graph / name)
    candidates = tmp_path / "c.yaml"
    assert main(["propose", str(TEXT), "--source-id", SOURCE, "--out", str(candidates)]) == 0
    return graph, candidates


def _review(graph, candidates, keys: str) -> str:
    out = io.StringIO()
    assert review_candidates(candidates, io.StringIO(keys), out, graph_dir=graph) == 0
    return out.getvalue()


def _candidates(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["candidates"]


def test_accept_reject_edit_skip_then_nothing_is_asked_twice(tree):
    graph, candidates = tree
    cands = _candidates(candidates)
    iran = next(i for i, c in enumerate(cands) if c["fact"].get("member") == "iran")
    keys = ["s"] * len(cands)
    keys[0], keys[1] = "a", "r"
    keys[iran] = 'e\nstatus: "by this account"\n'
    shown = _review(graph, candidates, "\n".join(keys) + "\n")
    assert "1 accept, 1 reject, 1 edit" in shown and "[1/" in shown

    curation, texts, _ = load_curation(graph)           # the build's loader reads what was written
    written = [f for f in curation.facts if f.source == SOURCE]
    assert [f.kind.name for f in written] == [cands[0]["fact"]["kind"], "Membership"]
    assert written[1].values["status"] == "by this account"
    assert SOURCE in texts

    decided = yaml.safe_load(judgements_file(SOURCE, graph).read_text())
    assert [d["decision"] for d in decided] == ["accept", "reject", "edit"]
    again = propose(TEXT.read_text(encoding="utf-8"), SOURCE, graph_dir=graph,
                    judgements=judgements_file(SOURCE, graph))
    left = {c["id"] for c in again.candidates}
    assert not left & {cands[0]["id"], cands[1]["id"], cands[iran]["id"]}
    assert cands[2 if iran != 2 else 3]["id"] in left          # skipped: asked again

    shown = _review(graph, candidates, "q\n")
    assert f"({len(decided)} decided before)" in shown


def test_an_edit_the_build_would_refuse_is_not_written(tree):
    graph, candidates = tree
    shown = _review(graph, candidates, "e\nrole: emperor\n\nq\n")
    assert "the build would refuse it" in shown and "unknown field 'role'" in shown
    assert not (graph / "facts" / f"{SOURCE}.yaml").exists()
    assert not judgements_file(SOURCE, graph).exists()


def test_unknown_keys_are_asked_again_and_end_of_input_quits(tree):
    graph, candidates = tree
    shown = _review(graph, candidates, "x\n")
    assert shown.count("[a]ccept") == 2 and "nothing decided" in shown


def test_unreadable_candidates_file(tmp_path, capsys):
    bad = tmp_path / "c.yaml"
    bad.write_text("source: [unclosed", encoding="utf-8")
    assert review_candidates(bad) == 2
    assert "cannot read" in capsys.readouterr().err


def test_one_key_in_a_terminal_decides_without_enter(tree):
    graph, candidates = tree
    code = ("import sys; from pathlib import Path; from graph.propose.review import review_candidates; "
            f"sys.exit(review_candidates(Path({str(candidates)!r}), graph_dir=Path({str(graph)!r})))")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower,
                            cwd=Path(__file__).resolve().parents[1])
    os.close(follower)
    seen = b""

    def read_until(marker: bytes, count: int):
        nonlocal seen
        while seen.count(marker) < count:
            ready, _, _ = select.select([leader], [], [], 600)   # a guard against a hang, not a deadline
            assert ready, seen.decode(errors="replace")
            seen += os.read(leader, 4096)

    try:
        read_until(b"[q]uit > ", 1)
        os.write(leader, b"r")                 # no Enter: the key alone decides
        read_until(b"[q]uit > ", 2)
        os.write(leader, b"q")
        read_until(b"1 reject", 1)
        assert proc.wait(timeout=600) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    decided = yaml.safe_load(judgements_file(SOURCE, graph).read_text())
    assert [d["decision"] for d in decided] == ["reject"]


def test_an_attributed_quote_waits_for_a_loader_that_knows_it(tree):
    from graph.curation import FACTUALITY
    graph, candidates = tree
    cands = _candidates(candidates)
    nato = next(i for i, c in enumerate(cands) if c["fact"].get("organization") == "nato")
    shown = _review(graph, candidates, "s\n" * nato + "a\nq\n")
    written = graph / "facts" / f"{SOURCE}.yaml"
    if "attributed" in FACTUALITY:
        assert "attributed" in written.read_text(encoding="utf-8")
    else:
        assert "the build would refuse it" in shown and "not 'attributed'" in shown and not written.exists()


def test_the_command_line_reviews_candidates(tree):
    _, candidates = tree
    exe = Path(sys.executable).with_name("sco-kg")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "server.cli"]
    r = subprocess.run([*cmd, "review", "--candidates", str(candidates)], input="q\n", capture_output=True,
                       text=True, cwd=Path(__file__).resolve().parents[1])
    assert r.returncode == 0 and "candidate(s) to review" in r.stdout and "nothing decided" in r.stdout
    missing = subprocess.run([*cmd, "review", "--candidates", str(candidates.with_name("none.yaml"))],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
