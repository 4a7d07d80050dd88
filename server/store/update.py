"""SPARQL Update, applied atomically and gated by the SHACL shapes (issue 4).

Runs in a child process (the writer) so that it too can be stopped at a deadline. It checks the
syntax on an empty in-memory store, copies the current version (RocksDB checkpoint of a
read-only handle), applies the update to the copy (pyoxigraph applies a request in one
transaction), validates the whole dataset of the copy with the shapes, and reports. Only the
parent commits the copy (server.store.datadir); on any failure the copy is thrown away and the served
graph is exactly as before.
"""
import pyoxigraph as ox

from ..errors import EndpointError, syntax_message
from .worker import seal


def load_validator(shapes_file: str | None):
    """validate(rdflib.Graph) -> (conforms, report): the project's shapes unless a file is given."""
    if shapes_file is None:
        from shapes.validate import validate_graph
        return validate_graph
    from pyshacl import validate
    from rdflib import Graph
    shapes = Graph().parse(shapes_file)

    def validate_file(data):
        conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
        return conforms, text
    return validate_file


def _as_rdflib(store: ox.Store):
    """All triples of all graphs merged: the shapes see data, sources and ontology together."""
    from rdflib import Graph
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt.decode(), format="nt")


def apply_update(src: str, dst: str, sparql: str, base_iri: str | None, shapes_file: str | None) -> tuple:
    ox.Store().update(sparql, base_iri=base_iri)  # syntax (and plain errors) before any copying
    ox.Store.read_only(src).backup(dst)
    store = ox.Store(dst)
    store.update(sparql, base_iri=base_iri)
    conforms, report = load_validator(shapes_file)(_as_rdflib(store))
    if not conforms:
        raise EndpointError("The update was refused: the graph would not conform to the SHACL shapes. "
                            "Nothing was changed.\n\n" + report, 422)
    seal(store, dst)
    return "ok", len(store)


def writer(conn, src: str, dst: str, sparql: str, base_iri: str | None, shapes_file: str | None) -> None:
    """Child-process entry point: send back ('ok', triples) or ('error', status, message)."""
    try:
        reply = apply_update(src, dst, sparql, base_iri, shapes_file)
    except EndpointError as e:
        reply = "error", e.status, e.message
    except SyntaxError as e:
        reply = "error", 400, syntax_message("update", e)
    except Exception as e:  # noqa: BLE001 - the child reports every failure as text, never a traceback
        reply = "error", 400, f"The update could not be applied: {e}"
    conn.send(reply)
