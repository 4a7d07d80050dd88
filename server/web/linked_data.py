"""Dereferenceable IRIs: host mapping, content negotiation, RDF descriptions, JSON-LD.

Host mapping: every IRI the graph mints starts with the base ontology.vocab.BASE (https://w3id.org/sco-kg/).
The server answers for an IRI on whatever host it runs on at the same path relative to its root:
``http://127.0.0.1:8035/id/belarus`` stands for ``https://w3id.org/sco-kg/id/belarus``, and
``/ontology`` for ``https://w3id.org/sco-kg/ontology`` (and so for every ``ontology#Term``).

Negotiation: one URL per resource answers 200 with the representation the Accept header
prefers (q-values, most specific range first, ties in our order: Turtle, JSON-LD, RDF/XML,
N-Triples, HTML) and ``Content-Location`` naming that representation's own URL
(``/id/belarus.ttl``, ``.jsonld``, ``.rdf``, ``.nt``, ``.html``), which can also be fetched directly.
Browsers send ``text/html`` explicitly and get the page; ``*/*`` or no Accept gets Turtle.
"""
from __future__ import annotations

import json

import pyoxigraph as ox

from ontology import vocab

from ..sparql.negotiation import MEDIA_TYPE_OF, Choice, acceptable
from ..sparql.results import PREFIXES, graph_bytes
from .queries import bind, iri

SCO, RDF_TYPE = vocab.SCO, vocab.RDF_TYPE
SCO_TEXT = SCO + "text"
LICENCE = vocab.DATA_LICENSE

# media type -> (format name, file extension); order = preference on ties.
OFFERS = {
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/n-triples": "ntriples",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",  # Turtle is a subset of N3
    "application/json": "jsonld",
}
EXTENSIONS = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "rdfxml", "nt": "ntriples", "html": "html"}
EXTENSION_OF = {v: k for k, v in EXTENSIONS.items()}

# The published JSON-LD context (also at /context.jsonld): prefixes only, so compaction never
# changes meaning and any JSON-LD processor reads our documents without fetching anything.
CONTEXT = {k: v for k, v in PREFIXES.items() if k not in ("sd",)}
CONTEXT.update({"foaf": vocab.FOAF, "vann": vocab.VANN, "spdx": vocab.SPDX, "dcat": vocab.DCAT})


def negotiate(accept: str | None, ext: str | None = None) -> Choice:
    """The representation a `.ext` URL names, else the one Accept prefers; NotAcceptable (406) if none."""
    if ext:
        return Choice(MEDIA_TYPE_OF[EXTENSIONS[ext]], EXTENSIONS[ext])
    return acceptable(accept, OFFERS, canonical=True)


def iri_for_path(base_iri: str, path: str) -> str:
    """The canonical IRI a request path on this server stands for; ValueError if that is not an IRI.

    The path arrives percent-decoded, so %00, %20, invalid UTF-8 (decoded to U+FFFD or a surrogate)
    and `{ | ^ < > "` show up as the characters RFC 3987 does not allow in an IRI.
    """
    candidate = base_iri + path.lstrip("/")
    if "\ufffd" in candidate:
        raise ValueError("not an IRI: undecodable bytes in the path")
    return iri(candidate).value


def path_for_iri(base_iri: str, iri_: str) -> str | None:
    """The local path (with fragment) of an IRI under the base, else None."""
    if iri_.startswith(base_iri):
        return "/" + iri_[len(base_iri):]
    return None


def document_of(iri_: str) -> str:
    return iri_.split("#", 1)[0]


def exists(store, subject: str) -> bool:
    return store.ask(bind("exists", r=[iri(subject)]))


def describe(store, subject: str, base_iri: str, withhold_text: bool) -> list:
    """The RDF served for an IRI.

    - the ontology IRI (and every `ontology#Term`, served by the same document): the ontology graph;
    - anything else: the endpoint's DESCRIBE (the resource's triples, the fact nodes about it with
      their evidence, fragments and blank nodes), plus any triple with the IRI as object when the
      IRI is only ever an object (e.g. an imported module).
    Every document also states the data's licence (dcterms:license, see docs/linked-data.md).
    Source texts (sco:text) are left out when WITHHOLD_SOURCE_TEXT is set.
    """
    term = iri(subject)
    if document_of(subject) == base_iri + "ontology":
        triples = store.construct(bind("ontology_graph", g=[iri(vocab.GRAPH_ONTOLOGY)]))
    else:
        triples = store.construct(bind("describe", r=[term]))
        if not triples:
            triples = store.construct(bind("object_only", r=[term]))
    if withhold_text:
        triples = [t for t in triples if t.predicate.value != SCO_TEXT]
    licence = ox.Triple(ox.NamedNode(document_of(subject)), ox.NamedNode(vocab.DCTERMS + "license"), ox.NamedNode(LICENCE))
    # dict.fromkeys: once each, in order (the ontology graph states the licence itself)
    return list(dict.fromkeys(triples + [licence]))


def serialize(triples: list, fmt: str) -> bytes:
    if fmt == "jsonld":
        return json.dumps(jsonld_document(triples), ensure_ascii=False, indent=1).encode()
    return graph_bytes(triples, fmt, max(len(triples), 1))


# --- JSON-LD -------------------------------------------------------------------------------

def compact_iri(iri: str) -> str:
    best = None
    for prefix, ns in CONTEXT.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if "/" not in local and "#" not in local and (best is None or len(ns) > len(CONTEXT[best[0]])):
                best = (prefix, local)
    return f"{best[0]}:{best[1]}" if best else iri


def _node_id(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return compact_iri(term.value)


_XSD_STRING = vocab.XSD + "string"


def _value(term):
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == _XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact_iri(term.datatype.value)}
    return {"@id": _node_id(term)}


def jsonld_nodes(triples) -> list[dict]:
    nodes: dict[str, dict] = {}
    for t in triples:
        sid = _node_id(t.subject)
        node = nodes.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(t.object.value))
        else:
            node.setdefault(compact_iri(t.predicate.value), []).append(_value(t.object))
    return [nodes[k] for k in sorted(nodes)]


def jsonld_document(triples, context_inline: bool = True) -> dict:
    """Compacted with the published context, which is embedded so no client fetches it."""
    return {"@context": CONTEXT if context_inline else "/context.jsonld", "@graph": jsonld_nodes(triples)}


def jsonld_dataset(quads) -> dict:
    """A JSON-LD dataset: one named-graph object per graph (default-graph triples at the top level)."""
    by_graph: dict = {}
    for q in quads:
        g = q.graph_name
        key = None if isinstance(g, ox.DefaultGraph) else g
        by_graph.setdefault(key, []).append(q.triple)
    graph = jsonld_nodes(by_graph.pop(None, []))
    for g in sorted(by_graph, key=lambda n: n.value):
        graph.append({"@id": _node_id(g), "@graph": jsonld_nodes(by_graph[g])})
    return {"@context": CONTEXT, "@graph": graph}


def script_json(data) -> str:
    """JSON for a <script type="application/ld+json"> element (no '</' can close the element)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
