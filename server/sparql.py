"""The SPARQL 1.1 Protocol endpoint at /sparql (issue 4)."""
from flask import Blueprint

bp = Blueprint("sparql", __name__)
