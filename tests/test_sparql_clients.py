"""Real clients against the running server: SPARQLWrapper, rdflib's SPARQLStore, curl (negotiation: test_sparql_app)."""
import json
import subprocess
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, URLENCODED, XML, SPARQLWrapper, TURTLE

from http_helpers import ask, health, http_request

SCO = "https://w3id.org/sco-kg/ontology#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FACTS_WITH_EVIDENCE = """
PREFIX sco: <https://w3id.org/sco-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?fact ?source ?quote WHERE {
  ?fact sco:evidence ?ev ; prov:wasDerivedFrom ?source .
  ?ev oa:hasTarget ?t . ?t oa:hasSource ?source ; oa:hasSelector ?sel . ?sel oa:exact ?quote .
} LIMIT 5"""


def _wrapper(server, method=None, request_method=None) -> SPARQLWrapper:
    w = SPARQLWrapper(server.sparql)
    if method:
        w.setMethod(method)
    if request_method:
        w.setRequestMethod(request_method)
    return w


@pytest.mark.parametrize("method,request_method", [(None, None), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json(sco_server, release, method, request_method) -> None:
    w = _wrapper(sco_server, method, request_method)
    w.setQuery(COUNT)
    w.setReturnFormat(JSON)
    n = int(w.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert n == json.loads((release / "release.json").read_text())["triples"]


def test_sparqlwrapper_xml_csv_ask_construct(sco_server) -> None:
    w = _wrapper(sco_server)
    w.setQuery(FACTS_WITH_EVIDENCE)
    w.setReturnFormat(XML)
    assert len(w.query().convert().getElementsByTagName("result")) == 5
    w.setReturnFormat(CSV)
    assert w.query().convert().decode().splitlines()[0].strip() == "fact,source,quote"
    w.setQuery(f"ASK {{ ?s a <{SCO}Fact> }}")
    w.setReturnFormat(JSON)
    assert w.query().convert()["boolean"] is True
    w.setQuery(f"CONSTRUCT {{ ?s a <{SCO}Fact> }} WHERE {{ ?s a <{SCO}Fact> }} LIMIT 3")
    w.setReturnFormat(TURTLE)
    g = Graph().parse(data=w.query().convert().decode(), format="turtle")
    assert len(g) == 3


def test_rdflib_sparqlstore(sco_server) -> None:
    store = SPARQLStore(sco_server.sparql, returnFormat="xml")
    rows = list(store.query(FACTS_WITH_EVIDENCE))
    assert len(rows) == 5 and all(isinstance(r[2], Literal) for r in rows)
    g = store.query(f"CONSTRUCT {{ ?s a <{SCO}Fact> }} WHERE {{ ?s a <{SCO}Fact> }} LIMIT 2").graph
    assert len(g) == 2
    assert store.query(f"ASK {{ ?s a <{SCO}Fact> }}").askAnswer is True


def _curl(curl, *args) -> subprocess.CompletedProcess:
    return subprocess.run([curl, "-s", "-S", "-i", *args], capture_output=True, text=True, timeout=60)


def test_curl_get_post_and_errors(curl, sco_server) -> None:
    out = _curl(curl, "-G", sco_server.sparql, "--data-urlencode", f"query={COUNT}",
                "-H", "Accept: text/tab-separated-values").stdout
    assert "200" in out.splitlines()[0] and "text/tab-separated-values" in out and "?n" in out
    out = _curl(curl, sco_server.sparql, "-H", "Content-Type: application/sparql-query",
                "--data-binary", "SELECT * WHERE { ?s ?p }").stdout
    assert " 400 " in out.splitlines()[0] and "Malformed query at line 1, column" in out and "Traceback" not in out
    out = _curl(curl, sco_server.sparql, "-H", "Content-Type: text/plain", "--data-binary", "ASK {}").stdout
    assert " 415 " in out.splitlines()[0]
    out = _curl(curl, "-X", "PUT", sco_server.sparql).stdout
    assert " 405 " in out.splitlines()[0] and "text/plain" in out


def test_describe_entity_brings_facts_and_evidence(sco_server) -> None:
    first = f"""SELECT ?e WHERE {{ ?f a <{SCO}Fact> ; ?p ?e .
        FILTER(STRSTARTS(STR(?e), "https://w3id.org/sco-kg/id/")) }} LIMIT 1"""
    rows = json.loads(http_request(sco_server.sparql, params={"query": first})[2])
    entity = rows["results"]["bindings"][0]["e"]["value"]
    status, _, body = http_request(sco_server.sparql, params={"query": f"DESCRIBE <{entity}>"}, accept="application/n-triples")
    g = Graph().parse(data=body.decode(), format="nt")
    facts = {s for s, p, o in g if o == URIRef(entity) and "/fact/" in str(s)}
    assert status == 200 and facts
    assert all(g.value(f, URIRef(SCO + "evidence")) is not None for f in facts)
    exact = URIRef("http://www.w3.org/ns/oa#exact")
    assert any(True for _ in g.triples((None, exact, None)))
    assert not any(p == URIRef(SCO + "text") for _, p, _ in g)  # source texts are not pulled in


def test_dataset_parameters_and_union_default(sco_server) -> None:
    data = "https://w3id.org/sco-kg/graph/data"
    q = f"ASK {{ ?s a <{SCO}Fact> }}"
    assert ask(sco_server, q) is True  # union default graph
    status, _, body = http_request(sco_server.sparql, params={"query": q, "default-graph-uri": "https://w3id.org/sco-kg/graph/ontology"})
    assert status == 200 and json.loads(body)["boolean"] is False
    from_q = f"ASK FROM <{data}> {{ ?s a <{SCO}Fact> }}"
    assert ask(sco_server, from_q) is True
    from_q = f"ASK FROM <https://w3id.org/sco-kg/graph/sources> {{ ?s a <{SCO}Fact> }}"
    assert ask(sco_server, from_q) is False


def test_health(sco_server, release) -> None:
    answer = health(sco_server)
    meta = json.loads((release / "release.json").read_text())
    assert answer["status"] == "ok" and answer["triples"] == meta["triples"] and answer["release"] == meta["version"]


def test_cors(sco_server) -> None:
    status, headers, _ = http_request(sco_server.sparql + "?query=ASK%7B%7D", headers={"Origin": "https://allowed.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://allowed.example"
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = http_request(sco_server.sparql + "?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = http_request(sco_server.sparql, "OPTIONS", {
        "Origin": "https://allowed.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_disk_worker_store(start_server, release) -> None:
    """--worker-store disk: workers read the committed RocksDB version read-only; same answers."""
    server = start_server("--worker-store", "disk", "--workers", "1")
    status, _, body = http_request(server.sparql, params={"query": COUNT})
    meta = json.loads((release / "release.json").read_text())
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == meta["triples"]
