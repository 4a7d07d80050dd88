"""server.store.sandbox: a query worker that runs a SERVICE the request checks missed still connects nowhere;
a store child whose server is gone (its end of the pipe closed) exits, busy or not."""
import multiprocessing
import time

import pytest

from server.store import sandbox

from test_security import Listener


def _child(lifeline, port, out):
    guards = sandbox.confine(lifeline)
    import pyoxigraph as ox
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
    except (OSError, RuntimeError, ValueError):
        pass
    import _socket
    try:
        _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        raw = "opened"
    except PermissionError:
        raw = "denied"
    out.put((guards, raw))


def test_confined_child_makes_no_connection() -> None:
    target = Listener()
    try:
        ctx = multiprocessing.get_context("forkserver")
        out = ctx.Queue()
        mine, theirs = ctx.Pipe()
        p = ctx.Process(target=_child, args=(theirs, target.port, out))
        p.start()
        guards, raw = out.get(timeout=30)
        p.join(10)
        assert guards["seccomp"] and raw == "denied"
        assert target.hits == 0
    finally:
        target.close()


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
        p.join(5)
        assert p.exitcode == 1 and time.monotonic() - closed < 2
    finally:
        p.kill()
