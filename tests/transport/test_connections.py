"""oaii's own connections (its own HTTP/1.1 pools, sync and async, which replaced httpcore's), held to what
``httpx.HTTPTransport`` did before: the bytes on the wire, the errors of every fault, and
how connections are reused and closed.

Where a party that is not us can say what is right, it does: the same request sent
through ``httpx.HTTPTransport`` to the same raw server gives the expected bytes, and
httpx's own exception mapping gives the expected exception types.  The review found
four defects (dot segments in a base URL, a stream's response without its request,
idle connections never expiring, a stream dropped mid-read deadlocking a later
call under the GC); all four are fixed and pinned here.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import oaii
import pytest
from oaii import (
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    ResponseParseError,
)
from oaii._http import connections as _connections
from oaii._http import transport as _transport
from oaii._requests import create_request, get_request
from oaii._settings import resolve_settings
from oaii.server import Fault, LocalServer
from oaii.server._schema import conform

from .._rawserver import RawServer, gated, run_json
from ..conftest import KEY

BOTH = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])

# Shaped by the spec in use (the local server's copy: a v1 regeneration requires file_ids).
RUN = conform(
    "RunObject",
    {
        "id": "run_1",
        "object": "thread.run",
        "created_at": 1,
        "thread_id": "thread_t",
        "assistant_id": "asst_1",
        "status": "queued",
        "model": "gpt-4o",
        "instructions": "",
        "tools": [],
        "metadata": {},
        "parallel_tool_calls": True,
    },
)
RUN_BODY = json.dumps(RUN).encode()
DONE_BODY = json.dumps({**RUN, "status": "completed"}).encode()
SSE_BODY = (
    b"event: thread.run.created\ndata: " + RUN_BODY + b"\n\n"
    b"event: thread.run.queued\ndata: " + RUN_BODY + b"\n\n"
    b"event: done\ndata: [DONE]\n\n"
)


def answer(head: bytes) -> bytes:
    """A stream for a stream request, a completed run for a get (a poll ends), else a queued run."""
    if b"text/event-stream" in head:
        return reply(SSE_BODY)
    return reply(DONE_BODY if head.startswith(b"GET ") else RUN_BODY)


def reply(body: bytes = RUN_BODY, *, status: bytes = b"200 OK", headers: bytes = b"") -> bytes:
    kind = b"text/event-stream" if body.startswith(b"event:") else b"application/json"
    return (
        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + kind + b"\r\n" + headers
        + b"Content-Length: %d\r\n\r\n" % len(body) + body
    )  # fmt: skip


# ----------------------------------------------------------------- a raw server


class Wire:
    """A raw HTTP/1.1 server on loopback: it records each request head as received, answers
    with ``answer(head)`` (bytes, or None to close without a word), and keeps the
    connection for the next request unless ``close_after``.  It counts connections."""

    def __init__(
        self,
        answer: Callable[[bytes], bytes | None] = lambda head: reply(),
        *,
        host: str = "127.0.0.1",
        close_after: bool = False,
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.create_server((host, 0), family=family)
        self.answer = answer
        self.close_after = close_after
        self.heads: list[bytes] = []
        self.accepted = 0
        self.open = 0
        self.closed = threading.Event()  # set each time a connection ends
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def url(self, scheme: str = "http", path: str = "/v1") -> str:
        host = self.sock.getsockname()[0]
        host = f"[{host}]" if ":" in host else host
        return f"{scheme}://{host}:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed: the test is over
                return
            with self.lock:
                self.accepted += 1
                self.open += 1
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(buffer) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                buffer = buffer[length:]
                self.heads.append(head)
                answer = self.answer(head)
                if answer is None:
                    return
                conn.sendall(answer)
                if self.close_after:
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
            with self.lock:
                self.open -= 1
            self.closed.set()

    def wait_all_closed(self, seconds: float = 5.0) -> bool:
        """Whether every connection ended within ``seconds`` (woken by each end, no polling sleep)."""
        import time

        end = time.monotonic() + seconds
        while True:
            self.closed.clear()
            if self.open == 0:
                return True
            if not self.closed.wait(max(end - time.monotonic(), 0)):
                return self.open == 0

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def wire() -> Iterator[Wire]:
    server = Wire()
    yield server
    server.close()


def _refused_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/v1"


def run_call(is_async: bool, op: str, base_url: str, **options: Any) -> Any:
    """``op`` ("create", "stream", "get", "poll") on a fresh client; the stream read to its end."""
    settings: dict[str, Any] = {"api_key": KEY, "base_url": base_url, "max_retries": 0}
    settings.update(options.pop("settings", {}))
    if not is_async:
        with Client(**settings) as client:
            if op == "create":
                return client.create_run("thread_t", "asst_1", **options)
            if op == "stream":
                return [e.event for e in client.stream_run("thread_t", "asst_1", **options)]
            if op == "poll":
                return client.create_run_and_poll("thread_t", "asst_1", poll_interval=0, **options)
            return client.get_run("thread_t", "run_1", **options)

    async def main() -> Any:
        async with AsyncClient(**settings) as client:
            if op == "create":
                return await client.create_run("thread_t", "asst_1", **options)
            if op == "stream":
                return [e.event async for e in await client.stream_run("thread_t", "asst_1", **options)]
            if op == "poll":
                return await client.create_run_and_poll("thread_t", "asst_1", poll_interval=0, **options)
            return await client.get_run("thread_t", "run_1", **options)

    return asyncio.run(main())


# ------------------------------------------------------------ bytes on the wire


def _httpx_head(base_url: str, op: str, wire: Wire) -> bytes:
    """The request head ``httpx.HTTPTransport`` (what oaii used before) sends for ``op``."""
    settings = resolve_settings(api_key=KEY, base_url=base_url)
    if op == "get":
        request = get_request(settings, "thread_t", "run_1")
    else:
        request = create_request(
            settings, "thread_t", "asst_1", {}, idempotency_key="idem-1", stream=op == "stream"
        )
    seen = []
    # Once in some twenty full runs under xdist, an answer came back and the wire had recorded
    # no head (not reproduced alone in 1,000 runs): a second try, and what answered, if both miss.
    for _attempt in range(2):
        before = len(wire.heads)
        with httpx.HTTPTransport() as transport:
            sent = httpx.Request(
                request.method, request.url, headers=request.headers.pairs, content=request.content
            )
            response = transport.handle_request(sent)
            response.close()
        if len(wire.heads) == before + 1:
            return wire.heads.pop()
        seen.append((str(sent.url), response.status_code, response.headers.raw, len(wire.heads) - before))
    raise AssertionError(f"the wire did not record httpx's request: {seen}")


def _wire_path(base: str) -> str:
    return base.split("/", 3)[3] if base.count("/") >= 3 else ""


BASES = [
    pytest.param("http://127.0.0.1:{port}/v1", id="plain"),
    pytest.param("http://localhost:{port}/v1", id="name"),
    pytest.param("http://LocalHost:{port}/v1", id="upper-host"),
    pytest.param("HTTP://127.0.0.1:{port}/v1", id="upper-scheme"),
    pytest.param("http://127.0.0.1:{port}", id="no-path"),
    pytest.param("http://127.0.0.1:{port}/v1/", id="trailing-slash"),
    pytest.param("http://127.0.0.1:{port}//v1", id="double-slash"),
    pytest.param("http://127.0.0.1:{port}/a%2fb/%7E", id="escapes"),
    pytest.param("http://127.0.0.1:{port}/caf\u00e9/a|b^[]", id="non-ascii"),
    pytest.param("http://127.0.0.1:{port}/a%zz", id="bad-escape"),
    pytest.param("http://127.0.0.1:0{port}/v1", id="zero-port"),
    pytest.param(
        "http://127.0.0.1:{port}/x/../v1",
        id="dot-dot",  # review defect 1, fixed: dot segments removed as httpx does
    ),
    pytest.param(
        "http://127.0.0.1:{port}/./v1",
        id="dot",  # review defect 1, fixed: dot segments removed as httpx does
    ),
]


@pytest.mark.parametrize("op", ["create", "stream", "get"])
@pytest.mark.parametrize("template", BASES)
@BOTH
def test_request_head_is_byte_for_byte_what_httpx_sent(
    wire: Wire, template: str, op: str, is_async: bool
) -> None:
    """Request line, header names, values and order (Host first, Content-Length last and only
    with a body), exactly as ``httpx.HTTPTransport`` sends the same request."""
    base = template.format(port=wire.port)
    expected = _httpx_head(base, op, wire)
    wire.answer = answer
    options: dict[str, Any] = {} if op == "get" else {"idempotency_key": "idem-1"}
    run_call(is_async, op, base, **options)
    assert wire.heads == [expected]


@BOTH
def test_ipv6_host_header_and_target(is_async: bool) -> None:
    try:
        server = Wire(host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        base = server.url()
        expected = _httpx_head(base, "create", server)
        assert b"\r\nHost: [::1]:%d\r\n" % server.port in expected + b"\r\n"
        run_call(is_async, "create", base, idempotency_key="idem-1")
        assert server.heads == [expected]
    finally:
        server.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://b\u00fccher.example/v1/threads",
        "https://B\u00dcCHER.example:443/v1/threads",
        "http://example.com:80/v1/threads",
        "https://example.com/v1/threads",
        "http://example.com:8443/v1/threads",
        "https://[::1]/v1/threads",
        "http://[::1]:80/v1/threads",
        "https://[0:0::1]:8443/v1/threads?include%5B%5D=a",
    ],
)
def test_origin_host_and_port_are_httpx_s(url: str) -> None:
    """Hosts a loopback socket cannot stand for (IDNA names, default ports): the Host header,
    host and port oaii connects with are httpx's for the same URL."""
    settings = resolve_settings(api_key=KEY, base_url="http://127.0.0.1:1/v1")
    request = get_request(settings, "thread_t", "run_1")
    scheme, host, port, target, headers = _transport._wire(
        _transport.Send(
            type(request)("POST", url, request.headers, b"{}"),
            settings,
            _transport_deadline(),
            stream=False,
        )
    )
    reference = httpx.Request("POST", url, headers=request.headers.pairs, content=b"{}")
    assert headers[0] == (b"Host", reference.headers["Host"].encode())
    assert host == reference.url.raw_host
    assert port == (reference.url.port or {"http": 80, "https": 443}[reference.url.scheme])
    assert scheme == reference.url.raw_scheme
    assert target == reference.url.raw_path
    assert (b"Content-Length", b"2") in headers


def _transport_deadline() -> Any:
    from oaii._flow import Deadline

    return Deadline(None)


# ------------------------------------------------------------------- faults


def _raw_once(payload: bytes, *, read: bool = True, linger: bool = False) -> str:
    """A server that answers one connection with ``payload``, then closes it (gracefully)."""
    sock = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with sock:
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                with conn:
                    try:
                        if read:
                            data = b""
                            while b"\r\n\r\n" not in data:
                                chunk = conn.recv(65536)
                                if not chunk:
                                    break
                                data += chunk
                        conn.sendall(payload)
                        while linger and conn.recv(65536):  # until the client gives up
                            pass
                        conn.shutdown(socket.SHUT_WR)
                        while conn.recv(65536):  # drain, so that the close sends FIN, not RST
                            pass
                    except OSError:
                        pass

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


HEAD_200 = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
FAULTS = [
    pytest.param(_refused_url, {}, APIConnectionError, "ConnectError:", id="refused"),
    pytest.param(
        lambda: _raw_once(b"HELLO WORLD\r\n\r\n"),
        {},
        APIConnectionError,
        "RemoteProtocolError: illegal status line",
        id="garbage-status",
    ),
    pytest.param(
        lambda: _raw_once(b""),
        {},
        APIConnectionError,
        "RemoteProtocolError: Server disconnected without sending a response.",
        id="closed-no-answer",
    ),
    pytest.param(
        lambda: _raw_once(HEAD_200 + b"Content-Length: 100\r\n\r\nevent:"),
        {},
        APIConnectionError,
        "RemoteProtocolError: peer closed connection without sending complete message body"
        " (received 6 bytes, expected 100)",
        id="truncated-length",
    ),
    pytest.param(
        lambda: _raw_once(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\n5\r\nevent"),
        {},
        APIConnectionError,
        "RemoteProtocolError: peer closed connection without sending complete message body"
        " (incomplete chunked read)",
        id="truncated-chunked",
    ),
    pytest.param(
        lambda: _raw_once(HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nevent\r\n"),
        {},
        APIConnectionError,
        "RemoteProtocolError: illegal chunk header",
        id="bad-chunk",
    ),
    pytest.param(
        lambda: _raw_once(b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n"),
        {},
        APIConnectionError,
        "RemoteProtocolError: illegal header line",
        id="bad-header",
    ),
    pytest.param(
        lambda: _raw_once(b"", linger=True),
        {"timeout": 0.3},
        APITimeoutError,
        "ReadTimeout:",
        id="read-timeout-head",
    ),
    pytest.param(
        lambda: _raw_once(HEAD_200 + b"Content-Length: 100\r\n\r\nevent:", linger=True),
        {"timeout": 0.3},
        APITimeoutError,
        "ReadTimeout:",
        id="read-timeout-body",
    ),
    pytest.param(
        lambda: _raw_once(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", read=False).replace(
            "http:", "https:"
        ),
        {},
        APIConnectionError,
        "ConnectError: [SSL",
        id="https-to-plain-port",
    ),
]


@pytest.mark.parametrize("op", ["create", "stream", "get"])
@pytest.mark.parametrize(("make_url", "options", "error", "words"), FAULTS)
@BOTH
def test_each_fault_is_httpx_s_error_in_oaii_s_words(
    make_url: Callable[[], str],
    options: dict[str, Any],
    error: type[Exception],
    words: str,
    op: str,
    is_async: bool,
) -> None:
    """The class httpx's transport raised (in message_long: ``<httpx class>: <text>``),
    never an httpcore one, for the create, the stream (read through RunStream) and the get."""
    base = make_url()
    with pytest.raises(error) as info:
        run_call(is_async, op, base, settings=options)
    text = info.value.message_long
    assert words in text, text
    assert type(info.value) is error
    assert "httpcore" not in text
    assert info.value.__context__ is None and info.value.__cause__ is None


def test_connect_timeout_is_a_timeout_not_a_failure() -> None:
    """A listener whose accept queue is full drops the SYN: connect times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        for is_async in (False, True):
            with pytest.raises(APITimeoutError, match="ConnectTimeout") as info:
                run_call(
                    is_async,
                    "create",
                    f"http://127.0.0.1:{port}/v1",
                    settings={"timeout": httpx.Timeout(5, connect=0.2), "max_retries": 1},
                )
            assert info.value.attempts == 2  # a connect failure is retried: nothing was sent
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@BOTH
def test_write_timeout_when_the_server_reads_nothing(is_async: bool) -> None:
    sock = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    try:
        with pytest.raises(APITimeoutError, match="WriteTimeout"):
            run_call(
                is_async,
                "create",
                f"http://127.0.0.1:{sock.getsockname()[1]}/v1",
                settings={"timeout": httpx.Timeout(5, write=0.3), "validate": False},
                extra_body={"pad": "x" * 30_000_000},
            )
    finally:
        sock.close()
        for conn in held:
            conn.close()


@BOTH
def test_pool_timeout_when_every_connection_is_busy(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, is_async: bool
) -> None:
    monkeypatch.setattr(_transport, "MAX_CONNECTIONS", 1)
    options = {
        "api_key": KEY,
        "base_url": server.url,
        "max_retries": 0,
        "timeout": httpx.Timeout(5, pool=0.2),
    }
    if not is_async:
        with Client(**options) as client:
            stream = client.stream_run("thread_p1", "asst_1")  # holds the only connection
            with pytest.raises(APITimeoutError, match="PoolTimeout") as info:
                client.create_run("thread_p2", "asst_1")
            stream.close()
            assert client.create_run("thread_p3", "asst_1").status == "queued"
        assert info.value.__context__ is None
        return

    async def main() -> None:
        async with AsyncClient(**options) as client:
            stream = await client.stream_run("thread_p1", "asst_1")
            with pytest.raises(APITimeoutError, match="PoolTimeout"):
                await client.create_run("thread_p2", "asst_1")
            await stream.aclose()
            assert (await client.create_run("thread_p3", "asst_1")).status == "queued"

    asyncio.run(main())


@BOTH
def test_a_fault_mid_stream_is_an_oaii_error_without_a_chain(is_async: bool) -> None:
    """Events already received, then a truncated body: RunStream raises APIConnectionError
    (naming httpx's class), with no __context__/__cause__ and no key in any frame or text."""
    first = b"event: thread.run.created\ndata: " + RUN_BODY + b"\n\n"
    base = _raw_once(HEAD_200 + b"Content-Length: %d\r\n\r\n" % (len(first) + 50) + first)
    seen: list[str] = []
    with pytest.raises(APIConnectionError) as info:
        if is_async:

            async def main() -> None:
                stream = await oaii.runs_create_run_stream_async(
                    "thread_t", "asst_1", api_key=KEY, base_url=base, max_retries=0
                )
                async for event in stream:
                    seen.append(event.event)

            asyncio.run(main())
        else:
            for event in oaii.runs_create_run_stream(
                "thread_t", "asst_1", api_key=KEY, base_url=base, max_retries=0
            ):
                seen.append(event.event)
    error = info.value
    assert seen == ["thread.run.created"]
    assert "RemoteProtocolError: peer closed connection" in error.message_long
    assert error.__context__ is None and error.__cause__ is None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        for name, value in frame.f_locals.items():
            assert KEY not in repr(value), f"{frame.f_code.co_name}: local {name!r} shows the key"
    assert KEY not in "".join(traceback.format_exception(error))


@BOTH
def test_status_line_reason_and_version_reach_the_error(wire: Wire, is_async: bool) -> None:
    wire.answer = lambda head: reply(b"", status=b"418 I'm a very odd teapot")
    with pytest.raises(oaii.APIStatusError) as info:
        run_call(is_async, "create", wire.url())
    assert info.value.message == "HTTP 418 I'm a very odd teapot"
    wire.answer = lambda head: b"HTTP/1.0 503 Nope\r\n\r\nbody here"  # the body ends at the close
    wire.close_after = True
    with pytest.raises(oaii.APIStatusError, match="HTTP 503 Nope, content: 'body here'"):
        run_call(is_async, "get", wire.url())


# ------------------------------------------------------- the response object


@BOTH
def test_a_streams_response_knows_its_request(wire: Wire, is_async: bool) -> None:
    """``RunStream.response`` is a public ``httpx.Response``; before d1efd09 its ``url``,
    ``request`` and ``raise_for_status()`` worked (the request without the key in its repr)."""
    wire.answer = lambda head: reply(SSE_BODY)
    base = wire.url()
    if is_async:

        async def main() -> httpx.Response:
            stream = await oaii.runs_create_run_stream_async("thread_t", "asst_1", api_key=KEY, base_url=base)
            async with stream:
                return stream.response

        response = asyncio.run(main())
    else:
        with oaii.runs_create_run_stream("thread_t", "asst_1", api_key=KEY, base_url=base) as stream:
            response = stream.response
    assert response.http_version == "HTTP/1.1" and response.reason_phrase == "OK"
    assert str(response.url) == f"{base}/threads/thread_t/runs"
    assert response.request.method == "POST"
    assert response.raise_for_status() is response
    assert KEY not in repr(response.request)


@BOTH
def test_gzip_stream_and_caps_on_the_core_path(wire: Wire, is_async: bool) -> None:
    wire.answer = lambda head: reply(gzip.compress(SSE_BODY), headers=b"Content-Encoding: gzip\r\n").replace(
        b"application/json", b"text/event-stream"
    )
    events = run_call(is_async, "stream", wire.url())
    assert events == ["thread.run.created", "thread.run.queued", "done"]
    with pytest.raises(ResponseParseError, match="too large"):
        run_call(is_async, "stream", wire.url(), settings={"max_response_bytes": 100})


# --------------------------------------------------- connections: reuse, close


@BOTH
def test_one_connection_serves_a_clients_calls_and_close_ends_it(wire: Wire, is_async: bool) -> None:
    wire.answer = answer
    options = {"api_key": KEY, "base_url": wire.url(), "max_retries": 0}
    if is_async:

        async def main() -> None:
            async with AsyncClient(**options) as client:
                await client.create_run("thread_t", "asst_1")
                await client.get_run("thread_t", "run_1")
                await (await client.stream_run("thread_t", "asst_1")).until_done()
                await client.create_run_and_poll("thread_t", "asst_1", poll_interval=0)
                assert wire.open <= 1

        asyncio.run(main())
    else:
        with Client(**options) as client:
            client.create_run("thread_t", "asst_1")
            client.get_run("thread_t", "run_1")
            client.stream_run("thread_t", "asst_1").until_done()
            client.create_run_and_poll("thread_t", "asst_1", poll_interval=0)
            assert wire.open <= 1
    assert wire.wait_all_closed(), "close()/aclose() left a connection open"
    # The stream's connection is dropped, not reused: RunStream closes at `done`, before the
    # body's end (as before d1efd09); the poll's create and get share the next one.
    assert (wire.accepted, len(wire.heads)) == (2, 5)


@BOTH
def test_a_connection_the_server_closed_is_not_reused(is_async: bool) -> None:
    """A server that closes each connection after answering (without Connection: close):
    the next call opens a new one instead of failing on the dead one."""
    server = Wire(close_after=True)
    try:
        options = {"api_key": KEY, "base_url": server.url(), "max_retries": 0}

        def waited() -> None:
            assert server.closed.wait(5)
            server.closed.clear()

        if is_async:

            async def main() -> None:
                async with AsyncClient(**options) as client:
                    for _ in range(3):
                        await client.create_run("thread_t", "asst_1")
                        await asyncio.to_thread(waited)

            asyncio.run(main())
        else:
            with Client(**options) as client:
                for _ in range(3):
                    client.create_run("thread_t", "asst_1")
                    waited()
        assert server.accepted == 3
    finally:
        server.close()


class _ShiftedClock:
    """``time`` for oaii's HTTP/1.1 pools, ``seconds`` ahead of the real one."""

    def __init__(self, seconds: float) -> None:
        import time

        self.monotonic = lambda: time.monotonic() + seconds


@BOTH
def test_an_idle_connection_expires_as_httpx_s_did(monkeypatch: pytest.MonkeyPatch, is_async: bool) -> None:
    """httpx.HTTPTransport closed a connection idle for 5 s (httpx.Limits' keepalive_expiry);
    a NAT or load balancer that silently drops idle flows then cannot swallow a request."""
    server = Wire()
    try:
        options = {"api_key": KEY, "base_url": server.url(), "max_retries": 0}
        module = _connections  # both pools' clock

        if is_async:

            async def main() -> None:
                async with AsyncClient(**options) as client:
                    await client.create_run("thread_t", "asst_1")
                    monkeypatch.setattr(module, "time", _ShiftedClock(6.0))
                    await client.create_run("thread_t", "asst_1")

            asyncio.run(main())
        else:
            with Client(**options) as client:
                client.create_run("thread_t", "asst_1")
                monkeypatch.setattr(module, "time", _ShiftedClock(6.0))
                client.create_run("thread_t", "asst_1")
        assert server.accepted == 2, "the idle connection was reused after the keep-alive expiry"
    finally:
        server.close()


class _Sender:
    """One client kept across the phases (its idle connections are what is counted)."""

    def send_many(self, url: str, count: int) -> None:
        raise NotImplementedError

    def one_more(self, url: str) -> str:
        """One request while every connection is busy: "pool timeout", or what it got."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


TIMEOUT = httpx.Timeout(10.0, pool=0.3)


def _limits_seen_by_a_server(sender: _Sender) -> list[int | str]:
    """What a server sees of a pool's limits: [connections opened by 200 requests at once, what
    one more gets meanwhile, connections the client closed once all were answered (those past
    the keep-alive limit), connections opened by 101 more requests at once]."""
    body = run_json("run_1")
    first = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    seen: list[int | str] = []
    with RawServer(default=gated(first, "keep", late=body)) as raw:
        try:
            for count in (200, 101):
                raw.gate.clear()
                asked = len(raw.requests) + count
                thread = threading.Thread(target=sender.send_many, args=(raw.url, count))
                thread.start()
                assert raw.wait_for(lambda r: len(r.requests) >= asked, 30.0)
                if count == 200:  # every connection busy, answers held back
                    seen += [raw.counts["accepts"], sender.one_more(raw.url)]
                raw.gate.set()
                thread.join(30.0)
                assert not thread.is_alive()
                if count == 200:
                    assert raw.wait_for(lambda r: r.counts["closed"] >= 100, 10.0)
                    seen.append(raw.counts["closed"])
                else:
                    seen.append(raw.counts["accepts"] - 200)
        finally:
            sender.close()
    return seen


class _OaiiSync(_Sender):
    def __init__(self) -> None:
        self.client: Client | None = None

    def send_many(self, url: str, count: int) -> None:
        self.client = self.client or Client(api_key=KEY, base_url=url, max_retries=0, timeout=TIMEOUT)
        client = self.client
        with ThreadPoolExecutor(count) as pool:
            runs = list(pool.map(lambda _: client.get_run("thread_t", "run_1"), range(count)))
        assert {run.id for run in runs} == {"run_1"}

    def one_more(self, url: str) -> str:
        assert self.client is not None
        try:
            return self.client.get_run("thread_t", "run_1").id
        except APITimeoutError as exc:
            return "pool timeout" if "PoolTimeout" in str(exc) else str(exc)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


class _OaiiAsync(_Sender):
    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        self.client: AsyncClient | None = None

    def send_many(self, url: str, count: int) -> None:
        async def main() -> None:
            self.client = self.client or AsyncClient(
                api_key=KEY, base_url=url, max_retries=0, timeout=TIMEOUT
            )
            client = self.client
            runs = await asyncio.gather(*[client.get_run("thread_t", "run_1") for _ in range(count)])
            assert {run.id for run in runs} == {"run_1"}

        self.runner.run(main())

    def one_more(self, url: str) -> str:
        async def main() -> str:
            assert self.client is not None
            try:
                return (await self.client.get_run("thread_t", "run_1")).id
            except APITimeoutError as exc:
                return "pool timeout" if "PoolTimeout" in str(exc) else str(exc)

        # The client's loop is running the 200 requests in the sender's thread: this one joins them there.
        return asyncio.run_coroutine_threadsafe(main(), self.runner.get_loop()).result(10.0)

    def close(self) -> None:
        if self.client is not None:
            self.runner.run(self.client.aclose())
        self.runner.close()


class _HttpxSync(_Sender):
    def __init__(self) -> None:
        # What oaii sent through before it had its own pool.
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
        self.client = httpx.Client(limits=limits, timeout=TIMEOUT)

    def send_many(self, url: str, count: int) -> None:
        with ThreadPoolExecutor(count) as pool:
            answers = list(
                pool.map(lambda _: self.client.get(url + "/threads/thread_t/runs/run_1"), range(count))
            )
        assert {answer.status_code for answer in answers} == {200}

    def one_more(self, url: str) -> str:
        try:
            return self.client.get(url + "/threads/thread_t/runs/run_1").json()["id"]
        except httpx.PoolTimeout:
            return "pool timeout"

    def close(self) -> None:
        self.client.close()


def test_pool_limits_are_httpx_s_as_a_server_sees_them() -> None:
    """200 connections at most, 100 kept alive: what httpx.HTTPTransport(limits=Limits(200, 100))
    did before oaii had its own pool, sync and async, seen from the server (no pool internals)."""
    reference = _limits_seen_by_a_server(_HttpxSync())
    assert reference == [200, "pool timeout", 100, 1]
    assert _limits_seen_by_a_server(_OaiiSync()) == reference
    assert _limits_seen_by_a_server(_OaiiAsync()) == reference


def _fds() -> int:
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc")
def test_no_descriptor_leaks_after_faults_closes_and_many_loops(server: LocalServer) -> None:
    options = {"api_key": KEY, "base_url": server.url}
    oaii.runs_create_run_request("thread_fd0", "asst_1", **options)  # the default pool's connection
    before = _fds()
    for index in range(100):
        asyncio.run(oaii.runs_create_run_request_async(f"thread_fa{index}", "asst_1", **options))
    for index in range(10):
        server.inject(Fault("reset", body=b"x" * 10))
        with pytest.raises(APIConnectionError):
            oaii.runs_create_run_request(f"thread_fr{index}", "asst_1", max_retries=0, **options)

    async def faults_and_an_open_stream() -> None:
        for index in range(10):
            server.inject(Fault("reset", body=b"x" * 10))
            with pytest.raises(APIConnectionError):
                await oaii.runs_create_run_request_async(
                    f"thread_ft{index}", "asst_1", max_retries=0, **options
                )
        async with AsyncClient(**options) as client:
            await client.stream_run("thread_fs", "asst_1")  # left unread: aclose ends it

    asyncio.run(faults_and_an_open_stream())
    client = Client(**options)
    stream = client.stream_run("thread_fs2", "asst_1")
    next(iter(stream))
    client.close()
    stream.close()
    assert _fds() <= before


# ------------------------------------------------ an abandoned stream and the GC

_ABANDON = r"""
import gc, sys, threading, time, os
import oaii

def watchdog():
    # A thread stuck in a lock it already holds never returns: report it, and end.
    time.sleep(3)
    print("DEADLOCK", flush=True)
    os._exit(3)

client = oaii.Client(api_key=sys.argv[2], base_url=sys.argv[1], max_retries=0)
stream = client.stream_run("thread_a", "asst_1")
for _ in stream:
    break  # one event read, then the stream is dropped without close()
del stream  # the RunStream and its reader form a cycle: only the cyclic GC frees them
gc.disable()
threading.Thread(target=watchdog, daemon=True).start()

def collect_in_pool_lock(frame, event, arg):
    # The GC runs at any allocation; here it runs where the pool holds its lock.
    if event == "call" and frame.f_code.co_name == "_reserve":  # oaii's pool, in its lock
        gc.collect()

sys.setprofile(collect_in_pool_lock)
run = client.create_run("thread_b", "asst_1")
sys.setprofile(None)
print("OK", run.thread_id, flush=True)
os._exit(0)
"""


def test_an_abandoned_stream_collected_mid_request_does_not_hang_the_next_call(server: LocalServer) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ABANDON, server.url, KEY], capture_output=True, text=True, timeout=30
    )
    assert done.stdout.strip() == "OK thread_b", done.stdout + done.stderr[-2000:]


# ------------------------------------------- what the mutation run let through


def chunked(*parts: bytes, headers: bytes = b"") -> bytes:
    """A 200 JSON answer whose body comes as ``parts``, one HTTP chunk each (one read each)."""
    body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + headers
        + b"Transfer-Encoding: chunked\r\n\r\n"
        + body
    )


@pytest.mark.parametrize("op", ["create", "get"])
@BOTH
def test_a_body_in_many_reads_is_joined_as_sent(wire: Wire, op: str, is_async: bool) -> None:
    parts = [DONE_BODY[i : i + 7] for i in range(0, len(DONE_BODY), 7)]
    wire.answer = lambda head: chunked(*parts)
    run = run_call(is_async, op, wire.url())
    assert (run.id, run.status) == ("run_1", "completed")


@pytest.mark.parametrize("framing", ["length", "chunked", "gzip", "deflate"])
@BOTH
def test_max_response_bytes_is_exact(wire: Wire, framing: str, is_async: bool) -> None:
    """A body of exactly max_response_bytes (after decoding) is read; one byte more is refused,
    whether the length is declared, counted from chunks, or counted while inflating."""
    import zlib

    size = len(RUN_BODY)
    if framing == "length":
        wire.answer = lambda head: reply(RUN_BODY)
    elif framing == "chunked":
        wire.answer = lambda head: chunked(RUN_BODY[:50], RUN_BODY[50:])
    else:
        packed = gzip.compress(RUN_BODY) if framing == "gzip" else zlib.compress(RUN_BODY)
        wire.answer = lambda head: reply(packed, headers=b"Content-Encoding: " + framing.encode() + b"\r\n")
    assert run_call(is_async, "create", wire.url(), settings={"max_response_bytes": size}).id == "run_1"
    with pytest.raises(ResponseParseError, match=f"max_response_bytes \\({size - 1} bytes\\)"):
        run_call(is_async, "create", wire.url(), settings={"max_response_bytes": size - 1})


@pytest.mark.parametrize("coding", ["identity", "Identity, ", "gzip, identity", "deflate"])
@BOTH
def test_content_codings_that_are_undone_or_ignored(wire: Wire, coding: str, is_async: bool) -> None:
    import zlib

    body = RUN_BODY
    if "gzip" in coding:
        body = gzip.compress(body)
    elif coding == "deflate":
        body = zlib.compress(body)
    wire.answer = lambda head: reply(body, headers=b"Content-Encoding: " + coding.encode() + b"\r\n")
    assert run_call(is_async, "create", wire.url()).id == "run_1"


@BOTH
def test_a_callers_http_client_is_the_one_that_sends(wire: Wire, is_async: bool) -> None:
    """With http_client, the caller's client sends (its default headers go out), not oaii's pool."""
    wire.answer = answer
    base = wire.url()
    if is_async:

        async def main() -> None:
            mine = httpx.AsyncClient(headers={"X-Mine": "yes"})
            async with mine, AsyncClient(api_key=KEY, base_url=base, http_client=mine) as client:
                await client.create_run("thread_t", "asst_1")
                await client.get_run("thread_t", "run_1")

        asyncio.run(main())
    else:
        mine = httpx.Client(headers={"X-Mine": "yes"})
        with mine, Client(api_key=KEY, base_url=base, http_client=mine) as client:
            client.create_run("thread_t", "asst_1")
            client.get_run("thread_t", "run_1")
    assert len(wire.heads) == 2 and all(b"\r\nX-Mine: yes" in head for head in wire.heads)


@BOTH
def test_http_and_https_to_one_host_and_port_never_share_a_connection(is_async: bool) -> None:
    """One client, plain http then https to the same host and port (one pool per scheme): the
    https call opens its own connection (its TLS hello fails there), and the http connection,
    kept alive, serves the next plain call."""
    with RawServer() as raw:
        http = raw.url
        https = http.replace("http:", "https:")
        options = {"api_key": KEY, "base_url": http, "max_retries": 0}
        tls_fails = httpx.Timeout(5.0, connect=0.5)  # the raw server never answers a TLS hello
        if is_async:

            async def main() -> None:
                async with AsyncClient(**options) as client:
                    await client.get_run("thread_t", "run_1")
                    with pytest.raises(oaii.OaiiError):
                        await client.with_options(base_url=https, timeout=tls_fails).get_run(
                            "thread_t", "run_1"
                        )
                    await client.get_run("thread_t", "run_1")

            asyncio.run(main())
        else:
            with Client(**options) as client:
                client.get_run("thread_t", "run_1")
                with pytest.raises(oaii.OaiiError):
                    client.with_options(base_url=https, timeout=tls_fails).get_run("thread_t", "run_1")
                client.get_run("thread_t", "run_1")
        assert raw.counts["accepts"] == 2
        assert [request.connection for request in raw.requests] == [0, 0]  # the plain calls: one connection


def _nothing() -> Any:
    import contextlib

    return contextlib.nullcontext()


def test_a_closed_async_client_refuses_and_a_closed_sync_one_too(server: LocalServer) -> None:
    async def main() -> None:
        client = AsyncClient(api_key=KEY, base_url=server.url)
        await client.create_run("thread_c1", "asst_1")
        await client.aclose()
        with pytest.raises(oaii.InputError, match="is closed"):
            await client.create_run("thread_c2", "asst_1")

    asyncio.run(main())
    client = Client(api_key=KEY, base_url=server.url)
    client.close()
    with pytest.raises(oaii.InputError, match="is closed"):
        client.create_run("thread_c3", "asst_1")
    assert [r.path.rsplit("/", 2)[1] for r in server.requests] == ["thread_c1"]


def test_an_async_client_refuses_a_second_live_loop(server: LocalServer) -> None:
    client = AsyncClient(api_key=KEY, base_url=server.url)
    other = asyncio.new_event_loop()
    thread = threading.Thread(target=other.run_forever, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(client.create_run("thread_l1", "asst_1"), other).result(10)
        with pytest.raises(oaii.InputError, match="another event loop"):
            asyncio.run(client.create_run("thread_l2", "asst_1"))
    finally:
        asyncio.run_coroutine_threadsafe(client.aclose(), other).result(10)
        other.call_soon_threadsafe(other.stop)
        thread.join(10)
        other.close()
    assert len(server.requests) == 1
