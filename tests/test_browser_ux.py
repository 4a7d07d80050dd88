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
