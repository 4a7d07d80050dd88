"""A small SPARQL 1.1 tokenizer and the few checks the endpoint needs before execution.

Not a parser: it only tells strings, IRIs, comments and variables apart from keywords
(SPARQL 1.1 Query §19.8 terminals), so that a keyword found here really is a keyword.
Used to refuse SERVICE and LOAD (no request makes the server contact the network), to see a
query's form and FROM clauses, to add USING clauses for `using-graph-uri` (Protocol §2.2.3),
and to turn a DESCRIBE into the SELECT that finds the resources to describe.
"""
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"""
   (?P<ws>\s+)
 | (?P<comment>\#[^\n\r]*)
 | (?P<string>'''(?:'{0,2}(?:[^'\\]|\\.))*'''|\"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
 | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
 | (?P<var>[?$][\w\u00B7-\uFFFF]+)
 | (?P<word>(?:[^\W\d][\w.\-\u00B7-\uFFFF]*)?:(?:[\w.\-:%\u00B7-\uFFFF]|\\.)*|[^\W\d]\w*)
 | (?P<number>\d*\.?\d+(?:[eE][+-]?\d+)?)
 | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)

FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # nesting of { } at this token; 0 = outside every group

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def mentions(text: str, *keywords: str) -> bool:
    """Cheap pre-check: a keyword cannot be a token unless its letters occur in the text."""
    lowered = text.lower()
    return any(k.lower() in lowered for k in keywords)


def tokenize(text: str) -> list[Token]:
    tokens, depth = [], 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if m.group() == "}":
            depth -= 1
        tokens.append(Token(kind, m.group(), m.start(), depth))
        if m.group() == "{":
            depth += 1
    return tokens


def prefixes(tokens: list[Token]) -> dict[str, str]:
    """PREFIX declarations, to resolve prefixed names given to SERVICE or LOAD."""
    out = {}
    for a, b, c in zip(tokens, tokens[1:], tokens[2:]):
        if a.keyword == "PREFIX" and b.kind == "word" and c.kind == "iri":
            out[b.text[:-1]] = c.text[1:-1]
    return out


def _iri_of(token: Token, names: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "word" and ":" in token.text:
        pfx, local = token.text.split(":", 1)
        return names[pfx] + local if pfx in names else None
    return None  # a variable: the target is only known at run time


def remote_targets(tokens: list[Token], keyword: str) -> list[str | None]:
    """IRIs after each SERVICE (or LOAD) keyword, SILENT skipped; None for a variable target."""
    names, out = prefixes(tokens), []
    for i, t in enumerate(tokens):
        if t.keyword == keyword:
            j = i + 1
            if j < len(tokens) and tokens[j].keyword == "SILENT":
                j += 1
            out.append(_iri_of(tokens[j], names) if j < len(tokens) else None)
    return out


def query_form(tokens: list[Token]) -> str | None:
    return next((t.keyword for t in tokens if t.keyword in FORMS), None)


def has_dataset_clause(tokens: list[Token]) -> bool:
    """FROM / FROM NAMED in the query (Query §13.2); only legal outside the groups."""
    return any(t.keyword == "FROM" and t.depth == 0 for t in tokens)


def has_update_dataset_clause(tokens: list[Token]) -> bool:
    return any(t.keyword in ("USING", "WITH") and t.depth == 0 for t in tokens)


def add_using(text: str, tokens: list[Token], graphs: list[str], named: list[str]) -> str:
    """Insert USING / USING NAMED before the WHERE of each DELETE/INSERT operation.

    Protocol §2.2.3: using-graph-uri and using-named-graph-uri act as USING and USING NAMED
    on the operations of the request. `DELETE WHERE` has no dataset clause in the grammar and
    is left as is.
    """
    clause = " ".join([f"USING <{g}>" for g in graphs] + [f"USING NAMED <{g}>" for g in named]) + " "
    top = [t for t in tokens if t.depth == 0]
    cuts = [t.start for prev, t in zip(top, top[1:]) if t.keyword == "WHERE" and prev.keyword != "DELETE"]
    for cut in reversed(cuts):
        text = text[:cut] + clause + text[cut:]
    return text


_DESCRIBE_END = {"WHERE", "FROM", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET", "VALUES"}


def describe_as_select(text: str, tokens: list[Token]) -> str:
    """The SELECT DISTINCT that lists the resources a DESCRIBE query names (Query §16.4)."""
    i = next(i for i, t in enumerate(tokens) if t.keyword == "DESCRIBE")
    items, j = [], i + 1
    while j < len(tokens) and tokens[j].text != "{" and tokens[j].keyword not in _DESCRIBE_END:
        t = tokens[j]
        items.append(t.text if t.kind == "var" or t.text == "*" else f"({t.text} AS ?__describe{j})")
        j += 1
    k = j
    while k < len(tokens) and tokens[k].keyword in ("FROM", "NAMED") or (
            k < len(tokens) and tokens[k].kind == "iri" and tokens[k - 1].keyword in ("FROM", "NAMED")):
        k += 1
    rest_start = tokens[k].start if k < len(tokens) else len(text)
    end_items = tokens[j].start if j < len(tokens) else len(text)
    needs_where = k >= len(tokens) or (tokens[k].text != "{" and tokens[k].keyword != "WHERE")
    return (text[:tokens[i].start] + "SELECT DISTINCT " + " ".join(items) + " "
            + text[end_items:rest_start] + (" WHERE {} " if needs_where else "") + text[rest_start:])
