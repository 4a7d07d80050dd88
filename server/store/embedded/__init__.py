"""The embedded Oxigraph store: its worker processes, their sandbox, the update writer and the data directory."""
