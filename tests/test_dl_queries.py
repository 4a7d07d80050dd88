"""The DL queries docs/ontology.md gives for Protégé's DL Query tab answer what SPARQL over the dump answers.

Each query is parsed by the OWL API's Manchester syntax parser (Protégé's) against `sco-kg.owl`
(tests/java/DlQueries.java) into a named class; strict HermiT (owlready2's) lists its instances.
"""
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ontology import vocab
from graph.release import FILES
from jvm import java_classpath, run_java  # noqa: F401  (java_classpath is a fixture)

DOC = Path(__file__).resolve().parents[1] / "docs" / "ontology.md"
QUERIES = "https://w3id.org/sco-kg/test/dl-queries"
SCO_ORG = vocab.BASE + "id/sco"
# The same questions in SPARQL over the dump (time:inXSD* literals), in the order the doc asks them.
SPARQL = [
    f"""SELECT DISTINCT ?x WHERE {{ ?m a sco:Membership ; org:member ?x ; org:role sco:memberState ;
          org:organization <{SCO_ORG}> ; org:memberDuring/time:hasBeginning ?b .
        ?b time:inXSDgYear|time:inXSDgYearMonth|time:inXSDDate ?date
        FILTER(xsd:integer(SUBSTR(STR(?date), 1, 4)) >= 2017) }}""",
    f"""SELECT DISTINCT ?x WHERE {{ ?m a sco:Membership ; org:member ?x ; org:role sco:observerState ;
          org:organization <{SCO_ORG}> }}""",
    f"""SELECT DISTINCT ?x WHERE {{ ?m a sco:Chairmanship ; org:member ?x ; org:organization <{SCO_ORG}> }}""",
]


def doc_queries() -> list[str]:
    return re.findall(r"```manchester\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_doc_has_the_three_queries():
    assert len(doc_queries()) == len(SPARQL)


@pytest.fixture(scope="module")
def expected(release) -> list[set[str]]:
    store = ox.Store()
    store.load(path=str(release / FILES["nquads"]), format=ox.RdfFormat.N_QUADS)
    answers = [{r["x"].value for r in store.query(vocab.sparql_prologue() + q, use_default_graph_as_union=True)}
               for q in SPARQL]
    assert all(answers)
    return answers


def test_dl_queries_answer_as_sparql_does(java_classpath, release, expected, tmp_path):
    import owlready2
    owl = release / FILES["owl"]
    classes = tmp_path / "queries.owl"
    done = run_java(java_classpath, "DlQueries", owl, classes, QUERIES, *doc_queries())
    assert done.returncode == 0, done.stderr[-3000:]
    world = owlready2.World()
    try:
        world.get_ontology(owl.resolve().as_uri()).load(only_local=True)
        queries = world.get_ontology(classes.resolve().as_uri()).load(only_local=True)
        with queries:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        answers = [{i.iri for i in world[f"{QUERIES}#q{n}"].instances()} for n in range(1, len(SPARQL) + 1)]
    finally:
        world.close()
    assert answers == expected


def test_a_query_naming_an_undeclared_term_fails_to_parse(java_classpath, release, tmp_path):
    """As in Protégé: a name the ontology does not declare is an error, not an empty class."""
    done = run_java(java_classpath, "DlQueries", release / FILES["owl"], tmp_path / "q.owl", QUERIES,
                    "inverse (org:member) some sco:NoSuchClass")
    assert done.returncode != 0 and "NoSuchClass" in done.stderr
    assert not (tmp_path / "q.owl").exists()
