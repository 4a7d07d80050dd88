"""Apache Jena (Debian's 4.5) as a second opinion: its strict parsers on every release file, and its
SHACL engine giving the same verdict as pySHACL on the real graph and on broken copies of it."""
import pytest
from rdflib import XSD, Graph, Literal, URIRef

from graph.release import FILES
from graph.to_rdf import SCO, TIME
from jvm import java_classpath, run_java, tab_lines  # noqa: F401  (java_classpath is a fixture)
from shapes import SHAPES_FILE
from shapes.validate import SH, run_shapes
from test_shapes import CASES, break_graph, dated_membership, on_instant, put

# pySHACL 0.40 accepts "201"^^xsd:gYear under sh:datatype, Jena does not; the shapes' sh:pattern
# is what makes both engines refuse it.
ILL_TYPED_YEAR = (SCO.Membership, dated_membership,
                  on_instant(put(TIME.inXSDgYear, Literal("201", datatype=XSD.gYear))))
BROKEN = {"ill-typed-year": ILL_TYPED_YEAR,
          **{rule: case for rule, *case in CASES if rule in ("EntityLabel", "PositionSelector", "OffsetsSelectQuote")}}


def test_riot_strict_accepts_every_release_file(java_classpath, release):
    done = run_java(java_classpath, "riotcmd.riot", "--validate", "--strict",
                    *(release / name for name in FILES.values()))
    assert done.returncode == 0 and " WARN " not in done.stderr and " ERROR " not in done.stderr, done.stderr


def test_riot_strict_refuses_an_ill_typed_literal(java_classpath, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://w3id.org/sco-kg/id/x> <http://www.w3.org/2006/time#inXSDgYear> '
                   '"201"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n')
    done = run_java(java_classpath, "riotcmd.riot", "--validate", "--strict", bad)
    assert done.returncode != 0 and "not valid for datatype" in done.stderr, done.stderr


@pytest.fixture(scope="module")
def graphs(release, tmp_path_factory):
    """The real graph (the release's merged Turtle) and broken copies, as files for Jena."""
    d = tmp_path_factory.mktemp("jena-shacl")
    real = Graph().parse(release / FILES["turtle"])
    files = {"real": release / FILES["turtle"]}
    for name, (target, where, mutate) in BROKEN.items():
        g = Graph() + real
        break_graph(g, target, where, mutate)
        files[name] = d / f"{name}.nt"
        g.serialize(files[name], format="nt", encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def jena_verdicts(java_classpath, graphs):
    """{name: (conforms, focus IRIs of its results)} from one JVM run of Jena's SHACL engine."""
    done = run_java(java_classpath, "JenaShaclCheck", SHAPES_FILE, *graphs.values())
    assert done.returncode == 0, done.stderr
    verdicts, focus = {}, set()
    by_path = {str(p): n for n, p in graphs.items()}
    for line in done.stdout.splitlines():
        kind, *fields = line.split("\t")
        if kind == "result" and fields[0].startswith("<"):
            focus.add(fields[0][1:-1])
        elif kind == "summary":
            verdicts[by_path[fields[0]]] = (fields[1] == "conforms", focus)
            focus = set()
    assert set(verdicts) == set(graphs), done.stdout[-2000:]
    return verdicts


def test_jena_shacl_finds_the_real_graph_conforming(jena_verdicts):
    """pySHACL's verdict on this graph is the build's: the release exists, so it conformed."""
    assert jena_verdicts["real"] == (True, set())


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_jena_and_pyshacl_refuse_the_same_broken_graph(jena_verdicts, graphs, name):
    conforms, report = run_shapes(Graph().parse(graphs[name], format="nt"))
    pyshacl_focus = {str(f) for f in report.objects(None, SH.focusNode) if isinstance(f, URIRef)}
    assert not conforms and pyshacl_focus
    assert jena_verdicts[name] == (False, pyshacl_focus)
