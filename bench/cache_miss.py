"""Where a cache miss of GET /sparql spends its time, layer by layer, in one process (no socket, no HTTP server).

    python bench/cache_miss.py [--dist dist] [--synth 85000] [--runs 400]

For each of `--runs` cold label lookups (a random entity and a random comment: never cached), the medians of:
the whole WSGI call (every middleware, Flask, the protocol checks, the store, the writers); the protocol
parsing alone; the store's query alone (the job sent to a worker process and its reply read back);
the worker's own work done here instead (parse, run, limits, write); pickling the job and the reply;
the engine alone and its results writer on an in-memory copy. What the whole call costs beyond the
store is the HTTP side (Flask and the middleware); what the store costs beyond the worker's work is the
hop to the worker process.
"""
import argparse
import pickle
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

LOOKUP = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE {{ {e} rdfs:label ?label }} # {n}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    ap.add_argument("--synth", type=int, default=85000, help="synthetic triples loaded beside the release")
    ap.add_argument("--runs", type=int, default=400)
    args = ap.parse_args()
    import pyoxigraph as ox
    from flask import request
    from werkzeug.test import EnvironBuilder

    from graph.build import ensure_release
    from server.app import create_app
    from server.config import DEFAULTS
    from server.sparql import protocol
    from server.store.embedded import worker
    from server.store.embedded.store import EmbeddedStore

    dist = ensure_release(args.dist)
    work = Path(tempfile.mkdtemp(prefix="sco-miss-"))
    data = work / "synth.nq"
    with open(data, "w") as fh:
        entities = synth.generate(args.synth, fh)
    config = {"DIST_DIR": dist, "DATA_DIR": work / "store", "WORKERS": 1, "LOAD_FILES": [str(data)]}
    store = EmbeddedStore({**DEFAULTS, **config})
    app = create_app(config, store=store)
    memory = ox.Store()
    for f in (dist / "sco-kg.nq", data):
        memory.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)

    def query() -> str:
        return LOOKUP.format(e=synth.entity("state", random.randrange(entities)), n=random.random())

    def environ() -> dict:
        return EnvironBuilder(path="/sparql", query_string={"query": query()},
                              headers={"Accept": "application/sparql-results+json", "Host": "127.0.0.1"}).get_environ()

    times: dict[str, list[float]] = {}

    def timed(name, call):
        t = time.perf_counter()
        out = call()
        times.setdefault(name, []).append(time.perf_counter() - t)
        return out

    try:
        for _ in range(args.runs):
            timed("WSGI call, every layer", lambda: b"".join(app.wsgi_app(environ(), lambda *a: None)))
            with app.request_context(environ()):
                op = timed("protocol.parse", lambda: protocol.parse(request, app.config))
                timed("store.query (to a worker process and back)", lambda: store.query(op))
            job = worker.Job.query(op, int(app.config["MAX_RESULT_ROWS"]), int(app.config["MAX_RESULT_BYTES"]))
            reply = timed("the worker's work, done here", lambda: worker.answer(memory, job))
            timed("pickling the job and the reply", lambda: pickle.loads(pickle.dumps(job)) and pickle.loads(pickle.dumps(reply)))
            solutions = timed("the engine alone", lambda: memory.query(query(), use_default_graph_as_union=True))
            timed("its results writer", lambda: solutions.serialize(format=ox.QueryResultsFormat.JSON))
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n| layer (cold label lookup, {args.synth:,} synthetic triples, median of {args.runs}) | ms |\n|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values) * 1000:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
