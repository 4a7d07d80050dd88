"""`sco-kg propose`: candidate facts from a new source text, in the curation YAML of graph/data/facts/.

Offline and rule-based: sentences (pysbd), entity linking against the curated entities (exact names,
accent-folded, fuzzy with rapidfuzz), one rule module per group of kinds, a trigger lexicon learned
from the quotes of the curated facts, dates at the text's precision, factuality cues, and a comparison
with the statements the graph already has.
"""
