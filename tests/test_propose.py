"""`sco-kg propose`: candidates from a text of our own and from the five sources, read back the way the
build reads curated facts (loader, anchoring, sentences)."""
from pathlib import Path

import pytest
import yaml

from graph import SOURCES_DIR
from server.cli import main
from graph.curation import FACTUALITY
from graph.propose.check import build_problems
from graph.propose.dates import dates
from graph.propose.factuality import factuality
from graph.propose.judgements import record
from graph.propose.run import graph_without, propose

DATA = Path(__file__).parent / "data" / "propose"
TEXT = (DATA / "tianjin.txt").read_text(encoding="utf-8")
SOURCES = sorted(p.stem for p in SOURCES_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def proposal():
    return propose(TEXT, "999_0123456789abcdef")


def _facts(p, kind=None):
    return [c["fact"] for c in p.candidates if kind is None or c["fact"]["kind"] == kind]


def _quote(fact, i=0):
    q = fact["quotes"][i]
    return q if isinstance(q, str) else q["exact"]


def _factuality(fact, i=0):
    q = fact["quotes"][i]
    return "reported" if isinstance(q, str) else q.get("factuality", "reported")


def _buildable(facts):
    """The candidates today's loader can read: `attributed` only once the loader knows it."""
    return [f for f in facts if "attributed" in FACTUALITY or
            not any(isinstance(q, dict) and q.get("factuality") == "attributed" for q in f["quotes"])]


def test_every_candidate_passes_the_builds_loader_and_anchoring(proposal):
    entities, _ = graph_without(None)
    assert proposal.candidates
    assert build_problems(_buildable(_facts(proposal)), proposal.entities, TEXT, "999_0123456789abcdef",
                          entities) == []
    assert all(_quote(f, i) in TEXT for f in _facts(proposal) for i in range(len(f["quotes"])))


def test_names_linked_without_accents_and_by_possessive_and_adjective(proposal):
    posts = {(f["holder"], f["post"]) for f in _facts(proposal, "PostHolding")}
    assert ("recep-tayyip-erdogan", "president-of-turkey") in posts          # "Erdogan", "Turkish President"
    visits = [f for f in _facts(proposal, "Attendance") if f["event"] == "xi-jinping-state-visit-to-kazakhstan"]
    assert visits and visits[0]["attendee"] == "xi-jinping"                   # "Xi’s state visit"
    nato = [f for f in _facts(proposal, "Membership") if f["organization"] == "nato"]
    assert nato and nato[0]["member"] == "turkey"                             # "Türkiye’s NATO membership"


def test_new_people_and_posts_are_proposed(proposal):
    assert proposal.entities["ukhnaagiin-khurelsukh"] == {"type": "Person", "label": "Ukhnaagiin Khurelsukh"}
    assert proposal.entities["president-of-mongolia"]["post_in"] == "mongolia"
    attended = {(f["attendee"], f["event"]) for f in _facts(proposal, "Attendance")}
    assert ("ukhnaagiin-khurelsukh", "astana-summit-2024") in attended


def test_dates_at_the_texts_precision(proposal):
    joined = {f["member"]: f.get("from") for f in _facts(proposal, "Membership") if f["organization"] == "sco"}
    assert joined["belarus"] == "2024-07" and joined["iran"] == "2022"
    assert [d.value for d in dates("on 4 July 2024, in October of 2024, July 5, 2023, in 2017")] == \
        ["2024-07-04", "2024-10", "2023-07-05", "2017"]
    assert dates("from 2022-2023")[0].until == "2023"


def test_factuality_cues(proposal):
    erdogan = [f for f in _facts(proposal, "Attendance") if f["attendee"] == "recep-tayyip-erdogan"]
    assert _factuality(erdogan[0]) == "expected"                               # "will attend"
    nato = [f for f in _facts(proposal, "Membership") if f["organization"] == "nato"]
    assert _factuality(nato[0]) == "attributed"                                # "Some argue that …"
    assert factuality("the potential admission of Belarus") == "hedged"
    assert factuality("Putin visited Beijing in May") == "reported"            # a month, not a hedge


def test_rule_confidence_support_and_contradiction(proposal):
    by_member = {c["fact"].get("member"): c for c in proposal.candidates if c["fact"]["kind"] == "Membership"}
    belarus, iran = by_member["belarus"], by_member["iran"]
    assert belarus["rule"] == "membership.joined" and 0 < belarus["confidence"] <= 1
    # one statement per fact: its IRI carries no date (the sources' dates merge into it)
    assert any("membership/belarus/sco/member-state " in s for s in belarus["supports"])
    assert iran["supports"] == [] and any("iran/sco/member-state " in s for s in iran["contradicts"])
    assert not any("observer-state" in s for s in iran["contradicts"])        # observer then member: no conflict


def test_a_curated_text_proposes_nothing_it_already_has():
    text = (SOURCES_DIR / f"{SOURCES[0]}.txt").read_text(encoding="utf-8")
    fresh = propose(text, SOURCES[0], without=SOURCES[0])
    again = propose(text, SOURCES[0])
    assert len(again.candidates) < len(fresh.candidates)
    curated = {("india", "sco", "2017"), ("iran", "sco", "2023-07")}
    assert curated <= {(f.get("member"), f.get("organization"), f.get("from")) for f in _facts(fresh, "Membership")}
    assert not curated & {(f.get("member"), f.get("organization"), f.get("from")) for f in _facts(again, "Membership")}


def test_judged_candidates_are_not_proposed_again(tmp_path, proposal):
    judgements = tmp_path / "999_0123456789abcdef.yaml"
    first, second = proposal.candidates[:2]
    record(judgements, first["id"], "reject", first["fact"]["kind"])
    record(judgements, second["id"], "skip", second["fact"]["kind"])   # skipped: asked again
    again = propose(TEXT, "999_0123456789abcdef", judgements=judgements)
    ids = {c["id"] for c in again.candidates}
    assert first["id"] not in ids and second["id"] in ids and again.judged == 1


@pytest.mark.parametrize("source", SOURCES)
def test_five_sources_left_out_one_by_one(source):
    text = (SOURCES_DIR / f"{source}.txt").read_text(encoding="utf-8")
    p = propose(text, source, without=source)
    entities, _ = graph_without(source)
    assert len(p.candidates) >= 10
    assert build_problems(_buildable(_facts(p)), p.entities, text, source, entities) == []
    assert not set(p.entities) & set(entities)


def test_without_source_leaves_out_its_facts_and_own_entities():
    entities, facts = graph_without("002_694e076b4a465653")
    assert not any(f.source == "002_694e076b4a465653" for f in facts)
    assert "shehbaz-sharif" not in entities            # only 002 names him
    assert "vladimir-putin" in entities


def test_cli_writes_the_candidates_file(tmp_path, capsys):
    out = tmp_path / "c.yaml"
    assert main(["propose", str(DATA / "tianjin.txt"), "--source-id", "999_0123456789abcdef", "--out", str(out)]) == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["source"] == "999_0123456789abcdef" and doc["candidates"] and "ukhnaagiin-khurelsukh" in doc["entities"]
    assert "candidate(s)" in capsys.readouterr().err


def test_cli_refuses_a_text_that_is_not_utf8(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Belarus joined the SCO \xff\xfe in 2024.")
    assert main(["propose", str(bad)]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_cli_names_a_new_source_by_number_and_hash(tmp_path, capsys):
    out = tmp_path / "c.yaml"
    assert main(["propose", str(DATA / "tianjin.txt"), "--out", str(out)]) == 0
    source = yaml.safe_load(out.read_text(encoding="utf-8"))["source"]
    assert source.startswith(f"{len(SOURCES):03d}_") and len(source) == 20
    assert main(["propose", str(DATA / "tianjin.txt"), "--source-id", "tianjin"]) == 2
    assert "16 hex digits" in capsys.readouterr().err


def test_trigger_words_are_learned_from_the_curated_quotes():
    from graph.propose.lexicon import Lexicon
    _, facts = graph_without(None)
    lexicon = Lexicon(facts)
    sentence = "The president attended the summit"
    assert lexicon.score("Attendance", sentence) > lexicon.score("Membership", sentence)
    assert lexicon.score("Membership", "Mongolia joined as a full member") > lexicon.score("Attendance", "Mongolia joined as a full member")
    assert Lexicon([]).score("Attendance", sentence) == 0.0
