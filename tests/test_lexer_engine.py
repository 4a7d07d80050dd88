"""The request checks against Oxigraph's own parser: what the server lets through runs as it was checked.

Generated texts mix the places where two readings of SPARQL can split (`<` as an operator or an IRI,
`#` in an IRI or opening a comment, short and long strings, `\\u` and `\\"` escapes, backslashes,
line breaks) around a hidden SERVICE, LOAD or deep nesting. For each text the server accepts
(server.sparql.reading, with nothing allow-listed), its text as sent is run by pyoxigraph in process
on an empty store, with SERVICE and LOAD aimed at a loopback listener that records connections:
the listener must never be called, and a hidden group nested past the limit must never be read
(it holds a SERVICE, so reading it calls out). `SCO_KG_DIFF_EXAMPLES` runs more cases
(`python bench/lexer_engine.py`, which also counts).
"""
import os

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from server.errors import EndpointError
from server.sparql import lexer, reading
from test_security import Listener  # a loopback TCP listener that counts the connections made to it

EXAMPLES = int(os.environ.get("SCO_KG_DIFF_EXAMPLES", "400"))
SEED = int(os.environ.get("SCO_KG_DIFF_SEED", "20261207"))

HEADS = (
    "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a ",
    "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a",
    "SELECT * WHERE { ?a ",
    "ASK { VALUES (?a ?b) { (?a ",
    "SELECT * WHERE { BIND(\"x\"@en ",
)
# What may follow an operand: IRIs that read as `<` and more to Oxigraph, operators, a comment.
LEADS = ("<?b#>", "<?b'>", "<?b(((>", "<b#x>", "<", "<<", "<=", "#", "")
# What opens (and, repeated after the payload, closes) a string or comment in one reading.
OPENERS = ('"""', "'''", '"', "'", "\\u0022", '\\"', "\\", "(", "")
SEPARATORS = (" ", "\n", "\r", "")
# The hidden part: reading any of it makes the engine call the listener.
PAYLOADS = (
    ") SERVICE <{url}> {{ ?leak ?x ?y }}",
    "SERVICE <{url}> {{ ?leak ?x ?y }}",
    ") }} ; LOAD <{url}> ; INSERT DATA {{ <urn:a> <urn:b> <urn:c>",
    ") " + "{{" * 600 + " SERVICE <{url}> {{ ?leak ?x ?y }} " + "}}" * 600,
)
TAILS = ("}", ")}", "> 1) }")


@pytest.fixture(scope="module")
def listener():
    served = Listener()
    served.url = f"http://127.0.0.1:{served.port}/x"
    yield served
    served.close()


def variant(url: str, head, lead, sep1, opener, sep2, payload, sep3, comment, sep4, tail) -> str:
    """A head ending on an operand, then what may split the readings around a hidden payload."""
    return head + lead + sep1 + opener + sep2 + payload.format(url=url) + sep3 + comment + opener + sep4 + tail


def variants(url: str):
    sep = st.sampled_from(SEPARATORS)
    return st.builds(lambda *parts: variant(url, *parts), st.sampled_from(HEADS), st.sampled_from(LEADS), sep,
                     st.sampled_from(OPENERS), sep, st.sampled_from(PAYLOADS), sep, st.sampled_from(("# ", "")),
                     sep, st.sampled_from(TAILS))


def accepted(text: str) -> reading.Reading | None:
    """The reading the server would send, or None when it refuses the text (nothing allow-listed)."""
    try:
        read = reading.read(text)
        for keyword in ("SERVICE", "LOAD"):
            reading.refuse_remote(read, keyword, ())
    except EndpointError:
        return None
    return read


def run_in_engine(text: str) -> None:
    """Run as the engine would: a query, else an update, on an empty store (errors are fine)."""
    for run in (lambda: ox.Store().query(text), lambda: ox.Store().update(text)):
        try:
            result = run()
            if isinstance(result, ox.QuerySolutions):
                list(result)
            return
        except (SyntaxError, OSError, ValueError, RuntimeError):
            continue


def check(text: str, listener: Listener) -> None:
    read = accepted(text)
    if read is None:
        return
    before = listener.hits
    run_in_engine(read.sent)
    assert listener.hits == before, f"the engine called out for an accepted text: {text!r}"
    assert lexer.too_deep(read.tokens) is None


@seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_accepted_text_hides_service_load_or_nesting(listener, data) -> None:
    check(data.draw(variants(listener.url)), listener)


def test_the_listener_does_record_what_the_engine_calls(listener) -> None:
    """The property above can fail: an engine given a SERVICE does call the listener."""
    before = listener.hits
    run_in_engine(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.hits == before + 1


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a <?b#> """\n) SERVICE <URL> { ?leak ?x ?y }\n# """\n}',
    "SELECT * WHERE { FILTER(?a <?b'> ) SERVICE <URL> { ?s ?p ?o } FILTER(?c <'> 1) }",
    "SELECT * WHERE { FILTER(?a <?b(((> 1) }",
    "SELECT * WHERE { FILTER(1 <<?b#> ) }",
])
def test_texts_that_split_the_readings_are_refused(text, listener) -> None:
    with pytest.raises(lexer.LexError, match="ambiguous"):
        reading.read(text.replace("URL", listener.url))


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?o }",
    "SELECT * WHERE { VALUES (?a ?b) { (<http://x#a> <http://x#b>) } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = <http://x#a> && ?s < ?o) }",
    "SELECT * WHERE { ?s (<http://x#p>/<http://x#q>)* ?o }",
    'SELECT ("a\\u0022b" AS ?x) ("""two\nlines""" AS ?y) WHERE {} # a comment',
])
def test_usual_texts_are_sent_as_written_but_for_comments_strings_and_spaces(text) -> None:
    read = reading.read(text)
    assert "\n" not in read.sent
    assert ox.Store().query(read.sent) is not None


def test_a_string_is_sent_with_its_value(listener) -> None:
    read = reading.read('SELECT ("x\\u0022y\\\\u0022" AS ?v) (\'\'\'a\n\'b\'\'\' AS ?w) WHERE {}')
    row = next(iter(ox.Store().query(read.sent)))
    assert row["v"].value == 'x"y\\u0022' and row["w"].value == "a\n'b"


def test_errors_point_into_the_text_as_written() -> None:
    from server.sparql.syntax_errors import explain
    written = "SELECT * # comment\nWHERE {\n  ?s ?p\n}"
    read = reading.read(written)
    with pytest.raises(SyntaxError) as error:
        ox.Store().query(read.sent)
    assert "at line 4, column 2" in explain("query", error.value, read.sent, written=written)
