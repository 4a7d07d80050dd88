"""Trigger words learned from the graph: the words of accepted facts' quotes, kind by kind.

A word that occurs in the quotes of one kind far more than in others ("attended", "joined",
"chaired") is evidence for that kind; a candidate whose sentence has such words for its kind gains
confidence, one whose sentence has none loses some.
"""
import re
from collections import Counter, defaultdict

from ..curation import Fact

STOPWORDS = set("""the and for with that this from was were has have had its his her their are been which who
also into than then them they more most over such other about after before while when where what will would
shanghai cooperation organization sco""".split())
MIN_COUNT = 2


def _words(text: str) -> set[str]:
    """The common words of a text: names (capitalised) say who, not what kind of fact."""
    return {w for w in re.findall(r"(?<![\w'’])[a-z]{3,}\b", text) if w not in STOPWORDS}


class Lexicon:
    def __init__(self, facts: list[Fact]):
        per_kind: dict[str, Counter] = defaultdict(Counter)
        total: Counter = Counter()
        for f in facts:
            words = set().union(*(_words(q.exact) for q in f.quotes))
            per_kind[f.kind.name].update(words)
            total.update(words)
        self.weights = {kind: {w: n / total[w] for w, n in c.items() if n >= MIN_COUNT}
                        for kind, c in per_kind.items()}

    def score(self, kind: str, text: str) -> float:
        """How strongly the text's words point to the kind, from 0 to 1."""
        weights = self.weights.get(kind, {})
        return max((weights.get(w, 0.0) for w in _words(text)), default=0.0)
