"""What the pages show, read from the store with SPARQL only (select/construct/ask), issue 5.

Every query here is written in the shape Oxigraph plans fast: VALUES and required patterns
first, OPTIONAL last, no FILTER NOT EXISTS.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import vocab

from .linked_data import iri_ref

SCO, ORG, RDFS, SKOS, PROV, DCT, TIME, RDF_TYPE = (vocab.SCO, vocab.ORG, vocab.RDFS, vocab.SKOS, vocab.PROV,
                                                    vocab.DCTERMS, vocab.TIME, vocab.RDF_TYPE)
PREFIXES = vocab.sparql_prologue()

# Fact kinds in page order: heading, and the columns of its table (predicate, header).
WHEN = "when"
KINDS: "OrderedDict[str, tuple[str, list[tuple[str, str]]]]" = OrderedDict([
    ("Membership", ("Memberships", [(ORG + "member", "Member"), (ORG + "organization", "Organization"),
                                     (ORG + "role", "Role"), (WHEN, "Period"), (SCO + "status", "Status")])),
    ("Chairmanship", ("Chairmanships", [(ORG + "member", "Chair"), (ORG + "organization", "Organization"),
                                         (WHEN, "Period")])),
    ("PostHolding", ("Posts held", [(SCO + "holder", "Holder"), (SCO + "post", "Post"),
                                    (SCO + "acting", "Acting"), (WHEN, "Period")])),
    ("Attendance", ("Events attended", [(SCO + "attendee", "Attendee"), (SCO + "event", "Event"),
                                        (SCO + "representing", "Representing"), (SCO + "capacity", "Capacity")])),
    ("Absence", ("Events missed", [(SCO + "attendee", "Absentee"), (SCO + "event", "Event"),
                                   (SCO + "representing", "Representing"), (SCO + "reason", "Reason given")])),
    ("Founding", ("Foundings", [(ORG + "resultingOrganization", "Organization"), (SCO + "founder", "Founders"),
                                (SCO + "place", "Place"), (WHEN, "Date")])),
    ("Succession", ("Successions", [(ORG + "originalOrganization", "Predecessor"),
                                    (ORG + "resultingOrganization", "Successor"), (WHEN, "Date")])),
    ("EventOccurrence", ("Events held", [(SCO + "event", "Event"), (SCO + "place", "Place"), (SCO + "host", "Host"),
                                         (SCO + "chairedBy", "Chaired by"), (WHEN, "When")])),
    ("Participation", ("Participation", [(SCO + "participant", "Participant"), (SCO + "event", "Event"),
                                         (SCO + "tookPart", "Took part")])),
    ("DocumentAdoption", ("Documents adopted", [(SCO + "document", "Document"), (SCO + "adoptedBy", "Adopted by"),
                                                (SCO + "event", "At"), (SCO + "place", "Place"), (WHEN, "Date"),
                                                (SCO + "summary", "About")])),
    ("StatedFigure", ("Stated figures", [(SCO + "subject", "Subject"), (SCO + "measure", "Measure"),
                                         (SCO + "value", "Value"), (SCO + "unit", "Unit"),
                                         (SCO + "qualifier", "Qualifier"), (WHEN, "When")])),
    ("BodyPlacement", ("Bodies", [(SCO + "body", "Body"), (SCO + "parent", "Of"), (SCO + "seat", "Seat")])),
    ("Response", ("Responses", [(SCO + "responder", "Responder"), (SCO + "event", "To"),
                                (SCO + "responded", "Responded"), (SCO + "how", "How")])),
    ("MembershipInterest", ("Interest in membership", [(SCO + "candidate", "State"),
                                                       (SCO + "targetOrganization", "Organization"),
                                                       (SCO + "soughtRole", "Role sought"), (WHEN, "When")])),
    ("NonMembership", ("Not members", [(SCO + "candidate", "State"), (SCO + "targetOrganization", "Organization"),
                                       (SCO + "reason", "Reason")])),
    ("Citation", ("Works cited", [(SCO + "work", "Work"), (SCO + "footnote", "Footnote")])),
    ("Relation", ("Other relations", [(SCO + "subject", "Subject"), (SCO + "relationType", "Relation"),
                                      (SCO + "object", "Object"), (WHEN, "When")])),
])
OTHER_KIND = "Fact"

CATEGORIES = OrderedDict([
    ("organizations", ("Organizations", ["IntergovernmentalOrganization", "Organization", "OrganizationalBody",
                                         "Grouping"])),
    ("states", ("States", ["State"])),
    ("persons", ("Persons", ["Person"])),
    ("posts", ("Posts", ["Post"])),
    ("events", ("Events", ["Event", "Summit", "Meeting", "MinisterialMeeting", "MilitaryExercise", "Ceremony",
                           "Crisis", "Conflict"])),
    ("documents", ("Documents", ["Document", "Charter", "Convention", "Declaration", "Strategy", "Memorandum",
                                 "JointStatement", "Initiative", "Agreement", "Treaty", "Project"])),
    ("places", ("Places", ["Place", "City", "Region", "Venue"])),
    ("works", ("Cited works", ["CitedWork"])),
])
ORGANIZATION_TYPES = {SCO + c for c in CATEGORIES["organizations"][1]}


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def humanize(iri: str) -> str:
    name = local_name(iri)
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return name[:1].upper() + name[1:]


def anchor(iri: str) -> str:
    """A stable HTML id for an evidence node (used on fact, entity and source pages)."""
    return "q-" + hashlib.sha1(iri.encode()).hexdigest()[:10]


def values(iris) -> str:
    return " ".join(iri_ref(i) for i in iris)


def _s(term) -> str | None:
    return None if term is None else term.value


@dataclass
class Term:
    """An RDF term as the pages show it."""
    value: str
    is_iri: bool
    label: str | None = None
    datatype: str | None = None

    @property
    def text(self) -> str:
        if self.label:
            return self.label
        if self.is_iri:
            return humanize(self.value)
        if self.datatype == "http://www.w3.org/2001/XMLSchema#boolean":
            return "yes" if self.value in ("true", "1") else "no"
        return self.value


def term(t, label=None) -> Term:
    if isinstance(t, ox.Literal):
        return Term(t.value, False, None, t.datatype.value if not t.language else None)
    return Term(t.value, True, _s(label))


@dataclass
class Evidence:
    iri: str
    source: str
    source_id: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0
    cites: list = field(default_factory=list)
    before: str = ""
    after: str = ""

    @property
    def anchor(self) -> str:
        return anchor(self.iri)


@dataclass
class Fact:
    iri: str
    label: str = ""
    kind: str = OTHER_KIND
    types: list = field(default_factory=list)
    props: "OrderedDict[str, list[Term]]" = field(default_factory=OrderedDict)
    begin: str | None = None
    end: str | None = None
    when: str | None = None
    sources: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    disputes: list = field(default_factory=list)

    @property
    def period(self) -> str:
        if self.when:
            return self.when
        if self.begin and self.end:
            return self.begin if self.begin == self.end else f"{self.begin} – {self.end}"
        if self.begin:
            return f"from {self.begin}"
        if self.end:
            return f"until {self.end}"
        for p in ("year", "startYear"):
            if SCO + p in self.props:
                return ("from " if p == "startYear" else "") + self.props[SCO + p][0].value
        return ""

    def years(self) -> tuple[int | None, int | None]:
        def year(v):
            m = re.match(r"-?\d{4}", v or "")
            return int(m.group(0)) if m else None
        b = year(self.begin) or year(self.when) or year(_first(self.props.get(SCO + "startYear")))
        e = year(self.end) or year(_first(self.props.get(SCO + "endYear")))
        return b, e

    def cell(self, predicate: str) -> list:
        return self.props.get(predicate, [])


def _first(terms):
    return terms[0].value if terms else None


@dataclass
class Disagreement:
    iri: str
    question: str
    about: list = field(default_factory=list)
    claims: list = field(default_factory=list)  # Facts (with evidence)

    @property
    def anchor(self) -> str:
        return "d-" + hashlib.sha1(self.iri.encode()).hexdigest()[:10]


class View:
    """Reads for one request; `store` is app.extensions["sco_store"]."""

    def __init__(self, store, withhold_text: bool, context_chars: int = 240):
        self.store = store
        self.withhold = withhold_text
        self.context_chars = context_chars
        self._texts: dict[str, str] = {}

    def select(self, body: str) -> list[dict]:
        return self.store.select(PREFIXES + body)

    # --- basics ---------------------------------------------------------------------------
    def resource(self, iri: str) -> dict:
        ref = iri_ref(iri)
        rows = self.select(f"SELECT ?p ?o ?ol WHERE {{ {ref} ?p ?o . OPTIONAL {{ ?o rdfs:label ?ol }} }}")
        out = {"iri": iri, "label": None, "alt": [], "types": [], "same_as": [], "props": OrderedDict()}
        seen = set()
        for r in rows:
            p, o = r["p"].value, r["o"]
            if (p, o) in seen:
                continue
            seen.add((p, o))
            if p == RDFS + "label" and out["label"] is None:
                out["label"] = o.value
            elif p == SKOS + "altLabel":
                out["alt"].append(o.value)
            elif p == RDF_TYPE:
                out["types"].append(term(o, r.get("ol")))
            elif p in (SKOS + "exactMatch", "http://www.w3.org/2002/07/owl#sameAs"):
                out["same_as"].append(o.value)
            elif p == SCO + "text":
                continue
            else:
                out["props"].setdefault(p, []).append(term(o, r.get("ol")))
        out["alt"].sort()
        return out

    def predicate_labels(self, predicates) -> dict:
        predicates = [p for p in predicates if p.startswith("http")]
        if not predicates:
            return {}
        rows = self.select(f"SELECT ?p ?l WHERE {{ VALUES ?p {{ {values(predicates)} }} ?p rdfs:label ?l }}")
        return {r["p"].value: r["l"].value for r in rows}

    # --- facts ----------------------------------------------------------------------------
    def fact_iris_about(self, iri: str) -> list[str]:
        ref = iri_ref(iri)
        rows = self.select(f"SELECT DISTINCT ?f WHERE {{ ?f ?p {ref} . ?f a sco:Fact }}")
        return sorted(r["f"].value for r in rows)

    def fact_iris_from(self, source: str) -> list[str]:
        rows = self.select(f"SELECT DISTINCT ?f WHERE {{ ?f prov:wasDerivedFrom {iri_ref(source)} . ?f a sco:Fact }}")
        return sorted(r["f"].value for r in rows)

    def facts(self, iris: list[str], with_context: bool = True) -> list[Fact]:
        if not iris:
            return []
        facts = {i: Fact(i) for i in iris}
        vals = values(iris)
        for r in self.select(f"SELECT ?f ?p ?o ?ol WHERE {{ VALUES ?f {{ {vals} }} ?f ?p ?o . "
                             f"OPTIONAL {{ ?o rdfs:label ?ol }} }}"):
            f, p, o = facts[r["f"].value], r["p"].value, r["o"]
            if p == RDFS + "label":
                f.label = f.label or o.value
            elif p == RDF_TYPE:
                f.types.append(o.value)
            elif p == PROV + "wasDerivedFrom":
                if o.value not in f.sources:
                    f.sources.append(o.value)
            elif p == SCO + "evidence":
                continue
            else:
                existing = f.props.setdefault(p, [])
                if all(t.value != o.value for t in existing):
                    existing.append(term(o, r.get("ol")))
        for f in facts.values():
            kinds = [t[len(SCO):] for t in f.types if t.startswith(SCO) and t[len(SCO):] in KINDS]
            f.kind = "Chairmanship" if "Chairmanship" in kinds else (kinds[0] if kinds else OTHER_KIND)
            for p in list(f.props):
                f.props[p].sort(key=lambda t: t.text)
        self._temporal(facts, vals)
        self._evidence(facts, vals, with_context)
        return sorted(facts.values(), key=lambda f: (list(KINDS).index(f.kind) if f.kind in KINDS else 99,
                                                     f.years()[0] or 9999, f.label))

    def _temporal(self, facts: dict, vals: str) -> None:
        rows = self.select(f"""SELECT ?f ?tp ?b ?e ?w WHERE {{
  VALUES ?f {{ {vals} }}
  VALUES ?tp {{ org:memberDuring sco:during sco:when }}
  ?f ?tp ?i .
  OPTIONAL {{ ?i time:hasBeginning ?bi . ?bi ?bp ?b . VALUES ?bp {{ time:inXSDgYear time:inXSDgYearMonth time:inXSDDate }} }}
  OPTIONAL {{ ?i time:hasEnd ?ei . ?ei ?ep ?e . VALUES ?ep {{ time:inXSDgYear time:inXSDgYearMonth time:inXSDDate }} }}
  OPTIONAL {{ ?i ?wp ?w . VALUES ?wp {{ time:inXSDgYear time:inXSDgYearMonth time:inXSDDate }} }}
}}""")
        for r in rows:
            f = facts[r["f"].value]
            f.begin = f.begin or _s(r.get("b"))
            f.end = f.end or _s(r.get("e"))
            if r["tp"].value == SCO + "when":
                f.when = f.when or _s(r.get("w"))
            for p in (ORG + "memberDuring", SCO + "during", SCO + "when"):
                f.props.pop(p, None)

    def _evidence(self, facts: dict, vals: str, with_context: bool) -> None:
        rows = self.select(f"""SELECT ?f ?ev ?src ?exact ?start ?end ?prefix ?suffix ?sid ?cites WHERE {{
  VALUES ?f {{ {vals} }}
  ?f sco:evidence ?ev .
  ?ev oa:hasTarget ?t .
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?pos .
  ?q oa:exact ?exact .
  ?pos oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?q oa:prefix ?prefix }}
  OPTIONAL {{ ?q oa:suffix ?suffix }}
  OPTIONAL {{ ?src dcterms:identifier ?sid }}
  OPTIONAL {{ ?ev sco:citesWork ?cites }}
}}""")
        by_iri: dict[tuple, Evidence] = {}
        for r in rows:
            key = (r["f"].value, r["ev"].value)
            if key in by_iri:
                if r.get("cites") and r["cites"].value not in by_iri[key].cites:
                    by_iri[key].cites.append(r["cites"].value)
                continue
            src = r["src"].value
            ev = Evidence(r["ev"].value, src, _s(r.get("sid")) or local_name(src), r["exact"].value,
                          _s(r.get("prefix")) or "", _s(r.get("suffix")) or "",
                          int(r["start"].value), int(r["end"].value),
                          [r["cites"].value] if r.get("cites") else [])
            by_iri[key] = ev
            facts[key[0]].evidence.append(ev)
        if with_context:
            self.add_context([e for f in facts.values() for e in f.evidence])
        for f in facts.values():
            f.evidence.sort(key=lambda e: (e.source_id, e.start))

    def texts(self, sources) -> dict[str, str]:
        if self.withhold:
            return {}
        need = [s for s in set(sources) if s not in self._texts]
        if need:
            for r in self.select(f"SELECT ?s ?text WHERE {{ VALUES ?s {{ {values(need)} }} ?s sco:text ?text }}"):
                self._texts[r["s"].value] = r["text"].value
        return {s: self._texts[s] for s in sources if s in self._texts}

    def add_context(self, evidence: list[Evidence]) -> None:
        """The quote in its context: from the source text, or (withheld) the selector's prefix/suffix."""
        texts = self.texts({e.source for e in evidence})
        n = self.context_chars
        for e in evidence:
            text = texts.get(e.source)
            if text is not None and text[e.start:e.end] == e.exact:
                lo, hi = max(0, e.start - n), min(len(text), e.end + n)
                if lo > 0:
                    lo = text.find(" ", lo, e.start) + 1 or lo
                if hi < len(text):
                    cut = text.rfind(" ", e.end, hi)
                    hi = cut if cut > 0 else hi
                e.before = ("…" if lo > 0 else "") + text[lo:e.start]
                e.after = text[e.end:hi] + ("…" if hi < len(text) else "")
            else:
                e.before = ("…" + e.prefix) if e.prefix else ""
                e.after = (e.suffix + "…") if e.suffix else ""

    # --- disagreements --------------------------------------------------------------------
    def disagreements(self, fact_iris=(), about: str | None = None, every: bool = False) -> list[Disagreement]:
        wheres = []
        if every:
            wheres.append("{ ?d a sco:Disagreement }")
        if fact_iris:
            wheres.append(f"{{ VALUES ?c {{ {values(fact_iris)} }} ?d sco:claim ?c . ?d a sco:Disagreement }}")
        if about:
            wheres.append(f"{{ ?d sco:about {iri_ref(about)} . ?d a sco:Disagreement }}")
        if not wheres:
            return []
        ds = sorted({r["d"].value for r in self.select(f"SELECT DISTINCT ?d WHERE {{ {' UNION '.join(wheres)} }}")})
        if not ds:
            return []
        rows = self.select(f"""SELECT ?d ?claim ?q ?about ?al WHERE {{
  VALUES ?d {{ {values(ds)} }}
  ?d sco:claim ?claim .
  OPTIONAL {{ ?d rdfs:label ?q }}
  OPTIONAL {{ ?d sco:about ?about . OPTIONAL {{ ?about rdfs:label ?al }} }}
}}""")
        out: dict[str, Disagreement] = {}
        claims: dict[str, list[str]] = {}
        for r in rows:
            d = out.setdefault(r["d"].value, Disagreement(r["d"].value, _s(r.get("q")) or "Disagreement"))
            if r.get("about") and all(a.value != r["about"].value for a in d.about):
                d.about.append(term(r["about"], r.get("al")))
            claims.setdefault(d.iri, [])
            if r["claim"].value not in claims[d.iri]:
                claims[d.iri].append(r["claim"].value)
        all_claims = sorted({c for cs in claims.values() for c in cs})
        facts = {f.iri: f for f in self.facts(all_claims)}
        for d in out.values():
            d.claims = [facts[c] for c in claims[d.iri] if c in facts]
        return sorted(out.values(), key=lambda d: d.question)

    # --- lists and counts -----------------------------------------------------------------
    def members_of(self, category: str) -> list[dict]:
        classes = values(SCO + c for c in CATEGORIES[category][1])
        rows = self.select(f"""SELECT ?e ?label ?type ?tl WHERE {{
  VALUES ?type {{ {classes} }}
  ?e a ?type .
  OPTIONAL {{ ?e rdfs:label ?label }}
  OPTIONAL {{ ?type rdfs:label ?tl }}
}}""")
        out: dict[str, dict] = {}
        for r in rows:
            e = out.setdefault(r["e"].value, {"iri": r["e"].value, "label": _s(r.get("label")) or humanize(r["e"].value),
                                              "types": []})
            tl = _s(r.get("tl")) or humanize(r["type"].value)
            if tl not in e["types"]:
                e["types"].append(tl)
        return sorted(out.values(), key=lambda e: e["label"].lower())

    def counts(self) -> dict:
        parts = []
        for key, (_, classes) in CATEGORIES.items():
            parts.append(f"{{ SELECT (COUNT(DISTINCT ?e) AS ?{key}) WHERE {{ VALUES ?t {{ {values(SCO + c for c in classes)} }} ?e a ?t }} }}")
        for key, cls in (("facts", "sco:Fact"), ("evidence", "sco:Evidence"), ("sources", "sco:SourceDocument"),
                         ("disagreements", "sco:Disagreement")):
            parts.append(f"{{ SELECT (COUNT(DISTINCT ?x) AS ?{key}) WHERE {{ ?x a {cls} }} }}")
        rows = self.select("SELECT * WHERE { " + " ".join(parts) + " }")
        return {k: int(v.value) for k, v in (rows[0] if rows else {}).items()}

    def sources(self) -> list[dict]:
        rows = self.select("""SELECT ?s ?id ?title ?creator ?cl ?publisher ?pl ?date ?label WHERE {
  ?s a sco:SourceDocument .
  OPTIONAL { ?s dcterms:identifier ?id }
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s dcterms:creator ?creator . OPTIONAL { ?creator rdfs:label ?cl } }
  OPTIONAL { ?s dcterms:publisher ?publisher . OPTIONAL { ?publisher rdfs:label ?pl } }
  OPTIONAL { ?s dcterms:date ?date }
  OPTIONAL { ?s rdfs:label ?label }
}""")
        out: dict[str, dict] = {}
        for r in rows:
            s = out.setdefault(r["s"].value, {"iri": r["s"].value, "id": _s(r.get("id")) or local_name(r["s"].value),
                                              "title": _s(r.get("title")), "creator": [], "publisher": [],
                                              "date": _s(r.get("date")), "label": _s(r.get("label"))})
            for key, var, lab in (("creator", "creator", "cl"), ("publisher", "publisher", "pl")):
                if r.get(var) is not None and all(t.value != r[var].value for t in s[key]):
                    s[key].append(term(r[var], r.get(lab)))
        return sorted(out.values(), key=lambda s: s["id"])

    def source_evidence(self, source: str) -> list[dict]:
        rows = self.select(f"""SELECT ?ev ?f ?fl ?exact ?start ?end WHERE {{
  ?t oa:hasSource {iri_ref(source)} .
  ?ev oa:hasTarget ?t ; oa:hasBody ?f .
  ?t oa:hasSelector ?q, ?pos .
  ?q oa:exact ?exact .
  ?pos oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?f rdfs:label ?fl }}
}}""")
        out = {}
        for r in rows:
            out.setdefault(r["ev"].value, {"iri": r["ev"].value, "fact": r["f"].value,
                                           "fact_label": _s(r.get("fl")) or humanize(r["f"].value),
                                           "exact": r["exact"].value, "start": int(r["start"].value),
                                           "end": int(r["end"].value), "anchor": anchor(r["ev"].value)})
        return sorted(out.values(), key=lambda e: (e["start"], e["end"]))

    def evidence_body(self, evidence_iri: str) -> str | None:
        rows = self.select(f"SELECT ?f WHERE {{ {iri_ref(evidence_iri)} oa:hasBody ?f }}")
        return rows[0]["f"].value if rows else None

    def suggestions(self, words: list[str], base_iri: str, limit: int = 12) -> list[dict]:
        """Entities whose IRI or label is close to the words of an IRI that was not found."""
        import difflib
        words = [re.sub(r"[^a-z0-9]", "", w.lower()) for w in words]
        words = [w for w in words if len(w) >= 3][:6]
        if not words:
            return []
        found = self.select(f"SELECT ?e ?l WHERE {{ ?e rdfs:label ?l . FILTER(STRSTARTS(STR(?e), \"{base_iri}id/\")) }}")
        scored = {}
        slug_query = "-".join(words)
        for r in found:
            iri, label = r["e"].value, r["l"].value
            slug = iri[len(base_iri) + 3:]
            keys = [slug, label.lower()] + label.lower().split()
            score = max(difflib.SequenceMatcher(None, slug_query, slug).ratio(),
                        *(difflib.SequenceMatcher(None, w, k).ratio() for w in words for k in keys))
            if any(w in slug or w in label.lower() for w in words):
                score = max(score, 0.9)
            if score >= 0.75:
                scored[iri] = max(scored.get(iri, (0, label))[0], score), label
        best = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:limit]
        return [{"iri": iri, "label": label} for iri, (score, label) in best]


def highlight_segments(text: str, quotes: list[dict]) -> list[dict]:
    """Split a text at every quote boundary: [{text, quotes (covering), starts (anchors starting here)}]."""
    bounds = {0, len(text)}
    for q in quotes:
        bounds.update((q["start"], q["end"]))
    bounds = sorted(b for b in bounds if 0 <= b <= len(text))
    segments = []
    for lo, hi in zip(bounds, bounds[1:]):
        covering = [q for q in quotes if q["start"] <= lo and hi <= q["end"]]
        covering.sort(key=lambda q: q["end"] - q["start"])
        segments.append({"text": text[lo:hi], "quotes": covering,
                         "starts": [q for q in quotes if q["start"] == lo]})
    return segments
