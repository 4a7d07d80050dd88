"""Linked-data pages: dereferenceable IRIs, entity and source pages (issue 5)."""
from flask import Blueprint

bp = Blueprint("pages", __name__)
