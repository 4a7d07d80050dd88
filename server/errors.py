"""Errors the endpoint answers with: each carries its HTTP status and a message a person can act on.

SPARQL 1.1 Protocol §2.1.5 / §2.2.4: a malformed request or query is a 4xx; the body says why.
Backends (embedded or remote) raise these; the HTTP layer turns them into plain-text responses.
"""


class EndpointError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}
        if status is not None:
            self.status = status


class MalformedQuery(EndpointError):
    """A malformed request or query (a syntax error is worded by server.sparql.syntax_errors.explain)."""
    status = 400


class NotAcceptable(EndpointError):
    status = 406


class UnsupportedMediaType(EndpointError):
    status = 415


class Refused(EndpointError):
    """The request asks for something this server does not do (SERVICE, LOAD, update when off)."""
    status = 403


class TooLarge(EndpointError):
    status = 413


class QueryTimeout(EndpointError):
    """Past the deadline: the query was stopped (worker killed, or the engine call abandoned)."""
    status = 504

    @classmethod
    def for_query(cls, timeout: float) -> "QueryTimeout":
        """The one wording clients get, whichever store ran the query."""
        return cls(f"The query ran past the {timeout:g} s deadline of this server and was "
                   "stopped. Narrow it (LIMIT, more specific patterns) and try again.")


class Busy(EndpointError):
    status = 503

    def __init__(self, message: str):
        super().__init__(message, headers={"Retry-After": "1"})
