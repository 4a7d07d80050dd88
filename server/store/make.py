"""`make_store(config)`: the embedded Oxigraph store, or a remote engine with ``--backend URL``."""
from .base import GraphStore


def make_store(config: dict) -> GraphStore:
    """The store for this configuration; `BACKEND_URL` (``--backend``) selects a remote engine."""
    if config.get("BACKEND_URL"):
        from .remote.store import RemoteStore
        return RemoteStore(config)
    from .embedded.store import EmbeddedStore
    return EmbeddedStore(config)
