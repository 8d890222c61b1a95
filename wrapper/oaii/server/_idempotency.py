"""``Idempotency-Key`` as Stripe's API does it: a key names one request, once.

The first request with a key runs and is remembered as (fingerprint, run id);
a later request with the same key and the same method, path and JSON body gets
that run back, and nothing new is made.  The same key with anything else is a 400.
Keys are kept for ``ttl`` seconds, at most ``max_keys`` of them (oldest dropped).
"""

from __future__ import annotations

import collections
import hashlib
import time
from typing import Any

from ._json import canonical

MAX_KEY_LENGTH = 255  # Stripe's limit


class IdempotencyKeys:
    def __init__(self, max_keys: int = 10_000, ttl: float = 24 * 3600.0) -> None:
        self.max_keys = max_keys
        self.ttl = ttl
        self._keys: collections.OrderedDict[str, tuple[bytes, str, float]] = collections.OrderedDict()

    @staticmethod
    def fingerprint(method: str, path: str, body: Any) -> bytes:
        """The digest of the request's canonical JSON: JSON-equal bodies match, whatever their spacing or key order."""
        return hashlib.sha256(canonical([method, path, body]).encode()).digest()

    def lookup(self, key: str, fingerprint: bytes) -> tuple[bool, str | None]:
        """(known, run id): unknown key (False, None); same request (True, id); other request (True, None)."""
        self._expire()
        entry = self._keys.get(key)
        if entry is None:
            return False, None
        return True, entry[1] if entry[0] == fingerprint else None

    def remember(self, key: str, fingerprint: bytes, run_id: str) -> None:
        self._keys[key] = (fingerprint, run_id, time.monotonic())
        self._keys.move_to_end(key)
        while len(self._keys) > self.max_keys:
            self._keys.popitem(last=False)

    def _expire(self) -> None:
        cutoff = time.monotonic() - self.ttl
        while self._keys:
            _key, (_fp, _run, at) = next(iter(self._keys.items()))
            if at >= cutoff:
                return
            self._keys.popitem(last=False)

    def __len__(self) -> int:
        return len(self._keys)
