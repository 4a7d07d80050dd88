"""The `sco-kg query`, `sco-kg serve` and `sco-kg publish` subcommands.

graph.cli finds them through the `sco_kg.commands` entry point (pyproject.toml), so the graph package
never imports the server, and `sco-kg build` or `--help` load neither Flask nor the store.
"""
from pathlib import Path


def register(sub) -> None:
    from . import serve
    p = sub.add_parser("query", help="run a SPARQL query against the built graph, as the endpoint answers it")
    _query_arguments(p)
    p.set_defaults(func=_query)
    p = sub.add_parser("serve", help="build (or reuse) the graph and serve it over HTTP")
    serve.add_arguments(p)
    p.set_defaults(func=serve.main)
    p = sub.add_parser("publish", help="load the release into an external engine (Graph Store Protocol)")
    _publish_arguments(p)
    p.set_defaults(func=_publish)


def _query_arguments(parser) -> None:
    parser.add_argument("query", help="the query text, or @FILE to read it from a file")
    parser.add_argument("--format", choices=["table", "json", "csv", "tsv"], default="table")
    parser.add_argument("--dist", type=Path, help="the release folder, built if missing or stale "
                        "(default: dist in the project folder, else a cache folder)")


def _query(args) -> int:
    from graph.release import implicit_dist

    from .shell_query import main
    args.dist = args.dist or implicit_dist()
    return main(args)


def _publish(args) -> int:
    from .store.publish import main
    return main(args)


def _publish_arguments(parser) -> None:
    parser.add_argument("url", help="the engine's Graph Store endpoint, e.g. http://127.0.0.1:7878/store")
    parser.add_argument("--query-url", help="its SPARQL query endpoint (derived for Oxigraph and Fuseki)")
    parser.add_argument("--update-url", help="its SPARQL update endpoint (derived for Oxigraph and Fuseki)")
    parser.add_argument("--dist", type=Path, default=Path("dist"), help="the release folder")
    parser.add_argument("--no-build", action="store_true",
                        help="publish the release in --dist as it is, without rebuilding a stale one")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds allowed per request (oxigraph took ~7 s to store and ~20 s to swap 100k triples)")
