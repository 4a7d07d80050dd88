"""A SPARQL 1.1 tokenizer and the few checks the endpoint needs before execution.

Not a parser: it tells strings, IRIs, comments and variables apart from keywords (SPARQL 1.1
Query §19.8 terminals: IRIREF with the UCHAR escapes Oxigraph also accepts there, the four
string forms with ECHAR/UCHAR, comments), so that a keyword found here really is a keyword.
It is strict where a lenient reading could hide text: a character that no terminal outside a
string, IRI or comment can contain (a stray quote, backslash, backtick...) is an error, never a
punctuation mark, so what it calls a comment or string is one for the engine too. Oxigraph
0.5 does not apply §19.2 codepoint escapes outside IRIs and strings (`SERV\u0049CE` is a
syntax error there), and neither does this reading. Where an engine's parser could read a token
otherwise (an IRI after an operand, which Oxigraph reads as `<`), the token is refused; `canonical`
writes the tokens back as the one text an engine is sent (server.sparql.reading). One pass, linear.
Used to refuse SERVICE and LOAD (no request makes the server contact the network), to refuse
nesting deep enough to crash an engine, to see a query's form and FROM clauses, to add USING
clauses for `using-graph-uri` (Protocol §2.2.3), to turn a DESCRIBE into the SELECT that
finds the resources to describe, and to cap the rows a SELECT asks an engine for.
"""
import bisect
import re
from dataclasses import dataclass

from ..errors import MalformedQuery

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ESCAPE = r"\\[tbnrf\"'\\]|" + _UCHAR  # ECHAR and UCHAR: the only escapes in a string (Query §19.8)
_TOKEN = re.compile(r"""
   (?P<ws>[\ \t\r\n]+)
 | (?P<comment>\#[^\n\r]*)
 | (?P<string>'''(?:'{0,2}(?:[^'\\]|ESC))*'''|\"\"\"(?:"{0,2}(?:[^"\\]|ESC))*\"\"\"
             |'(?:[^'\\\n\r]|ESC)*'|"(?:[^"\\\n\r]|ESC)*")
 | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|UCHAR)*>)
 | (?P<var>[?$][\w\u00B7-\uFFFF]+)
 | (?P<word>[^\W\d]|:)
 | (?P<number>\d*\.?\d+(?:[eE][+-]?\d+)?)
 | (?P<punct>[{}()\[\];,.=!<>&|+\-*/^@?$])
 | (?P<bad>.)
""".replace("ESC", _ESCAPE).replace("UCHAR", _UCHAR), re.VERBOSE | re.DOTALL)
# A word is read in two steps (the run a prefix could span, then the prefixed name or the plain
# word), remembering the run, so that `en-en-en…` costs one scan and not one per word in it.
_PREFIX_RUN = re.compile(r"[\w.\-\u00B7-\uFFFF]*")
_LOCAL = re.compile(r"(?:[\w.\-:%\u00B7-\uFFFF]|\\[_~.\-!$&'()*+,;=/?#@%])*")  # PN_LOCAL_ESC only
_PLAIN = re.compile(r"[^\W\d]\w*")
# What, inside an IRI read the other way (its `<` as an operator), starts a comment, a string or a bracket.
_REREAD_OPENERS = re.compile(r"[#'()\[\]]")

# Past these an engine's recursive descent overflows its stack (Oxigraph 0.5.13 dies with SIGSEGV at
# 10,000 nested groups or brackets, and at 10,000 chained `+` or `!`; 2,000 and 4,000 were fine).
MAX_NESTING = 500     # open { ( [ at once
MAX_OPERATORS = 4000  # operator and UNION/OPTIONAL/MINUS tokens, which chain into a left-deep tree
_OPERATORS = {"+", "-", "*", "/", "!", "|", "^", "&", "=", "<", ">", "UNION", "OPTIONAL", "MINUS"}


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, as people and editors count them."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def caret(text: str, line: int, column: int) -> str:
    """The line `line` of `text` with a caret under `column`."""
    lines = text.splitlines() or [""]
    shown = lines[min(line, len(lines)) - 1]
    return f"  {shown}\n  {' ' * max(column - 1, 0)}^"


class LexError(MalformedQuery):
    """Text that is not a sequence of SPARQL terminals (a 400 wherever it is raised); `offset` is where."""

    def __init__(self, text: str, offset: int, reason: str):
        line, column = line_column(text, offset)
        super().__init__(f"Malformed operation at line {line}, column {column}: {reason}\n{caret(text, line, column)}")
        self.offset = offset

FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # nesting of { } at this token; 0 = outside every group
    spaced: bool = False  # whitespace or a comment between it and the token before
    in_expression: bool = False  # directly inside parentheses that can hold an expression (not a VALUES row)

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def mentions(text: str, *keywords: str) -> bool:
    """Cheap pre-check: a keyword cannot be a token unless its letters occur in the text."""
    lowered = text.lower()
    return any(k.lower() in lowered for k in keywords)


class _Words:
    """The end of the word at a position. The last run scanned is kept: a word starting inside it ends
    where it ends, so each character is scanned once however many words share its run."""

    def __init__(self, text: str):
        self._text, self._run = text, (0, 0)

    def end(self, at: int) -> int:
        text = self._text
        if text[at] == ":":
            return _LOCAL.match(text, at + 1).end()
        if not self._run[0] <= at < self._run[1]:
            self._run = (at, _PREFIX_RUN.match(text, at).end())
        stop = self._run[1]
        if stop < len(text) and text[stop] == ":":
            return _LOCAL.match(text, stop + 1).end()
        return _PLAIN.match(text, at).end()


class _Brackets:
    """The brackets open at a token, enough to tell whether it is inside an expression's parentheses.

    A VALUES data block (`VALUES ?x {…}`, `VALUES (?a ?b) {(…) …}`) holds no expression."""

    def __init__(self):
        self._stack: list[str] = []
        self._closed = ""  # the kind of the bracket the last `)` closed

    def in_expression(self) -> bool:
        return self._stack[-1:] == ["("]

    def see(self, t: Token, prev: Token | None, before: Token | None) -> None:
        if t.kind != "punct":
            return
        top = self._stack[-1] if self._stack else ""
        if t.text == "{":
            data = (prev is not None and prev.kind == "var" and before is not None and before.keyword == "VALUES") or (
                prev is not None and prev.text == ")" and self._closed == "vars")
            self._stack.append("data" if data else "{")
        elif t.text == "(":
            self._stack.append("vars" if prev is not None and prev.keyword == "VALUES" else
                               "row" if top == "data" else "(")
        elif t.text == "[":
            self._stack.append("[")
        elif t.text in ")]}" and self._stack:
            self._closed = self._stack.pop()


def _refuse_ambiguous_iri(text: str, iri: Token, prev: Token | None, brackets: _Brackets) -> None:
    """Refuse an IRIREF that an engine may read as `<` (or `<<`) followed by other tokens.

    Oxigraph's PEG parser reads `<` after an operand inside an expression as less-than where the
    spec's longest match reads an IRI (`?a <?b#>`); a `#` in it then starts a comment, a `'` a
    string, a bracket nests, and none of that is what the IRI reading saw. An IRI right after an
    operand is never grammatical inside an expression's parentheses, so it is refused there (a
    collection like `(?a <b>)` in a triple is refused with it); right after an adjacent `<`, which
    SPARQL 1.2 engines read as `<<`, it is refused when it holds a character that changes the reading.
    """
    if prev is None:
        return
    after_operand = prev.kind != "punct" or prev.text in (")", "]")
    if after_operand and brackets.in_expression():
        raise LexError(text, iri.start, "ambiguous '<': after an operand inside parentheses some engines read "
                                        "it as less-than and others as the start of an IRI; write '< ' with "
                                        "a space for less-than")
    if prev.text == "<" and prev.kind == "punct" and not iri.spaced and _REREAD_OPENERS.search(iri.text):
        raise LexError(text, iri.start, "ambiguous '<<': put a space between '<' and the IRI after it")


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, in one pass: each character is examined a bounded number of times."""
    tokens, depth, at, spaced = [], 0, 0, False
    words, brackets = _Words(text), _Brackets()
    while at < len(text):
        m = _TOKEN.match(text, at)
        kind, end = m.lastgroup, m.end()
        if kind in ("ws", "comment"):
            at, spaced = end, True
            continue
        if kind == "bad":
            raise LexError(text, at, f"unexpected character {m.group()!r} (outside a string, IRI or comment)")
        if kind == "word":
            end = words.end(at)
        value = text[at:end]
        if value == "}":
            depth -= 1
        token = Token(kind, value, at, depth, spaced, brackets.in_expression())
        prev = tokens[-1] if tokens else None
        if kind == "iri":
            _refuse_ambiguous_iri(text, token, prev, brackets)
        brackets.see(token, prev, tokens[-2] if len(tokens) > 1 else None)
        tokens.append(token)
        if value == "{":
            depth += 1
        at, spaced = end, False
    return tokens


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(m: re.Match) -> str:
    code = m.group()[1:]
    return _ECHAR[code] if len(code) == 1 else chr(int(code[1:], 16))


def string_value(token: str) -> str:
    """A string token's value, its ECHAR and UCHAR escapes decoded as the engine decodes them."""
    quote = 3 if token[:3] in ('"""', "'''") else 1
    body = token[quote:-quote]
    return re.sub(_ESCAPE, _unescape, body) if "\\" in body else body


def _canonical_string(token: Token, text: str) -> str:
    """The string in one form: double quotes, one line (its line breaks escaped), the same value."""
    value = string_value(token.text)
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise LexError(text, token.start, "an escape in this string names a surrogate, which is not a character")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def canonical(text: str, tokens: list[Token]) -> str:
    """What an engine is sent: `tokens` on one line, comments dropped, every string in one form.

    Tokens stay adjacent where they were and are one space apart where whitespace or a comment
    was. With no line break in it, a comment an engine might find where this reading finds none
    runs to the end of the text: it can hide what follows from the engine, never show it more."""
    parts = []
    for t in tokens:
        if t.spaced and parts:
            parts.append(" ")
        parts.append(_canonical_string(t, text) if t.kind == "string" else t.text)
    return "".join(parts)


def written_offset(sent: str, written: str, offset: int) -> int:
    """Where in `written` the character at `offset` of `sent`, its canonical form, came from."""
    sent_tokens, written_tokens = tokenize(sent), tokenize(written)
    starts = [t.start for t in sent_tokens]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0 or len(written_tokens) != len(sent_tokens):
        return min(offset, len(written))
    inside = offset - sent_tokens[i].start
    return written_tokens[i].start + min(inside, len(written_tokens[i].text))


def too_deep(tokens: list[Token]) -> str | None:
    """Why the operation nests or chains past MAX_NESTING / MAX_OPERATORS, or None."""
    depth = deepest = operators = 0
    for t in tokens:
        if t.text in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif t.text in ("}", ")", "]"):
            depth -= 1
        elif t.text in _OPERATORS or t.keyword in _OPERATORS:
            operators += 1
    if deepest > MAX_NESTING:
        return f"it nests {{ ( [ {deepest} deep; this server accepts at most {MAX_NESTING}"
    if operators > MAX_OPERATORS:
        return f"it chains {operators} operators (UNION, OPTIONAL, MINUS, + && ...); this server accepts at most {MAX_OPERATORS}"
    return None


def _iri_of(token: Token, names: dict[str, str]) -> str | None:
    if token.kind == "iri":
        return unescape_iri(token.text[1:-1])
    if token.kind == "word" and ":" in token.text:
        pfx, local = token.text.split(":", 1)
        return names[pfx] + local if pfx in names else None
    return None  # a variable: the target is only known at run time


def unescape_iri(text: str) -> str:
    """An IRIREF's content with its UCHAR escapes (\\uXXXX, \\UXXXXXXXX) decoded, as the engine reads it."""
    return re.sub(_UCHAR, lambda m: chr(int(m.group()[2:], 16)), text) if "\\" in text else text


def remote_targets(tokens: list[Token], keyword: str) -> list[str | None]:
    """IRIs after each SERVICE (or LOAD) keyword, SILENT skipped; None for a variable target.

    A prefixed name is resolved with the PREFIX declarations made before it (an update may
    redeclare a prefix between its operations)."""
    names, out = {}, []
    for i, t in enumerate(tokens):
        if t.keyword == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
            names[tokens[i + 1].text[:-1]] = unescape_iri(tokens[i + 2].text[1:-1])
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


# RFC 3987 absolute IRI, as far as SPARQL's IRIREF goes: a scheme, then no character IRIREF excludes.
_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20\x7f]*')


def is_absolute_iri(value: str) -> bool:
    """True for a value that can stand between < and > as itself: no escapes, no delimiters."""
    return _ABSOLUTE_IRI.fullmatch(value) is not None


def _iriref(iri: str) -> str:
    if not is_absolute_iri(iri):  # the protocol layer refuses these with 400; never paste one
        raise ValueError(f"not an absolute IRI: {iri!r}")
    return f"<{iri}>"


def add_using(text: str, tokens: list[Token], graphs: list[str], named: list[str]) -> str:
    """Insert USING / USING NAMED before the WHERE of each DELETE/INSERT operation.

    Protocol §2.2.3: using-graph-uri and using-named-graph-uri act as USING and USING NAMED
    on the operations of the request. `DELETE WHERE` has no dataset clause in the grammar and
    is left as is. Only IRIs that pass is_absolute_iri are written, so a parameter can add a
    dataset clause and nothing else (no `>` to close the IRI, no backslash to escape one).
    """
    clause = " ".join([f"USING {_iriref(g)}" for g in graphs] + [f"USING NAMED {_iriref(g)}" for g in named]) + " "
    top = [t for t in tokens if t.depth == 0]
    cuts = [t.start for prev, t in zip(top, top[1:]) if t.keyword == "WHERE" and prev.keyword != "DELETE"]
    return splice(text, [(cut, cut, clause) for cut in cuts])


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, new) replacing text[start:end]; edits in order, not overlapping.

    One pass, linear in the text, however many edits (cutting and gluing per edit is quadratic)."""
    parts, at = [], 0
    for start, end, new in edits:
        parts += [text[at:start], new]
        at = end
    parts.append(text[at:])
    return "".join(parts)


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


def cap_rows(text: str, tokens: list[Token], most: int) -> str:
    """The SELECT `text` asking for at most `most` solutions (Query §15.5, LIMIT), where that is safe.

    A LIMIT of the query's own above `most` is lowered to it; a query without one gets one,
    before its trailing VALUES clause (the only VALUES outside the groups), unless it has an
    ORDER BY: an engine sorts every solution then anyway, and Virtuoso 7.2.5 refuses a sorted
    LIMIT above 10,000 (SR353, its MaxSortedTopRows), so the LIMIT would cost a valid query its answer.
    """
    top = [t for t in tokens if t.depth == 0]
    for t, value in zip(top, top[1:]):
        if t.keyword == "LIMIT":
            if value.kind == "number" and value.text.isdigit() and int(value.text) > most:
                return text[:value.start] + str(most) + text[value.start + len(value.text):]
            return text
    if not top or any(t.keyword == "ORDER" for t in top):
        return text
    values = next((t for t in top if t.keyword == "VALUES"), None)
    at = values.start if values else top[-1].start + len(top[-1].text)
    return f"{text[:at]} LIMIT {most} {text[at:]}"
