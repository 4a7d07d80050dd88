"""SPARQL Update, applied atomically and gated.

Runs in a child process (the writer, confined by server.store.sandbox) so that it too can be
stopped at a deadline and cannot reach the network beyond the operator's allowed targets. It copies the current version (RocksDB
checkpoint of a read-only handle, into a directory that must not exist yet, so a writer only
ever writes a version it created), applies the update to the copy (pyoxigraph parses the whole
request before running any of it, and applies it in one transaction: a syntax error leaves the
copy untouched), then refuses it when
- it changed the ontology or the sources graph: those change only with a new release (403);
- the dataset would not conform to the SHACL shapes, or the release's own graphs (data, sources,
  ontology) to shapes/update-gate.ttl, which says what must still be there (every source document
  cited by a fact of the data graph), so that emptying or moving the data does not "conform" (422).
Only the parent commits the copy (server.store.embedded.datadir); on any failure the copy is thrown away
and the served graph is exactly as before. There is no trial run on an empty store: running an
update is not a syntax check (it reported "graph does not exist" for CLEAR/DROP/MOVE of real
graphs, and ran a LOAD twice).
"""
from pathlib import Path

import pyoxigraph as ox

from ontology import vocab
from shapes import UPDATE_GATE_FILE

from ...errors import EndpointError, Refused
from ...sparql.syntax_errors import explain
from .. import sandbox
from .worker import Reply, seal

READ_ONLY_GRAPHS = (vocab.GRAPH_ONTOLOGY, vocab.GRAPH_SOURCES)


def _shacl(shapes_file: Path | str):
    from pyshacl import validate
    from rdflib import Graph
    shapes = Graph().parse(shapes_file)

    def validate_file(data):
        conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
        return conforms, text
    return validate_file


def load_validator(shapes_file: str | None):
    """validate(rdflib.Graph) -> (conforms, report): the project's shapes unless a file is given."""
    if shapes_file is None:
        from shapes.validate import validate_graph
        return validate_graph
    return _shacl(shapes_file)


def _as_rdflib(quads):
    from rdflib import Graph
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt.decode(), format="nt")


def _project_graphs(store: ox.Store):
    """The release's own graphs only: moving the data to another graph must not satisfy the gate."""
    for g in (vocab.GRAPH_DATA, *READ_ONLY_GRAPHS):
        yield from store.quads_for_pattern(None, None, None, ox.NamedNode(g))


def _validate(store: ox.Store, shapes_file: str | None) -> tuple[bool, str]:
    """The shapes over all graphs merged (data, sources and ontology together), then the gate."""
    conforms, report = load_validator(shapes_file)(_as_rdflib(store))
    return _shacl(UPDATE_GATE_FILE)(_as_rdflib(_project_graphs(store))) if conforms else (conforms, report)


def _read_only_content(store: ox.Store) -> dict[str, set]:
    return {g: set(store.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in READ_ONLY_GRAPHS}


def apply_update(src: str, dst: str, sparql: str, base_iri: str | None, shapes_file: str | None) -> int:
    if Path(dst).exists():
        raise EndpointError(f"the new version {Path(dst).name} exists already; nothing changed", 503)
    ox.Store.read_only(src).backup(dst)
    store = ox.Store(dst)
    before = _read_only_content(store)
    store.update(sparql, base_iri=base_iri)
    changed = [g for g, quads in _read_only_content(store).items() if quads != before[g]]
    if changed:
        raise Refused(f"The update was refused: it changes the read-only graph {', '.join(f'<{g}>' for g in changed)} "
                      "(the ontology and the sources change only with a new release). Nothing was changed.")
    conforms, report = _validate(store, shapes_file)
    if not conforms:
        raise EndpointError("The update was refused: the graph would not conform to the SHACL shapes. "
                            "Nothing was changed.\n\n" + report, 422)
    seal(store, dst)
    return len(store)


def writer(conn, src: str, dst: str, sparql: str, base_iri: str | None, shapes_file: str | None,
           services: tuple[str, ...] = (), written: str | None = None) -> None:
    """Child-process entry point: send back a Reply with the new version's triples, or the error.

    services: the allowed SERVICE/LOAD targets (server.store.sandbox); none: no network.
    written: the client's text `sparql` was made from (server.sparql.reading), for error messages."""
    sandbox.confine(conn, services)
    try:
        reply = Reply(triples=apply_update(src, dst, sparql, base_iri, shapes_file))
    except EndpointError as e:
        reply = Reply(status=e.status, message=e.message)
    except SyntaxError as e:
        reply = Reply(status=400, message=explain("update", e, sparql, written=written))
    except Exception as e:  # noqa: BLE001 - the child reports every failure as text, never a traceback
        reply = Reply(status=400, message=f"The update could not be applied: {e}")
    conn.send(reply)


def syntax_check(conn, sparql: str, base_iri: str | None, written: str | None = None) -> None:
    """Child-process entry point, run before the write lock and the copy: a Reply with status 400 for an
    update that does not parse, else an empty Reply.

    pyoxigraph has no parse-only call, and it parses a whole request before running any of it, so
    the update is run on an empty in-memory store, with no network (server.store.sandbox): a syntax
    error shows as on the real store; any other failure is left for the real run to report."""
    sandbox.confine(conn)
    try:
        ox.Store().update(sparql, base_iri=base_iri)
        reply = Reply()
    except SyntaxError as e:
        reply = Reply(status=400, message=explain("update", e, sparql, written=written))
    except Exception:  # noqa: BLE001 - not a syntax error: the real run says what it is
        reply = Reply()
    conn.send(reply)
