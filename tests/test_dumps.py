"""/dumps against the running server: rdflib reads the VoID over HTTP and each file it names matches its
checksum; withheld source texts are left out of every file. The rest of /dumps: test_dumps_app.py."""
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




