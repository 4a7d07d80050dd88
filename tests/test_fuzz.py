"""A bounded, seeded fuzz run over the HTTP surface (issue 14): random and mutated requests never
get a 500, never take longer than the deadline plus a second, and leave the server answering a
normal query correctly. `SCO_KG_FUZZ_EXAMPLES` runs more cases (bench/ or by hand)."""
import os
import time
import urllib.parse
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from http_helpers import http_request

pytestmark = pytest.mark.embedded_only  # the HTTP layer in front of the store is the same on every backend

EXAMPLES = int(os.environ.get("SCO_KG_FUZZ_EXAMPLES", "300"))
DEADLINE_S = 2.0  # SCO_SERVER_OPTIONS' --timeout
SEEDS = ["SELECT * WHERE { ?s ?p ?o } LIMIT 1", "ASK { ?s a <https://w3id.org/sco-kg/ontology#State> }",
         "DESCRIBE <https://w3id.org/sco-kg/id/belarus>", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
         "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
         "PREFIX x: <http://x/> SELECT * { x:a ?p ?o }", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s"]
PATHS = ["/sparql", "/sparql/", "/id/belarus", "/id/sco", "/", "/dumps", "/health", "/query", "/ontology",
         "/graph/data", "/fact/", "/source/000_e80a9174165847db", "/.well-known/void", "/search"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
ACCEPTS = ["*/*", "text/html", "application/sparql-results+json", "text/turtle;q=0.5, application/x-nothing",
           "application/ld+json", "text/csv;q=abc", ";;;,,,", "text/*;q=0", "x" * 5000]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                 "text/plain", "multipart/form-data; boundary=x", "application/json", ""]
PARAMS = ["query", "update", "default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri", "q"]


def _mutate(text: str, data) -> str:
    """Cut, duplicate or insert hostile bytes at a random place of a seed query."""
    i = data.draw(st.integers(0, len(text)))
    piece = data.draw(st.sampled_from(["{", "}", "(", "\\u0041", "#", "'", '"', "<", ">", "\x00", "é", "{" * 600,
                                       "SERVICE", "LOAD <http://127.0.0.1:1/>", "%", ";", "OPTIONAL {" * 50]))
    how = data.draw(st.sampled_from(["insert", "cut", "double"]))
    if how == "cut":
        return text[:i]
    if how == "double":
        return text + text
    return text[:i] + piece + text[i:]


@st.composite
def requests(draw):
    method = draw(st.sampled_from(METHODS))
    path = draw(st.one_of(st.sampled_from(PATHS),
                          st.text(st.characters(codec="utf-8"), max_size=60).map(lambda t: "/" + urllib.parse.quote(t, safe="/%{}|^")),
                          st.sampled_from(["/id/%00", "/id/%ff%fe", "/id/a%20b", "/id/{x}", "/" + "a" * 3000])))
    query = _mutate(draw(st.sampled_from(SEEDS)), draw(st.data()))
    params = [(draw(st.sampled_from(PARAMS)), draw(st.one_of(st.just(query), st.text(max_size=40))))
              for _ in range(draw(st.integers(0, 3)))]
    headers = {"Accept": draw(st.sampled_from(ACCEPTS)), "Content-Type": draw(st.sampled_from(CONTENT_TYPES))}
    body = draw(st.one_of(st.just(b""), st.binary(max_size=300), st.just(query.encode("utf-8", "surrogatepass")),
                          st.just(urllib.parse.urlencode(params).encode())))
    return method, path, params, headers, body


def _send(server, method: str, path: str, params, headers, body: bytes) -> tuple[int, float]:
    t0 = time.monotonic()
    status = http_request(server.base + path, method, headers, body, params=params, timeout=DEADLINE_S + 30).status
    return status, time.monotonic() - t0


def _answers_normally(server) -> bool:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sco-kg/ontology#SourceDocument> }"
    return http_request(server.sparql, accept="text/csv", params={"query": query}, timeout=30).text.split() == ["n", "5"]


def _rss_kb(pid: int) -> int:
    """Resident memory of the server's process tree (granian's worker, the query workers)."""
    with open(f"/proc/{pid}/status") as fh:
        own = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return own + sum(_rss_kb(int(c)) for c in fh.read().split() if os.path.exists(f"/proc/{c}"))


def test_hostile_requests_do_no_harm(sco_server):
    seen, slow = Counter(), []
    before = _rss_kb(sco_server.process.pid)

    @seed(20261202)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(requests())
    def one(request):
        status, took = _send(sco_server, *request)
        seen[status] += 1
        assert status < 500 or status in (501, 503, 504), (status, request)
        if took > DEADLINE_S + 1:
            slow.append((took, request))

    one()
    print("status codes:", dict(sorted(seen.items())))
    assert not slow, slow[:3]
    assert _answers_normally(sco_server)
    assert _rss_kb(sco_server.process.pid) - before < 200_000  # the server's processes grew by less than 200 MB
