"""kill -9 of `sco-kg serve` alone, and concurrent updaters, lose nothing.

The server is started as a user starts it (conftest `start_server`) and killed as in the issue:
SIGKILL to the `sco-kg serve` process only, not to its process group. Its other processes
(granian's worker, which holds the store and its lock; multiprocessing's forkserver; the query
workers; the update writer) must then go by themselves (server.store.sandbox), and a restart on
the same --data-dir must serve exactly the updates that were committed: every one answered 200,
perhaps some that were in flight, nothing else and nothing half.
Every update inserts one marker resource with two triples that pass the project's shapes.
"""
import json
import os
import random
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest

import processes
from conftest import sco_kg
from engines import free_port
from test_sparql_update import DATA, SCO

MARKER = "https://w3id.org/sco-kg/id/test-crash-"
SERVE = ("--open-update", "--workers", "1", "--threads", "8")
SEED = int(os.environ.get("SCO_KG_CRASH_SEED", "14"))
ROUNDS = 3


def marker_update(name: str) -> str:
    return (f'INSERT DATA {{ GRAPH <{DATA}> {{ <{MARKER}{name}> a <{SCO}Place> ; '
            f'<http://www.w3.org/2000/01/rdf-schema#label> "Crash marker {name}"@en }} }}')


def send(server, name: str) -> tuple[int | None, str]:
    """The update's status and answer; None when no answer came (the server died meanwhile)."""
    req = urllib.request.Request(server.sparql, data=marker_update(name).encode(),
                                 headers={"Content-Type": "application/sparql-update"})
    try:
        with urllib.request.urlopen(req, timeout=150) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return None, ""


def health(server) -> dict:
    with urllib.request.urlopen(server.base + "/health", timeout=30) as r:
        return json.loads(r.read())


def version_number(name: str) -> int:
    return int(name.lstrip("v"))


def markers(server) -> dict[str, int]:
    """Marker name -> how many of its triples the store holds."""
    query = (f"SELECT ?s (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATA}> {{ ?s ?p ?o }} "
             f'FILTER(STRSTARTS(STR(?s), "{MARKER}")) }} GROUP BY ?s')
    req = urllib.request.Request(server.sparql + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        rows = json.loads(r.read())["results"]["bindings"]
    return {row["s"]["value"][len(MARKER):]: int(row["n"]["value"]) for row in rows}


@dataclass
class Updates:
    """What each update got: 200 (with the dataset's size after it), another status, or no answer."""
    answered: dict[str, int] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    unanswered: set[str] = field(default_factory=set)

    def run(self, server, names: list[str]) -> None:
        """One client: its updates one after another, until the first that gets no answer."""
        for name in names:
            status, body = send(server, name)
            if status is None:
                self.unanswered.add(name)
                return
            if status == 200:
                self.answered[name] = int(re.search(r"holds (\d+) triples", body).group(1))
            else:
                self.refused[name] = f"{status}: {body[:300]}"

    def clients(self, server, names: list[list[str]]) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.run, args=(server, n), daemon=True) for n in names]
        for t in threads:
            t.start()
        return threads


class Watch:
    """While a server runs: its /health (store version, triples) and every process of its tree."""

    def __init__(self, server):
        self.server, self.seen, self.processes = server, [], set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.processes |= processes.tree(self.server.process.pid)
            try:
                h = health(self.server)
                self.seen.append((version_number(h["store_version"]), h["triples"]))
            except OSError:
                pass
            self._stop.wait(0.2)

    def stop(self) -> "Watch":
        self._stop.set()
        self._thread.join(40)
        return self


def assert_serial_versions(seen: list[tuple[int, int]]) -> None:
    """Versions only grow, and a version name always means the same content."""
    numbers = [n for n, _ in seen]
    assert numbers == sorted(numbers), f"a store version went back: {numbers}"
    content = {}
    for number, triples in seen:
        assert content.setdefault(number, triples) == triples, f"v{number} was served with two contents"


def kill9_alone(server, watch: Watch, data_dir) -> None:
    """SIGKILL to `sco-kg serve` only; then none of its processes may still run."""
    known = watch.processes | processes.tree(server.process.pid)
    server.kill9()
    watch.stop()
    left = processes.survivors(known | watch.processes, str(data_dir))
    assert not left, "still running after kill -9 of sco-kg serve:\n" + "\n".join(left)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout:g} s: {what}"
        time.sleep(0.1)


class Ledger:
    """What the store must hold across restarts: each update's fate, once known, never changes."""

    def __init__(self, base_triples: int):
        self.base = base_triples
        self.present: set[str] = set()
        self.absent: set[str] = set()

    def check(self, server, updates: Updates) -> None:
        found = markers(server)
        partial = {n: c for n, c in found.items() if c != 2}
        assert not partial, f"half-applied updates (triples of 2): {partial}"
        names = set(found)
        must = set(updates.answered) | self.present
        may = must | (updates.unanswered - self.absent)
        assert must <= names, f"answered 200 but gone: {sorted(must - names)}"
        assert names <= may, f"present but never answered 200 nor in flight: {sorted(names - may)}"
        assert not updates.refused, f"valid updates refused: {updates.refused}"
        assert health(server)["triples"] == self.base + 2 * len(names)
        self.present, self.absent = names, self.absent | (updates.unanswered - names)


@pytest.mark.slow
def test_kill9_of_the_main_process_loses_no_update(start_server, tmp_path) -> None:
    """Rounds of 2-4 clients updating at once, `sco-kg serve` killed at a seeded random moment after
    the round's first 200, then a restart on the same --data-dir (SCO_KG_CRASH_SEED picks other moments)."""
    rng = random.Random(SEED)
    data_dir = tmp_path / "data"
    server = start_server(*SERVE, data_dir=data_dir)
    ledger, updates, seen = Ledger(health(server)["triples"]), Updates(), []
    for r in range(ROUNDS):
        clients, delay = rng.randint(2, 4), rng.uniform(0, 8)
        watch = Watch(server)
        threads = updates.clients(server, [[f"{r}-{c}-{i}" for i in range(40)] for c in range(clients)])
        wait_for(lambda: any(n.startswith(f"{r}-") for n in updates.answered), 120, f"round {r}'s first update")
        time.sleep(delay)
        kill9_alone(server, watch, data_dir)
        for t in threads:
            t.join(160)
        seen += watch.seen
        server = start_server(*SERVE, data_dir=data_dir)
        ledger.check(server, updates)
        seen.append((version_number(health(server)["store_version"]), health(server)["triples"]))
    updates.run(server, ["after"])
    assert "after" in updates.answered  # updates still succeed after the last restart
    ledger.check(server, updates)
    seen.append((version_number(health(server)["store_version"]), health(server)["triples"]))
    assert_serial_versions(seen)
    assert len(ledger.present) > ROUNDS  # every round committed at least one update


@pytest.mark.slow
def test_concurrent_updaters_lose_nothing_in_a_serial_order(start_server, tmp_path) -> None:
    clients, each = 3, 2
    server = start_server(*SERVE, data_dir=tmp_path / "data")
    start = health(server)
    watch, updates = Watch(server), Updates()
    names = [[f"c{c}-{i}" for i in range(each)] for c in range(clients)]
    for t in updates.clients(server, names):
        t.join(300)
    watch.stop()
    assert not updates.refused and not updates.unanswered
    # Each update saw all those before it: the sizes after them are base + 2, base + 4, ..., one each.
    assert sorted(updates.answered.values()) == [start["triples"] + 2 * k for k in range(1, clients * each + 1)]
    for mine in names:
        sizes = [updates.answered[n] for n in mine]
        assert sizes == sorted(sizes)  # a client's later update comes later in the order
    assert markers(server) == {n: 2 for mine in names for n in mine}
    end = health(server)
    assert version_number(end["store_version"]) == version_number(start["store_version"]) + clients * each
    assert_serial_versions(watch.seen + [(version_number(end["store_version"]), end["triples"])])


@pytest.mark.slow
def test_second_server_on_a_data_dir_is_refused_and_a_killed_ones_lock_is_not(release, start_server,
                                                                             tmp_path) -> None:
    data_dir = tmp_path / "data"
    first = start_server("--workers", "1", data_dir=data_dir)
    version = health(first)["store_version"]
    second = subprocess.run([*sco_kg(), "serve", "--no-build", "--port", str(free_port()), "--dist", str(release),
                             "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 2 and "Traceback" not in second.stderr
    assert f"another server (process {(data_dir / 'lock').read_text()}) is using the data directory {data_dir}" \
        in second.stderr and "--data-dir" in second.stderr
    assert health(first)["store_version"] == version
    holder = (data_dir / "lock").read_text()
    kill9_alone(first, Watch(first), data_dir)
    assert (data_dir / "lock").read_text() == holder  # the file still names the dead holder
    again = start_server("--workers", "1", data_dir=data_dir)
    assert health(again)["store_version"] == version


def _store_processes(server) -> tuple[int, int]:
    """(granian's worker, its forkserver) of a running `sco-kg serve`."""
    worker, = processes.children(server.process.pid)
    forkserver, = [p for p in processes.children(worker) if "multiprocessing.forkserver" in processes.cmdline(p)]
    return worker, forkserver


def _during_an_update(server, name: str) -> tuple[threading.Thread, list]:
    """Send an update and return once its writer process runs (a new child of the forkserver)."""
    _, forkserver = _store_processes(server)
    before = set(processes.children(forkserver))
    answer = []
    client = threading.Thread(target=lambda: answer.append(send(server, name)), daemon=True)
    client.start()
    wait_for(lambda: set(processes.children(forkserver)) - before, 30, "the update writer")
    time.sleep(0.5)
    return client, answer


@pytest.mark.slow
def test_kill9_of_the_store_process_alone_leaves_no_writer(start_server, tmp_path) -> None:
    """granian's worker holds the store: killed alone, `sco-kg serve` exits and nothing of it runs on."""
    data_dir = tmp_path / "data"
    server = start_server(*SERVE, data_dir=data_dir)
    watch = Watch(server)
    client, answer = _during_an_update(server, "worker-killed")
    known = watch.processes | processes.tree(server.process.pid)
    os.kill(_store_processes(server)[0], 9)
    assert server.process.wait(20) != 0
    watch.stop()
    left = processes.survivors(known, str(data_dir))
    assert not left, "still running after kill -9 of granian's worker:\n" + "\n".join(left)
    client.join(10)
    assert answer == [(None, "")]
    again = start_server(*SERVE, data_dir=data_dir)
    assert markers(again) == {}  # its writer never reported back, so nothing was committed


@pytest.mark.slow
def test_kill9_of_the_forkserver_alone_fails_one_update_and_nothing_else(start_server, tmp_path) -> None:
    """The store's children die with their forkserver; the server answers 503 for the update it
    was running, then serves queries and updates from a new forkserver."""
    server = start_server(*SERVE, data_dir=tmp_path / "data")
    watch = Watch(server)
    client, answer = _during_an_update(server, "forkserver-killed")
    _, forkserver = _store_processes(server)
    children = {processes.identity(p) for p in processes.children(forkserver)} - {None}
    os.kill(forkserver, 9)
    client.join(60)
    watch.stop()
    status, body = answer[0]
    assert status == 503 and "stopped unexpectedly; nothing changed" in body
    assert not processes.survivors(children)
    assert markers(server) == {}  # the first query after: no dead worker is handed a query
    assert send(server, "after")[0] == 200
    assert markers(server) == {"after": 2}
