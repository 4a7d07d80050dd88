"""/dumps, in process: the release as files with sizes and SHA-256, each holding the whole dataset, and
VoID pointing at them with the licence. The dumps are files of the release, the same whatever the engine.
"""
import json
import urllib.parse

import pytest
import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

from support_pages import Page, sha256, site  # noqa: F401  (fixture)
from test_dumps import FORMATS, VOID

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@pytest.fixture(scope="module")
def listing(site):
    status, headers, body = site.request("/dumps", accept="text/html")
    assert status == 200
    return Page(body.decode())


def test_dumps_page_lists_files_with_size_and_checksum(site, listing, release):
    names = [h.rsplit("/", 1)[-1] for h in listing.hrefs() if h.startswith("/dumps/")]
    for name in FORMATS:
        assert name in names
    for name in FORMATS:
        status, headers, body = site.request("/dumps/" + name)
        assert status == 200
        assert sha256(body) in listing.text
        assert f"{len(body):,} bytes" in listing.text
    assert "/.well-known/void" in listing.hrefs()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_dump_holds_the_whole_dataset(site, release, name):
    expected = json.loads((release / "release.json").read_text())
    status, headers, body = site.request("/dumps/" + name)
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


@pytest.mark.parametrize("path", ["/dumps", "/.well-known/void", "/graph/data"])
def test_void_points_at_files_and_states_the_licence(site, path):
    g = rdflib.Graph().parse(data=site.request(path, accept="text/turtle")[2], format="turtle")
    dataset = next(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    assert g.value(dataset, URIRef("http://purl.org/dc/terms/license")) == LICENSE
    dumps = list(g.objects(dataset, URIRef(VOID + "dataDump")))
    assert dumps
    for d in dumps:
        assert urllib.parse.urlsplit(str(d)).path.rstrip("/") != "/dumps"  # a file, not the listing page
        status, headers, body = site.request(str(d))
        assert status == 200 and not headers["Content-Type"].startswith("text/html") and len(body) > 1000
