"""SCO-KG graph: curated facts, evidence anchoring, and the release build."""
from pathlib import Path

from ontology.vocab import BASE, GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SOURCES, SCO  # noqa: F401  (the package's public names)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
SOURCES_DIR = DATA_DIR / "sources"
FACTS_DIR = DATA_DIR / "facts"
ENTITIES_DIR = DATA_DIR / "entities"
QUERIES_DIR = DATA_DIR / "queries"
