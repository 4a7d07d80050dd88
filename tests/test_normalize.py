"""`sco-kg normalize`: one canonical Turtle form for the ontology edit file, whatever wrote it."""
import random

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import to_isomorphic

from server.cli import main
from ontology import EDIT_FILE
from ontology.normalize import canonical_turtle, normalize_file

EDIT_TEXT = EDIT_FILE.read_text(encoding="utf-8")
NEW_TERMS = """
sco:TestFact a owl:Class ; rdfs:subClassOf sco:Fact ;
    rdfs:label "Test fact"@en ; skos:definition "Added at the end of the file, as a block of new terms is."@en .
sco:testLink a owl:ObjectProperty ; rdfs:domain sco:TestFact ;
    rdfs:label "test link"@en ; skos:definition "A new property."@en .
"""


def test_the_committed_edit_file_is_in_canonical_form():
    assert canonical_turtle(Graph().parse(EDIT_FILE)) == EDIT_TEXT


def test_normalize_changes_no_triple_and_is_idempotent(tmp_path):
    f = tmp_path / "edit.ttl"
    f.write_text(EDIT_TEXT + NEW_TERMS, encoding="utf-8")
    assert normalize_file(f) is True
    once = f.read_text(encoding="utf-8")
    assert normalize_file(f) is False and f.read_text(encoding="utf-8") == once
    assert to_isomorphic(Graph().parse(f)) == to_isomorphic(Graph().parse(data=EDIT_TEXT + NEW_TERMS, format="turtle"))


def test_new_terms_appended_at_the_end_land_in_their_place(tmp_path):
    f = tmp_path / "edit.ttl"
    f.write_text(EDIT_TEXT + NEW_TERMS, encoding="utf-8")
    normalize_file(f)
    text = f.read_text(encoding="utf-8")
    classes, properties = text.index("# Classes\n"), text.index("# Object properties\n")
    assert classes < text.index("\nsco:Fact a") < text.index("\nsco:TestFact a") < properties
    assert properties < text.index("\nsco:testLink a") < text.index("# Data properties\n")


def test_any_layout_of_the_same_triples_gives_the_same_bytes(tmp_path):
    """Shuffled N-Triples, rdflib's own Turtle, and Protégé's artefacts (rdf:List typing, prefixes
    such as `:` and `xml:`) all come back as the committed file."""
    g = Graph().parse(EDIT_FILE)
    lines = g.serialize(format="nt").splitlines()
    random.Random(7).shuffle(lines)
    noisy = Graph().parse(data="\n".join(lines), format="nt")
    for node in {s for s, p, _ in noisy if p == RDF.first}:
        noisy.add((node, RDF.type, RDF.List))
    noisy.bind("", URIRef("https://w3id.org/sco-kg/ontology#"))
    variants = {"shuffled.ttl": "\n".join(lines), "rdflib.ttl": g.serialize(format="turtle"),
                "protege.ttl": noisy.serialize(format="turtle")}
    for name, text in variants.items():
        f = tmp_path / name
        f.write_text(text, encoding="utf-8")
        normalize_file(f)
        assert f.read_text(encoding="utf-8") == EDIT_TEXT, name


def test_a_file_with_its_own_comments_is_refused_unless_told(tmp_path, capsys):
    f = tmp_path / "edit.ttl"
    f.write_text(EDIT_TEXT + "# why sco:TestFact exists\n" + NEW_TERMS, encoding="utf-8")
    assert main(["normalize", str(f)]) == 1
    assert "why sco:TestFact exists" in capsys.readouterr().err
    assert f.read_text(encoding="utf-8").startswith(EDIT_TEXT)  # untouched
    assert main(["normalize", "--drop-comments", str(f)]) == 0
    assert "why sco:TestFact" not in f.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ["sco:x a owl:Class", "@prefix broken <x> .", "\udcff"])
def test_bad_input_fails_with_a_message_and_leaves_the_file(tmp_path, capsys, text):
    f = tmp_path / "bad.ttl"
    f.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert main(["normalize", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sco-kg normalize: ") and "bad.ttl" in err
    assert f.read_bytes() == text.encode("utf-8", "surrogateescape")


def test_check_reports_without_writing(tmp_path, capsys):
    f = tmp_path / "edit.ttl"
    f.write_text(EDIT_TEXT + NEW_TERMS, encoding="utf-8")
    assert main(["normalize", "--check", str(f)]) == 1
    assert f.read_text(encoding="utf-8") == EDIT_TEXT + NEW_TERMS
    assert main(["normalize", str(f)]) == 0 and main(["normalize", "--check", str(f)]) == 0
    assert "in canonical form" in capsys.readouterr().out


def test_missing_file_fails_with_a_message(tmp_path, capsys):
    assert main(["normalize", str(tmp_path / "nope.ttl")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_unusual_but_valid_turtle_keeps_every_triple(tmp_path):
    """Nested restrictions, a shared blank node, blank-node cycles, escapes, numbers, a foreign namespace."""
    text = '''@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sco: <https://w3id.org/sco-kg/ontology#> .
sco:A a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty sco:p ;
    owl:someValuesFrom [ owl:unionOf ( sco:B sco:C ) ] ] ;
    rdfs:comment """two
lines "quoted" \\\\ back"""@en , 3 , 2.50 , "x" .
<http://example.org/y.z> sco:p _:shared . <http://example.org/w> sco:p _:shared .
_:a sco:q _:a . _:c sco:q _:d . _:d sco:q _:c .
'''
    f = tmp_path / "odd.ttl"
    f.write_text(text, encoding="utf-8")
    assert normalize_file(f) is True
    once = f.read_text(encoding="utf-8")
    assert normalize_file(f) is False and f.read_text(encoding="utf-8") == once
    assert to_isomorphic(Graph().parse(f)) == to_isomorphic(Graph().parse(data=text, format="turtle"))
