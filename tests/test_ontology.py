"""The ontology: header, offline imports, quality report, HermiT consistency, a strict second reader."""
import xml.etree.ElementTree as ET

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from ontology import EDIT_FILE, IMPORTS_DIR, ONTOLOGY_DIR, ONTOLOGY_IRI, load_ontology
from ontology import quality
from ontology.reasoner import check_consistency

VANN = "http://purl.org/vocab/vann/"
SCO = "https://w3id.org/sco-kg/ontology#"


@pytest.fixture(scope="module")
def onto():
    return load_ontology()


@pytest.fixture(scope="module")
def data(release):
    return Graph().parse(release / "sco-kg.ttl")


def test_header_has_the_required_annotations():
    g = Graph().parse(EDIT_FILE)
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in g
    for prop in (OWL.versionIRI, DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator,
                 URIRef(VANN + "preferredNamespacePrefix"), URIRef(VANN + "preferredNamespaceUri")):
        assert g.value(o, prop) is not None, prop


def test_catalog_resolves_every_import_to_a_local_module():
    g = Graph().parse(EDIT_FILE)
    for module in IMPORTS_DIR.glob("*.ttl"):
        g += Graph().parse(module)
    imports = {str(i) for i in g.objects(None, OWL.imports)}
    ns = {"c": "urn:oasis:names:tc:entity:xmlns:xml:catalog"}
    catalog = {u.get("name"): u.get("uri") for u in ET.parse(ONTOLOGY_DIR / "catalog-v001.xml").findall("c:uri", ns)}
    assert imports and imports <= set(catalog)
    for iri in imports:
        module = Graph().parse(ONTOLOGY_DIR / catalog[iri])
        assert (URIRef(iri), RDF.type, OWL.Ontology) in module


def test_quality_report_is_clean(onto, data):
    assert quality.report(onto, data) == []


def test_quality_checks_catch_faults(onto):
    bad = Graph() + onto
    term = URIRef(SCO + "Broken")
    bad.add((term, RDF.type, OWL.Class))                                  # no label, no definition
    bad.add((URIRef(SCO + "Summit"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("State", lang="en")))
    bad.add((term, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), URIRef(SCO + "Undeclared")))
    data = Graph()
    data.add((URIRef("https://w3id.org/sco-kg/id/x"), URIRef(SCO + "notInTheOntology"), Literal(1)))
    found = {(check, str(t)) for check, t, _ in quality.report(bad, data)}
    assert ("label", SCO + "Broken") in found
    assert ("definition", SCO + "Broken") in found
    assert ("label", SCO + "Summit") in found                             # now two labels
    assert ("duplicate label", SCO + "State") in found
    assert ("undeclared", SCO + "Undeclared") in found
    assert ("used, not defined", SCO + "notInTheOntology") in found


def test_every_class_and_property_has_label_and_definition(onto):
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, kind):
            assert onto.value(term, SKOS.definition), term


def test_ontology_and_whole_graph_are_consistent_under_strict_hermit(release):
    """Strict, as Protégé runs HermiT (tests/test_owl_dl.py shows a non-DL literal fails it)."""
    result = check_consistency(release / "sco-kg.owl")
    assert result.consistent, result.detail


def test_hermit_catches_an_inconsistent_fixture(release, tmp_path):
    """A state that is also a person breaks the disjointness axioms: HermiT must say so."""
    g = Graph().parse(release / "sco-kg.owl", format="xml")
    g.add((URIRef("https://w3id.org/sco-kg/id/china"), RDF.type, URIRef(SCO + "Person")))
    bad = tmp_path / "inconsistent.owl"
    g.serialize(bad, format="xml")
    result = check_consistency(bad)
    assert not result.consistent and "inconsistent" in result.detail


def test_exactly_one_owl_file_in_the_release(release):
    assert [p.name for p in release.iterdir() if p.suffix == ".owl"] == ["sco-kg.owl"]


def test_release_loads_in_owlready2_with_our_classes(release):
    import owlready2
    world = owlready2.World()
    world.get_ontology(release.joinpath("sco-kg.owl").resolve().as_uri()).load(only_local=True)
    assert world[SCO + "Membership"] is not None
    assert world["https://w3id.org/sco-kg/id/china"] in world[SCO + "State"].instances()
    world.close()


def test_release_parses_with_py_horned_owl(release):
    pyhornedowl = pytest.importorskip("pyhornedowl")
    o = pyhornedowl.open_ontology(str(release / "sco-kg.owl"), "rdf")
    classes = set(o.get_classes())
    assert SCO + "Membership" in classes and SCO + "Disagreement" in classes
