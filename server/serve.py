"""`sco-kg serve`: build (or reuse a current build of) the graph and serve it with granian.

The public options (docs/interface.md): --host (127.0.0.1), --port (8035), --load FILE (repeatable),
--update-token TOKEN, --open-update (loopback hosts only); the rest are this server's own.
The token can also come from the environment (SCO_KG_UPDATE_TOKEN) or a file (--update-token-file),
which, unlike the command line, other local users cannot read in `ps`.
"""
import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path

from .config import DEFAULTS

DEFAULT_PORT = 8035
TOKEN_VARIABLE = "SCO_KG_UPDATE_TOKEN"


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--load", type=Path, action="append", default=[], metavar="FILE",
                        help="also serve FILE (N-Quads/TriG keep their graphs; triple formats go to the default graph)")
    parser.add_argument("--update-token", metavar="TOKEN", help="accept SPARQL Update with 'Authorization: Bearer TOKEN' "
                        f"(visible in ps: prefer ${TOKEN_VARIABLE} or --update-token-file)")
    parser.add_argument("--update-token-file", type=Path, metavar="FILE", help="read the update token from FILE")
    parser.add_argument("--public-host", action="append", default=[], metavar="NAME",
                        help="host name clients use to reach this server (repeatable); requests for other "
                        "names than these, --host and the loopback names are refused (DNS rebinding)")
    parser.add_argument("--open-update", action="store_true", help="accept SPARQL Update without a token (loopback only)")
    parser.add_argument("--dist", type=Path, default=DEFAULTS["DIST_DIR"], help="release folder (default dist)")
    parser.add_argument("--no-build", action="store_true",
                        help="serve the release in --dist as it is, without checking it against the curated files")
    parser.add_argument("--data-dir", type=Path, default=DEFAULTS["DATA_DIR"], help="persistent store (default var/store)")
    parser.add_argument("--timeout", type=float, default=DEFAULTS["QUERY_TIMEOUT_S"], help="query deadline, seconds")
    parser.add_argument("--update-timeout", type=float, default=DEFAULTS["UPDATE_TIMEOUT_S"], help="update deadline, seconds")
    parser.add_argument("--workers", type=int, default=DEFAULTS["WORKERS"], help="query worker processes")
    parser.add_argument("--worker-store", choices=["memory", "disk"], default=DEFAULTS["WORKER_STORE"],
                        help="each worker holds the graph in memory (default, fast) or reads the disk store")
    parser.add_argument("--worker-memory", type=int, default=DEFAULTS["WORKER_MEMORY_MB"], metavar="MB",
                        help="memory a query may use in its worker, beyond the graph (default %(default)s; 0: no limit)")
    parser.add_argument("--short-query", type=float, default=DEFAULTS["SHORT_QUERY_S"], metavar="SECONDS",
                        help="queries running longer may use all workers but one (default %(default)s)")
    parser.add_argument("--result-cache", type=int, default=DEFAULTS["RESULT_CACHE_MB"], metavar="MB",
                        help="memory for answers of repeated queries (default %(default)s)")
    parser.add_argument("--threads", type=int, default=None, help="HTTP threads (default 2 x workers, at least 4)")
    parser.add_argument("--max-rows", type=int, default=DEFAULTS["MAX_RESULT_ROWS"], help="result row limit")
    parser.add_argument("--max-result-bytes", type=int, default=DEFAULTS["MAX_RESULT_BYTES"], help="answer size limit")
    parser.add_argument("--max-query-length", type=int, default=DEFAULTS["MAX_QUERY_LENGTH"], help="characters")
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULTS["MAX_BODY_BYTES"], help="request body limit")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="browser origin allowed to call the endpoint (repeatable; '*' for any)")
    parser.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                        help="SERVICE/LOAD target to allow (repeatable; all others are refused)")
    parser.add_argument("--shapes", type=Path, help="SHACL shapes gating updates (default: the project's shapes)")
    parser.add_argument("--withhold-source-text", action="store_true",
                        help="leave the sources' full texts out of pages, dumps and SPARQL results (public deployments)")
    parser.add_argument("--backend", metavar="URL", help="serve from an external SPARQL 1.1 engine, given by its "
                        "query endpoint (load it with sco-kg publish; updates are then refused)")


def is_loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False


def update_token(args) -> str | None:
    """--update-token, else --update-token-file's first line, else $SCO_KG_UPDATE_TOKEN."""
    if args.update_token:
        return args.update_token
    if args.update_token_file:
        return args.update_token_file.read_text().strip() or None
    return os.environ.get(TOKEN_VARIABLE) or None


def request_threads(args) -> int:
    """granian's WSGI threads: --threads, else 2 per query worker, at least 4."""
    return args.threads or max(4, 2 * args.workers)


def config_from(args) -> dict:
    from .middleware.guard import allowed_hosts
    return {
        "DIST_DIR": args.dist, "DATA_DIR": args.data_dir, "LOAD_FILES": [str(f) for f in args.load],
        "QUERY_TIMEOUT_S": args.timeout, "UPDATE_TIMEOUT_S": args.update_timeout, "WORKERS": args.workers,
        "WORKER_STORE": args.worker_store, "WORKER_MEMORY_MB": args.worker_memory,
        "SHORT_QUERY_S": args.short_query, "RESULT_CACHE_MB": args.result_cache,
        "MAX_RESULT_ROWS": args.max_rows, "MAX_RESULT_BYTES": args.max_result_bytes,
        "MAX_QUERY_LENGTH": args.max_query_length,
        "MAX_BODY_BYTES": args.max_body_bytes, "BODY_READERS": max(1, request_threads(args) - 1),
        "UPDATE_TOKEN": update_token(args),
        "OPEN_UPDATE": args.open_update, "CORS_ORIGINS": args.cors_origin,
        "SERVICE_ALLOW_LIST": args.allow_service, "SHAPES_FILE": str(args.shapes) if args.shapes else None,
        "BACKEND_URL": getattr(args, "backend", None),
        "WITHHOLD_SOURCE_TEXT": args.withhold_source_text,
        "ALLOWED_HOSTS": allowed_hosts(args.host, args.public_host),
    }


def _check(args) -> str | None:
    if args.update_token_file and not args.update_token_file.is_file():
        return f"--update-token-file: no such file: {args.update_token_file}"
    if args.withhold_source_text and (update_token(args) or args.open_update or getattr(args, "backend", None)):
        # Updates are SHACL-checked against the sources' texts, and a remote engine holds what
        # `publish` gave it: neither can honour the setting, so refuse rather than leak.
        return "--withhold-source-text serves read-only from the embedded store: drop --update-token, --open-update and --backend."
    if args.open_update and not is_loopback(args.host):
        return f"--open-update is only allowed on a loopback host, not {args.host}; use --update-token."
    from .store.embedded.worker import LOAD_FORMATS
    missing = [str(f) for f in args.load if not f.is_file()]
    unknown = [str(f) for f in args.load if f.suffix[1:].lower() not in LOAD_FORMATS]
    if missing:
        return f"--load: no such file: {', '.join(missing)}"
    if unknown:
        return f"--load: unknown RDF format (by extension) of {', '.join(unknown)}; use one of {', '.join(LOAD_FORMATS)}"
    return None


def _port_taken(host: str, port: int) -> str | None:
    """Checked before the build, so a busy port is said at once, not after a minute of building."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the HTTP server binds: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError as e:
            return f"cannot listen on {host}:{port} ({e.strerror}); is another server running? Use --port."
    return None


def _data_dir_taken(data_dir: Path) -> str | None:
    """Said at once, like a busy port; the granian worker takes the lock it keeps (server.store.embedded.datadir)."""
    from .errors import EndpointError
    from .store.embedded.datadir import DataDir
    try:
        DataDir(data_dir).lock().close()
    except EndpointError as e:
        return e.message
    except OSError as e:
        return f"cannot use the data directory {data_dir} ({e.strerror})"
    return None


def _ensure_release(dist: Path, build: bool) -> None:
    if not build:
        if not (dist / "release.json").exists():
            raise SystemExit(f"sco-kg serve: no release in {dist} (run `sco-kg build`, or drop --no-build)")
        return
    from graph.build import BuildError, ensure_release
    from graph.release import is_current
    if not is_current(dist):
        print(f"sco-kg serve: building the graph into {dist} (first start, or the curated files changed); "
              "this takes about a minute, each stage is logged below", flush=True)
    try:
        ensure_release(dist)
    except BuildError as e:
        raise SystemExit(f"sco-kg serve: the graph could not be built:\n{e}")


WHOLE_BODY_BYTES = 1 << 20


def whole_bodies(app):
    """WSGI middleware: hand granian a list for answers of known, small length.

    granian writes a list in one call from Rust, but walks any other iterable in Python chunk by
    chunk (the profile's biggest item, 3/4 of the GIL time on a lookup); Flask returns an
    iterable. Large or streamed answers (dumps) pass through as they are.
    """
    def wsgi(environ, start_response):
        length = []

        def start(status, headers, exc_info=None):
            length.extend(int(v) for k, v in headers if k.lower() == "content-length")
            return start_response(status, headers, exc_info)

        body = app(environ, start)
        if not length or length[0] > WHOLE_BODY_BYTES:
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


def _app_loader(args):
    """Runs in granian's worker process: the app, its store and its query workers live there."""
    main_process = os.getpid()

    def load():
        from multiprocessing.util import Finalize

        from .app import create_app
        from .errors import EndpointError
        from .store.sandbox import die_with_parent
        # The worker holds the store's lock: it must not outlive a `sco-kg serve` killed with -9.
        # granian forks it from its main thread, which lives as long as `sco-kg serve` does.
        die_with_parent(main_process)
        try:
            app = create_app(config_from(args))
        except EndpointError as e:
            print(f"sco-kg serve: {e.message}", file=sys.stderr, flush=True)
            sys.exit(1)
        # granian's worker leaves through multiprocessing, which runs these finalizers (not atexit).
        Finalize(app, app.extensions["sco_store"].close, exitpriority=10)
        root = f"http://{args.host}:{args.port}/"
        print(f"SCO-KG: home page at {root} · SPARQL endpoint at {root}sparql · search at {root}search · "
              f"reconciliation at {root}reconcile", flush=True)
        return whole_bodies(app)
    return load


def main(args) -> int:
    """Serve with granian (a Rust HTTP server): one worker process with --threads WSGI threads.

    One worker, because the store allows one server per data directory (its lock) and the query
    workers already give the parallelism; the threads wait on them, the GIL is held only briefly.
    """
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    embedded = not getattr(args, "backend", None)
    problem = _check(args) or _port_taken(args.host, args.port) or (_data_dir_taken(args.data_dir) if embedded else None)
    if problem:
        print(f"sco-kg serve: {problem}", file=sys.stderr)
        return 2
    if embedded:
        _ensure_release(args.dist, not args.no_build)
    server = Server("sco-kg", address=args.host, port=args.port, interface=Interfaces.WSGI, workers=1,
                    blocking_threads=request_threads(args), log_level=LogLevels.warning)
    server.serve(target_loader=_app_loader(args), wrap_loader=False)
    return 0
