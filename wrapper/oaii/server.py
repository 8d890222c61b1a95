"""A local Assistants-compatible server: createRun and getRun over loopback.

It is the default target of ``make demo`` and of the tests, and it is meant for
users' own tests too::

    from oaii.server import LocalServer
    with LocalServer() as server:                    # 127.0.0.1, a free port
        run = runs_create_run_request("thread_1", "asst_1", base_url=server.url, api_key="sk-test")
        assert server.requests[-1].json() == {"assistant_id": "asst_1"}

What it does, as the hosted API did: checks ``Authorization`` (any non-empty
bearer key, or exactly ``api_key`` when one is set) and ``OpenAI-Beta:
assistants=v2``; validates the body against the vendored ``CreateRunRequest``;
answers OpenAI-format errors (400/401/404); stores runs; moves a run
``queued`` -> ``in_progress`` -> ``completed`` (or ``requires_action`` when it
has a function tool) across getRun calls; refuses a second active run on a
thread; streams a run as server-sent events when ``stream`` is true.
Threads are any id starting ``thread_``, assistants any id starting ``asst_``.

``inject(Fault(...))`` makes the next API request fail in a chosen way (status,
HTML page, reset, truncated or dripping body, hang, a patched run) for
fault-injection tests.  Every response is written in one ``sendall`` on a
``TCP_NODELAY`` socket: a stub that writes headers and body apart stalls
~40 ms a call on Nagle's algorithm and delayed ACKs.
"""

from __future__ import annotations

import argparse
import collections
import json
import secrets
import socket
import socketserver
import struct
import threading
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

from ._errors import InputError
from ._server_runs import (
    ACTIVE_STATUSES,
    Store,
    advance,
    new_run,
    stream_events,
)
from ._validation import check_body


@attrs.frozen
class Fault:
    """How the server should mishandle one API request.

    kind:
      ``status``   answer ``status`` with ``body`` and ``headers`` (HTML page, empty body, 429, 5xx, ...)
      ``reset``    close the connection with a TCP reset; after ``body`` bytes of a response if given
      ``truncate`` announce a JSON body of ``status`` but close after half of it
      ``drip``     send ``body`` one byte every ``seconds``
      ``hang``     send nothing for ``seconds`` (or until the server stops)
      ``patch``    answer normally, with ``patch`` merged into the run and ``drop`` keys removed
    """

    kind: str = "status"
    status: int = 500
    body: bytes = b""
    headers: dict[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0
    patch: dict[str, Any] = attrs.field(factory=dict)
    drop: tuple[str, ...] = ()


@attrs.frozen
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Handler(socketserver.StreamRequestHandler):
    """HTTP/1.1 with keep-alive, parsed here: http.server's email-based header parser
    costs more than everything else the server does for a request."""

    server: _HTTPServer
    command = ""
    path = ""
    headers: dict[str, str]  # names lower-cased
    raw_headers: dict[str, str]  # as sent, for RecordedRequest
    close_connection = False

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        while not self.close_connection:
            line = self.rfile.readline(65537)
            if not line:
                return
            parts = line.decode("latin-1").split()
            if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
                self._error(400, "Malformed request line.")
                return
            self.command, self.path, version = parts
            self.raw_headers = {}
            while (header := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                self.raw_headers[name.strip()] = value.strip()
            self.headers = {k.lower(): v for k, v in self.raw_headers.items()}
            connection = self.headers.get("connection", "").lower()
            self.close_connection = connection == "close" or (
                version == "HTTP/1.0" and connection != "keep-alive"
            )
            if self.command in ("GET", "POST"):
                self._dispatch()
            else:
                self._read_body()
                self._error(405, f"Method {self.command} is not allowed here.")

    # ------------------------------------------------------------ plumbing

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        self.wfile.write(_head(status, content_type, len(body), headers) + body)

    def _error(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
        self._send(status, json.dumps(body).encode())

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _record(self, body: bytes) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        self.server.owner.record(
            RecordedRequest(self.command, parts.path, query, dict(self.raw_headers), body)
        )
        return parts.path, query

    # -------------------------------------------------------------- routes

    def _dispatch(self) -> None:
        body = self._read_body()
        path, query = self._record(body)
        fault = self.server.owner.next_fault()
        if fault is not None and fault.kind != "patch":
            self._apply(fault)
            return
        if not self._authorised():
            return
        segments = [unquote(s) for s in path.strip("/").split("/")]
        if segments[:1] == ["v1"]:
            segments = segments[1:]
        if (
            self.command == "POST"
            and len(segments) == 3
            and segments[0] == "threads"
            and segments[2] == "runs"
        ):
            self._create_run(segments[1], body, query, fault)
        elif (
            self.command == "GET"
            and len(segments) == 4
            and segments[0] == "threads"
            and segments[2] == "runs"
        ):
            self._get_run(segments[1], segments[3], fault)
        else:
            self._error(404, f"Invalid URL ({self.command} {path})")

    def _authorised(self) -> bool:
        auth = self.headers.get("authorization", "")
        key = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        expected = self.server.owner.api_key
        if not key:
            self._error(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                code=None,
            )
            return False
        if expected is not None and not secrets.compare_digest(key, expected):
            self._error(401, "Incorrect API key provided.", code="invalid_api_key")
            return False
        if self.headers.get("openai-beta", "") != "assistants=v2":
            self._error(
                400,
                "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please "
                "try again by setting the header 'OpenAI-Beta: assistants=v2'.",
                code="invalid_beta",
            )
            return False
        return True

    def _create_run(
        self, thread_id: str, raw: bytes, query: dict[str, list[str]], fault: Fault | None
    ) -> None:
        if not thread_id.startswith("thread_"):
            self._error(404, f"No thread found with id '{thread_id}'.")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._error(400, "We could not parse the JSON body of your request.")
            return
        if not isinstance(body, dict):
            self._error(400, "The body of your request must be a JSON object.")
            return
        unknown = sorted(set(body) - set(self.server.owner.fields))
        if unknown:
            self._error(400, f"Unrecognized request argument supplied: {unknown[0]}", param=unknown[0])
            return
        try:
            check_body(body)
        except InputError as exc:
            self._error(400, f"Invalid '{exc.path}': {exc.rule}.", param=exc.path)
            return
        for value in query.get("include[]", []):
            if value != "step_details.tool_calls[*].file_search.results[*].content":
                self._error(400, f"Invalid value for 'include[]': '{value}'.", param="include[]")
                return
        assistant_id = body["assistant_id"]
        if not assistant_id.startswith("asst_"):
            self._error(404, f"No assistant found with id '{assistant_id}'.")
            return
        store = self.server.owner.store
        with store.lock:
            active = store.active.get(thread_id)
            if active is not None and store.runs[active]["status"] in ACTIVE_STATUSES:
                self._error(400, f"Thread {thread_id} already has an active run {active}.")
                return
            run = new_run(store.new_id("run"), thread_id, body)
            store.runs[run["id"]] = run
            store.active[thread_id] = run["id"]
            snapshot = dict(run)  # a poll on another connection may move the stored run on
        if body.get("stream"):
            self._stream(run)
            return
        self._send_run(snapshot, fault)

    def _get_run(self, thread_id: str, run_id: str, fault: Fault | None) -> None:
        store = self.server.owner.store
        with store.lock:
            run = store.runs.get(run_id)
            if run is None or run["thread_id"] != thread_id:
                self._error(404, f"No run found with id '{run_id}'.")
                return
            advance(run)
            run = dict(run)
        self._send_run(run, fault)

    def _send_run(self, run: dict[str, Any], fault: Fault | None) -> None:
        if fault is not None:  # a "patch" fault: a newer server's run
            run = {k: v for k, v in {**run, **fault.patch}.items() if k not in fault.drop}
        headers = {"openai-poll-after-ms": str(self.server.owner.poll_after_ms)}
        self._send(200, json.dumps(run).encode(), headers)

    def _stream(self, run: dict[str, Any]) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
            f"x-request-id: req_{secrets.token_hex(8)}\r\n\r\n"
        )
        self.wfile.write(head.encode("latin-1"))
        for name, data in stream_events(run, self.server.owner.store):
            text = data if isinstance(data, str) else json.dumps(data)
            event = f"event: {name}\ndata: {text}\n\n".encode()
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    # -------------------------------------------------------------- faults

    def _apply(self, fault: Fault) -> None:
        if fault.kind == "status":
            content_type = fault.headers.get("Content-Type", "application/json")
            headers = {k: v for k, v in fault.headers.items() if k != "Content-Type"}
            self._send(fault.status, fault.body, headers, content_type)
        elif fault.kind == "reset":
            if fault.body:
                self.wfile.write(fault.body)
            self._reset()
        elif fault.kind == "truncate":
            head = _head(fault.status, "application/json", len(fault.body))
            self.wfile.write(head + fault.body[: len(fault.body) // 2])
            self.close_connection = True
        elif fault.kind == "drip":
            self.wfile.write(_head(200, "application/json", len(fault.body)))
            for index in range(len(fault.body)):
                if self.server.owner.stopping.wait(fault.seconds):
                    break
                try:
                    self.wfile.write(fault.body[index : index + 1])
                except OSError:
                    break
            self.close_connection = True
        elif fault.kind == "hang":
            self.server.owner.stopping.wait(fault.seconds)
            self.close_connection = True
        else:
            self._error(500, f"unknown fault kind {fault.kind!r}", type_="server_error")


def _head(status: int, content_type: str, length: int, headers: dict[str, str] | None = None) -> bytes:
    """Status line and headers of a response with a known length."""
    lines = [
        f"HTTP/1.1 {status} {_reason(status)}",
        f"Content-Type: {content_type}",
        f"Content-Length: {length}",
        f"x-request-id: req_{secrets.token_hex(8)}",
        *(f"{k}: {v}" for k, v in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class _HTTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (a reset fault, a closed stream) is normal here.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class LocalServer:
    """The server, in a background thread of this process.  Bound (ready) once constructed."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, api_key: str | None = None, poll_after_ms: int = 10
    ) -> None:
        from ._validation import body_fields

        self.api_key = api_key
        self.poll_after_ms = poll_after_ms
        self.fields = body_fields()
        self.store = Store()
        self.requests: collections.deque[RecordedRequest] = collections.deque(maxlen=10_000)
        self.stopping = threading.Event()
        self._faults: collections.deque[Fault] = collections.deque()
        self._lock = threading.Lock()
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        self._httpd = server_class((host, port), _Handler)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL to pass as ``base_url`` (ends in ``/v1``)."""
        address = self._httpd.server_address[0]
        host = address.decode() if isinstance(address, bytes) else address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"

    def inject(self, *faults: Fault) -> None:
        """The next API requests, one each, meet these faults in order."""
        with self._lock:
            self._faults.extend(faults)

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def record(self, request: RecordedRequest) -> None:
        self.requests.append(request)

    def start(self) -> LocalServer:
        """Serve in a background thread (once; calling it again does nothing)."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="oaii-local-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="oaii server", description="Run the local Assistants-compatible server."
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (0 picks a free one; default 8765)")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any non-empty key)")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error("the local server binds loopback only (127.0.0.1 or ::1)")
    server = LocalServer(args.host, args.port, api_key=args.api_key)
    print(f"oaii local server listening on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
