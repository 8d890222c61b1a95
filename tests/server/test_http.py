"""The local server's HTTP/1.1 edges as llhttp meets them, over real sockets: upgrades,
request smuggling shapes, keep-alive of HTTP/1.0, Host, drips and floods."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from oaii.server import Fault, LocalServer

from ..conftest import KEY

AUTH = f"Authorization: Bearer {KEY}\r\nOpenAI-Beta: assistants=v2\r\n"
CREATE = b'{"assistant_id": "asst_1"}'


def connect(server: LocalServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def until_close(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def exchange(server: LocalServer, data: bytes) -> bytes:
    """Send bytes on a fresh connection; everything that comes back until the server closes."""
    with connect(server) as sock:
        sock.sendall(data)
        return until_close(sock)


def read_response(sock: socket.socket, buffer: bytes = b"") -> tuple[bytes, bytes]:
    """(one Content-Length framed response, what followed it)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, f"closed before a whole head: {buffer!r}"
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = next(
        int(line[15:]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def create(thread: str, extra: str = "", version: str = "1.1") -> bytes:
    return (
        f"POST /v1/threads/{thread}/runs HTTP/{version}\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
        f"Content-Length: {len(CREATE)}\r\n{extra}\r\n"
    ).encode() + CREATE


def list_runs(thread: str, extra: str = "", version: str = "1.1") -> bytes:
    return f"GET /v1/threads/{thread}/runs HTTP/{version}\r\nHost: x\r\n{AUTH}{extra}\r\n".encode()


# ------------------------------------------------------------- malformed: 400 and close


@pytest.mark.parametrize(
    "request_bytes",
    [
        # request smuggling shapes: two framings, or a coding that is not chunked
        (
            f"POST /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Length: 26\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        + CREATE,
        f"POST /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Transfer-Encoding: gzip\r\n\r\n".encode(),
        (
            f"POST /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Transfer-Encoding: chunked, chunked"
            "\r\n\r\n0\r\n\r\n"
        ).encode(),
        # obs-fold, NUL and a space in a header name
        f"GET /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}X-Folded: a\r\n b\r\n\r\n".encode(),
        f"GET /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}X-Nul: a\x00b\r\n\r\n".encode(),
        f"GET /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}X Bad: b\r\n\r\n".encode(),
        # a method llhttp does not know, bare LF line ends, an unknown version, a TLS hello
        f"FROB /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode(),
        f"GET /v1/threads/thread_s/runs HTTP/1.1\nHost: x\n{AUTH}\n".encode(),
        b"GET /v1/threads/thread_s/runs HTTP/1.7\r\nHost: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(40)),
        # Host: missing, or twice
        f"GET /v1/threads/thread_s/runs HTTP/1.1\r\n{AUTH}\r\n".encode(),
        f"GET /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\nhost: y\r\n{AUTH}\r\n".encode(),
        # an upgrade (or CONNECT) whose body llhttp would hand over as the new protocol's
        (
            f"POST /v1/threads/thread_s/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Connection: Upgrade\r\n"
            f"Upgrade: websocket\r\nContent-Length: {len(CREATE)}\r\n\r\n"
        ).encode()
        + CREATE,
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    ],
    ids=[
        "CL and TE",
        "TE gzip",
        "TE chunked twice",
        "obs-fold",
        "NUL in a value",
        "space in a name",
        "unknown method",
        "bare LF",
        "HTTP/1.7",
        "TLS hello",
        "no Host",
        "two Hosts",
        "Upgrade with a body",
        "CONNECT",
    ],
)
def test_malformed_requests_get_400_then_close(server: LocalServer, request_bytes: bytes) -> None:
    response = exchange(server, request_bytes)  # returns only once the server closed
    assert status_of(response) == 400 and b"Malformed HTTP request" in response
    assert response.count(b"HTTP/1.1 ") == 1
    assert server.requests == []  # never reached the API


def test_http10_needs_no_host(server: LocalServer) -> None:
    response = exchange(server, list_runs("thread_10", version="1.0"))
    assert status_of(response) == 200 and b"connection: close" in response.lower()


# ------------------------------------------------------------------------ keep-alive


def test_http10_keep_alive_is_honoured(server: LocalServer) -> None:
    with connect(server) as sock:
        rest = b""
        for thread in ("thread_k1", "thread_k2"):
            sock.sendall(create(thread, "Connection: keep-alive\r\n", version="1.0"))
            response, rest = read_response(sock, rest)
            assert status_of(response) == 200 and thread.encode() in response
            assert b"connection: keep-alive" in response.lower()
        sock.sendall(list_runs("thread_k1", version="1.0"))  # no keep-alive: answered, then closed
        last = rest + until_close(sock)
    assert status_of(last) == 200 and last.count(b"HTTP/1.1 ") == 1


def test_upgrade_is_declined_and_the_connection_stays_http(server: LocalServer) -> None:
    upgrade = list_runs(
        "thread_u",
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n",
    )
    with connect(server) as sock:
        sock.sendall(upgrade + create("thread_u"))  # pipelined behind the upgrade request
        first, rest = read_response(sock)
        second, _ = read_response(sock, rest)
    assert first.startswith(b"HTTP/1.1 200 OK") and b'"object": "list"' in first
    assert second.startswith(b"HTTP/1.1 200 OK") and b'"thread.run"' in second


# ----------------------------------------------------------------- bodies and drips


def test_chunked_body_with_trailers_dripped_a_byte_at_a_time(server: LocalServer) -> None:
    head = f"POST /v1/threads/thread_d/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n"
    body = b"".join(
        b"%x\r\n%s\r\n" % (len(CREATE[i : i + 3]), CREATE[i : i + 3]) for i in range(0, len(CREATE), 3)
    )
    request = head.encode() + body + b"0\r\nX-Trailer: yes\r\n\r\n"
    with connect(server) as sock:
        for index in range(len(request)):
            sock.send(request[index : index + 1])
        response, _ = read_response(sock)
    assert status_of(response) == 200 and server.requests[-1].json() == {"assistant_id": "asst_1"}
    assert "X-Trailer" not in server.requests[-1].headers


def test_a_long_header_dripped_a_byte_at_a_time_is_read(server: LocalServer) -> None:
    request = list_runs("thread_long", f"X-Long: {'v' * 8000}\r\n")
    with connect(server) as sock:
        for index in range(len(request)):
            sock.send(request[index : index + 1])
        response, _ = read_response(sock)
    assert status_of(response) == 200
    assert server.requests[-1].headers["X-Long"] == "v" * 8000


def _endless_head(server: LocalServer, piece: int, pieces: int) -> bytes:
    """What the server answers a header that never ends, sent in small pieces until it does."""
    with connect(server) as sock:
        sock.sendall(b"GET /v1/threads/thread_1/runs HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        answer = b""
        for _ in range(pieces):
            try:
                sock.sendall(b"a" * piece)
            except OSError:
                break
            if answer := _peek(sock):
                break
        return answer + until_close(sock)


def test_a_head_without_end_is_cut_at_the_limit() -> None:
    with LocalServer(create_missing=True, max_header_bytes=4096) as server:
        assert status_of(_endless_head(server, 16, 10_000)) == 431


def _peek(sock: socket.socket) -> bytes:
    sock.setblocking(False)
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return b""
    finally:
        sock.setblocking(True)


def test_expect_continue_with_too_large_a_body_gets_413_and_no_100() -> None:
    with LocalServer(create_missing=True, max_body_bytes=1000) as server:
        head = (
            f"POST /v1/threads/thread_e/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Expect: 100-continue\r\n"
            "Content-Length: 5000\r\n\r\n"
        )
        response = exchange(server, head.encode())
    assert status_of(response) == 413 and b" 100 " not in response


# ------------------------------------------------------------------- many requests


def test_a_flood_of_pipelined_requests_is_answered_in_order_with_reading_paused() -> None:
    count = 20_000
    with LocalServer(create_missing=True, max_recorded=10) as server, connect(server) as sock:
        requests = b"".join(
            f"GET /v1/threads/thread_f/runs/run_{i} HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode()
            for i in range(count)
        )
        sender = threading.Thread(target=sock.sendall, args=(requests,), daemon=True)
        sender.start()  # the client reads nothing yet: the server must stop reading it
        deadline = time.monotonic() + 20
        while not any(not c.transport.is_reading() for c in list(server.connections) if c.transport):
            assert time.monotonic() < deadline, "the server never paused reading"
            time.sleep(0.01)
        buffered = max(c.transport.get_write_buffer_size() for c in list(server.connections) if c.transport)
        assert buffered < 8 * 2**20  # answers waiting for the client stay bounded
        seen = 0
        rest = b""
        while seen < count:
            response, rest = read_response(sock, rest)
            assert status_of(response) == 404 and f"'run_{seen}'".encode() in response
            seen += 1
        sender.join(10)
    assert seen == count and not sender.is_alive()


def test_an_error_inside_the_api_is_a_500_and_the_server_goes_on(server: LocalServer) -> None:
    server.inject(Fault("patch", patch={"metadata": object()}))  # cannot be serialised
    with connect(server) as sock:
        sock.sendall(create("thread_500"))
        response = until_close(sock)
    assert status_of(response) == 500 and b"server_error" in response
    assert status_of(exchange(server, list_runs("thread_500", "Connection: close\r\n"))) == 200


def test_http10_expect_is_ignored_and_a_long_target_is_431(server: LocalServer) -> None:
    response = exchange(server, create("thread_e10", "Expect: 100-continue\r\n", version="1.0"))
    assert status_of(response) == 200 and b" 100 " not in response
    long_target = f"GET /v1/threads/thread_1/runs?x={'a' * 20_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    assert status_of(exchange(server, long_target)) == 431


def test_many_pipelined_upgrades_in_one_read_are_each_declined(server: LocalServer) -> None:
    count = 3000  # each upgrade restarts the parser on the rest of the read: no copy of it
    upgrade = list_runs("thread_many", "Connection: Upgrade\r\nUpgrade: websocket\r\n")
    with connect(server) as sock:
        sock.sendall(upgrade * count)
        rest = b""
        for _ in range(count):
            response, rest = read_response(sock, rest)
            assert status_of(response) == 200


def test_a_refusal_reaches_a_client_that_is_still_sending() -> None:
    """A 431 sent while the head still streams in: closing with the client's bytes unread
    would reset the connection and could destroy the answer before it is read, so the
    server half-closes and drops what still comes (a lingering close)."""
    with LocalServer(create_missing=True, max_header_bytes=1024) as server:
        for _ in range(30):
            answer = _endless_head(server, 64, 1000)
            # 431 once the limit is passed; a machine starved past read_timeout sends 408
            # first.  Either way the refusal must arrive whole, not be lost to a reset.
            assert status_of(answer) in (431, 408) and answer.endswith(b"}")
