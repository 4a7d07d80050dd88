"""The graph store: the `GraphStore` interface, `make_store`, the embedded Oxigraph store (worker pool, data
directory, updates) and the remote backend (engine client, publish)."""
