"""Who may talk to this server, and the headers that keep browsers from misusing its answers.

- Host (DNS rebinding): a page on evil.example whose name is made to resolve to 127.0.0.1 reaches
  this server with `Host: evil.example`. Only the configured names are answered (ALLOWED_HOSTS:
  the loopback names, `--host`, `--public-host`); others get 421 Misdirected Request (RFC 9110
  §15.5.20). So the Host that pages and descriptions echo is always one the operator chose.
- Origin (CSRF): a cross-site form POST is a "simple" request that no CORS preflight stops. An
  update whose Origin header is present is refused unless it is this server's own origin or a
  configured --cors-origin (not '*'). Without Origin, a `Sec-Fetch-Site` other than same-origin or
  none is refused too (browsers send it even where they omit Origin). Clients that send neither
  (curl, libraries) are not browsers acting for another site, and still need the token (unless
  --open-update, which is loopback only).
- Headers: HTML gets nosniff, a Content-Security-Policy that allows only this origin's scripts and
  no framing, and Referrer-Policy; every other answer (JSON, results echoing user strings) gets nosniff.
"""
from flask import Flask, Request, Response, request

from ..config import LOOPBACK_NAMES
from ..errors import Refused


# Scripts only from this origin (no inline script); inline style attributes are tolerated (the
# timeline legend colours), as they cannot run code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def host_name(host_header: str) -> str:
    """'Example.org:8035' -> 'example.org'; '[::1]:80' -> '::1'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(listen_host: str | None, public_hosts: list[str]) -> list[str]:
    """Names this server answers to: loopback, the address it listens on (unless a wildcard), --public-host."""
    names = list(LOOPBACK_NAMES)
    if listen_host and listen_host not in ("0.0.0.0", "::", ""):
        names.append(host_name(listen_host))
    return names + [host_name(h) for h in public_hosts]


def check_origin(req: Request, config: dict) -> None:
    """Refuse a state-changing request sent by a page of another origin (see module docstring)."""
    origin = req.headers.get("Origin")
    if origin is None:
        _check_fetch_site(req)
        return
    own = f"{req.scheme}://{req.host}".lower()
    allowed = {o.lower().rstrip("/") for o in config.get("CORS_ORIGINS", []) if o != "*"}
    if origin.lower().rstrip("/") not in allowed | {own}:
        raise Refused(f"An update from a page of another origin ({origin[:100]}) is refused; "
                      "an operator can allow a browser origin with --cors-origin.")


def _check_fetch_site(req: Request) -> None:
    """Without Origin, a browser still says where the request comes from in Sec-Fetch-Site (Fetch Metadata):
    only this origin's pages ('same-origin') and the user's own navigation ('none') may change the graph."""
    site = req.headers.get("Sec-Fetch-Site", "").strip().lower()
    if site and site not in ("same-origin", "none"):
        raise Refused(f"An update sent by a page of another site (Sec-Fetch-Site: {site[:40]}) is refused.")


def _misdirected(allowed: set[str]) -> Response | None:
    if host_name(request.host) not in allowed:
        return Response("This server does not answer for that Host name; an operator can add one "
                        "with --public-host.\n", status=421, content_type="text/plain; charset=utf-8")
    return None


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    hosts = {h.lower() for h in app.config["ALLOWED_HOSTS"]}

    app.before_request(lambda: _misdirected(hosts))
    app.after_request(_headers)
