"""CORS for browser clients from an allow-list, never with credentials (Fetch standard, CORS protocol).

Flask answers OPTIONS itself (with `Allow`); this adds the preflight headers to it, and
`Access-Control-Allow-Origin` to every answer for an allowed Origin. `*` in the list allows any
origin; cookies and HTTP auth are never shared (no Allow-Credentials).
"""
from flask import Flask, request


def init_app(app: Flask, origins: list[str]) -> None:
    allowed = set(origins)

    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        if not allowed:
            return response
        response.vary.add("Origin")
        if origin and (origin in allowed or "*" in allowed):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
            response.headers["Access-Control-Expose-Headers"] = "Content-Type, Retry-After, Vary"
            if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
                response.headers["Access-Control-Max-Age"] = "600"
        return response
