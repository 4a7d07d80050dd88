"""The graph's namespaces and IRI base, written out once for the build, the server and the tests.

The base is part of the data: every IRI is minted by `sco-kg build`, so the server has no setting
to change it (a deployer serving under another host name maps paths, see server.web.linked_data).
Plain strings, so importing this module loads neither rdflib nor pyoxigraph.
"""
BASE = "https://w3id.org/sco-kg/"
SCO = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_DATA = BASE + "graph/data"
GRAPH_SOURCES = BASE + "graph/sources"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
TIME = "http://www.w3.org/2006/time#"
FOAF = "http://xmlns.com/foaf/0.1/"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
VANN = "http://purl.org/vocab/vann/"
FORMATS = "http://www.w3.org/ns/formats/"
ENTAILMENT = "http://www.w3.org/ns/entailment/"
WIKIDATA = "http://www.wikidata.org/entity/"

RDF_TYPE = RDF + "type"

# The prefixes the graph is written with, in this order in every serialization and page.
PREFIXES = {"rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS,
            "org": ORG, "prov": PROV, "oa": OA, "time": TIME, "foaf": FOAF, "sco": SCO}


def sparql_prologue(prefixes: dict[str, str] = PREFIXES) -> str:
    """`PREFIX p: <ns>` lines for a SPARQL query."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())

# The licence of the curated data and ontology (the ontology states the same; docs/linked-data.md says why).
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
