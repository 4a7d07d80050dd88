"""/dumps: the release as downloadable files with sizes and SHA-256, and their VoID description (issue 5).

The files come from the release folder (DIST_DIR) written by `sco-kg build`; the JSON-LD dump is
derived from its N-Quads (named graphs kept). With WITHHOLD_SOURCE_TEXT every file is rewritten
without the `sco:text` triples (the source texts); quotes and offsets stay. Derived files are
cached under DATA_DIR/dumps/<release version>[-withheld]/ and made once per release.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph import vocab
from graph.release import read_meta

from .linked_data import LICENCE, SCO_TEXT, jsonld_dataset
from ..sparql.results import PREFIXES

# (file name in the release, label, media type, pyoxigraph format or None for JSON-LD)
FILES = [
    ("sco-kg.ttl", "Turtle (all graphs merged)", "text/turtle", ox.RdfFormat.TURTLE),
    ("sco-kg.trig", "TriG (named graphs)", "application/trig", ox.RdfFormat.TRIG),
    ("sco-kg.nq", "N-Quads (named graphs)", "application/n-quads", ox.RdfFormat.N_QUADS),
    ("sco-kg.jsonld", "JSON-LD (named graphs)", "application/ld+json", None),
    ("sco-kg.owl", "RDF/XML: ontology and data, for Protégé or owlready2", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("sco-kg-ontology.ttl", "Turtle: the ontology alone", "text/turtle", ox.RdfFormat.TURTLE),
]
_lock = threading.Lock()


@dataclass(frozen=True)
class Dump:
    name: str
    label: str
    media_type: str
    path: Path
    size: int
    sha256: str


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _quads(path: Path, fmt) -> list:
    return list(ox.parse(path=str(path), format=fmt))


def dumps(dist: Path, cache_root: Path, withhold: bool) -> list[Dump]:
    """The dump files of the current release (made on first use)."""
    dist = Path(dist)
    version = read_meta(dist).get("version", "unversioned")
    cache = Path(cache_root) / f"{version}{'-withheld' if withhold else ''}"
    out = []
    with _lock:
        for name, label, media, fmt in FILES:
            src = dist / name
            if not (dist / "sco-kg.nq").exists():
                break
            if name == "sco-kg.jsonld" or withhold:
                target = cache / name
                if not target.exists():
                    if name == "sco-kg.jsonld":
                        quads = _quads(dist / "sco-kg.nq", ox.RdfFormat.N_QUADS)
                    elif src.exists():
                        quads = _quads(src, fmt)
                    else:
                        continue
                    if withhold:
                        quads = [q for q in quads if q.predicate.value != SCO_TEXT]
                    if fmt is None:
                        data = json.dumps(jsonld_dataset(quads), ensure_ascii=False, indent=1).encode()
                    elif fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
                        data = ox.serialize([q.triple for q in quads], format=fmt, prefixes=PREFIXES)
                    else:
                        data = ox.serialize(quads, format=fmt,
                                            prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
                    _write_atomic(target, data)
                path = target
            else:
                if not src.exists():
                    continue
                path = src
            digest_file = cache / (name + ".sha256")
            stat = path.stat()
            stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
            digest = None
            if digest_file.exists():
                stored = digest_file.read_text().split()
                if len(stored) == 2 and stored[1] == stamp:
                    digest = stored[0]
            if digest is None:
                digest = _sha256(path)
                _write_atomic(digest_file, f"{digest} {stamp}".encode())
            out.append(Dump(name, label, media, path, stat.st_size, digest))
    return out


def void_triples(dataset_iri: str, url_root: str, items: list[Dump], release: dict, base_iri: str) -> list:
    """VoID: the dataset, its SPARQL endpoint, one void:dataDump per file with size and checksum."""
    n = ox.NamedNode
    VOID, DCT, SPDX, DCAT, XSD = vocab.VOID, vocab.DCTERMS, vocab.SPDX, vocab.DCAT, vocab.XSD
    a = n(vocab.RDF_TYPE)
    ds = n(dataset_iri)
    t = [ox.Triple(ds, a, n(VOID + "Dataset")),
         ox.Triple(ds, n(DCT + "title"), ox.Literal("SCO-KG: the Shanghai Cooperation Organization knowledge graph",
                                                    language="en")),
         ox.Triple(ds, n(VOID + "sparqlEndpoint"), n(url_root + "sparql")),
         ox.Triple(ds, n(VOID + "uriSpace"), ox.Literal(base_iri)),
         ox.Triple(ds, n(VOID + "rootResource"), n(base_iri + "id/sco")),
         ox.Triple(ds, n(VOID + "vocabulary"), n(base_iri + "ontology")),
         ox.Triple(ds, n(DCT + "license"), n(LICENCE)),
         # what changed in this release against the previous one (JSON by Accept; VoID has no term for it)
         ox.Triple(ds, n(vocab.RDFS + "seeAlso"), n(url_root + "changes")),
         ox.Triple(n(url_root + "changes"), n(DCT + "title"),
                   ox.Literal("What changed in this release against the previous one", language="en"))]
    if release.get("triples"):
        t.append(ox.Triple(ds, n(VOID + "triples"), ox.Literal(str(release["triples"]), datatype=n(XSD + "integer"))))
    if release.get("version"):
        t.append(ox.Triple(ds, n(vocab.OWL + "versionInfo"), ox.Literal(str(release["version"]))))
    for d in items:
        f = n(url_root + "dumps/" + d.name)
        cs = ox.BlankNode()
        t += [ox.Triple(ds, n(VOID + "dataDump"), f),
              ox.Triple(f, n(DCAT + "mediaType"), ox.Literal(d.media_type)),
              ox.Triple(f, n(DCAT + "byteSize"), ox.Literal(str(d.size), datatype=n(XSD + "integer"))),
              ox.Triple(f, n(DCT + "title"), ox.Literal(d.label, language="en")),
              ox.Triple(f, n(SPDX + "checksum"), cs),
              ox.Triple(cs, a, n(SPDX + "Checksum")),
              ox.Triple(cs, n(SPDX + "algorithm"), n(SPDX + "checksumAlgorithm_sha256")),
              ox.Triple(cs, n(SPDX + "checksumValue"), ox.Literal(d.sha256, datatype=n(XSD + "hexBinary")))]
    return t
