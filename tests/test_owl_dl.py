"""The release's .owl file is OWL 2 DL: every instant's date as an OWL-Time description, the dumps unchanged."""
import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from graph.release import FILES
from ontology.owl_dl import GREGORIAN, NON_DL_DATES, POSITIONS, TIME, NotADate, date_description, owl_dl
from ontology.reasoner import check_consistency

INSTANT = URIRef("https://w3id.org/sco-kg/fact/x#start")


def describe(value: str) -> dict:
    g = Graph()
    node = date_description(g, value)
    return {p: o for p, o in g.predicate_objects(node)}


@pytest.mark.parametrize("value, unit, parts", [
    ("2001", TIME.unitYear, {TIME.year: 2001}),
    ("2017-06", TIME.unitMonth, {TIME.year: 2017, TIME.month: 6}),
    ("2024-07-04", TIME.unitDay, {TIME.year: 2024, TIME.month: 7, TIME.day: 4}),
])
def test_a_date_is_described_at_its_precision_with_integers(value, unit, parts):
    d = describe(value)
    assert d.pop(RDF.type) == TIME.GeneralDateTimeDescription
    assert d.pop(TIME.hasTRS) == GREGORIAN
    assert d.pop(TIME.unitType) == unit
    assert d == {p: Literal(n) for p, n in parts.items()}
    assert all(o.datatype == XSD.integer for o in d.values())


@pytest.mark.parametrize("value", ["", "17", "2017-6", "2017-06-04T10:00:00", "June 2017"])
def test_a_malformed_date_is_refused(value):
    with pytest.raises(NotADate):
        describe(value)


def test_owl_dl_replaces_positions_and_other_date_literals():
    record = URIRef("https://w3id.org/sco-kg/fact/r")
    accessed = URIRef("https://w3id.org/sco-kg/ontology#accessed")
    g = Graph()
    g.add((INSTANT, TIME.inXSDgYearMonth, Literal("2017-06", datatype=XSD.gYearMonth)))
    g.add((record, accessed, Literal("2024-05-01", datatype=XSD.date)))
    g.add((TIME.inXSDgYear, URIRef("http://www.w3.org/2000/01/rdf-schema#range"), XSD.gYear))
    out = owl_dl(g)
    node = out.value(INSTANT, TIME.inDateTime)
    assert out.value(node, TIME.unitType) == TIME.unitMonth and out.value(node, TIME.month) == Literal(6)
    assert out.value(record, accessed) == Literal("2024-05-01")
    assert not [o for o in out.objects() if o in NON_DL_DATES or getattr(o, "datatype", None) in NON_DL_DATES]


@pytest.fixture(scope="module")
def owl_graph(release) -> Graph:
    return Graph().parse(release / FILES["owl"], format="xml")


def test_every_dated_instant_of_the_dumps_has_the_same_date_in_the_owl_file(release, owl_graph):
    """The dumps keep time:inXSDgYear and friends; the .owl file says the same dates another way."""
    dump = Graph().parse(release / FILES["turtle"])
    positions = [(s, o) for p in POSITIONS for s, o in dump.subject_objects(p)]
    assert {p for p in POSITIONS if (None, p, None) in dump} == set(POSITIONS)
    for instant, literal in positions:
        node = owl_graph.value(instant, TIME.inDateTime)
        written = "-".join(f"{int(owl_graph.value(node, p)):0{w}d}"
                           for p, w in ((TIME.year, 4), (TIME.month, 2), (TIME.day, 2))
                           if owl_graph.value(node, p) is not None)
        assert written == str(literal), instant
    assert not any((None, p, None) in owl_graph for p in POSITIONS)


def test_strict_hermit_refuses_a_gyear_literal(owl_graph, tmp_path):
    """The check is strict: a literal outside the OWL 2 datatype map fails it, with HermiT's reason."""
    bad = Graph() + owl_graph
    bad.add((INSTANT, TIME.inXSDgYear, Literal("2001", datatype=XSD.gYear)))
    bad.serialize(tmp_path / "bad.owl", format="xml")
    result = check_consistency(tmp_path / "bad.owl")
    assert not result.consistent and "not part of the OWL 2 datatype map" in result.detail
