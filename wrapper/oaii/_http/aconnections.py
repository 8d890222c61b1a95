"""``_connections`` for asyncio: the same pool (``Slots``) and response reader (``_h1``)
over asyncio transports, in one event loop (no lock: nothing here runs in two threads).

Each phase has its own timeout as in the sync pool; a task cancelled mid-request
closes its connection (its state is unknown), as does a stream closed early.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ssl
from collections.abc import AsyncIterator

import httpx

from .connections import READ_SIZE, DeadlinePassed, Origin, Slots, Timeouts, readable, within
from .h1 import ResponseReader

# Bytes a connection buffers before it stops reading from the socket (until they are taken).
_HIGH_WATER = 4 * READ_SIZE


class _Expired(Exception):
    """A phase's own timeout ended the wait (not a cancellation from outside)."""


def _settle(waiter: asyncio.Future[None] | None, error: BaseException | None = None) -> None:
    if waiter is not None and not waiter.done():
        if error is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(error)


async def _wait(waiter: asyncio.Future[None], timeout: float | None) -> None:
    """``await waiter``, or ``_Expired`` after ``timeout`` seconds (one timer, no task)."""
    if timeout is None:
        await waiter
        return
    timer = asyncio.get_running_loop().call_later(max(timeout, 0), _settle, waiter, _Expired())
    try:
        await waiter
    finally:
        timer.cancel()


class AsyncConnection(asyncio.Protocol):
    """One transport to one origin: the bytes it received, whether it ended, and one waiter."""

    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.idle_since = 0.0
        self.transport: asyncio.Transport | None = None
        self._chunks: list[bytes] = []
        self._buffered = 0
        self._ended = False
        self._error: BaseException | None = None
        self._paused_reading = False
        self._paused_writing = False
        self._waiter: asyncio.Future[None] | None = None

    # ------------------------------------------------------------- asyncio's callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._chunks.append(data)
        self._buffered += len(data)
        if self._buffered > _HIGH_WATER and not self._paused_reading and self.transport is not None:
            self._paused_reading = True
            self.transport.pause_reading()
        _settle(self._waiter)

    def eof_received(self) -> bool:
        self._ended = True
        _settle(self._waiter)
        return False  # and close

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended = True
        self._error = exc
        _settle(self._waiter)

    def pause_writing(self) -> None:
        self._paused_writing = True

    def resume_writing(self) -> None:
        self._paused_writing = False
        _settle(self._waiter)

    # ------------------------------------------------------------------------ I/O

    def _new_waiter(self) -> asyncio.Future[None]:
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        return waiter

    async def write(self, data: bytes, timeout: float | None) -> None:
        transport = self.transport
        if transport is None or self._ended or transport.is_closing():
            raise httpx.WriteError(str(self._error or "the connection is closed"))
        transport.write(data)
        while self._paused_writing and not self._ended:
            try:
                await _wait(self._new_waiter(), timeout)
            except _Expired:
                raise httpx.WriteTimeout("timed out") from None
            finally:
                self._waiter = None
        if self._ended and self._error is not None:
            raise httpx.WriteError(str(self._error))

    async def read(self, timeout: float | None, end: float | None) -> bytes:
        """The next bytes (``b""`` at the end), within ``timeout`` and before ``end`` (as the
        sync pool's, so that a stream's body stops at the call's deadline too)."""
        if not self._chunks and not self._ended:
            timeout, cut = within(timeout, end)
            try:
                await _wait(self._new_waiter(), timeout)
            except _Expired:
                raise DeadlinePassed() if cut else httpx.ReadTimeout("timed out") from None
            finally:
                self._waiter = None
        if self._chunks:
            data = self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)
            self._chunks.clear()
            self._buffered = 0
            if self._paused_reading and self.transport is not None:
                self._paused_reading = False
                self.transport.resume_reading()
            return data
        if self._error is not None:
            raise httpx.ReadError(str(self._error) or type(self._error).__name__)
        return b""  # the end

    def stale(self, now: float, expiry: float) -> bool:
        """Idle too long, or the server closed it or sent something while it was idle."""
        if now - self.idle_since > expiry or self._ended or self._chunks:
            return True
        # The loop may not have run since the server's FIN or bytes arrived (a caller going
        # straight to its next request): ask the socket itself, as the sync pool does.
        sock = self.transport.get_extra_info("socket") if self.transport is not None else None
        return sock is None or readable(sock)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


async def aconnect(origin: Origin, tls: ssl.SSLContext | None, timeout: float | None) -> AsyncConnection:
    """A new connection (asyncio sets TCP_NODELAY; TLS with SNI when ``tls``)."""
    host, port = origin
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            _, connection = await loop.create_connection(
                lambda: AsyncConnection(origin), host, port, ssl=tls, server_hostname=host if tls else None
            )
    except TimeoutError:
        raise httpx.ConnectTimeout("timed out") from None
    except OSError as exc:
        raise httpx.ConnectError(str(exc)) from None
    return connection


class AsyncConnectionPool(Slots[AsyncConnection]):
    """``_connections.ConnectionPool`` for one event loop."""

    def __init__(
        self,
        tls: ssl.SSLContext | None,
        *,
        max_connections: int,
        max_keepalive_connections: int,
        keepalive_expiry: float,
    ) -> None:
        super().__init__(
            max_connections=max_connections,
            max_keepalive_connections=max_keepalive_connections,
            keepalive_expiry=keepalive_expiry,
        )
        self._tls = tls
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    @property
    def connections(self) -> list[AsyncConnection]:
        """Every open connection, idle or in use."""
        return list(self._open)

    async def request(
        self, origin: Origin, head: bytes, body: bytes | None, timeouts: Timeouts, end: float | None = None
    ) -> AsyncResponseStream:
        connection = await self._checkout(origin, timeouts)
        reader = ResponseReader()
        try:
            try:
                await connection.write(head + body if body else head, timeouts.get("write"))
            except httpx.WriteError:
                # As the sync pool: the server's answer (or how it closed) is what to report.
                reader.forbid_reuse()
            read_timeout = timeouts.get("read")
            while not reader.head_done:
                reader.receive(await connection.read(read_timeout, end))
        except BaseException:
            self.discard(connection)
            raise
        return AsyncResponseStream(self, connection, reader, read_timeout, end)

    async def _checkout(self, origin: Origin, timeouts: Timeouts) -> AsyncConnection:
        pool_timeout = timeouts.get("pool")
        loop = asyncio.get_running_loop()
        end = None if pool_timeout is None else loop.time() + pool_timeout
        while True:
            found = self._reserve(origin)
            if isinstance(found, AsyncConnection):
                return found
            if found:
                break
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            try:
                await _wait(waiter, None if end is None else end - loop.time())
            except _Expired:
                raise httpx.PoolTimeout("every connection of the pool is in use") from None
            except BaseException:
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    self._wake()  # woken, then cancelled: the freed slot goes to the next waiter
                raise
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
        try:
            connection = await aconnect(origin, self._tls, timeouts.get("connect"))
        except BaseException:
            self._gave_up()
            self._wake()
            raise
        self._opened(connection)
        return connection

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def release(self, connection: AsyncConnection) -> None:
        self._put_back(connection)
        self._wake()

    def discard(self, connection: AsyncConnection) -> None:
        self._drop(connection)
        self._wake()

    async def aclose(self) -> None:
        self._close_all()
        while self._waiters:
            _settle(self._waiters.popleft())


class AsyncResponseStream:
    """``_connections.ResponseStream`` for asyncio."""

    __slots__ = ("_connection", "_end", "_pool", "_read_timeout", "reader")

    def __init__(
        self,
        pool: AsyncConnectionPool,
        connection: AsyncConnection,
        reader: ResponseReader,
        read_timeout: float | None,
        end: float | None,
    ) -> None:
        self._pool = pool
        self._connection: AsyncConnection | None = connection
        self._read_timeout = read_timeout
        self._end = end
        self.reader = reader

    async def __aiter__(self) -> AsyncIterator[bytes]:
        reader = self.reader
        while True:
            if reader.body:
                pieces, reader.body = reader.body, []
                for piece in pieces:
                    yield piece
            if reader.done:
                connection, self._connection = self._connection, None
                if connection is not None:
                    if reader.reusable:
                        self._pool.release(connection)
                    else:
                        self._pool.discard(connection)
                return
            connection = self._connection
            if connection is None:
                raise httpx.StreamClosed()
            try:
                reader.receive(await connection.read(self._read_timeout, self._end))
            except BaseException:
                await self.aclose()
                raise

    async def aclose(self) -> None:
        # Before the body was iterated to its end: closed, even if every byte had arrived.
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.discard(connection)

    def __del__(self) -> None:
        # As the sync stream's: a stream dropped unclosed gives its slot back and closes its
        # transport (unless its loop is gone, and the transport with it).
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(RuntimeError):
                self._pool.discard(connection)
