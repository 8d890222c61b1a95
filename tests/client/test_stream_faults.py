"""A run stream's faults end like a created run's: what the stream delivered, then the documented error.

Real loopback servers (``tests/_rawserver.py``) send crafted event streams; each test runs sync
and async, through the public client.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from oaii import (
    APIStatusError,
    AsyncClient,
    Client,
    OaiiError,
    ResponseParseError,
    RetryPolicy,
    StreamError,
)

from .._rawserver import RawServer, Request, head, response, run_json, send

KEY = "sk-STREAMFAULT-fake-key-0123456789abcdef-END"
SSE = b"text/event-stream"
FAST_RETRY = RetryPolicy(max_retries=1, backoff_base=0.001, backoff_max=0.01)
MODES = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


def events(*names: bytes, done: bool = True) -> bytes:
    run = run_json("run_s")
    body = b"".join(b"event: " + name + b"\ndata: " + run + b"\n\n" for name in names)
    return body + (b"event: done\ndata: [DONE]\n\n" if done else b"")


def flushed_gzip(data: bytes) -> bytes:
    """``data`` as gzip that a decompressor gives back whole, but whose stream never ends
    (a sync flush, no final block, no trailer): a body cut at a flush point."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def stream(is_async: bool, url: str) -> tuple[list[str], OaiiError | None]:
    """The names of the events the stream delivered, and the error it ended with (None if none)."""
    options: dict[str, Any] = {"api_key": KEY, "base_url": url, "max_retries": 0, "timeout": 2.0}
    if not is_async:
        seen: list[str] = []
        with Client(**options) as client:
            try:
                with client.stream_run("thread_t", "asst_1") as run_stream:
                    for event in run_stream:
                        seen.append(event.event)
            except OaiiError as exc:
                return seen, exc
        return seen, None

    async def main() -> tuple[list[str], OaiiError | None]:
        seen: list[str] = []
        async with AsyncClient(**options) as client:
            try:
                async with await client.stream_run("thread_t", "asst_1") as run_stream:
                    async for event in run_stream:
                        seen.append(event.event)
            except OaiiError as exc:
                return seen, exc
        return seen, None

    return asyncio.run(main())


def answering(body: bytes, *lines: bytes, status: bytes = b"200 OK") -> Callable[[Request], bytes]:
    return lambda request: response(body, status, *lines, content_type=SSE)


def no_key(error: OaiiError) -> None:
    for text in (error.message_long, str(error), repr(error), error.body or "", error.code or ""):
        assert KEY not in text and KEY[4:20] not in text and KEY[-16:] not in text


@MODES
def test_a_gzip_stream_cut_at_a_flush_point_gives_its_events_then_a_parse_error(is_async: bool) -> None:
    """Every event decodes, but the compressed stream never ends: the events arrive, then
    ResponseParseError 200 (as create says for the same body), never a quiet end without ``done``."""
    body = flushed_gzip(events(b"thread.run.created", b"thread.run.queued", done=False))
    with RawServer(send(answering(body, b"Content-Encoding: gzip"))) as server:
        seen, error = stream(is_async, server.url)
    assert seen == ["thread.run.created", "thread.run.queued"]
    assert type(error) is ResponseParseError, error
    assert error.status_code == 200
    assert "could not be read" in error.message_long
    assert error.attempts == 1


@MODES
def test_a_whole_gzip_stream_without_done_ends_quietly_as_a_plain_one_does(is_async: bool) -> None:
    """The end-of-body check faults a cut compressed stream only: one that ends whole is read whole."""
    body = events(b"thread.run.created", done=False)
    for payload in (answering(gzip.compress(body), b"Content-Encoding: gzip"), answering(body)):
        with RawServer(send(payload)) as server:
            assert stream(is_async, server.url) == (["thread.run.created"], None)


@MODES
def test_an_empty_body_marked_gzip_is_an_empty_body_not_a_cut_one(is_async: bool) -> None:
    """Servers put Content-Encoding on bodiless answers: an error status stays an APIStatusError."""
    answer = head(b"400 Bad Request", b"Content-Encoding: gzip", b"Content-Length: 0")
    with RawServer(send(answer)) as server:
        _, error = stream(is_async, server.url)
    assert type(error) is APIStatusError, error
    assert error.status_code == 400
    assert "empty body" in error.message_long


@MODES
def test_an_event_that_is_not_a_run_carries_the_status_and_a_bounded_name(is_async: bool) -> None:
    name = b"thread.run." + b"x" * 100_000 + KEY.encode()
    body = events(b"thread.run.created", done=False) + b"event: " + name + b'\ndata: {"id": 1}\n\n'
    with RawServer(send(answering(body))) as server:
        seen, error = stream(is_async, server.url)
    assert seen == ["thread.run.created"]
    assert type(error) is ResponseParseError, error
    assert (error.status_code, error.attempts) == (200, 1)
    assert "does not carry a run: not a run object" in error.message_long
    assert len(error.message_long) < 2000
    no_key(error)


@MODES
def test_an_error_event_message_is_cut_at_500_characters_after_redaction(is_async: bool) -> None:
    """Like a status error's: the key straddling the cut is removed whole first, then the text is cut;
    ``body`` keeps the whole (redacted) event data, ``code`` is cut to 200."""
    message = "m" * 490 + KEY + "m" * 5_000_000
    data = json.dumps({"error": {"message": message, "code": "c" * 5000}}).encode()
    with RawServer(send(answering(b"event: error\ndata: " + data + b"\n\n"))) as server:
        _, error = stream(is_async, server.url)
    assert type(error) is StreamError, error
    assert error.status_code is None
    assert error.message_long.startswith("the server sent an error event, received error message: 'mmm")
    assert len(error.message_long) < 1000
    assert f"({len(message) - len(KEY) + len('<redacted>')} chars)" in error.message_long
    assert error.code is not None and len(error.code) < 300
    assert error.body is not None and len(error.body) > 5_000_000
    no_key(error)


@MODES
def test_an_error_status_whose_gzip_body_is_cut_short_stays_a_retried_status_error(is_async: bool) -> None:
    """The end-of-body check is for answers: a 500's status is its answer, retried as any 500, and what
    of its body arrived explains it (a create, the same path a stream's error status takes)."""
    body = json.dumps({"error": {"message": "boom", "type": "server_error"}}).encode()
    cut = response(gzip.compress(body)[:-12], b"500 Internal Server Error", b"Content-Encoding: gzip")
    options: dict[str, Any] = {"api_key": KEY, "timeout": 2.0, "max_retries": FAST_RETRY}
    with RawServer(send(cut), send(cut)) as server:
        if is_async:

            async def main() -> Any:
                async with AsyncClient(base_url=server.url, **options) as client:
                    return await client.create_run("thread_t", "asst_1")

            call: Callable[[], Any] = lambda: asyncio.run(main())  # noqa: E731
        else:

            def call() -> Any:
                with Client(base_url=server.url, **options) as client:
                    return client.create_run("thread_t", "asst_1")

        with pytest.raises(APIStatusError) as caught:
            call()
    assert (caught.value.status_code, caught.value.attempts) == (500, 2)
    assert 'content: \'{"error": {"message": "boom"' in caught.value.message_long


@MODES
def test_a_run_event_without_data_says_so(is_async: bool) -> None:
    with RawServer(send(answering(b"event: thread.run.created\ndata:\n\n"))) as server:
        _, error = stream(is_async, server.url)
    assert type(error) is ResponseParseError, error
    assert error.message_long == (
        "stream event thread.run.created does not carry a run:"
        " not a run object (object must be 'thread.run', with an 'id'), empty body"
    )
