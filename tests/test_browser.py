"""The pages in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by selenium
against the running server.

- the query page loads YASGUI from our own static files, runs an example query, and the result table
  is read back; Chromium's network log shows that no request left 127.0.0.1;
- an entity page and a source page open, with the evidence on demand and the highlighted quotes.
Screenshots go to tests/screenshots/ (not committed). Without Chromium the tests are skipped, except
in CI (CI=1), where they fail.
"""
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support_pages import pages_server  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.embedded_only]  # the pages on engines: test_pages etc.
ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Schemes that reach the network; anything else (data:, blob:, about:, Chromium's own chrome:// and
# chrome-untrusted:// start pages) never leaves the browser.
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def _need_browser():
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        message = "Chromium and chromedriver are needed: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def yasgui_files():
    static = ROOT / "server" / "web" / "static" / "yasgui"
    if not (static / "yasgui.min.js").exists():
        subprocess.run(["sh", str(ROOT / "server" / "web" / "static" / "fetch_yasgui.sh")], check=True, timeout=300)
    assert (static / "yasgui.min.js").exists() and (static / "yasgui.min.css").exists()


@pytest.fixture
def browser(tmp_path):
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def requested_urls(driver) -> list[str]:
    """Every URL Chromium asked the network for, from its DevTools performance log."""
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
        elif msg["method"] == "Network.webSocketCreated":
            urls.append(msg["params"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def assert_only_local(urls: list[str]) -> None:
    assert urls
    assert any(urlparse(u).scheme in NETWORK_SCHEMES for u in urls)
    outside = [u for u in urls if urlparse(u).scheme in NETWORK_SCHEMES and urlparse(u).hostname != "127.0.0.1"]
    assert not outside, f"requests left 127.0.0.1: {outside}"


def wait_for(driver, script: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for: {script}")


def shot(driver, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / name
    driver.save_screenshot(str(path))
    return path


def test_query_page_runs_an_example_locally(browser, pages_server, yasgui_files):
    from selenium.webdriver.common.by import By
    browser.get(pages_server.base + "/query")
    wait_for(browser, "return window.scoYasgui && document.querySelector('.yasqe .CodeMirror')")
    browser.find_element(By.CSS_SELECTOR, "details.examples-menu summary").click()  # the examples' menu
    browser.find_element(By.CSS_SELECTOR, 'button.example[data-example="founders"]').click()
    query = browser.execute_script("return window.scoYasgui.getTab().getQuery()")
    assert "Founding" in query or "founder" in query
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, "return document.querySelectorAll('.yasr table tbody tr').length > 0", 60)
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('.yasr table tbody td')).map(td => td.innerText)")
    headers = browser.execute_script(
        "return Array.from(document.querySelectorAll('.yasr table thead th')).map(th => th.innerText)")
    text = " ".join(cells)
    assert "China" in text and "Russia" in text, (headers, cells[:20])
    path = shot(browser, "query.png")
    assert path.stat().st_size > 10_000
    assert_only_local(requested_urls(browser))


def test_entity_and_source_pages(browser, pages_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.get(pages_server.base + "/id/sco")
    # keyboard: the first Tab reaches the skip link, which moves focus to the main content
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Shanghai Cooperation Organization"
    svg = browser.find_element(By.CSS_SELECTOR, "svg.timeline")
    assert svg.size["height"] > 100 and svg.is_displayed()
    # each statement's references show their quotes; a quote opens in its context on its own page
    quote = browser.find_element(By.CSS_SELECTOR, "table.facts ul.refs a.quote-ref")
    assert quote.is_displayed() and quote.text
    shot(browser, "entity-sco.png")
    browser.execute_script("arguments[0].click()", quote)  # a quote over two lines: its centre may be between them
    wait_for(browser, "return location.pathname.startsWith('/evidence/')")
    mark = browser.find_element(By.CSS_SELECTOR, "ul.evidence li.focus mark")
    assert mark.is_displayed() and mark.text
    assert_only_local(requested_urls(browser))

    browser.get(pages_server.base + "/source/000_e80a9174165847db")
    marks = browser.find_elements(By.CSS_SELECTOR, ".source-text mark a")
    assert len(marks) > 10
    href = marks[0].get_attribute("href")
    assert "/fact/" in href
    shot(browser, "source-000.png")
    marks[0].click()
    wait_for(browser, "return location.pathname.startsWith('/fact/')")
    assert browser.find_elements(By.CSS_SELECTOR, "ul.evidence mark")
    assert_only_local(requested_urls(browser))


def test_pages_read_at_narrow_width(browser, pages_server):
    browser.set_window_size(390, 900)
    for path in ("/", "/id/sco", "/source/000_e80a9174165847db", "/ontology"):
        browser.get(pages_server.base + path)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 2, (path, overflow)
    browser.get(pages_server.base + "/id/belarus")
    shot(browser, "entity-belarus-narrow.png")


# --- readable YASGUI results, a shareable query URL, the search box, the timeline at 400 px ---

def test_query_results_readable_and_shareable(browser, pages_server, yasgui_files):
    from selenium.webdriver.common.by import By
    browser.get(pages_server.base + "/query")
    wait_for(browser, "return window.scoYasgui && document.querySelector('.yasqe .CodeMirror')")
    query = ("PREFIX sco: <https://w3id.org/sco-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
             "SELECT ?state ?label ?year WHERE { ?state a sco:State ; rdfs:label ?label . BIND(\"2001\"^^xsd:gYear AS ?year) } ORDER BY ?label")
    browser.execute_script("window.scoYasgui.getTab().setQuery(arguments[0])", query)
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, "return document.querySelectorAll('.yasr table tbody tr').length > 0", 60)
    wait_for(browser, "return document.querySelectorAll('.yasr .term-label').length > 0", 30)
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('.yasr table tbody td')).map(td => td.innerText)")
    text = " ".join(cells)
    assert "Belarus" in text and "^^" not in text and "xsd:gYear" not in text and "@en" not in text, cells[:12]
    links = browser.execute_script("return Array.from(document.querySelectorAll('.yasr a.iri')).map(a => a.getAttribute('href'))")
    assert "/id/belarus" in links  # our IRIs open this server's pages
    shared = browser.current_url
    assert "query=" in shared
    shot(browser, "query.png")
    # the shared URL, opened afresh, shows the same results
    browser.get(shared)
    wait_for(browser, "return document.querySelectorAll('.yasr table tbody tr').length > 0", 60)
    assert "Belarus" in browser.execute_script("return document.querySelector('.yasr table').innerText")
    # an error reads as a sentence inside the page's width
    browser.execute_script("window.scoYasgui.getTab().setQuery('SELECT ?x WHERE {')")
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    wait_for(browser, "return document.querySelector('.yasr .errorResult')", 30)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 2
    assert_only_local(requested_urls(browser))
    errors = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
    assert not errors, errors


def test_search_box_finds_turkiye(browser, pages_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    browser.get(pages_server.base + "/id/sco")
    box = browser.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("turkiye", Keys.ENTER)
    wait_for(browser, "return location.pathname === '/search'")
    first = browser.find_element(By.CSS_SELECTOR, "ol.search-results li a")
    assert first.text == "Turkey" and first.get_attribute("href").endswith("/id/turkey")
    shot(browser, "search.png")
    first.click()
    wait_for(browser, "return location.pathname === '/id/turkey'")
    assert_only_local(requested_urls(browser))


def test_timeline_text_legible_at_400px(browser, pages_server):
    browser.set_window_size(400, 900)
    browser.get(pages_server.base + "/id/sco")
    heights = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.timeline text')).map(t => t.getBoundingClientRect().height)")
    assert heights and min(heights) >= 10, min(heights)  # ~4 px before
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 2
    shot(browser, "entity-sco-400px.png")
