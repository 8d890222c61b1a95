"""oaii's own HTTP/1.1 layer: the sans-I/O core (``_h1``: the request head, a response
read from any split of its bytes) and the blocking pool (``_connections``) over real
loopback sockets.  h11 (what httpcore used) is the reference for the request bytes."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import h11
import httpx
import pytest
from oaii._http import connections as _connections
from oaii._http.aconnections import AsyncConnectionPool
from oaii._http.connections import ConnectionPool
from oaii._http.h1 import MAX_HEAD_BYTES, ResponseReader, encode_head

# ------------------------------------------------------------------ the request head

HEADERS = [
    (b"Host", b"127.0.0.1:8000"),
    (b"Authorization", b"Bearer sk-x"),
    (b"OpenAI-Beta", b"assistants=v2"),
    (b"x-empty", b""),
    (b"X-Odd", b"a \tb\x01c\xff"),
    (b"Content-Length", b"2"),
]


def test_request_head_is_what_h11_writes() -> None:
    reference = h11.Connection(h11.CLIENT).send(
        h11.Request(method=b"POST", target=b"/v1/x?a=b", headers=HEADERS)
    )
    assert encode_head(b"POST", b"/v1/x?a=b", HEADERS) == reference


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (b"X-A", b"a\r\nX-B: b"),
        (b"X-A", b"a\nb"),
        (b"X-A", b"a\rb"),
        (b"X-A", b"a\x00b"),
        (b"X-A", b" leading"),
        (b"X-A", b"trailing\t"),
        (b"X A", b"v"),
        (b"X-A\nX-B", b"v"),
        (b"X:A", b"v"),
        (b"", b"v"),
    ],
)
def test_a_header_that_could_split_the_head_is_refused_as_h11_refused_it(name: bytes, value: bytes) -> None:
    headers = [(b"Host", b"h"), (name, value)]
    with pytest.raises(h11.LocalProtocolError):
        h11.Connection(h11.CLIENT).send(h11.Request(method=b"GET", target=b"/", headers=headers))
    with pytest.raises(httpx.LocalProtocolError) as info:
        encode_head(b"GET", b"/", headers)
    assert value not in str(info.value).encode() or not value.strip()  # a value may be a key


@pytest.mark.parametrize(("method", "target"), [(b"GET", b"/a b"), (b"G T", b"/"), (b"GET", b"/\r\n")])
def test_a_bad_request_line_is_refused(method: bytes, target: bytes) -> None:
    with pytest.raises(httpx.LocalProtocolError, match="request line"):
        encode_head(method, target, [(b"Host", b"h")])


# ------------------------------------------------------------- reading a response


def read(*parts: bytes, eof: bool = False) -> ResponseReader:
    reader = ResponseReader()
    for part in parts:
        reader.receive(part)
    if eof:
        reader.receive(b"")
    return reader


def body_of(reader: ResponseReader) -> bytes:
    return b"".join(reader.body)


def every_split(data: bytes) -> Iterator[list[bytes]]:
    """``data`` whole, byte by byte, and cut in two at every place."""
    yield [data]
    yield [data[i : i + 1] for i in range(len(data))]
    for cut in range(1, len(data)):
        yield [data[:cut], data[cut:]]


LENGTH = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}'
CHUNKED = (
    b"HTTP/1.1 201 Created Here\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
    b"3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n"
)
INTERIM = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + LENGTH


@pytest.mark.parametrize(
    ("data", "status", "reason", "headers", "body"),
    [
        (LENGTH, 200, b"OK", [(b"Content-Type", b"application/json"), (b"Content-Length", b"7")], b'{"a":1}'),
        (CHUNKED, 201, b"Created Here", [(b"Transfer-Encoding", b"chunked"), (b"X-A", b"1")], b"abcdefg"),
        (
            INTERIM,
            200,
            b"OK",
            [(b"Content-Type", b"application/json"), (b"Content-Length", b"7")],
            b'{"a":1}',
        ),
    ],
    ids=["length", "chunked", "interim-1xx-skipped"],
)
def test_a_response_reads_the_same_however_its_bytes_are_split(
    data: bytes, status: int, reason: bytes, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    for parts in every_split(data):
        reader = read(*parts)
        assert (reader.status, reader.reason, reader.headers, body_of(reader)) == (
            status,
            reason,
            headers,
            body,
        )
        assert reader.done and reader.reusable and reader.http_version == b"HTTP/1.1"
        assert reader._parser is None  # the parser's cycle with the reader is broken once done


def test_a_body_until_the_close_ends_at_eof_and_the_connection_is_not_reused() -> None:
    reader = read(b"HTTP/1.0 503 Nope\r\n\r\nbody ", b"here")
    assert not reader.done and body_of(reader) == b"body here"
    reader.receive(b"")
    assert reader.done and not reader.reusable
    assert (reader.status, reader.reason, reader.http_version) == (503, b"Nope", b"HTTP/1.0")


@pytest.mark.parametrize("status", [b"204 No Content", b"304 Not Modified"])
def test_204_and_304_have_no_body_whatever_they_declare(status: bytes) -> None:
    reader = read(b"HTTP/1.1 " + status + b"\r\nContent-Length: 5\r\n\r\n")
    assert reader.done and reader.reusable and reader.body == []


@pytest.mark.parametrize(
    ("data", "reusable"),
    [
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", False),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", False),
        (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", True),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", True),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n", False),  # more than asked
        (b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nGARBAGE", False),
    ],
)
def test_reuse_needs_a_complete_response_that_both_sides_keep_alive(data: bytes, reusable: bool) -> None:
    reader = read(data)
    assert reader.done and reader.reusable is reusable


def test_a_request_that_did_not_go_out_whole_leaves_its_connection_unusable() -> None:
    reader = ResponseReader()
    reader.forbid_reuse()  # what the pools do when a write failed and the answer is read anyway
    reader.receive(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n")
    assert reader.done and reader.keep_alive and not reader.reusable


FAULTS = [
    (b"", "Server disconnected without sending a response."),
    (b"HTTP/1.1 200 OK\r\nContent-Le", "Server disconnected without sending a response."),
    (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nevent:",
        "peer closed connection without sending complete message body (received 6 bytes, expected 100)",
    ),
    (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nevent",
        "peer closed connection without sending complete message body (incomplete chunked read)",
    ),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "(incomplete chunked read)"),
    (b"HELLO WORLD\r\n\r\n", "illegal status line"),
    (b"HTTP/1.1 2x0 OK\r\n\r\n", "illegal status line"),
    # A bare LF ends a head's line (as h11 reads it), not a chunk's line (h11 refused those too).
    (b"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nhi\n0\n\n", "illegal chunk header"),
    (b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", "illegal header line"),
    (b"HTTP/1.1 200\r\nX: a\x00b\r\n\r\n", "illegal header line"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "conflicting Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nhi", "conflicting Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2,\r\n\r\nhi", "conflicting Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "illegal header line"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nevent\r\n", "illegal chunk header"),
    (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n", "unexpected 101"),
    (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", "unexpected 101"),
    (b"HTTP/1.1 099 Early\r\nContent-Length: 0\r\n\r\n", "illegal status line"),
    # llhttp would read these until the close; h11 refused them, and so does oaii.
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhi", "Only Transfer-Encoding: chunked"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "Only Transfer-Encoding"),
    # Stricter than h11 (llhttp): both framings at once (RFC 9112 6.3: ought to be an error).
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "illegal header line"),
    # A continuation right after the status line (h11 refused it too).
    (b"HTTP/1.1 200 OK\r\n X: a\r\nContent-Length: 0\r\n\r\n", "illegal status line"),
]


@pytest.mark.parametrize("split", [None, 1, 20, 27, 40])
def test_folded_header_lines_are_unfolded_as_rfc_9112_asks_of_a_user_agent(split: int | None) -> None:
    """RFC 9112 5.2: a user agent MUST replace each obs-fold with SP before reading the value
    (h11 did); bytes past the head that look like a fold are body, and stay as sent."""
    data = b"HTTP/1.1 200 OK\r\nX: a\r\n  folded\r\n\tmore\r\nContent-Length: 9\r\n\r\nb\r\n  ody!"
    reader = ResponseReader()
    for piece in [data] if split is None else [data[:split], data[split:]]:
        reader.receive(piece)
    assert reader.headers == [(b"X", b"a folded more"), (b"Content-Length", b"9")]
    assert b"".join(reader.body) == b"b\r\n  ody!"
    assert reader.done


@pytest.mark.parametrize(("data", "words"), FAULTS)
def test_a_malformed_or_incomplete_response_is_a_remote_protocol_error(data: bytes, words: str) -> None:
    reader = ResponseReader()
    with pytest.raises(httpx.RemoteProtocolError) as info:
        reader.receive(data)
        reader.receive(b"")
    assert words in str(info.value)
    assert reader._parser is None


def test_a_head_larger_than_httpcore_s_limit_is_refused_a_smaller_one_read() -> None:
    start = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Big: "
    fits = start + b"x" * (MAX_HEAD_BYTES - len(start) - 4) + b"\r\n\r\n"
    assert len(fits) == MAX_HEAD_BYTES and read(fits).done
    with pytest.raises(httpx.RemoteProtocolError, match="Receive buffer too long"):
        read(*[start] + [b"x" * 1000] * 200)  # never ends: refused once past the limit


def test_interim_responses_count_towards_the_head_limit() -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="Receive buffer too long"):
        read(*[b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"] * 10_000)


@pytest.mark.parametrize(
    "endless",
    [b"1;" + b"e" * 1000, b"1\r\nx\r\n0\r\nX-T: " + b"t" * 1000],
    ids=["chunk-extension", "trailer"],
)
def test_bytes_between_body_pieces_are_bounded(endless: bytes) -> None:
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    reader = read(head, endless)
    with pytest.raises(httpx.RemoteProtocolError, match="Receive buffer too long"):
        for _ in range(200):
            reader.receive(b"e" * 1000 if b";" in endless else b"t" * 1000)


def test_a_head_trickled_byte_by_byte_is_parsed_once() -> None:
    """Fed to llhttp a byte at a time, httptools would rebuild a long header value at every
    byte (quadratic); the reader holds the head until its end arrives."""

    feeds: list[int] = []

    class Counting(ResponseReader):
        __slots__ = ()

        def _feed(self, data: bytes) -> None:
            feeds.append(len(data))
            super()._feed(data)

    data = b"HTTP/1.1 200 OK\r\nX-Long: " + b"v" * 5000 + b"\r\nContent-Length: 2\r\n\r\nhi"
    reader = Counting()
    for index in range(len(data)):
        reader.receive(data[index : index + 1])
    assert reader.done and body_of(reader) == b"hi"
    assert feeds[0] == len(data) - 2 and len(feeds) == 3  # the head once, then each body byte


def test_an_end_of_head_split_across_reads_after_an_interim_response_is_found() -> None:
    # The 100's read ends inside the final head, whose end straddles the next two reads.
    reader = read(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r", b"\n", b"\r\n")
    assert reader.done and reader.status == 200


# --------------------------------------------------------- the pool, over loopback


class Server:
    """A loopback server that gives each connection to ``handle(conn, index)`` in a thread."""

    def __init__(
        self, handle: Callable[[socket.socket, int], None], tls: ssl.SSLContext | None = None
    ) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.handle = handle
        self.tls = tls
        self.accepted = 0
        self.ended = threading.Semaphore(0)
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def origin(self) -> tuple[str, int]:
        return "127.0.0.1", int(self.sock.getsockname()[1])

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            index, self.accepted = self.accepted, self.accepted + 1
            threading.Thread(target=self._run, args=(conn, index), daemon=True).start()

    def _run(self, conn: socket.socket, index: int) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            with conn:
                self.handle(conn, index)
        except OSError:
            pass
        finally:
            self.ended.release()

    def close(self) -> None:
        self.sock.close()


def heads(conn: socket.socket) -> Iterator[bytes]:
    """Each request head on ``conn`` (these requests have no body), until the client closes."""
    buffer = b""
    while True:
        while b"\r\n\r\n" not in buffer:
            data = conn.recv(65536)
            if not data:
                return
            buffer += data
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        yield head


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def keep_alive(conn: socket.socket, index: int) -> None:
    for _ in heads(conn):
        conn.sendall(OK)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server(keep_alive)
    yield running
    running.close()


_POOLS: list[ConnectionPool] = []


@pytest.fixture(autouse=True)
def _close_pools() -> Iterator[None]:
    # A pool a test made is closed after it, so that no idle socket is left to the GC.
    yield
    while _POOLS:
        _POOLS.pop().close()


def pool(**limits: float) -> ConnectionPool:
    options = {"max_connections": 10, "max_keepalive_connections": 10, "keepalive_expiry": 5.0}
    options.update(limits)
    made = ConnectionPool(
        None,
        max_connections=int(options["max_connections"]),
        max_keepalive_connections=int(options["max_keepalive_connections"]),
        keepalive_expiry=options["keepalive_expiry"],
    )
    _POOLS.append(made)
    return made


TIMEOUTS: dict[str, float | None] = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}


def get(connections: ConnectionPool, origin: tuple[str, int], **timeouts: float) -> bytes:
    stream = connections.request(
        origin, encode_head(b"GET", b"/", [(b"Host", b"x")]), None, TIMEOUTS | timeouts
    )
    try:
        return b"".join(stream)
    finally:
        stream.close()


def test_a_connection_is_reused_and_close_ends_it(server: Server) -> None:
    connections = pool()
    assert [get(connections, server.origin) for _ in range(3)] == [b"ok"] * 3
    assert server.accepted == 1 and len(connections.connections) == 1
    connections.close()
    assert server.ended.acquire(timeout=5), "the server never saw the close"
    assert connections.connections == []


def test_a_stream_closed_before_its_end_closes_its_connection(server: Server) -> None:
    connections = pool()
    stream = connections.request(server.origin, encode_head(b"GET", b"/", [(b"Host", b"x")]), None, TIMEOUTS)
    stream.close()
    assert connections.connections == []
    assert server.ended.acquire(timeout=5)
    assert get(connections, server.origin) == b"ok" and server.accepted == 2


def test_an_idle_connection_the_server_closed_is_dropped_before_reuse() -> None:
    def once(conn: socket.socket, index: int) -> None:
        next(heads(conn))
        conn.sendall(OK)  # no Connection: close, then closed

    server = Server(once)
    try:
        connections = pool()
        for _ in range(3):
            assert get(connections, server.origin) == b"ok"
            assert server.ended.acquire(timeout=5)
        assert server.accepted == 3
    finally:
        server.close()


def test_an_idle_connection_expires(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    connections = pool(keepalive_expiry=5.0)
    get(connections, server.origin)

    class Later:
        @staticmethod
        def monotonic() -> float:
            return time.monotonic() + 6

    monkeypatch.setattr(_connections, "time", Later)
    get(connections, server.origin)
    assert server.accepted == 2


def test_idle_connections_beyond_the_keep_alive_limit_are_closed(server: Server) -> None:
    connections = pool(max_keepalive_connections=1)
    head = encode_head(b"GET", b"/", [(b"Host", b"x")])
    streams = [connections.request(server.origin, head, None, TIMEOUTS) for _ in range(3)]
    assert server.accepted == 3
    for stream in streams:
        assert b"".join(stream) == b"ok"
    assert len(connections.connections) == 1
    assert server.ended.acquire(timeout=5) and server.ended.acquire(timeout=5)


def test_pool_timeout_when_every_connection_is_busy_then_a_slot_frees(server: Server) -> None:
    connections = pool(max_connections=1)
    head = encode_head(b"GET", b"/", [(b"Host", b"x")])
    held = connections.request(server.origin, head, None, TIMEOUTS)
    with pytest.raises(httpx.PoolTimeout):
        get(connections, server.origin, pool=0.05)
    assert b"".join(held) == b"ok"
    assert get(connections, server.origin) == b"ok" and server.accepted == 1


def test_a_failed_connect_gives_its_slot_back() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    refused = ("127.0.0.1", probe.getsockname()[1])
    probe.close()
    connections = pool(max_connections=1)
    for _ in range(3):
        with pytest.raises(httpx.ConnectError):
            get(connections, refused, pool=0.05)


def test_read_timeout_and_reset_are_httpx_s() -> None:
    def silent(conn: socket.socket, index: int) -> None:
        next(heads(conn))
        if index == 0:
            conn.recv(1)  # until the client gives up
        else:
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    server = Server(silent)
    try:
        connections = pool()
        with pytest.raises(httpx.ReadTimeout):
            get(connections, server.origin, read=0.1)
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            get(connections, server.origin)
        assert connections.connections == []
    finally:
        server.close()


def test_threads_share_a_pool(server: Server) -> None:
    connections = pool(max_connections=4)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(25):
            results.append(get(connections, server.origin))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [b"ok"] * 200
    assert server.accepted <= 4 and len(connections.connections) <= 4


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    command += ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost"]
    command += ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_with_sni_by_name_and_none_for_an_ip(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    names: list[str | None] = []
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    served.sni_callback = lambda sock, name, context: names.append(name)  # type: ignore[assignment,func-returns-value]
    server = Server(keep_alive, tls=served)
    trusted = ssl.create_default_context(cafile=str(cert))
    connections = ConnectionPool(
        trusted, max_connections=10, max_keepalive_connections=10, keepalive_expiry=5
    )
    try:
        port = server.origin[1]
        assert get(connections, ("localhost", port)) == b"ok"
        assert get(connections, ("127.0.0.1", port)) == b"ok"
        assert get(connections, ("localhost", port)) == b"ok"  # reused
        assert names == ["localhost", None] and server.accepted == 2
        untrusting = ConnectionPool(
            ssl.create_default_context(), max_connections=1, max_keepalive_connections=1, keepalive_expiry=5
        )
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            get(untrusting, ("localhost", port))
    finally:
        connections.close()
        server.close()


def test_a_server_answering_early_and_closing_is_read_not_a_write_error() -> None:
    """As httpcore: a write that fails (the server refused the body and closed) is passed over,
    and the server's answer is what the caller gets."""

    def refuse(conn: socket.socket, index: int) -> None:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    server = Server(refuse)
    try:
        connections = pool()
        head = encode_head(b"POST", b"/", [(b"Host", b"x"), (b"Content-Length", b"%d" % 50_000_000)])
        try:
            stream = connections.request(server.origin, head, b"x" * 50_000_000, TIMEOUTS)
        except httpx.ReadError:
            pytest.skip("the reset reached the client before the answer (a race of the kernel)")
        assert stream.reader.status == 413
        stream.close()
    finally:
        server.close()


# ------------------------------------------------------------- the asyncio pool


def apool(**limits: int) -> AsyncConnectionPool:
    options = {"max_connections": 10, "max_keepalive_connections": 10} | limits
    return AsyncConnectionPool(None, keepalive_expiry=5.0, **options)


async def aget(connections: AsyncConnectionPool, origin: tuple[str, int], **timeouts: float) -> bytes:
    head = encode_head(b"GET", b"/", [(b"Host", b"x")])
    stream = await connections.request(origin, head, None, TIMEOUTS | timeouts)
    try:
        return b"".join([piece async for piece in stream])
    finally:
        await stream.aclose()


def test_async_reuse_limits_and_close(server: Server) -> None:
    async def main() -> None:
        connections = apool(max_connections=2)
        assert [await aget(connections, server.origin) for _ in range(3)] == [b"ok"] * 3
        assert server.accepted == 1
        results = await asyncio.gather(*[aget(connections, server.origin) for _ in range(20)])
        assert results == [b"ok"] * 20 and server.accepted <= 2
        held = await connections.request(
            server.origin, encode_head(b"GET", b"/", [(b"Host", b"x")]), None, TIMEOUTS
        )
        other = await connections.request(
            server.origin, encode_head(b"GET", b"/", [(b"Host", b"x")]), None, TIMEOUTS
        )
        with pytest.raises(httpx.PoolTimeout):
            await aget(connections, server.origin, pool=0.05)
        await held.aclose()  # closed before its end: its connection is closed, its slot freed
        assert await aget(connections, server.origin) == b"ok"
        await other.aclose()
        await connections.aclose()
        assert connections.connections == []

    asyncio.run(main())
    assert server.ended.acquire(timeout=5)


def test_async_cancelled_mid_request_closes_its_connection() -> None:
    def slow(conn: socket.socket, index: int) -> None:
        for _ in heads(conn):
            if index == 0:
                conn.recv(1)  # never answers the first connection
            conn.sendall(OK)

    server = Server(slow)

    async def main() -> None:
        connections = apool(max_connections=1)
        task = asyncio.create_task(aget(connections, server.origin))
        await asyncio.sleep(0)
        while server.accepted == 0:  # the request is out: poll the server's count
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert connections.connections == []
        assert await aget(connections, server.origin, pool=1) == b"ok"  # the one slot came back
        await connections.aclose()

    try:
        asyncio.run(main())
        assert server.accepted == 2
    finally:
        server.close()


def test_async_idle_connection_the_server_closed_is_dropped_and_faults_are_httpx_s() -> None:
    def once(conn: socket.socket, index: int) -> None:
        next(heads(conn))
        if index < 2:
            conn.sendall(OK)  # then closed, without Connection: close
        elif index == 2:
            conn.recv(1)

    server = Server(once)

    async def main() -> None:
        connections = apool()
        for _ in range(2):
            assert await aget(connections, server.origin) == b"ok"
            while not server.ended.acquire(blocking=False):  # the server closed it
                await asyncio.sleep(0.01)
            while connections._idle_count and not connections.connections[0].stale(0, 5):
                await asyncio.sleep(0.01)  # until the loop saw the close
        assert server.accepted == 2
        with pytest.raises(httpx.ReadTimeout):
            await aget(connections, server.origin, read=0.1)
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected"):
            await aget(connections, server.origin)

    try:
        asyncio.run(main())
    finally:
        server.close()


def test_async_tls_with_sni(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    names: list[str | None] = []
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    served.sni_callback = lambda sock, name, context: names.append(name)  # type: ignore[assignment,func-returns-value]
    server = Server(keep_alive, tls=served)
    trusted = ssl.create_default_context(cafile=str(cert))

    async def main() -> None:
        connections = AsyncConnectionPool(
            trusted, max_connections=10, max_keepalive_connections=10, keepalive_expiry=5
        )
        port = server.origin[1]
        assert [await aget(connections, ("localhost", port)) for _ in range(2)] == [b"ok", b"ok"]
        untrusting = AsyncConnectionPool(
            ssl.create_default_context(), max_connections=1, max_keepalive_connections=1, keepalive_expiry=5
        )
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await aget(untrusting, ("localhost", port))
        await connections.aclose()

    try:
        asyncio.run(main())
        assert names[0] == "localhost" and server.accepted == 2
    finally:
        server.close()


# ------------------------------------------------------- the deadline, sync too


def test_a_sync_call_ends_at_total_timeout_while_a_server_drips_its_head() -> None:
    """Each read is cut to what is left of the call's deadline: a head dripped a byte per
    0.1 s (every read within ``timeout``) still ends at ``total_timeout``, as async does."""
    import time

    import oaii

    from ..conftest import KEY

    stop = threading.Event()

    def drip(conn: socket.socket, index: int) -> None:
        next(heads(conn))
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: ")
        while not stop.wait(0.1):
            conn.sendall(b"a")

    server = Server(drip)
    start = time.monotonic()
    try:
        with pytest.raises(oaii.APITimeoutError, match="total timeout"):
            oaii.runs_create_run_request(
                "thread_d",
                "asst_1",
                api_key=KEY,
                base_url=f"http://127.0.0.1:{server.origin[1]}/v1",
                timeout=1,
                total_timeout=0.5,
                max_retries=0,
            )
        assert time.monotonic() - start < 3
    finally:
        stop.set()
        server.close()


def test_a_read_past_the_end_is_deadline_passed_and_before_it_reads_go_on(server: Server) -> None:
    import time

    connections = pool()
    head = encode_head(b"GET", b"/", [(b"Host", b"x")])
    with pytest.raises(_connections.DeadlinePassed, match="total timeout"):
        connections.request(server.origin, head, None, TIMEOUTS, time.monotonic() - 1)
    stream = connections.request(server.origin, head, None, TIMEOUTS, time.monotonic() + 5)
    assert b"".join(stream) == b"ok"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_stream_that_goes_silent_ends_at_total_timeout(is_async: bool) -> None:
    """After its first event the server says nothing more (each read would wait the whole
    ``timeout``): the stream still ends at ``total_timeout``."""
    import time

    import oaii

    from ..conftest import KEY

    stop = threading.Event()
    event = b"event: keepalive\ndata: {}\n\n"

    def silent(conn: socket.socket, index: int) -> None:
        next(heads(conn))
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 1000\r\n\r\n" + event
        )
        stop.wait(10)

    server = Server(silent)
    options = {
        "api_key": KEY,
        "base_url": f"http://127.0.0.1:{server.origin[1]}/v1",
        "timeout": 5,
        "total_timeout": 0.5,
        "max_retries": 0,
    }
    start = time.monotonic()
    try:
        with pytest.raises(oaii.APITimeoutError, match="total timeout"):
            if is_async:

                async def main() -> None:
                    async for _ in await oaii.runs_create_run_stream_async("thread_s", "asst_1", **options):
                        pass

                asyncio.run(main())
            else:
                for _ in oaii.runs_create_run_stream("thread_s", "asst_1", **options):
                    pass
        assert time.monotonic() - start < 3
    finally:
        stop.set()
        server.close()
