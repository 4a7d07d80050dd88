"""One statement per fact with all its references, its rank, successions that close, periods read against the
source's date, attribution, and the direct view: each rule once, on small curated trees built by the real build."""
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF

from graph.build import BuildError, build
from graph.to_rdf import RDFS, SCO, TIME

S1, S2 = "991_00000000000000aa", "992_00000000000000bb"
TEXTS = {
    S1: ("Alpha became a member of the Org in July 2024. Beta was an observer of the Org from 2005. "
         "Beta joined the Org as a member in 2017. Ann attended the Org summit as Alpha's president. "
         "Some commentators argue that the Org is weak. Gamma may join the Org. Alpha chairs the Org this year. "
         "Ann is President of Alpha. Delta will join the Org in May 2024.\n"),
    S2: ("Alpha joined the Org in 2024. Ann attended the Org summit as head of state. Beta joined the Org in 2018. "
         "Delta joined the Org in 2024. Others say the Org admitted Gamma.\n"),
}
ENTITIES = """alpha: {type: State, label: Alpha}
beta: {type: State, label: Beta}
gamma: {type: State, label: Gamma}
delta: {type: State, label: Delta}
org: {type: IntergovernmentalOrganization, label: Org}
summit: {type: Summit, label: Org summit}
ann: {type: Person, label: Ann}
president-of-alpha: {type: Post, label: President of Alpha, post_in: alpha}
"""
WRITTEN = f"""{S1}: {{written: "2024-07", written_reason: "test"}}
{S2}: {{written: "2024", written_reason: "test"}}
"""


def member(who, role="member-state", date=None, quotes=(), ref=None):
    lines = [f"  - kind: Membership\n    member: {who}\n    organization: org\n    role: {role}\n"]
    if date:
        lines.append(f"    from: \"{date}\"\n")
    if ref:
        lines.append(f"    ref: {ref}\n")
    lines.append("    quotes:\n" + "".join(f"      - {q}\n" for q in quotes))
    return "".join(lines)


ATTENDANCE = "  - kind: Attendance\n    attendee: ann\n    event: summit\n    capacity: {cap}\n    quotes: [\"{q}\"]\n"
FACTS_1 = (member("alpha", date="2024-07", quotes=['"Alpha became a member of the Org in July 2024."'])
           + member("beta", role="observer-state", date="2005", quotes=['"Beta was an observer of the Org from 2005."'])
           + member("beta", date="2017", quotes=['"Beta joined the Org as a member in 2017."'], ref="beta-2017")
           + member("delta", date="2024-05", quotes=['{exact: "Delta will join the Org in May 2024.", factuality: expected}'])
           + ATTENDANCE.format(cap="Alpha's president", q="Ann attended the Org summit as Alpha's president.")
           + "  - kind: Claim\n    about: [org]\n    quotes:\n"
             "      - {exact: \"Some commentators argue that the Org is weak.\", factuality: attributed}\n"
           + member("gamma", quotes=['{exact: "Gamma may join the Org.", factuality: hedged}'], ref="gamma-may")
           + "  - kind: Chairmanship\n    chair: alpha\n    organization: org\n    period: this-year\n"
             "    quotes: [\"Alpha chairs the Org this year.\"]\n"
           + "  - kind: PostHolding\n    holder: ann\n    post: president-of-alpha\n    quotes: [\"Ann is President of Alpha.\"]\n")
FACTS_2 = (member("alpha", date="2024", quotes=['"Alpha joined the Org in 2024."'])
           + ATTENDANCE.format(cap="head of state", q="Ann attended the Org summit as head of state.")
           + member("beta", date="2018", quotes=['"Beta joined the Org in 2018."'], ref="beta-2018")
           + member("delta", date="2024", quotes=['"Delta joined the Org in 2024."'])
           + member("gamma", quotes=['{exact: "Others say the Org admitted Gamma.", factuality: attributed}'],
                    ref="gamma-others-say"))
DISAGREEMENTS = """- question: When did Beta join the Org?
  about: beta
  claims: ["991:beta-2017", "992:beta-2018"]
"""


def tree(tmp_path: Path, facts=(FACTS_1, FACTS_2), sources=WRITTEN, disagreements=DISAGREEMENTS) -> Path:
    d = tmp_path / "curated"
    for sub in ("sources", "entities", "facts"):
        (d / sub).mkdir(parents=True)
    for sid, text in TEXTS.items():
        (d / "sources" / f"{sid}.txt").write_text(text, encoding="utf-8")
    for sid, f in zip(TEXTS, facts):
        (d / "facts" / f"{sid}.yaml").write_text(f"source: {sid}\nfacts:\n{f}")
    (d / "entities" / "e.yaml").write_text(ENTITIES)
    (d / "sources.yaml").write_text(sources)
    (d / "disagreements.yaml").write_text(disagreements)
    return d


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Dataset:
    tmp = tmp_path_factory.mktemp("statements")
    build(tmp / "dist", reasoner=False, graph_dir=tree(tmp))
    return Dataset(default_union=True).parse(tmp / "dist" / "sco-kg.nq", format="nquads")


def node(path: str) -> URIRef:
    return URIRef("https://w3id.org/sco-kg/fact/" + path)


def entity(slug: str) -> URIRef:
    return URIRef("https://w3id.org/sco-kg/id/" + slug)


def begin(ds, fact):
    interval = ds.value(fact, URIRef("http://www.w3.org/ns/org#memberDuring")) or ds.value(fact, SCO.during)
    return ds.value(interval, TIME.hasBeginning), ds.value(interval, TIME.hasEnd)


# ---------------------------------------------------------------- one statement, many references

def test_sources_giving_a_date_at_two_precisions_state_one_statement_with_the_precise_date(ds):
    alpha = node("membership/alpha/org/member-state")
    assert set(ds.objects(alpha, PROV.wasDerivedFrom)) == {
        URIRef(f"https://w3id.org/sco-kg/source/{s}") for s in (S1, S2)}
    assert len(set(ds.objects(alpha, SCO.evidence))) == 2
    start, _ = begin(ds, alpha)
    assert str(ds.value(start, TIME.inXSDgYearMonth)) == "2024-07"


def test_the_date_comes_from_a_reporting_source_not_from_a_preview(ds):
    # S1 only expects Delta "in May 2024"; S2 reports "2024": one statement, dated as S2 reports it.
    delta = node("membership/delta/org/member-state")
    start, _ = begin(ds, delta)
    assert str(ds.value(start, TIME.inXSDgYear)) == "2024" and ds.value(start, TIME.inXSDgYearMonth) is None
    assert len(set(ds.objects(delta, PROV.wasDerivedFrom))) == 2


def test_free_text_is_not_identity(ds):
    ann = node("attendance/ann/summit")
    assert len(set(ds.objects(ann, PROV.wasDerivedFrom))) == 2
    assert {str(c) for c in ds.objects(ann, SCO.capacity)} == {"Alpha's president", "head of state"}


def test_dates_that_cannot_both_be_true_are_two_competing_statements(ds):
    first, second = node("membership/beta/org/member-state/2017"), node("membership/beta/org/member-state/2018")
    disagreement = next(ds.subjects(SCO.claim, first))
    assert set(ds.objects(disagreement, SCO.claim)) == {first, second}


# ---------------------------------------------------------------- attribution

def test_attributed_is_a_fourth_factuality_and_never_reads_possibly(ds):
    claim = next(s for s in ds.subjects(RDF.type, SCO.Claim) if "commentators" in str(ds.value(s, RDFS.label)))
    assert str(ds.value(claim, RDFS.label)).startswith("991 reports that others say about the Org: “Some commentators")
    assert {ds.value(ev, SCO.factuality) for ev in ds.objects(claim, SCO.evidence)} == {SCO.Attributed}
    assert ds.value(claim, SCO.reported) == Literal(False)
    labels = [str(o) for o in ds.objects(None, RDFS.label)]
    assert not any("Possibly: 99" in label for label in labels)


# ---------------------------------------------------------------- ranks

def test_every_fact_has_exactly_one_rank(ds):
    facts = set(ds.subjects(RDF.type, SCO.Fact))
    assert facts and all(len(set(ds.objects(f, SCO.rank))) == 1 for f in facts)


@pytest.mark.parametrize("path,rank", [
    ("membership/alpha/org/member-state", SCO.PreferredRank),          # reported, holds, uncontested
    ("membership/beta/org/observer-state", SCO.NormalRank),           # ended by Beta's membership
    ("membership/beta/org/member-state/2017", SCO.NormalRank),        # contested by a reported 2018
    ("membership/gamma/org/member-state", SCO.NormalRank),            # only hedged and attributed
    ("chairmanship/alpha/org", SCO.PreferredRank),                    # this year, at the latest source date
])
def test_ranks_follow_the_documented_rules(ds, path, rank):
    assert ds.value(node(path), SCO.rank) == rank


def test_an_unreported_claim_against_a_reported_one_is_deprecated(tmp_path):
    disagreements = DISAGREEMENTS + """- question: Is Gamma a member?
  about: gamma
  claims: ["991:gamma-may", "992:beta-2018"]
"""
    build(tmp_path / "dist", reasoner=False, graph_dir=tree(tmp_path, disagreements=disagreements))
    ds = Dataset(default_union=True).parse(tmp_path / "dist" / "sco-kg.nq", format="nquads")
    assert ds.value(node("membership/gamma/org/member-state"), SCO.rank) == SCO.DeprecatedRank


# ---------------------------------------------------------------- successions and periods

def test_a_role_replaced_by_a_later_one_ends_where_it_begins_marked_as_derived(ds):
    observer = node("membership/beta/org/observer-state")
    _, end = begin(ds, observer)
    assert (end, RDF.type, SCO.DerivedInstant) in ds
    later = ds.value(end, SCO.derivedFrom)
    assert later == node("membership/beta/org/member-state/2017")
    assert str(ds.value(end, TIME.inXSDgYear)) == "2017"
    # Never a source's claim: no evidence annotation targets the derived end.
    assert not set(ds.subjects(None, end)) - {ds.value(observer, URIRef("http://www.w3.org/ns/org#memberDuring"))}


def test_this_year_is_a_period_read_against_the_source_date(ds):
    start, end = begin(ds, node("chairmanship/alpha/org"))
    assert str(ds.value(start, TIME.inXSDgYear)) == "2024" and str(ds.value(end, TIME.inXSDgYear)) == "2024"
    assert str(ds.value(node("chairmanship/alpha/org"), RDFS.label)) == "Alpha chairs the Org this year (2024)"


# ---------------------------------------------------------------- the direct view

def test_direct_view_holds_only_what_preferred_statements_say_now(ds):
    org = entity("org")
    assert set(ds.subjects(SCO.memberStateOf, org)) == {entity("alpha"), entity("delta")}
    assert set(ds.subjects(SCO.observerStateOf, org)) == set()      # Beta's observer status has ended
    assert set(ds.subjects(SCO.chairOf, org)) == {entity("alpha")}
    assert set(ds.objects(entity("ann"), SCO.leaderOf)) == {entity("alpha")}


# ---------------------------------------------------------------- refused

@pytest.mark.parametrize("facts,sources,disagreements,message", [
    (FACTS_1.replace("period: this-year", "period: someday"), WRITTEN, DISAGREEMENTS, "'period': must be one of"),
    (FACTS_1, "{}", DISAGREEMENTS, "has no 'written' date"),
    (FACTS_1.replace("period: this-year", "period: this-year\n    from: \"2024\""), WRITTEN, DISAGREEMENTS,
     "give either 'period' or 'from'/'until'"),
    (FACTS_1, WRITTEN.replace('"2024-07"', '"July"'), DISAGREEMENTS, "'written' is a date"),
])
def test_bad_periods_are_refused(tmp_path, facts, sources, disagreements, message):
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=tree(tmp_path, (facts, FACTS_2), sources, disagreements))
    assert message in str(e.value)


def test_a_disagreement_of_claims_that_are_one_statement_is_refused(tmp_path):
    agreeing = FACTS_2.replace('member("alpha"', "").replace(
        "  - kind: Membership\n    member: alpha\n    organization: org\n    role: member-state\n"
        "    from: \"2024\"\n", "  - kind: Membership\n    member: alpha\n    organization: org\n"
        "    role: member-state\n    from: \"2024\"\n    ref: alpha-2024\n")
    facts_1 = FACTS_1.replace("    from: \"2024-07\"\n", "    from: \"2024-07\"\n    ref: alpha-july\n")
    disagreements = DISAGREEMENTS + '- question: When did Alpha join?\n  about: alpha\n  claims: ["991:alpha-july", "992:alpha-2024"]\n'
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=tree(tmp_path, (facts_1, agreeing), WRITTEN, disagreements))
    assert "its claims are one statement" in str(e.value) and "sources that agree do not disagree" in str(e.value)


# ---------------------------------------------------------------- faithful sentences

FAITHFUL_TEXT = ("Putin met officials at a meeting of the Org in 2022. Then he called for peace. "
                 "The 10 members of the Org issued the statement. \u201cWhen it rains,\u201d wrote Ann, \u201cwe stay.\u201d\n")
FAITHFUL_ENTITIES = ENTITIES + """putin: {type: Person, label: Vladimir Putin}
meeting: {type: Meeting, label: 2022 Org meeting}
statement: {type: JointStatement, label: the statement}
"""


def faithful_tree(tmp_path, facts):
    d = tree(tmp_path, disagreements="[]\n")
    (d / "sources" / f"{S1}.txt").write_text(FAITHFUL_TEXT, encoding="utf-8")
    (d / "sources" / f"{S2}.txt").unlink()
    (d / "facts" / f"{S2}.yaml").unlink()
    (d / "entities" / "e.yaml").write_text(FAITHFUL_ENTITIES)
    (d / "facts" / f"{S1}.yaml").write_text(f"source: {S1}\nfacts:\n{facts}")
    (d / "sources.yaml").write_text("{}\n")
    return d


@pytest.mark.parametrize("facts,message", [
    ("  - kind: Attendance\n    attendee: ann\n    event: meeting\n    quotes: [\"Then he called for peace.\"]\n",
     "its quotes name neither its event nor its participants (ann, meeting)"),
    ("  - kind: DocumentAdoption\n    document: statement\n    adopted_by: [org]\n"
     "    quotes: [\"The 10 members of the Org issued the statement.\"]\n",
     "its quotes name the members of org, not org itself"),
    ("  - kind: Quotation\n    speaker: ann\n    about: [org]\n    words: \"we stay.\"\n    verb: said\n"
     "    quotes: [\"\u201cWhen it rains,\u201d wrote Ann, \u201cwe stay.\u201d\"]\n",
     "field 'verb' value 'said' is not word for word"),
])
def test_unfaithful_facts_are_refused(tmp_path, facts, message):
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=faithful_tree(tmp_path, facts))
    assert message in str(e.value)


def test_a_quotation_keeps_its_condition_and_the_source_verb(tmp_path):
    facts = ("  - kind: Quotation\n    speaker: ann\n    about: [org]\n    words: \"we stay.\"\n    verb: wrote\n"
             "    condition: \"When it rains,\"\n    quotes: [\"\u201cWhen it rains,\u201d wrote Ann, \u201cwe stay.\u201d\"]\n"
             "  - kind: Attendance\n    attendee: putin\n    event: meeting\n"
             "    quotes: [\"Putin met officials at a meeting of the Org in 2022.\"]\n")
    build(tmp_path / "dist", reasoner=False, graph_dir=faithful_tree(tmp_path, facts))
    ds = Dataset(default_union=True).parse(tmp_path / "dist" / "sco-kg.nq", format="nquads")
    labels = {str(o) for s in ds.subjects(RDF.type, SCO.Quotation) for o in ds.objects(s, RDFS.label)}
    assert labels == {"Ann wrote about the Org: \u201cWhen it rains, \u2026 we stay.\u201d"}


def test_a_one_off_event_is_an_instant_not_an_open_interval(tmp_path):
    facts = ("  - kind: EventOccurrence\n    event: meeting\n    from: \"2022\"\n"
             "    quotes: [\"Putin met officials at a meeting of the Org in 2022.\"]\n")
    build(tmp_path / "dist", reasoner=False, graph_dir=faithful_tree(tmp_path, facts))
    ds = Dataset(default_union=True).parse(tmp_path / "dist" / "sco-kg.nq", format="nquads")
    event = node("eventoccurrence/meeting")
    when = ds.value(event, SCO.when)
    assert (when, RDF.type, TIME.Instant) in ds and str(ds.value(when, TIME.inXSDgYear)) == "2022"
    assert ds.value(event, SCO.during) is None
