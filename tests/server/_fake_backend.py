"""A fake Chat Completions backend: a real HTTP/1.1 server on loopback, scripted per test.

    with FakeBackend() as backend:
        backend.script(Text("Hello there"), Status(500), ToolCalls(("call_1", "get_weather", "{}")))
        ...                                   # each request takes the next answer, in order;
        backend.requests[-1].body             # then Text(DEFAULT_TEXT) for every later one

Every request body is validated against upstream's CreateChatCompletionRequest, and every
body and stream chunk it sends against CreateChatCompletionResponse /
CreateChatCompletionStreamResponse (openapi/chat_completions.schema.json, cut by
openapi/subset.py); what fails is in ``problems`` (the fixture asserts there are none).

Answers: ``Text`` (streamed in pieces, or whole when the request does not stream;
``gate`` holds the rest back until the test opens it; ``reset_after`` cuts the
connection after that many pieces), ``ToolCalls``, ``Status`` (an error answer, e.g.
500, or 429 with Retry-After), ``Hang`` (reads the request, answers nothing; the test
can wait for the caller to close it), ``Raw`` (any bytes: garbage, wrong content types,
cut streams) and ``Reset`` (closes the connection with a TCP reset).

Run as a program (``python tests/server/_fake_backend.py --port 0 [--pieces N]``) it
serves text answers until killed, printing its URL first: the benchmark's backend.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "openapi" / "chat_completions.schema.json"
DEFAULT_TEXT = "Hello from the fake backend."
MODEL = "fake-model-1"


@functools.cache
def validator(name: str) -> Any:
    """A jsonschema validator for one of the chat schemas (CreateChatCompletionRequest, ...)."""
    import jsonschema

    doc = json.loads(SCHEMA_FILE.read_text())
    return jsonschema.Draft202012Validator({**doc, "$ref": f"#/$defs/{name}"})


def problems_of(name: str, value: Any) -> list[str]:
    return [
        f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(name).iter_errors(value)
    ]


# ---------------------------------------------------------------------- answers


class Gate:
    """Held shut until the test opens it (from its own thread); ``reached`` is set when an
    answer waits at it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self._lock = threading.Lock()
        self._opened = False
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def open(self) -> None:
        with self._lock:
            self._opened = True
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            with contextlib.suppress(RuntimeError):  # its loop has closed
                loop.call_soon_threadsafe(lambda f=future: f.done() or f.set_result(None))

    def wait(self) -> asyncio.Future[None]:
        """A future (on the running loop) done once the gate is open."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._opened:
                future.set_result(None)
            else:
                self._waiters.append((loop, future))
        return future


@dataclasses.dataclass
class Text:
    text: str = DEFAULT_TEXT
    pieces: Sequence[str] | None = None  # default: the words (each with its space)
    usage: tuple[int, int] = (11, 7)  # prompt, completion
    gate: Gate | None = None
    gate_after: int = 1  # pieces sent before the gate
    reset_after: int | None = None
    finish_reason: str = "stop"
    stream: bool | None = None  # None: as the request asks
    stamp: bool = False  # each piece is the time it is sent (time.monotonic_ns(), then a space)
    interval: float = 0.0  # seconds between pieces (a model's pace), for the benchmark

    def split(self) -> list[str]:
        if self.pieces is not None:
            return list(self.pieces)
        words = self.text.split(" ")
        return [w if i == 0 else " " + w for i, w in enumerate(words)]


@dataclasses.dataclass
class ToolCalls:
    calls: Sequence[tuple[str, str, str]]  # (id, name, arguments)
    text: str = ""
    usage: tuple[int, int] = (13, 5)
    split_arguments: bool = True  # stream each call's arguments in two deltas


@dataclasses.dataclass
class Status:
    status: int
    body: bytes | None = None  # default: an OpenAI-shaped error body
    headers: Sequence[tuple[str, str]] = ()
    message: str = "fake backend failure"


@dataclasses.dataclass
class Hang:
    """Read the request and answer nothing (``headers_first``: send a stream's head, then nothing)."""

    headers_first: bool = False


@dataclasses.dataclass
class Raw:
    body: bytes
    content_type: str = "text/event-stream"
    status: int = 200


@dataclasses.dataclass
class Reset:
    pass


Answer = Text | ToolCalls | Status | Hang | Raw | Reset


@dataclasses.dataclass
class Received:
    headers: dict[str, str]
    body: Any


# ---------------------------------------------------------------------- server


def _chunk_bytes(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class FakeBackend:
    def __init__(self, *, validate: bool = True) -> None:
        self.validate = validate
        self.answers: list[Answer] = []
        self.requests: list[Received] = []
        self.problems: list[str] = []
        self.closed_while_waiting = threading.Event()  # a caller hung up on a Hang or a Gate
        self.received = threading.Event()  # set at each request (a test may clear it)
        self.connections = 0  # accepted so far
        self._lock = threading.Lock()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.setblocking(False)
        self.port = self._sock.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self._counter = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self.answers.extend(answers)

    def _next(self) -> Answer:
        with self._lock:
            return self.answers.pop(0) if self.answers else Text()

    # ----------------------------------------------------------- lifecycle

    def __enter__(self) -> FakeBackend:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake backend did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)
        self._sock.close()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        tasks: set[asyncio.Task[None]] = set()

        def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.ensure_future(self._connection(reader, writer))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        server = await asyncio.start_server(accept, sock=self._sock)
        self._ready.set()
        await self._stop.wait()
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ----------------------------------------------------------------- HTTP

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        # As real backends (Go's net/http, uvicorn) do: each chunk leaves when written.
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                keep = await self._answer(method, target, headers, body, reader, writer)
                if not keep or headers.get("connection", "").lower() == "close":
                    await writer.drain()
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def _record(self, headers: dict[str, str], raw: bytes) -> Any:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
            self.problems.append(f"a request body that is not JSON: {raw[:100]!r}")
        if self.validate and body is not None:
            self.problems.extend(problems_of("CreateChatCompletionRequest", body))
        self.requests.append(Received(headers, body))
        self.received.set()
        return body

    def _check(self, name: str, value: Any) -> bytes:
        if self.validate:
            self.problems.extend(problems_of(name, value))
        return json.dumps(value).encode()

    async def _answer(
        self,
        method: str,
        target: str,
        headers: dict[str, str],
        raw: bytes,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        if method != "POST" or target != "/v1/chat/completions":
            writer.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
            self.problems.append(f"an unexpected request: {method} {target}")
            return True
        body = self._record(headers, raw)
        answer = self._next()
        stream = bool(isinstance(body, dict) and body.get("stream"))
        self._counter += 1
        completion_id = f"chatcmpl-fake{self._counter}"
        if isinstance(answer, Reset):
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if isinstance(answer, Hang):
            if answer.headers_first:
                writer.write(self._stream_head())
            await self._wait_for_hangup(reader)
            return False
        if isinstance(answer, Status):
            error = {
                "error": {"message": answer.message, "type": "server_error", "param": None, "code": None}
            }
            payload = answer.body if answer.body is not None else json.dumps(error).encode()
            extra = "".join(f"{k}: {v}\r\n" for k, v in answer.headers)
            writer.write(
                f"HTTP/1.1 {answer.status} Fake\r\ncontent-type: application/json\r\n{extra}"
                f"content-length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            return True
        if isinstance(answer, Raw):
            writer.write(
                f"HTTP/1.1 {answer.status} Fake\r\ncontent-type: {answer.content_type}\r\n"
                f"content-length: {len(answer.body)}\r\n\r\n".encode()
                + answer.body
            )
            return True
        if isinstance(answer, Text) and answer.stream is not None:
            stream = answer.stream
        if not stream:
            writer.write(self._whole(answer, completion_id))
            return True
        return await self._stream(answer, completion_id, reader, writer)

    async def _wait_for_hangup(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError):
            await reader.read()  # until the caller closes
        self.closed_while_waiting.set()

    @staticmethod
    def _stream_head() -> bytes:
        return (
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
            b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
        )

    def _usage(self, usage: tuple[int, int]) -> dict[str, int]:
        return {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}

    def _whole(self, answer: Text | ToolCalls, completion_id: str) -> bytes:
        message: dict[str, Any] = {"role": "assistant", "content": answer.text or None, "refusal": None}
        finish = "stop"
        if isinstance(answer, ToolCalls):
            message["tool_calls"] = [
                {"id": i, "type": "function", "function": {"name": n, "arguments": a}}
                for i, n, a in answer.calls
            ]
            finish = "tool_calls"
        else:
            finish = answer.finish_reason
        completion = {
            "id": completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": self._usage(answer.usage),
        }
        payload = self._check("CreateChatCompletionResponse", completion)
        return (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(payload)
            + payload
        )

    def _chunk(
        self,
        completion_id: str,
        delta: dict[str, Any] | None,
        finish: str | None = None,
        usage: dict[str, int] | None = None,
    ) -> bytes:
        chunk: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": MODEL,
            "choices": []
            if delta is None
            else [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }
        if usage is not None:
            chunk["usage"] = usage
        return _chunk_bytes(b"data: " + self._check("CreateChatCompletionStreamResponse", chunk) + b"\n\n")

    async def _stream(
        self,
        answer: Text | ToolCalls,
        completion_id: str,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        writer.write(self._stream_head())
        writer.write(self._chunk(completion_id, {"role": "assistant", "content": ""}))
        if isinstance(answer, ToolCalls):
            if answer.text:
                writer.write(self._chunk(completion_id, {"content": answer.text}))
            for index, (call_id, name, arguments) in enumerate(answer.calls):
                half = len(arguments) // 2 if answer.split_arguments else len(arguments)
                first = {
                    "index": index,
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": arguments[:half]},
                }
                writer.write(self._chunk(completion_id, {"tool_calls": [first]}))
                if arguments[half:]:
                    rest = {"index": index, "function": {"arguments": arguments[half:]}}
                    writer.write(self._chunk(completion_id, {"tool_calls": [rest]}))
            finish = "tool_calls"
        else:
            for number, piece in enumerate(answer.split()):
                if answer.reset_after is not None and number == answer.reset_after:
                    await writer.drain()
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return False
                if answer.gate is not None and number == answer.gate_after:
                    await writer.drain()
                    answer.gate.reached.set()
                    if not await self._wait_gate(answer.gate, reader):
                        return False
                if answer.interval and number:
                    await asyncio.sleep(answer.interval)
                sent = f"{time.monotonic_ns()} " if answer.stamp else piece
                writer.write(self._chunk(completion_id, {"content": sent}))
                await writer.drain()
            finish = answer.finish_reason
        writer.write(self._chunk(completion_id, {}, finish))
        writer.write(self._chunk(completion_id, None, usage=self._usage(answer.usage)))
        writer.write(_chunk_bytes(b"data: [DONE]\n\n") + b"0\r\n\r\n")
        await writer.drain()
        return True

    async def _wait_gate(self, gate: Gate, reader: asyncio.StreamReader) -> bool:
        """Wait for the test to open the gate; False if the caller hung up first."""
        opened = gate.wait()
        hangup = asyncio.ensure_future(reader.read())
        try:
            await asyncio.wait([opened, hangup], return_when=asyncio.FIRST_COMPLETED)
            if opened.done():
                return True
            self.closed_while_waiting.set()
            return False
        finally:
            hangup.cancel()
            opened.cancel()


# ------------------------------------------------------------------ a process


def _serve_forever(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="a fake Chat Completions backend (text answers)")
    parser.add_argument("--pieces", type=int, default=20, help="pieces per streamed answer")
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between pieces")
    parser.add_argument("--stamp", action="store_true", help="each piece is the time it is sent (ns)")
    args = parser.parse_args(argv)
    backend = FakeBackend(validate=False)
    text = " ".join(f"w{i}" for i in range(args.pieces))
    answer = Text(text, stamp=args.stamp, interval=args.interval)
    backend.answers = _Endless(answer)  # type: ignore[assignment]
    with backend:
        print(backend.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


class _Endless(list):  # type: ignore[type-arg]
    """The same answer for every request."""

    def __init__(self, answer: Answer) -> None:
        super().__init__([answer])
        self.answer = answer

    def pop(self, index: Any = -1) -> Answer:
        return self.answer


def iter_events(raw: bytes) -> Iterator[bytes]:
    """The data of each server-sent event in ``raw`` (for tests reading a stream whole)."""
    for block in raw.replace(b"\r\n", b"\n").split(b"\n\n"):
        data = [line[6:] for line in block.split(b"\n") if line.startswith(b"data: ")]
        if data:
            yield b"\n".join(data)


if __name__ == "__main__":
    _serve_forever(sys.argv[1:])
