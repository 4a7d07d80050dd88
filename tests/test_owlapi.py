"""The ontology as Protégé sees it: Debian's OWL API (the library Protégé is built on).

One JVM run checks every file against the OWL 2 DL profile (https://www.w3.org/TR/owl2-syntax/,
global restrictions §11) and lists the triples the RDF mapping could not parse; imports resolve
through catalog-v001.xml only, as in Protégé, and an import missing from it is never fetched.
"""
import pytest
from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_isomorphic

import ontology
from graph import GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_SOURCES
from ontology.normalize import SET_LISTS, normalize_file
from ontology.owl_dl import NON_DL_DATES, TIME
from jvm import java_classpath, run_java  # noqa: F401  (java_classpath is a fixture)
from ontology import EDIT_FILE, ONTOLOGY_DIR

CATALOG = ONTOLOGY_DIR / "catalog-v001.xml"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    """Broken copies of the edit file, each with one fault Protégé would show."""
    d = tmp_path_factory.mktemp("owlapi-fixtures")
    edit = EDIT_FILE.read_text(encoding="utf-8")
    faults = {
        "undeclared": "sco:State sco:undeclaredNote \"x\" .",                      # profile violation
        "unparsed": "[] a owl:AllDisjointClasses .",                                 # no members: not an axiom
        "fetch": "<https://w3id.org/sco-kg/ontology> owl:imports <https://example.org/not-in-the-catalog> .",
    }
    for name, extra in faults.items():
        (d / f"{name}.ttl").write_text(edit + "\n" + extra + "\n", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def checked(java_classpath, release, fixtures):
    """{file name: (violations, unparsed, fetched)} for the edit file, the release files and the fixtures."""
    files = [EDIT_FILE, release / "sco-kg-ontology.ttl", release / "sco-kg.owl", *sorted(fixtures.glob("*.ttl"))]
    done = run_java(java_classpath, "OwlDlCheck", "check", CATALOG, *files)
    assert done.returncode == 0, done.stderr
    per_file, current = {}, None
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "file":
            current = per_file.setdefault(rest.rsplit("/", 1)[-1], ([], [], []))
        elif kind in ("violation", "error"):
            current[0].append(rest)
        elif kind in ("unparsed", "fetch"):
            current[("unparsed", "fetch").index(kind) + 1].append(rest)
    assert set(per_file) >= {EDIT_FILE.name, "sco-kg.owl", "undeclared.ttl"}, done.stdout[-2000:]
    return per_file


def test_edit_file_is_owl2_dl_through_the_catalog(checked):
    assert checked[EDIT_FILE.name] == ([], [], [])


def test_release_ontology_alone_is_owl2_dl(checked):
    assert checked["sco-kg-ontology.ttl"] == ([], [], [])


def test_release_owl_file_is_owl2_dl(checked, release):
    """The file Protégé users open: its dates are OWL-Time descriptions, not xsd:gYear literals."""
    assert checked["sco-kg.owl"] == ([], [], [])
    g = Graph().parse(release / "sco-kg.owl", format="xml")
    assert not [o for o in g.objects() if getattr(o, "datatype", None) in NON_DL_DATES]
    assert (None, TIME.inDateTime, None) in g


def test_checker_finds_each_fault(checked):
    assert any("undeclaredNote" in v for v in checked["undeclared.ttl"][0])
    violations, unparsed, _ = checked["unparsed.ttl"]
    assert violations == [] and len(unparsed) == 1 and "AllDisjointClasses" in unparsed[0]
    assert checked["fetch.ttl"][2] == ["https://example.org/not-in-the-catalog"]


def canonical(g: Graph) -> Graph:
    """`g` with set-valued OWL lists rebuilt in sorted order and rdf:List typing dropped: the
    changes an OWL API (Protégé) save may make without changing any axiom. The lists' items
    must be IRIs for the order to be canonical, as they are in our ontology."""
    in_lists = {n for _, p, head in g if p in SET_LISTS for n in _list_nodes(g, head)}
    out = Graph()
    for s, p, o in g:
        if s in in_lists or (p == RDF.type and o == RDF.List):
            continue
        if p in SET_LISTS:
            items = list(g.items(o))
            assert all(isinstance(i, URIRef) for i in items), (s, p)
            o = BNode()
            Collection(out, o, sorted(items))
        out.add((s, p, o))
    return out


def _list_nodes(g: Graph, head):
    while head is not None and head != RDF.nil:
        yield head
        head = g.value(head, RDF.rest)


def release_graphs(dist) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(dist / "sco-kg.nq", format="nquads")
    return {iri: canonical(ds.graph(URIRef(iri))) for iri in (GRAPH_ONTOLOGY, GRAPH_DATA, GRAPH_SOURCES)}


def test_protege_save_round_trip_builds_the_same_release(java_classpath, release, tmp_path, monkeypatch):
    resaved = tmp_path / "sco-edit.ttl"
    done = run_java(java_classpath, "OwlDlCheck", "save", CATALOG, EDIT_FILE, resaved)
    assert done.returncode == 0, done.stderr
    text = resaved.read_text(encoding="utf-8")
    assert "###  Generated by the OWL API" in text and "sco-kg normalize` writes" not in text  # the OWL API wrote it
    before, after = Graph().parse(EDIT_FILE), Graph().parse(resaved)
    assert not to_isomorphic(before) == to_isomorphic(after)  # the raw triples differ: lists reordered
    assert to_isomorphic(canonical(before)) == to_isomorphic(canonical(after))

    from graph.build import build
    monkeypatch.setattr(ontology, "EDIT_FILE", resaved)
    dist = tmp_path / "dist"
    build(dist, reasoner=False)
    ours, theirs = release_graphs(release), release_graphs(dist)
    for iri in ours:
        assert to_isomorphic(ours[iri]) == to_isomorphic(theirs[iri]), iri


def test_protege_save_then_normalize_gives_the_committed_file_byte_for_byte(java_classpath, tmp_path):
    resaved = tmp_path / "sco-edit.ttl"
    done = run_java(java_classpath, "OwlDlCheck", "save", CATALOG, EDIT_FILE, resaved)
    assert done.returncode == 0, done.stderr
    assert resaved.read_bytes() != EDIT_FILE.read_bytes()
    assert normalize_file(resaved) is True
    assert resaved.read_bytes() == EDIT_FILE.read_bytes()
