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


def fixture_dir(tmp_path: Path, facts: str, files: dict[str, str] | None = None) -> Path:
    """A minimal curated tree: one source text, three entities, the given facts; `files` adds or replaces
    files by their path in the tree."""
    d = tmp_path / "curated"
    for sub in ("sources", "entities", "facts"):
        (d / sub).mkdir(parents=True)
    (d / "sources" / f"{SID}.txt").write_text(TEXT, encoding="utf-8")
    (d / "entities" / "e.yaml").write_text(ENTITIES)
    (d / "facts" / f"{SID}.yaml").write_text(f"source: {SID}\nfacts:\n{facts}")
    for name, content in (files or {}).items():
        (d / name).write_text(content, encoding="utf-8")
    return d


MEMBERSHIP = "  - kind: Membership\n    member: {member}\n    organization: org\n    role: member-state\n    from: \"{year}\"\n    quotes:\n{quotes}"


def membership(member="beta", year="2003", quotes='      - "Beta joined the Org in 2003."\n'):
    return MEMBERSHIP.format(member=member, year=year, quotes=quotes)


def refused(tmp_path, facts, files: dict[str, str] | None = None) -> str:
    with pytest.raises(BuildError) as e:
        build(tmp_path / "dist", reasoner=False, graph_dir=fixture_dir(tmp_path, facts, files))
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
    assert f"{SID}.yaml:9: fact #1 (Membership)" in msg
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


# Each mistake is reported at the line of the field, quote or fact it concerns (the file's line 3 is the fact's
# "- kind:", 4 member, 5 organization, 6 role, 7 from, 8 quotes, 9 the first quote).
@pytest.mark.parametrize("facts,line,expected", [
    (membership(member="gamma"), 4, "field 'member': unknown entity gamma"),
    (membership(year="03"), 7, "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    (membership().replace("role: member-state", "role: overlord"), 6, "role must be one of"),
    (membership().replace("kind: Membership", "kind: Rumour"), 3, "'kind' must be one of"),
    (membership().replace("    member: beta\n", ""), 3, "missing required field 'member'"),
    (membership().replace("    role: member-state\n", "    role: member-state\n    colour: red\n"), 7,
     "unknown field 'colour'"),
    (membership(quotes="      []\n"), 8, "at least one quote is required"),
    (membership(quotes='      - "Beta joined the Org in 2003."\n      - {exact: "Beta joined", factuality: rumoured}\n'),
     10, "factuality must be one of"),
    (membership(quotes='      - "Beta joined the Org in 2003."\n      - "Beta left the Org."\n'), 10,
     "quote not found verbatim in the source: 'Beta left the Org.'"),
    (2 * membership().replace("    organization: org\n", "    organization: org\n    ref: a\n"), 11,
     "ref 'a' is already used by fact #1"),
])
def test_curation_mistakes_are_refused_at_their_line(tmp_path, facts, line, expected):
    msg = refused(tmp_path, facts)
    assert expected in msg and f"{SID}.yaml:{line}: fact #" in msg


@pytest.mark.parametrize("files,where,expected", [
    ({"entities/e.yaml": ENTITIES + "Gamma: {type: State, label: Gamma}\n"}, "entities/e.yaml:4", "entity 'Gamma'"),
    ({"entities/f.yaml": "\n\nbeta: {type: State, label: Beta}\n"}, "entities/f.yaml:3",
     "entity 'beta' is already defined in"),
    ({"entities/e.yaml": ENTITIES + "gamma:\n  type: Post\n  label: Gamma\n  post_in: delta\n"}, "entities/e.yaml:4",
     "post_in names unknown entity 'delta'"),
    ({f"facts/{SID}.yaml": "# no source line\nfacts: []\n"}, f"facts/{SID}.yaml:1", "'source' must name one of"),
    ({"sources.yaml": f"{SID}:\n  title: A\n998_00000000000000bb:\n  title: B\n"}, "sources.yaml:3",
     "unknown source document '998_00000000000000bb'"),
    ({"disagreements.yaml": "- {question: Q, about: org, claims: []}\n- question: When?\n  about: gamma\n"},
     "disagreements.yaml:2", "disagreement #2: needs a question"),
])
def test_entity_source_and_disagreement_mistakes_name_their_line(tmp_path, files, where, expected):
    msg = refused(tmp_path, membership(), files)
    assert f"{where}: " in msg and expected in msg


def test_a_quote_failing_only_on_a_straight_apostrophe_says_which_mark_to_write(tmp_path):
    text = "The Org\u2019s members: Beta joined the \u201cOrg\u201d in 2003.\n"
    msg = refused(tmp_path, membership(quotes='      - "Beta joined the \\"Org\\" in 2003."\n      - "Org\'s members"\n'),
                  {f"sources/{SID}.txt": text})
    assert (f"{SID}.yaml:9: fact #1 (Membership): quote not found verbatim in the source: 'Beta joined the \"Org\" in "
            f"2003.'; found with a curly opening quote mark and a curly closing quote mark at offset 19: write \u201c "
            "and \u201d") in msg
    assert f"{SID}.yaml:10: fact #1 (Membership)" in msg
    assert "found with a curly apostrophe at offset 4: write \u2019" in msg
    assert "quote not found verbatim in the source: 'Beta joined the Org in 2004.'\n" in refused(
        tmp_path / "other", membership(quotes='      - "Beta joined the Org in 2004."\n')) + "\n"


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
