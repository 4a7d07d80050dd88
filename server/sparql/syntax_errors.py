"""Syntax errors as a person would write them: where, what was expected in words, the line with a caret.

The engine's parser (oxigraph's PEG grammar) reports `error at L:C: expected one of …` with the
character classes of the grammar's terminals spelled out, which hides the one alternative a reader
needs (an undeclared prefix reads as four lines of Unicode ranges ending in "Prefix not found").
An undeclared prefix is the commonest mistake and the parser does not always name it, so it is
looked for first, with the tokenizer.
"""
import re

from . import lexer

_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[(?:'(?:\\.|[^'])*'|[^\]'])*\]")


def explain(what: str, error: Exception, text: str, known_prefixes=(), written: str | None = None) -> str:
    """'Malformed query at line 1, column 43: …' plus the offending line and a caret under the column.

    `text` is what the engine read; `written`, when given, the client's text it was made from
    (server.sparql.reading): the place is then shown in the client's text."""
    sent, text = text, written or text
    undeclared = _undeclared_prefix(text, known_prefixes)
    if _is_empty(text):
        line, column = lexer.line_column(text, len(text))
        reason = f"the {what} is empty (only spaces or comments)"
    elif undeclared:
        prefix, offset = undeclared
        line, column = lexer.line_column(text, offset)
        reason = f"the prefix {prefix}: is not declared (add PREFIX {prefix}: <…>)"
    elif m := _POSITION.match(str(error)):
        line, column, reason = int(m.group(1)), int(m.group(2)), _expected(m.group(3))
        if sent != text:
            line, column = lexer.line_column(text, lexer.written_offset(sent, text, _offset(sent, line, column)))
    else:
        return f"Malformed {what}: {str(error).splitlines()[0]}"
    return f"Malformed {what} at line {line}, column {column}: {reason}\n{lexer.caret(text, line, column)}"


def _offset(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column (the engine counts columns in characters)."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
    return start + column - 1


def _is_empty(text: str) -> bool:
    try:
        return not lexer.tokenize(text)
    except lexer.LexError:
        return False


def _undeclared_prefix(text: str, known_prefixes) -> tuple[str, int] | None:
    """The first prefixed name whose prefix no PREFIX declares, and where it starts."""
    try:
        tokens = lexer.tokenize(text)
    except lexer.LexError:
        return None
    declared = {b.text[:-1] for a, b in zip(tokens, tokens[1:]) if a.keyword == "PREFIX" and b.kind == "word"}
    declared |= set(known_prefixes)
    for t in tokens:
        if t.kind == "word" and ":" in t.text and not t.text.startswith("_:"):
            prefix = t.text.split(":", 1)[0]
            if prefix not in declared:
                return prefix, t.start
    return None


def _expected(detail: str) -> str:
    """'expected one of A, B, [class]' -> 'expected A or B' (character classes dropped)."""
    detail = _CHAR_CLASS.sub("", detail.replace("\n", " "))
    body = re.sub(r"^expected\b\s*(one of )?", "", detail.strip())
    items = [i.strip() for i in body.split(",") if i.strip()]
    words = [i for i in items if i not in ("Prefix not found",)]
    if not words:
        return "unexpected text here"
    if len(words) == 1:
        return f"expected {words[0]}"
    return "expected " + ", ".join(words[:-1]) + f" or {words[-1]}"
