"""Consistency under HermiT, through owlready2, strict: as Protégé runs it.

owlready2 reads RDF/XML, not Turtle, so callers pass the release's .owl file, which is OWL 2 DL
(ontology.owl_dl): HermiT needs no ignore_unsupported_datatypes there.
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
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    except owlready2.OwlReadyInconsistentOntologyError as e:
        return ReasonerResult(False, f"HermiT: the ontology and data are inconsistent ({e or 'no detail'})")
    except owlready2.OwlReadyJavaError as e:  # e.g. a literal outside the OWL 2 datatype map
        return ReasonerResult(False, "HermiT refused the file: " + _java_exception(str(e)))
    finally:
        world.close()
    if unsatisfiable:
        return ReasonerResult(False, "HermiT: unsatisfiable classes: " + ", ".join(unsatisfiable))
    return ReasonerResult(True, "HermiT: consistent")


def _java_exception(message: str) -> str:
    """The Java exception's own text, without owlready2's preamble and the stack trace."""
    lines = message.splitlines()
    start = next((i for i, line in enumerate(lines) if "Exception" in line), 0)
    text = []
    for line in lines[start:]:
        if line.lstrip().startswith("at "):
            break
        text.append(line.strip())
    return " ".join(text)
