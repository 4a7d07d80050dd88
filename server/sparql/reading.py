"""What an engine runs is what was checked: the one way an operation's text goes from a client to an engine.

The checks in front of an engine (SERVICE and LOAD, nesting, the query form, FROM) read the text with
server.sparql.lexer. An engine's parser may read some texts otherwise (Oxigraph's PEG parser reads
`?a <?b#>` in an expression as `?a < ?b` and a comment). So the engine is never sent the client's
text: `read` refuses what the two readings could split on, and the engine gets the text written
from the lexer's own tokens (server.sparql.lexer.canonical), on which every check then runs.
"""
from dataclasses import dataclass

from . import lexer
from ..errors import MalformedQuery, Refused


@dataclass(frozen=True)
class Reading:
    written: str               # the client's text, for error messages
    sent: str                  # what the engine is given
    tokens: list[lexer.Token]  # the tokens of `sent`, which every check reads


def read(text: str) -> Reading:
    """The operation as it will be sent, refused (400) when it cannot be read or nests too deep for an engine."""
    sent = lexer.canonical(text, lexer.tokenize(text))  # LexError is a MalformedQuery (400)
    tokens = lexer.tokenize(sent)
    problem = lexer.too_deep(tokens)
    if problem:
        raise MalformedQuery(f"The operation is refused: {problem}.")
    return Reading(text, sent, tokens)


def refuse_remote(reading: Reading, keyword: str, allowed) -> None:
    """403 for a SERVICE (or LOAD) whose target is not allow-listed: no request makes the server call out."""
    for target in lexer.remote_targets(reading.tokens, keyword):
        if target is None or target not in allowed:
            raise Refused(f"{keyword} {'<' + target + '>' if target else 'with a variable'} is refused: this "
                          "server does not contact other servers (an operator can allow-list targets).")
