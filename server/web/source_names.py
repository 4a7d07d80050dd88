"""Names for the source documents, as the pages show them instead of a bare identifier.

A source that states its own title is shown by that title. The other four state none, so the
curators gave each a short descriptive name from what the text says of itself; pages mark these
names as the curators' own (they are not in the graph, which states only what the documents do).
"""
from __future__ import annotations

CURATORS_NAMES = {
    "000_e80a9174165847db": "Analysis: Central and South Asia in the SCO after the 2024 Astana summit",
    "001_139abbdf7a6974c8": "Report on the 2024 Astana summit, a week after it",
    "002_694e076b4a465653": "News report written while the 2024 Astana summit was taking place",
    "004_7aa1b5f187d5e36a": "Article on Putin and Xi at the 2024 Astana summit",
}


def source_name(source: dict) -> tuple[str, bool]:
    """(the name to show, whether the curators gave it) for a row of View.sources()."""
    if source.get("title"):
        return source["title"], False
    if source.get("id") in CURATORS_NAMES:
        return CURATORS_NAMES[source["id"]], True
    return source.get("label") or source.get("id") or "Source", False
