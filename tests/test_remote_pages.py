"""Entity pages, linked data and dumps served by `sco-kg serve --backend` in front of `oxigraph serve`.

The pages' tests (issue 5) run again with their `pages_server` fixture overridden: the engine gets
the release plus the same test disagreement the embedded server gets with --load, published
by `sco-kg publish`'s code (so the test graph is one more named graph in the engine).
"""
import pyoxigraph as ox
import pytest

from conftest import launch
from oxigraph_engine import start_oxigraph
from server.store.engine_client import Endpoints
from server.store.publish import publish
from support_pages import _cache, disagreement_file, disputed_pair
from test_dumps import (  # noqa: F401
    listing, test_dumps_page_lists_files_with_size_and_checksum, test_each_dump_holds_the_whole_dataset,
    test_void_lists_the_dumps_with_checksums)
from test_linked_data import (  # noqa: F401
    test_all_entities_resolve, test_every_kind_of_minted_iri_resolves, test_jsonld_uses_the_published_context_inline,
    test_named_graph_iris_resolve, test_negotiation_by_q_values, test_not_acceptable, test_ontology_iri_serves_the_ontology,
    test_rdflib_parse_each_format, test_rdflib_parse_without_format_gets_the_description,
    test_unknown_iri_is_a_helpful_404)
from test_pages import (  # noqa: F401
    test_disputed_facts_show_both_sides, test_entity_facts_grouped_by_kind, test_entity_page,
    test_fact_and_evidence_pages, test_home_page, test_ontology_docs, test_organization_timeline_is_server_rendered_svg,
    test_query_page_lists_examples_and_uses_local_files, test_source_page_highlights_every_cited_quote)

pytestmark = pytest.mark.slow


def _release_with_disagreement(release, folder):
    """The release's N-Quads plus the pages' test disagreement (TriG), as one N-Quads file."""
    extra = disagreement_file(release, folder)
    quads = list(ox.parse(path=str(release / "sco-kg.nq"), format=ox.RdfFormat.N_QUADS))
    quads += list(ox.parse(path=str(extra), format=ox.RdfFormat.TRIG))
    out = folder / "engine.nq"
    out.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return out


@pytest.fixture(scope="module")
def pages_server(release, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("remote-pages")
    engine = start_oxigraph(tmp / "oxigraph")
    publish(Endpoints(engine.query_url, engine.update_url, engine.store_url),
            _release_with_disagreement(release, tmp), 60)
    _cache["pair"] = disputed_pair(release)  # what the pages' tests read, as support_pages sets it
    server = launch(release, tmp / "unused", "--backend", engine.query_url, "--workers", "2")
    yield server
    server.stop()
    engine.stop()
