"""The factuality and citation rules, one test each on a small curated tree: factuality on every quote, citations only
through footnote markers, no past post holder as current, one sentence (label) per fact.

Each tree is built with the real build (anchoring, SHACL) into a temporary folder.
"""
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef

from graph import QUERIES_DIR
from graph.build import BuildError, build
from graph.footnotes import markers
from graph.to_rdf import RDFS, SCO, TIME

SID = "999_00000000000000aa"
TEXT = ("Alpha will join the Org in 2030. Alpha joined the Org in 2001.¹ Beta joined the Org in 2003.\n"
        "The then Alpha president Ann said: \u201cthe Org works\u201d. Bob is Alpha's president.\n"
        "Carl was Beta's president until May 2020.\n\n"
        "\u00b9 Smith, Org History.\n")
ENTITIES = """alpha: {type: State, label: Alpha}
beta: {type: State, label: Beta}
org: {type: IntergovernmentalOrganization, label: Org}
ann: {type: Person, label: Ann}
bob: {type: Person, label: Bob}
carl: {type: Person, label: Carl}
president-of-alpha: {type: Post, label: President of Alpha, post_in: alpha}
president-of-beta: {type: Post, label: President of Beta, post_in: beta}
work-smith: {type: CitedWork, label: Org History}
"""
CITATION = """  - kind: Citation
    work: work-smith
    footnote: [1]
    quotes: ["\u00b9 Smith, Org History."]
"""


def tree(tmp_path: Path, facts: str) -> Path:
    d = tmp_path / "curated"
    for sub in ("sources", "entities", "facts"):
        (d / sub).mkdir(parents=True)
    (d / "sources" / f"{SID}.txt").write_text(TEXT, encoding="utf-8")
    (d / "entities" / "e.yaml").write_text(ENTITIES)
    (d / "facts" / f"{SID}.yaml").write_text(f"source: {SID}\nfacts:\n{facts}")
    return d


def built(tmp_path: Path, facts: str) -> Dataset:
    out = tmp_path / "dist"
    build(out, reasoner=False, graph_dir=tree(tmp_path, facts))
    ds = Dataset(default_union=True)
    ds.parse(out / "sco-kg.trig", format="trig")
    return ds


def refused(tmp_path: Path, facts: str) -> str:
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=tree(tmp_path, facts))
    return str(e.value)


def alpha_joined(quotes: str, year="2001") -> str:
    return (f"  - kind: Membership\n    member: alpha\n    organization: org\n    role: member-state\n"
            f"    from: \"{year}\"\n    quotes:\n{quotes}")


def fact_node(ds: Dataset, path: str) -> URIRef:
    return URIRef("https://w3id.org/sco-kg/fact/" + path)


# ---------------------------------------------------------------- factuality

def test_every_quote_gets_one_factuality_reported_by_default(tmp_path):
    ds = built(tmp_path, alpha_joined('      - "Alpha joined the Org in 2001."\n') + alpha_joined(
        '      - {exact: "Alpha will join the Org in 2030.", factuality: expected}\n', year="2030"))
    reported = fact_node(ds, "membership/alpha/org/member-state/2001")
    expected = fact_node(ds, "membership/alpha/org/member-state/2030")
    assert {ds.value(ev, SCO.factuality) for ev in ds.objects(reported, SCO.evidence)} == {SCO.Reported}
    assert {ds.value(ev, SCO.factuality) for ev in ds.objects(expected, SCO.evidence)} == {SCO.Expected}
    assert ds.value(reported, SCO.reported) == Literal(True) and ds.value(expected, SCO.reported) == Literal(False)
    # A fact no quote reports is never labelled as having happened.
    assert str(ds.value(expected, RDFS.label)).startswith("Expected: Alpha became a member state of the Org")


@pytest.mark.parametrize("quote,message", [
    ('{exact: "Alpha joined the Org in 2001.", factuality: rumoured}', "factuality must be one of reported, expected, hedged"),
    ('{exact: "Alpha joined the Org in 2001.", certainty: high}', "unknown keys ['certainty']"),
])
def test_a_quote_with_a_wrong_factuality_is_refused(tmp_path, quote, message):
    assert message in refused(tmp_path, alpha_joined(f"      - {quote}\n"))


# ---------------------------------------------------------------- citations

def test_markers_inside_or_directly_after_the_quote():
    text = "It grew.\u00b3\u2074 It shrank.\u2075\n\u2075 Note text."
    grew = text.index("It grew")
    assert markers(text, grew, grew + len("It grew")) == ["34"]           # past the full stop
    assert markers(text, grew, grew + len("It grew.\u00b3\u2074")) == ["34"]  # inside
    shrank = text.index("It shrank")
    assert markers(text, grew, shrank + len("It shrank")) == ["34", "5"]
    label = text.index("\u2075 Note")
    assert markers(text, label, len(text)) == []                          # a footnote's own label
    assert markers(text, shrank, shrank + len("It")) == []                # marker not directly after


def test_a_quote_cites_a_work_only_through_its_footnote_marker(tmp_path):
    ds = built(tmp_path, CITATION + alpha_joined('      - "Alpha joined the Org in 2001"\n') + """  - kind: Membership
    member: beta
    organization: org
    role: member-state
    from: "2003"
    quotes: ["Beta joined the Org in 2003."]
""")
    work = URIRef("https://w3id.org/sco-kg/id/work-smith")
    cited = {ds.value(ev, URIRef("http://www.w3.org/ns/oa#hasBody")) for ev in ds.subjects(SCO.citesWork, work)}
    assert cited == {fact_node(ds, "membership/alpha/org/member-state")}


def test_fact_level_cites_is_refused(tmp_path):
    facts = CITATION + alpha_joined('      - "Alpha joined the Org in 2001"\n') + "    cites: [work-smith]\n"
    assert "'cites' is no longer curated" in refused(tmp_path, facts)


# ---------------------------------------------------------------- when

HOLDINGS = """  - kind: PostHolding
    holder: ann
    post: president-of-alpha
    ended: true
    quotes: ["The then Alpha president Ann"]
  - kind: PostHolding
    holder: bob
    post: president-of-alpha
    quotes: ["Bob is Alpha's president."]
  - kind: PostHolding
    holder: carl
    post: president-of-beta
    until: "2020-05"
    quotes: ["Carl was Beta's president until May 2020."]
"""


def test_no_past_holder_is_returned_as_current(tmp_path):
    built(tmp_path, HOLDINGS)
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "dist" / "sco-kg.nq"), format=ox.RdfFormat.N_QUADS)
    result = store.query((QUERIES_DIR / "current-post-holders.rq").read_text(), use_default_graph_as_union=True)
    assert {s["holderLabel"].value for s in result} == {"Bob"}


def test_until_and_ended_give_the_end_the_source_gives(tmp_path):
    ds = built(tmp_path, HOLDINGS)
    carl = fact_node(ds, "postholding/carl/president-of-beta")
    end = ds.value(ds.value(carl, SCO.during), TIME.hasEnd)
    assert str(ds.value(end, TIME.inXSDgYearMonth)) == "2020-05"
    ann = fact_node(ds, "postholding/ann/president-of-alpha")
    undated = ds.value(ds.value(ann, SCO.during), TIME.hasEnd)
    assert set(ds.objects(undated, None)) == {TIME.Instant, SCO.UndatedInstant}
    assert str(ds.value(ann, RDFS.label)) == "Ann was President of Alpha (in the past; the source gives no end date)"


def test_leadership_is_the_holding_of_the_post_leader_of_the_state(tmp_path):
    ds = built(tmp_path, """  - kind: Leadership
    leader: bob
    state: alpha
    quotes: ["Bob is Alpha's president."]
""")
    holding = fact_node(ds, "postholding/bob/leader-of-alpha")
    post = ds.value(holding, SCO.post)
    assert str(ds.value(post, RDFS.label)) == "leader of Alpha"
    assert (post, URIRef("http://www.w3.org/ns/org#postIn"), URIRef("https://w3id.org/sco-kg/id/alpha")) in ds
    assert (post, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SCO.LeaderPost) in ds


# ---------------------------------------------------------------- sentences

def test_two_facts_with_one_sentence_are_refused(tmp_path):
    # Two statements (one says the holding is not acting, the other says nothing of it) with one sentence.
    holding = "  - kind: PostHolding\n    holder: bob\n    post: president-of-alpha\n{more}    quotes: [\"Bob is Alpha's president.\"]\n"
    report = refused(tmp_path, holding.format(more="") + holding.format(more="    acting: false\n"))
    assert "its sentence is the same as that of" in report and "fact #2 (PostHolding)" in report


def test_quoted_words_must_be_in_the_quote(tmp_path):
    quotation = ("  - kind: Quotation\n    speaker: ann\n    about: [org]\n    words: \"{words}\"\n"
                 "    quotes: [\"said: \u201cthe Org works\u201d\"]\n")
    built(tmp_path, quotation.format(words="the Org works"))
    assert "field 'words' value 'the Org fails' is not word for word" in refused(
        tmp_path / "again", quotation.format(words="the Org fails"))
