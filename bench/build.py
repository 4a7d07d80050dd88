"""Benchmark of `sco-kg build`: wall time and peak memory per stage, median of several runs.

Each run is a fresh process (so imports and the JVM start are counted as a user sees them).
    .venv/bin/python bench/build.py [--runs 5]
"""
import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time, tempfile
t0 = time.perf_counter()
from graph.build import build
imported = time.perf_counter() - t0
a = build(tempfile.mkdtemp() + "/dist", reasoner=True)
timings = dict(a.timings, imports=imported, total=time.perf_counter() - t0)
triples = len(a.ontology) + len(a.data) + len(a.sources)
print(json.dumps({"timings": timings, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "triples": triples}))
"""

STAGES = ("imports", "parse", "anchor", "shacl", "write", "reasoner", "total")


def run_once() -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    runs = [run_once() for _ in range(p.parse_args().runs)]
    print(f"sco-kg build, {len(runs)} runs, {runs[0]['triples']} triples")
    print(f"{'stage':10} {'median s':>9} {'min s':>7} {'max s':>7}")
    for stage in STAGES:
        values = [r["timings"].get(stage, 0.0) for r in runs]
        print(f"{stage:10} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f}")
    rss = [r["peak_rss_mb"] for r in runs]
    print(f"peak RSS of the build process (MB, excl. the HermiT JVM): median {statistics.median(rss):.0f}")


if __name__ == "__main__":
    main()
