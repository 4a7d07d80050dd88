"""The release graph as OWL 2 DL, for the .owl file that Protégé and owlready2 open.

OWL 2 DL allows literals of the OWL 2 datatype map only (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps),
which has no xsd:gYear, xsd:gYearMonth or xsd:date, and strict HermiT refuses them. The dumps keep
OWL-Time's `time:inXSDgYear` / `inXSDgYearMonth` / `inXSDDate` literals; here every instant's position
is written instead with OWL-Time's own general form, at the same precision:

    ?instant time:inDateTime [ a time:GeneralDateTimeDescription ; time:hasTRS <Gregorian> ;
                               time:unitType time:unitYear ; time:year 2001 ] .

with integer `time:year`, `time:month`, `time:day` (OWL-Time leaves their range open), so a year stays
a year and DL queries such as `time:year some xsd:integer[>= 2017]` work. A date literal on any other
property (a work record's `sco:accessed`) keeps its lexical form as a plain string. The ontology's
range axioms to those datatypes, and their declarations, are left out: nothing in this file uses them.
"""
import re

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from ontology import vocab

TIME = Namespace(vocab.TIME)
GREGORIAN = URIRef("http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")
NON_DL_DATES = (XSD.gYear, XSD.gYearMonth, XSD.date)
POSITIONS = (TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate)
_PARTS = ((TIME.year, TIME.unitYear), (TIME.month, TIME.unitMonth), (TIME.day, TIME.unitDay))
_DATE = re.compile(r"(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")


class NotADate(ValueError):
    """A date literal whose lexical form is not YYYY, YYYY-MM or YYYY-MM-DD."""


def date_description(g: Graph, value: str) -> BNode:
    """Add a GeneralDateTimeDescription of `value` to `g`, at its precision; return its node."""
    m = _DATE.fullmatch(value)
    if m is None:
        raise NotADate(f"not a date at year, month or day precision: {value!r}")
    node = BNode()
    g.add((node, RDF.type, TIME.GeneralDateTimeDescription))
    g.add((node, TIME.hasTRS, GREGORIAN))
    parts = [(prop, unit, int(n)) for (prop, unit), n in zip(_PARTS, m.groups()) if n is not None]
    for prop, _, n in parts:
        g.add((node, prop, Literal(n)))
    g.add((node, TIME.unitType, parts[-1][1]))
    return node


def _outside_dl(s, p, o) -> bool:
    """The ontology's triples about the non-DL date datatypes themselves."""
    return (p == RDFS.range and o in NON_DL_DATES) or (s in NON_DL_DATES and p == RDF.type)


def owl_dl(g: Graph) -> Graph:
    """A copy of `g` with no literal outside the OWL 2 datatype map (see the module's docstring)."""
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns)
    for s, p, o in g:
        if _outside_dl(s, p, o):
            continue
        if p in POSITIONS:
            out.add((s, TIME.inDateTime, date_description(out, str(o))))
        elif isinstance(o, Literal) and o.datatype in NON_DL_DATES:
            out.add((s, p, Literal(str(o))))
        else:
            out.add((s, p, o))
    return out
