"""The W3C Reconciliation Service API 0.2 at /reconcile: the protocol OpenRefine speaks to match a
column of names (states, persons, organizations …) to the graph's IRIs.

- `GET /reconcile`: the service manifest; `queries=` (a form POST, or GET) runs a query batch.
- `/reconcile/suggest/{entity,type,property}?prefix=&cursor=`: auto-completion.
- `/reconcile/preview?id=`: a small HTML summary for an iframe.

Candidates come from the search index (server.web.search): names folded for case and accents, so
"Türkiye" finds Turkey by its alternative name. An entity's id is its path under `id/` (as in
`/search`), a type's or property's id its compact IRI (`sco:State`); full IRIs are accepted too.
Types restrict the candidates (a class or any class below it); properties raise the score of the
candidates whose values match. The spec leaves both choices to the service (§ Reconciliation Queries).
Every answer allows any origin (CORS is a MUST there; nothing here writes or needs credentials).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ontology import vocab

from ..errors import EndpointError
from . import linked_data as ld
from . import search as search_mod
from .page_model import local_name
from .queries import bind, iri

bp = Blueprint("reconcile", __name__, template_folder="templates")

ENTITY_SPACE = vocab.BASE + "id/"
MAX_QUERIES = 100      # per batch (OpenRefine sends 10)
MAX_LIMIT = 25         # candidates per query
DEFAULT_LIMIT = 5
MAX_PROPERTIES = 10    # property constraints per query, and values per constraint
MAX_VALUE_ROWS = 5000  # rows of one property-values query
POOL = 50              # names read from the index before types and properties filter them
SUGGEST_PAGE = 10
# A name score per search rank level: exact, starts with, a word starts with, contains.
NAME_SCORES = (100, 80, 60, 40)
PROPERTY_TYPES = {vocab.OWL + "ObjectProperty", vocab.OWL + "DatatypeProperty", vocab.OWL + "AnnotationProperty",
                  vocab.RDF + "Property"}
DEFAULT_TYPES = ("sco:State", "sco:Person", "sco:IntergovernmentalOrganization", "sco:Organization")


class BadBatch(EndpointError):
    status = 400


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...]
    limit: int
    properties: tuple[tuple[str, tuple], ...]  # (property IRI, wanted values)


def _index():
    return search_mod.index_for(current_app.extensions["sco_store"])


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


@bp.after_request
def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


# --- identifiers ------------------------------------------------------------------------------------

def entity_id(iri_: str) -> str:
    return iri_[len(ENTITY_SPACE):]


def schema_id(iri_: str) -> str:
    return ld.compact_iri(iri_)


def expand(identifier: str, entity: bool = False) -> str:
    """A full IRI from an id as this service writes it (entity path, compact IRI) or a full IRI."""
    if identifier.startswith(("http://", "https://")):
        return identifier
    prefix, sep, local = identifier.partition(":")
    if sep and prefix in ld.CONTEXT and isinstance(ld.CONTEXT[prefix], str):
        return ld.CONTEXT[prefix] + local
    return (ENTITY_SPACE if entity else vocab.SCO) + identifier


def _type_list(index, iri_: str) -> list[dict]:
    return [{"id": schema_id(t), "name": index.labels.get(t, ld.compact_iri(t))}
            for t in sorted(index.type_iris.get(iri_, ()))]


# --- the manifest -----------------------------------------------------------------------------------

def manifest() -> dict:
    root = request.url_root
    index = _index()
    return {
        "versions": ["0.2"],
        "name": "SCO-KG: the Shanghai Cooperation Organization knowledge graph",
        "identifierSpace": ENTITY_SPACE,
        "schemaSpace": vocab.SCO,
        "view": {"url": root + "id/{{id}}"},
        "preview": {"url": root + "reconcile/preview?id={{id}}", "width": 400, "height": 140},
        "defaultTypes": [{"id": t, "name": index.labels.get(expand(t), t)} for t in DEFAULT_TYPES],
        "suggest": {kind: {"service_url": root.rstrip("/"), "service_path": f"/reconcile/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
    }


# --- reading a query batch --------------------------------------------------------------------------

def parse_batch(raw: str) -> dict[str, Query]:
    """A reconciliation query batch (JSON) as Query objects; BadBatch says what is wrong, and where."""
    try:
        batch = json.loads(raw)
    except ValueError as e:
        raise BadBatch(f"queries is not JSON: {e}") from None
    if not isinstance(batch, dict):
        raise BadBatch("queries must be a JSON object of queries by key, e.g. {\"q0\": {\"query\": \"Belarus\"}}")
    if len(batch) > MAX_QUERIES:
        raise BadBatch(f"at most {MAX_QUERIES} queries per batch; this one has {len(batch)}")
    return {key: _parse_query(key, q) for key, q in batch.items()}


def _parse_query(key: str, q) -> Query:
    if not isinstance(q, dict):
        raise BadBatch(f"query {key!r} must be an object")
    text = q.get("query", "")
    if not isinstance(text, str):
        raise BadBatch(f"query {key!r}: query must be a string")
    types = q.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadBatch(f"query {key!r}: type must be a string or a list of strings")
    limit = q.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 1:
        raise BadBatch(f"query {key!r}: limit must be a positive integer")
    properties = q.get("properties", [])
    if not isinstance(properties, list) or len(properties) > MAX_PROPERTIES:
        raise BadBatch(f"query {key!r}: properties must be a list of at most {MAX_PROPERTIES}")
    parsed = tuple(_parse_property(key, p) for p in properties)
    if not text.strip() and not parsed:
        raise BadBatch(f"query {key!r} needs a non-empty query or properties")
    return Query(text, tuple(expand(t) for t in types[:MAX_PROPERTIES]), min(int(limit), MAX_LIMIT), parsed)


def _parse_property(key: str, p) -> tuple[str, tuple]:
    if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or "v" not in p:
        raise BadBatch(f"query {key!r}: each property needs pid (a string) and v")
    values = p["v"] if isinstance(p["v"], list) else [p["v"]]
    wanted = []
    for v in values[:MAX_PROPERTIES]:
        if isinstance(v, dict) and isinstance(v.get("id"), str):
            wanted.append(("iri", expand(v["id"], entity=True)))
        elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
            wanted.append(("text", search_mod.fold(str(v)).strip()))
        elif isinstance(v, bool):
            wanted.append(("text", str(v).lower()))
        else:
            raise BadBatch(f"query {key!r}: property {p['pid']!r} has a value that is neither a string, "
                           "a number, a boolean nor an object with an id")
    return expand(p["pid"]), tuple(wanted)


# --- matching ---------------------------------------------------------------------------------------

def _by_name(index, text: str) -> dict[str, int]:
    """Entity IRIs by name score; an entity's own id (or IRI) as the query finds it with full score."""
    found = {h.iri: NAME_SCORES[h.rank[0]] for h in index.search(text, POOL) if h.iri.startswith(ENTITY_SPACE)}
    own = expand(text.strip(), entity=True)
    if own in index.labels and own.startswith(ENTITY_SPACE):
        found[own] = NAME_SCORES[0]
    return found


def _value_matches(index, value: ox.NamedNode | ox.Literal, wanted: tuple) -> bool:
    if isinstance(value, ox.NamedNode):
        names = {search_mod.fold(n) for n in index.names_of(value.value)}
        names |= {search_mod.fold(value.value), search_mod.fold(local_name(value.value))}
        return any((kind == "iri" and w == value.value) or (kind == "text" and w in names) for kind, w in wanted)
    folded = search_mod.fold(value.value).strip()
    return any(kind == "text" and w == folded for kind, w in wanted)


def _property_hits(store, index, entities: list[str], q: Query) -> dict[str, int]:
    """How many of the query's property constraints each entity meets."""
    if not q.properties or not entities:
        return {}
    rows = store.select(bind("reconcile_values", e=[iri(e) for e in entities],
                             p=[iri(p) for p, _ in q.properties]) + f" LIMIT {MAX_VALUE_ROWS}")
    met: dict[str, set[str]] = {}
    wanted = dict(q.properties)
    for r in rows:
        if _value_matches(index, r["v"], wanted[r["p"].value]):
            met.setdefault(r["e"].value, set()).add(r["p"].value)
    return {e: len(ps) for e, ps in met.items()}


def _by_properties(store, q: Query) -> list[str]:
    """Candidates for a query without a name: the entities with a value the query names by IRI."""
    values = [iri(w) for _, wanted in q.properties for kind, w in wanted if kind == "iri"]
    if not values:
        return []
    rows = store.select(bind("reconcile_subjects", p=[iri(p) for p, _ in q.properties], v=values)
                        + f" LIMIT {POOL}")
    return [r["e"].value for r in rows if r["e"].value.startswith(ENTITY_SPACE)]


def candidates(store, index, q: Query) -> list[dict]:
    names = _by_name(index, q.text) if q.text.strip() else {e: 0 for e in _by_properties(store, q)}
    if q.types:
        names = {e: s for e, s in names.items() if index.classes_of(e) & set(q.types)}
    met = _property_hits(store, index, list(names), q)
    scored = []
    for e, name_score in names.items():
        share = met.get(e, 0) / len(q.properties) if q.properties else 1.0
        score = name_score * (0.5 + 0.5 * share) if q.text.strip() else 100 * share
        features = [{"id": "name", "value": name_score}]
        if q.properties:
            features.append({"id": "properties", "value": round(share, 3)})
        scored.append({"id": entity_id(e), "name": index.labels.get(e, entity_id(e)),
                       "description": index.description(e), "type": _type_list(index, e),
                       "score": round(score, 1), "features": features, "match": False})
    scored.sort(key=lambda c: -c["score"])  # stable: ties keep the search ranking (shorter names first)
    scored = scored[:q.limit]
    # A match only when the best is certain: full score, and no other candidate as good.
    if scored and scored[0]["score"] == 100 and (len(scored) == 1 or scored[1]["score"] < 100):
        scored[0]["match"] = True
    return scored


# --- routes -----------------------------------------------------------------------------------------

@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    raw = request.values.get("queries")
    if raw is None:
        return _json(manifest())
    batch = parse_batch(raw)
    store, index = current_app.extensions["sco_store"], _index()
    return _json({key: {"result": candidates(store, index, q)} for key, q in batch.items()})


def _cursor() -> int:
    try:
        return max(0, min(1000, int(request.args.get("cursor", 0))))
    except ValueError:
        raise BadBatch("cursor must be an integer") from None


def _suggest(keep, item) -> Response:
    prefix, cursor = request.args.get("prefix", ""), _cursor()
    index = _index()
    hits = [h for h in index.search(prefix, cursor + SUGGEST_PAGE * 4) if keep(index, h.iri)]
    return _json({"result": [item(index, h) for h in hits[cursor:cursor + SUGGEST_PAGE]]})


@bp.route("/reconcile/suggest/entity")
def suggest_entity():
    return _suggest(lambda index, e: e.startswith(ENTITY_SPACE),
                    lambda index, h: {"id": entity_id(h.iri), "name": h.label, "description": h.description,
                                      "notable": _type_list(index, h.iri)})


@bp.route("/reconcile/suggest/type")
def suggest_type():
    return _suggest(lambda index, e: vocab.OWL + "Class" in index.type_iris.get(e, ()),
                    lambda index, h: {"id": schema_id(h.iri), "name": h.label})


@bp.route("/reconcile/suggest/property")
def suggest_property():
    return _suggest(lambda index, e: bool(index.type_iris.get(e, set()) & PROPERTY_TYPES),
                    lambda index, h: {"id": schema_id(h.iri), "name": h.label})


@bp.route("/reconcile/preview")
def preview():
    index = _index()
    entity = expand(request.args.get("id", ""), entity=True)
    if entity not in index.labels:
        raise EndpointError(f"No entity with id {request.args.get('id', '')!r}.", status=404)
    label = index.labels[entity]
    aliases = [n for n in index.names_of(entity) if n != label]
    page = render_template("reconcile_preview.html", iri=entity, path="/id/" + entity_id(entity), label=label,
                           aliases=aliases, types=_type_list(index, entity))
    return Response(page, content_type="text/html; charset=utf-8")

