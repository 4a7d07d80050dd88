"""Linked-data pages: dereferenceable IRIs, entity and source pages, home, query page, dumps, ontology docs.

Every IRI under the graph's base (ontology.vocab.BASE) is answered at the same path on this server (see server.web.linked_data):
one URL per resource, 200 with the negotiated representation and `Content-Location` naming it,
`Vary: Accept`; `/path.ttl|.jsonld|.rdf|.nt|.html` fetch one representation directly.
"""
from __future__ import annotations

import base64
import json
import re
from collections import OrderedDict
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from markupsafe import Markup

from ontology import vocab
from graph.release import read_meta

from ..sparql.negotiation import MEDIA_TYPE_OF, acceptable, choose

from . import dumps as dumps_mod
from . import linked_data as ld
from . import ontology_doc, void
from . import fact_kinds, query_form, search as search_mod
from .page_model import (CATEGORIES, EVENT_TYPES, ORGANIZATION_TYPES, SCO, anchor, highlight_segments, humanize,
                         inside_marks, local_name, mark_disputes)
from .queries import bind, iri
from .reads import View
from .source_names import source_name
from .timeline_svg import timeline

bp = Blueprint("pages", __name__, template_folder="templates")
STATIC = Path(__file__).resolve().parent / "static"
MAX_SUGGEST_PATH = 200


# --- helpers -------------------------------------------------------------------------------

def _store():
    return current_app.extensions["sco_store"]


def _withhold() -> bool:
    return bool(current_app.config.get("WITHHOLD_SOURCE_TEXT"))


def _view() -> View:
    return View(_store(), _withhold())


def href(iri: str) -> str:
    """Where a page links for an IRI: our own IRIs on this server, anything else as is."""
    path = ld.path_for_iri(vocab.BASE, iri)
    return path if path is not None else iri


@bp.app_template_filter("href")
def _href_filter(iri):
    return href(str(iri))


@bp.app_template_filter("local")
def _local_filter(iri):
    return local_name(str(iri))


@bp.app_template_test("string_startswith")
def _startswith_test(value, prefix):
    return str(value).startswith(prefix)


@bp.app_template_filter("curie")
def _curie_filter(iri):
    return ld.compact_iri(str(iri))


@bp.app_template_filter("humanize")
def _humanize_filter(iri):
    return humanize(str(iri))


@bp.app_template_filter("inside_marks")
def _inside_marks_filter(text):
    return inside_marks(str(text))


@bp.app_template_global("wikidata_id")
def _wikidata_id(iri: str) -> str | None:
    # The graph writes vocab.WIKIDATA (http); a --load file may write the same entity with https.
    m = re.fullmatch("https?" + re.escape(vocab.WIKIDATA.removeprefix("http")) + r"(Q\d+)", iri)
    return m.group(1) if m else None


@bp.app_context_processor
def _globals():
    return {"base_iri": vocab.BASE, "vocab": vocab, "withhold": _withhold(), "categories": CATEGORIES,
            "kinds": fact_kinds.KINDS, "search_query": ""}


def _source_names(view: View) -> dict:
    """Each source with the name pages show for it (server.web.source_names)."""
    out = {}
    for s in view.sources():
        s["name"], s["named_by_curators"] = source_name(s)
        out[s["iri"]] = s
    return out


def _small_jsonld(iri_: str) -> str:
    """The RDF a page embeds for crawlers: the resource's own triples and the facts about it (labels,
    kinds, links), without evidence or source text (those are one request away as JSON-LD)."""
    triples = _store().construct(bind("page_jsonld", r=[iri(iri_)]))
    return Markup(ld.script_json(ld.jsonld_document(triples)))


def _alternates(path: str) -> list[tuple[str, str, str]]:
    return [(f"{path}.{ext}", MEDIA_TYPE_OF[fmt], name) for ext, fmt, name in
            (("ttl", "turtle", "Turtle"), ("jsonld", "jsonld", "JSON-LD"), ("rdf", "rdfxml", "RDF/XML"),
             ("nt", "ntriples", "N-Triples"))]


def _html(template: str, status: int = 200, **ctx) -> Response:
    resp = Response(render_template(template, **ctx), status=status, content_type="text/html; charset=utf-8")
    return resp


def _wants_html() -> bool:
    choice = choose(request.headers.get("Accept"), ld.OFFERS)
    return choice is not None and choice.format == "html"


# --- the resolver for every minted IRI ----------------------------------------------------------

def _split_extension(path: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*)\.(ttl|jsonld|rdf|nt|html)$", path)
    if not m:
        return path, None
    return m.group(1), m.group(2)


def resolve(path: str) -> Response:
    store, base = _store(), vocab.BASE
    try:
        iri_ = ld.iri_for_path(base, path)
    except ValueError:
        # Not an IRI (%00, undecodable bytes, spaces, { | ^ …): no query could name it.
        return not_found(base + path.lstrip("/"), suggest=False)
    found, ext = ld.exists(store, iri_), None
    if not found:
        stripped, ext = _split_extension(path)
        if ext:
            iri_ = ld.iri_for_path(base, stripped)
            found = ld.exists(store, iri_)
            path = stripped
    if not found:
        graph = _named_graph(path)
        if graph is not None:
            return graph
        return not_found(iri_)
    iri = iri_
    choice = ld.negotiate(request.headers.get("Accept"), ext)
    local = "/" + path.lstrip("/")
    if choice.format == "html":
        resp = _page(iri, local)
    else:
        triples = ld.describe(store, iri, base, _withhold())
        resp = Response(ld.serialize(triples, choice.format), content_type=choice.content_type)
    resp.headers["Vary"] = "Accept"
    if not ext:
        resp.headers["Content-Location"] = f"{local}.{ld.EXTENSION_OF[choice.format]}"
    return resp


def _named_graph(path: str) -> Response | None:
    """A named graph's IRI (…/graph/data): a short VoID description of it, or its page."""
    stripped, ext = _split_extension(path)
    if not stripped.startswith("graph/"):
        return None
    iri = ld.iri_for_path(vocab.BASE, stripped)
    # The graphs the store serves, as it counted them; not a GRAPH <iri> query, which an engine may
    # answer wrongly for a graph outside the served dataset (Virtuoso 7.2.5 counts 1 for GRAPH <unknown>).
    n = _store().info().graphs.get(iri, 0)
    if not n:
        return None
    choice = ld.negotiate(request.headers.get("Accept"), ext)
    if choice.format == "html":
        resp = _html("graph.html", title=f"Named graph {local_name(iri)}", iri=iri, triples=n,
                     alternates=_alternates("/" + stripped))
    else:
        triples = void.graph_void(iri, n, request.url_root, _dump_items())
        resp = Response(ld.serialize(triples, choice.format), content_type=choice.content_type)
    resp.headers["Vary"] = "Accept"
    if not ext:
        resp.headers["Content-Location"] = f"/{stripped}.{ld.EXTENSION_OF[choice.format]}"
    return resp


def not_found(iri_: str, suggest: bool = True) -> Response:
    if not _wants_html():
        return Response(f"The graph holds nothing about <{iri_}>.\nStart at {request.url_root} or query "
                        f"{request.url_root}sparql.\n", status=404, content_type="text/plain; charset=utf-8",
                        headers={"Vary": "Accept"})
    suggestions = []
    if suggest:
        # Bounded: the path is cut to MAX_SUGGEST_PATH characters, a few words, a capped candidate list.
        rest = iri_[len(vocab.BASE):] if iri_.startswith(vocab.BASE) else iri_
        words = re.split(r"[/\-_.#]+", rest[:MAX_SUGGEST_PATH])
        suggestions = search_mod.index_for(_store()).similar(words[1:] if len(words) > 1 else words)
    resp = _html("not_found.html", status=404, iri=iri_, suggestions=suggestions)
    resp.headers["Vary"] = "Accept"
    return resp


def _page(iri: str, local: str) -> Response:
    base = vocab.BASE
    doc = ld.document_of(iri)
    view = _view()
    if doc == base + "ontology":
        return _html("ontology.html", onto=ontology_doc.ontology(_store(), base), alternates=_alternates(local),
                     jsonld=_small_jsonld(iri), title="SCO-KG ontology")
    res = view.resource(iri)
    types = {t.value for t in res["types"]}
    if SCO + "SourceDocument" in types:
        return _source_page(view, iri, res, local)
    if SCO + "Fact" in types:
        return _fact_page(view, iri, res, local)
    if SCO + "Evidence" in types or vocab.OA + "Annotation" in types:
        body = view.evidence_body(iri)
        if body:
            return _fact_page(view, body, view.resource(body), href(body), focus=anchor(iri))
    return _entity_page(view, iri, res, local)


def _shown_columns(columns, facts, about: str | None) -> list:
    """The columns with something to say: not empty in every row, nor the page's own entity in every row."""
    def says(p, f):
        if p == "when":
            return bool(f.period)
        cells = f.cell(p)
        return bool(cells) and not (about and all(c.value == about for c in cells))
    return [(p, header) for p, header in columns if any(says(p, f) for f in facts)]


def _group(facts, about_event: bool = False, about: str | None = None) -> "OrderedDict[str, dict]":
    """The facts by kind in page order; facts no source reports (only expected or hedged) apart,
    so an expected attendance is never listed among those that happened."""
    groups: OrderedDict = OrderedDict()
    for kind in fact_kinds.ORDER + [fact_kinds.OTHER]:
        shown = fact_kinds.KINDS.get(kind)
        columns = shown.columns if shown else ()
        items = [f for f in facts if f.kind == kind]
        heading = fact_kinds.heading(kind, about_event)
        for reported in (True, False):
            part = [f for f in items if f.reported == reported]
            if part:
                key = kind if reported else kind + "-unreported"
                groups[key] = {"heading": heading if reported else f"{heading}: expected or possible, not reported",
                               "columns": _shown_columns(columns, part, about), "facts": part, "reported": reported}
    return groups


def _entity_page(view: View, iri: str, res: dict, local: str) -> Response:
    fact_iris = view.fact_iris_about(iri)
    facts = view.facts(fact_iris)
    disagreements = view.disagreements(fact_iris, about=iri)
    mark_disputes(facts, disagreements)
    types = {t.value for t in res["types"]}
    chart = None
    if types & ORGANIZATION_TYPES:
        chart = timeline(iri, facts, href)
        if not chart["svg"] and not chart["undated"]:
            chart = None
    labels = view.labels(res["props"].keys())
    return _html("entity.html", res=res, title=res["label"] or humanize(iri), facts=facts,
                 groups=_group(facts, about_event=bool(types & EVENT_TYPES), about=iri),
                 disagreements=disagreements, chart=chart, prop_labels=labels, sources=_source_names(view),
                 alternates=_alternates(local), jsonld=_small_jsonld(iri), path=local)


def _fact_page(view: View, iri: str, res: dict, local: str, focus: str | None = None) -> Response:
    facts = view.facts([iri])
    fact = facts[0] if facts else None
    disagreements = view.disagreements([iri])
    mark_disputes(facts, disagreements)
    labels = view.labels(fact.props.keys() if fact else [])
    return _html("fact.html", res=res, fact=fact, title=res["label"] or humanize(iri), prop_labels=labels,
                 disagreements=disagreements, sources=_source_names(view), focus=focus,
                 alternates=_alternates(local), jsonld=_small_jsonld(iri), path=local)


def _source_page(view: View, iri: str, res: dict, local: str) -> Response:
    quotes = view.source_evidence(iri)
    text = view.texts([iri]).get(iri)
    segments = highlight_segments(text, quotes) if text is not None else None
    fact_iris = view.fact_iris_from(iri)
    facts = view.facts(fact_iris, with_context=False)
    quotes_by_fact: dict[str, list] = {}
    for q in quotes:
        quotes_by_fact.setdefault(q["fact"], []).append(q)
    meta = _source_names(view).get(iri, {})
    labels = view.labels(res["props"].keys())
    return _html("source.html", res=res, meta=meta, title=meta.get("name") or res["label"] or local_name(iri),
                 segments=segments, quotes=quotes, groups=_group(facts), quotes_by_fact=quotes_by_fact,
                 prop_labels=labels, text_length=len(text) if text is not None else None,
                 alternates=_alternates(local), jsonld=_small_jsonld(iri), path=local)


# --- fixed pages -------------------------------------------------------------------------------

@bp.route("/")
def home():
    view = _view()
    counts = view.counts()
    lists = {k: view.members_of(k) for k in ("organizations", "states")}
    sources = list(_source_names(view).values())
    return _html("home.html", title="SCO-KG", counts=counts, triples=_store().triple_count(), lists=lists,
                 sources=sources, source_map={s["iri"]: s for s in sources},
                 disagreements=view.disagreements(every=True),
                 release=read_meta(Path(current_app.config["DIST_DIR"])))


@bp.route("/browse/<category>")
def browse(category: str):
    if category not in CATEGORIES:
        abort(404)
    return _html("browse.html", title=CATEGORIES[category][0], category=category,
                 items=_view().members_of(category))


def example_queries() -> list[dict]:
    """The competency questions and the conflicts query (graph/data/queries/*.rq, `# title:` / `# description:`)."""
    from graph import QUERIES_DIR
    out = []
    for f in sorted(Path(QUERIES_DIR).glob("*.rq")):
        text = f.read_text(encoding="utf-8")
        meta = dict(re.findall(r"^#\s*(title|description):\s*(.+)$", text, flags=re.M))
        out.append({"id": f.stem, "title": meta.get("title", f.stem.replace("-", " ")),
                    "description": meta.get("description", ""), "query": text})
    out.sort(key=lambda q: (q["id"] != "conflicts", q["title"].lower()))
    return out


@bp.route("/query")
def query_page():
    """The query page: YASGUI when its files are installed; always a plain form whose results the
    server renders (GET /query?query=…&run=1, so a result is a shareable URL that needs no script).
    The editors start with the graph's prefixes in their text. The page has a validator of its own
    (a digest of the page), so it is not kept by the server's answer cache: installing YASGUI shows
    on the next request, without a restart."""
    text = request.args.get("query", "")
    have_yasgui = query_form.have_yasgui()
    run = bool(text) and (request.args.get("run") or not have_yasgui)
    result = query_form.run(_store(), _view(), text, current_app.config, href) if run else None
    resp = _html("query.html", status=result.status if result else 200, title="Query the graph",
                 examples=example_queries(), have_yasgui=have_yasgui, endpoint=request.url_root + "sparql",
                 result=result, query_text=text or query_form.STARTER, prefixes=vocab.PREFIXES)
    resp.add_etag()
    return resp.make_conditional(request)


@bp.route("/search")
def search():
    """Labels and alternative names, best first, and the facts whose evidence quotes hold the words
    (server.web.search); JSON in the manner of Wikidata's wbsearchentities (searchinfo, search: id,
    label, description, match, concepturi, url), with the quotes found under `evidence`."""
    q = request.args.get("q", "")
    try:
        limit = max(1, min(50, int(request.args.get("limit", 10))))
    except ValueError:
        limit = 10
    index = search_mod.index_for(_store())
    hits, quotes = index.search(q, limit), index.evidence(q)
    choice = acceptable(request.headers.get("Accept"), {"text/html": "html", "application/json": "json"},
                        what="/search")
    if choice.format == "json" or request.args.get("format") == "json":
        body = {"searchinfo": {"search": q}, "search": [_search_json(h) for h in hits],
                "evidence": [_quote_json(x) for x in quotes], "success": 1}
        resp = Response(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
    else:
        resp = _html("search.html", title=f"Search: {q}" if q else "Search", hits=hits, quotes=quotes,
                     search_query=q, marks=search_mod.marks)
    resp.headers["Vary"] = "Accept"
    return resp


def _search_json(h) -> dict:
    return {"id": search_mod.local_id(h.iri), "label": h.label, "description": h.description,
            "concepturi": h.iri, "url": href(h.iri),
            "match": {"type": "alias" if h.alias else "label", "language": "en", "text": h.matched}}


def _quote_json(x) -> dict:
    return {"fact": x.fact, "factUrl": href(x.fact), "sentence": x.sentence, "quote": x.exact,
            "evidence": x.evidence, "url": href(x.evidence), "source": x.source_id,
            "factuality": local_name(x.factuality) if x.factuality else None}


@bp.route("/favicon.ico")
def favicon():
    return send_file(STATIC / "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.route("/context.jsonld")
def context():
    return Response(ld.script_json({"@context": ld.CONTEXT}).replace("<\\/", "</"),
                    content_type="application/ld+json; charset=utf-8")


def _dump_items():
    cfg = current_app.config
    return dumps_mod.dumps(Path(cfg["DIST_DIR"]), Path(cfg["DATA_DIR"]) / "dumps", _withhold())


@bp.route("/dumps")
@bp.route("/dumps/")
@bp.route("/.well-known/void")
def dumps_page():
    """The downloads for a browser; for an RDF client the dataset's VoID, the same at both paths."""
    items = _dump_items()
    release = read_meta(Path(current_app.config["DIST_DIR"]))
    choice = ld.negotiate(request.headers.get("Accept"))
    if choice.format != "html":
        triples = void.dataset_void(request.url_root, _store().info(), items)
        resp = Response(ld.serialize(triples, choice.format), content_type=choice.content_type)
    else:
        resp = _html("dumps.html", title="Downloads", items=items, release=release)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/dumps/<name>")
def dump_file(name: str):
    for d in _dump_items():
        if d.name == name:
            resp = send_file(d.path, mimetype=d.media_type, as_attachment=False, download_name=d.name,
                             conditional=True, etag=d.sha256)
            resp.headers["Digest"] = "sha-256=" + base64.b64encode(bytes.fromhex(d.sha256)).decode()
            return resp
    abort(404)


# --- everything else under the IRI base --------------------------------------------------------

@bp.route("/<path:path>", methods=["GET", "HEAD"])
def anything(path: str):
    return resolve(path)
