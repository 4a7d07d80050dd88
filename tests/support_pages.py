"""Shared helpers for the linked-data, pages, dumps and browser tests.

The server under test is the real `sco-kg serve` (granian on 127.0.0.1, worker processes) on the
session's release (conftest's `release` and `start_server`), started once per session with one extra
file loaded (`--load`): a disagreement between two facts of the release, so the "disputed" display is
tested whatever the curators have recorded so far.
"""
from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/sco-kg/"
SCO = BASE + "ontology#"
TEST_DISAGREEMENT = BASE + "disagreement/test-pages-member-count"
TEST_QUESTION = "TEST: how many member states does the SCO have?"
# An attendance only one preview expects (sco:Expected): no source reports it.
EXPECTED_GUEST = BASE + "id/test-expected-guest"
EXPECTED_FACT = BASE + "fact/test-expected-attendance"
EXPECTED_SOURCE = "002_694e076b4a465653"
EXPECTED_QUOTE = "with leaders from various countries attending"
ROOT = Path(__file__).resolve().parents[1]
_cache: dict = {}
# A deadline no page comes near, even on a loaded machine in front of Virtuoso.
PAGES_SERVER_OPTIONS = ("--workers", "2", "--timeout", "120")


def release_store(release: Path) -> ox.Store:
    key = ("store", str(release))
    if key not in _cache:
        s = ox.Store()
        s.bulk_load(path=str(release / "sco-kg.nq"), format=ox.RdfFormat.N_QUADS)
        _cache[key] = s
    return _cache[key]


def rows(release: Path, sparql: str) -> list:
    res = release_store(release).query(sparql, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in res]


def disputed_pair(release: Path) -> tuple[str, str]:
    """Two facts about the SCO from different sources (member counts if the sources give them)."""
    r = rows(release, f"""PREFIX sco: <{SCO}> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?a ?b WHERE {{
  ?a a sco:StatedFigure ; sco:subject <{BASE}id/sco> ; sco:measure ?m ; sco:value ?va ; prov:wasDerivedFrom ?sa .
  ?b a sco:StatedFigure ; sco:subject <{BASE}id/sco> ; sco:measure ?m ; sco:value ?vb ; prov:wasDerivedFrom ?sb .
  FILTER(STR(?a) < STR(?b) && ?sa != ?sb && STR(?va) != STR(?vb))
}} ORDER BY ?a ?b LIMIT 1""")
    if not r:
        r = rows(release, f"""PREFIX sco: <{SCO}> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?a ?b WHERE {{
  ?a a sco:Fact ; ?p <{BASE}id/sco> ; prov:wasDerivedFrom ?sa .
  ?b a sco:Fact ; ?q <{BASE}id/sco> ; prov:wasDerivedFrom ?sb .
  FILTER(STR(?a) < STR(?b) && ?sa != ?sb)
}} ORDER BY ?a ?b LIMIT 1""")
    return r[0]["a"].value, r[0]["b"].value


def disagreement_file(release: Path, folder: Path) -> Path:
    a, b = disputed_pair(release)
    path = folder / "test-disagreement.trig"
    path.write_text(f"""@prefix sco: <{SCO}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}graph/test-pages> {{
  <{TEST_DISAGREEMENT}> a sco:Disagreement ; rdfs:label "{TEST_QUESTION}"@en ;
    sco:about <{BASE}id/sco> ; sco:claim <{a}>, <{b}> .
}}
{expected_attendance()}""", encoding="utf-8")
    return path


def expected_attendance() -> str:
    """TriG: a guest whom only a preview expects at the Astana summit (quote verbatim from source 002)."""
    text = (ROOT / "graph" / "data" / "sources" / f"{EXPECTED_SOURCE}.txt").read_text(encoding="utf-8")
    start = text.index(EXPECTED_QUOTE)
    src, ev = f"{BASE}source/{EXPECTED_SOURCE}", EXPECTED_FACT + "/evidence"
    return f"""@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<{BASE}graph/test-pages> {{
  <{EXPECTED_GUEST}> a sco:Person ; rdfs:label "Test Expected Guest"@en .
  <{EXPECTED_FACT}> a sco:Fact, sco:Attendance ; rdfs:label "TEST: Test Expected Guest attends the summit"@en ;
    sco:attendee <{EXPECTED_GUEST}> ; sco:event <{BASE}id/astana-summit-2024> ;
    prov:wasDerivedFrom <{src}> ; sco:evidence <{ev}> .
  <{ev}> a sco:Evidence, oa:Annotation ; oa:hasBody <{EXPECTED_FACT}> ; sco:factuality sco:Expected ;
    oa:hasTarget [ oa:hasSource <{src}> ;
      oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{EXPECTED_QUOTE}" ],
                     [ a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(EXPECTED_QUOTE)} ] ] .
}}
"""


def _extra_file(release: Path, tmp_path_factory) -> Path:
    """The session's extra file (a disagreement and an expected attendance), written once."""
    if "extra" not in _cache:
        _cache["extra"] = disagreement_file(release, tmp_path_factory.mktemp("pages-extra"))
        _cache["pair"] = disputed_pair(release)
    return _cache["extra"]


@pytest.fixture(scope="session")
def pages_server(backend, release, tmp_path_factory):
    return backend.serve(*PAGES_SERVER_OPTIONS, load=[_extra_file(release, tmp_path_factory)])


class Site:
    """`pages_server`'s app in this process: the same release and extra file, asked through Flask's test
    client (tests/http_helpers.app_request) instead of a socket. Engine-independent behaviour is tested here."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def request(self, path: str, *args, **kwargs):
        from http_helpers import app_request
        return app_request(self.client, path, *args, **kwargs)


@pytest.fixture(scope="session")
def site(release, tmp_path_factory):
    from server.app import create_app
    extra = _extra_file(release, tmp_path_factory)
    # A generous deadline: a test's verdict must not depend on the machine's load.
    app = create_app({"DIST_DIR": release, "DATA_DIR": tmp_path_factory.mktemp("site") / "store", "WORKERS": 1,
                      "LOAD_FILES": [extra], "QUERY_TIMEOUT_S": 120, "TESTING": True})
    yield Site(app)
    app.extensions["sco_store"].close()


@pytest.fixture(scope="module")
def withheld(release, tmp_path_factory):
    """An in-process app on the session release with WITHHOLD_SOURCE_TEXT set."""
    from server.app import create_app
    app = create_app({"DIST_DIR": release, "DATA_DIR": tmp_path_factory.mktemp("withheld") / "store",
                      "WITHHOLD_SOURCE_TEXT": True, "WORKERS": 1})
    yield app.test_client()
    app.extensions["sco_store"].close()


def local(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE):]


class Page(HTMLParser):
    """A small HTML reader: tags with attributes, text per tag, JSON-LD scripts, ids."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.jsonld: list[str] = []
        self.text_parts: list[str] = []
        self.marks: list[str] = []
        self._stack: list[str] = []
        self._in_jsonld = False
        self._mark_depth = 0
        self._buf = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True
            self._buf = ""
        if tag == "mark":
            self._mark_depth += 1
            if self._mark_depth == 1:
                self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "script" and self._in_jsonld:
            self.jsonld.append(self._buf)
            self._in_jsonld = False
        if tag == "mark" and self._mark_depth:
            self._mark_depth -= 1

    def handle_data(self, data):
        if self._in_jsonld:
            self._buf += data
            return
        self.text_parts.append(data)
        if self._mark_depth:
            self.marks[-1] += data

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text_parts))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
