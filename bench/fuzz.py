"""The long fuzz run: tests/test_fuzz.py with more cases, printing its status-code histogram.

    .venv/bin/python bench/fuzz.py --examples 3000 [--seed S] [pytest options...]

Needs the test extras (`.venv/bin/pip install -e '.[test]'`).

The seeded run of CI (a real `sco-kg serve` with an update token, the session's release) with
more cases, or another seed's sequence; prints the status-code histogram per kind of request.
Not run in CI.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3000, help="fuzz cases (CI runs 400)")
    parser.add_argument("--seed", type=int, help="another sequence than CI's")
    args, pytest_args = parser.parse_known_args()
    env = {**os.environ, "SCO_KG_FUZZ_EXAMPLES": str(args.examples)}
    if args.seed is not None:
        env["SCO_KG_FUZZ_SEED"] = str(args.seed)
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
               str(ROOT / "tests" / "test_fuzz.py"), *pytest_args]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
