"""A bounded, seeded fuzz run over the HTTP surface.

Most cases are SPARQL operations that reach the endpoint's parsers: mutated queries by GET and both
POST encodings, mutated updates with a valid, a wrong or no token (the fuzzed server has an update
token, so the update path, the writer and the SHACL gate are fuzzed too), hostile protocol parameters
(graph IRIs with `>`, spaces, `}`; duplicate and conflicting parameters; query and update at once);
the rest are odd paths, percent-encodings, invalid UTF-8, every method, bad and huge Accept headers;
queries and the rest also carry hostile Accept-Encoding, Origin, Host, If-None-Match, Range,
Sec-Fetch-Site and Content-Type headers (HEADER_VALUES).
Asserted: no 500, no answer slower than its deadline plus 30 s (a hang, not the load), the release's graphs unchanged
(no update seed may validly change them: those that try must be refused) and nothing changed at all
unless an update was accepted, a normal query answered correctly afterwards, memory growth bounded.
`SCO_KG_FUZZ_EXAMPLES` runs more cases, `SCO_KG_FUZZ_SEED` another sequence
(`python bench/fuzz.py --examples N --seed S`).
"""
import http.client
import json
import os
import time
import urllib.parse
from collections import Counter, defaultdict

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("SCO_KG_FUZZ_EXAMPLES", "400"))
SEED = int(os.environ.get("SCO_KG_FUZZ_SEED", "20261202"))  # CI's fixed sequence; another explores further
DEADLINE_S = 2.0
UPDATE_DEADLINE_S = 10.0
TOKEN = "fuzz-t0ken"
SCO = "https://w3id.org/sco-kg/"
DATA, ONTOLOGY, SOURCES = (f"{SCO}graph/{g}" for g in ("data", "ontology", "sources"))
PREFIXES = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX org: <http://www.w3.org/ns/org#> "
            "PREFIX sco: <https://w3id.org/sco-kg/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ")

QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    "ASK { ?s a <https://w3id.org/sco-kg/ontology#State> }",
    "DESCRIBE <https://w3id.org/sco-kg/id/belarus>",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) LIMIT 3",
    PREFIXES + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "^Kaz", "i")) } ORDER BY ?l',
    PREFIXES + "SELECT ?m ?who WHERE { ?m a org:Membership ; org:member ?who OPTIONAL { ?m org:role ?r } } LIMIT 5",
    PREFIXES + "SELECT ?x WHERE { ?x rdfs:label/rdfs:label* ?y . ?x (org:member|^org:member)+ ?z } LIMIT 3",
    PREFIXES + 'SELECT ?v (STRLEN(?l) AS ?n) WHERE { VALUES ?v { 1 2.5 "x"@en } BIND(xsd:integer("7") AS ?l) }',
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    f"SELECT * FROM <{DATA}> FROM NAMED <{SOURCES}> WHERE {{ ?s ?p ?o }} LIMIT 2",
    "SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 } MINUS { ?s a ?t } } OFFSET 1",
    "PREFIX x: <http://x/> SELECT * { x:a ?p ?o } # a comment",
    'SELECT ("\\u0041\\n" AS ?a) (<http://x/\\u00e9> AS ?b) (""" long \' string """ AS ?c) WHERE {}',
    "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
]
# Updates: the benign write outside the release's graphs; the hostile must be refused (403/422).
UPDATES = [
    "INSERT DATA { GRAPH <urn:fuzz:g> { <urn:fuzz:a> <urn:fuzz:b> \"c\"@en } }",
    "INSERT DATA { <urn:fuzz:a> <urn:fuzz:b> 1.5 } ; CLEAR SILENT GRAPH <urn:fuzz:h>",
    "WITH <urn:fuzz:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }",
    "DELETE WHERE { GRAPH <urn:fuzz:g> { ?s ?p ?o } }",
    "CREATE SILENT GRAPH <urn:fuzz:c>",
    f"DROP GRAPH <{DATA}>",
    "CLEAR ALL",
    f"DELETE WHERE {{ GRAPH <{DATA}> {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }} }}",
    f"INSERT DATA {{ GRAPH <{ONTOLOGY}> {{ <urn:fuzz:a> <urn:fuzz:b> <urn:fuzz:c> }} }}",
    f"MOVE <{SOURCES}> TO <urn:fuzz:s>",
    "LOAD <http://127.0.0.1:1/x.ttl> INTO GRAPH <urn:fuzz:g>",
    "INSERT { GRAPH <urn:fuzz:g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
]
PIECES = ["{", "}", "(", ")", "[", "]", ".", ";", ",", "#", "'", '"', '"""', "<", ">", "<>", "\\u0041", "\\U0001F600",
          "\\", "\x00", "é", "\ud800", "\u202e", "%", "%FF", "?", "$", "_:b", "^^", "@", "*", "/", "|", "!",
          "SELECT", "WHERE", "OPTIONAL", "UNION", "FILTER", "GRAPH", "SERVICE", "SERVICE <http://127.0.0.1:1/>",
          "LOAD <http://127.0.0.1:1/>", "INSERT", "DELETE", "DROP ALL", "BASE <rel>", "PREFIX : <http://x/>",
          "VALUES ?z { 1 }", "BIND(1 AS ?s)", "GROUP BY", "LIMIT -1", "99999999999999999999", "1e9999", "0x1",
          "{" * 600, "(" * 400, "OPTIONAL {" * 50, " UNION " * 3000, "x" * 2000, "\n", "\t"]
HOSTILE_IRIS = ["http://x/>", "http://x/ y", "}", "urn:x} . DROP ALL", "", "rel", "http://x/%3E", "<http://x/>",
                "http://x/\u00e9", "http://x/\x00", DATA, "urn:fuzz:g"]
GOOD_ACCEPTS = ["*/*", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
                "application/rdf+xml", "application/sparql-results+json,*/*;q=0.9"]
BAD_ACCEPTS = ["text/html", "text/turtle;q=0.5, application/x-nothing", "text/csv;q=abc", ";;;,,,", "text/*;q=0",
               "x" * 5000, ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(400)), "*/*;q=2", "\u00e9/\u00e9"]
PATHS = ["/sparql", "/sparql/", "/id/belarus", "/id/sco", "/", "/dumps", "/health", "/query", "/ontology",
         "/graph/data", "/fact/", "/source/000_e80a9174165847db", "/.well-known/void", "/search?q=%ff",
         "/id/%00", "/id/%ff%fe", "/id/a%20b", "/id/{x}", "/" + "a" * 3000, "/sparql%00", "/%2e%2e/etc/passwd",
         "/static/../server/app.py", "/search?q=" + "%e2%80%ae" * 50, "//sparql", "/sparql;x=1", "/id/%c0%af"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "BREW"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                 "text/plain", "multipart/form-data; boundary=x", "application/json", "",
                 "application/sparql-query; charset=latin-1", "application/x-www-form-urlencoded; charset=utf-16"]
AUTHS = {"valid": f"Bearer {TOKEN}", "valid-lowercase": f"bearer  {TOKEN} ", "wrong": "Bearer nope",
         "basic": "Basic Zm9vOmJhcg==", "empty": "Bearer ", "none": None}


@st.composite
def mutated(draw, seeds, counts):
    """A seed operation with `counts` mutations: insert a piece, cut, delete a span, repeat a span."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.sampled_from(counts))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        how = draw(st.sampled_from(["insert", "insert", "insert", "cut", "delete", "repeat", "random"]))
        if how == "insert":
            text = text[:i] + draw(st.sampled_from(PIECES)) + text[i:]
        elif how == "cut":
            text = text[:i]
        elif how == "delete":
            text = text[:i] + text[j:]
        elif how == "repeat":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
    return text


def _graph_params(draw, names):
    return [(draw(st.sampled_from(names)), draw(st.sampled_from(HOSTILE_IRIS)))
            for _ in range(draw(st.sampled_from([0] * 6 + [1, 2])))]


def _encode(text: str) -> bytes:
    """Lone surrogates (a PIECE) go out as the invalid UTF-8 they make."""
    return text.encode("utf-8", "surrogatepass")


def _urlencode(pairs) -> str:
    return urllib.parse.urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def _as_sparql_request(draw, key: str, text: str, params: list, direct_type: str):
    """GET (queries), POST form or POST direct; the extra parameters in the URL or the form."""
    how = draw(st.sampled_from(["form", "direct"] + (["get", "get"] if key == "query" else [])))
    if how == "get":
        return "GET", "/sparql?" + _urlencode([(key, text), *params]), {}, b""
    if how == "form":
        body = _urlencode([(key, text), *params]).encode()
        return "POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, body
    target = "/sparql" + ("?" + _urlencode(params) if params else "")
    return "POST", target, {"Content-Type": direct_type}, _encode(text)


@st.composite
def query_requests(draw):
    text = draw(mutated(QUERIES, [0, 0, 1, 1, 2, 3]))
    params = _graph_params(draw, ["default-graph-uri", "named-graph-uri", "using-graph-uri"])
    method, target, headers, body = _as_sparql_request(draw, "query", text, params, "application/sparql-query")
    headers["Accept"] = draw(st.sampled_from(GOOD_ACCEPTS * 3 + BAD_ACCEPTS))
    if draw(st.integers(0, 3)) == 0:  # one query in four
        headers.update(draw(hostile_headers()))
    return "query", method, target, headers, body


@st.composite
def update_requests(draw):
    auth = draw(st.sampled_from(["valid", "valid", "valid", "valid-lowercase", "wrong", "basic", "empty", "none"]))
    # A valid token and a well-formed update costs a SHACL validation (seconds): mostly mutated ones.
    text = draw(mutated(UPDATES, [0, 1, 1, 2, 2, 3, 3] if auth.startswith("valid") else [0, 1, 2]))
    params = _graph_params(draw, ["using-graph-uri", "using-named-graph-uri", "default-graph-uri"])
    method, target, headers, body = _as_sparql_request(draw, "update", text, params, "application/sparql-update")
    if AUTHS[auth]:
        headers["Authorization"] = AUTHS[auth]
    origin = draw(st.sampled_from([None] * 9 + ["https://allowed.example", "https://evil.example", "null"]))
    if origin:
        headers["Origin"] = origin
    return "update", method, target, headers, body


@st.composite
def protocol_requests(draw):
    """Conflicting and malformed protocol requests on /sparql."""
    query, update = draw(mutated(QUERIES, [0, 1])), draw(mutated(UPDATES, [1, 2]))
    params = draw(st.sampled_from([
        [("query", query), ("update", update)], [("query", query), ("query", query)],
        [("update", update), ("update", update)], [("update", update)], [("query", "")], [("q", query)],
        [("query", query), ("default-graph-uri", DATA), ("using-graph-uri", DATA)]]))
    params += _graph_params(draw, ["default-graph-uri", "named-graph-uri", "using-graph-uri"])
    encoded = _urlencode(params)
    raw = draw(st.sampled_from(["", "&query=%ff%fe", "&query=%", "&%zz=1", "&query=a%00b", "&&&=&"]))
    method = draw(st.sampled_from(["GET", "GET", "POST", "POST", "POST", "PUT", "OPTIONS", "HEAD"]))
    in_body = method != "GET" and draw(st.booleans())
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    body = draw(st.one_of(st.just((encoded + raw).encode()), st.binary(max_size=300), st.just(_encode(query))))
    headers = {"Content-Type": content_type, "Accept": draw(st.sampled_from(GOOD_ACCEPTS + BAD_ACCEPTS)),
               "Authorization": AUTHS["valid"]}
    target = "/sparql" + ("" if in_body else "?" + encoded + raw)
    return "protocol", method, target, headers, body if in_body else b""


# Request headers the server parses itself (compression, CORS and CSRF, DNS rebinding, validators, ranges).
HEADER_VALUES = {
    "Accept-Encoding": ["gzip", "GZIP;Q=0", "gzip;q=abc", "gzip;q=1e999", "*;q=0, identity", "br, *;q=0.5", ";;,,",
                        "gzip;q=0.5;q=1", "x" * 5000],
    "Origin": ["null", "https://evil.example", "https://allowed.example", "http://127.0.0.1", "o" * 5000],
    "Host": ["127.0.0.1", "evil.example", "", "[::1", "127.0.0.1:99999", "localhost:abc", "h" * 3000],
    "If-None-Match": ["*", '"x"', 'W/"x", "y"', "garbage", '"' * 1001, 'W/""'],
    "Range": ["bytes=0-10", "bytes=-5", "bytes=abc", "bytes=99999999-", "bytes=5-1", "items=0-1", "bytes=0-1,2-3," * 200],
    "Sec-Fetch-Site": ["cross-site", "same-site", "same-origin", "none", "???"],
    "Content-Type": ["application/sparql-query; charset=latin-1", "multipart/form-data; boundary=", "text/plain"],
}


@st.composite
def hostile_headers(draw) -> dict:
    """None to three of the headers above, each with one of its values."""
    names = draw(st.lists(st.sampled_from(sorted(HEADER_VALUES)), max_size=3, unique=True))
    return {name: draw(st.sampled_from(HEADER_VALUES[name])) for name in names}


@st.composite
def surface_requests(draw):
    """Every method on odd paths, random bodies and headers."""
    path = draw(st.one_of(st.sampled_from(PATHS),
                          st.text(st.characters(codec="utf-8"), max_size=60).map(
                              lambda t: "/" + urllib.parse.quote(t, safe="/%{}|^"))))
    headers = {"Accept": draw(st.sampled_from(GOOD_ACCEPTS + BAD_ACCEPTS + ["text/html"] * 4)),
               "Content-Type": draw(st.sampled_from(CONTENT_TYPES))}
    headers.update(draw(hostile_headers()))
    body = draw(st.one_of(st.just(b""), st.binary(max_size=300)))
    return "surface", draw(st.sampled_from(METHODS)), path, headers, body


@st.composite
def requests(draw):
    """About 4 in 10 cases a query, 3 an update, 1 a protocol conflict, 2 the rest of the surface.

    (A kind drawn first: st.one_of would not keep these proportions.)"""
    kind = draw(st.sampled_from([query_requests] * 4 + [update_requests] * 3 + [protocol_requests]
                                + [surface_requests] * 2))
    return draw(kind())


def _send(port: int, method: str, target: str, headers: dict, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=UPDATE_DEADLINE_S + 30)
    try:
        conn.putrequest(method, target.encode("utf-8", "surrogateescape").decode("latin-1"),
                        skip_host="Host" in headers, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v.encode("utf-8", "surrogatepass"))
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _is_update(method: str, target: str, headers: dict, body: bytes) -> bool:
    """Whether the request may carry an update (its deadline is the update deadline)."""
    return (headers.get("Content-Type", "").startswith("application/sparql-update")
            or "update=" in target or b"update=" in body)


def _get(server, target: str, accept: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("GET", target, headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _query(server, sparql: str, accept: str) -> str:
    status, body = _get(server, "/sparql?" + urllib.parse.urlencode({"query": sparql}), accept)
    assert status == 200, body
    return body


def _release_graphs(server) -> dict:
    """Each of the release's graphs, with its blank nodes canonicalised (a new store version relabels them)."""
    graphs = {}
    for g in (DATA, ONTOLOGY, SOURCES):
        nt = _query(server, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", "application/n-triples")
        graphs[g] = ox.Dataset(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))
        graphs[g].canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # stable within one pyoxigraph version
    return graphs


def _graph_sizes(server) -> dict:
    status, body = _get(server, "/health", "application/json")
    assert status == 200, body
    health = json.loads(body)
    return {"triples": health["triples"], "graphs": health["graphs"]}


def _answers_normally(server) -> bool:
    body = _query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sco-kg/ontology#SourceDocument> }",
                  "text/csv")
    return body.split() == ["n", "5"]


def _rss_kb(pid: int) -> int:
    """Resident memory of the server's process tree (granian's worker, the query workers)."""
    with open(f"/proc/{pid}/status") as fh:
        own = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return own + sum(_rss_kb(int(c)) for c in fh.read().split() if os.path.exists(f"/proc/{c}"))


@pytest.fixture(scope="module")
def fuzz_server(start_server):
    """Updates enabled (a token), 2 workers, short deadlines, the default result limits."""
    return start_server("--update-token", TOKEN, "--workers", "2", "--timeout", str(DEADLINE_S),
                        "--update-timeout", str(UPDATE_DEADLINE_S), "--cors-origin", "https://allowed.example")


def test_hostile_requests_do_no_harm(fuzz_server):
    seen, slow, accepted, sent = defaultdict(Counter), [], [], set()
    graphs_before, sizes_before = _release_graphs(fuzz_server), _graph_sizes(fuzz_server)
    rss_before = _rss_kb(fuzz_server.process.pid)

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(requests())
    def one(request):
        if repr(request) in sent:  # hypothesis draws some cases again; an update costs seconds
            return
        sent.add(repr(request))
        kind, *http_request = request
        started = time.monotonic()
        status = _send(fuzz_server.port, *http_request)
        took = time.monotonic() - started
        seen[kind][status] += 1
        assert status < 500 or status in (503, 504), (status, request)
        if took > (UPDATE_DEADLINE_S if _is_update(*http_request) else DEADLINE_S) + 30:  # a hang, not the load
            slow.append((round(took, 2), request))
        if kind == "update" and status == 200:
            accepted.append(request)

    started = time.monotonic()
    one()
    total = sum(seen.values(), Counter())
    print(f"\n{len(sent)} distinct of {EXAMPLES} cases (seed {SEED}) in {time.monotonic() - started:.0f} s; status codes:",
          dict(sorted(total.items())))
    for kind, statuses in sorted(seen.items()):
        print(f"  {kind}: {dict(sorted(statuses.items()))}")
    print(f"  updates accepted: {len(accepted)}")
    for _, _, target, _, body in accepted:
        print("   ", (urllib.parse.unquote_plus(body.decode("utf-8", "replace")) or target)[:160].replace("\n", " "))
    assert not slow, slow[:3]
    assert _answers_normally(fuzz_server)
    assert _release_graphs(fuzz_server) == graphs_before, accepted
    if not accepted:
        assert _graph_sizes(fuzz_server) == sizes_before
    assert _rss_kb(fuzz_server.process.pid) - rss_before < 200_000  # the server's processes grew by less than 200 MB
