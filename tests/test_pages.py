"""The HTML pages against the running server: entity, fact, source, organization timeline, home,
ontology docs, query page, and the setting that withholds source texts (issue 5)."""
import json
import re

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from support_pages import (BASE, SCO, TEST_DISAGREEMENT, TEST_QUESTION, Page, _cache, get, local,  # noqa: F401
                           pages_server, rows, withheld)

pytestmark = pytest.mark.slow


def page(server, path: str) -> Page:
    status, headers, body = get(server.base + path, "text/html")
    assert status == 200, (path, status, body[:500])
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    return Page(body.decode())


def assert_accessible_basics(p: Page) -> None:
    assert p.find("html", lang="en")
    assert p.find("meta", name="viewport")
    assert len(p.find("h1")) == 1
    assert p.find("main", id="main") and p.find("a", href="#main")  # skip link to the main landmark
    assert p.find("nav")
    for th in p.find("th"):
        assert th.get("scope") in ("col", "row")


def embedded_graph(p: Page) -> rdflib.Graph:
    assert p.jsonld, "no JSON-LD for crawlers"
    g = rdflib.Graph()
    for block in p.jsonld:
        g.parse(data=block, format="json-ld")
    return g


def test_entity_page(pages_server):
    p = page(pages_server, "/id/belarus")
    assert_accessible_basics(p)
    text = p.text
    assert "Belarus" in text and "State" in text
    assert "https://www.wikidata.org/entity/Q184" in p.hrefs() or "http://www.wikidata.org/entity/Q184" in p.hrefs()
    # memberships as a table with role and period, each with sources and the quote in context
    assert "Memberships" in text and "member state" in text and "2024-07" in text
    assert p.find("details") and p.marks
    assert "The organization added Belarus, a client state of Russia, as a full member." in p.marks
    assert any(h.startswith("/source/") for h in p.hrefs())
    g = embedded_graph(p)
    assert (URIRef(BASE + "id/belarus"), RDFS.label, Literal("Belarus", lang="en")) in g


def test_entity_facts_grouped_by_kind(pages_server):
    p = page(pages_server, "/id/narendra-modi")
    text = p.text
    for heading in ("Posts held", "Events attended", "Events missed"):
        assert heading in text
    assert "did not attend" in text.lower() or "Reason given" in text


def test_disputed_facts_show_both_sides(pages_server):
    a, b = _cache["pair"]
    p = page(pages_server, "/id/sco")
    assert TEST_QUESTION in p.text
    assert any(x.get("class") == "badge disputed" for x in p.find("a"))
    section = p.find("section", **{"class": "disagreement"})
    assert section
    # both claims are linked, each with its own source
    assert local(a) in p.hrefs() and local(b) in p.hrefs()
    # and a fact page of one claim shows the other side too
    q = page(pages_server, local(a))
    assert TEST_QUESTION in q.text and local(b) in q.hrefs()


def test_fact_and_evidence_pages(pages_server, release):
    r = rows(release, f"""SELECT ?f ?ev ?exact WHERE {{ ?f <{SCO}evidence> ?ev . ?ev <http://www.w3.org/ns/oa#hasTarget> ?t .
      ?t <http://www.w3.org/ns/oa#hasSelector> ?q . ?q <http://www.w3.org/ns/oa#exact> ?exact }} ORDER BY ?f LIMIT 1""")[0]
    p = page(pages_server, local(r["f"].value))
    assert_accessible_basics(p)
    assert r["exact"].value in p.marks
    e = page(pages_server, local(r["ev"].value))
    assert r["exact"].value in e.marks


def test_source_page_highlights_every_cited_quote(pages_server, release):
    src = BASE + "source/000_e80a9174165847db"
    ev = rows(release, f"""SELECT DISTINCT ?ev ?exact WHERE {{ ?t <http://www.w3.org/ns/oa#hasSource> <{src}> .
      ?ev <http://www.w3.org/ns/oa#hasTarget> ?t . ?t <http://www.w3.org/ns/oa#hasSelector> ?q .
      ?q <http://www.w3.org/ns/oa#exact> ?exact }}""")
    assert ev
    p = page(pages_server, "/source/000_e80a9174165847db")
    assert_accessible_basics(p)
    highlighted = "".join(p.marks)  # overlapping quotes are split into adjacent marks
    for r in ev:
        # every quote is highlighted (possibly split where quotes overlap) and anchored
        assert r["exact"].value in highlighted, r["exact"].value
    anchors = [i for i in p.ids if i.startswith("q-")]
    assert len(set(anchors)) == len({r["ev"].value for r in ev})
    # the marks link to the facts they support
    assert sum(1 for h in p.hrefs() if h.startswith("/fact/")) >= len(ev)
    # the full text is there, and the list of facts drawn from it
    assert "Much press coverage has focused on the SCO" in p.text
    assert "Facts drawn from this source" in p.text
    assert "3b83a41b242865196819184cab7462ce4d69ef5f2d96a97e9f969097f0888b1a" in p.text or "SHA" in p.text


def test_organization_timeline_is_server_rendered_svg(pages_server):
    status, headers, body = get(pages_server.base + "/id/sco", "text/html")
    html = body.decode()
    svg = re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", html, flags=re.S)
    assert svg, "no timeline"
    svg = svg.group(0)
    for state in ("China", "Russia", "India", "Pakistan", "Iran", "Belarus"):
        assert f">{state}</text>" in svg
    assert svg.count("<rect") >= 10
    assert "<title" in svg and 'role="img"' in svg
    assert "<script" not in svg


def test_home_page(pages_server):
    p = page(pages_server, "/")
    assert_accessible_basics(p)
    hrefs = p.hrefs()
    for target in ("/query", "/dumps", "/ontology", "/browse/organizations", "/browse/states", "/browse/persons",
                   "/browse/events", "/browse/documents"):
        assert target in hrefs, target
    assert sum(1 for h in hrefs if h.startswith("/source/")) >= 5
    assert "triples" in p.text and "facts" in p.text
    assert TEST_QUESTION in p.text  # the disagreements
    for cat in ("organizations", "states", "persons", "events", "documents"):
        b = page(pages_server, f"/browse/{cat}")
        assert any(h.startswith("/id/") for h in b.hrefs()), cat


def test_ontology_docs(pages_server, release):
    p = page(pages_server, "/ontology")
    assert_accessible_basics(p)
    for term in ("State", "Membership", "Fact", "Evidence", "memberState", "evidence"):
        assert term in p.ids, term
    assert "Class hierarchy" in p.text
    assert "Roles" in p.text and "member state" in p.text
    # definitions come from the ontology itself
    defn = rows(release, f"SELECT ?d WHERE {{ <{SCO}State> <http://www.w3.org/2004/02/skos/core#definition> ?d }}")
    assert defn and defn[0]["d"].value in p.text


def test_query_page_lists_examples_and_uses_local_files(pages_server):
    p = page(pages_server, "/query")
    buttons = p.find("button")
    titles = [b for b in buttons if b.get("data-example")]
    assert any(b["data-example"] == "conflicts" for b in titles)
    assert len(titles) >= 2
    examples = json.loads(re.search(r'<script type="application/json" id="examples-data">(.*?)</script>',
                                    get(pages_server.base + "/query", "text/html")[2].decode(), re.S).group(1))
    assert all(e["description"] for e in examples)
    for tag, attr in (("script", "src"), ("link", "href")):
        for a in p.find(tag):
            if attr in a:
                assert a[attr].startswith("/"), a  # nothing from another host


# --- the withhold setting (in-process app on the same release) -------------------------------------

def test_withheld_source_text_keeps_quotes(withheld, release):
    r = withheld.get("/source/000_e80a9174165847db", headers={"Accept": "text/html"})
    assert r.status_code == 200
    p = Page(r.data.decode())
    assert "Much press coverage has focused on the SCO" not in p.text
    assert "withheld" in p.text
    assert "The organization added Belarus, a client state of Russia, as a full member." in p.marks
    r = withheld.get("/source/000_e80a9174165847db", headers={"Accept": "application/n-triples"})
    assert SCO + "text" not in r.data.decode()
    assert "The organization added Belarus" in r.data.decode()  # the evidence quotes stay
    e = Page(withheld.get("/id/belarus", headers={"Accept": "text/html"}).data.decode())
    assert "The organization added Belarus, a client state of Russia, as a full member." in e.marks
    assert "Much press coverage" not in e.text
