"""The `sco-kg` command line: one parser for every subcommand; each imports what it runs only when it runs,
so `sco-kg build` or `--help` load neither Flask nor the store."""
import argparse
import sys
from pathlib import Path


def _add_build(sub):
    p = sub.add_parser("build", help="build, validate and write the release into dist/")
    p.add_argument("--out", type=Path, default=Path("dist"))
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    _add_graph_dir(p, "build from")
    p.set_defaults(func=_cmd_build)


def _add_graph_dir(p, verb: str) -> None:
    from graph import DATA_DIR
    p.add_argument("--graph-dir", type=Path, default=DATA_DIR,
                   help=f"{verb} another curated tree (sources/, entities/, facts/) instead of the shipped one")


def _cmd_build(args) -> int:
    from graph.build import BuildError, build
    try:
        a = build(args.out, reasoner=not args.no_reasoner, graph_dir=args.graph_dir)
    except BuildError as e:
        print(f"build failed:\n{e}", file=sys.stderr)
        return 1
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in a.timings.items())
    print(f"release written to {args.out} ({stages})")
    return 0


def _add_validate(sub):
    p = sub.add_parser("validate", help="run the SHACL shapes and the reasoner on the current files")
    p.add_argument("--no-reasoner", action="store_true")
    _add_graph_dir(p, "validate")
    p.set_defaults(func=_cmd_validate)


def _cmd_validate(args) -> int:
    from graph.build import BuildError, validate
    try:
        print(validate(reasoner=not args.no_reasoner, graph_dir=args.graph_dir))
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
    from graph.conflicts import print_conflicts
    from graph.release import implicit_dist
    return print_conflicts(args.dist or implicit_dist(), args.format)


def _add_review(sub):
    from graph.kinds import KINDS
    p = sub.add_parser("review", help="print every fact as a sentence, then its quotes with source and factuality")
    p.add_argument("--source", help="only this source document (its ID or the first digits, e.g. 003)")
    p.add_argument("--kind", choices=sorted(KINDS), help="only facts of this kind (Leadership facts are PostHolding)")
    p.add_argument("--candidates", type=Path, help="decide on the candidates `sco-kg propose` wrote, one key each")
    p.set_defaults(func=_cmd_review)


def _cmd_review(args) -> int:
    if args.candidates:
        from graph.propose.review import review_candidates
        return review_candidates(args.candidates)
    from graph.review import print_review
    return print_review(args.source, args.kind)


def _add_propose(sub):
    from graph.propose.commands import add_propose
    add_propose(sub)


def _add_diff(sub):
    p = sub.add_parser("diff", help="the statements added, removed and changed between two releases")
    p.add_argument("old", type=Path, help="the earlier release folder")
    p.add_argument("new", type=Path, help="the later release folder")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_diff)


def _cmd_diff(args) -> int:
    from graph.changes import print_diff
    return print_diff(args.old, args.new, args.format)


def _add_normalize(sub):
    from ontology import EDIT_FILE
    p = sub.add_parser("normalize", help="rewrite an ontology edit file in the project's canonical Turtle form")
    p.add_argument("file", nargs="?", type=Path, default=EDIT_FILE,
                   help="the Turtle file to rewrite in place (default: the ontology's edit file)")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if the file is not canonical")
    p.add_argument("--drop-comments", action="store_true",
                   help="rewrite even though the file's own # comments will be lost")
    p.set_defaults(func=_cmd_normalize)


def _cmd_normalize(args) -> int:
    from ontology.normalize import NormalizeError, normalize_file
    try:
        changed = normalize_file(args.file, drop_comments=args.drop_comments, check=args.check)
    except NormalizeError as e:
        print(f"sco-kg normalize: {e}", file=sys.stderr)
        return 1
    if args.check:
        print(f"{args.file}: {'not in' if changed else 'in'} canonical form")
        return int(changed)
    print(f"{args.file}: {'rewritten in' if changed else 'already in'} canonical form")
    return 0


def _add_query(sub):
    p = sub.add_parser("query", help="run a SPARQL query against the built graph, as the endpoint answers it")
    p.add_argument("query", help="the query text, or @FILE to read it from a file")
    p.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    p.add_argument("--dist", type=Path, help="the release folder, built if missing or stale "
                   "(default: dist in the project folder, else a cache folder)")
    p.set_defaults(func=_cmd_query)


def _cmd_query(args) -> int:
    from graph.release import implicit_dist

    from .shell_query import main
    args.dist = args.dist or implicit_dist()
    return main(args)


def _add_serve(sub):
    from . import serve  # its arguments only: Flask and the store load when it runs
    p = sub.add_parser("serve", help="build (or reuse) the graph and serve it over HTTP")
    serve.add_arguments(p)
    p.set_defaults(func=serve.main)


def _add_publish(sub):
    p = sub.add_parser("publish", help="load the release into an external engine (Graph Store Protocol)")
    p.add_argument("url", help="the engine's Graph Store endpoint, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--query-url", help="its SPARQL query endpoint (derived for Oxigraph and Fuseki)")
    p.add_argument("--update-url", help="its SPARQL update endpoint (derived for Oxigraph and Fuseki)")
    p.add_argument("--dist", type=Path, default=Path("dist"), help="the release folder")
    p.add_argument("--no-build", action="store_true",
                   help="publish the release in --dist as it is, without rebuilding a stale one")
    p.add_argument("--timeout", type=float, default=1800.0,
                   help="seconds allowed per request (oxigraph took ~7 s to store and ~20 s to swap 100k triples)")
    p.set_defaults(func=_cmd_publish)


def _cmd_publish(args) -> int:
    from .publish import main
    return main(args)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sco-kg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_build, _add_validate, _add_conflicts, _add_review, _add_propose, _add_diff, _add_normalize, _add_query, _add_serve, _add_publish):
        add(sub)
    args = parser.parse_args(argv)
    from graph.build import BuildError
    try:
        return args.func(args)
    except BuildError as e:  # a command that needed the release, which could not be built
        print(f"sco-kg {args.command}: the graph could not be built:\n{e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
