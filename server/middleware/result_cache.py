"""A memory-bounded cache of answers for one store version.

Two users of one cache, so one budget: the HTTP layer keeps whole GET responses by their entity tag
(server.middleware.http_cache); the embedded store keeps the answers of the other queries (key:
`Job.cache_key`: query text, base IRI, protocol dataset, negotiated formats), so a repeated query from
a page or a POST needs no worker. A GET /sparql answer is kept once, whole, by the HTTP layer.
Entries belong to one version: a `get` for another version misses, a `put` for another version
empties the cache first (a committed update makes everything kept so far useless). Bounded by the
bytes it holds (least recently used first out); a value larger than an eighth of the bound is not kept.
"""
import threading
from collections import OrderedDict


class ResultCache:
    def __init__(self, max_bytes: int):
        self._max_bytes = max_bytes
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._version = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def fits(self, size: int) -> bool:
        return size <= self._max_bytes // 8

    def get(self, version: str, key):
        with self._lock:
            if version != self._version or key not in self._entries:
                return None
            self._entries.move_to_end(key)
            return self._entries[key][0]

    def put(self, version: str, key, value, size: int) -> None:
        if not self.fits(size):
            return
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes, self._version = 0, version
            if key in self._entries:
                return
            self._entries[key] = value, size
            self._bytes += size
            while self._bytes > self._max_bytes:
                self._bytes -= self._entries.popitem(last=False)[1][1]
