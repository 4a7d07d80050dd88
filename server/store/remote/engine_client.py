"""HTTP client for an external SPARQL 1.1 engine: query, update and Graph Store requests.

One job: send a protocol request with a bounded deadline and turn every way it can fail
into one of these exceptions, so that callers (``publish`` and the remote store) never see
http.client's own errors:

- ``EngineUnavailable``: no connection (engine down, wrong host or port);
- ``EngineTimeout``: the whole exchange did not finish before the deadline;
- ``EngineError``: the engine answered with an HTTP error status (its message kept), or
  (``AnswerTooLarge``) with more bytes than the caller allows.

Engines that want credentials get the value of the environment variable
SCO_KG_ENGINE_AUTHORIZATION as the ``Authorization`` header of every request (e.g.
``Basic dXNlcjpwYXNz`` or ``Bearer TOKEN``): from the environment, not the command line, so it
does not show in the process list. Only the standard library is used.
"""
import http.client
import json
import os
import socket
import time
import urllib.parse
from dataclasses import dataclass

AUTH_ENV = "SCO_KG_ENGINE_AUTHORIZATION"
# Read the body in chunks so the deadline also bounds an engine that answers slowly:
# a socket timeout alone bounds each read, not the sum of them.
_CHUNK = 64 * 1024


class EngineError(Exception):
    """The engine answered with an HTTP error status."""

    def __init__(self, message: str, status: int | None = None, text: str = ""):
        super().__init__(message)
        self.status = status
        self.text = text or message  # the engine's own words, without our prefix


class EngineUnavailable(EngineError):
    """The engine could not be reached at all."""


class EngineTimeout(EngineError):
    """The engine did not answer completely before the deadline."""


class AnswerTooLarge(EngineError):
    """The engine's answer grew past the size the caller allows."""


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Endpoints:
    """The three endpoints of one engine; ``update``/``store`` are None when not known.

    Engines name them differently, so only the common layouts are derived:
    Oxigraph (``/query``, ``/update``, ``/store``), Fuseki (``/ds/sparql``,
    ``/ds/update``, ``/ds/data``) and Virtuoso (``/sparql`` for query and update,
    ``/sparql-graph-crud``). Any other layout is given explicitly.
    """
    query: str
    update: str | None = None
    store: str | None = None

    _LAYOUTS = ({"query": "query", "update": "update", "store": "store"},
                {"query": "sparql", "update": "update", "store": "data"},
                {"query": "sparql", "update": "sparql", "store": "sparql-graph-crud"})

    @classmethod
    def derive(cls, url: str, *, role: str, query=None, update=None, store=None) -> "Endpoints":
        """Endpoints from one known URL playing ``role``, explicit ones taking precedence."""
        given = {"query": query, "update": update, "store": store}
        given[role] = url
        base, _, last = url.rstrip("/").rpartition("/")
        for layout in cls._LAYOUTS:
            if layout[role] == last:
                for other, name in layout.items():
                    given[other] = given[other] or f"{base}/{name}"
                break
        if not given["query"]:
            raise ValueError(f"cannot derive the query endpoint from {url}: give it explicitly")
        return cls(given["query"], given["update"], given["store"])


def request(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
            timeout_s: float, max_bytes: int | None = None) -> Response:
    """Send one request; the whole exchange, body included, must finish within ``timeout_s``.

    A fresh connection per request: nothing to go stale between requests, and on loopback
    the connect costs far less than any query (see bench/remote.py).
    """
    deadline = time.monotonic() + timeout_s
    parts = urllib.parse.urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(parts.netloc, timeout=timeout_s)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = dict(headers or {})
    if os.environ.get(AUTH_ENV):
        headers["Authorization"] = os.environ[AUTH_ENV]
    try:
        conn.request(method, target, body=body, headers=headers)
        # Keep the socket: the connection drops its reference when the answer says "close".
        sock = conn.sock
        resp = conn.getresponse()
        data = _read(sock, resp, deadline, max_bytes)
    except (TimeoutError, socket.timeout):
        raise EngineTimeout(f"no complete answer from {url} within {timeout_s:g} s") from None
    except (OSError, http.client.HTTPException) as e:
        raise EngineUnavailable(f"cannot reach {url}: {e}") from None
    finally:
        conn.close()
    if resp.status >= 400:
        text = data[:2000].decode("utf-8", "replace").strip() or resp.reason
        raise EngineError(f"HTTP {resp.status}: {text}", resp.status, text)
    return Response(resp.status, resp.getheader("Content-Type", ""), data)


def query(endpoint: str, sparql: str, *, accept: str, timeout_s: float,
          default_graphs=(), named_graphs=(), max_bytes: int | None = None) -> Response:
    """SPARQL 1.1 Protocol §2.1.2 (query via POST with URL-encoded parameters).

    The form encoding is the one every engine here accepts, and it carries the RDF dataset
    as ``default-graph-uri`` / ``named-graph-uri`` parameters (§2.1.4).
    """
    params = [("query", sparql)]
    params += [("default-graph-uri", g) for g in default_graphs]
    params += [("named-graph-uri", g) for g in named_graphs]
    return request("POST", endpoint, body=urllib.parse.urlencode(params).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
                   timeout_s=timeout_s, max_bytes=max_bytes)


def update(endpoint: str, sparql: str, *, timeout_s: float) -> Response:
    """SPARQL 1.1 Protocol §2.2.2 (update via POST directly)."""
    return request("POST", endpoint, body=sparql.encode(),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                   timeout_s=timeout_s)


def put_graph(store: str, graph: str, ntriples: bytes, *, timeout_s: float) -> Response:
    """Graph Store HTTP Protocol §5.3 (HTTP PUT), graph named indirectly (§4.2, ``?graph=``).

    PUT replaces the graph's whole content, which is what makes a repeated publish idempotent.
    """
    url = f"{store}{'&' if '?' in store else '?'}{urllib.parse.urlencode({'graph': graph})}"
    return request("PUT", url, body=ntriples,
                   headers={"Content-Type": "application/n-triples"}, timeout_s=timeout_s)


def count_per_graph(endpoint: str, graphs: list[str], *, timeout_s: float) -> dict[str, int]:
    """Triples in each of `graphs`, counted by the engine (a graph it does not have is absent)."""
    values = " ".join(f"<{g}>" for g in graphs)
    return _counts(endpoint, f"VALUES ?g {{ {values} }}", timeout_s)


def count_all_graphs(endpoint: str, *, timeout_s: float) -> dict[str, int]:
    """Triples in every named graph of the engine."""
    return _counts(endpoint, "", timeout_s)


def _counts(endpoint: str, restriction: str, timeout_s: float) -> dict[str, int]:
    sparql = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {restriction} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    resp = query(endpoint, sparql, accept="application/sparql-results+json", timeout_s=timeout_s)
    try:
        rows = json.loads(resp.body)["results"]["bindings"]
        return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if r["g"]["type"] == "uri"}
    except (ValueError, KeyError, TypeError) as e:
        raise EngineError(f"unreadable count from {endpoint}: {e}") from None


def _read(sock, resp, deadline: float, max_bytes: int | None) -> bytes:
    """Read the body, giving each read only the time left before the deadline."""
    parts, size = [], 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        sock.settimeout(remaining)
        chunk = resp.read1(_CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise AnswerTooLarge(f"the engine's answer exceeds {max_bytes} bytes")
        parts.append(chunk)
