"""`sco-kg propose`: the command line around graph.propose.run."""
import sys
from pathlib import Path

import yaml

from .judgements import judgements_file


def add_propose(sub) -> None:
    p = sub.add_parser("propose", help="candidate facts from a new text, in the curation YAML of graph/facts/")
    p.add_argument("file", type=Path, help="the new source text (UTF-8)")
    p.add_argument("--source-id", help="the source ID (default: the file name without .txt)")
    p.add_argument("--without-source", metavar="ID", help="propose as if source ID had never been curated")
    p.add_argument("--out", type=Path, help="write the candidates here (default: standard output)")
    p.set_defaults(func=cmd_propose)


def cmd_propose(args) -> int:
    from .run import propose
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"propose: cannot read {args.file} as UTF-8 text: {e}", file=sys.stderr)
        return 2
    source = args.source_id or args.file.stem
    p = propose(text, source, without=args.without_source, judgements=judgements_file(source))
    doc = yaml.safe_dump(p.to_yaml_doc(str(args.file)), allow_unicode=True, sort_keys=False, width=100000)
    if args.out:
        args.out.write_text(doc, encoding="utf-8")
    else:
        sys.stdout.write(doc)
    print(f"{len(p.candidates)} candidate(s), {len(p.entities)} new entit(ies); "
          f"{p.judged} already judged and left out", file=sys.stderr)
    for problem in p.problems:
        print(f"  left out: {problem}", file=sys.stderr)
    return 0
