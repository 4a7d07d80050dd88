"""Run an external SPARQL engine so that it cannot call out: the way to start one behind `--backend`.

    python -m server.store.confined_engine --port 7878 -- oxigraph serve --location DIR --bind 127.0.0.1:7878

Engines run SERVICE (and LOAD) themselves, and none of those here can be told not to. This starts
the engine's command under a Landlock rule set (server.store.sandbox) that lets it listen on the
given TCP ports and connect to those only (Virtuoso connects to itself at start), then becomes the engine (exec): the rules hold
for it and for every process it starts, and cannot be lifted. A server in front of it checks at
start that it really cannot call out (server.store.remote). Refuses to start the engine on a kernel
without Landlock network rules (Linux 6.7+), rather than start it unconfined.
"""
import argparse
import os
import sys

from .sandbox import connect_only_to_ports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.store.confined_engine", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, action="append", required=True,
                        help="a TCP port the engine listens on (repeatable: Virtuoso has two)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the engine's command line")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the engine's command after --")
    if not connect_only_to_ports(set(args.port), bind=set(args.port)):
        print("confined_engine: this kernel has no Landlock network rules (Linux 6.7+ needed); "
              "the engine was not started", file=sys.stderr)
        return 2
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
