"""``Idempotency-Key`` as Stripe's API does it: a key names one request, once.

The first request with a key runs and is remembered with the id of its run; a
later request with the same key and the same method, path, query and JSON body
(JSON-equal: spacing and key order aside) gets that run back, and nothing new is
made.  The same key with anything else is a 400.  Keys are kept for ``ttl``
seconds, at most ``max_keys`` of them (oldest dropped).
"""

from __future__ import annotations

import collections
import hashlib
import math
import time

from ._json import canonical, loads

MAX_KEY_LENGTH = 255  # Stripe's limit
# Bodies kept as sent, in all (past it, a body is kept as the digest of its canonical JSON).
MAX_RAW_BYTES = 16 * 2**20


class Seen:
    """One request as a key remembers it.

    Every client retries with the very bytes it sent first, so a body is kept as
    those bytes (the server's recorder holds the same object) and compared as
    bytes; only bodies that differ are compared as canonical JSON.  Making the
    canonical JSON of every body up front cost more than the rest of idempotency.
    """

    __slots__ = ("_digest", "answer", "at", "method", "path", "query", "raw", "run_id")

    def __init__(self, method: str, path: str, query: dict[str, list[str]], raw: bytes) -> None:
        self.method = method
        self.path = path
        # As text (sorted keys): equal for the same query in any order, and a few bytes a key
        # where the parsed dict of a long query would hold ten times its size.
        self.query = canonical(query) if query else ""
        self.raw: bytes | None = raw
        self._digest: bytes | None = None
        # Once remembered: the run it made, and when (time.monotonic()); the key's entry is
        # this object itself, not a tuple around it.
        self.run_id = ""
        self.at = 0.0
        self.answer: str | None = None  # the run as first answered (replayed once the run is gone)

    def digest(self) -> bytes:
        """The digest of the body's canonical JSON (the body parsed when the request was read)."""
        if self._digest is None:
            assert self.raw is not None
            self._digest = hashlib.sha256(canonical(loads(self.raw)).encode()).digest()
        return self._digest

    def keep_digest_only(self) -> None:
        self.digest()
        self.raw = None

    def same(self, other: Seen) -> bool:
        if self.method != other.method or self.path != other.path or self.query != other.query:
            return False
        if self.raw is not None and self.raw == other.raw:
            return True
        return self.digest() == other.digest()


class IdempotencyKeys:
    def __init__(self, max_keys: int = 10_000, ttl: float = 24 * 3600.0) -> None:
        self.max_keys = max_keys
        self.ttl = ttl
        self._keys: dict[bytes, Seen] = {}
        # The same entries, oldest first: the oldest is dropped in O(1) (a dict would scan past
        # the holes its deletions leave at the front; an OrderedDict costs more per key).
        self._order: collections.deque[tuple[bytes, Seen]] = collections.deque()
        self._raw_bytes = 0  # of the bodies kept as sent
        self._answer_bytes = 0  # of the first answers kept
        # time.monotonic() before which no key expires (the oldest key's expiry, or earlier):
        # most look-ups need no look at the oldest key.
        self._horizon = math.inf

    def lookup(self, key: bytes, request: Seen) -> tuple[bool, str | None]:
        """(known, run id): unknown key (False, None); same request (True, id); other request (True, None)."""
        if time.monotonic() >= self._horizon:
            self._expire()
        entry = self._keys.get(key)
        if entry is None:
            return False, None
        return True, entry.run_id if entry.same(request) else None

    def answer(self, key: bytes) -> str | None:
        """The JSON text first answered for ``key`` (its run as created), or None."""
        entry = self._keys.get(key)
        return entry.answer if entry is not None else None

    def remember(self, key: bytes, request: Seen, run_id: str, answer: str | None = None) -> None:
        keys, order = self._keys, self._order
        if key in keys:  # not on the API's path (it remembers only keys look-ups did not know)
            earlier = keys.pop(key)
            order.remove((key, earlier))
            self._forget(earlier)
        raw = request.raw
        if raw is not None:
            kept = self._raw_bytes + len(raw)
            if kept > MAX_RAW_BYTES:
                request.keep_digest_only()
            else:
                self._raw_bytes = kept
        now = time.monotonic()
        if not keys:
            self._horizon = now + self.ttl
        if answer is not None:  # kept within a bound of their own, as the bodies are
            if self._answer_bytes + len(answer) > MAX_RAW_BYTES:
                answer = None
            else:
                self._answer_bytes += len(answer)
        request.run_id = run_id
        request.answer = answer
        request.at = now
        keys[key] = request
        order.append((key, request))
        while len(keys) > self.max_keys:  # the horizon stays: early is safe
            oldest, dropped = order.popleft()
            del keys[oldest]
            self._forget(dropped)

    def _forget(self, request: Seen) -> None:
        if request.raw is not None:
            self._raw_bytes -= len(request.raw)
        if request.answer is not None:
            self._answer_bytes -= len(request.answer)

    def _expire(self) -> None:
        keys, order = self._keys, self._order
        cutoff = time.monotonic() - self.ttl
        while order:
            key, request = order[0]
            if request.at >= cutoff:
                self._horizon = request.at + self.ttl
                return
            order.popleft()
            del keys[key]
            self._forget(request)
        self._horizon = math.inf

    def __len__(self) -> int:
        return len(self._keys)
