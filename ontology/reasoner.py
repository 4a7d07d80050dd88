"""Consistency under HermiT, through owlready2.

owlready2 reads RDF/XML, not Turtle, so callers pass the release's .owl file. HermiT rejects
xsd:gYear and xsd:gYearMonth (OWL-Time's year positions) unless told to ignore unsupported
datatypes; the shapes check those literals instead.
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
