"""Every SHACL rule refuses a graph that breaks it, naming the rule, the node and the curated file.

Each case starts from the real assembled graph and breaks one thing (the failing fixture), so
the shapes are tested against data of the shape they guard.
"""
import pytest
from rdflib import RDF, XSD, Literal, URIRef

from graph.build import BuildError, assemble
from graph.to_rdf import OA, ORG, PROV, SCO, TIME
from shapes.validate import validate_graph

SRC003 = URIRef("https://w3id.org/sco-kg/source/003_6f636e070bd0af7a")


@pytest.fixture(scope="module")
def assembled():
    return assemble()


def first(g, cls, where=lambda g, n: True):
    return sorted(n for n in g.subjects(RDF.type, cls) if where(g, n))[0]


def remove(prop):
    def mutate(g, node):
        g.remove((node, prop, None))
    return mutate


def put(prop, value):
    def mutate(g, node):
        g.set((node, prop, value))
    return mutate


def add(prop, value):
    def mutate(g, node):
        g.add((node, prop, value))
    return mutate


def selector(kind):
    return lambda g, ev: next(s for s in g.objects(g.value(ev, OA.hasTarget), OA.hasSelector)
                              if (s, RDF.type, kind) in g)


def on_selector(kind, mutate):
    def apply(g, ev):
        mutate(g, selector(kind)(g, ev))
    return apply


def shift_offsets(g, ev):
    p = selector(OA.TextPositionSelector)(g, ev)
    for prop in (OA.start, OA.end):
        g.set((p, prop, Literal(int(g.value(p, prop)) + 1)))


def instant_of(g, fact):
    return g.value(g.value(fact, ORG.memberDuring), TIME.hasBeginning)


def on_instant(mutate):
    def apply(g, fact):
        mutate(g, instant_of(g, fact))
    return apply


def end_before_begin(g, fact):
    interval, end = g.value(fact, ORG.memberDuring), URIRef(str(fact) + "#end")
    g.add((interval, TIME.hasEnd, end))
    g.add((end, RDF.type, TIME.Instant))
    g.add((end, TIME.inXSDgYear, Literal("1990", datatype=XSD.gYear)))


def two_sources(g, n):
    return len(set(g.objects(n, PROV.wasDerivedFrom))) > 1


def dated_membership(g, n):
    return g.value(n, ORG.memberDuring) is not None and g.value(instant_of(g, n), TIME.inXSDgYear) is not None


def not_from_003(g, n):
    return SRC003 not in set(g.objects(n, PROV.wasDerivedFrom))


def drop_one_source(g, fact):
    g.remove((fact, PROV.wasDerivedFrom, sorted(g.objects(fact, PROV.wasDerivedFrom))[0]))


def keep_one_claim(g, d):
    for claim in sorted(g.objects(d, SCO.claim))[1:]:
        g.remove((d, SCO.claim, claim))


def break_graph(g, target, where, mutate):
    """Apply one case's mutation to `g` in place; returns the node it broke."""
    node = target if isinstance(target, URIRef) and "/id/" in str(target) else first(g, target, where or (lambda g, n: True))
    mutate(g, node)
    return node


def reported(g, n):
    return g.value(n, SCO.reported) == Literal(True)


def cites_nothing(g, ev):
    return g.value(ev, SCO.citesWork) is None


def cite_a_work(g, ev):
    g.add((ev, SCO.citesWork, first(g, SCO.CitedWork)))


def label_of_another_fact(g, fact):
    other = next(f for f in sorted(g.subjects(RDF.type, SCO.Fact)) if f != fact)
    g.set((fact, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), g.value(other, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))))


ENTITY = URIRef("https://w3id.org/sco-kg/id/china")
# rule, class of the node to break (or a fixed node), selector, mutation
CASES = [
    ("EntityLabel", ENTITY, None, remove(URIRef("http://www.w3.org/2000/01/rdf-schema#label"))),
    ("WikidataLink", ENTITY, None, put(URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"), URIRef("http://example.org/Q148"))),
    ("FactProvenance", SCO.Membership, None, remove(SCO.evidence)),
    ("FactProvenance", SCO.Membership, None, remove(SCO.reported)),
    ("FactRank", SCO.Membership, None, remove(SCO.rank)),
    ("FactRank", SCO.Membership, None, add(SCO.rank, SCO.DeprecatedRank)),
    ("FactRank", SCO.Membership, None, put(SCO.rank, SCO.memberState)),
    ("Factuality", SCO.Evidence, None, remove(SCO.factuality)),
    ("Factuality", SCO.Evidence, None, add(SCO.factuality, SCO.Expected)),
    ("Factuality", SCO.Evidence, None, put(SCO.factuality, SCO.memberState)),
    ("Reported", SCO.Fact, reported, put(SCO.reported, Literal(False))),
    ("CitationHasMarker", SCO.Evidence, cites_nothing, cite_a_work),
    ("UniqueFactLabel", SCO.Fact, None, label_of_another_fact),
    ("EvidencePerSource", SCO.Membership, not_from_003, add(PROV.wasDerivedFrom, SRC003)),
    ("EvidenceCitedSource", SCO.Fact, two_sources, drop_one_source),
    ("EvidenceStructure", SCO.Evidence, None, remove(OA.hasBody)),
    ("QuoteSelector", SCO.Evidence, None, on_selector(OA.TextQuoteSelector, remove(OA.exact))),
    ("PositionSelector", SCO.Evidence, None, on_selector(OA.TextPositionSelector, put(OA.start, Literal(10**6)))),
    ("QuoteInSource", SCO.Evidence, None, on_selector(OA.TextQuoteSelector, put(OA.exact, Literal("a sentence no source contains")))),
    ("OffsetsSelectQuote", SCO.Evidence, None, shift_offsets),
    ("Instant", SCO.Membership, dated_membership, on_instant(add(TIME.inXSDgYearMonth, Literal("2001-06", datatype=XSD.gYearMonth)))),
    ("YearFormat", SCO.Membership, dated_membership, on_instant(put(TIME.inXSDgYear, Literal("17", datatype=XSD.gYear)))),
    ("YearMonthFormat", SCO.Membership, dated_membership, on_instant(lambda g, i: (g.remove((i, TIME.inXSDgYear, None)), g.add((i, TIME.inXSDgYearMonth, Literal("2017-13", datatype=XSD.gYearMonth)))))),
    ("DateFormat", SCO.Membership, dated_membership, on_instant(lambda g, i: (g.remove((i, TIME.inXSDgYear, None)), g.add((i, TIME.inXSDDate, Literal("2017-6-1", datatype=XSD.date)))))),
    ("BeginNotAfterEnd", SCO.Membership, dated_membership, end_before_begin),
    ("FactProvenance", SCO.Membership, dated_membership, add(SCO.endYear, Literal(1990))),
    ("Membership", SCO.Membership, None, put(ORG.role, SCO.someInventedRole)),
    ("Chairmanship", SCO.Chairmanship, None, put(ORG.role, SCO.memberState)),
    ("PostHolding", SCO.PostHolding, None, remove(SCO.holder)),
    ("AttendanceOrAbsence", SCO.Attendance, None, remove(SCO.event)),
    ("ChangeEvent", SCO.Founding, None, remove(ORG.resultingOrganization)),
    ("Succession", SCO.Succession, None, remove(ORG.originalOrganization)),
    ("EventFact", SCO.EventOccurrence, None, remove(SCO.event)),
    ("Participation", SCO.Participation, None, remove(SCO.tookPart)),
    ("DocumentAdoption", SCO.DocumentAdoption, None, remove(SCO.document)),
    ("StatedFigure", SCO.StatedFigure, None, add(SCO.value, Literal("another value"))),
    ("BodyPlacement", SCO.BodyPlacement, None, remove(SCO.parent)),
    ("Response", SCO.Response, None, remove(SCO.responded)),
    ("Candidacy", SCO.MembershipInterest, None, remove(SCO.targetOrganization)),
    ("Citation", SCO.Citation, None, remove(SCO.work)),
    ("Relation", SCO.Relation, None, remove(SCO.relationType)),
    ("SourceDocument", SCO.SourceDocument, None, remove(SCO.sha256)),
    ("Disagreement", SCO.Disagreement, None, keep_one_claim),
]


def test_real_graph_conforms(assembled):
    conforms, report = validate_graph(assembled.ontology + assembled.data + assembled.sources, assembled.origins)
    assert conforms, report


def test_every_rule_has_a_failing_case():
    from shapes.validate import SH, shapes_graph
    rules = {str(s).rsplit("#", 1)[1] for s in shapes_graph().subjects(RDF.type, SH.NodeShape) if "#" in str(s)}
    assert rules == {rule for rule, *_ in CASES}


@pytest.mark.parametrize("rule,target,where,mutate", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_refuses_broken_graph(assembled, rule, target, where, mutate):
    g = assembled.ontology + assembled.data + assembled.sources
    node = break_graph(g, target, where, mutate)
    conforms, report = validate_graph(g, assembled.origins)
    assert not conforms
    lines = [l for l in report.splitlines() if l.startswith(f"rule {rule} ")]
    assert lines, report
    block = report.split(lines[0], 1)[1].split("\nrule ", 1)[0]
    expected_file = sorted(assembled.origins[URIRef(str(node).split("#")[0])])[0]
    assert str(node).split("#")[0] in block and expected_file in block, block


def test_build_refuses_and_keeps_previous_release(tmp_path, monkeypatch):
    """A graph breaking a shape stops the build with the per-rule report; the old release stays."""
    import graph.build as build_module
    from graph.build import build
    dist = tmp_path / "dist"
    build(dist, reasoner=False)
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    real = build_module.RdfBuilder.build

    def broken(self):
        g = real(self)
        g.remove((ENTITY, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
        return g
    monkeypatch.setattr(build_module.RdfBuilder, "build", broken)
    with pytest.raises(BuildError) as e:
        build(dist, reasoner=False)
    assert "rule EntityLabel" in str(e.value) and str(ENTITY) in str(e.value) and "core.yaml" in str(e.value)
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
