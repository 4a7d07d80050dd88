"""The query page, in process: the editors start with the graph's prefixes in their text, so what
runs is what the reader sees and an error's line and column point into it; the editor first, the
examples in a menu; YASGUI looked for at request time; an empty query said in words."""
import re
from html import unescape

import pytest

from server.web import query_form
from server.web.query_form import PROLOGUE, STARTER


def page(client, **params) -> str:
    r = client.get("/query", query_string=params, headers={"Accept": "text/html"})
    return r.status_code, r.text


def textarea(html: str) -> str:
    return unescape(re.search(r'<textarea id="plain-query"[^>]*>(.*?)</textarea>', html, re.S).group(1))


def test_the_editor_text_starts_with_the_prefixes_it_advertises(client):
    _, html = page(client)
    text = textarea(html)
    assert text.startswith(PROLOGUE) and "PREFIX sco: <https://w3id.org/sco-kg/ontology#>\n" in text
    assert '"start": ' in html and "PREFIX sco:" in html.split('id="query-config"')[1]  # YASGUI's first text too
    status, html = page(client, run=1, query=text)
    assert status == 200 and "Belarus" in html


def test_the_text_runs_as_written(client):
    # No hidden prologue: an undeclared prefix is the reader's to see and fix, at the place it is.
    status, html = page(client, run=1, query="SELECT ?s WHERE { ?s a sco:State }")
    assert status == 400 and "line 1, column 24: the prefix sco: is not declared" in html


def test_an_error_points_into_the_visible_text(client):
    query = STARTER.rstrip("\n") + "\n}"
    status, html = page(client, run=1, query=query)
    lines = query.split("\n")
    assert status == 400
    m = re.search(r"at line (\d+), column (\d+)", html)
    assert m, html
    assert int(m.group(1)) == len(lines) and int(m.group(2)) <= 2  # at the closing brace, on the last line
    assert "\n  }\n" in unescape(html.split('class="error"')[1])  # the caret's line is the reader's line


def test_editor_first_examples_in_a_closed_menu(client):
    _, html = page(client)
    menu = re.search(r'<details class="examples-menu">(.*?)</details>', html, re.S)
    assert menu and menu.group(1).count('class="example"') >= 10
    # Nothing but a sentence and the closed menu between the title and the editor.
    editor = html.find('id="yasgui"') if 'id="yasgui"' in html else html.find('id="plain-query"')
    between = html[html.index("<h1>"):editor]
    assert between.count("<details") == 1 and "<h2" not in between and "<ul" in menu.group(1)


def test_yasgui_is_looked_for_at_request_time(client, monkeypatch, tmp_path):
    monkeypatch.setattr(query_form, "STATIC", tmp_path)
    _, html = page(client)
    assert 'id="yasgui"' not in html and "not installed" in html
    (tmp_path / "yasgui").mkdir()
    for name in query_form.YASGUI_FILES:
        (tmp_path / "yasgui" / name).write_text("/* test */")
    _, html = page(client)  # the same app, no restart
    assert 'id="yasgui"' in html and "not installed" not in html


@pytest.mark.parametrize("query", ["", "   ", "# only a comment\n"])
def test_an_empty_query_is_said_in_words(client, query):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert "the query is empty" in r.text and "expected expected" not in r.text
