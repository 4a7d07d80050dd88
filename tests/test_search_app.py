"""/search, in process: labels and alternative names, folded for case and accents, ranked; JSON in
Wikidata's wbsearchentities shape for programs, HTML for browsers; odd queries answered plainly.

The search index is the app's (create_app on the session's release, Flask's test client); each engine's
answers are compared with the embedded store's in tests/test_backend_pages.py.
"""
import json
import urllib.parse

import pytest

from support_pages import BASE, Page, site  # noqa: F401  (fixture)


def search(site, q: str, accept="application/json", **params):
    query = urllib.parse.urlencode({"q": q, **params})
    return site.request(f"/search?{query}", accept=accept)


def hits(site, q: str) -> list[dict]:
    status, headers, body = search(site, q)
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["searchinfo"] == {"search": q} and data["success"] == 1
    return data["search"]


def test_belarus_comes_first_with_wikidata_fields(site):
    found = hits(site, "belarus")
    first = found[0]
    assert first["id"] == "belarus" and first["label"] == "Belarus"
    assert first["concepturi"] == BASE + "id/belarus" and first["url"] == "/id/belarus"
    assert first["match"] == {"type": "label", "language": "en", "text": "Belarus"}
    assert "State" in first["description"]


@pytest.mark.parametrize("q", ["turkiye", "TÜRKIYE", "Türkiye", "türki"])
def test_alternative_names_without_case_or_accents(site, q):
    first = hits(site, q)[0]
    assert first["concepturi"] == BASE + "id/turkey"
    assert first["match"]["type"] == "alias" and first["match"]["text"] == "Türkiye"
    assert hits(site, "türk")[0]["concepturi"] == BASE + "id/turkey"  # the label "Turkey" too


def test_ranking_exact_before_prefix_before_substring(site):
    ids = [h["id"] for h in hits(site, "sco")]
    assert ids[0] == "sco"  # the alternative name "SCO" is exact
    ids = [h["id"] for h in hits(site, "modi")]
    assert ids[0] == "narendra-modi"  # a word of the label starts with it; no label is exactly "modi"
    assert len(ids) == len(set(ids))  # one hit per entity


def test_facts_and_evidence_are_not_search_results(site):
    for h in hits(site, "member"):
        assert "/fact/" not in h["concepturi"] and "evidence" not in h["concepturi"]


def test_html_for_browsers_with_the_box_on_every_page(site):
    status, headers, body = search(site, "turkiye", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    p = Page(body.decode())
    assert "/id/turkey" in p.hrefs()
    assert p.find("input", name="q", value="turkiye")
    for path in ("/", "/id/sco", "/query", "/dumps", "/ontology"):
        p = Page(site.request(path, accept="text/html")[2].decode())
        assert p.find("form", action="/search"), path


@pytest.mark.parametrize("q", ["", "   ", "x" * 5000, "\u0000", "((", "🙂", "%"])
def test_odd_queries_answer_plainly(site, q):
    status, _, body = search(site, q)
    assert status == 200
    assert isinstance(json.loads(body)["search"], list)


def test_search_not_acceptable(site):
    status, headers, _ = search(site, "belarus", "image/png")
    assert status == 406 and "Accept" in headers["Vary"]


def test_evidence_search_finds_the_quote(site):
    status, _, body = search(site, "potential admission")
    found = json.loads(body)["evidence"]
    assert status == 200 and found and "potential admission" in found[0]["quote"]
