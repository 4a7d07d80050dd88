"""Reading a SPARQL 1.1 Protocol request (W3C Recommendation, 21 March 2013) into an operation.

§2.1 query: GET with `query=`, POST form-encoded (§2.1.2), POST `application/sparql-query` (§2.1.3);
§2.2 update: POST form-encoded (§2.2.1) or `application/sparql-update` (§2.2.2), never GET.
Exactly one query or update per request; bodies are UTF-8. Checks that need no engine happen
here, before execution: size limits, nesting past what an engine survives, SERVICE and LOAD
(refused unless allow-listed, so no request makes the server contact the network),
authorisation and origin of updates, protocol IRI parameters that are not absolute IRIs, and
protocol dataset parameters that conflict with the operation. The operation handed on is the text
server.sparql.reading writes from the tokens it checked, never the client's text itself.
"""
import hmac

from flask import Request
from werkzeug.datastructures import MultiDict

from . import lexer, reading
from ..middleware import bodies, guard
from ..middleware.http_cache import KEPT_WHOLE
from ..errors import EndpointError, MalformedQuery, NotAcceptable, Refused, TooLarge, UnsupportedMediaType
from .negotiation import choose_all
from .operations import QueryOp, UpdateOp

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


def _body_text(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"The body must be UTF-8 (got charset={charset}); SPARQL 1.1 Protocol §2.1.3.")
    try:
        return bodies.whole_body(request).decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedQuery(f"The body is not valid UTF-8 (byte {e.start}).")


def _params(request: Request) -> MultiDict:
    """All protocol parameters; the operation itself is under 'query' or 'update'."""
    if request.method == "GET":
        return request.args
    if request.mimetype == FORM:
        _body_text(request)  # same charset rule as the direct POSTs
        return MultiDict(list(request.args.items(multi=True)) + list(request.form.items(multi=True)))
    if request.mimetype in (QUERY, UPDATE):
        if "query" in request.args or "update" in request.args:
            raise MalformedQuery("Give the operation either in the body or in the URL, not both.")
        key = "query" if request.mimetype == QUERY else "update"
        return MultiDict(list(request.args.items(multi=True)) + [(key, _body_text(request))])
    raise UnsupportedMediaType(
        f"POST to /sparql needs Content-Type {FORM}, {QUERY} or {UPDATE} "
        f"(got {request.mimetype or 'none'}); SPARQL 1.1 Protocol §2.1 and §2.2.")


def _one(params: MultiDict) -> tuple[str, str] | None:
    queries, updates = params.getlist("query"), params.getlist("update")
    if len(queries) + len(updates) > 1:
        raise MalformedQuery("Send exactly one query or one update per request (got "
                             f"{len(queries)} 'query' and {len(updates)} 'update' parameters).")
    if queries:
        return "query", queries[0]
    return ("update", updates[0]) if updates else None


IRI_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


def _check_iri_parameters(params: MultiDict) -> None:
    """Protocol §2.1.4 and §2.2.3 parameters name graphs by IRI; anything else is refused, not pasted."""
    for name in IRI_PARAMETERS:
        for value in params.getlist(name):
            if not lexer.is_absolute_iri(value):
                shown = value if len(value) <= 80 else value[:80] + "…"
                raise MalformedQuery(f"{name}={shown!r} is not an absolute IRI (a scheme, then no spaces "
                                     "or <>\"{}|^`\\ characters).")


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise TooLarge(f"The operation is {len(text)} characters long; this server accepts at most {limit}.")


def authorize(request: Request, config: dict) -> None:
    """Update is off by default; with --update-token it needs `Authorization: Bearer <token>`."""
    token = config["UPDATE_TOKEN"]
    if config["OPEN_UPDATE"]:
        return
    if config.get("BACKEND_URL"):
        raise Refused("SPARQL Update is not accepted through a remote backend: the engine cannot be checked "
                      "against the SHACL shapes before it commits. Change the release and run `sco-kg publish`.")
    if not token:
        raise Refused("SPARQL Update is disabled on this server (the operator can enable it with --update-token).")
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":  # RFC 7235 §2.1: the scheme is case-insensitive
        raise EndpointError("SPARQL Update needs the header 'Authorization: Bearer <token>'.", 401,
                            {"WWW-Authenticate": 'Bearer realm="sco-kg"'})
    if not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise Refused("The update token is not valid.")


def endpoint_url(request: Request) -> str:
    """This request's URL without its query string: the base IRI of the operation.

    Built from the WSGI environ; werkzeug's `base_url` costs ~0.1 ms (IRI conversion) per request.
    """
    env = request.environ
    return f"{env['wsgi.url_scheme']}://{request.host}{env.get('SCRIPT_NAME', '')}{env.get('PATH_INFO', '')}"


def _query_op(request: Request, params: MultiDict, text: str, config: dict) -> QueryOp:
    if "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise MalformedQuery("using-graph-uri and using-named-graph-uri are for updates; "
                             "a query takes default-graph-uri and named-graph-uri.")
    read = reading.read(text)
    reading.refuse_remote(read, "SERVICE", config["SERVICE_ALLOW_LIST"])
    formats = choose_all(request.headers.get("Accept"))
    if not any(formats.values()):
        raise NotAcceptable("None of the media types in the Accept header is offered. SELECT/ASK: "
                            "application/sparql-results+json, +xml, text/csv, text/tab-separated-values; "
                            "CONSTRUCT/DESCRIBE: text/turtle, application/n-triples, application/rdf+xml, "
                            "application/ld+json, application/trig, application/n-quads.")
    given = "default-graph-uri" in params or "named-graph-uri" in params
    return QueryOp(read.sent,
                   tuple(params.getlist("default-graph-uri")) if given else None,
                   tuple(params.getlist("named-graph-uri")) if given else None,
                   formats, endpoint_url(request), written=text,
                   kept_whole=bool(request.environ.get(KEPT_WHOLE)))


def _update_op(request: Request, params: MultiDict, text: str, config: dict) -> UpdateOp:
    if request.method != "POST":
        raise EndpointError("SPARQL Update must be sent with POST (SPARQL 1.1 Protocol §2.2).", 405,
                            {"Allow": "POST"})
    guard.check_origin(request, config)
    authorize(request, config)
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise MalformedQuery("default-graph-uri and named-graph-uri are for queries; "
                             "an update takes using-graph-uri and using-named-graph-uri.")
    read = reading.read(text)
    using, named = params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    if (using or named) and lexer.has_update_dataset_clause(read.tokens):
        raise MalformedQuery("The update has USING or WITH and the request gives using-graph-uri or "
                             "using-named-graph-uri; use one or the other (SPARQL 1.1 Protocol §2.2.3).")
    for keyword in ("SERVICE", "LOAD"):
        reading.refuse_remote(read, keyword, config["SERVICE_ALLOW_LIST"])
    return UpdateOp(read.sent, tuple(using), tuple(named), endpoint_url(request), written=text)


def parse(request: Request, config: dict) -> QueryOp | UpdateOp | None:
    """The operation of the request, or None for a GET without one (the service description)."""
    if request.method not in ("GET", "POST"):
        raise EndpointError(f"{request.method} is not supported on /sparql; use GET or POST "
                            "(SPARQL 1.1 Protocol §2.1).", 405, {"Allow": "GET, POST, OPTIONS"})
    params = _params(request)
    operation = _one(params)
    if operation is None:
        if request.method == "POST":
            raise MalformedQuery("The request has no 'query' or 'update' parameter.")
        return None
    kind, text = operation
    _check_length(text, int(config["MAX_QUERY_LENGTH"]))
    _check_iri_parameters(params)
    if kind == "query":
        return _query_op(request, params, text, config)
    return _update_op(request, params, text, config)
