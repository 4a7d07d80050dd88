"""Answers of the current store version, kept in memory so a repeated query needs no worker (issue 11).

An entry is keyed by everything that decides the answer's bytes (query text, base IRI, protocol
dataset, negotiated formats: `Job.cache_key`) and belongs to one committed store version; a reply
from any other version is not kept, and `reset` empties the cache when a new version is committed.
Bounded by the bytes it holds (the least recently used answers go first); an answer larger than an
eighth of the bound is never kept.
"""
import threading
from collections import OrderedDict

from .worker import Reply


class ResultCache:
    def __init__(self, max_bytes: int, version: str):
        self._max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Reply] = OrderedDict()
        self._bytes = 0
        self._version = version
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: tuple) -> Reply | None:
        with self._lock:
            reply = self._entries.get(key)
            if reply is not None:
                self._entries.move_to_end(key)
            return reply

    def put(self, key: tuple, reply: Reply) -> None:
        size = len(reply.body) + len(key[0])
        if reply.version != self._version or size > self._max_bytes // 8:
            return
        with self._lock:
            if reply.version != self._version or key in self._entries:
                return
            self._entries[key] = reply
            self._bytes += size
            while self._bytes > self._max_bytes:
                old_key, old = self._entries.popitem(last=False)
                self._bytes -= len(old.body) + len(old_key[0])

    def reset(self, version: str) -> None:
        """A new version was committed: nothing kept so far answers for it."""
        with self._lock:
            self._version = version
            self._entries.clear()
            self._bytes = 0
