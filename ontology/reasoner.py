"""Consistency under HermiT, through owlready2.

owlready2 reads RDF/XML, not Turtle, so callers pass the release's .owl file.

HermiT runs with ignore_unsupported_datatypes because the data's OWL-Time literals are
xsd:gYear, xsd:gYearMonth and xsd:date, which are not in the OWL 2 datatype map
(https://www.w3.org/TR/owl2-syntax/#Datatype_Maps). Declaring them (time_import.ttl does) is not
enough: strict HermiT says "The datatype 'http://www.w3.org/2001/XMLSchema#gYearMonth' is not part
of the OWL 2 datatype map and no custom datatype definition is given; therefore, HermiT cannot
handle this datatype". A definition (owl:equivalentClass xsd:string, tried) only moves the failure
to the data: "Literals can only use the datatypes from the OWL 2 datatype map ... HermiT cannot
parse this literal". The OWL API's OWL 2 DL check flags the same literals (docs/ontology.md).
The shapes check those literals instead (sh:datatype with sh:pattern).
"""
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReasonerResult:
    consistent: bool
    detail: str


def check_consistency(owl_file: Path) -> ReasonerResult:
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology(Path(owl_file).resolve().as_uri()).load(only_local=True)
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    except owlready2.OwlReadyInconsistentOntologyError as e:
        return ReasonerResult(False, f"HermiT: the ontology and data are inconsistent ({e or 'no detail'})")
    finally:
        world.close()
    if unsatisfiable:
        return ReasonerResult(False, "HermiT: unsatisfiable classes: " + ", ".join(unsatisfiable))
    return ReasonerResult(True, "HermiT: consistent")
