"""/changes: what changed in this release against the previous one (graph.changes), as a page for
people and as JSON for programs, chosen by the Accept header."""
from pathlib import Path

from flask import Blueprint, Response, current_app, json, render_template, request

from graph.changes import read_changes

from ..sparql.negotiation import acceptable

bp = Blueprint("changes", __name__, template_folder="templates")
OFFERS = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json"}


@bp.route("/changes")
def changes():
    choice = acceptable(request.headers.get("Accept"), OFFERS, what="/changes")
    data = read_changes(Path(current_app.config["DIST_DIR"]))
    status = 200 if data is not None else 404
    if choice.format == "json":
        body = json.dumps(data if data is not None else {"error": "this release records no changes"})
        resp = Response(body + "\n", status=status, content_type="application/json")
    else:
        resp = Response(render_template("changes.html", title="What changed", changes=data), status=status,
                        content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp
