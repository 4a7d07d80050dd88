"""/dumps against the running server: every file with its size and SHA-256, parseable and complete,
described in VoID; withheld source texts are left out of every file."""
import json

import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

from http_helpers import http_request
from support_pages import SCO, Page, pages_server, sha256, withheld  # noqa: F401

pytestmark = pytest.mark.slow
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
DCAT = "http://www.w3.org/ns/dcat#"
FORMATS = {"sco-kg.ttl": "turtle", "sco-kg.trig": "trig", "sco-kg.nq": "nquads", "sco-kg.jsonld": "json-ld"}


@pytest.fixture(scope="module")
def listing(pages_server):
    status, headers, body = http_request(pages_server.base + "/dumps", accept="text/html")
    assert status == 200
    return Page(body.decode())


def test_dumps_page_lists_files_with_size_and_checksum(pages_server, listing, release):
    names = [h.rsplit("/", 1)[-1] for h in listing.hrefs() if h.startswith("/dumps/")]
    for name in FORMATS:
        assert name in names
    for name in FORMATS:
        status, headers, body = http_request(pages_server.base + "/dumps/" + name)
        assert status == 200
        assert sha256(body) in listing.text
        assert f"{len(body):,} bytes" in listing.text
    assert "/.well-known/void" in listing.hrefs()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_dump_holds_the_whole_dataset(pages_server, release, name):
    expected = json.loads((release / "release.json").read_text())
    status, headers, body = http_request(pages_server.base + "/dumps/" + name)
    ds = rdflib.Dataset()
    ds.parse(data=body, format=FORMATS[name])
    triples = set()
    for g in ds.graphs():
        triples.update(g.triples((None, None, None)))
    quads = sum(len(g) for g in ds.graphs())
    if name == "sco-kg.ttl":
        assert len(triples) <= expected["triples"] and len(triples) > 0.95 * expected["triples"]
    else:
        assert quads == expected["triples"]
        names = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert set(expected["graphs"]) <= names


def test_void_lists_the_dumps_with_checksums(pages_server):
    g = rdflib.Graph().parse(pages_server.base + "/dumps", format="turtle")
    dataset = next(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    dumps = set(g.objects(dataset, URIRef(VOID + "dataDump")))
    assert {str(d).rsplit("/", 1)[-1] for d in dumps} >= set(FORMATS)
    for d in dumps:
        body = http_request(str(d))[2]
        cs = g.value(d, URIRef(SPDX + "checksum"))
        assert str(g.value(cs, URIRef(SPDX + "checksumValue"))) == sha256(body)
        assert int(g.value(d, URIRef(DCAT + "byteSize"))) == len(body)
    assert g.value(dataset, URIRef(VOID + "sparqlEndpoint")) == URIRef(pages_server.base + "/sparql")


def test_withheld_dumps_leave_out_source_texts(withheld, release):
    page = Page(withheld.get("/dumps", headers={"Accept": "text/html"}).data.decode())
    assert "withholds the full source texts" in page.text
    for name in list(FORMATS) + ["sco-kg.owl"]:
        with withheld.get("/dumps/" + name) as r:  # closes send_file's handle (ResourceWarning otherwise)
            assert r.status_code == 200, name
            body = r.data
        assert sha256(body) in page.text
        fmt = {"sco-kg.owl": "xml", "sco-kg.ttl": "turtle"}.get(name, FORMATS.get(name))
        ds = rdflib.Dataset()
        ds.parse(data=body, format=fmt)
        assert not any(True for g in ds.graphs() for _ in g.triples((None, URIRef(SCO + "text"), None))), name
        assert "Much press coverage has focused on the SCO".encode() not in body, name
        assert "The organization added Belarus".encode() in body, name  # the quotes stay


LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.mark.parametrize("path", ["/dumps", "/.well-known/void", "/graph/data"])
def test_void_points_at_files_and_states_the_licence(pages_server, path):
    g = rdflib.Graph().parse(data=http_request(pages_server.base + path, accept="text/turtle")[2], format="turtle")
    dataset = next(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    assert g.value(dataset, URIRef("http://purl.org/dc/terms/license")) == LICENSE
    dumps = list(g.objects(dataset, URIRef(VOID + "dataDump")))
    assert dumps
    for d in dumps:
        assert str(d).rstrip("/") != pages_server.base + "/dumps"  # a file, not the listing page
        status, headers, body = http_request(str(d))
        assert status == 200 and not headers["Content-Type"].startswith("text/html") and len(body) > 1000
