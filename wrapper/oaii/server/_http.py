"""HTTP/1.1 on asyncio, through h11: connections, limits, timeouts and faults.

Each connection is an ``asyncio.Protocol`` feeding an ``h11.Connection``; the API
answers synchronously (a run is made in microseconds), so a normal response is
written in one ``transport.write`` straight from ``data_received``, without a task.
Only the timed faults (``drip``, ``hang``) run as tasks.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import h11

from ._api import Reply, error, request_id
from ._records import Fault, RecordedRequest, redact_headers

if TYPE_CHECKING:
    from . import LocalServer

PHRASES = {int(s): s.phrase.encode() for s in HTTPStatus}
SERVER_HEADER = (b"server", b"oaii-local")
SSE_HEADERS = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache")]


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


class Connection(asyncio.Protocol):
    def __init__(self, owner: LocalServer) -> None:
        self.owner = owner
        self.limits = owner.limits
        self.loop = asyncio.get_running_loop()
        self.h = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_header_bytes)
        self.transport: asyncio.Transport | None = None
        self.head = (
            bytearray()
        )  # raw bytes of the request head being received (to spot a repeated Content-Length)
        self.request: h11.Request | None = None
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self.lowered: dict[bytes, bytes] = {}
        self.body = bytearray()
        self.busy = False  # a timed fault owns the connection
        self.deadline = 0.0  # loop time past which the connection is timed out
        self.reading = False  # inside a request (read timeout) or between (idle timeout)

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
        self.deadline = self.loop.time() + self.limits.idle_timeout

    def connection_lost(self, exc: Exception | None) -> None:
        self.owner.connections.discard(self)
        self.transport = None

    def data_received(self, data: bytes) -> None:
        if self.request is None and len(self.head) <= self.limits.max_header_bytes:
            if not self.reading:
                self.reading = True
                self.deadline = self.loop.time() + self.limits.read_timeout
            self.head += data  # a bytearray: linear even when a head comes a byte at a time
        self.h.receive_data(data)
        if not self.busy:
            self._pump()

    def eof_received(self) -> bool | None:
        self.h.receive_data(b"")
        if not self.busy:
            self._pump()
        return None

    def timed_out(self) -> None:
        """The sweeper found the deadline passed: 408 inside a request, silence between."""
        if self.transport is None or self.busy:
            return
        if self.reading and self.h.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            self._write_reply(error(408, "The request was not received in time."), close=True)
        self.transport.close()

    # ----------------------------------------------------------------- events

    def _pump(self) -> None:
        h = self.h
        while self.transport is not None and not self.busy:
            try:
                event = h.next_event()
            except h11.RemoteProtocolError as exc:
                self._protocol_error(exc.error_status_hint, str(exc))
                return
            if event is h11.NEED_DATA:
                return
            if event is h11.PAUSED:
                if h.our_state is h11.DONE and h.their_state is h11.DONE:
                    h.start_next_cycle()
                    continue
                return
            kind = type(event)
            if kind is h11.Request:
                if not self._start(event):  # type: ignore[arg-type]
                    return
            elif kind is h11.Data:
                self.body += event.data  # type: ignore[union-attr]
                if len(self.body) > self.limits.max_body_bytes:
                    self._too_large()
                    return
            elif kind is h11.EndOfMessage:
                self._dispatch()
            elif kind is h11.ConnectionClosed:
                self.transport.close()
                return

    def _start(self, request: h11.Request) -> bool:
        self.request = request
        self.body = bytearray()
        # self.head is empty for a request that came pipelined behind another: h11 checked it alone.
        end = self.head.find(b"\r\n\r\n")
        head = bytes(self.head[:end]) if end >= 0 else b""
        too_big = end > self.limits.max_header_bytes or (
            end < 0 and len(self.head) > self.limits.max_header_bytes
        )
        self.head = bytearray()
        if too_big:
            # h11 bounds only a head that arrives in pieces; one that came whole is measured here.
            self._write_reply(error(431, "The request headers are too large."), close=True)
            return False
        self.raw_headers = request.headers.raw_items()  # one pass over h11's headers, reused below
        self.lowered = {name.lower(): value for name, value in self.raw_headers}
        length = self.lowered.get(b"content-length")
        declared = int(length) if length is not None else None  # h11 checked it is digits
        if declared is not None and head.lower().count(b"\ncontent-length:") > 1:
            self._protocol_error(400, "repeated Content-Length header")
            return False
        if declared is not None and declared > self.limits.max_body_bytes:
            self._too_large()
            return False
        if self.h.they_are_waiting_for_100_continue:
            assert self.transport is not None
            self.transport.write(self.h.send(h11.InformationalResponse(status_code=100, headers=[])) or b"")
        return True

    def _too_large(self) -> None:
        limit = self.limits.max_body_bytes
        self._write_reply(error(413, f"The request body is larger than {limit} bytes."), close=True)

    def _protocol_error(self, status: int, why: str) -> None:
        self._write_reply(error(status, f"Malformed HTTP request: {why[:200]}"), close=True)

    def _dispatch(self) -> None:
        request = self.request
        assert request is not None and self.transport is not None
        self.request = None
        self.reading = False
        method = request.method.decode("ascii", "replace")
        target = request.target.decode("latin-1")
        path, _, query_string = target.partition("?")
        body = bytes(self.body)
        self.body = bytearray()
        owner = self.owner
        raw = self.raw_headers
        headers, digest = redact_headers(raw)
        query = parse_qs(query_string, keep_blank_values=True) if query_string else {}
        owner.recorder.add(
            RecordedRequest(method, path, query, headers, body, auth_digest=digest),
            len(body) + len(target) + sum(len(n) + len(v) for n, v in raw),
        )
        fault = owner.faults.pop()
        if fault is not None and fault.kind not in ("patch", "drop_response"):
            self._fault(fault)
            return
        reply = owner.api.handle(method, path, query_string, self.lowered, body, fault)
        if fault is not None and fault.kind == "drop_response":
            self.transport.close()  # done in full, never answered
            return
        self._write_reply(reply, head_only=method == "HEAD")

    # --------------------------------------------------------------- writing

    def _write_reply(
        self, reply: Reply, *, close: bool = False, head_only: bool = False, trusted: bool = True
    ) -> None:
        """Write a whole response at once.  ``trusted``: the headers are the server's own bytes,
        so h11's per-header regex checks are skipped (its ``_parsed`` switch); a fault's
        user-given headers are checked."""
        transport = self.transport
        if transport is None:
            return
        h = self.h
        own_id = not any(name.lower() == b"x-request-id" for name, _ in reply.headers)  # a fault may set one
        headers = [*reply.headers, *([(b"x-request-id", request_id())] if own_id else []), SERVER_HEADER]
        if close:
            headers.append((b"connection", b"close"))
        try:
            if reply.events is not None:
                out = (
                    h.send(
                        h11.Response(
                            status_code=reply.status,
                            headers=headers + SSE_HEADERS,
                            _parsed=trusted,
                            reason=PHRASES.get(reply.status, b""),
                        )
                    )
                    or b""
                )
                chunks = [out]
                for event in reply.events:
                    chunks.append(h.send(h11.Data(data=event)) or b"")
                chunks.append(h.send(h11.EndOfMessage()) or b"")
                transport.write(b"".join(chunks))
            else:
                headers.append((b"content-length", str(len(reply.body)).encode()))
                out = (
                    h.send(
                        h11.Response(
                            status_code=reply.status,
                            headers=headers,
                            reason=PHRASES.get(reply.status, b""),
                            _parsed=trusted,
                        )
                    )
                    or b""
                )
                if reply.body and not head_only:
                    out += h.send(h11.Data(data=reply.body)) or b""
                out += h.send(h11.EndOfMessage()) or b""
                transport.write(out)
        except h11.LocalProtocolError:
            # h11 cannot frame an answer in this state (the request was unreadable): send it raw.
            transport.write(_raw_reply(reply))
            close = True
        if close or h.our_state is h11.MUST_CLOSE:
            transport.close()
            return
        self.deadline = self.loop.time() + self.limits.idle_timeout
        if h.our_state is h11.DONE and h.their_state is h11.DONE:
            h.start_next_cycle()

    # ---------------------------------------------------------------- faults

    def _fault(self, fault: Fault) -> None:
        transport = self.transport
        assert transport is not None
        if fault.kind == "status":
            content_type = fault.headers.get("Content-Type", "application/json").encode("latin-1")
            extra = [
                (k.encode("latin-1"), v.encode("latin-1"))
                for k, v in fault.headers.items()
                if k != "Content-Type"
            ]
            self._write_reply(
                Reply(fault.status, fault.body, [(b"content-type", content_type), *extra]), trusted=False
            )
        elif fault.kind == "reset":
            if fault.body:
                transport.write(fault.body)
            sock = transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
        elif fault.kind == "truncate":
            head = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(fault.body)).encode()),
            ]
            out = (
                self.h.send(
                    h11.Response(
                        status_code=fault.status, headers=head, reason=PHRASES.get(fault.status, b"")
                    )
                )
                or b""
            )
            out += self.h.send(h11.Data(data=fault.body[: len(fault.body) // 2])) or b""
            transport.write(out)
            transport.close()
        else:  # drip, hang: timed, so a task owns the connection until it ends
            self.busy = True
            transport.pause_reading()
            task = self.loop.create_task(self._timed(fault))
            self.owner.tasks.add(task)
            task.add_done_callback(self.owner.tasks.discard)

    async def _timed(self, fault: Fault) -> None:
        transport = self.transport
        try:
            if fault.kind == "hang":
                await asyncio.sleep(fault.seconds if fault.seconds > 0 else 1e9)
            else:
                head = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(fault.body)).encode()),
                ]
                if transport is not None:
                    transport.write(
                        self.h.send(h11.Response(status_code=200, headers=head, reason=b"OK")) or b""
                    )
                for index in range(len(fault.body)):
                    await asyncio.sleep(fault.seconds)
                    if self.transport is None:
                        return
                    self.transport.write(fault.body[index : index + 1])
        finally:
            if self.transport is not None:
                self.transport.close()


def _raw_reply(reply: Reply) -> bytes:
    lines = [f"HTTP/1.1 {reply.status} ".encode() + PHRASES.get(reply.status, b"Error")]
    lines += [name + b": " + value for name, value in reply.headers]
    lines += [b"content-length: " + str(len(reply.body)).encode(), b"connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + reply.body


async def sweep(owner: LocalServer, interval: float) -> None:
    """Close connections past their idle or read deadline (one timer for all of them)."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(interval)
        now = loop.time()
        for conn in [c for c in owner.connections if c.deadline <= now]:
            conn.timed_out()
