"""The 34 W3C SPARQL 1.1 Protocol tests against `sco-kg serve --backend` in front of `oxigraph serve`.

Same suite and runner as tests/test_w3c_protocol.py; the suite's three graphs are published into
the engine (instead of --load). The 7 tests that expect an update to succeed are expected to
fail: a server in front of an external engine refuses updates (server/remote.py says why).
"""
import pytest

from conftest import launch
from oxigraph_engine import start_oxigraph
from server.store.engine_client import Endpoints
from server.store.publish import publish
from test_w3c_protocol import _nquads, test_protocol  # noqa: F401  (run again, here)

UPDATES_THAT_SHOULD_SUCCEED = {"update_dataset_default_graph", "update_dataset_default_graphs",
                               "update_dataset_named_graphs", "update_dataset_full", "update_post_form",
                               "update_post_direct", "update_base_uri"}


@pytest.fixture(scope="module")
def w3c_server(release, w3c_dir, tmp_path_factory):
    """The fixture test_protocol asks for, here the server in front of the engine."""
    tmp = tmp_path_factory.mktemp("w3c-remote")
    engine = start_oxigraph(tmp / "oxigraph")
    publish(Endpoints(engine.query_url, engine.update_url, engine.store_url), _nquads(tmp), 60)
    server = launch(release, tmp / "unused", "--backend", engine.query_url)
    yield server
    server.stop()
    engine.stop()


@pytest.fixture(autouse=True)
def _updates_are_refused(request):
    if request.node.callspec.params.get("name") in UPDATES_THAT_SHOULD_SUCCEED:
        request.applymarker(pytest.mark.xfail(strict=True, reason="updates are refused with --backend"))
