"""--withhold-source-text: no full source text leaves the server, by SPARQL, pages or dumps; quotes stay."""
import subprocess

import requests

from conftest import ROOT, sco_kg

TEXTS = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/sco-kg/ontology#text> ?t }"
QUOTES = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/ns/oa#exact> ?q }"


def count(server, query) -> int:
    r = requests.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_sparql_pages_and_dumps_hold_no_full_text(start_server):
    server = start_server("--withhold-source-text")
    assert count(server, TEXTS) == 0
    assert count(server, QUOTES) > 100
    page = requests.get(server.base + "/source/003_6f636e070bd0af7a", headers={"Accept": "text/html"}, timeout=30).text
    assert "Copyright of this publication is held by UI. You may not copy" not in page
    ttl = requests.get(server.base + "/source/003_6f636e070bd0af7a", headers={"Accept": "text/turtle"}, timeout=30).text
    assert "sco-kg/ontology#text" not in ttl and "ontology#text" not in ttl


def test_withholding_refuses_update_and_backend():
    for extra in (["--update-token", "t"], ["--open-update"], ["--backend", "http://127.0.0.1:9/query"]):
        r = subprocess.run([*sco_kg(), "serve", "--withhold-source-text", "--no-build", *extra],
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 2 and "--withhold-source-text" in r.stderr
