"""Faults to inject, and the requests the server saw (bounded, the key redacted)."""

from __future__ import annotations

import collections
import json
import re
import threading
from typing import Any
from urllib.parse import parse_qs

import attrs

FAULT_KINDS = frozenset({"status", "reset", "truncate", "drip", "hang", "patch", "drop_response"})
REDACTED = b"[redacted]"
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_UNSAFE_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]")
_FRAMING = frozenset({"content-length", "transfer-encoding"})


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
    status: int = attrs.field(default=500)
    body: bytes = b""
    headers: dict[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0
    patch: dict[str, Any] = attrs.field(factory=dict)
    drop: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        # Refused when made, not later as a 500 in the server's thread.
        if not isinstance(self.body, bytes):
            raise TypeError(f"fault body must be bytes, got {type(self.body).__name__}")
        if not isinstance(self.headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()
        ):
            raise TypeError("fault headers must be a dict of str to str")
        seconds = self.seconds
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not 0 <= seconds < float("inf")
        ):
            raise ValueError(f"fault seconds must be a finite number >= 0, got {seconds!r}")
        if not isinstance(self.patch, dict) or not all(isinstance(k, str) for k in self.patch):
            raise TypeError("fault patch must be a dict with str keys")
        if not isinstance(self.drop, tuple) or not all(isinstance(k, str) for k in self.drop):
            raise TypeError("fault drop must be a tuple of str")

    @kind.validator
    def _known(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or value not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {value!r}; one of {sorted(FAULT_KINDS)}")

    @status.validator
    def _framable(self, _attribute: object, value: int) -> None:
        # Every fault answer is framed by its Content-Length: no 1xx, 204 or 304 (which carry
        # no body), and nothing an HTTP status line cannot hold.
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 200 <= value <= 599
            or value in (204, 304)
        ):
            raise ValueError(
                f"fault status must be an int from 200 to 599 other than 204 and 304, got {value!r}"
            )

    @headers.validator
    def _sendable(self, _attribute: object, value: dict[str, str]) -> None:
        # The server writes these bytes as they are: refuse what would break the framing.
        if not isinstance(value, dict):
            raise TypeError(f"fault headers must be a dict of str to str, got {type(value).__name__}")
        for name, text in value.items():
            if not isinstance(name, str) or not isinstance(text, str):
                raise TypeError(f"fault headers must be a dict of str to str, got {name!r}: {text!r}")
            if not _TOKEN.fullmatch(name) or _UNSAFE_VALUE.search(text):
                raise ValueError(f"fault header {name!r} is not a valid HTTP header")
            if name.lower() in _FRAMING:
                raise ValueError(f"fault header {name!r} is set by the server itself")


class RecordedRequest:
    """One request as the server received it; ``Authorization`` shows only ``[redacted]``.

    Recording is on every request's path, so the views a test reads (``path``, ``query``,
    ``headers``) are built from what the parser gave on first use; the key is never
    stored, only its digest: ``hash()`` of the value, which is SipHash under a key of
    this process's own (it is only ever compared within this process, by
    ``authorized_with``), where a SHA-256 cost ~3 µs a request on this path.
    """

    __slots__ = ("_auth_digest", "_headers", "_query", "_raw_headers", "_target", "body", "method", "size")

    def __init__(
        self,
        method: str,
        target: bytes,
        raw_headers: list[tuple[bytes, bytes]],
        body: bytes,
        *,
        size: int = 0,
        key_at: int | None = -1,
    ) -> None:
        """``raw_headers`` is owned (the key is redacted in place).  ``key_at`` is where the
        caller saw ``Authorization``, to spare a scan: None, nowhere; an index, there and
        only there; -1 (the default), unknown: every header is looked at."""
        self.method = method
        self.body = body
        self.size = size  # bytes it stands for, as the Recorder counts them
        self._target = target
        self._auth_digest = None if key_at is None else _without_key(raw_headers, key_at)
        # Kept as the parser's pairs: packing them into one bytes object (fewer objects to
        # keep and free) cost ~1.5 µs a request, for ~0.4 KiB less per recorded request.  A
        # tuple of them, not the list: the cyclic collector stops tracking it once it has seen it
        # (it holds no container), so its full passes do not walk thousands of them.
        self._raw_headers = tuple(raw_headers)
        self._headers: dict[str, str] | None = None
        self._query: dict[str, list[str]] | None = None

    @property
    def path(self) -> str:
        return self._target.decode("latin-1").partition("?")[0]

    @property
    def query(self) -> dict[str, list[str]]:
        if self._query is None:
            query = self._target.decode("latin-1").partition("?")[2]
            self._query = parse_qs(query, keep_blank_values=True) if query else {}
        return self._query

    @property
    def headers(self) -> dict[str, str]:
        """Headers by their sent names (the last of a repeated one)."""
        if self._headers is None:
            self._headers = {n.decode("latin-1"): v.decode("latin-1") for n, v in self._raw_headers}
        return self._headers

    def json(self) -> Any:
        return json.loads(self.body)

    def authorized_with(self, key: str) -> bool:
        """Whether the request carried ``Authorization: Bearer <key>`` (compared, never stored)."""
        return self._auth_digest is not None and self._auth_digest == hash(f"Bearer {key}".encode())

    def __repr__(self) -> str:
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, query={self.query!r}, "
            f"headers={self.headers!r}, body={self.body!r})"
        )


def _without_key(raw: list[tuple[bytes, bytes]], at: int = -1) -> int | None:
    """The digest of ``Authorization``'s value (None: there is none), redacted in ``raw``
    (owned: changed in place); ``at``: the only such header's index, or -1 to look at
    every header."""
    if at >= 0:
        return _redact(raw, at)
    digest = None
    for index, (name, _value) in enumerate(raw):
        if len(name) == 13 and name.lower() == b"authorization":
            digest = _redact(raw, index)
    return digest


def _redact(raw: list[tuple[bytes, bytes]], index: int) -> int:
    name, value = raw[index]
    # The scheme is case-insensitive (RFC 9110 11.1): 'bearer KEY' is 'Bearer KEY'.
    if value[:7].lower() == b"bearer ":
        raw[index] = (name, value[:6] + _SPACED_REDACTED)
        return hash(b"Bearer " + value[7:].strip())
    scheme = value.split(b" ", 1)[0] if b" " in value else b""
    raw[index] = (name, scheme + _SPACED_REDACTED if scheme else REDACTED)
    return hash(value)


_SPACED_REDACTED = b" " + REDACTED


class Recorder:
    """The last requests, bounded by count and by bytes (oldest dropped first)."""

    def __init__(self, max_count: int, max_bytes: int) -> None:
        self.max_count = max_count
        self.max_bytes = max_bytes
        self.requests: collections.deque[RecordedRequest] = collections.deque()
        self._bytes = 0
        self._lock = threading.Lock()

    def add(self, request: RecordedRequest) -> None:
        """Keep ``request``, counted as ``request.size`` bytes (one larger than ``max_bytes``
        alone is not kept, and drops nothing)."""
        if request.size > self.max_bytes:
            return
        requests = self.requests
        with self._lock:
            requests.append(request)
            size = self._bytes = self._bytes + request.size
            if len(requests) > self.max_count or size > self.max_bytes:
                while requests and (len(requests) > self.max_count or self._bytes > self.max_bytes):
                    self._bytes -= requests.popleft().size

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
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
