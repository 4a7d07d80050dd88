"""server.store.sandbox: a query worker that runs a SERVICE the request checks missed still connects nowhere."""
import multiprocessing

from server.store import sandbox

from test_security import Listener


def _child(port, out):
    guards = sandbox.confine()
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
        p = ctx.Process(target=_child, args=(target.port, out))
        p.start()
        guards, raw = out.get(timeout=30)
        p.join(10)
        assert guards["seccomp"] and raw == "denied"
        assert target.hits == 0
    finally:
        target.close()
