"""Ontology quality checks in the spirit of ROBOT `report`.

Each check returns problems as (check, term, detail); an empty list means the check passes.
"""
from collections import defaultdict

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL, SKOS

from . import vocab

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
# Namespaces whose terms must be declared (ours and the modules we import); the rest are built-ins.
CHECKED_NAMESPACES = (vocab.SCO, vocab.ORG, vocab.PROV, vocab.OA, vocab.TIME, vocab.SKOS, vocab.DCTERMS, vocab.FOAF,
                      "http://purl.org/vocab/vann/")


def declared_terms(onto: Graph) -> set[URIRef]:
    return {s for t in DECLARATIONS for s in onto.subjects(RDF.type, t) if isinstance(s, URIRef)}


def _checked(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(CHECKED_NAMESPACES)


def missing_or_extra_labels(onto: Graph) -> list[tuple]:
    problems = []
    for term in sorted(declared_terms(onto)):
        labels = [l for l in onto.objects(term, RDFS.label) if getattr(l, "language", None) == "en"]
        if len(labels) != 1:
            problems.append(("label", term, f"has {len(labels)} English rdfs:label(s), needs exactly 1"))
    return problems


def duplicate_labels(onto: Graph) -> list[tuple]:
    by_label = defaultdict(set)
    for term in declared_terms(onto):
        for label in onto.objects(term, RDFS.label):
            by_label[str(label).strip()].add(term)
    return [("duplicate label", t, f"shares the label {label!r} with {sorted(map(str, ts - {t}))}")
            for label, ts in sorted(by_label.items()) if len(ts) > 1 for t in sorted(ts)]


def missing_definitions(onto: Graph) -> list[tuple]:
    return [("definition", t, f"has {n} skos:definition(s), needs exactly 1")
            for t in sorted(declared_terms(onto)) if (n := len(list(onto.objects(t, SKOS.definition)))) != 1]


def undeclared_in_ontology(onto: Graph) -> list[tuple]:
    """Terms the ontology's own axioms mention (as class, property or value) without declaring them."""
    declared = declared_terms(onto)
    used = {t for triple in onto for t in triple if _checked(t)}
    return [("undeclared", t, "used in the ontology but not declared") for t in sorted(used - declared)]


def used_not_defined(onto: Graph, data: Graph) -> list[tuple]:
    """Predicates and classes the data uses that the ontology does not define."""
    declared = declared_terms(onto)
    used = {p for p in data.predicates() if _checked(p)} | {c for c in data.objects(None, RDF.type) if _checked(c)}
    return [("used, not defined", t, "used in the data but not defined in the ontology") for t in sorted(used - declared)]


def report(onto: Graph, data: Graph) -> list[tuple]:
    return (missing_or_extra_labels(onto) + duplicate_labels(onto) + missing_definitions(onto)
            + undeclared_in_ontology(onto) + used_not_defined(onto, data))
