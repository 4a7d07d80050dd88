"""The SCO-KG ontology: the Turtle edit file and its import modules."""
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from . import vocab

ONTOLOGY_DIR = Path(__file__).resolve().parent
EDIT_FILE = ONTOLOGY_DIR / "sco-edit.ttl"
IMPORTS_DIR = ONTOLOGY_DIR / "imports"
ONTOLOGY_IRI = vocab.ONTOLOGY_IRI


def load_ontology(merged: bool = True) -> Graph:
    """The edit file plus its import modules in one graph.

    merged=True drops the modules' own ontology headers and the owl:imports, so the graph is a
    single self-contained ontology (the release form, which Protégé and owlready2 open alone).
    """
    g = Graph().parse(EDIT_FILE)
    for module in sorted(IMPORTS_DIR.glob("*.ttl")):
        m = Graph().parse(module)
        if merged:
            for header in list(m.subjects(RDF.type, OWL.Ontology)):
                m.remove((header, None, None))
        g += m
    if merged:
        g.remove((None, OWL.imports, None))
    for prefix, ns in Graph().parse(EDIT_FILE).namespaces():
        g.bind(prefix, ns, override=True)
    return g
