"""The build: curated YAML → anchored evidence → release; every curation mistake is refused clearly."""
import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef

from graph import DATA_DIR
from graph.build import BuildError, build, ensure_release
from graph.release import inputs_digest, is_current, read_meta

# SHA-256 of the five source documents as received: the shipped copies must stay byte for byte the same.
SOURCE_SHA256 = {
    "000_e80a9174165847db.txt": "3b83a41b242865196819184cab7462ce4d69ef5f2d96a97e9f969097f0888b1a",
    "001_139abbdf7a6974c8.txt": "744c46d871f6a1406fc4c21032a282e63579cfce5087ac9ad6bf40c16dbdd75d",
    "002_694e076b4a465653.txt": "56084af0111acb9eed9bda9d0a359962aeb2fe8ffab32c5ca0ab3f9a3b43a776",
    "003_6f636e070bd0af7a.txt": "d1297449b19f5f7513143632981dd5a2a45a4574bb23ea68a750b85abb134451",
    "004_7aa1b5f187d5e36a.txt": "b344bbea8885503f60f01cbb4c27d2390f880c2d0a8f2949aa28ef1cca3245d9",
}
SID = "999_00000000000000aa"
TEXT = "Alpha joined the Org in 2001. Beta joined the Org in 2003. Alpha joined the Org in 2001.\n"
ENTITIES = """alpha: {type: State, label: Alpha}
beta: {type: State, label: Beta}
org: {type: IntergovernmentalOrganization, label: Org}
"""


def fixture_dir(tmp_path: Path, facts: str) -> Path:
    """A minimal curated tree: one source text, three entities, the given facts."""
    d = tmp_path / "curated"
    for sub in ("sources", "entities", "facts"):
        (d / sub).mkdir(parents=True)
    (d / "sources" / f"{SID}.txt").write_text(TEXT, encoding="utf-8")
    (d / "entities" / "e.yaml").write_text(ENTITIES)
    (d / "facts" / f"{SID}.yaml").write_text(f"source: {SID}\nfacts:\n{facts}")
    return d


MEMBERSHIP = "  - kind: Membership\n    member: {member}\n    organization: org\n    role: member-state\n    from: \"{year}\"\n    quotes:\n{quotes}"


def membership(member="beta", year="2003", quotes='      - "Beta joined the Org in 2003."\n'):
    return MEMBERSHIP.format(member=member, year=year, quotes=quotes)


def refused(tmp_path, facts) -> str:
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=fixture_dir(tmp_path, facts))
    assert not (tmp_path / "dist").exists()
    return str(e.value)


def test_fixture_tree_builds(tmp_path):
    build(tmp_path / "dist", reasoner=True, graph_dir=fixture_dir(tmp_path, membership()))
    assert read_meta(tmp_path / "dist")["triples"] > 0


def test_a_release_from_another_tree_is_stamped_with_that_tree(tmp_path):
    tree = fixture_dir(tmp_path, membership())
    build(tmp_path / "dist", reasoner=False, graph_dir=tree)
    assert read_meta(tmp_path / "dist")["inputs"] == inputs_digest(tree) != inputs_digest()
    assert not is_current(tmp_path / "dist")  # so serve rebuilds from the shipped tree, never serves this one


def test_quote_not_in_source_is_refused_with_file_fact_and_quote(tmp_path):
    msg = refused(tmp_path, membership(quotes='      - "Beta joined the Org in 2004."\n'))
    assert f"{SID}.yaml: fact #1 (Membership)" in msg
    assert "quote not found verbatim" in msg and "Beta joined the Org in 2004." in msg


def test_ambiguous_quote_is_refused(tmp_path):
    msg = refused(tmp_path, membership("alpha", "2001", '      - "Alpha joined the Org in 2001."\n'))
    assert "occurs 2 times; add a prefix" in msg and "fact #1" in msg


def test_prefix_picks_one_occurrence(tmp_path):
    facts = membership("alpha", "2001", '      - {exact: "Alpha joined the Org in 2001.", prefix: "Beta joined the Org in 2003. "}\n')
    dist = tmp_path / "dist"
    build(dist, reasoner=False, graph_dir=fixture_dir(tmp_path, facts))
    ds = Dataset(default_union=True).parse(dist / "sco-kg.nq", format="nquads")
    starts = [int(o) for o in ds.objects(None, URIRef("http://www.w3.org/ns/oa#start"))]
    assert starts == [TEXT.rindex("Alpha joined")]


@pytest.mark.parametrize("facts,expected", [
    (membership(member="gamma"), "unknown entity gamma"),
    (membership(year="03"), "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    (membership().replace("role: member-state", "role: overlord"), "role must be one of"),
    (membership().replace("kind: Membership", "kind: Rumour"), "'kind' must be one of"),
    (membership().replace("    member: beta\n", ""), "missing required field 'member'"),
    (membership().replace("    role: member-state\n", "    role: member-state\n    colour: red\n"), "unknown field 'colour'"),
    (membership(quotes="      []\n"), "at least one quote is required"),
])
def test_curation_mistakes_are_refused(tmp_path, facts, expected):
    msg = refused(tmp_path, facts)
    assert expected in msg and f"{SID}.yaml" in msg


def test_same_fact_in_two_files_is_one_node_citing_both(tmp_path):
    d = fixture_dir(tmp_path, membership())
    sid2 = "998_00000000000000bb"
    (d / "sources" / f"{sid2}.txt").write_text("In 2003, Beta joined the Org.", encoding="utf-8")
    (d / "facts" / f"{sid2}.yaml").write_text(f"source: {sid2}\nfacts:\n" + membership(quotes='      - "Beta joined the Org."\n'))
    build(tmp_path / "dist", reasoner=False, graph_dir=d)
    ds = Dataset(default_union=True).parse(tmp_path / "dist" / "sco-kg.nq", format="nquads")
    facts = set(ds.subjects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    assert len(facts) == 1
    assert len(set(ds.objects(facts.pop(), URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))) == 2


def test_shipped_sources_are_byte_for_byte_copies():
    shipped = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (DATA_DIR / "sources").glob("*.txt")}
    assert shipped == SOURCE_SHA256


def test_every_evidence_offset_selects_its_quote(release):
    ds = Dataset(default_union=True).parse(release / "sco-kg.nq", format="nquads")
    q = """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX sco: <https://w3id.org/sco-kg/ontology#>
    SELECT ?text ?exact ?start ?end WHERE { GRAPH ?g1 { ?t oa:hasSource ?src ; oa:hasSelector ?q, ?p .
      ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end } GRAPH ?g2 { ?src sco:text ?text } }"""
    rows = list(ds.query(q))
    assert len(rows) > 100
    for text, exact, start, end in rows:
        assert str(text)[int(start):int(end)] == str(exact)


def test_source_documents_carry_identifier_text_and_hash(release):
    ds = Dataset(default_union=True).parse(release / "sco-kg.nq", format="nquads")
    for p in sorted((DATA_DIR / "sources").glob("*.txt")):
        s = URIRef(f"https://w3id.org/sco-kg/source/{p.stem}")
        assert str(ds.value(s, URIRef("https://w3id.org/sco-kg/ontology#sha256"))) == hashlib.sha256(p.read_bytes()).hexdigest()
        assert str(ds.value(s, URIRef("https://w3id.org/sco-kg/ontology#text"))) == p.read_text(encoding="utf-8")


def test_release_has_the_three_named_graphs(release):
    meta = read_meta(release)
    assert set(meta["graphs"]) == {f"https://w3id.org/sco-kg/graph/{g}" for g in ("ontology", "data", "sources")}
    assert all(n > 0 for n in meta["graphs"].values())
    for name in meta["files"].values():
        assert (release / name).stat().st_size > 0


def test_ensure_release_reuses_a_current_build(tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(ensure_release(tmp_path / "first"), dist)
    stamp = (dist / "release.json").stat().st_mtime_ns
    ensure_release(dist)
    assert (dist / "release.json").stat().st_mtime_ns == stamp
