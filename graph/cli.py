"""The `sco-kg` command line."""
import argparse
import sys
from pathlib import Path


def _add_build(sub):
    p = sub.add_parser("build", help="build, validate and write the release into dist/")
    p.add_argument("--out", type=Path, default=Path("dist"))
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    p.add_argument("--graph-dir", type=Path, default=None,
                   help="build from another curated tree (sources/, entities/, facts/) instead of the shipped one")
    p.set_defaults(func=_cmd_build)


def _cmd_build(args) -> int:
    from . import PACKAGE_DIR
    from .build import BuildError, build
    try:
        a = build(args.out, reasoner=not args.no_reasoner, graph_dir=args.graph_dir or PACKAGE_DIR)
    except BuildError as e:
        print(f"build failed:\n{e}", file=sys.stderr)
        return 1
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in a.timings.items())
    print(f"release written to {args.out} ({stages})")
    return 0


def _add_validate(sub):
    p = sub.add_parser("validate", help="run the SHACL shapes and the reasoner on the current files")
    p.add_argument("--no-reasoner", action="store_true")
    p.set_defaults(func=_cmd_validate)


def _cmd_validate(args) -> int:
    from .build import BuildError, validate
    try:
        print(validate(reasoner=not args.no_reasoner))
    except BuildError as e:
        print(f"validation failed:\n{e}", file=sys.stderr)
        return 1
    return 0


def _add_conflicts(sub):
    p = sub.add_parser("conflicts", help="list the disagreements between sources")
    p.add_argument("--dist", type=Path, help="the release folder (default: dist in the project folder, else a cache folder)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_conflicts)


def _cmd_conflicts(args) -> int:
    from .conflicts import print_conflicts
    from .release import implicit_dist
    return print_conflicts(args.dist or implicit_dist(), args.format)


def _add_review(sub):
    from .kinds import KINDS
    p = sub.add_parser("review", help="print every fact as a sentence, then its quotes with source and factuality")
    p.add_argument("--source", help="only this source document (its ID or the first digits, e.g. 003)")
    p.add_argument("--kind", choices=sorted(KINDS), help="only facts of this kind (Leadership facts are PostHolding)")
    p.set_defaults(func=_cmd_review)


def _cmd_review(args) -> int:
    from .review import print_review
    return print_review(args.source, args.kind)


def _add_registered(sub):
    """Subcommands other packages register (the server's serve and publish), without importing them here."""
    from importlib.metadata import entry_points
    for ep in entry_points(group="sco_kg.commands"):
        ep.load()(sub)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sco-kg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_build, _add_validate, _add_conflicts, _add_review, _add_registered):
        add(sub)
    args = parser.parse_args(argv)
    from .build import BuildError
    try:
        return args.func(args)
    except BuildError as e:  # a command that needed the release, which could not be built
        print(f"sco-kg {args.command}: the graph could not be built:\n{e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
