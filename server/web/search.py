"""Search over labels and alternative names, and over the evidence quotes (`/search?q=`), answered
from memory.

The index is built with one query the first time a search (or a 404 page) needs it, and again only
when the store serves another version (DatasetInfo.store_version changes after an update). Names are
folded for matching: NFKD with combining marks removed, then casefolded, so "turkiye" finds Türkiye.
Ranking: exact name > name starts with the query > a word of the name starts with it > substring;
a label before an alternative name, then shorter names, then alphabetical.
A quote is found when every word of the query starts a word of the quote: the exact phrase first,
then shorter quotes; each result names its fact (by the fact's sentence), the quote and its source.
"""
from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from dataclasses import dataclass

from ontology import vocab

from .queries import bind

MAX_QUERY_CHARS = 200


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("ı", "i")


@dataclass(frozen=True)
class Name:
    iri: str
    text: str
    folded: str
    alias: bool


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    description: str
    matched: str
    alias: bool
    rank: tuple


@dataclass(frozen=True)
class Quote:
    fact: str
    sentence: str
    evidence: str
    exact: str
    folded: str
    source_id: str
    factuality: str


class Index:
    def __init__(self, rows: list[dict], subclass_rows: list[dict] = (), quote_rows: list[dict] = ()):
        self.labels: dict[str, str] = {}
        self.types: dict[str, list[str]] = {}
        self.type_iris: dict[str, set[str]] = {}
        names: dict[tuple, Name] = {}
        for r in rows:
            e, text, alias = r["e"].value, r["name"].value, "alt" in r
            if not alias:
                self.labels.setdefault(e, text)
            if r.get("tl") and r["tl"].value not in self.types.setdefault(e, []):
                self.types[e].append(r["tl"].value)
            if r.get("type"):
                self.type_iris.setdefault(e, set()).add(r["type"].value)
            names.setdefault((e, text), Name(e, text, fold(text), alias))
        self.names = sorted(names.values(), key=lambda n: (n.alias, len(n.text), n.text))
        self._names_of: dict[str, list[str]] = {}
        for n in self.names:
            self._names_of.setdefault(n.iri, []).append(n.text)
        self.supers: dict[str, set[str]] = {}
        for r in subclass_rows:
            self.supers.setdefault(r["c"].value, set()).add(r["super"].value)
        quotes = {(r["ev"].value, r["exact"].value): _quote(r) for r in quote_rows}
        self.quotes = sorted(quotes.values(), key=lambda q: (len(q.exact), q.exact, q.fact, q.evidence))  # one order on every engine

    def classes_of(self, iri: str) -> set[str]:
        """The resource's classes and every class above them (rdfs:subClassOf, followed in memory)."""
        seen, todo = set(), list(self.type_iris.get(iri, ()))
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.supers.get(c, ()))
        return seen

    def names_of(self, iri: str) -> list[str]:
        return self._names_of.get(iri, [])

    def description(self, iri: str) -> str:
        return ", ".join(sorted(self.types.get(iri, [])))

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        q = fold(query.strip()[:MAX_QUERY_CHARS])
        if not q:
            return []
        best: dict[str, Hit] = {}
        for n in self.names:
            rank = _rank(q, n)
            if rank is None:
                continue
            seen = best.get(n.iri)
            if seen is None or rank < seen.rank:
                best[n.iri] = Hit(n.iri, self.labels.get(n.iri, n.text), self.description(n.iri), n.text, n.alias, rank)
        return sorted(best.values(), key=lambda h: h.rank)[:limit]

    def evidence(self, query: str, limit: int = 20) -> list[Quote]:
        """The quotes in which every word of the query starts a word; the exact phrase first."""
        q = fold(query.strip()[:MAX_QUERY_CHARS])
        words = q.split()[:12]
        if not words:
            return []
        patterns = [re.compile(r"(?<![^\W_])" + re.escape(w)) for w in words]
        found = [x for x in self.quotes if all(p.search(x.folded) for p in patterns)]
        found.sort(key=lambda x: q not in x.folded)  # stable: shorter quotes first within each
        return found[:limit]

    def similar(self, words: list[str], limit: int = 12, max_candidates: int = 5000) -> list[Hit]:
        """Names close to some words (the 404 page's "did you mean"): bounded by words and candidates."""
        words = [w for w in (fold(w)[:40] for w in words) if len(w) >= 3][:6]
        if not words:
            return []
        scored: dict[str, float] = {}
        for n in self.names[:max_candidates]:
            keys = [n.folded[:80]] + n.folded.split()[:8]
            score = 0.0
            for w in words:
                if w in n.folded:
                    score = 1.0
                    break
                for k in keys:
                    m = difflib.SequenceMatcher(None, w, k)
                    if m.real_quick_ratio() >= 0.75 and m.quick_ratio() >= 0.75:
                        score = max(score, m.ratio())
            if score >= 0.75 and score > scored.get(n.iri, 0):
                scored[n.iri] = score
        ranked = sorted(scored, key=lambda i: (-scored[i], self.labels.get(i, i)))[:limit]
        return [Hit(i, self.labels.get(i, i), self.description(i), "", False, ()) for i in ranked]


def _quote(r: dict) -> Quote:
    text = r["exact"].value
    return Quote(r["f"].value, r["sentence"].value if r.get("sentence") else "", r["ev"].value, text, fold(text),
                 r["sid"].value if r.get("sid") else "", r["factuality"].value if r.get("factuality") else "")


def _rank(q: str, n: Name) -> tuple | None:
    if n.folded == q:
        level = 0
    elif n.folded.startswith(q):
        level = 1
    elif re.search(r"(?<![^\W_])" + re.escape(q), n.folded):
        level = 2
    elif q in n.folded:
        level = 3
    else:
        return None
    return (level, n.alias, len(n.text), n.text)


_lock = threading.Lock()
_indexes: dict[int, tuple[str, Index]] = {}


def index_for(store) -> Index:
    """The index of the store's current version, built at most once per version."""
    version = store.info().store_version
    with _lock:
        held = _indexes.get(id(store))
        if held is None or held[0] != version:
            held = (version, Index(store.select(bind("search_names")), store.select(bind("subclasses")),
                                   store.select(bind("search_quotes"))))
            _indexes[id(store)] = held
        return held[1]


def local_id(iri: str) -> str:
    """A short id in the manner of Wikidata's: the path under the base, without the id/ folder."""
    path = iri[len(vocab.BASE):] if iri.startswith(vocab.BASE) else iri
    return path[3:] if path.startswith("id/") else path


def marks(text: str, query: str) -> list[tuple[str, bool]]:
    """The text in pieces, each marked True where a word of the query starts (for <mark> on a page).
    Each character is folded alone, to one character, so positions in the fold are positions in the text."""
    folded = "".join(fold(c)[:1] or c for c in text)
    spans = []
    for w in fold(query).split()[:12]:
        spans += [(m.start(), m.start() + len(w)) for m in re.finditer(r"(?<![^\W_])" + re.escape(w), folded)]
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
    return [p for p in pieces + [(text[at:], False)] if p[0]]
