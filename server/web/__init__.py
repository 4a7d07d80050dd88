"""Linked data and HTML pages: entity pages, dumps, the ontology documentation, templates and static files."""
