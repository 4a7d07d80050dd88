"""The SPARQL 1.1 Protocol endpoint at /sparql, the VoID description and /health.

Dataset: without default-graph-uri / named-graph-uri (Protocol §2.1.4) or FROM / FROM NAMED,
the default graph is the union of all graphs (sd:UnionDefaultGraph); the named graphs are
https://w3id.org/sco-kg/graph/ontology, .../graph/data and .../graph/sources (plus --load files').
"""
from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from . import protocol, service_description
from .negotiation import GRAPH, acceptable
from .operations import QueryOp
from .results import graph_bytes

bp = Blueprint("sparql", __name__)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]  # the last three only to answer 405 in plain text


def _store():
    return current_app.extensions["sco_store"]


def _rdf(triples) -> Response:
    choice = acceptable(request.headers.get("Accept"), GRAPH, what="The description")
    body = graph_bytes(triples, choice.format, len(triples))
    return Response(body, content_type=choice.content_type, headers={"Vary": "Accept"})


@bp.route("/sparql", methods=METHODS)
@bp.route("/sparql/", methods=METHODS)
def endpoint():
    config = current_app.config
    op = protocol.parse(request, config)
    if op is None:
        update = bool(config["UPDATE_TOKEN"] or config["OPEN_UPDATE"])
        return _rdf(service_description.service_triples(request.base_url, _store().info(), update))
    if isinstance(op, QueryOp):
        answer = _store().query(op)
        return Response(answer.body, content_type=answer.choice.content_type, headers={"Vary": "Accept"})
    triples = _store().update(op)
    return Response(f"Update applied; the dataset now holds {triples} triples.\n",
                    content_type="text/plain; charset=utf-8")


@bp.route("/health")
def health():
    info = _store().info()
    return jsonify(status="ok", triples=info.triples, graphs=info.graphs,
                   release=info.release.get("version"), built=info.release.get("built"),
                   store_version=info.store_version)


@bp.errorhandler(HTTPException)
def http_error(e: HTTPException):
    messages = {413: f"The request body is larger than {current_app.config['MAX_BODY_BYTES']} bytes, "
                     "the limit of this server."}
    return Response(messages.get(e.code, e.description) + "\n", status=e.code,
                    content_type="text/plain; charset=utf-8")
