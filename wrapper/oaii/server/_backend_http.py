"""A direct HTTP/1.1 connection to the model backend, parsed by llhttp (httptools).

The fast path of ``_model.ModelBackend``'s call, for a plain ``http://`` backend that httpx
itself would reach without a proxy (a local model server: Ollama, vLLM, llama.cpp).
Everything else (https, a proxy from the environment, a URL with a user and password) goes
through httpx, the reference: ``ModelBackend`` decides, as httpx decides.

httpx's path through httpcore and anyio costs ~40 us per chunk of a stream and work
quadratic in the pool's connections per request; here a chunk is one ``data_received``
and one future, and the pool is a list of idle connections (each knows when its peer
closed it: asyncio reports that, no readability check is needed).

The response has the names ``_model`` reads of an ``httpx.Response`` (``status_code``,
``reason_phrase``, ``headers``, ``aiter_bytes``, ``aclose``).  Exceptions::

    BackendHTTPError
      BackendConnectError   the connection could not be made (the OSError is its cause)
      BackendClosed         the connection ended (reset, closed, unparsable) before the
                            response was complete
      BackendUnreadable     the body is in a content coding (none is asked for)

Bounds: the head is bounded (``MAX_HEAD_BYTES``); a reader that does not keep up stops
the socket's reading (``MAX_BUFFERED``), so memory never grows with what the backend
sends; the body's own limits are the caller's (it counts what it reads).  The
response is not decoded: no Accept-Encoding is sent, and a body in a content coding is
refused as unreadable.
"""

from __future__ import annotations

import asyncio
import socket
import urllib.parse
from collections.abc import AsyncIterator
from typing import Final

import httptools

#: Bytes of a response's status line and headers, at most.
MAX_HEAD_BYTES: Final = 64 << 10
#: Bytes read but not yet taken by the caller before the socket's reading pauses.
MAX_BUFFERED: Final = 1 << 20
#: Idle keep-alive connections kept per backend.
MAX_IDLE: Final = 64


class BackendHTTPError(Exception):
    pass


class BackendConnectError(BackendHTTPError):
    pass


class BackendClosed(BackendHTTPError):
    pass


class BackendUnreadable(BackendHTTPError):
    pass


class _Key(bytes):
    """The request head's fixed part, which holds the key: its repr hides it."""

    def __repr__(self) -> str:
        return "b'<redacted>'"


class Response(asyncio.Protocol):
    """One connection, and the response being read on it (one at a time)."""

    def __init__(self, pool: DirectPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.lost = False
        self.reused = False
        self._reset()

    def _reset(self) -> None:
        self.status_code = 0
        self.reason_phrase = ""
        self.headers: dict[str, str] = {}
        self._fields: dict[str, list[str]] = {}
        self._reason = b""
        self._head_size = 0
        self._head_done = False
        self._complete = False
        self._until_close = False
        self._keep_alive = False
        self._body: list[bytes] = []
        self._buffered = 0
        self._paused = False
        self._error: BackendHTTPError | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._got_bytes = False

    # ------------------------------------------------------------- asyncio

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._got_bytes = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            self._fail(BackendClosed("the response is not valid HTTP/1.1"))
            if self.transport is not None:
                self.transport.abort()

    def eof_received(self) -> bool | None:
        return None  # close

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.transport = None
        if self._complete:
            return
        if self._head_done and self._until_close and exc is None:
            self._complete = True  # a body delimited by the close (neither length nor chunks)
            self._wake()
            return
        self._fail(BackendClosed("the connection closed before the response was complete"))

    # ------------------------------------------------------------- llhttp callbacks

    def _count(self, size: int) -> None:
        self._head_size += size
        if self._head_size > MAX_HEAD_BYTES:
            raise BackendClosed("the response head is too large")

    def on_status(self, status: bytes) -> None:
        self._count(len(status))
        self._reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        self._fields.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if 100 <= status < 200:  # an interim response: the real one follows
            self._fields = {}
            self._reason = b""
            return
        # a repeated field's values joined once (linear however many), as httpx joins them
        self.headers = {name: ", ".join(values) for name, values in self._fields.items()}
        self.status_code = status
        self.reason_phrase = self._reason.decode("latin-1")
        self._keep_alive = self.parser.should_keep_alive()
        headers = self.headers
        self._until_close = "content-length" not in headers and "transfer-encoding" not in headers
        self._head_done = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)
        self._buffered += len(body)
        if self._buffered > MAX_BUFFERED and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self._head_done:
            self._complete = True
            self._wake()

    # ------------------------------------------------------------- the caller's side

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _fail(self, error: BackendHTTPError) -> None:
        if self._error is None:
            self._error = error
        self._wake()

    async def _wait(self) -> None:
        waiter = self._waiter = self.pool.loop.create_future()
        try:
            await waiter
        finally:
            self._waiter = None

    async def head(self) -> None:
        """Wait for the response's status line and headers."""
        while not self._head_done:
            if self._error is not None:
                raise self._error
            await self._wait()
        encoding = self.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            coding = encoding[:40]
            raise BackendUnreadable(f"its body is in a content coding ({coding!r}) that was not asked for")

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        while True:
            body = self._body
            if body:
                self._body = []
                self._buffered = 0
                if self._paused and self.transport is not None:
                    self._paused = False
                    self.transport.resume_reading()
                yield body[0] if len(body) == 1 else b"".join(body)
            elif self._complete:
                return
            elif self._error is not None:
                raise self._error
            else:
                await self._wait()

    async def aclose(self) -> None:
        """Done with the response: the connection goes back to the pool if it can carry another."""
        transport = self.transport
        if transport is None:
            return
        if self._complete and self._keep_alive and not self.lost and not transport.is_closing():
            self.pool.give_back(self)
        else:
            transport.abort()


class DirectPool:
    """Keep-alive connections to one ``http://`` backend, for one event loop."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme == "http" and parts.hostname and not parts.username and not parts.password
        self.loop = asyncio.get_running_loop()
        self.host = parts.hostname
        self.port = parts.port or 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"POST {target} HTTP/1.1", f"host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._head = _Key(("\r\n".join(lines) + "\r\ncontent-length: ").encode("latin-1"))
        self.idle: list[Response] = []

    def give_back(self, conn: Response) -> None:
        if len(self.idle) < MAX_IDLE:
            conn._reset()
            conn.reused = True
            self.idle.append(conn)
        elif conn.transport is not None:
            conn.transport.close()

    async def _connect(self) -> Response:
        try:
            _, conn = await self.loop.create_connection(lambda: Response(self), self.host, self.port)
        except OSError as exc:
            raise BackendConnectError(str(exc)) from exc
        transport = conn.transport
        sock = transport.get_extra_info("socket") if transport is not None else None
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    async def send(self, payload: bytes) -> Response:
        """POST ``payload``; the response once its head has come."""
        while True:
            conn: Response | None = None
            while self.idle:
                candidate = self.idle.pop()
                transport = candidate.transport
                if not candidate.lost and transport is not None and not transport.is_closing():
                    conn = candidate
                    break
            fresh = conn is None
            if conn is None:
                conn = await self._connect()
            transport = conn.transport
            if transport is None:
                raise BackendClosed("the connection closed before the response was complete")
            transport.writelines((self._head, b"%d\r\n\r\n" % len(payload), payload))
            try:
                await conn.head()
            except BaseException as exc:
                if conn.transport is not None:
                    conn.transport.abort()
                if type(exc) is BackendClosed and not fresh and not conn._got_bytes:
                    # A kept-alive connection the backend closed as it was taken (not a byte
                    # of an answer came): the request goes again, on a new connection.
                    continue
                raise
            return conn

    def close(self) -> None:
        idle, self.idle = self.idle, []
        for conn in idle:
            if conn.transport is not None:
                conn.transport.close()
