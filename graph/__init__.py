"""SCO-KG graph: curated facts, evidence anchoring, and the release build."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCES_DIR = PACKAGE_DIR / "sources"
FACTS_DIR = PACKAGE_DIR / "facts"
ENTITIES_DIR = PACKAGE_DIR / "entities"
QUERIES_DIR = PACKAGE_DIR / "queries"

BASE = "https://w3id.org/sco-kg/"
SCO = BASE + "ontology#"
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_DATA = BASE + "graph/data"
GRAPH_SOURCES = BASE + "graph/sources"
