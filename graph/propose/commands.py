"""`sco-kg propose`: the command line around graph.propose.run."""
import hashlib
import re
import sys
from pathlib import Path

import yaml

from .. import SOURCES_DIR
from .judgements import judgements_file

SOURCE_ID = re.compile(r"^[0-9]{3}_[0-9a-f]{16}$")   # as the shapes require of a source's identifier


def new_source_id(data: bytes, sources_dir: Path = SOURCES_DIR) -> str:
    """The next free number and the first 16 hex digits of the text's SHA-256."""
    numbers = [int(p.name[:3]) for p in sources_dir.glob("*.txt") if SOURCE_ID.match(p.stem)]
    return f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(data).hexdigest()[:16]}"


def add_propose(sub) -> None:
    p = sub.add_parser("propose", help="candidate facts from a new text, in the curation YAML of graph/data/facts/")
    p.add_argument("file", type=Path, help="the new source text (UTF-8)")
    p.add_argument("--source-id", help="the source ID, NNN_ and 16 hex digits (default: the file name without .txt "
                                       "if it is one, else the next number and the text's SHA-256)")
    p.add_argument("--without-source", metavar="ID", help="propose as if source ID had never been curated")
    p.add_argument("--out", type=Path, help="write the candidates here (default: standard output)")
    p.set_defaults(func=cmd_propose)


def cmd_propose(args) -> int:
    from .run import propose
    try:
        data = args.file.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"propose: cannot read {args.file} as UTF-8 text: {e}", file=sys.stderr)
        return 2
    source = args.source_id or (args.file.stem if SOURCE_ID.match(args.file.stem) else new_source_id(data))
    if not SOURCE_ID.match(source):
        print(f"propose: a source ID is three digits, '_' and 16 hex digits, not {source!r}", file=sys.stderr)
        return 2
    p = propose(text, source, without=args.without_source, judgements=judgements_file(source))
    doc = yaml.safe_dump(p.to_yaml_doc(str(args.file)), allow_unicode=True, sort_keys=False, width=100000)
    if args.out:
        args.out.write_text(doc, encoding="utf-8")
    else:
        sys.stdout.write(doc)
    print(f"source {source}: {len(p.candidates)} candidate(s), {len(p.entities)} new entit(ies); "
          f"{p.judged} already judged and left out", file=sys.stderr)
    for problem in p.problems:
        print(f"  left out: {problem}", file=sys.stderr)
    return 0
