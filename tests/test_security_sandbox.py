"""server.store.sandbox: a store child that runs a SERVICE the request checks missed still connects nowhere,
and with an operator's allow list it reaches the allowed targets' ports only; a store child whose server
is gone (its end of the pipe closed) exits, busy or not."""
import multiprocessing
import time

import pytest

from server.store import sandbox

from test_security import Listener


def _service(port: int) -> None:
    """What a gap in the request checks would let the engine do: SERVICE to a host of the client's choosing."""
    import pyoxigraph as ox
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
    except (OSError, RuntimeError, ValueError):
        pass


def _raw_socket(family: int, kind: int) -> str:
    """Below Python's guard: the seccomp filter decides."""
    import _socket
    try:
        _socket.socket(family, kind).close()
        return "opened"
    except PermissionError:
        return "denied"


def _child(lifeline, services, ports, out):
    import socket
    guards = sandbox.confine(lifeline, services)
    for port in ports:
        _service(port)
    families = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "netlink": socket.AF_NETLINK}
    raw = {name: _raw_socket(f, socket.SOCK_STREAM if name != "netlink" else socket.SOCK_RAW)
           for name, f in families.items()}
    try:
        socket.create_connection(("127.0.0.1", ports[-1]), timeout=5).close()
        raw["connect_other_port"] = "opened"
    except PermissionError:
        raw["connect_other_port"] = "denied"
    out.put((guards, raw))


def _confined(services, *ports):
    ctx = multiprocessing.get_context("forkserver")
    out = ctx.Queue()
    server_end, child_end = ctx.Pipe()
    p = ctx.Process(target=_child, args=(child_end, services, ports, out))
    p.start()
    child_end.close()
    try:
        return out.get(timeout=30)
    finally:
        p.join(10)
        server_end.close()


@pytest.fixture
def targets():
    allowed, other = Listener(), Listener()
    yield allowed, other
    allowed.close()
    other.close()


def test_confined_child_makes_no_connection(targets) -> None:
    """The default (no --allow-service): no socket but AF_UNIX, so nothing connects."""
    _, other = targets
    guards, raw = _confined((), other.port)
    assert guards["seccomp"] and "landlock" not in guards
    assert raw == {"inet": "denied", "inet6": "denied", "netlink": "denied", "connect_other_port": "denied"}
    assert other.hits == 0


def test_allow_list_opens_the_allowed_port_only(targets) -> None:
    """--allow-service: the engine's SERVICE reaches the allowed target; another port stays shut (Landlock)."""
    allowed, other = targets
    guards, raw = _confined((f"http://127.0.0.1:{allowed.port}/sparql",), allowed.port, other.port)
    assert guards["seccomp"] and guards["landlock"]
    assert raw == {"inet": "opened", "inet6": "opened", "netlink": "denied", "connect_other_port": "denied"}
    assert allowed.hits == 1 and other.hits == 0


@pytest.mark.parametrize("iri,ports", [
    ("http://example.org/sparql", {80}), ("HTTPS://example.org/sparql", {443}),
    ("http://127.0.0.1:8890/sparql", {8890}), ("http://[::1]:3030/ds", {3030}),
    ("ftp://example.org/x", set()), ("http://example.org:99999999/", set()), ("urn:x", set()),
])
def test_service_ports(iri, ports) -> None:
    assert sandbox.service_ports([iri]) == ports


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _busy(lifeline, out, work):
    sandbox.confine(lifeline)
    import pyoxigraph as ox
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("o")))
    for i in range(300):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i)))
    out.put("confined")
    while True:  # as a writer validating or a worker in a long query: it never reads its pipe
        if work == "python":
            sum(range(100_000))
        else:
            list(store.query(CROSS_PRODUCT))  # 300^4 rows: runs far longer than this test waits


@pytest.mark.parametrize("work", ["python", "engine"])
def test_child_exits_when_the_server_end_of_its_pipe_closes(work) -> None:
    ctx = multiprocessing.get_context("forkserver")
    out = ctx.Queue()
    server_end, child_end = ctx.Pipe()
    p = ctx.Process(target=_busy, args=(child_end, out, work))
    p.start()
    child_end.close()
    try:
        assert out.get(timeout=30) == "confined"
        time.sleep(0.5)
        assert p.is_alive()  # the lifeline does not fire while the server's end is open
        closed = time.monotonic()
        server_end.close()  # what the kernel does when the server dies, however it dies
        p.join(60)  # the child would otherwise work on for as long as it is let
        assert p.exitcode == 1 and time.monotonic() - closed < 60
    finally:
        p.kill()
