"""Sockets for ``_h1``: a blocking HTTP/1.1 connection pool, safe to share between threads.

What httpx's default transport did, for oaii's requests only: one pool per
scheme, connections kept alive per origin (at most ``max_keepalive`` idle, each
for ``keepalive_expiry`` seconds, dropped before reuse if the server closed
it), at most ``max_connections`` open, and each phase under its own timeout
(connect, write, read, pool: the keys of an httpcore ``timeout`` extension).
Failures are httpx's exception classes, as httpcore's map made them.

Nothing here refers back to what holds it: a response stream holds its
connection and reader, never the reverse, so a stream dropped mid-read is freed
(and, through ``close``, its connection) by reference counting alone.
"""

from __future__ import annotations

import os
import select
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar

import httpx

from .h1 import ResponseReader

#: httpcore's read size.
READ_SIZE = 64 * 1024
Origin = tuple[str, int]
Timeouts = dict[str, float | None]


class DeadlinePassed(httpx.ReadTimeout):
    def __init__(self) -> None:
        super().__init__("the total timeout (total_timeout) passed while reading the response")


def within(timeout: float | None, end: float | None) -> tuple[float | None, bool]:
    """A read's timeout cut to what is left before ``end`` (the call's deadline, in
    ``time.monotonic()`` terms), and whether it was cut; DeadlinePassed if nothing is left."""
    if end is None:
        return timeout, False
    left = end - time.monotonic()
    if left <= 0:
        raise DeadlinePassed()
    if timeout is None or left < timeout:
        return left, True
    return timeout, False


class Connection:
    """One socket to one origin, and when it last became idle."""

    __slots__ = ("idle_since", "origin", "sock", "timeout")

    def __init__(self, sock: socket.socket, origin: Origin) -> None:
        self.sock = sock
        self.origin = origin
        self.timeout: float | None = -1.0  # not yet set: the first use sets it
        self.idle_since = 0.0

    def _set_timeout(self, seconds: float | None) -> None:
        if seconds != self.timeout:  # each change is a system call
            self.sock.settimeout(seconds)
            self.timeout = seconds

    def write(self, data: bytes, timeout: float | None) -> None:
        # Each send has the whole write timeout, as in httpcore (a slow but steady upload goes on).
        view = memoryview(data)
        try:
            self._set_timeout(timeout)
            while view:
                view = view[self.sock.send(view) :]
        except TimeoutError as exc:
            raise httpx.WriteTimeout(str(exc)) from None
        except OSError as exc:
            raise httpx.WriteError(str(exc)) from None

    def read(self, timeout: float | None, end: float | None) -> bytes:
        """The next bytes (``b""`` at the end), within ``timeout`` and before ``end`` (the
        call's deadline, in ``time.monotonic()`` terms, so that a dripped head stops there)."""
        timeout, cut = within(timeout, end)
        try:
            self._set_timeout(timeout)
            return self.sock.recv(READ_SIZE)
        except TimeoutError as exc:
            raise DeadlinePassed() if cut else httpx.ReadTimeout(str(exc)) from None
        except OSError as exc:
            raise httpx.ReadError(str(exc)) from None

    def stale(self, now: float, expiry: float) -> bool:
        """Idle too long, or readable while idle: the server closed it (or sent what it should not)."""
        return now - self.idle_since > expiry or readable(self.sock)

    def close(self) -> None:
        self.sock.close()


class HasFileno(Protocol):
    def fileno(self) -> int: ...


def readable(sock: HasFileno) -> bool:
    """Whether an idle connection's socket has something to read (the server's FIN, a reset,
    or bytes it should not have sent), without waiting; a socket closed under us counts."""
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def connect(origin: Origin, tls: ssl.SSLContext | None, timeout: float | None) -> Connection:
    """A new connection (TCP_NODELAY, and TLS with SNI when ``tls``), as httpcore made one."""
    host, port = origin
    try:
        sock = socket.create_connection((host, port), timeout)
    except TimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc)) from None
    except OSError as exc:
        raise httpx.ConnectError(str(exc)) from None
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=host)
    except TimeoutError as exc:
        sock.close()
        raise httpx.ConnectTimeout(str(exc)) from None
    except OSError as exc:
        sock.close()
        raise httpx.ConnectError(str(exc)) from None
    connection = Connection(sock, origin)
    connection.timeout = timeout
    return connection


class Pooled(Protocol):
    """What ``Slots`` needs of a connection (a socket here, an asyncio transport in ``_aconnections``)."""

    origin: Origin
    idle_since: float

    def stale(self, now: float, expiry: float) -> bool: ...

    def close(self) -> None: ...


C = TypeVar("C", bound=Pooled)


class Slots(Generic[C]):
    """A pool's bookkeeping, without I/O or locking: which connections are open, which of
    them idle (per origin, newest last), and how many more may be opened.

    ``_reserve`` gives an idle connection or a slot for a new one; every slot taken is
    given back through ``_opened``/``_gave_up`` (a connect's outcome) and then
    ``_put_back`` (kept alive) or ``_drop`` (closed).
    """

    def __init__(
        self, *, max_connections: int, max_keepalive_connections: int, keepalive_expiry: float
    ) -> None:
        self._max_connections = max_connections
        self._max_keepalive_connections = max_keepalive_connections
        self._keepalive_expiry = keepalive_expiry
        self._idle: dict[Origin, list[C]] = {}
        self._idle_count = 0
        self._open: set[C] = set()
        self._connecting = 0
        self._closed = False

    def _reserve(self, origin: Origin) -> C | bool:
        """An idle connection to ``origin``, else True when a new one may be opened (its
        slot now taken), else False: every slot is in use."""
        if self._closed:
            raise httpx.PoolTimeout("the connection pool is closed")
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if not connection.stale(now, self._keepalive_expiry):
                return connection
            self._open.discard(connection)
            connection.close()
        if len(self._open) + self._connecting >= self._max_connections and self._idle_count:
            self._close_oldest_idle()  # another origin's idle connection makes room
        if len(self._open) + self._connecting < self._max_connections:
            self._connecting += 1
            return True
        return False

    def _close_oldest_idle(self) -> None:
        oldest = min((conns[0] for conns in self._idle.values() if conns), key=lambda c: c.idle_since)
        self._idle[oldest.origin].remove(oldest)
        self._idle_count -= 1
        self._open.discard(oldest)
        oldest.close()

    def _opened(self, connection: C) -> None:
        self._connecting -= 1
        if self._closed:
            connection.close()
            raise httpx.PoolTimeout("the connection pool is closed")
        self._open.add(connection)

    def _gave_up(self) -> None:
        self._connecting -= 1

    def _put_back(self, connection: C) -> None:
        if self._closed or connection not in self._open:
            connection.close()
            return
        if self._idle_count >= self._max_keepalive_connections:
            if not self._idle_count:  # none may be kept at all
                self._drop(connection)
                return
            self._close_oldest_idle()
        connection.idle_since = time.monotonic()
        self._idle.setdefault(connection.origin, []).append(connection)
        self._idle_count += 1

    def _drop(self, connection: C) -> None:
        self._open.discard(connection)
        connection.close()

    def _close_all(self) -> None:
        self._closed = True
        connections, self._open, self._idle, self._idle_count = self._open, set(), {}, 0
        for connection in connections:
            connection.close()


class ConnectionPool(Slots[Connection]):
    """Connections to any number of origins of one scheme, shared by threads."""

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
        # Reentrant: were a stream's close ever run by the GC inside this lock (an
        # allocation there), the release would re-enter instead of waiting for itself.
        self._lock = threading.Condition(threading.RLock())

        _pools.add(self)

    def _forked(self) -> None:
        # In the child of a fork(): each socket is shared with the parent, which goes on
        # using it (a reused one would mix two conversations), and the lock may be held by a
        # thread the child does not have.  The child starts with its own, closing only its copies.
        self._lock = threading.Condition(threading.RLock())
        idle = [connection for connections in self._idle.values() for connection in connections]
        self._idle, self._idle_count, self._open, self._connecting = {}, 0, set(), 0
        for connection in idle:
            connection.close()

    @property
    def connections(self) -> list[Connection]:
        """Every open connection, idle or in use."""
        with self._lock:
            return list(self._open)

    def request(
        self, origin: Origin, head: bytes, body: bytes | None, timeouts: Timeouts, end: float | None = None
    ) -> ResponseStream:
        """Send a request; return its response once the head is in (the body left to read).
        ``end``: no read goes past it (``time.monotonic()``), the body's included."""
        connection = self._checkout(origin, timeouts)
        reader = ResponseReader()
        try:
            try:
                if body and len(body) <= READ_SIZE:
                    connection.write(head + body, timeouts.get("write"))
                else:
                    connection.write(head, timeouts.get("write"))
                    if body:
                        connection.write(body, timeouts.get("write"))
            except httpx.WriteError:
                # As httpcore: a server may answer (413) and close before taking the whole
                # request; its answer, or how it closed, is what to report.
                reader.forbid_reuse()
            read_timeout = timeouts.get("read")
            while not reader.head_done:
                reader.receive(connection.read(read_timeout, end))
        except BaseException:
            self.discard(connection)
            raise
        return ResponseStream(self, connection, reader, read_timeout, end)

    def _checkout(self, origin: Origin, timeouts: Timeouts) -> Connection:
        pool_timeout = timeouts.get("pool")
        end = None if pool_timeout is None else time.monotonic() + pool_timeout
        with self._lock:
            while True:
                found = self._reserve(origin)
                if isinstance(found, Connection):
                    return found
                if found:
                    break
                remaining = None if end is None else end - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise httpx.PoolTimeout("every connection of the pool is in use")
                self._lock.wait(remaining)
        try:
            connection = connect(origin, self._tls, timeouts.get("connect"))
        except BaseException:
            with self._lock:
                self._gave_up()
                self._lock.notify()
            raise
        with self._lock:
            self._opened(connection)
        return connection

    def release(self, connection: Connection) -> None:
        """Back to the pool: its response was read whole and both sides keep it alive."""
        with self._lock:
            self._put_back(connection)
            self._lock.notify()

    def discard(self, connection: Connection) -> None:
        with self._lock:
            self._drop(connection)
            self._lock.notify()

    def close(self) -> None:
        with self._lock:
            self._close_all()
            self._lock.notify_all()


_pools: weakref.WeakSet[ConnectionPool] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for pool in list(_pools):
        pool._forked()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork()
    os.register_at_fork(after_in_child=_after_fork_in_child)


class ResponseStream:
    """A response whose head is in: its body's pieces as they arrive, then its connection
    back to the pool (or closed, when the body was not read to its end)."""

    __slots__ = ("_connection", "_end", "_pool", "_read_timeout", "reader")

    def __init__(
        self,
        pool: ConnectionPool,
        connection: Connection,
        reader: ResponseReader,
        read_timeout: float | None,
        end: float | None,
    ) -> None:
        self._pool = pool
        self._connection: Connection | None = connection
        self._read_timeout = read_timeout
        self._end = end
        self.reader = reader

    def __iter__(self) -> Iterator[bytes]:
        reader = self.reader
        while True:
            if reader.body:
                pieces, reader.body = reader.body, []
                yield from pieces
            if reader.done:
                self._finish()
                return
            connection = self._connection
            if connection is None:
                raise httpx.StreamClosed()
            try:
                reader.receive(connection.read(self._read_timeout, self._end))
            except BaseException:
                self.close()
                raise

    def _finish(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            if self.reader.reusable:
                self._pool.release(connection)
            else:
                self._pool.discard(connection)

    def close(self) -> None:
        # Before the body was iterated to its end: closed, as httpcore did, even if every
        # byte had already arrived.
        connection, self._connection = self._connection, None
        if connection is not None:
            self._pool.discard(connection)

    # The pool holds every open connection (to count it): a stream dropped unclosed must
    # give its connection back itself, or its slot and socket are lost for good.
    __del__ = close
