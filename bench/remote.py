"""Benchmark: one query mix through `sco-kg serve` embedded, through `sco-kg serve --backend` in front of
`oxigraph serve`, and sent straight to that engine; remote minus direct is the cost of our hop.

    .venv/bin/python bench/remote.py [--reps 30] [--dist DIR | --synth TRIPLES] [--out FILE]

Needs the test extras (`.venv/bin/pip install -e '.[test]'`).

Everything runs on 127.0.0.1: a fresh `oxigraph serve` (own temporary folder) loaded by
`sco-kg publish`'s code, and two `sco-kg serve` processes started as the tests start them.
Each query is sent once to warm up, then `--reps` times in turn to each target, one request at a
time, each on a new connection (what curl or SPARQLWrapper do). The direct requests carry the
same dataset our server sends (every named graph as default and named graph), so the engine does
the same work in both columns. DESCRIBE has no direct column: ours is not the engine's.
`--synth N` serves a synthetic graph of our shape with about N triples (bench/synth.py) instead
of the release, to see how the hop's cost grows with the data.
"""
import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]  # the tests start the servers

from conftest import launch  # noqa: E402
from graph import QUERIES_DIR  # noqa: E402
from oxigraph_engine import start_oxigraph  # noqa: E402
from server.store.remote.engine_client import Endpoints, count_all_graphs  # noqa: E402
from server.publish import publish  # noqa: E402
import synth  # noqa: E402

JSON, NT = "application/sparql-results+json", "application/n-triples"
SCO = "PREFIX sco: <https://w3id.org/sco-kg/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> "
MIX = [
    ("ask", "ASK { ?s a sco:Fact }", JSON),
    ("count per graph", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", JSON),
    ("types", "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)", JSON),
    ("facts+evidence 100", "SELECT ?f ?q WHERE { ?f sco:evidence ?e . ?e oa:hasTarget/oa:hasSelector/oa:exact ?q } "
                           "LIMIT 100", JSON),
    ("5000 rows", "SELECT * WHERE { ?s ?p ?o } LIMIT 5000", JSON),
    ("construct 1000", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1000", NT),
    ("describe entity", "DESCRIBE {entity}", NT),
]


def mix(entity: str) -> list[tuple[str, str, str]]:
    competency = [(p.stem, p.read_text(), JSON) for p in sorted(QUERIES_DIR.glob("*.rq"))]
    return [(name, SCO + q.replace("{entity}", entity), accept) for name, q, accept in MIX] + competency


def timed(url: str, params: list[tuple[str, str]], accept: str) -> tuple[float, int]:
    req = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), headers={"Accept": accept})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        size = len(r.read())
    return (time.perf_counter() - start) * 1000, size


def measure(targets: dict, query: str, accept: str, reps: int) -> dict[str, list[float]]:
    for url, params in targets.values():
        timed(url, [("query", query), *params], accept)  # warm-up
    out = {name: [] for name in targets}
    for _ in range(reps):
        for name, (url, params) in targets.items():
            out[name].append(timed(url, [("query", query), *params], accept)[0])
    return out


def table(rows: list[tuple], reps: int) -> str:
    lines = [f"Median of {reps} requests, milliseconds (p90 in brackets); hop = remote - direct.", "",
             "| query | embedded | remote (--backend) | engine direct | hop |",
             "|---|---:|---:|---:|---:|"]
    for name, t in rows:
        med = {k: statistics.median(v) for k, v in t.items()}
        p90 = {k: statistics.quantiles(v, n=10)[-1] for k, v in t.items()}
        cell = {k: f"{med[k]:.1f} ({p90[k]:.1f})" for k in t}
        hop = f"{med['remote'] - med['direct']:.1f}" if "direct" in t else "n/a"
        lines.append(f"| {name} | {cell['embedded']} | {cell['remote']} | {cell.get('direct', 'n/a')} | {hop} |")
    return "\n".join(lines) + "\n"


def run(dist: Path, reps: int, work: Path, entity: str) -> str:
    engine = start_oxigraph(work / "oxigraph")
    servers = []
    try:
        started = time.perf_counter()
        counts = publish(Endpoints(engine.query_url, engine.update_url, engine.store_url), dist / "sco-kg.nq", 1800)
        published = f"`sco-kg publish` of {sum(counts.values())} triples: {time.perf_counter() - started:.1f} s."
        graphs = list(count_all_graphs(engine.query_url, timeout_s=60))
        dataset = [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        embedded = launch(dist, work / "store", "--timeout", "60", "--no-build")
        remote = launch(dist, work / "unused", "--backend", engine.query_url, "--timeout", "60")
        servers = [embedded, remote]
        rows = []
        for name, query, accept in mix(entity):
            targets = {"embedded": (embedded.sparql, []), "remote": (remote.sparql, [])}
            if "DESCRIBE" not in query:
                targets["direct"] = (engine.query_url, dataset)
            rows.append((name, measure(targets, query, accept, reps)))
            print(f"  {name}", file=sys.stderr)
        return published + "\n\n" + table(rows, reps)
    finally:
        for s in servers:
            s.stop()
        engine.stop()


def synthetic_release(dist: Path, triples: int) -> Path:
    dist.mkdir(parents=True)
    with open(dist / "sco-kg.nq", "w") as fh:
        synth.generate(triples, fh)
    (dist / "release.json").write_text("{}")  # what `serve --no-build` asks for
    return dist


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=30)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--dist", type=Path, help="a built release (default: build one in a temporary folder)")
    source.add_argument("--synth", type=int, metavar="TRIPLES", help="a synthetic graph of about this size")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sco-kg-bench-") as tmp:
        work = Path(tmp)
        dist, entity = args.dist, "<https://w3id.org/sco-kg/id/kazakhstan>"
        if args.synth:
            dist, entity = synthetic_release(work / "dist", args.synth), synth.entity("state", 0)
        elif dist is None:
            from graph.build import build
            dist = work / "dist"
            build(dist, reasoner=False)
        result = run(dist.resolve(), args.reps, work, entity)
    print(result)
    if args.out:
        args.out.write_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
