"""/search in the evidence, in process: the words of a quote find the facts it supports, named by
their sentence, with the quote, its source and factuality, linked; HTML and JSON."""
import pytest

from support_pages import Page

BELARUS_INTEREST = "https://w3id.org/sco-kg/fact/membershipinterest/belarus/sco/member-state"


def evidence(client, q: str) -> list[dict]:
    r = client.get("/search", query_string={"q": q}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    return r.json["evidence"]


def test_words_of_a_quote_find_its_fact(client):
    found = evidence(client, "potential admission")
    assert found, "the quote 'the potential admission of Belarus as a full member' holds both words"
    first = found[0]
    assert first["fact"] == BELARUS_INTEREST and first["factUrl"] == "/fact/membershipinterest/belarus/sco/member-state"
    assert "potential admission" in first["quote"] and first["sentence"].startswith("Possibly: Belarus")
    assert first["url"].startswith("/evidence/") and first["source"] and first["factuality"] == "Hedged"


@pytest.mark.parametrize("q", ["ADMISSION potential", "admiss", "potentiäl admission"])
def test_words_in_any_order_case_accents_and_word_starts(client, q):
    assert BELARUS_INTEREST in {x["fact"] for x in evidence(client, q)}


def test_every_word_must_be_there_and_start_a_word(client):
    assert evidence(client, "potential zzzz") == []
    assert BELARUS_INTEREST not in {x["fact"] for x in evidence(client, "otential")}  # inside a word


def test_the_exact_phrase_comes_first(client):
    found = evidence(client, "full member")
    assert found and all("full member" in x["quote"].lower() for x in found[:1])


@pytest.mark.parametrize("q", ["", "   ", "x" * 5000, "((", "\\", "🙂"])
def test_odd_words_answer_plainly(client, q):
    assert isinstance(evidence(client, q), list)


def test_html_names_the_fact_the_quote_and_the_source(client):
    r = client.get("/search", query_string={"q": "potential admission"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    p = Page(r.text)
    hrefs = p.hrefs()
    assert "/fact/membershipinterest/belarus/sco/member-state" in hrefs
    assert any(h.startswith("/evidence/membershipinterest/belarus/") for h in hrefs)
    assert "<mark>potential</mark> <mark>admission</mark>" in r.text
    assert "Possibly: Belarus" in r.text and "hedged" in r.text
