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
            "Were the Central Asian states founding members of the SCO or later additions?"} <= set(items)


def test_claims_that_agree_are_no_disagreement(release):
    # 000 "July 2024", 001 "this year's summit welcoming Belarus", 003 "Belarus in 2024": one statement with three
    # references; 004's "potential admission" does not contradict it. The summit's dates agree likewise.
    items = load(release)
    assert "Is Belarus a member of the SCO?" not in items and "When did the 2024 Astana summit take place?" not in items
    assert len(items) == 14
    for question, item in items.items():
        assert len({c["fact"] for c in item["claims"]}) >= 2, question


def quotes_of(claim):
    return [q for qs in claim["sources"].values() for q in qs]


def test_india_attendance_sides_keep_their_sources_and_quotes(release):
    item = load(release)["Did India's leader attend the 2024 Astana summit?"]
    attended = [c for c in item["claims"] if " attended " in c["label"]]
    absent = [c for c in item["claims"] if " did not attend " in c["label"]]
    assert any(S001 in c["sources"] for c in attended)
    assert len(absent) == 1 and set(absent[0]["sources"]) == {S000, S004}
    assert any("skipped the Astana summit" in q["quote"] for c in item["claims"] for q in quotes_of(c))


def test_each_quote_says_how_its_source_puts_it(release):
    # 000 reports "Modi notably skipped the Astana summit"; 004, a preview, expects his "decision to skip".
    item = load(release)["Did India's leader attend the 2024 Astana summit?"]
    by_source = {s: {q["factuality"] for q in qs} for c in item["claims"] for s, qs in c["sources"].items()}
    assert by_source[S000] == {"reported"} and by_source[S004] == {"expected"}
    # One statement, Modi's absence, with both references: reported by 000, so reported.
    absence = [c for c in item["claims"] if S004 in c["sources"]]
    assert len(absence) == 1 and set(absence[0]["sources"]) == {S000, S004} and absence[0]["reported"] is True


def test_competing_claims_never_share_a_label(release):
    for question, item in load(release).items():
        labels = [c["label"] for c in item["claims"]]
        assert len(labels) == len(set(labels)), question


def test_member_count_claims(release):
    item = load(release)["How many member states does the SCO have?"]
    labels = {c["label"] for c in item["claims"]}
    assert any(": 9 " in l for l in labels) and any(": 10 " in l for l in labels)


def test_text_output_names_question_claims_sources_and_quotes(release):
    out = sco_kg("conflicts", "--dist", release, check=True).stdout
    assert "What is Turkey's status in the SCO?" in out
    assert f"{S004} (reported): “" in out and f"{S004} (expected): “" in out and "disagreement(s)" in out
    assert "[no source reports it]" in out
