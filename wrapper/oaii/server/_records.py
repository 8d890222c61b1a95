"""Faults to inject, and the requests the server saw (bounded, the key redacted)."""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import threading
from typing import Any

import attrs

FAULT_KINDS = frozenset({"status", "reset", "truncate", "drip", "hang", "patch", "drop_response"})
REDACTED = "[redacted]"


@attrs.frozen
class Fault:
    """How the server should mishandle one API request.

    kind:
      ``status``        answer ``status`` with ``body`` and ``headers`` (HTML page, empty body, 429, 5xx, ...)
      ``reset``         close the connection with a TCP reset; after ``body`` bytes of a response if given
      ``truncate``      announce a JSON body of ``status`` but close after half of it
      ``drip``          send ``body`` one byte every ``seconds``
      ``hang``          send nothing for ``seconds`` (or until the server stops)
      ``patch``         answer normally, with ``patch`` merged into the run and ``drop`` keys removed
      ``drop_response`` carry the request out in full (a run IS created), then close the
                        connection without answering: a response lost on the way back
    """

    kind: str = attrs.field(default="status")
    status: int = 500
    body: bytes = b""
    headers: dict[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0
    patch: dict[str, Any] = attrs.field(factory=dict)
    drop: tuple[str, ...] = ()

    @kind.validator
    def _known(self, _attribute: object, value: str) -> None:
        if value not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {value!r}; one of {sorted(FAULT_KINDS)}")


@attrs.frozen
class RecordedRequest:
    """One request as the server received it; ``Authorization`` shows only ``[redacted]``."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    _auth_digest: bytes = attrs.field(default=b"", repr=False, alias="auth_digest")

    def json(self) -> Any:
        return json.loads(self.body)

    def authorized_with(self, key: str) -> bool:
        """Whether the request carried ``Authorization: Bearer <key>`` (compared, never stored)."""
        expected = hashlib.sha256(f"Bearer {key}".encode()).digest()
        return bool(self._auth_digest) and hmac.compare_digest(expected, self._auth_digest)


def redact_headers(raw: list[tuple[bytes, bytes]]) -> tuple[dict[str, str], bytes]:
    """Headers by their sent names, ``Authorization`` redacted; and the digest of its value."""
    headers: dict[str, str] = {}
    digest = b""
    for name, value in raw:
        text = name.decode("latin-1")
        if text.lower() == "authorization":
            digest = hashlib.sha256(value).digest()
            scheme = value.split(b" ", 1)[0].decode("latin-1") if b" " in value else ""
            headers[text] = f"{scheme} {REDACTED}" if scheme else REDACTED
        else:
            headers[text] = value.decode("latin-1")
    return headers, digest


class Recorder:
    """The last requests, bounded by count and by bytes (oldest dropped first)."""

    def __init__(self, max_count: int, max_bytes: int) -> None:
        self.max_count = max_count
        self.max_bytes = max_bytes
        self.requests: collections.deque[RecordedRequest] = collections.deque()
        self._sizes: collections.deque[int] = collections.deque()
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, request: RecordedRequest, size: int) -> None:
        with self._lock:
            self.requests.append(request)
            self._sizes.append(size)
            self._bytes += size
            while self.requests and (len(self.requests) > self.max_count or self._bytes > self.max_bytes):
                self.requests.popleft()
                self._bytes -= self._sizes.popleft()

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self._sizes.clear()
            self._bytes = 0


class FaultQueue:
    def __init__(self) -> None:
        self._faults: collections.deque[Fault] = collections.deque()
        self._lock = threading.Lock()

    def extend(self, faults: tuple[Fault, ...]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def pop(self) -> Fault | None:
        if not self._faults:  # the common case, without the lock
            return None
        with self._lock:
            return self._faults.popleft() if self._faults else None
