"""SCO-KG server: SPARQL endpoint and linked-data pages (Flask)."""
from .app import create_app

__all__ = ["create_app"]
