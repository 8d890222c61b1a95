"""HTTP/1.1 on asyncio, parsed by llhttp (httptools): connections, limits, timeouts and faults.

Each connection is an ``asyncio.Protocol`` feeding an ``httptools.HttpRequestParser``
whose callbacks gather one request at a time.  The API answers synchronously (a run
is made in microseconds), so each response is made whole from inside the parse and
leaves at the end of the loop's turn (``Outbox``) in one ``transport.write``:
pipelined requests are answered in order without a queue, and only the timed faults
(``drip``, ``hang``) run as tasks.

llhttp refuses what h11 refused (a bad or repeated Content-Length, both
Content-Length and Transfer-Encoding, obs-fold, control bytes in a header); this
module adds the limits, Host, ``Expect: 100-continue``, keep-alive and Upgrade.
"""

from __future__ import annotations

import asyncio
import collections.abc
import itertools
import os
import socket
import struct
import time
from http import HTTPStatus
from typing import TYPE_CHECKING

import httptools

from ._api import Reply, error
from ._live import LiveStream
from ._records import Fault, RecordedRequest

if TYPE_CHECKING:
    from . import LocalServer

STATUS_LINES = {int(s): b"HTTP/1.1 %d %s\r\n" % (s, s.phrase.encode()) for s in HTTPStatus}
FRAMING = b"server: oaii-local\r\ncontent-length: %d\r\n\r\n"
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
# A live stream (see _live): chunked, and the connection's last answer (what a client pipelined
# behind it is not read while it runs).
LIVE_FRAMING = b"server: oaii-local\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
METHODS = {m.encode(): m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")}
# The clock of the deadlines (the sweeper's too): the loop's own, without its method call.
_clock = time.monotonic
#: After an answer that ends a connection in the middle of a request, how long (and for how
#: many bytes) the server still reads and drops what the client sends (see ``_refused``).
LINGER_SECONDS = 2.0
LINGER_BYTES = 1 << 20


class Limits:
    def __init__(
        self,
        *,
        max_connections: int,
        max_header_bytes: int,
        max_body_bytes: int,
        idle_timeout: float,
        read_timeout: float,
    ) -> None:
        self.max_connections = max_connections
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout


class RequestIds:
    """A server's ``x-request-id`` values: its own letters and a count (they name responses,
    they guard nothing).  The letters come from ``os.urandom``, not a random stream a seed
    or a fork would repeat; a count costs less than a random number formatted to a width."""

    def __init__(self) -> None:
        # The id and the framing in one formatting.
        letters = os.urandom(4).hex().encode()
        self.framing = b"x-request-id: req_" + letters + b"%d\r\n" + FRAMING
        self.live_framing = b"x-request-id: req_" + letters + b"%d\r\n" + LIVE_FRAMING
        self.count = itertools.count(1)


class Outbox:
    """Answers are sent at the end of the event loop's turn, after every request that
    turn brought has been answered: a client woken by the first answer is still awake
    for the next ones (a wake-up costs the sender more than the answer), and answers
    pipelined on one connection leave in one write.

    The end of the turn is now when no other callback is waiting in it (asyncio's
    ``_ready``: the last read of a turn, and every read of a lone connection, sends at
    once instead of a loop iteration later); else, and on a loop without that queue,
    a callback at the turn's end sends them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: list[Connection] = []
        self.scheduled = False
        self.turn: collections.abc.Sized | None = getattr(loop, "_ready", None)

    def add(self, conn: Connection) -> None:
        self.waiting.append(conn)

    def read_done(self) -> None:
        """A read has been answered: send now if the turn ends here, else at its end."""
        if not self.waiting or self.scheduled:
            return
        turn = self.turn
        if turn is not None and not turn:
            self.flush()
        else:
            self.scheduled = True
            self.loop.call_soon(self.flush)

    def at_turn_end(self, conn: Connection) -> None:
        """Send ``conn``'s answers at the end of this turn: what a task writes in one turn
        (a run's events, several at once) leaves in one write."""
        if not conn.out:
            self.waiting.append(conn)
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self.flush)

    def flush(self) -> None:
        self.scheduled = False
        waiting, self.waiting = self.waiting, []
        for conn in waiting:
            conn.flush()


class _Refuse(Exception):
    """Answer ``reply`` and close: the request cannot be read on."""

    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply


class _Stop(Exception):
    """The rest of this read is not for us: the connection is closing, or a fault owns it."""


def _malformed(why: str) -> _Refuse:
    return _Refuse(error(400, f"Malformed HTTP request: {why[:200]}"))


class _NoCallbacks:
    pass


#: What a closed connection's parser becomes (nothing is fed to it again).
_CLOSED_PARSER = httptools.HttpRequestParser(_NoCallbacks())


class Connection(asyncio.Protocol):
    def __init__(self, owner: LocalServer) -> None:
        self.owner = owner
        self.limits = owner.limits
        self.max_header_bytes = self.limits.max_header_bytes
        self.max_body_bytes = self.limits.max_body_bytes
        self.loop = asyncio.get_running_loop()
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.outbox: Outbox = owner.outbox
        self.id_framing = owner.request_ids.framing
        self.next_id = owner.request_ids.count.__next__
        self.out: list[bytes] = []  # answers not yet written (see Outbox)
        self.commit = owner.store.commit
        # The request being parsed.
        self.method = b""  # read from the parser once the head is complete
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.lowered: dict[bytes, bytes] = {}
        self.parts: list[bytes] = []
        self.head_size = 0  # bytes of request line and headers (and trailers) so far
        self.body_size = 0
        self.framed_size = 0  # raw bytes of a chunked body so far
        self.in_head = True
        self.keep_alive = True
        self.http10 = False  # an HTTP/1.0 request kept alive: its answers say so
        # A head, or a chunked body's framing, is read by lines: a read with no newline waits
        # in ``pending`` (bounded) for one that ends a line, so that llhttp never gets a line in
        # many pieces (httptools joins a header's pieces by copying: quadratic when it drips).
        self.lines = True
        self.line_limit = self.limits.max_header_bytes
        self.pending = bytearray()
        # Bytes of the head being read, as sent, when it began with a read (None: it began inside
        # one, after the request before it); the last bytes of them, for a blank line split
        # between reads; whether a request was completed in the read being parsed.
        self.raw_head: int | None = 0
        self.head_tail = b""
        self.completed = False
        self.busy = False  # a timed fault owns the connection
        self.draining = False  # answered and half-closed: what still comes is dropped
        self.drained = 0
        self.deadline = 0.0  # _clock() past which the connection is timed out
        self.read_at = 0.0  # _clock() at the latest read
        self.reading = False  # inside a request (read timeout) or between (idle timeout)
        self.live: LiveStream | None = None  # a run's stream being written (busy meanwhile)
        self.live_chunked = True

    # ---------------------------------------------------------------- asyncio

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        conns = self.owner.connections
        if len(conns) >= self.limits.max_connections:
            reply = error(503, "Too many connections to the local server; try again.", type_="server_error")
            self._write_reply(reply, close=True)
            return
        conns.add(self)
        self.deadline = _clock() + self.limits.idle_timeout

    def connection_lost(self, exc: Exception | None) -> None:
        self.owner.connections.discard(self)
        self.transport = None
        # The parser holds this connection's methods (a cycle): without it, the connection and
        # what it holds are freed now by their counts, not later by the cyclic collector (whose
        # passes stop the loop, and every stream with it).
        self.parser = _CLOSED_PARSER
        self.out.clear()
        live, self.live = self.live, None
        if live is not None:
            live.detach()  # the client went away; its run goes on

    def flush(self) -> None:
        """Write the answers waiting for this connection, in one write: after the store has
        made durable what they answer (a no-op in memory; one commit per loop turn in SQLite)."""
        out = self.out
        if out and self.transport is not None:
            try:
                self.commit()
            except Exception as exc:  # noqa: BLE001 (whatever the store raised, nothing is sent)
                # What these answers say is not durable: none is sent, the client sees the
                # connection drop (and may retry, with its Idempotency-Key).
                out.clear()
                self.transport.abort()
                self.loop.call_exception_handler(
                    {"message": "oaii local server: the store could not commit", "exception": exc}
                )
                return
            self.transport.write(out[0] if len(out) == 1 else b"".join(out))
        out.clear()

    def pause_writing(self) -> None:
        # The client does not read its answers: stop reading its requests until it does
        # (pipelined requests never pile up answers without bound).
        if self.transport is not None:
            self.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.transport is not None and not self.busy:
            self.transport.resume_reading()

    def data_received(self, data: bytes) -> None:
        if self.busy or self.transport is None:
            return
        if self.draining:
            self.drained += len(data)
            if self.drained > LINGER_BYTES:
                self.transport.abort()
            return
        now = self.read_at = _clock()
        if not self.reading:  # the first bytes of a request: the read timeout runs from here
            self.reading = True
            self.deadline = now + self.limits.read_timeout
        if self.lines and not self.in_head:
            # A chunked body's raw bytes, its framing and chunk extensions included (which no
            # callback reports), are bounded like its data.
            self.framed_size += len(data)
            if self.framed_size > self.line_limit:
                self._too_large()
                return
        if self.lines:
            pending = self.pending
            if b"\n" not in data:
                pending += data
                if len(pending) + self.head_size > self.line_limit:
                    self._refuse_oversized()
                return
            if pending:
                pending += data
                data = bytes(pending)
                pending.clear()
        raw_head = self.raw_head
        if raw_head is not None and self.in_head and raw_head + len(data) > self.max_header_bytes:
            # The head's bytes as sent (llhttp's callbacks leave out the whitespace around values,
            # so a padded head would pass the limit): up to its blank line, if this read has it.
            tail = self.head_tail
            end = (tail + data).find(b"\r\n\r\n")
            if end < 0 or raw_head - len(tail) + end + 4 > self.max_header_bytes:
                self._refuse_oversized()
                return
        self.completed = False
        rest: bytes | memoryview | None = data
        while rest:
            rest = self._feed(rest)
        if self.in_head and not self.completed and self.raw_head is not None:  # a head goes on
            self.raw_head += len(data)
            self.head_tail = (self.head_tail + data[-3:])[-3:]
        self.outbox.read_done()

    def eof_received(self) -> bool | None:
        self.flush()
        return None  # close: whatever was complete has been answered already

    def timed_out(self) -> None:
        """The sweeper found the deadline passed: 408 inside a request, silence between, and
        the end of a lingering close (``_refused``)."""
        transport = self.transport
        if transport is None or self.busy:
            return
        self.flush()
        if transport.get_write_buffer_size():
            # A client that does not read its answers: close() would wait for it forever, and
            # its slot would never free; no 408 would reach it either.
            transport.abort()
        elif self.reading and not self.draining:
            self._refused(error(408, "The request was not received in time."))
        else:
            transport.close()

    # ---------------------------------------------------------------- parsing

    def _feed(self, data: bytes | memoryview) -> memoryview | None:
        """Parse ``data``, answering each request it completes; what follows an Upgrade
        request (answered as plain HTTP/1.1, the upgrade declined) to parse afresh."""
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            self._stopped(exc.__context__)
        except httptools.HttpParserUpgrade as exc:
            if self.transport is None or self.transport.is_closing() or self.busy or self.draining:
                return None
            self.parser = httptools.HttpRequestParser(self)
            return memoryview(data)[int(exc.args[0]) :]  # no copy: a read may hold many
        except httptools.HttpParserError as exc:
            self._refused(_malformed(str(exc)).reply)
        return None

    def _stopped(self, cause: BaseException | None) -> None:
        if isinstance(cause, _Stop):
            return
        if isinstance(cause, _Refuse):
            self._refused(cause.reply)
            return
        self.loop.call_exception_handler(
            {"message": "oaii local server: error handling a request", "exception": cause, "protocol": self}
        )
        self._refused(error(500, "The server had an error processing your request.", type_="server_error"))

    def _refused(self, reply: Reply) -> None:
        """Answer, then end the connection without losing the answer.

        The client may still be sending (a body past the limit, a head that never ends).
        Closing with its bytes unread makes the kernel answer them with a reset, which can
        destroy the answer before the client reads it.  So the server half-closes (a FIN
        after the answer), then reads and drops what still comes, until the client closes,
        ``LINGER_SECONDS`` pass or ``LINGER_BYTES`` arrive.
        """
        self._write_reply(reply, close=True, linger=True)

    def _refuse_oversized(self) -> None:
        if self.in_head:
            self._refused(error(431, "The request headers are too large."))
        else:
            self._too_large()

    def _too_large(self) -> None:
        limit = self.limits.max_body_bytes
        self._refused(error(413, f"The request body is larger than {limit} bytes."))

    # httptools callbacks, in the order it calls them (the state they fill is reset once a
    # request is complete).

    def on_message_begin(self) -> None:
        # A request that begins in the read that completed the one before: from its first
        # byte, it has read_timeout to arrive (not the idle timeout of a quiet connection).
        if not self.reading:
            self.reading = True
            self.deadline = self.read_at + self.limits.read_timeout
            self.raw_head = None  # begun inside a read: its raw size is the callbacks' to count

    def on_url(self, url: bytes) -> None:
        self.url += url  # in one piece, or two when a read ended inside it (lines, above)
        size = self.head_size = self.head_size + len(url)
        if size > self.max_header_bytes:
            raise _Refuse(error(431, "The request headers are too large."))

    def on_header(self, name: bytes, value: bytes) -> None:
        size = self.head_size = self.head_size + len(name) + len(value) + 4
        if size > self.max_header_bytes:
            raise _Refuse(error(431, "The request headers are too large."))
        if self.in_head:  # not a chunked body's trailers: those are read and dropped
            self.headers.append((name, value))
            self.lowered[name.lower()] = value  # the last of a repeated name, as a dict would

    def on_headers_complete(self) -> None:
        self.in_head = False
        parser = self.parser
        # The request line's method, spaces, version and line ends, and the head's last line:
        # with on_url and on_header, the head's size as sent (but for optional whitespace).
        method = self.method = parser.get_method()
        size = self.head_size = self.head_size + len(method) + 14  # "M U HTTP/1.1\r\n" ... "\r\n"
        if size > self.max_header_bytes:
            raise _Refuse(error(431, "The request headers are too large."))
        headers, lowered = self.headers, self.lowered
        keep_alive = self.keep_alive = parser.should_keep_alive()
        # The version matters only to HTTP/1.0's keep-alive (said in the answer) and to a
        # missing Host (required from 1.1 on): asked only then.
        if b"host" in lowered:
            self.http10 = keep_alive and b"connection" in lowered and parser.get_http_version() == "1.0"
        elif parser.get_http_version() == "1.0":
            self.http10 = keep_alive
        else:
            raise _malformed("missing Host header")
        if len(lowered) < len(headers) and sum(1 for n, _ in headers if n.lower() == b"host") > 1:
            raise _malformed("repeated Host header")
        length = lowered.get(b"content-length")  # llhttp checked it: digits, and only one
        declared = int(length) if length is not None else 0
        if declared > self.max_body_bytes:
            raise _Refuse(error(413, f"The request body is larger than {self.max_body_bytes} bytes."))
        chunked = b"transfer-encoding" in lowered
        if chunked:
            codings = [v.strip().lower() for n, v in headers if n.lower() == b"transfer-encoding"]
            if codings != [b"chunked"]:  # 'identity, chunked' included: no other coding is read
                raise _malformed("Transfer-Encoding other than a single 'chunked'")
            if parser.get_http_version() == "1.0":
                # RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing:
                # it is answered, and the connection closed after it.
                self.keep_alive = False
        if parser.should_upgrade() and (declared or chunked or method == b"CONNECT"):
            # llhttp would hand the body over as the new protocol's bytes: not served here.
            raise _malformed("Upgrade (or CONNECT) with a request body is not supported")
        if b"expect" in lowered:
            waits = lowered[b"expect"].lower() == b"100-continue" and (declared or chunked)
            if waits and parser.get_http_version() != "1.0" and self.transport is not None:  # 1.0 ignores it
                self.flush()
                self.transport.write(CONTINUE)
        if chunked:
            self.lines = True
            self.line_limit = self.max_body_bytes + self.max_header_bytes
        else:
            self.lines = False

    def on_body(self, data: bytes) -> None:
        size = self.body_size = self.body_size + len(data)
        if size > self.max_body_bytes:
            raise _Refuse(error(413, f"The request body is larger than {self.max_body_bytes} bytes."))
        self.parts.append(data)

    def on_message_complete(self) -> None:
        self.in_head = True
        self.completed = True
        self.raw_head, self.head_tail = 0, b""  # the next head, from the next read's first byte
        self.lines = True
        self.line_limit = self.max_header_bytes
        self.reading = False
        self.deadline = self.read_at + self.limits.idle_timeout  # answered within the read
        parts = self.parts
        self._dispatch(parts[0] if len(parts) == 1 else b"".join(parts))
        self.url = b""
        self.headers = []
        self.lowered = {}
        self.parts = []
        self.head_size = 0
        self.body_size = 0
        self.framed_size = 0
        transport = self.transport
        if transport is None or transport.is_closing() or self.busy or self.draining:
            raise _Stop

    # ---------------------------------------------------------------- answers

    def _dispatch(self, body: bytes) -> None:
        owner = self.owner
        method = METHODS.get(self.method) or self.method.decode("ascii", "replace")
        target = self.url
        if target[:1] != b"/" and target[:4].lower() == b"http":
            # absolute-form (RFC 9112 3.2.2: a server MUST accept it): the route is in its path
            scheme_end = target.find(b"://")
            path_start = target.find(b"/", scheme_end + 3) if scheme_end > 0 else -1
            target = target[path_start:] if path_start > 0 else b"/"
        # RecordedRequest takes the header list (it redacts the key in place): the API reads
        # ``lowered``, made before.  Where Authorization is, the names say: with none repeated,
        # ``lowered`` has them in the order sent.
        headers, lowered = self.headers, self.lowered
        if b"authorization" not in lowered:
            key_at: int | None = None
        elif len(lowered) == len(headers):
            key_at = list(lowered).index(b"authorization")
        else:
            key_at = -1  # look at each
        owner.recorder.add(
            RecordedRequest(method, target, headers, body, size=self.head_size + len(body), key_at=key_at)
        )
        fault = owner.faults.pop()
        if fault is not None and fault.kind not in ("patch", "drop_response"):
            self._fault(fault, head_only=method == "HEAD")
            return
        path, _, query_string = target.decode("latin-1").partition("?")
        reply = owner.api.handle(method, path, query_string, self.lowered, body, fault)
        if fault is not None and fault.kind == "drop_response":
            assert self.transport is not None
            self.flush()
            self.commit()  # done in full: durable like any request, though its answer is lost
            self.transport.close()  # never answered
            return
        if reply.live is not None:
            self._write_live(reply, reply.live)
            return
        if self.keep_alive and not self.http10 and method != "HEAD" and self.transport is not None:
            # _write_reply's common case, inline: HTTP/1.1 kept alive, a body, the server's own id.
            out = self.out
            if not out:
                self.outbox.add(self)
            body = reply.body
            out.append(
                b"".join(
                    (
                        STATUS_LINES.get(reply.status) or b"HTTP/1.1 %d \r\n" % reply.status,
                        reply.headers,
                        self.id_framing % (self.next_id(), len(body)),
                        body,
                    )
                )
            )
            return
        self._write_reply(reply, close=not self.keep_alive, head_only=method == "HEAD")

    def _write_reply(
        self,
        reply: Reply,
        *,
        close: bool = False,
        linger: bool = False,
        head_only: bool = False,
        own_id: bool = True,
    ) -> None:
        """Write a whole response at once: status line, headers and body in one write."""
        transport = self.transport
        if transport is None:
            return
        body = reply.body
        if close:
            connection = b"connection: close\r\n"
        else:
            connection = b"connection: keep-alive\r\n" if self.http10 else b""
        if not self.out:
            self.outbox.add(self)
        self.out.append(
            b"".join(
                (
                    STATUS_LINES.get(reply.status) or b"HTTP/1.1 %d \r\n" % reply.status,
                    reply.headers,
                    connection,
                    self.id_framing % (self.next_id(), len(body)) if own_id else FRAMING % len(body),
                    b"" if head_only else body,
                )
            )
        )
        if close:
            self.flush()
            if linger and transport.can_write_eof():
                transport.write_eof()
                self.draining = True
                self.deadline = _clock() + LINGER_SECONDS
            else:
                transport.close()

    # ---------------------------------------------------------------- live streams

    def _write_live(self, reply: Reply, live: LiveStream) -> None:
        """The head of a live stream (leaving with its first events), then each event as its
        run's task emits it (``_live_write``), until the run ends or pauses (``_live_end``)."""
        transport = self.transport
        if transport is None:
            live.detach()
            return
        self.flush()  # the answers before this one leave first
        # Events leave one write at a time: without TCP_NODELAY (which asyncio sets only on
        # sockets made with IPPROTO_TCP, not on those the listener accepts), Nagle holds each
        # one until the client's delayed ACK of the one before, ~40 ms later.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # HTTP/1.0 has no chunked framing: the close ends its stream.
        self.live_chunked = not self.http10 and self.parser.get_http_version() != "1.0"
        framing = self.owner.request_ids.live_framing
        if not self.live_chunked:
            framing = framing.replace(b"transfer-encoding: chunked\r\n", b"")
        # The head leaves with the first events, in one write (at the end of this turn).
        self.outbox.at_turn_end(self)
        self.out.append(
            b"".join(
                (
                    STATUS_LINES.get(reply.status) or b"HTTP/1.1 %d \r\n" % reply.status,
                    reply.headers,
                    framing % self.next_id(),
                )
            )
        )
        self.busy = True  # no more requests on this connection; no idle timeout while it streams
        self.keep_alive = False
        transport.pause_reading()
        self.live = live
        live.attach(self._live_write, self._live_end, self.flush, self._live_hold)

    def _live_write(self, payload: bytes) -> None:
        if self.transport is not None:
            self.outbox.at_turn_end(self)
            self.out.append(b"%x\r\n%s\r\n" % (len(payload), payload) if self.live_chunked else payload)

    def _live_hold(self, payload: bytes) -> None:
        """``_live_write`` without asking for the turn's end: it leaves with the next flush."""
        if self.transport is not None:
            self.out.append(b"%x\r\n%s\r\n" % (len(payload), payload) if self.live_chunked else payload)

    def _live_end(self) -> None:
        self.live = None
        if self.live_chunked:
            self.out.append(b"0\r\n\r\n")
        self.flush()
        if self.transport is not None:
            self.transport.close()

    # ---------------------------------------------------------------- faults

    def _fault(self, fault: Fault, *, head_only: bool) -> None:
        transport = self.transport
        assert transport is not None
        if fault.kind != "status":
            self.flush()  # answers before this one leave first
        if fault.kind == "status":
            content_type = fault.headers.get("Content-Type", "application/json")
            lines = [f"content-type: {content_type}\r\n"]
            lines += [f"{k}: {v}\r\n" for k, v in fault.headers.items() if k != "Content-Type"]
            own_id = not any(k.lower() == "x-request-id" for k in fault.headers)
            reply = Reply(fault.status, fault.body, "".join(lines).encode("latin-1"))
            self._write_reply(reply, close=not self.keep_alive, head_only=head_only, own_id=own_id)
        elif fault.kind == "reset":
            if fault.body:
                transport.write(fault.body)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        elif fault.kind == "truncate":
            transport.write(_json_head(fault.status, len(fault.body)) + fault.body[: len(fault.body) // 2])
            transport.close()
        else:  # drip, hang: timed, so a task owns the connection until it ends
            self.busy = True
            transport.pause_reading()
            task = self.loop.create_task(self._timed(fault))
            self.owner.tasks.add(task)
            task.add_done_callback(self.owner.tasks.discard)

    async def _timed(self, fault: Fault) -> None:
        try:
            if fault.kind == "hang":
                await asyncio.sleep(fault.seconds if fault.seconds > 0 else 1e9)
            else:
                if self.transport is not None:
                    self.transport.write(_json_head(200, len(fault.body)))
                for index in range(len(fault.body)):
                    await asyncio.sleep(fault.seconds)
                    if self.transport is None:
                        return
                    self.transport.write(fault.body[index : index + 1])
        finally:
            if self.transport is not None:
                self.transport.close()


def _json_head(status: int, length: int) -> bytes:
    line = STATUS_LINES.get(status) or b"HTTP/1.1 %d \r\n" % status
    return line + b"content-type: application/json\r\ncontent-length: %d\r\n\r\n" % length


async def sweep(owner: LocalServer, interval: float) -> None:
    """Close connections past their idle or read deadline (one timer for all of them)."""
    while True:
        await asyncio.sleep(interval)
        now = _clock()
        for conn in [c for c in owner.connections if c.deadline <= now]:
            conn.timed_out()
