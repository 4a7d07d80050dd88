"""`sco-kg review --candidates FILE.yaml`: a curator decides on each candidate with one key.

a accept: the fact is appended to graph/data/facts/<ID>.yaml (and the new entities it names to
  graph/data/entities/<ID>.yaml), once the build's own checks accept it;
r reject; s skip (asked again next time); q quit;
e edit: type `field: value` lines (YAML, e.g. `from: "2024-07"`, `role: observer-state`), an empty line
  ends; the edited fact is checked and accepted.
Every decision but skip and quit is appended to graph/data/judgements/<ID>.yaml, which `propose` replays.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from .. import DATA_DIR
from ..build import BuildError
from .check import as_entities, as_fact, build_problems
from .existing import describe
from .judgements import judged, judgements_file, record
from .run import graph_without

KEYS = {"a": "accept", "r": "reject", "e": "edit", "s": "skip", "q": "quit"}
PROMPT = "[a]ccept [r]eject [e]dit [s]kip [q]uit > "


def read_key(stream) -> str:
    """One key: raw from a terminal, else the first character of a line ("" at the end of input)."""
    if stream.isatty():
        import termios
        import tty
        fd = stream.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd, termios.TCSANOW)   # not TCSAFLUSH: a key typed before the prompt counts
            return os.read(fd, 1).decode(errors="replace")
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
    return stream.readline()[:1]


def review_candidates(path: Path, stdin=sys.stdin, out=sys.stdout, graph_dir: Path = DATA_DIR) -> int:
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        source, text = doc["source"], Path(doc["text"]).read_text(encoding="utf-8")
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        print(f"review: cannot read the candidates {path} and their text: {e}", file=sys.stderr)
        return 2
    session = _Session(doc, source, text, graph_dir, out)
    try:
        return session.run(stdin)
    except BuildError as e:
        print(f"review failed:\n{e}", file=sys.stderr)
        return 1


class _Session:
    def __init__(self, doc: dict, source: str, text: str, graph_dir: Path, out):
        self.doc, self.source, self.text, self.graph_dir, self.out = doc, source, text, graph_dir, out
        self.proposed = doc.get("entities") or {}
        self.judgements = judgements_file(source, graph_dir)
        self.counts = dict.fromkeys(KEYS.values(), 0)
        self.entities, _ = graph_without(None, graph_dir)   # kept up to date as entities are accepted

    def run(self, stdin) -> int:
        decided = judged(self.judgements)
        todo = [c for c in self.doc.get("candidates") or [] if c["id"] not in decided]
        print(f"{len(todo)} candidate(s) to review ({len(decided)} decided before)", file=self.out)
        for i, cand in enumerate(todo, start=1):
            if self._one(i, len(todo), cand, stdin) == "quit":
                break
        print(", ".join(f"{n} {k}" for k, n in self.counts.items() if n and k != "quit") or "nothing decided",
              file=self.out)
        return 0

    def _one(self, i: int, n: int, cand: dict, stdin) -> str:
        self._show(i, n, cand)
        while True:
            print(PROMPT, end="", file=self.out, flush=True)
            key = read_key(stdin).lower()
            decision = KEYS.get(key, None if key else "quit")   # the end of input quits
            print(decision or "?", file=self.out)
            if decision is None:
                continue
            spec = cand["fact"]
            if decision == "edit":
                spec = self._edited(spec, stdin)
                if spec is None:
                    continue
            if decision in ("accept", "edit") and not self._accept(spec):
                continue
            if decision in ("accept", "reject", "edit"):
                record(self.judgements, cand["id"], decision, cand["fact"]["kind"])
            self.counts[decision] += 1
            return decision

    def _show(self, i: int, n: int, cand: dict) -> None:
        known = {**self.entities, **as_entities(self.proposed)}
        fact, _ = as_fact(cand["fact"], known, self.source)
        said = describe(fact, known) if fact else cand["fact"]["kind"]
        print(f"\n[{i}/{n}] {said}\n  {cand['rule']} (confidence {cand['confidence']})", file=self.out)
        for q in cand["fact"]["quotes"]:
            exact, how = (q, "reported") if isinstance(q, str) else (q["exact"], q.get("factuality", "reported"))
            print(f"    [{how}] “{exact}”", file=self.out)
        for label, items in (("supports", cand.get("supports")), ("contradicts", cand.get("contradicts"))):
            for s in items or []:
                print(f"  {label}: {s}", file=self.out)
        for slug in sorted(set(self._new_entities(cand["fact"]))):
            print(f"  new entity: {slug} {self.proposed[slug]}", file=self.out)

    def _edited(self, spec: dict, stdin) -> dict | None:
        print("field: value lines, an empty line ends", file=self.out)
        lines = []
        while (line := stdin.readline()).strip():
            lines.append(line)
        try:
            change = yaml.safe_load("".join(lines)) or {}
        except yaml.YAMLError as e:
            print(f"  not YAML: {e}", file=self.out)
            return None
        if not isinstance(change, dict):
            print("  write field: value lines", file=self.out)
            return None
        edited = {**spec, **change}
        return {k: v for k, v in edited.items() if v is not None}

    def _new_entities(self, spec: dict):
        for k, v in spec.items():
            for slug in (v if isinstance(v, list) and k != "quotes" else [v]):
                if isinstance(slug, str) and slug in self.proposed:
                    yield slug

    def _accept(self, spec: dict) -> bool:
        """Check the fact as the build would, then write it and the new entities it names."""
        new = {s: self.proposed[s] for s in self._new_entities(spec) if s not in self.entities}
        problems = build_problems([spec], new, self.text, self.source, self.entities)
        if problems:
            print("  the build would refuse it:\n" + "\n".join(f"    {p}" for p in problems), file=self.out)
            return False
        self._ensure_source_text()
        if new:
            _append(self.graph_dir / "entities" / f"{self.source}.yaml", yaml.safe_dump(
                new, allow_unicode=True, sort_keys=False), f"# Entities first needed by source {self.source}.\n")
        _append(self.graph_dir / "facts" / f"{self.source}.yaml", _indent(yaml.safe_dump(
            [spec], allow_unicode=True, sort_keys=False, width=100000)), f"source: {self.source}\nfacts:\n")
        return True

    def _ensure_source_text(self) -> None:
        target = self.graph_dir / "sources" / f"{self.source}.txt"
        if not target.exists():
            shutil.copyfile(self.doc["text"], target)
            print(f"  copied the text to {target}", file=self.out)


def _indent(block: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in block.splitlines(keepends=True))


def _append(path: Path, block: str, header: str) -> None:
    """Append to a curated file by writing a new copy and renaming it over the old (never half-written)."""
    old = path.read_text(encoding="utf-8") if path.exists() else header
    if old and not old.endswith("\n"):
        old += "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(old + block)
    os.replace(tmp, path)
