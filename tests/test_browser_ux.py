"""What users of Wikidata, OpenRefine and YASGUI expect, in a real browser (Debian's Chromium via
selenium, as in test_browser) against the running server: suggestions as you type, search in the
evidence. Screenshots go to tests/screenshots/."""
import pytest

from support_pages import pages_server  # noqa: F401
from test_browser import assert_only_local, browser, requested_urls, shot, wait_for, yasgui_files  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.embedded_only]


def test_suggestions_as_you_type(browser, pages_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.get(pages_server.base + "/id/sco")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("türk")
    wait_for(browser, "return document.querySelectorAll('#site-search-suggestions a').length > 0")
    first = browser.find_element(By.CSS_SELECTOR, "#site-search-suggestions a")
    assert first.text.startswith("Turkey") and first.get_attribute("href").endswith("/id/turkey")
    assert box.get_attribute("aria-expanded") == "true"
    shot(browser, "search-suggestions.png")
    box.send_keys(Keys.ARROW_DOWN)
    assert browser.switch_to.active_element.get_attribute("href").endswith("/id/turkey")
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(browser, "return location.pathname === '/id/turkey'")
    # Escape closes them; nothing found shows nothing
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("belar")
    wait_for(browser, "return document.querySelectorAll('#site-search-suggestions a').length > 0")
    box.send_keys(Keys.ESCAPE)
    assert not browser.find_element(By.ID, "site-search-suggestions").is_displayed()
    assert_only_local(requested_urls(browser))


def test_search_in_the_evidence(browser, pages_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.get(pages_server.base + "/")
    browser.find_element(By.ID, "site-search").send_keys("potential admission", Keys.ENTER)
    wait_for(browser, "return location.pathname === '/search'")
    items = browser.find_elements(By.CSS_SELECTOR, "ol.evidence-results li")
    assert items and "Belarus" in items[0].text and "potential admission" in items[0].text
    marks = [m.text for m in items[0].find_elements(By.TAG_NAME, "mark")]
    assert marks == ["potential", "admission"]
    shot(browser, "search-evidence.png")
    items[0].find_element(By.CSS_SELECTOR, "blockquote a").click()
    wait_for(browser, "return location.pathname.startsWith('/evidence/membershipinterest/belarus/')")
    assert "potential admission" in browser.find_element(By.TAG_NAME, "main").text
    assert_only_local(requested_urls(browser))


def test_query_editor_starts_with_its_prefixes(browser, pages_server, yasgui_files):
    from selenium.webdriver.common.by import By
    browser.get(pages_server.base + "/query")
    wait_for(browser, "return window.scoYasgui && document.querySelector('.yasqe .CodeMirror')")
    text = browser.execute_script("return window.scoYasgui.getTab().getQuery()")
    assert text.startswith("PREFIX rdf: ") and "PREFIX sco: <https://w3id.org/sco-kg/ontology#>" in text
    # what a user types under those lines runs as it is, through /sparql
    prologue = text[:text.index("\n\n") + 2]
    browser.execute_script("window.scoYasgui.getTab().setQuery(arguments[0])",
                           prologue + "SELECT ?s WHERE { ?s a sco:State } LIMIT 3")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, "return document.querySelectorAll('.yasr table tbody tr').length > 0", 60)
    assert "not declared" not in browser.find_element(By.ID, "yasgui").text
    # the editor before the examples, which wait in a closed menu
    order = browser.execute_script(
        "var e = document.getElementById('yasgui').getBoundingClientRect().top;"
        "var m = document.querySelector('details.examples-menu');"
        "return [m.open, m.getBoundingClientRect().height, e]")
    assert order[0] is False and order[1] < 60 and order[2] < 400, order
    shot(browser, "query-prefixes.png")
    assert_only_local(requested_urls(browser))


WIDE_ELEMENTS = """
var out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.right > document.documentElement.clientWidth + 2) { out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); }
});
return out.slice(0, 8);
"""
# Words broken inside: a text node of a cell laid out on more lines than it has words.
BROKEN_WORDS = """
var broken = [];
document.querySelectorAll(arguments[0]).forEach(function (cell) {
  // a break after a hyphen is a break between words ("Kassym-Jomart", "2001-06"); an IRI may wrap
  var words = cell.innerText.split(/[\\s\\-\u2013\u2010]+/).filter(Boolean);
  words.forEach(function (w) {
    if (w.length < 4 || w.length > 30 || w.indexOf("/") >= 0) { return; }
    var range = document.createRange();
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var i = node.data.indexOf(w);
      if (i < 0) { continue; }
      range.setStart(node, i); range.setEnd(node, i + w.length);
      var tops = new Set(Array.from(range.getClientRects()).map(function (r) { return Math.round(r.top); }));
      if (tops.size > 1) { broken.push(w); }
      break;
    }
  });
});
return broken;
"""


def overflow(browser) -> int:
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("path", ["/id/sco", "/id/india", "/browse/states", "/id/kazakhstan"])
def test_no_word_broken_in_tables_at_1280px(browser, pages_server, path):
    browser.set_window_size(1280, 1000)
    browser.get(pages_server.base + path)
    broken = browser.execute_script(BROKEN_WORDS, "th, td")
    assert not broken, broken[:10]
    assert overflow(browser) <= 2, browser.execute_script(WIDE_ELEMENTS)


def test_entity_page_height_at_1280px(browser, pages_server):
    browser.set_window_size(1280, 1000)
    browser.get(pages_server.base + "/id/sco")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    print(f"/id/sco at 1280 px: {height} px tall")
    assert height < 18000, height  # 36,000 px with a row per source and every quote's context inline
    shot(browser, "entity-sco-1280.png")


def test_plain_form_results_at_400px(browser, pages_server):
    from urllib.parse import quote
    from server.web.query_form import STARTER
    browser.set_window_size(400, 900)
    query = STARTER.replace("SELECT ?state ?name", "SELECT ?state ?name (true AS ?flag)")
    browser.get(pages_server.base + "/query?run=1&query=" + quote(query))
    assert browser.find_elements("css selector", "table.results tbody tr")
    broken = browser.execute_script(BROKEN_WORDS, "table.results td")
    assert not broken, broken[:10]  # "tr ue"
    assert overflow(browser) <= 2, browser.execute_script(WIDE_ELEMENTS)
    shot(browser, "query-plain-400px.png")


def test_yasgui_does_not_scroll_sideways_at_400px(browser, pages_server, yasgui_files):
    from selenium.webdriver.common.by import By
    browser.set_window_size(400, 900)
    browser.get(pages_server.base + "/query")
    wait_for(browser, "return window.scoYasgui && document.querySelector('.yasqe .CodeMirror')")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, "return document.querySelectorAll('.yasr table tbody tr').length > 0", 60)
    assert overflow(browser) <= 2, browser.execute_script(WIDE_ELEMENTS)
    shot(browser, "query-yasgui-400px.png")


def test_source_id_keeps_its_case(browser, pages_server):
    browser.get(pages_server.base + "/source/000_e80a9174165847db")
    assert "000_e80a9174165847db" in browser.find_element("css selector", "p.kicker").text
