"""Side-by-side benchmark: `sco-kg serve` against `oxigraph serve-read-only` on the same data and queries.

    .venv/bin/python bench/endpoint.py [--sizes 100000,1000000] [--seconds 3] [--rounds 3] [--clients 4] [--dist dist]
    .venv/bin/python bench/endpoint.py --client python --sizes 85000   # Python clients, as most SPARQL users are

Needs the test extras (`.venv/bin/pip install -e '.[test]'`).

For each size, bench/synth.py writes a synthetic graph of our shape; both servers load the release
(dist/sco-kg.nq) plus that graph, Oxigraph with --union-default-graph so that both answer the same
queries over the same default graph. The load comes from `wrk` (Debian package `wrk`: a native client,
so the client is not the bottleneck), one connection per client; or, with `--client python`, from as many
Python processes, each on one keep-alive connection (http.client), which is what a Python user's program
sends and where the server's own per-request cost shows most. Cells, each run `--rounds` times
interleaved (ours, Oxigraph, next cell, ...) and reported as the median of the rounds:
- cold lookup / cold join: every request names a random entity and carries a random comment, so no
  cache (ours is keyed by the query text) can answer it;
- repeated: one query, again and again (our result cache answers it);
- conditional: the same query with `If-None-Match` (we answer 304; Oxigraph has no ETag and answers 200);
- pages (ours only): /id/sco, /, /search (skipped when the server answers 404).
Then times each shipped query once (median of 3). Not run in CI; prints Markdown for docs/benchmarks.md.
"""
import argparse
import http.client
import multiprocessing
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # noqa: E402

PREFIXES = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX oa: <http://www.w3.org/ns/oa#> "
            "PREFIX sco: <https://w3id.org/sco-kg/ontology#> ")
LOOKUP = "SELECT ?label WHERE {{ <{e}> rdfs:label ?label }}"
JOIN = ("SELECT ?fact ?source ?quote WHERE {{ ?fact org:member <{e}> ; sco:evidence ?ev ; "
        "prov:wasDerivedFrom ?source . ?ev oa:hasTarget ?t . ?t oa:hasSource ?source ; "
        "oa:hasSelector ?sel . ?sel oa:exact ?quote }}")
JSON = "application/sparql-results+json"
PAGES = ["/id/sco", "/", "/search?q=state"]
# A wrk script that sends a new query each time: a random entity and a random trailing comment.
COLD_LUA = """local head, mid, n = {head!r}, {mid!r}, {n}
request = function()
  return wrk.format("GET", head .. math.random(0, n - 1) .. mid .. math.random(1, 1000000000), {{Accept = {accept!r}}})
end
"""


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 900) -> None:
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
                          "--max-rows", "1000000", "--no-build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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


def query_path(path: str, query: str) -> str:
    return path + "?" + urllib.parse.urlencode({"query": query})


class Cold(tuple):
    """A cold cell's request: the path up to the entity number, up to the comment's number, and the entity count."""


def cold(path: str, template: str, entities: int) -> Cold:
    """`template` with a random entity number and a random comment per request."""
    text = PREFIXES + template.format(e=synth.entity("state", 0)[1:-1].replace("state-0", "state-\x00")) + " #"
    head, tail = query_path(path, text).split("%00", 1)  # the number goes where the NUL was, the comment's last
    return Cold((head, tail, entities))


def wrk(port: int, seconds: float, clients: int, target: str | Cold, headers: dict) -> dict:
    """Run wrk against one URL path (or a cold cell's script): req/s, p50 ms and the count of 4xx/5xx."""
    args = ["wrk", f"-t{clients}", f"-c{clients}", f"-d{seconds:g}s", "--latency", "--timeout", "30s"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    if isinstance(target, Cold):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            head, mid, n = target
            script.write(COLD_LUA.format(head=head, mid=mid, n=n, accept=JSON))
        args += ["-s", script.name, f"http://127.0.0.1:{port}/"]
    else:
        args.append(f"http://127.0.0.1:{port}{target}")
    try:
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    finally:
        if isinstance(target, Cold):
            Path(script.name).unlink()
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": float(p50.group(1)) * scale[p50.group(2)], "errors": int(bad.group(1)) if bad else 0}


def _python_client(port: int, start: float, seconds: float, target: str | Cold, headers: dict, out) -> None:
    """One client process: one keep-alive connection, requests back to back from `start` for `seconds`."""
    rng, conn = random.Random(), http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done, errors, latencies = 0, 0, []
    time.sleep(max(0.0, start - time.time()))
    end = start + seconds
    while time.time() < end:
        if isinstance(target, Cold):
            head, mid, n = target
            path = f"{head}{rng.randrange(n)}{mid}{rng.randint(1, 1_000_000_000)}"
        else:
            path = target
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        resp.read()
        latencies.append((time.perf_counter() - t) * 1000)
        done += 1
        errors += resp.status >= 400
    out.put((done, errors, latencies))


def python_clients(port: int, seconds: float, clients: int, target: str | Cold, headers: dict) -> dict:
    """`clients` Python processes at once: req/s, p50 ms and the count of 4xx/5xx."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start = time.time() + 0.5  # all begin together, after every process is up
    procs = [ctx.Process(target=_python_client, args=(port, start, seconds, target, headers, out))
             for _ in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [t for r in results for t in r[2]]
    return {"rps": sum(r[0] for r in results) / seconds, "p50": statistics.median(latencies),
            "errors": sum(r[1] for r in results)}


def etag_of(port: int, path: str, accept: str = JSON) -> str | None:
    """The ETag of a 200 answer (None: the server gives none), or "404"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Accept": accept})
    resp = conn.getresponse()
    resp.read()
    return resp.getheader("ETag") if resp.status == 200 else "404"


def cells(servers: dict, entities: int) -> list[tuple[str, dict]]:
    """(name, {server: (target, headers)}) for every cell; pages only for ours."""
    fixed = PREFIXES + LOOKUP.format(e=synth.entity("state", entities // 2)[1:-1])
    out = []
    for name, template in (("label lookup, cold", LOOKUP), ("3-way join, cold", JOIN)):
        out.append((name, {s: (cold(path, template, entities), {"Accept": JSON})
                           for s, (_, _, path) in servers.items()}))
    out.append(("label lookup, repeated", {s: (query_path(path, fixed), {"Accept": JSON})
                                           for s, (_, _, path) in servers.items()}))
    conditional = {}
    for s, (_, port, path) in servers.items():
        tag = etag_of(port, query_path(path, fixed))
        conditional[s] = (query_path(path, fixed), {"Accept": JSON, "If-None-Match": tag or '"none"'})
    out.append(("label lookup, conditional (If-None-Match)", conditional))
    _, port, _ = servers["sco-kg"]
    for page in PAGES:
        if etag_of(port, page, "text/html") != "404":
            out.append((f"page {page}", {"sco-kg": (page, {"Accept": "text/html"})}))
    return out


def run_cells(size: int, servers: dict, entities: int, args) -> None:
    table = cells(servers, entities)
    measure = python_clients if args.client == "python" else wrk
    results = {(name, s): [] for name, targets in table for s in targets}
    for _ in range(args.rounds):
        for name, targets in table:
            for s, (target, headers) in targets.items():
                results[name, s].append(measure(servers[s][1], args.seconds, args.clients, target, headers))
    for name, targets in table:
        row = {s: _median(results[name, s]) for s in targets}
        ours, ox = row["sco-kg"], row.get("oxigraph")
        ox_cell = f"{ox['rps']:.0f} ({ox['p50']:.2f} ms)" if ox else "—"
        ratio = f"{ours['rps'] / ox['rps']:.2f}×" if ox else "—"
        errors = "" if not any(r["errors"] for r in row.values()) else \
            " errors: " + "/".join(str(r["errors"]) for r in row.values())
        print(f"| {size:,} | {name} | {ours['rps']:.0f} ({ours['p50']:.2f} ms) | {ox_cell} | {ratio} |{errors}",
              flush=True)


def _median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


SHAPES = {
    "OPTIONAL first (slow shape)": "SELECT ?f ?label WHERE {{ OPTIONAL {{ ?f rdfs:label ?label }} ?f org:member <{e}> }}",
    "OPTIONAL last (fast shape)": "SELECT ?f ?label WHERE {{ ?f org:member <{e}> OPTIONAL {{ ?f rdfs:label ?label }} }}",
}


def one_query_ms(port: int, path: str, query: str, runs: int = 3, timeout: float = 60) -> str:
    """Median wall time of `runs` runs (each made uncacheable by a comment); a run over 5 s is not repeated."""
    times = []
    for i in range(runs):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        t = time.perf_counter()
        try:
            conn.request("GET", query_path(path, f"{query}\n# run {time.time()} {i}"), headers={"Accept": JSON})
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
    """The project's own queries (graph/data/queries/*.rq) and the two OPTIONAL shapes."""
    from graph import QUERIES_DIR
    out = {f"graph/data/queries/{q.name}": q.read_text() for q in sorted(Path(QUERIES_DIR).glob("*.rq"))}
    state = synth.entity("state", entities // 2)[1:-1]
    out.update({name: PREFIXES + t.format(e=state) for name, t in SHAPES.items()})
    return out


def shapes_table(size: int, servers: dict, entities: int) -> None:
    for name, query in shipped_queries(entities).items():
        cells = [one_query_ms(port, path, query) for _, port, path in servers.values()]
        print(f"| {size:,} | {name} | {cells[0]} | {cells[1]} |", flush=True)


def bench_size(size: int, args) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"sco-bench-{size}-"))
    data = work / "synth.nq"
    with open(data, "w") as fh:
        entities = synth.generate(size, fh)
    servers = {"sco-kg": start_ours(args.dist, data, work, args.workers),
               "oxigraph": start_oxigraph(args.dist, data, work)}
    try:
        print(HEADER.format(clients=f"{args.clients} {args.client} clients"), flush=True)
        run_cells(size, servers, entities, args)
        if args.shipped:
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
HEADER = ("\n| triples (synthetic) | request ({clients}) | sco-kg req/s (p50) | "
          "`oxigraph serve-read-only` req/s (p50) | ratio |\n|---|---|---|---|---|")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--seconds", type=float, default=3.0, help="length of one wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the table shows their medians")
    ap.add_argument("--clients", type=int, default=4, help="concurrent connections (one wrk thread or process each)")
    ap.add_argument("--client", choices=["wrk", "python"], default="wrk",
                    help="wrk (native), or Python processes on keep-alive connections, a new query per request")
    ap.add_argument("--workers", type=int, default=2, help="our query worker processes")
    ap.add_argument("--dist", type=Path, default=Path("dist"))
    ap.add_argument("--shipped", action="store_true", help="also time each shipped query once")
    args = ap.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("bench/endpoint.py needs wrk (Debian: apt-get install wrk)")
    from graph.build import ensure_release
    ensure_release(args.dist)
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
