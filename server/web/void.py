"""The one VoID description of the served dataset (VoID §7.2), at /.well-known/void and /dumps, and of
each named graph at its IRI (/graph/data): its size, endpoint, licence and every dump with its checksum."""
from __future__ import annotations

import pyoxigraph as ox

from ontology import vocab

from ..sparql.operations import DatasetInfo
from .dumps import Dump

VOID, DCT, SPDX, DCAT, XSD = vocab.VOID, vocab.DCTERMS, vocab.SPDX, vocab.DCAT, vocab.XSD
TYPE = ox.NamedNode(vocab.RDF_TYPE)
TITLE = ox.Literal("SCO-KG: the Shanghai Cooperation Organization knowledge graph", language="en")
VOCABULARIES = [vocab.ORG, vocab.PROV, vocab.OA, vocab.TIME, vocab.DCTERMS, vocab.SKOS]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD + "integer"))


def dataset_iri(url_root: str) -> str:
    return url_root + ".well-known/void#dataset"


def dataset_void(url_root: str, info: DatasetInfo, dumps: list[Dump]) -> list[ox.Triple]:
    """The whole dataset: title, size, URI space, vocabularies, version, one subset per named graph."""
    ds, base = _n(dataset_iri(url_root)), vocab.BASE
    t = _described(ds, info.triples, url_root, dumps)
    t += [ox.Triple(ds, _n(DCT + "title"), TITLE),
          ox.Triple(ds, _n(VOID + "uriSpace"), ox.Literal(base)),
          ox.Triple(ds, _n(VOID + "rootResource"), _n(base + "id/sco")),
          # what changed in this release against the previous one (JSON by Accept; VoID has no term for it)
          ox.Triple(ds, _n(vocab.RDFS + "seeAlso"), _n(url_root + "changes")),
          ox.Triple(_n(url_root + "changes"), _n(DCT + "title"),
                    ox.Literal("What changed in this release against the previous one", language="en"))]
    t += [ox.Triple(ds, _n(VOID + "vocabulary"), _n(v)) for v in [base + "ontology", *VOCABULARIES]]
    if info.release.get("version"):
        t.append(ox.Triple(ds, _n(vocab.OWL + "versionInfo"), ox.Literal(str(info.release["version"]))))
    for graph, count in sorted(info.graphs.items()):
        t += [ox.Triple(ds, _n(VOID + "subset"), _n(graph)),
              ox.Triple(_n(graph), TYPE, _n(VOID + "Dataset")),
              ox.Triple(_n(graph), _n(VOID + "triples"), _int(count))]
    return t


def graph_void(graph: str, triples: int, url_root: str, dumps: list[Dump]) -> list[ox.Triple]:
    """One named graph, a subset of the dataset: its size, and where to query or download it."""
    return _described(_n(graph), triples, url_root, dumps)


def _described(node: ox.NamedNode, triples: int, url_root: str, dumps: list[Dump]) -> list[ox.Triple]:
    t = [ox.Triple(node, TYPE, _n(VOID + "Dataset")),
         ox.Triple(node, _n(VOID + "triples"), _int(triples)),
         ox.Triple(node, _n(VOID + "sparqlEndpoint"), _n(url_root + "sparql")),
         ox.Triple(node, _n(DCT + "license"), _n(vocab.DATA_LICENSE))]
    for d in dumps:
        f, cs = _n(url_root + "dumps/" + d.name), ox.BlankNode()
        t += [ox.Triple(node, _n(VOID + "dataDump"), f),
              ox.Triple(f, _n(DCAT + "mediaType"), ox.Literal(d.media_type)),
              ox.Triple(f, _n(DCAT + "byteSize"), _int(d.size)),
              ox.Triple(f, _n(DCT + "title"), ox.Literal(d.label, language="en")),
              ox.Triple(f, _n(SPDX + "checksum"), cs),
              ox.Triple(cs, TYPE, _n(SPDX + "Checksum")),
              ox.Triple(cs, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
              ox.Triple(cs, _n(SPDX + "checksumValue"), ox.Literal(d.sha256, datatype=_n(XSD + "hexBinary")))]
    return t
