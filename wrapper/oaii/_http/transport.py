"""I/O: connection pools, and the two drivers that run a flow (``_flow``) with them.

A pool sends through oaii's own HTTP/1.1 connections (``h1`` for the bytes,
``connections`` and ``aconnections`` for sockets and pools: a request there
costs no URL re-parse, no ``httpx.Request`` and none of httpcore's and h11's
machinery), through an httpx client it makes when a proxy applies or
``http="httpx"`` asks for it (``routes`` decides, by httpx's rules), or
through the caller's ``httpx.Client`` when one is given, which keeps that
client's whole configuration (proxies, auth, event hooks).  Whichever way, the
rest of oaii sees an ``httpx.Response`` and httpx's exceptions, and one piece of
code (``_Exchange``) decodes, caps and times the body for both pools.

Pools that oaii owns survive ``fork()``: the child drops the connections it
inherited (without closing them, which would shut the parent's sockets) and
opens its own.  The async default pool belongs to one event loop and is closed
when that loop shuts down (``asyncio.run`` and ``asyncio.Runner`` finalise
async generators, and a small one holds the pool).
"""

from __future__ import annotations

import functools
import os
import re
import ssl
import threading
import time
import weakref
import zlib
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
)
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .._errors import InputError
from .._flow import Failed, Flow, Received, Send, Sleep
from .aconnections import AsyncConnectionPool
from .connections import ConnectionPool, DeadlinePassed
from .h1 import ResponseReader, encode_head
from .routes import Routes, httpx_client

if TYPE_CHECKING:
    import asyncio

#: Connections per pool, how many of them are kept open between requests, and for how
#: long an idle one is trusted (httpx's default: a middlebox may drop it silently).
MAX_CONNECTIONS = 200
MAX_KEEPALIVE = 100
KEEPALIVE_EXPIRY = 5.0
# Failures that happen before a byte of the request can have left.
# A proxy's refusal (ProxyError) comes before the target was reached.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.ProxyError,
)


@functools.cache
def _tls(https: bool) -> ssl.SSLContext:
    """The TLS context of a pool's https or plain-http transport, made once per process.

    Loading the CA bundle costs ~100 ms, which a pool per event loop (or per
    client) would otherwise pay each time, and which a plain-http target (the
    local server) never needs: its transport carries no TLS, so it gets a bare
    context that is never used.
    """
    return httpx.create_ssl_context() if https else ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ResponseTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the body is larger than max_response_bytes ({limit} bytes)")


class UnusableEncoding(Exception):
    """A Content-Encoding this client does not undo (it asks for gzip or deflate only)."""


def _httpx_request(send: Send, client: httpx.Client | httpx.AsyncClient, *, callers: bool) -> httpx.Request:
    request = send.request
    extensions = {"timeout": send.deadline.timeouts(send.settings.timeout)}
    if callers:  # the caller's client merges its own defaults (headers, cookies) under ours
        return client.build_request(
            request.method,
            request.url,
            headers=request.headers.pairs,
            content=request.content,
            extensions=extensions,
        )
    # oaii's own httpx client adds nothing: the same headers as on oaii's own connections.
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers.pairs,
        content=request.content,
        extensions=extensions,
    )


def _split(url: str) -> tuple[str, str]:
    """(origin, request-target) of an absolute URL as oaii builds them."""
    path_at = url.find("/", url.find("://") + 3)
    return (url, "/") if path_at < 0 else (url[:path_at], url[path_at:])


# A request-target as oaii builds it (generated paths, urlencoded queries) needs no
# re-encoding; anything else (a base URL path with unusual characters, or with dot
# segments, which httpx removes) goes through httpx.URL.
_PLAIN_TARGET = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")


@functools.lru_cache(maxsize=64)
def _origin(origin: str) -> tuple[bytes, bytes, int, bytes]:
    """(scheme, host, port, Host header) of ``scheme://host[:port]``, parsed once by httpx."""
    url = httpx.URL(origin)
    port = url.port or (443 if url.scheme == "https" else 80)
    return url.raw_scheme, url.raw_host, port, url.netloc


def _wire(send: Send) -> tuple[bytes, bytes, int, bytes, list[tuple[bytes, bytes]]]:
    """(scheme, host, port, request-target, headers) of ``send`` as httpx would send it:
    Host first, the request's own headers in order, Content-Length last when there is a body."""
    request = send.request
    url = request.url
    origin, target = _split(url)
    scheme, host, port, host_header = _origin(origin)
    plain = _PLAIN_TARGET.fullmatch(target) and "/." not in target
    raw_target = target.encode("ascii") if plain else httpx.URL(url).raw_path
    headers = [(b"Host", host_header)]
    headers += [(name.encode("ascii"), value.encode("ascii")) for name, value in request.headers.pairs]
    if request.content is not None:
        headers.append((b"Content-Length", b"%d" % len(request.content)))
    return scheme, host, port, raw_target, headers


def _own_request(send: Send) -> tuple[bool, tuple[str, int], bytes]:
    """(https, origin, request head) of ``send`` on oaii's own connections."""
    scheme, host, port, target, headers = _wire(send)
    head = encode_head(send.request.method.encode("ascii"), target, headers)
    return scheme == b"https", (host.decode("ascii"), port), head


def _own_response(
    send: Send, reader: ResponseReader, stream: _BoundedStream | _AsyncBoundedStream
) -> httpx.Response:
    extensions = {"http_version": reader.http_version, "reason_phrase": reader.reason}
    response = httpx.Response(reader.status, headers=reader.headers, stream=stream, extensions=extensions)
    if send.stream:
        # A stream's response is the caller's (RunStream.response): it knows its request, as
        # httpx's own do, by method and URL (what response.url and raise_for_status need; no
        # key to hold).  A whole body's response stays inside oaii and skips the cost.
        response.request = httpx.Request(send.request.method, send.request.url)
    return response


# gzip and zlib-wrapped deflate, told apart by their headers.
_ZLIB_WBITS = 32 + zlib.MAX_WBITS
_MAX_ENCODINGS = 2


class _Body:
    """A body's chunks as they arrive: Content-Encoding undone here, at most ``limit`` bytes out,
    and nothing read past the call's deadline.

    httpx would inflate each chunk whole before anyone could count it (a few KiB
    of nested gzip make gigabytes), so decoding is done with zlib's
    ``max_length``, and the response is handed to httpx as identity.
    """

    def __init__(self, send: Send, encodings: list[str], *, whole: bool = True) -> None:
        self.whole = whole  # whether a cut-short compressed body is a fault (end)
        self.limit = send.settings.max_response_bytes
        self.deadline = send.deadline
        self.size = 0
        self.received = 0  # raw bytes, before decoding
        self.layers = [zlib.decompressobj(_ZLIB_WBITS) for _ in encodings]

    def add(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        for layer in self.layers:
            try:
                chunk = layer.decompress(chunk, self.limit + 1)
            except zlib.error as exc:
                raise httpx.DecodingError(f"the body is not valid gzip/deflate: {exc}") from None
            if layer.unconsumed_tail:
                raise ResponseTooLarge(self.limit)
        self.size += len(chunk)
        if self.size > self.limit:
            raise ResponseTooLarge(self.limit)
        if self.deadline.passed():
            raise DeadlinePassed()
        return chunk

    def end(self) -> None:
        """The body is over: a layer whose decompressor did not reach its end was cut short.

        Without this, a gzip stream cut at a chunk boundary reads as a shorter,
        valid body.  An empty body is let through: servers put Content-Encoding
        on bodiless answers (204, errors), and there is nothing to lose there.
        Nor is an error status's body (``whole`` False) held to it: the status is
        the answer, and what of its body arrived still explains it.
        """
        if self.whole and self.received and not all(layer.eof for layer in self.layers):
            raise httpx.DecodingError(
                "the body is not valid gzip/deflate: it ends before its compressed data"
            )


def _take_encodings(response: httpx.Response) -> list[str]:
    """The response's content codings, removed from its headers (``_Body`` undoes them)."""
    header = response.headers.get("content-encoding")
    if not header:  # the usual answer: nothing to undo
        return []
    encodings = [
        coding.strip().lower()
        for coding in header.split(",")
        if coding.strip().lower() not in ("", "identity")
    ]
    if not encodings:
        return []
    if len(encodings) > _MAX_ENCODINGS or any(coding not in ("gzip", "deflate") for coding in encodings):
        raise UnusableEncoding(f"unsupported Content-Encoding {response.headers['content-encoding'][:100]!r}")
    del response.headers["content-encoding"]
    return encodings


class _BoundedStream(httpx.SyncByteStream):
    """A response body read through ``_Body`` (set once the headers are known): decoded,
    capped, and under the deadline."""

    def __init__(self, inner: Iterable[bytes], close: Callable[[], None]) -> None:
        self.inner = inner
        self.closer = close
        self.body: _Body | None = None

    def __iter__(self) -> Iterator[bytes]:
        assert self.body is not None
        for chunk in self.inner:
            yield self.body.add(chunk)
        self.body.end()

    def close(self) -> None:
        self.closer()


class _AsyncBoundedStream(httpx.AsyncByteStream):
    def __init__(self, inner: AsyncIterable[bytes], close: Callable[[], Awaitable[None]]) -> None:
        self.inner = inner
        self.closer = close
        self.body: _Body | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        assert self.body is not None
        async for chunk in self.inner:
            yield self.body.add(chunk)
        self.body.end()

    async def aclose(self) -> None:
        await self.closer()


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) > limit


def _failed(exc: Exception, response: httpx.Response | None) -> Failed:
    exc.__traceback__ = None  # its frames' locals hold the raw request headers
    if isinstance(exc, ResponseTooLarge | UnusableEncoding | httpx.DecodingError) and response is not None:
        return Failed(exc, sent=True, response=response)
    return Failed(exc, sent=not isinstance(exc, _NOT_SENT))


# Failures of a request, in httpx's words or ours: anything else is a bug, not a fault.
_FAULTS = (httpx.RequestError, httpx.StreamError, ResponseTooLarge, UnusableEncoding, UnicodeError)


class _Exchange:
    """What both pools do around one request's I/O, written once: its response's body decoded,
    capped and under the deadline, a stream's response kept open, a failure made a ``Failed``."""

    __slots__ = ("keep_open", "response", "send")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.response: httpx.Response | None = None
        self.keep_open = False

    def opened(
        self, response: httpx.Response, stream: _BoundedStream | _AsyncBoundedStream
    ) -> Received | None:
        """The response's head is in: a stream's answer now, or None (read the body, then ``read``)."""
        self.response = response
        send = self.send
        stream.body = _Body(send, _take_encodings(response), whole=response.is_success)
        if send.stream and response.is_success:
            self.keep_open = True
            return Received(response, None)
        if _declared_too_large(response, send.settings.max_response_bytes):
            raise ResponseTooLarge(send.settings.max_response_bytes)
        return None

    def read(self, body: bytes) -> Received:
        # The body comes from our stream, not response.iter_bytes(): httpx has nothing left
        # to undo (_take_encodings), and its layers cost ~20 us a call.
        assert self.response is not None
        return Received(self.response, body)

    def failed(self, exc: Exception) -> Failed:
        return _failed(exc, self.response)

    @property
    def to_close(self) -> httpx.Response | None:
        """The response to close once the exchange is over (not a stream handed to the caller)."""
        return None if self.keep_open else self.response


ClientT = TypeVar("ClientT", httpx.Client, httpx.AsyncClient)


def _limits() -> httpx.Limits:
    return httpx.Limits(
        max_connections=MAX_CONNECTIONS,
        max_keepalive_connections=MAX_KEEPALIVE,
        keepalive_expiry=KEEPALIVE_EXPIRY,
    )


class _Ways(Generic[ClientT]):
    """Which way a pool sends a request (``routes``): the caller's ``http_client`` if there is
    one, else oaii's own connections, else (a proxy, or ``http="httpx"``) an httpx client that
    the pool makes for those settings and keeps."""

    http_client: ClientT | None
    closed: bool
    _via: dict[Routes, ClientT]
    _is_async: bool

    def _httpx_for(self, send: Send) -> ClientT | None:
        """The httpx client ``send`` goes through, or None for oaii's own connections."""
        if self.http_client is not None:
            return self.http_client
        routes = send.settings.routes
        if not routes.via_httpx(_split(send.request.url)[0]):
            return None
        client = self._via.get(routes)
        return client if client is not None else self._made(routes)

    def _made(self, routes: Routes) -> ClientT:
        client = httpx_client(routes, _tls(True), _limits(), is_async=self._is_async)
        return self._via.setdefault(routes, client)  # type: ignore[arg-type]

    def _request(self, send: Send, client: ClientT) -> httpx.Request:
        return _httpx_request(send, client, callers=client is self.http_client)

    def check_closed(self) -> None:
        if self.closed:
            raise InputError("client", "is closed: make a new one")
        if self.http_client is not None and self.http_client.is_closed:
            raise InputError("http_client", "is closed")


# ------------------------------------------------------------------- sync


_owned_pools: weakref.WeakSet[SyncPool | AsyncPool] = weakref.WeakSet()


class SyncPool(_Ways[httpx.Client]):
    """Where a sync client's requests go: oaii's own connections, an httpx client (a proxy
    applies, or ``http="httpx"``), or the caller's ``httpx.Client``."""

    _is_async = False

    def __init__(self, http_client: httpx.Client | None = None) -> None:
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise InputError("http_client", f"must be an httpx.Client, got {type(http_client).__name__}")
        self.http_client = http_client
        self.closed = False
        self._connections: dict[bool, ConnectionPool] = {}
        self._via = {}
        self._lock = threading.Lock()
        if http_client is None:
            _owned_pools.add(self)

    def connections(self, https: bool) -> ConnectionPool:
        pool = self._connections.get(https)
        if pool is None:
            with self._lock:
                pool = self._connections.get(https)
                if pool is None:
                    pool = self._connections[https] = ConnectionPool(
                        _tls(True) if https else None,
                        max_connections=MAX_CONNECTIONS,
                        max_keepalive_connections=MAX_KEEPALIVE,
                        keepalive_expiry=KEEPALIVE_EXPIRY,
                    )
        return pool

    def _made(self, routes: Routes) -> httpx.Client:
        with self._lock:  # one client per settings, even when threads race to make it
            client = self._via.get(routes)
            return client if client is not None else super()._made(routes)

    def forget(self) -> None:
        self._connections = {}
        self._via = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.closed = True
        pools, self._connections = self._connections, {}
        clients, self._via = self._via, {}
        for pool in pools.values():
            pool.close()
        for client in clients.values():
            client.close()

    def check_open(self) -> None:
        self.check_closed()

    def send(self, send: Send) -> Received | Failed:
        exchange = _Exchange(send)
        try:
            client = self._httpx_for(send)
            if client is None:
                https, origin, head = _own_request(send)
                core = self.connections(https).request(
                    origin,
                    head,
                    send.request.content,
                    send.deadline.timeouts(send.settings.timeout),
                    send.deadline.end,
                )
                stream = _BoundedStream(core, core.close)
                response = _own_response(send, core.reader, stream)
            else:
                response = client.send(self._request(send, client), stream=True)
                assert isinstance(response.stream, httpx.SyncByteStream)  # what httpx.Client.send gives
                stream = response.stream = _BoundedStream(response.stream, response.stream.close)
            return exchange.opened(response, stream) or exchange.read(b"".join(stream))
        except _FAULTS as exc:
            return exchange.failed(exc)
        finally:
            if exchange.to_close is not None:
                exchange.to_close.close()


def drive(flow: Flow, pool: SyncPool) -> Any:
    """Run ``flow``, doing its sends and sleeps; return what it returns."""
    pool.check_open()
    action = next(flow)
    while True:
        if isinstance(action, Sleep):
            time.sleep(action.seconds)
            outcome = None
        else:
            outcome = pool.send(action)
        try:
            action = flow.send(outcome)
        except StopIteration as done:
            return done.value


# ------------------------------------------------------------------ async


class AsyncPool(_Ways[httpx.AsyncClient]):
    """``SyncPool`` for asyncio.  It belongs to one event loop at a time.

    Used from a new loop after its first loop closed, it starts afresh (the old
    connections died with their loop); used from two live loops, it refuses.
    """

    _is_async = True

    def __init__(self, http_client: httpx.AsyncClient | None = None) -> None:
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise InputError("http_client", f"must be an httpx.AsyncClient, got {type(http_client).__name__}")
        self.http_client = http_client
        self.closed = False
        self._connections: dict[bool, AsyncConnectionPool] = {}
        self._via = {}
        self._loop: weakref.ref[asyncio.AbstractEventLoop] | None = None
        if http_client is None:
            _owned_pools.add(self)

    def connections(self, https: bool) -> AsyncConnectionPool:
        pool = self._connections.get(https)
        if pool is None:
            pool = self._connections[https] = AsyncConnectionPool(
                _tls(True) if https else None,
                max_connections=MAX_CONNECTIONS,
                max_keepalive_connections=MAX_KEEPALIVE,
                keepalive_expiry=KEEPALIVE_EXPIRY,
            )
        return pool

    def forget(self) -> None:
        self._connections = {}
        self._via = {}

    async def aclose(self) -> None:
        self.closed = True
        pools, self._connections = self._connections, {}
        clients, self._via = self._via, {}
        for pool in pools.values():
            await pool.aclose()
        for client in clients.values():
            await client.aclose()

    def check_open(self) -> None:
        import asyncio

        self.check_closed()
        loop = asyncio.get_running_loop()
        bound = self._loop() if self._loop is not None else None
        if bound is loop:
            return
        if bound is not None and not bound.is_closed() and self.http_client is None:
            raise InputError(
                "client", "belongs to another event loop that is still running; make one client per loop"
            )
        # Connections of a closed loop cannot be used, nor closed, here (httpx's neither).
        self._connections = {}
        self._via = {}
        self._loop = weakref.ref(loop)

    async def send(self, send: Send) -> Received | Failed:
        import asyncio

        exchange = _Exchange(send)
        try:
            # The whole exchange, response headers included, ends at the call's deadline.
            async with asyncio.timeout(send.deadline.remaining()):
                client = self._httpx_for(send)
                if client is None:
                    https, origin, head = _own_request(send)
                    core = await self.connections(https).request(
                        origin,
                        head,
                        send.request.content,
                        send.deadline.timeouts(send.settings.timeout),
                        send.deadline.end,
                    )
                    stream = _AsyncBoundedStream(core, core.aclose)
                    response = _own_response(send, core.reader, stream)
                else:
                    response = await client.send(self._request(send, client), stream=True)
                    assert isinstance(response.stream, httpx.AsyncByteStream)
                    stream = response.stream = _AsyncBoundedStream(response.stream, response.stream.aclose)
                return exchange.opened(response, stream) or exchange.read(
                    b"".join([chunk async for chunk in stream])
                )
        except _FAULTS as exc:
            return exchange.failed(exc)
        except TimeoutError:
            return _failed(DeadlinePassed(), None)
        finally:
            if exchange.to_close is not None:
                await exchange.to_close.aclose()


async def drive_async(flow: Flow, pool: AsyncPool) -> Any:
    """``drive`` for asyncio."""
    import asyncio

    pool.check_open()
    action = next(flow)
    while True:
        if isinstance(action, Sleep):
            await asyncio.sleep(action.seconds)
            outcome = None
        else:
            outcome = await pool.send(action)
        try:
            action = flow.send(outcome)
        except StopIteration as done:
            return done.value


# --------------------------------------------------------------- defaults

_default_pool: SyncPool | None = None
_default_pool_lock = threading.Lock()
_loop_pools_lock = threading.Lock()
_loop_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[AsyncPool, AsyncIterator[None]]] = (
    weakref.WeakKeyDictionary()
)


def default_pool() -> SyncPool:
    """The process's sync pool, shared by the front-door functions."""
    global _default_pool  # noqa: PLW0603 - one pool per process, reset in a forked child
    pool = _default_pool
    if pool is None:
        with _default_pool_lock:
            if _default_pool is None:
                _default_pool = SyncPool()
            pool = _default_pool
    return pool


async def default_async_pool() -> AsyncPool:
    """This event loop's pool, closed when the loop finalises its async generators."""
    import asyncio

    loop = asyncio.get_running_loop()
    with _loop_pools_lock:  # threads, each with its own loop, share the map
        entry = _loop_pools.get(loop)
        if entry is None:
            for stale in [other for other in list(_loop_pools) if other.is_closed()]:
                _loop_pools.pop(stale, None)
            pool = AsyncPool()
            keeper = _keep(loop, pool)
            entry = _loop_pools[loop] = (pool, keeper)
            first = True
        else:
            first = False
    if first:
        await entry[1].__anext__()  # the loop now tracks it, and will close it at shutdown
    return entry[0]


async def _keep(loop: asyncio.AbstractEventLoop, pool: AsyncPool) -> AsyncIterator[None]:
    try:
        yield
    finally:
        with _loop_pools_lock:
            _loop_pools.pop(loop, None)
        await pool.aclose()


def _after_fork_in_child() -> None:
    global _default_pool_lock, _loop_pools_lock  # noqa: PLW0603
    _default_pool_lock = threading.Lock()
    _loop_pools_lock = threading.Lock()
    for pool in list(_owned_pools):
        pool.forget()
    _loop_pools.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
