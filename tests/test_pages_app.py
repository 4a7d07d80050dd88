"""The pages, in process: entity, fact, evidence, source, home, ontology docs and query pages, their
accessibility basics, factuality and disagreements, compression.

Engine-independent behaviour of the pages, asked of the app itself (`site`: create_app on the session's
release plus the pages' extra file, Flask's test client); the same pages from each engine are compared in
tests/test_backend_pages.py.
"""
import json
import re

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from support_pages import (BASE, EXPECTED_FACT, EXPECTED_GUEST, EXPECTED_QUOTE, SCO, TEST_QUESTION, Page,  # noqa: F401
                           _cache, local, rows, site)


def page(site, path: str) -> Page:
    status, headers, body = site.request(path, accept="text/html")
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


def test_entity_page(site):
    p = page(site, "/id/belarus")
    assert_accessible_basics(p)
    text = p.text
    assert "Belarus" in text and "State" in text
    assert "https://www.wikidata.org/entity/Q184" in p.hrefs() or "http://www.wikidata.org/entity/Q184" in p.hrefs()
    # memberships as a table with role and period, each with sources and the quote in context
    assert "Memberships" in text and "member state" in text and "2024-07" in text
    assert "The organization added Belarus, a client state of Russia, as a full member." in text
    assert any(h.startswith("/evidence/") for h in p.hrefs())
    assert any(h.startswith("/source/") for h in p.hrefs())
    g = embedded_graph(p)
    assert (URIRef(BASE + "id/belarus"), RDFS.label, Literal("Belarus", lang="en")) in g


def test_entity_facts_grouped_by_kind(site):
    p = page(site, "/id/narendra-modi")
    text = p.text
    for heading in ("Posts held", "Events attended", "Events missed"):
        assert heading in text
    assert "Reason" in text  # the absence table's column


def test_disputed_facts_show_both_sides(site):
    a, b = _cache["pair"]
    p = page(site, "/id/sco")
    assert TEST_QUESTION in p.text
    assert any(x.get("class") == "badge disputed" for x in p.find("a"))
    section = p.find("section", **{"class": "disagreement"})
    assert section
    # both claims are linked, each with its own source
    assert local(a) in p.hrefs() and local(b) in p.hrefs()
    # and a fact page of one claim shows the other side too
    q = page(site, local(a))
    assert TEST_QUESTION in q.text and local(b) in q.hrefs()


def test_fact_and_evidence_pages(site, release):
    r = rows(release, f"""SELECT ?f ?ev ?exact WHERE {{ ?f <{SCO}evidence> ?ev . ?ev <http://www.w3.org/ns/oa#hasTarget> ?t .
      ?t <http://www.w3.org/ns/oa#hasSelector> ?q . ?q <http://www.w3.org/ns/oa#exact> ?exact }} ORDER BY ?f LIMIT 1""")[0]
    p = page(site, local(r["f"].value))
    assert_accessible_basics(p)
    assert r["exact"].value in p.marks
    e = page(site, local(r["ev"].value))
    assert r["exact"].value in e.marks


def test_source_page_highlights_every_cited_quote(site, release):
    src = BASE + "source/000_e80a9174165847db"
    ev = rows(release, f"""SELECT DISTINCT ?ev ?exact WHERE {{ ?t <http://www.w3.org/ns/oa#hasSource> <{src}> .
      ?ev <http://www.w3.org/ns/oa#hasTarget> ?t . ?t <http://www.w3.org/ns/oa#hasSelector> ?q .
      ?q <http://www.w3.org/ns/oa#exact> ?exact }}""")
    assert ev
    p = page(site, "/source/000_e80a9174165847db")
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


def test_organization_timeline_is_server_rendered_svg(site):
    status, headers, body = site.request("/id/sco", accept="text/html")
    html = body.decode()
    svg = re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", html, flags=re.S)
    assert svg, "no timeline"
    svg = svg.group(0)
    for state in ("China", "Russia", "India", "Pakistan", "Iran", "Belarus"):
        assert re.search(f">{state}( · [^<]+)?</text>", svg), state  # a member with several roles names each
    assert svg.count("<rect") >= 10
    assert "<title" in svg and 'role="img"' in svg
    assert "<script" not in svg


def test_home_page(site):
    p = page(site, "/")
    assert_accessible_basics(p)
    hrefs = p.hrefs()
    for target in ("/query", "/dumps", "/ontology", "/browse/organizations", "/browse/states", "/browse/persons",
                   "/browse/events", "/browse/documents"):
        assert target in hrefs, target
    assert sum(1 for h in hrefs if h.startswith("/source/")) >= 5
    assert "triples" in p.text and "facts" in p.text
    assert TEST_QUESTION in p.text  # the disagreements
    for cat in ("organizations", "states", "persons", "events", "documents"):
        b = page(site, f"/browse/{cat}")
        assert any(h.startswith("/id/") for h in b.hrefs()), cat


def test_ontology_docs(site, release):
    p = page(site, "/ontology")
    assert_accessible_basics(p)
    for term in ("State", "Membership", "Fact", "Evidence", "memberState", "evidence"):
        assert term in p.ids, term
    assert "Class hierarchy" in p.text
    assert "Roles" in p.text and "member state" in p.text
    # definitions come from the ontology itself
    defn = rows(release, f"SELECT ?d WHERE {{ <{SCO}State> <http://www.w3.org/2004/02/skos/core#definition> ?d }}")
    assert defn and defn[0]["d"].value in p.text


def test_query_page_lists_examples_and_uses_local_files(site):
    p = page(site, "/query")
    buttons = p.find("button")
    titles = [b for b in buttons if b.get("data-example")]
    assert any(b["data-example"] == "conflicts" for b in titles)
    assert len(titles) >= 2
    examples = json.loads(re.search(r'<script type="application/json" id="examples-data">(.*?)</script>',
                                    site.request("/query", accept="text/html")[2].decode(), re.S).group(1))
    assert all(e["description"] for e in examples)
    for tag, attr in (("script", "src"), ("link", "href")):
        for a in p.find(tag):
            if attr in a:
                assert a[attr].startswith("/"), a  # nothing from another host


def section(html: str, section_id: str) -> str:
    m = re.search(rf'<section id="{re.escape(section_id)}".*?</section>', html, flags=re.S)
    return m.group(0) if m else ""


def test_quotes_in_full_with_key_words_and_named_sources(site):
    html = site.request("/id/india", accept="text/html")[2].decode()
    summaries = re.findall(r'<q class="quote">(.*?)</q>', html, flags=re.S)
    text = [re.sub(r"<[^>]+>", "", s) for s in summaries]
    full = "Since then, India has chaired summits in 2020 and 2023, assuming the rotating presidency from 2022-2023.⁵⁹"
    assert any(full in t for t in text), "the chairmanship quote is cut"
    assert any("<strong>India</strong>" in s for s in summaries)  # key words marked
    p = Page(html)
    # sources by name, not a bare identifier; the curators' names say so; a long title once per cell
    assert "Analysis: Central and South Asia in the SCO after the 2024 Astana summit" in p.text
    assert "curators' name" in p.text
    title = "The Shanghai Cooperation Organization (SCO): An evolving platform that should not be overlooked"
    for cell in re.findall(r'<td data-label="References">.*?</td>', html, flags=re.S):
        assert cell.count(title) <= 1


def test_disputed_badge_only_on_rows_in_a_disagreement(site):
    html = site.request("/id/sco", accept="text/html")[2].decode()
    claims = set(re.findall(r'href="(/fact/[^"#]+)"', "".join(
        re.findall(r'<section class="disagreement".*?</section>', html, flags=re.S))))
    rows = re.findall(r"<tr( class=\"disputed\")?>(.*?)</tr>", html, flags=re.S)
    facts = [(cls, body, re.search(r'href="(/fact/[^"#]+)" class="factlink"', body)) for cls, body in rows]
    facts = [(cls, body, m.group(1)) for cls, body, m in facts if m]
    assert any(f in claims for _, _, f in facts) and any(f not in claims for _, _, f in facts)
    for cls, body, fact in facts:
        assert body.count('class="badge disputed"') <= 1  # one badge, however many disagreements
        if fact not in claims:
            assert not cls and "badge disputed" not in body, fact


def test_expected_attendance_is_listed_apart(site):
    html = site.request("/id/astana-summit-2024", accept="text/html")[2].decode()
    attended, expected = section(html, "kind-Attendance"), section(html, "kind-Attendance-unreported")
    assert "Who attended" in attended and "/id/xi-jinping" in attended
    assert local(EXPECTED_GUEST) not in attended  # never shown as having happened
    assert local(EXPECTED_GUEST) in expected and "not reported" in expected
    assert "/source/002_694e076b4a465653" in expected  # with its source
    guest = site.request(local(EXPECTED_GUEST), accept="text/html")[2].decode()
    assert 'id="kind-Attendance"' not in guest and 'id="kind-Attendance-unreported"' in guest


def test_fact_page_shows_each_quotes_factuality(site):
    p = page(site, local(EXPECTED_FACT))
    assert EXPECTED_QUOTE in p.marks
    assert any(a.get("class") == "badge factuality expected" for a in p.find("span"))
    assert "no source reports it as having happened" in p.text
    q = page(site, "/id/belarus")
    assert any(a.get("class") == "badge factuality reported" for a in q.find("span"))


def test_a_quote_in_its_own_quote_marks_is_not_shown_in_doubled_marks(site, release):
    """<q> adds the page's quote marks: a source's own double marks at a quote's ends are left to them."""
    found = rows(release, """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?fact ?exact WHERE { ?ev oa:hasBody ?fact ; oa:hasTarget/oa:hasSelector/oa:exact ?exact .
  FILTER(STRSTARTS(?exact, "\u201c") && STRENDS(?exact, "\u201d")) } ORDER BY ?exact LIMIT 1""")
    assert found, "the shipped sources hold quotes in their own quote marks"
    fact, exact = found[0]["fact"].value, found[0]["exact"].value
    html = site.request(local(fact), accept="text/html")[2].decode()
    shown = [re.sub(r"<[^>]+>", "", q) for q in re.findall(r'<q class="quote">(.*?)</q>', html, flags=re.S)]
    assert exact[1:-1] in shown
    assert not any(q.startswith(("\u201c", '"')) or q.endswith(("\u201d", '"')) for q in shown), shown
    assert exact in Page(html).marks  # the quote in its context keeps the source's marks


def test_only_double_quote_marks_at_a_quotes_ends_are_left_to_the_page():
    from server.web.page_model import inside_marks
    assert inside_marks("\u201cThe SCO is inclusive,\u201d said Dr. Shuja") == "The SCO is inclusive,\u201d said Dr. Shuja"
    assert inside_marks("known as the \u201cShanghai Five\u201d") == "known as the \u201cShanghai Five"
    assert inside_marks('"a talk shop"') == "a talk shop"
    assert inside_marks("\u2018C5 plus one\u2019 dialogues") == "\u2018C5 plus one\u2019 dialogues"  # nests in “ ”
    assert inside_marks("the members\u2019") == "the members\u2019"  # an apostrophe
    assert inside_marks("Beta joined the Org.") == "Beta joined the Org."


def test_query_page_shares_results_without_script(site):
    from server.web.query_form import PROLOGUE  # the page's editors start with these lines
    query = PROLOGUE + "SELECT ?state ?label WHERE { ?state a sco:State ; rdfs:label ?label } ORDER BY ?label"
    from urllib.parse import quote
    status, _, body = site.request(f"/query?run=1&query={quote(query)}", accept="text/html")
    assert status == 200
    p = Page(body.decode())
    assert p.find("table", **{"class": "results"})
    assert "/id/belarus" in p.hrefs() and "Belarus" in p.text
    assert "@en" not in p.text and "^^" not in p.text and "xsd:string" not in p.text
    assert p.find("textarea", name="query")
    assert query in body.decode().replace("&lt;", "<").replace("&gt;", ">")
    status, _, body = site.request(f"/query?run=1&query={quote('SELECT ?x WHERE {')}", accept="text/html")
    assert status == 400 and "Malformed query" in Page(body.decode()).text
    status, _, body = site.request(f"/query?run=1&query={quote('ASK { ?s ?p ?o }')}", accept="text/html")
    assert status == 200 and "Yes (true)" in Page(body.decode()).text
    status, _, body = site.request("/query?run=1&query=" +
                                   quote("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"), accept="text/html")
    assert status == 403


def test_pages_need_no_inline_script_or_style(site):
    for path in ("/", "/id/sco", "/query", "/search?q=sco", "/source/000_e80a9174165847db", "/dumps"):
        html = site.request(path, accept="text/html")[2].decode()
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
            assert "src=" in attrs or 'type="application/' in attrs, (path, attrs, body[:80])
        assert not re.search(r"\son[a-z]+=", html), path
        assert 'style="' not in html, path


def test_gzip_and_favicon(site):
    import gzip
    _, headers, raw = site.request("/id/sco", headers={"Accept-Encoding": "gzip"}, accept="text/html")
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(raw)
    assert len(raw) < len(html) / 4 and b"Shanghai Cooperation Organization" in html
    status, headers, body = site.request("/id/sco", accept="text/html")
    assert "Content-Encoding" not in headers  # only when accepted
    status, headers, body = site.request("/favicon.ico")
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml") and b"<svg" in body
    assert Page(site.request("/", accept="text/html")[2].decode()).find("link", rel="icon")


def test_timeline_draws_unknown_ends_as_unknown(site):
    html = site.request("/id/sco", accept="text/html")[2].decode()
    svg = re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", html, flags=re.S).group(0)
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    ends = re.findall(r'<g class="unknown-end"><title>([^<]*)</title>(.*?)</g>', svg, flags=re.S)
    assert ends and all("end not stated" in t and ">?</text>" in g for t, g in ends)
    # India: observer from 2005 ends where the membership that replaced it begins (2017), drawn as derived
    derived = re.findall(r'<g class="derived-end"><title>([^<]*)</title>', svg)
    assert any(t.startswith("India: observer") and "end derived" in t for t in derived), derived
    bars = {}
    for title, inner in re.findall(r'<g class="(?:unknown|derived)-end"><title>([^<]*)</title>(.*?)</g>', svg, flags=re.S):
        rects = [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)"[^>]*?width="([\d.]+)"', inner)]
        bars[title.split(",")[0]] = (rects[0][0], rects[-1][0] + rects[-1][1])
    for x, w, title in re.findall(r'<rect x="([\d.]+)"[^>]*?width="([\d.]+)"[^>]*><title>([^<]*)</title>', svg):
        bars[title.split(",")[0]] = (float(x), float(x) + float(w))
    observer = next(v for k, v in bars.items() if k.startswith("India: observer"))
    member = next(v for k, v in bars.items() if k.startswith("India: member"))
    assert observer[1] <= member[0] + 0.5 and member[1] <= width
