"""The remote backend: the same store answered by an external SPARQL 1.1 engine over HTTP."""
