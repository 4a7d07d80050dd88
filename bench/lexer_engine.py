"""The long differential run: the request checks against Oxigraph's parser over many generated texts.

    python bench/lexer_engine.py --cases 155000 [--seed S] [--before REV]

Draws texts from the pieces of tests/test_lexer_engine.py at random (its `variant`), and counts those the server
accepts (nothing allow-listed) that still make pyoxigraph, in process on an empty store, call the
loopback listener: texts that hid a SERVICE, a LOAD or a group nested past the limit from the checks.
`--before REV` checks the server as it was at git revision REV instead (its lexer, and the client's
text sent unchanged as it then was). Not run in CI.
"""
import argparse
import random
import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from server.errors import EndpointError  # noqa: E402
from test_lexer_engine import (HEADS, LEADS, OPENERS, PAYLOADS, SEPARATORS, TAILS, Listener, accepted,  # noqa: E402
                               run_in_engine, variant)


def old_acceptance(rev: str):
    """accepted(text) -> the text sent, or None, as the server at `rev` decided."""
    source = subprocess.run(["git", "show", f"{rev}:server/sparql/lexer.py"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    old = types.ModuleType("server.sparql.old_lexer")
    old.__package__ = "server.sparql"
    exec(compile(source, "old_lexer.py", "exec"), old.__dict__)

    def decide(text: str):
        try:
            tokens = old.tokenize(text)
        except EndpointError:
            return None
        if old.too_deep(tokens) or any(old.remote_targets(tokens, k) for k in ("SERVICE", "LOAD")):
            return None
        return text
    return decide


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", help="a git revision: check the server as it was there")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    listener = Listener()
    listener.url = f"http://127.0.0.1:{listener.port}/x"
    decide = old_acceptance(args.before) if args.before else (lambda t: (r := accepted(t)) and r.sent)
    outcome, leaks, started = Counter(), [], time.monotonic()
    for _ in range(args.cases):
        sep = lambda: rng.choice(SEPARATORS)  # noqa: E731
        text = variant(listener.url, rng.choice(HEADS), rng.choice(LEADS), sep(), rng.choice(OPENERS), sep(),
                       rng.choice(PAYLOADS), sep(), rng.choice(("# ", "")), sep(), rng.choice(TAILS))
        sent = decide(text)
        if sent is None:
            outcome["refused"] += 1
            continue
        before = listener.hits
        run_in_engine(sent)
        leaked = listener.hits > before
        outcome["accepted, engine called out" if leaked else "accepted, no call"] += 1
        if leaked:
            leaks.append(text)
    listener.close()
    print(f"{args.cases} texts in {time.monotonic() - started:.0f} s "
          f"({'server at ' + args.before if args.before else 'this checkout'}):")
    for name, n in sorted(outcome.items()):
        print(f"  {name}: {n}")
    for text in leaks[:3]:
        print("  e.g.", repr(text[:160]))
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
