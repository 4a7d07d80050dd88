"""The SPARQL 1.1 Protocol: request parsing, the lexer, content negotiation, result writing, service description."""
