"""Entity pages as statements, in process: one row per fact node with its value, qualifiers, rank and
references (source, quote with factuality, cited work), compact; the timeline with one labelled row
per role and derived ends drawn as derived."""
import re

from flask import render_template_string

from server.web.page_model import SCO, Evidence, Fact, Term
from server.web.timeline_svg import timeline

ORG = "http://www.w3.org/ns/org#"
BASE = "https://w3id.org/sco-kg/"
SCO_ORG, INDIA, PAKISTAN = BASE + "id/sco", BASE + "id/india", BASE + "id/pakistan"


def fact(iri, kind, member, role, begin, end=None, derived_from=()):
    f = Fact(BASE + "fact/" + iri, kind=kind, begin=begin, end=end, end_derived_from=list(derived_from))
    f.props[ORG + "member"] = [Term(member, True, member.rsplit("/", 1)[-1].title())]
    f.props[ORG + "organization"] = [Term(SCO_ORG, True, "SCO")]
    if role:
        f.props[ORG + "role"] = [Term(SCO + role, True, re.sub("([A-Z])", r" \1", role).lower())]
    return f


def svg_of(facts) -> str:
    return timeline(SCO_ORG, facts, lambda iri: "/" + iri[len(BASE):])["svg"]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]+)</text>", svg)


def test_a_chair_has_its_own_labelled_row_and_does_not_end_membership():
    svg = svg_of([fact("m", "Membership", INDIA, "memberState", "2017"),
                  fact("c", "Chairmanship", INDIA, None, "2022", "2023")])
    assert "India · member state" in texts(svg) and "chair" in texts(svg)
    tail = re.search(r'<g class="unknown-end"><title>India: member state[^<]*</title>(.*?)</g>', svg).group(1)
    widths = [float(w) for w in re.findall(r'width="([\d.]+)"', tail)]
    # the open membership runs on past the chair's start (2022) to the axis end, not stopping there
    xs = [float(v) for v in re.findall(r'<rect x="([\d.]+)"', tail)]
    chair_x = float(re.search(r'<rect x="([\d.]+)"[^>]*fill="#000000"', svg).group(1))
    assert xs[1] + widths[1] > chair_x + 1


def test_a_derived_end_is_drawn_as_derived():
    later = BASE + "fact/member-2017"
    svg = svg_of([fact("o", "Membership", PAKISTAN, "observerState", "2005", "2017", derived_from=[later]),
                  fact("m", "Membership", PAKISTAN, "memberState", "2017")])
    derived = re.search(r'<g class="derived-end"><title>([^<]*)</title>(.*?)</g>', svg)
    assert derived and "end derived" in derived.group(1) and "observer state" in derived.group(1)
    assert 'stroke-dasharray' in derived.group(2)
    assert svg.count('<g class="unknown-end">') == 1  # only the open membership has a "?"


def test_a_stated_end_is_solid():
    svg = svg_of([fact("o", "Membership", PAKISTAN, "observerState", "2005", "2017")])
    assert "derived-end" not in svg and "unknown-end" not in svg


def test_rank_shows_preferred_and_deprecated(app):
    f = Fact(BASE + "fact/x")
    with app.test_request_context():
        def badge(rank):
            f.props[SCO + "rank"] = [Term(SCO + rank, True, rank)]
            return render_template_string('{% from "macros.html" import rank_badge with context %}{{ rank_badge(f) }}', f=f)
        assert "preferred" in badge("PreferredRank") and "deprecated" in badge("DeprecatedRank")
        assert badge("NormalRank").strip() == ""


def test_references_under_the_statement(app):
    f = Fact(BASE + "fact/x")
    src = BASE + "source/000_e80a9174165847db"
    f.sources = [src]
    f.evidence = [Evidence(BASE + "evidence/x/000-1", src, "000_e80a9174165847db", "the potential admission",
                           factuality=SCO + "Hedged", cites=[BASE + "id/work-x"])]
    with app.test_request_context():
        html = render_template_string('{% from "macros.html" import references with context %}{{ references(f, s) }}',
                                      f=f, s={src: {"name": "Analysis", "named_by_curators": False}})
    assert 'class="source-ref" title="Analysis">[1]</a>' in html
    assert "hedged" in html and "the potential admission" in html and 'href="/id/work-x"' in html
    assert 'href="/evidence/x/000-1"' in html


def test_entity_page_is_one_row_per_statement_and_compact(client):
    html = client.get("/id/sco", headers={"Accept": "text/html"}).text
    rows = re.findall(r'<tr[^>]*>.*?class="factlink"[^>]*>', html, re.S)
    facts = re.findall(r'<a href="(/fact/[^"]+)" class="factlink"', html)
    assert rows and len(facts) == len(set(facts))  # each fact node once
    assert "<blockquote" not in html  # a quote's context is on its own page, one click away
    members = re.search(r'<section id="kind-Membership".*?</section>', html, re.S).group(0)
    assert '<th scope="col">Organization</th>' not in members  # the page's own entity in every row: no column
    for header in re.findall(r'<th scope="col">([^<]+)</th>', html):
        assert header  # and no column is empty in every row (the "Status" column was)
    assert 'id="sources"' in html and "[1]" in html
    belarus = client.get("/id/belarus", headers={"Accept": "text/html"}).text
    assert "potential admission" in belarus and "hedged" in belarus
