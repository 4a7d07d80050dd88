"""The repository explains itself: no file points at a tracker's issue numbers, at planning notes
kept outside the repository, or at a path outside it. The public interface is in docs/interface.md."""
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The words are split so that a plain grep for them over the repository finds nothing here either.
OUTSIDE = re.compile(r"\biss" r"ues? ?#?[0-9]|CONTR" r"ACT\.md|NOT" r"ES\.md|\.\./sh" r"ared|/wo" r"rk/", re.IGNORECASE)
# Not scanned: git's own files, what git ignores (venv, builds, caches), material the project did not
# write, and this file (its examples).
SKIP_DIRS = {".git", ".venv", "dist", "var", "build", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis", "yasgui",
             "screenshots"}
THIRD_PARTY = {ROOT / "graph" / "data" / "sources", ROOT / "tests" / "w3c"}


def _project_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")
                   and Path(folder, d) not in THIRD_PARTY]
        yield from (Path(folder, f) for f in files if f not in SKIP_DIRS)


def _mentions(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []
    return [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
            for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]


def test_no_issue_numbers_notes_or_outside_paths():
    found = [m for p in _project_files() if p != Path(__file__).resolve() for m in _mentions(p)]
    assert not found, "\n".join(found)


def test_the_check_sees_what_it_looks_for():
    for line in ("fixed in iss" "ue 14", "see Iss" "ue #3", "CONTR" "ACT.md says", "read NOT" "ES.md",
                 "copied from ../sh" "ared/sources", "/wo" "rk/sh" "ared/w3c"):
        assert OUTSIDE.search(line), line
    for line in ("the members issued a statement in 2017", "#333", "a treaty between states"):
        assert not OUTSIDE.search(line), line


def test_the_interface_is_documented_here():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/interface.md" in readme
    assert (ROOT / "docs" / "interface.md").is_file()
