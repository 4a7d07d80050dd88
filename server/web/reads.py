"""The pages' reads from the store: SPARQL only, one .rq file per query (server/web/queries).

Every query is written in the shape Oxigraph plans fast: VALUES and required patterns first,
OPTIONAL last. Values reach a query only as terms (server.web.queries.bind).
"""
from __future__ import annotations

from collections import OrderedDict

import pyoxigraph as ox

from ontology import vocab

from .page_model import (CATEGORIES, REPORTED, Disagreement, Evidence, Fact, anchor, humanize, local_name,
                         set_kind, term)
from .queries import bind, iri, iris

SCO, ORG, RDFS, SKOS, PROV, RDF_TYPE = vocab.SCO, vocab.ORG, vocab.RDFS, vocab.SKOS, vocab.PROV, vocab.RDF_TYPE
SAME_AS = (SKOS + "exactMatch", vocab.OWL + "sameAs")
TIME_PROPS = (ORG + "memberDuring", SCO + "during", SCO + "when")


def _s(t) -> str | None:
    return None if t is None else t.value


class View:
    """Reads for one request; `store` is app.extensions["sco_store"]."""

    def __init__(self, store, withhold_text: bool, context_chars: int = 240):
        self.store = store
        self.withhold = withhold_text
        self.context_chars = context_chars
        self._texts: dict[str, str] = {}

    def select(self, name: str, **values) -> list[dict]:
        return self.store.select(bind(name, **values))

    # --- one resource ---------------------------------------------------------------------
    def resource(self, subject: str) -> dict:
        out = {"iri": subject, "label": None, "alt": [], "types": [], "same_as": [], "props": OrderedDict()}
        seen = set()
        for r in self.select("resource", s=[iri(subject)]):
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
            elif p in SAME_AS:
                out["same_as"].append(o.value)
            elif p != SCO + "text":
                out["props"].setdefault(p, []).append(term(o, r.get("ol")))
        out["alt"].sort()
        return out

    def labels(self, subjects) -> dict:
        subjects = [s for s in subjects if s.startswith("http")]
        if not subjects:
            return {}
        return {r["x"].value: r["l"].value for r in self.select("labels", x=iris(subjects))}

    # --- facts ----------------------------------------------------------------------------
    def fact_iris_about(self, entity: str) -> list[str]:
        return sorted(r["f"].value for r in self.select("facts_about", e=[iri(entity)]))

    def fact_iris_from(self, source: str) -> list[str]:
        return sorted(r["f"].value for r in self.select("facts_from", src=[iri(source)]))

    def facts(self, fact_iris: list[str], with_context: bool = True) -> list[Fact]:
        if not fact_iris:
            return []
        facts = {i: Fact(i) for i in fact_iris}
        terms = iris(fact_iris)
        for r in self.select("fact_fields", f=terms):
            _add_field(facts[r["f"].value], r["p"].value, r["o"], r.get("ol"))
        for f in facts.values():
            set_kind(f)
            for p in f.props:
                f.props[p].sort(key=lambda t: t.text)
        self._times(facts, terms)
        self._evidence(facts, terms, with_context)
        return sorted(facts.values(), key=Fact.sort_key)

    def _times(self, facts: dict, terms) -> None:
        for r in self.select("fact_times", f=terms):
            f = facts[r["f"].value]
            f.begin = f.begin or _s(r.get("b"))
            f.end = f.end or _s(r.get("e"))
            if r.get("derived") and r["derived"].value not in f.end_derived_from:
                f.end_derived_from.append(r["derived"].value)
            if r["tp"].value == SCO + "when":
                f.when = f.when or _s(r.get("w"))
        for f in facts.values():
            for p in TIME_PROPS:
                f.props.pop(p, None)

    def _evidence(self, facts: dict, terms, with_context: bool) -> None:
        by_key: dict[tuple, Evidence] = {}
        for r in self.select("fact_evidence", f=terms):
            key = (r["f"].value, r["ev"].value)
            if key in by_key:
                if r.get("cites") and r["cites"].value not in by_key[key].cites:
                    by_key[key].cites.append(r["cites"].value)
                continue
            src = r["src"].value
            ev = Evidence(r["ev"].value, src, _s(r.get("sid")) or local_name(src), r["exact"].value,
                          _s(r.get("prefix")) or "", _s(r.get("suffix")) or "",
                          int(r["start"].value), int(r["end"].value),
                          [r["cites"].value] if r.get("cites") else [], _s(r.get("factuality")) or REPORTED)
            by_key[key] = ev
            facts[key[0]].evidence.append(ev)
        if with_context:
            self.add_context([e for f in facts.values() for e in f.evidence])
        for f in facts.values():
            names = tuple(f.names())
            for e in f.evidence:
                e.key_words = names
            f.evidence.sort(key=lambda e: (e.source_id, e.start))

    def texts(self, sources) -> dict[str, str]:
        if self.withhold:
            return {}
        need = [s for s in set(sources) if s not in self._texts]
        if need:
            for r in self.select("source_texts", s=iris(need)):
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
        found: set[str] = set()
        if every:
            found |= {r["d"].value for r in self.select("disagreements_all")}
        if fact_iris:
            found |= {r["d"].value for r in self.select("disagreements_claiming", c=iris(fact_iris))}
        if about:
            found |= {r["d"].value for r in self.select("disagreements_about", e=[iri(about)])}
        if not found:
            return []
        out: dict[str, Disagreement] = {}
        claims: dict[str, list[str]] = {}
        for r in self.select("disagreement_claims", d=iris(sorted(found))):
            d = out.setdefault(r["d"].value, Disagreement(r["d"].value, _s(r.get("q")) or "Disagreement"))
            if r.get("about") and all(a.value != r["about"].value for a in d.about):
                d.about.append(term(r["about"], r.get("al")))
            if r["claim"].value not in claims.setdefault(d.iri, []):
                claims[d.iri].append(r["claim"].value)
        facts = {f.iri: f for f in self.facts(sorted({c for cs in claims.values() for c in cs}))}
        for d in out.values():
            d.claims = [facts[c] for c in claims[d.iri] if c in facts]
        return sorted(out.values(), key=lambda d: d.question)

    # --- lists and counts -----------------------------------------------------------------
    def members_of(self, category: str) -> list[dict]:
        out: dict[str, dict] = {}
        for r in self.select("members_of", types=iris(SCO + c for c in CATEGORIES[category][1])):
            e = out.setdefault(r["e"].value, {"iri": r["e"].value, "types": [],
                                              "label": _s(r.get("label")) or humanize(r["e"].value)})
            tl = _s(r.get("tl")) or humanize(r["type"].value)
            if tl not in e["types"]:
                e["types"].append(tl)
        return sorted(out.values(), key=lambda e: e["label"].lower())

    def counts(self) -> dict:
        pairs = [(ox.Literal(key), iri(SCO + c)) for key, (_, classes) in CATEGORIES.items() for c in classes]
        counts = {key: 0 for key in CATEGORIES}
        counts.update({r["cat"].value: int(r["n"].value) for r in self.select("category_counts", pairs=pairs)})
        names = {SCO + "Fact": "facts", SCO + "Evidence": "evidence", SCO + "SourceDocument": "sources",
                 SCO + "Disagreement": "disagreements"}
        counts.update({v: 0 for v in names.values()})
        counts.update({names[r["cls"].value]: int(r["n"].value) for r in self.select("node_counts")})
        return counts

    def sources(self) -> list[dict]:
        out: dict[str, dict] = {}
        for r in self.select("sources"):
            s = out.setdefault(r["s"].value, {"iri": r["s"].value, "id": _s(r.get("id")) or local_name(r["s"].value),
                                              "title": _s(r.get("title")), "creator": [], "publisher": [],
                                              "date": _s(r.get("date")), "label": _s(r.get("label"))})
            for key, var, lab in (("creator", "creator", "cl"), ("publisher", "publisher", "pl")):
                if r.get(var) is not None and all(t.value != r[var].value for t in s[key]):
                    s[key].append(term(r[var], r.get(lab)))
        return sorted(out.values(), key=lambda s: s["id"])

    def source_evidence(self, source: str) -> list[dict]:
        out = {}
        for r in self.select("source_quotes", src=[iri(source)]):
            out.setdefault(r["ev"].value, {"iri": r["ev"].value, "fact": r["f"].value,
                                           "fact_label": _s(r.get("fl")) or humanize(r["f"].value),
                                           "exact": r["exact"].value, "start": int(r["start"].value),
                                           "end": int(r["end"].value), "anchor": anchor(r["ev"].value),
                                           "factuality": _s(r.get("factuality")) or REPORTED})
        return sorted(out.values(), key=lambda e: (e["start"], e["end"]))

    def evidence_body(self, evidence_iri: str) -> str | None:
        rows = self.select("evidence_body", ev=[iri(evidence_iri)])
        return rows[0]["f"].value if rows else None


def _add_field(f: Fact, p: str, o, label) -> None:
    if p == RDFS + "label":
        f.label = f.label or o.value
    elif p == RDF_TYPE:
        f.types.append(o.value)
    elif p == PROV + "wasDerivedFrom":
        if o.value not in f.sources:
            f.sources.append(o.value)
    elif p != SCO + "evidence":
        existing = f.props.setdefault(p, [])
        if all(t.value != o.value for t in existing):
            existing.append(term(o, label))
