"""Side-by-side benchmark: `sco-kg serve` against `oxigraph serve-read-only` on the same data and queries.

    python bench/endpoint.py [--sizes 100000,1000000] [--seconds 5] [--workers 2] [--dist dist]

For each size, bench/synth.py writes a synthetic graph of our shape; both servers load the release
(dist/sco-kg.nq) plus that graph, Oxigraph with --union-default-graph so that both answer the same
queries over the same default graph. Each query of the mix names a random entity per request (no
server can answer from a cache). Prints requests per second with 1 and 4 concurrent clients,
p50/p95 latency and our throughput as a ratio of Oxigraph's. Not run in CI.
"""
import argparse
import http.client
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

PREFIXES = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> "
            "PREFIX sco: <https://w3id.org/sco-kg/ontology#> ")
QUERIES = {
    "simple SELECT": "SELECT ?label WHERE {{ <{e}> rdfs:label ?label }}",
    "3-way provenance join": "SELECT ?fact ?source ?quote WHERE {{ ?fact org:member <{e}> ; sco:evidence ?ev ; "
                             "prov:wasDerivedFrom ?source . ?ev oa:hasTarget ?t . ?t oa:hasSource ?source ; "
                             "oa:hasSelector ?sel . ?sel oa:exact ?quote }}",
    "group/count": "SELECT ?org (COUNT(?f) AS ?n) WHERE {{ ?f org:member <{e}> ; org:organization ?org }} GROUP BY ?org",
}


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not come up: {url}")


def start_ours(dist: Path, data: Path, work: Path, workers: int) -> tuple[subprocess.Popen, int, str]:
    port = free_port()
    script = Path(sys.executable).with_name("sco-kg")
    p = subprocess.Popen([str(script), "serve", "--port", str(port), "--dist", str(dist), "--load", str(data),
                          "--data-dir", str(work / "ours"), "--workers", str(workers), "--timeout", "30",
                          "--max-rows", "1000000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_up(f"http://127.0.0.1:{port}/health", p)
    return p, port, "/sparql"


def start_oxigraph(dist: Path, data: Path, work: Path) -> tuple[subprocess.Popen, int, str]:
    binary = str(Path(sys.executable).with_name("oxigraph"))
    location = work / "oxigraph"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(dist / "sco-kg.nq"), str(data)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    p = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                          "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", p)
    return p, port, "/query"


def client(port: int, path: str, template: str, entities: int, stop: float, latencies: list, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random()
    while time.monotonic() < stop:
        query = PREFIXES + template.format(e=synth.entity("state", rng.randrange(entities))[1:-1])
        t = time.perf_counter()
        conn.request("GET", path + "?" + urllib.parse.urlencode({"query": query}),
                     headers={"Accept": "application/sparql-results+json"})
        resp = conn.getresponse()
        resp.read()
        latencies.append(time.perf_counter() - t)
        if resp.status != 200:
            errors.append(resp.status)


def measure(port: int, path: str, template: str, entities: int, clients: int, seconds: float) -> dict:
    latencies, errors = [], []
    client(port, path, template, entities, time.monotonic() + 0.5, [], [])  # warm-up
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, path, template, entities, stop, latencies, errors))
               for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies)
    return {"rps": len(latencies) / seconds, "p50": ordered[len(ordered) // 2] * 1000,
            "p95": ordered[int(len(ordered) * 0.95)] * 1000, "errors": len(errors)}


SHAPES = {
    "OPTIONAL first (slow shape)": "SELECT ?f ?label WHERE {{ OPTIONAL {{ ?f rdfs:label ?label }} ?f org:member <{e}> }}",
    "OPTIONAL last (fast shape)": "SELECT ?f ?label WHERE {{ ?f org:member <{e}> OPTIONAL {{ ?f rdfs:label ?label }} }}",
}


def one_query_ms(port: int, path: str, query: str, runs: int = 3, timeout: float = 60) -> str:
    """Median wall time of `runs` runs; a run slower than 5 s is not repeated."""
    times = []
    for _ in range(runs):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        t = time.perf_counter()
        try:
            conn.request("GET", path + "?" + urllib.parse.urlencode({"query": query}),
                         headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            resp.read()
        except TimeoutError:
            return f"no answer within {timeout:g} s"
        if resp.status != 200:
            return f"HTTP {resp.status} after {time.perf_counter() - t:.1f} s"
        times.append((time.perf_counter() - t) * 1000)
        if times[-1] > 5000:
            break
    return f"{sorted(times)[len(times) // 2]:.1f} ms"


def shipped_queries(entities: int) -> dict[str, str]:
    """The project's own queries (graph/queries/*.rq) and the two OPTIONAL shapes."""
    from graph import QUERIES_DIR
    out = {f"graph/queries/{q.name}": q.read_text() for q in sorted(Path(QUERIES_DIR).glob("*.rq"))}
    state = synth.entity("state", entities // 2)[1:-1]
    out.update({name: PREFIXES + t.format(e=state) for name, t in SHAPES.items()})
    return out


def shapes_table(size: int, servers: dict, entities: int) -> None:
    for name, query in shipped_queries(entities).items():
        cells = [one_query_ms(port, path, query) for _, port, path in servers.values()]
        print(f"| {size:,} | {name} | {cells[0]} | {cells[1]} |", flush=True)


def bench_size(size: int, dist: Path, seconds: float, workers: int) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"sco-bench-{size}-"))
    data = work / "synth.nq"
    with open(data, "w") as fh:
        entities = synth.generate(size, fh)
    servers = {"sco-kg": start_ours(dist, data, work, workers), "oxigraph": start_oxigraph(dist, data, work)}
    try:
        print(HEADER, flush=True)
        for name, template in QUERIES.items():
            for clients in (1, 4):
                r = {s: measure(port, path, template, entities, clients, seconds)
                     for s, (_, port, path) in servers.items()}
                ours, ox = r["sco-kg"], r["oxigraph"]
                print(f"| {size:,} | {name} | {clients} | {ours['rps']:.0f} | {ours['p50']:.1f} / {ours['p95']:.1f} "
                      f"| {ox['rps']:.0f} | {ox['p50']:.1f} / {ox['p95']:.1f} | {ours['rps'] / ox['rps']:.2f}× |"
                      + (f" errors: {ours['errors']}/{ox['errors']}" if ours["errors"] or ox["errors"] else ""), flush=True)
        # Last: Oxigraph does not stop a query whose client gave up, so a slow shape would load later cells.
        print(SHAPES_HEADER, flush=True)
        shapes_table(size, servers, entities)
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            process.wait(30)
        shutil.rmtree(work, ignore_errors=True)


SHAPES_HEADER = ("\n| triples (synthetic) | query (one request, median of 3) | sco-kg | oxigraph |\n"
                 "|---|---|---|---|")
HEADER = ("\n""| triples (synthetic) | query | clients | sco-kg req/s | sco-kg p50 / p95 ms | oxigraph req/s "
          "| oxigraph p50 / p95 ms | ratio |\n|---|---|---|---|---|---|---|---|")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    args = ap.parse_args()
    from graph.build import ensure_release
    ensure_release(args.dist)
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, args.dist, args.seconds, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
