"""`sco-kg conflicts` lists every disagreement with each side's source and quote."""
import json

from test_cli import sco_kg

S000, S001, S002, S003, S004 = ("000_e80a9174165847db", "001_139abbdf7a6974c8", "002_694e076b4a465653",
                                "003_6f636e070bd0af7a", "004_7aa1b5f187d5e36a")


def load(release):
    return {d["question"]: d for d in json.loads(sco_kg("conflicts", "--dist", release, "--format", "json", check=True).stdout)}


def sources_of(item):
    return [set(c["sources"]) for c in item["claims"]]


def test_the_known_disagreements_are_listed(release):
    items = load(release)
    assert {"How many member states does the SCO have?", "Who founded the SCO?",
            "Did India's leader attend the 2024 Astana summit?", "What is Turkey's status in the SCO?",
            "Were the Central Asian states founding members of the SCO or later additions?",
            "Is Belarus a member of the SCO?"} <= set(items)


def test_india_attendance_sides_keep_their_sources_and_quotes(release):
    item = load(release)["Did India's leader attend the 2024 Astana summit?"]
    by_label = {c["label"].split(":")[0]: c for c in item["claims"]}
    assert S001 in by_label["Attendance"]["sources"]
    absent_sources = set().union(*(set(c["sources"]) for c in item["claims"] if c["label"].startswith("Absence")))
    assert absent_sources == {S000, S004}
    assert any("skipped the Astana summit" in q for c in item["claims"] for qs in c["sources"].values() for q in qs)


def test_member_count_claims(release):
    item = load(release)["How many member states does the SCO have?"]
    labels = {c["label"] for c in item["claims"]}
    assert any(l.endswith("; 9") for l in labels) and any(l.endswith("; 10") for l in labels)


def test_text_output_names_question_claims_sources_and_quotes(release):
    out = sco_kg("conflicts", "--dist", release, check=True).stdout
    assert "What is Turkey's status in the SCO?" in out
    assert f"{S004}: “" in out and "disagreement(s)" in out
