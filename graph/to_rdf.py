"""Turn the curated entities, facts and sources into RDF (the data and sources graphs).

The shape of the output is documented in graph/CURATION.md and README.md; the SHACL shapes in
shapes/ check it.
"""
import hashlib
import re
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS

from ontology import vocab
from ontology.vocab import BASE
from .anchor import AnchorError, anchor
from .curation import Curation, Entity, Fact, parse_quote, written_dates
from .footnotes import markers
from .sentences import sentence
from .kinds import ROLES
from .periods import DerivedEnd, derived_ends, latest
from .ranks import direct_triples, rank_of, ranks
from .statements import Statement, by_fact, statements
from .yaml_lines import line_of, place

SCO = Namespace(vocab.SCO)
ORG, OA, TIME = Namespace(vocab.ORG), Namespace(vocab.OA), Namespace(vocab.TIME)
WIKIDATA = vocab.WIKIDATA

PREFIXES = {"sco": SCO, "org": ORG, "oa": OA, "time": TIME, "prov": PROV, "dcterms": DCTERMS,
            "skos": SKOS, "foaf": FOAF, "owl": OWL, "xsd": XSD}

_PRECISION = {4: TIME.inXSDgYear, 7: TIME.inXSDgYearMonth, 10: TIME.inXSDDate}
_DATATYPE = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_CONCEPT_CLASS = {"measure": SCO.Measure, "relation": SCO.RelationType, "topic": SCO.Topic}
FACTUALITY = {"reported": SCO.Reported, "expected": SCO.Expected, "hedged": SCO.Hedged,
              "attributed": SCO.Attributed}
SELF_DESCRIPTION = {"title": DCTERMS.title, "creator": DCTERMS.creator, "publisher": DCTERMS.publisher,
                    "date": DCTERMS.date}


def entity_iri(slug: str) -> URIRef:
    return URIRef(BASE + "id/" + slug)


def source_iri(source_id: str) -> URIRef:
    return URIRef(BASE + "source/" + source_id)


def fact_iri(statement: Statement) -> URIRef:
    return URIRef(BASE + "fact/" + statement.path)


def new_graph() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


class RdfBuilder:
    """Accumulates the data graph and records which curated file each node comes from."""

    def __init__(self, curation: Curation, texts: dict[str, str]):
        self.c = curation
        self.texts = texts
        self.data = new_graph()
        self.origins: dict[URIRef, set[str]] = defaultdict(set)
        self.errors: list[str] = []
        self.footnote_works = footnote_works(curation.facts)
        self.labels: dict[str, URIRef] = {}
        self.statements = statements(curation.facts)
        self.statement_of = by_fact(self.statements)

    def build(self) -> Graph:
        for e in self.c.entities.values():
            self._entity(e)
        ends = derived_ends(self.statements)
        for st in self.statements:
            self._fact(st, ends.get(st.path))
        rivals = self._disagreements()
        rank = ranks(self.statements, ends, rivals, self.latest_source_date())
        for st in self.statements:
            self.data.add((fact_iri(st), SCO.rank, SCO[rank[st.path]]))
        for subject, prop, obj in direct_triples(self.statements, rank, self.c):
            self.data.add((entity_iri(subject), SCO[prop], entity_iri(obj)))
        for sid, meta in sorted(self.c.sources.items()):
            self._self_description(sid, meta)
        return self.data

    def _origin(self, node: URIRef, path: Path) -> None:
        self.origins[node].add(str(path))

    def _entity(self, e: Entity) -> None:
        g, s = self.data, entity_iri(e.slug)
        g.add((s, RDF.type, SCO[e.type]))
        g.add((s, RDFS.label, Literal(e.label, lang="en")))
        for alt in e.alt:
            g.add((s, SKOS.altLabel, Literal(alt, lang="en")))
        if e.wikidata:
            g.add((s, SKOS.exactMatch, URIRef(WIKIDATA + e.wikidata)))
        if e.post_in:
            g.add((s, ORG.postIn, entity_iri(e.post_in)))
        if e.doi:
            g.add((s, SCO.doi, Literal(str(e.doi))))
        if e.url:
            g.add((s, FOAF.page, URIRef(str(e.url))))
        self._origin(s, e.file)

    def latest_source_date(self) -> str:
        """The date the direct view describes: the latest date a source was written (graph/data/sources.yaml)."""
        return latest(written_dates(self.c.sources).values() or ["0000"])

    def _fact(self, st: Statement, derived_end: DerivedEnd | None) -> None:
        g, s = self.data, fact_iri(st)
        g.add((s, RDF.type, SCO.Fact))
        for cls in st.kind.classes:
            g.add((s, RDF.type, URIRef(cls)))
        g.add((s, RDFS.label, Literal(self._label(s, st), lang="en")))
        for prop, value in st.kind.fixed:
            g.add((s, URIRef(prop), URIRef(value)))
        for f in st.kind.fields:
            for value in st.texts.get(f.name) or ([st.values[f.name]] if f.name in st.values else []):
                self._field(s, st, f, value)
        if derived_end:
            self._derived_end(s, st, derived_end)
        if st.kind.name == "PostHolding":
            g.add((entity_iri(st.values["post"]), ORG.heldBy, entity_iri(st.values["holder"])))
        numbers: dict[str, int] = defaultdict(int)
        for fact in st.facts:
            self._origin(s, fact.file)
            g.add((s, PROV.wasDerivedFrom, source_iri(fact.source)))
            self._evidence(s, st, fact, numbers)
        # A fact is reported when at least one evidence reports it.
        g.add((s, SCO.reported, Literal(st.reported)))

    def _derived_end(self, s: URIRef, st: Statement, end: DerivedEnd) -> None:
        """An end no source gives: where the statement that replaced it begins (sco:DerivedInstant)."""
        instant = URIRef(str(s) + "#end")
        self._interval_end(s, st, "end", end.date)
        self.data.add((instant, RDF.type, SCO.DerivedInstant))
        self.data.add((instant, SCO.derivedFrom, fact_iri(end.later)))

    def _field(self, s: URIRef, fact: Statement, f, value) -> None:
        g, prop = self.data, URIRef(f.prop)
        if f.type == "entity":
            g.add((s, prop, entity_iri(value)))
        elif f.type == "entities":
            for v in value:
                g.add((s, prop, entity_iri(v)))
        elif f.type == "role":
            g.add((s, prop, SCO[ROLES[value]]))
        elif f.type == "date" or (f.type == "start" and fact.kind.one_off and "until" not in fact.values):
            self._instant(s, URIRef(str(s) + "#when"), value)
            g.add((s, SCO.when, URIRef(str(s) + "#when")))
            g.add((s, SCO.year, Literal(int(value[:4]))))
        elif f.type in ("start", "end"):
            self._interval_end(s, fact, f.type, value)
        elif f.type == "texts":
            for v in value:
                g.add((s, prop, Literal(v)))
        elif f.type == "date-literal":
            g.add((s, prop, Literal(value, datatype=_DATATYPE[len(value)])))
        elif f.type == "ended":
            self._unknown_end(s, fact)
        elif f.type in ("measure", "relation", "topic"):
            self._concept(s, prop, f.type, value)
        elif f.type == "footnote":
            for n in value:
                g.add((s, prop, Literal(n)))
        elif f.type == "value" and isinstance(value, (int, float)):
            g.add((s, prop, Literal(value)))
        else:
            g.add((s, prop, Literal(value)))

    def _interval_end(self, s: URIRef, fact: Statement, which: str, value: str) -> None:
        g, interval = self.data, URIRef(str(s) + "#during")
        g.add((s, URIRef(fact.kind.interval_prop), interval))
        g.add((interval, RDF.type, TIME.Interval))
        instant = URIRef(str(s) + ("#begin" if which == "start" else "#end"))
        g.add((interval, TIME.hasBeginning if which == "start" else TIME.hasEnd, instant))
        self._instant(s, instant, value)
        g.add((s, SCO.startYear if which == "start" else SCO.endYear, Literal(int(value[:4]))))

    def _unknown_end(self, s: URIRef, fact: Statement) -> None:
        """`ended: true`: the period has an end the source does not date (an instant with no position)."""
        g, interval, instant = self.data, URIRef(str(s) + "#during"), URIRef(str(s) + "#end")
        g.add((s, URIRef(fact.kind.interval_prop), interval))
        g.add((interval, RDF.type, TIME.Interval))
        g.add((interval, TIME.hasEnd, instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, RDF.type, SCO.UndatedInstant))

    def _instant(self, s: URIRef, instant: URIRef, value: str) -> None:
        self.data.add((instant, RDF.type, TIME.Instant))
        self.data.add((instant, _PRECISION[len(value)], Literal(value, datatype=_DATATYPE[len(value)])))

    def _concept(self, s: URIRef, prop: URIRef, type_: str, value: str) -> None:
        iri = URIRef(BASE + type_ + "/" + value)
        self.data.add((s, prop, iri))
        self.data.add((iri, RDF.type, _CONCEPT_CLASS[type_]))
        self.data.add((iri, RDFS.label, Literal(value.replace("-", " "), lang="en")))

    def _evidence(self, s: URIRef, st: Statement, fact: Fact, numbers: dict[str, int]) -> None:
        """One annotation per quote, numbered per source within the statement."""
        text = self.texts[fact.source]
        for quote in fact.quotes:
            numbers[fact.source] += 1
            try:
                a = anchor(text, quote)
            except AnchorError as e:
                self.errors.append(f"{fact.where(quote.line)}: {e}")
                continue
            ev = URIRef(f"{BASE}evidence/{st.path}/{fact.source[:3]}-{numbers[fact.source]}")
            self._add_evidence(s, ev, fact.source, fact.file, a, quote.factuality)

    def _add_evidence(self, s: URIRef, ev: URIRef, source: str, origin: Path, a, factuality: str) -> None:
        g = self.data
        target, q, p = (URIRef(f"{ev}#{frag}") for frag in ("target", "quote", "position"))
        g.add((s, SCO.evidence, ev))
        g.add((ev, RDF.type, SCO.Evidence))
        g.add((ev, RDF.type, OA.Annotation))
        g.add((ev, OA.hasBody, s))
        g.add((ev, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, source_iri(source)))
        g.add((target, OA.hasSelector, q))
        g.add((target, OA.hasSelector, p))
        g.add((q, RDF.type, OA.TextQuoteSelector))
        g.add((q, OA.exact, Literal(a.exact)))
        g.add((q, OA.prefix, Literal(a.prefix)))
        g.add((q, OA.suffix, Literal(a.suffix)))
        g.add((p, RDF.type, OA.TextPositionSelector))
        # xsd:integer, not OA's xsd:nonNegativeInteger: Oxigraph canonicalises derived integer types
        # to xsd:integer, so only this type reads back the same from every engine and dump.
        g.add((p, OA.start, Literal(a.start, datatype=XSD.integer)))
        g.add((p, OA.end, Literal(a.end, datatype=XSD.integer)))
        g.add((ev, SCO.factuality, FACTUALITY[factuality]))
        cited = self.footnote_works.get(source, {})
        for n in markers(self.texts[source], a.start, a.end):
            for work in sorted(cited.get(n, ())):
                g.add((ev, SCO.citesWork, entity_iri(work)))
        self._origin(ev, origin)

    def _label(self, s: URIRef, st: Statement) -> str:
        """The fact's sentence; two nodes with one sentence would be indistinguishable to a reader."""
        label = sentence(st, self.c.entities)
        if label in self.labels:
            self.errors.append(f"{st.facts[0].where()}: its sentence is the same as that of {self.labels[label]}, "
                               f"a different fact: {label!r}")
        self.labels[label] = s
        return label

    def _self_description(self, sid: str, meta: dict) -> None:
        """What a source states about itself (graph/data/sources.yaml): one fact per statement, with its evidence,
        besides the dcterms triples on the source node."""
        origin = Path("graph/data/sources.yaml")
        for key, prop in SELF_DESCRIPTION.items():
            if key not in meta:
                continue
            quotes = meta.get("quotes") or {}
            where = f"{place(origin, line_of(quotes, key) or line_of(meta, key))}: {sid}: '{key}'"
            quote = parse_quote(quotes.get(key), where, self.errors)
            if quote is None:
                continue
            try:
                a = anchor(self.texts[sid], quote)
            except AnchorError as e:
                self.errors.append(f"{where}: {e}")
                continue
            g, s = self.data, URIRef(f"{BASE}fact/selfdescription/{sid}/{key}")
            g.add((s, RDF.type, SCO.Fact))
            g.add((s, RDF.type, SCO.SelfDescription))
            g.add((s, SCO.describes, source_iri(sid)))
            value = meta[key]
            g.add((s, prop, entity_iri(value) if value in self.c.entities else Literal(str(value))))
            shown = self._name_of(value)
            g.add((s, RDFS.label, Literal(f"{sid[:3]} states that its {key} is {shown}", lang="en")))
            g.add((s, PROV.wasDerivedFrom, source_iri(sid)))
            g.add((s, SCO.reported, Literal(quote.factuality == "reported")))
            g.add((s, SCO.rank, SCO[rank_of(quote.factuality == "reported", False, True)]))
            self._origin(s, origin)
            self._add_evidence(s, URIRef(f"{BASE}evidence/selfdescription/{sid}/{key}"), sid, origin, a,
                               quote.factuality)

    def _name_of(self, value) -> str:
        entity = self.c.entities.get(str(value))
        return entity.label if entity else f"“{value}”"

    def _disagreements(self) -> dict[str, list[Statement]]:
        """The disagreements' nodes; returns, per statement path, the other claims it competes with. Claims that
        turn out to be one statement agree, so a disagreement needs two different statements."""
        by_ref = {f"{f.source[:3]}:{f.ref}": self.statement_of[id(f)] for f in self.c.facts if f.ref}
        rivals: dict[str, list[Statement]] = defaultdict(list)
        for d in self.c.disagreements:
            slug = re.sub(r"[^a-z0-9]+", "-", d.question.lower()).strip("-")
            s = URIRef(BASE + "disagreement/" + slug)
            self.data.add((s, RDF.type, SCO.Disagreement))
            self.data.add((s, RDFS.label, Literal(d.question, lang="en")))
            self.data.add((s, SCO.about, entity_iri(d.about)))
            claims = list({id(st): st for st in (by_ref[c] for c in d.claims if c in by_ref)}.values())
            if len(claims) < 2:
                self.errors.append(f"{place(d.file, d.line)}: disagreement #{d.index}: its claims are one statement "
                                   f"({', '.join(d.claims)}): sources that agree do not disagree")
            for st in claims:
                self.data.add((s, SCO.claim, fact_iri(st)))
                rivals[st.path].extend(o for o in claims if o is not st)
            self._origin(s, d.file)
        return rivals


def footnote_works(facts: list[Fact]) -> dict[str, dict[str, set[str]]]:
    """Per source, footnote number -> the works its Citation facts list under that number."""
    works: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in facts:
        if f.kind.name == "Citation":
            for n in f.values.get("footnote", []):
                works[f.source][n].add(f.values["work"])
    return works


def sources_graph(texts: dict[str, str], raw: dict[str, bytes], meta: dict[str, dict],
                  entities: dict[str, Entity], errors: list[str]) -> Graph:
    """Describe each source document: identifier, full text, hash, and what it states about itself."""
    g = new_graph()
    for sid, text in sorted(texts.items()):
        s = source_iri(sid)
        g.add((s, RDF.type, SCO.SourceDocument))
        g.add((s, DCTERMS.identifier, Literal(sid)))
        g.add((s, SCO.text, Literal(text)))
        g.add((s, SCO.sha256, Literal(hashlib.sha256(raw[sid]).hexdigest())))
        m = meta.get(sid) or {}
        title = m.get("title")
        g.add((s, RDFS.label, Literal(title or f"Source document {sid}", lang="en")))
        _source_meta(g, s, sid, text, m, entities, errors)
    return g


def _source_meta(g: Graph, s: URIRef, sid: str, text: str, m: dict, entities, errors: list[str]) -> None:
    """The dcterms statements on the source node; their evidence is on the self-description facts."""
    quotes = m.get("quotes") or {}
    for key, prop in SELF_DESCRIPTION.items():
        value = m.get(key)
        if value is None:
            continue
        if not quotes.get(key):
            errors.append(f"graph/data/sources.yaml: {sid}: '{key}' needs a quote found verbatim in the document")
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            g.add((s, prop, entity_iri(v) if v in entities else Literal(str(v))))
