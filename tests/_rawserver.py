"""A raw HTTP/1.1 server on loopback that answers each request with crafted bytes.

Written for the hostile-server tests: it knows nothing of oaii.  Requests are
numbered in arrival order across connections; request ``i`` is answered by the
``i``-th scripted action, and every request after the script by ``good``: a
correct answer (a run, or an event stream for a stream request) whose run id,
``run_r<i>``, says which request it answers, so that an answer read on the
wrong request (a desynchronised connection) shows.

Below the server, the crafted answers the tests' rows are made of.

Every thread it starts ends on its own: each socket operation has a timeout,
each loop a deadline, and ``close()`` wakes and joins them all.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from typing import Any

#: No socket operation of the server waits longer than this.
IO_TIMEOUT = 5.0
#: No connection of the server lives longer than this.
LIFETIME = 8.0

RUN_FIELDS: dict[str, Any] = {
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
}


def _conform(run: dict[str, Any]) -> dict[str, Any]:
    # The local server's helper shapes a run to the spec in use (a v1 regeneration requires
    # file_ids); it is the server's, not the client's under test.
    from oaii.server._schema import conform

    shaped: dict[str, Any] = conform("RunObject", run)
    return shaped


def run_json(run_id: str) -> bytes:
    return json.dumps(_conform({"id": run_id, **RUN_FIELDS})).encode()


def sse_body(run_id: str) -> bytes:
    run = run_json(run_id)
    return (
        b"event: thread.run.created\ndata: " + run + b"\n\n"
        b"event: thread.run.queued\ndata: " + run + b"\n\n"
        b"event: done\ndata: [DONE]\n\n"
    )


def head(
    status: bytes = b"200 OK",
    *headers: bytes,
    version: bytes = b"HTTP/1.1",
) -> bytes:
    """A response head: ``headers`` are whole lines without CRLF."""
    return version + b" " + status + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n"


def response(
    body: bytes,
    status: bytes = b"200 OK",
    *headers: bytes,
    content_type: bytes | None = b"application/json",
    version: bytes = b"HTTP/1.1",
    length: bool = True,
) -> bytes:
    """A whole response: ``Content-Length`` framed unless ``length`` is False (then the
    caller frames it: chunked, or delimited by the close)."""
    lines = list(headers)
    if content_type is not None:
        lines.insert(0, b"Content-Type: " + content_type)
    if length:
        lines.append(b"Content-Length: %d" % len(body))
    return head(status, *lines, version=version) + body


def chunked(*parts: bytes, ext: bytes = b"", trailers: Iterable[bytes] = ()) -> bytes:
    """A chunked body: one chunk per part (``ext`` after each size), then the trailers."""
    body = b"".join(b"%x%s\r\n%s\r\n" % (len(part), ext, part) for part in parts)
    return body + b"0\r\n" + b"".join(t + b"\r\n" for t in trailers) + b"\r\n"


class Request:
    """A request as the server read it."""

    def __init__(self, index: int, connection: int, head: bytes, body: bytes) -> None:
        self.index = index
        self.connection = connection
        self.head = head
        self.body = body

    @property
    def op(self) -> str:
        if self.head.startswith(b"GET "):
            return "get"
        return "stream" if b"text/event-stream" in self.head.lower() else "create"

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        for line in self.head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == wanted:
                return value.strip().decode("latin-1")
        return None

    def good_body(self, run_id: str | None = None) -> bytes:
        run_id = run_id or f"run_r{self.index}"
        return sse_body(run_id) if self.op == "stream" else run_json(run_id)

    @property
    def content_type(self) -> bytes:
        return b"text/event-stream" if self.op == "stream" else b"application/json"

    def good(self, run_id: str | None = None) -> bytes:
        """The correct answer to this request."""
        return response(self.good_body(run_id), content_type=self.content_type)


class Conn:
    """One accepted connection, as an action sees it."""

    def __init__(self, server: RawServer, sock: socket.socket, number: int) -> None:
        self.server = server
        self.sock = sock
        self.number = number
        self.buffer = b""
        self.deadline = time.monotonic() + LIFETIME

    def send(self, data: bytes) -> bool:
        """Send ``data``; False if the client is gone (or the server stops, or the deadline passed)."""
        view = memoryview(data)
        while view:
            if self.server.stopping.is_set() or time.monotonic() > self.deadline:
                return False
            try:
                view = view[self.sock.send(view) :]
            except TimeoutError:  # the client is not reading yet: try again
                continue
            except OSError:
                return False
        return True

    def drip(self, data: bytes, interval: float, *, max_seconds: float = LIFETIME) -> bool:
        """Send ``data`` a byte every ``interval`` s, for at most ``max_seconds``; False if cut short."""
        end = min(self.deadline, time.monotonic() + max_seconds)
        for index in range(len(data)):
            if not self.send(data[index : index + 1]):
                return False
            if self.server.stopping.wait(interval) or time.monotonic() > end:
                return False
        return True

    def flood(self, piece: bytes, *, max_bytes: int = 256 * 1024 * 1024) -> int:
        """Send ``piece`` again and again until the client stops reading; bytes sent."""
        sent = 0
        while sent < max_bytes and not self.server.stopping.is_set() and time.monotonic() < self.deadline:
            if not self.send(piece):
                break
            sent += len(piece)
        return sent

    def hold(self) -> None:
        """Keep the connection open, reading and discarding, until the client closes it."""
        while not self.server.stopping.is_set() and time.monotonic() < self.deadline:
            try:
                if not self.sock.recv(65536):
                    return
            except TimeoutError:
                continue
            except OSError:
                return

    def fin(self) -> None:
        """End the connection with a FIN (after which whatever the client sends is discarded)."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_WR)
        self.server.note("fins")
        self.hold()  # read until the client closes: a close with unread data would send a RST

    def rst(self) -> None:
        """End the connection with a RST."""
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()
        self.server.note("rsts")

    def read_head(self) -> bytes | None:
        while b"\r\n\r\n" not in self.buffer:
            data = self._recv()
            if not data:
                return None
            self.buffer += data
        found, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return found

    def read_body(self, head: bytes) -> bytes | None:
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(self.buffer) < length:
            data = self._recv()
            if not data:
                return None
            self.buffer += data
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return body

    def _recv(self) -> bytes:
        while not self.server.stopping.is_set() and time.monotonic() < self.deadline:
            try:
                return self.sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return b""
        return b""


#: What answers a request: it may send anything; True keeps the connection for another request.
Action = Callable[[Conn, Request], bool]


def send(payload: bytes | Callable[[Request], bytes], then: str = "keep") -> Action:
    """An action: send ``payload`` (or ``payload(request)``), then ``keep`` the connection for the
    next request, end it (``fin``, ``rst``), or ``hold`` it open answering nothing more."""

    def action(conn: Conn, request: Request) -> bool:
        data = payload(request) if callable(payload) else payload
        if not conn.send(data):
            return False
        return finish(conn, then)

    return action


def finish(conn: Conn, then: str) -> bool:
    if then == "keep":
        return True
    {"fin": conn.fin, "rst": conn.rst, "hold": conn.hold}[then]()
    return False


def gated(payload: bytes | Callable[[Request], bytes], then: str, *, late: bytes | None = None) -> Action:
    """Send ``payload``; once the test sets ``server.gate``, send ``late`` (if any, counted in
    ``late``) and go on as ``then`` says."""

    def action(conn: Conn, request: Request) -> bool:
        data = payload(request) if callable(payload) else payload
        if not conn.send(data) or not conn.server.gate.wait(IO_TIMEOUT):
            return False
        if late is not None:
            conn.send(late)
            conn.server.note("late")
        return finish(conn, then)

    return action


def good(conn: Conn, request: Request) -> bool:
    return conn.send(request.good())


class RawServer:
    """Answers request ``i`` with ``actions[i]``, and any later one with ``default``.

    ``early``: indexes of requests answered after their head only (their body left unread).
    ``silent``: how many connections, the first ones, are accepted and then never read nor answered.
    ``gate``: an event a test sets to let a ``gated`` action go on.
    Counters (``accepts``, ``fins``, ``rsts``, ``closed``) change under ``changed``;
    ``wait_for`` waits on them without polling.
    """

    def __init__(
        self,
        *actions: Action,
        default: Action = good,
        host: str = "127.0.0.1",
        early: Iterable[int] = (),
        silent: int = 0,
    ) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.create_server((host, 0), family=family)  # listening: connects succeed now
        self.sock.settimeout(IO_TIMEOUT)
        self.actions = list(actions)
        self.default = default
        self.early = set(early)
        self.silent = silent
        self.gate = threading.Event()
        self.requests: list[Request] = []
        self.counts = {"accepts": 0, "fins": 0, "rsts": 0, "closed": 0, "late": 0}
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.sockets: list[socket.socket] = []
        self.threads: list[threading.Thread] = []
        self.failures: list[BaseException] = []
        self._start(self._accept)

    # ------------------------------------------------------------ the client's view

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/v1"

    def note(self, counter: str) -> None:
        with self.changed:
            self.counts[counter] += 1
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[RawServer], bool], timeout: float = IO_TIMEOUT) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout)

    # ------------------------------------------------------------------ serving

    def _start(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=self._guarded, args=(target, *args), daemon=True)
        self.threads.append(thread)
        thread.start()

    def _guarded(self, target: Callable[..., None], *args: Any) -> None:
        try:
            target(*args)
        except Exception as exc:
            self.failures.append(exc)

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # shut down: the test is over
                return
            sock.settimeout(0.1)  # short, so loops see ``stopping`` soon; they retry until their deadline
            with self.changed:
                number = self.counts["accepts"]
                self.counts["accepts"] += 1
                self.sockets.append(sock)
                self.changed.notify_all()
            if number < self.silent:
                self._start(self._silent, sock)
            else:
                self._start(self._connection, Conn(self, sock, number))

    def _silent(self, sock: socket.socket) -> None:
        self.stopping.wait(LIFETIME)
        sock.close()

    def _connection(self, conn: Conn) -> None:
        try:
            while True:
                request_head = conn.read_head()
                if request_head is None:
                    return
                with self.changed:
                    index = len(self.requests)
                    request = Request(index, conn.number, request_head, b"")
                    self.requests.append(request)
                    self.changed.notify_all()
                if index not in self.early:
                    body = conn.read_body(request_head)
                    if body is None:
                        return
                    request.body = body
                action = self.actions[index] if index < len(self.actions) else self.default
                if not action(conn, request):
                    return
        finally:
            with contextlib.suppress(OSError):
                conn.sock.close()
            self.note("closed")

    def close(self) -> None:
        """Stop: wake every thread, join them, and report an action that raised."""
        self.stopping.set()
        for sock in [self.sock, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        for thread in self.threads:
            thread.join(IO_TIMEOUT)
        alive = [t for t in self.threads if t.is_alive()]
        assert not alive, f"{len(alive)} server threads did not end"
        assert not self.failures, f"the raw server failed: {self.failures!r}"

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------- crafted answers (the tests' rows)


def ct(request: Request) -> bytes:
    return b"Content-Type: " + request.content_type


def framed(request: Request, *lines: bytes, status: bytes = b"200 OK", body: bytes | None = None) -> bytes:
    """The right body for ``request`` under a head of our making (no framing header added)."""
    payload = request.good_body() if body is None else body
    return head(status, ct(request), *lines) + payload


def cut(keep: int) -> Callable[[Request], bytes]:
    """The right answer, declared whole, but only ``keep`` bytes of its body sent."""

    def payload(request: Request) -> bytes:
        body = request.good_body()
        return framed(request, b"Content-Length: %d" % len(body), body=body[:keep])

    return payload


def declared(length: Callable[[int], bytes], *extra: bytes) -> Callable[[Request], bytes]:
    """The right body with ``Content-Length: <length(real length)>``."""

    def payload(request: Request) -> bytes:
        body = request.good_body()
        return framed(request, *extra, b"Content-Length: " + length(len(body)))

    return payload


def chunks(
    *, ext: bytes = b"", trailers: tuple[bytes, ...] = (), extra: tuple[bytes, ...] = ()
) -> Callable[[Request], bytes]:
    def payload(request: Request) -> bytes:
        body = request.good_body()
        parts = [body[i : i + 40] for i in range(0, len(body), 40)]
        return framed(
            request,
            *extra,
            b"Transfer-Encoding: chunked",
            body=chunked(*parts, ext=ext, trailers=trailers),
        )

    return payload


def bad_chunk(size: bytes) -> Callable[[Request], bytes]:
    def payload(request: Request) -> bytes:
        body = request.good_body()
        return framed(request, b"Transfer-Encoding: chunked", body=size + b"\r\n" + body + b"\r\n0\r\n\r\n")

    return payload


def with_head(
    *lines: bytes, status: bytes = b"200 OK", version: bytes = b"HTTP/1.1"
) -> Callable[[Request], bytes]:
    """The right body, Content-Length framed, under a status line and extra header lines of ours."""

    def payload(request: Request) -> bytes:
        body = request.good_body()
        return head(status, ct(request), *lines, b"Content-Length: %d" % len(body), version=version) + body

    return payload


def error_answer(status: bytes, *lines: bytes, message: str = "bad request") -> Callable[[Request], bytes]:
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
    return lambda request: response(body, status, *lines)


def before_final(*informational: bytes) -> Callable[[Request], bytes]:
    return lambda request: b"".join(informational) + request.good()


def then_unsolicited(request: Request) -> bytes:
    """The right answer, then a whole second response nobody asked for (a response splitting)."""
    return request.good() + request.good("run_EVIL")


def no_content_smuggling(request: Request) -> bytes:
    """A 204 whose "body" is a whole response for the next request."""
    evil = request.good("run_EVIL")
    return head(b"204 No Content", b"Content-Length: %d" % len(evil)) + evil


def te_and_cl(request: Request) -> bytes:
    """Chunked and a (wrong, short) Content-Length: read by the length, the rest would poison the connection."""
    body = request.good_body()
    return framed(
        request,
        b"Content-Length: 5",
        b"Transfer-Encoding: chunked",
        body=chunked(body),
    )


def close_delimited(version: bytes = b"HTTP/1.1") -> Callable[[Request], bytes]:
    return lambda request: head(b"200 OK", ct(request), version=version) + request.good_body()


def content(
    data: Callable[[Request], bytes] | bytes,
    *lines: bytes,
    status: bytes = b"200 OK",
    content_type: bytes | None = b"application/json",
) -> Callable[[Request], bytes]:
    """A Content-Length framed answer with body ``data`` (whatever the request)."""

    def payload(request: Request) -> bytes:
        body = data(request) if callable(data) else data
        return response(body, status, *lines, content_type=content_type)

    return payload


def encoded(packer: Callable[[bytes], bytes], coding: bytes) -> Callable[[Request], bytes]:
    def payload(request: Request) -> bytes:
        return response(
            packer(request.good_body()),
            b"200 OK",
            b"Content-Encoding: " + coding,
            content_type=request.content_type,
        )

    return payload


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


GZIP_BOMB = gzip.compress(b"\0" * 20_000_000, 9)  # ~20 KB that inflate to 20 MB
HTML_502 = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
DEEP = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
HUGE_MESSAGE = json.dumps({"error": {"message": "m" * 5_000_000, "type": "invalid_request_error"}}).encode()


def by_op(
    create: Callable[[Request], bytes], stream: Callable[[Request], bytes]
) -> Callable[[Request], bytes]:
    """A create's (and get's) payload, or a stream's."""
    return lambda request: stream(request) if request.op == "stream" else create(request)


def sse_event(name: bytes, data: bytes) -> Callable[[Request], bytes]:
    return lambda request: response(
        b"event: " + name + b"\ndata: " + data + b"\n\n", content_type=b"text/event-stream"
    )


def endless_head(piece: bytes) -> Action:
    """A status line, then ``piece`` again and again (64 MiB at most): a header line that never ends
    (``piece`` without CRLF: its name is sent once, the value repeats) or header lines without end."""

    def action(conn: Conn, request: Request) -> bool:
        name, colon, value = piece.partition(b": ")
        one_line = colon and b"\r\n" not in piece
        conn.send(b"HTTP/1.1 200 OK\r\n" + (name + colon if one_line else b""))
        conn.flood(value if one_line else piece, max_bytes=64 * 1024 * 1024)
        return finish(conn, "rst")

    return action


def early_413(drain: bool) -> Action:
    """413 as soon as the head is read, before the body: then read the body away, or close at once."""

    def action(conn: Conn, request: Request) -> bool:
        conn.send(
            response(b'{"error": {"message": "too large"}}', b"413 Payload Too Large", b"Connection: close")
        )
        if not drain:
            conn.sock.close()  # the unread body makes this a RST
            return False
        if conn.read_body(request.head) is not None:  # read away, as nginx's lingering close does
            conn.fin()
        return False

    return action


def drip_body(conn: Conn, request: Request) -> bool:
    body = request.good_body()
    conn.send(head(b"200 OK", ct(request), b"Content-Length: %d" % len(body)))
    conn.drip(body, 0.05, max_seconds=3.0)
    return False


def drip_head(conn: Conn, request: Request) -> bool:
    conn.send(b"HTTP/1.1 200 OK\r\n")
    conn.drip(b"X-Pad: " + b"a" * 1000, 0.05, max_seconds=1.0)
    return False


def echoed(request: Request) -> str:
    return request.head.decode("latin-1")


def authorization(request: Request) -> bytes:
    return (request.header("Authorization") or "").encode("latin-1")
