"""The 34 W3C SPARQL 1.1 Protocol tests (protocol/manifest.ttl), run over HTTP against `sco-kg serve`.

The server is started as the suite's preconditions ask: its three test graphs given with --load
(converted to N-Quads, named as the manifest's rdfs:label says). On the embedded store it is a
conformance server (conftest.start_conformance_server: an empty release, no shapes, --open-update
on 127.0.0.1) for the 7 positive update tests, whose CLEAR ALL the release's read-only graphs
would refuse; a server in front of an engine serves the release plus those graphs. Requests are sent byte for byte as the manifest gives them.
"""
import json
from dataclasses import dataclass

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection

from conftest import W3C
from http_helpers import http_request

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
MANIFEST = W3C / "protocol" / "manifest.ttl"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass
class Step:
    method: str
    path: str
    headers: dict
    body: bytes | None
    statuses: set
    format: str | None
    boolean: bool | None


def _steps(g: Graph, test) -> list[Step]:
    action = g.value(test, MF.action)
    steps = []
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        if g.value(req, HT.headers) is not None:
            for h in Collection(g, g.value(req, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        resp = g.value(req, HT.resp)
        boolean = g.value(resp, MF.expectedBoolean)
        fmt = g.value(resp, MF.expectedFormat)
        steps.append(Step(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)), headers,
                          str(g.value(body, CNT.chars)).encode() if body is not None else None,
                          {str(s).rsplit("StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)},
                          str(fmt) if fmt else None, boolean.toPython() if boolean is not None else None))
    return steps


def load_tests() -> list:
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(MF.entries, None))
    return [(str(t).rsplit("#", 1)[1], _steps(g, t)) for t in Collection(g, g.value(manifest, MF.entries))]


def test_manifest_has_34_tests() -> None:
    assert len(load_tests()) == 34


def _nquads(tmp_path) -> str:
    """data1.nt .. data3.nt into the named graphs the manifest names (http://kasei.us/.../dataN.rdf)."""
    lines = []
    for n in (1, 2, 3):
        for line in (W3C / "protocol" / f"data{n}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().rstrip(".") + f" <http://kasei.us/2009/09/sparql/data/data{n}.rdf> .")
    out = tmp_path / "w3c-protocol.nq"
    out.write_text("\n".join(lines) + "\n")
    return str(out)


# A server in front of an engine refuses updates (server/store/remote/store.py says why): there, the
# tests that expect an update to succeed run and must fail.
UPDATES_THAT_SHOULD_SUCCEED = {"update_dataset_default_graph", "update_dataset_default_graphs",
                               "update_dataset_named_graphs", "update_dataset_full", "update_post_form",
                               "update_post_direct", "update_base_uri"}


@pytest.fixture(scope="module")
def w3c_server(backend, w3c_dir, start_conformance_server, tmp_path_factory):
    """Embedded: a conformance server (the suite's CLEAR ALL must be allowed); remote: the release's."""
    load = [_nquads(tmp_path_factory.mktemp("w3c"))]
    if backend.name == "embedded":
        return start_conformance_server(load=load)
    return backend.serve(load=load)


@pytest.fixture(autouse=True)
def _updates_are_refused_on_engines(request):
    params = getattr(request.node, "callspec", None)
    params = params.params if params else {}
    if params.get("backend", "embedded") != "embedded" and params.get("name") in UPDATES_THAT_SHOULD_SUCCEED:
        request.applymarker(pytest.mark.xfail(strict=True, reason="updates are refused with --backend"))


def _check_format(step: Step, content_type: str, body: bytes) -> None:
    media = content_type.split(";")[0].strip()
    if step.format == "boolean":
        assert media in BOOLEAN_TYPES, media
        if step.boolean is not None:
            value = json.loads(body)["boolean"] if "json" in media else b"<boolean>true</boolean>" in body
            assert value == step.boolean
    elif step.format == "tabular":
        assert media in TABULAR_TYPES, media
    elif step.format == "RDF":
        assert media in RDF_TYPES, media
        Graph().parse(data=body.decode(), format=RDF_TYPES[media])


@pytest.mark.slow
@pytest.mark.parametrize("name,steps", load_tests(), ids=lambda v: v if isinstance(v, str) else "")
def test_protocol(w3c_server, name, steps) -> None:
    for step in steps:
        status, headers, body = http_request(w3c_server.base + step.path, step.method, step.headers, step.body)
        assert str(status)[0] in step.statuses, f"{step.method} {step.path}: {status} {body[:300]!r}"
        if str(status)[0] == "2":
            _check_format(step, headers.get("Content-Type", ""), body)
        else:
            assert b"Traceback" not in body and body.strip(), "an error needs a readable message"
