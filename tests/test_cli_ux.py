"""The command line at first use: an unknown source is an error naming the known ones; a release that
no one asked for goes to a cache folder outside the project; `serve` says what its first build does and
where the home page is."""
import logging
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, sco_kg
from graph.build import _stage
from graph.release import implicit_dist


def test_review_of_an_unknown_source_names_the_known_ones():
    r = subprocess.run([*sco_kg(), "review", "--source", "xyz"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 2 and "0 fact(s)" not in r.stdout
    assert "'xyz'" in r.stderr and "000_e80a9174165847db" in r.stderr and "004_7aa1b5f187d5e36a" in r.stderr


def test_review_of_a_known_source_prefix_still_works():
    r = subprocess.run([*sco_kg(), "review", "--source", "003"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.rstrip().endswith("fact(s)") and not r.stdout.rstrip().startswith("0 ")


def test_a_release_not_asked_for_goes_to_a_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    assert implicit_dist() == tmp_path / "cache" / "sco-kg" / "dist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert implicit_dist() == Path.home() / ".cache" / "sco-kg" / "dist"
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "release.json").write_text("{}")
    assert implicit_dist() == Path("dist")  # a release already here is used
    monkeypatch.chdir(ROOT)
    assert implicit_dist() == Path("dist")  # in the project folder, as before


def test_each_build_stage_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="graph.build"):
        with _stage({}, "shacl"):
            pass
    assert "validating the graph with the SHACL shapes" in caplog.text


@pytest.mark.slow
def test_serve_prints_the_home_page(start_server):
    server = start_server()
    log = server.log.read_text()
    assert f"home page at {server.base}/" in log and f"{server.base}/sparql" in log
