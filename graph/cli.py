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


def _add_query(sub):
    p = sub.add_parser("query", help="run a SPARQL query against the built graph")
    p.add_argument("query", help="the query text, or @FILE to read it from a file")
    p.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    p.add_argument("--dist", type=Path, default=Path("dist"))
    p.set_defaults(func=_cmd_query)


def _cmd_query(args) -> int:
    from .query import QueryError, run_query
    text = Path(args.query[1:]).read_text() if args.query.startswith("@") else args.query
    try:
        sys.stdout.write(run_query(text, args.dist, args.format))
    except QueryError as e:
        print(f"query failed: {e}", file=sys.stderr)
        return 2
    return 0


def _add_conflicts(sub):
    p = sub.add_parser("conflicts", help="list the disagreements between sources")
    p.add_argument("--dist", type=Path, default=Path("dist"))
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_conflicts)


def _cmd_conflicts(args) -> int:
    from .conflicts import print_conflicts
    return print_conflicts(args.dist, args.format)


def _add_review(sub):
    from .kinds import KINDS
    p = sub.add_parser("review", help="print every fact as a sentence, then its quotes with source and factuality")
    p.add_argument("--source", help="only this source document (its ID or the first digits, e.g. 003)")
    p.add_argument("--kind", choices=sorted(KINDS), help="only facts of this kind (Leadership facts are PostHolding)")
    p.set_defaults(func=_cmd_review)


def _cmd_review(args) -> int:
    from .review import print_review
    return print_review(args.source, args.kind)


def _add_serve(sub):
    from server.serve import add_arguments, main as serve_main
    p = sub.add_parser("serve", help="build (or reuse) the graph and serve it over HTTP")
    add_arguments(p)
    p.set_defaults(func=serve_main)


def _add_publish(sub):
    from server.publish import add_arguments, main as publish_main
    p = sub.add_parser("publish", help="load the release into an external engine (Graph Store Protocol)")
    add_arguments(p)
    p.set_defaults(func=publish_main)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sco-kg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_build, _add_validate, _add_query, _add_conflicts, _add_review, _add_serve, _add_publish):
        add(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
