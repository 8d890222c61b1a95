"""Server-sent events of a streamed run, as typed events.

The server answers ``text/event-stream`` (the spec declares only JSON, so the
content type decides).  Events arrive in order and end with ``done`` (whose
data is ``[DONE]``, not JSON).  Event names this client does not know are
passed through as ``StreamEvent``; an ``error`` event raises ``StreamError``.
Parsing of the SSE wire format is httpx-sse's.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import httpx
from httpx_sse import EventSource, ServerSentEvent

from ._errors import (
    OaiiError,
    ResponseParseError,
    StreamError,
    clip,
    connection_error,
    describe_body,
    received_message,
    redact,
    response_field,
)
from ._flow import Answer
from ._http.transport import ResponseTooLarge
from ._keys import ApiKey
from ._results import decode_json, parse_run_data

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject


@attrs.frozen
class StreamEvent:
    """One event: its name and its decoded JSON data (a dict, or the raw text if not JSON)."""

    event: str
    data: Any


@attrs.frozen
class RunEvent(StreamEvent):
    """``thread.run.*``: the run's new state."""

    run: RunObject


@attrs.frozen
class RunStepEvent(StreamEvent):
    """``thread.run.step.*``: a step (message creation, tool calls) or its delta."""


@attrs.frozen
class MessageEvent(StreamEvent):
    """``thread.message.*`` other than deltas: a whole message."""


@attrs.frozen
class MessageDeltaEvent(StreamEvent):
    """``thread.message.delta``: new content of a message being written."""

    @property
    def text(self) -> str:
        """The text this delta adds (empty when it adds none)."""
        # The data came from a server: any level may be missing or of another type.
        delta = self.data.get("delta") if isinstance(self.data, dict) else None
        parts = delta.get("content") if isinstance(delta, dict) else None
        texts = []
        for part in parts if isinstance(parts, list) else []:
            text = part.get("text") if isinstance(part, dict) and part.get("type") == "text" else None
            value = text.get("value") if isinstance(text, dict) else None
            if isinstance(value, str):
                texts.append(value)
        return "".join(texts)


@attrs.frozen
class DoneEvent(StreamEvent):
    """``done``: the stream is over."""


def decode_event(
    sse: ServerSentEvent, secret: str, *, status_code: int | None = None, attempts: int = 0
) -> StreamEvent | OaiiError:
    """``sse`` as a typed event; for an ``error`` event the ``StreamError`` to raise, and for an
    event that is not what it says the ``ResponseParseError``.

    The error is returned, not raised: this frame holds the event's raw data (which may
    quote the key), and a raised error would carry the frame, locals and all.
    ``status_code`` and ``attempts`` are the stream's: a ``ResponseParseError`` carries
    them, as the stream's other parse errors do.
    """
    name = sse.event or "message"
    if name == "done":
        return DoneEvent(name, sse.data)
    try:
        data: Any = decode_json(sse.data.encode()) if sse.data else None
    except ValueError:
        data = sse.data
    if name == "error":
        error = data.get("error", data) if isinstance(data, dict) else {}
        message = error.get("message") if isinstance(error, dict) else None
        return StreamError(
            "the server sent an error event",
            message_long="the server sent an error event"
            + received_message(str(message or sse.data), secret),
            code=response_field(error.get("code"), secret) if isinstance(error, dict) else None,
            type=response_field(error.get("type"), secret) if isinstance(error, dict) else None,
            body=redact(sse.data, secret),
            attempts=attempts,
        )
    if name.startswith("thread.run.step."):
        return RunStepEvent(name, data)
    if name.startswith("thread.run."):
        try:
            return RunEvent(name, data, parse_run_data(data))
        except ValueError as exc:
            shown = response_field(name, secret)  # an event name is the server's too: bounded
            why = clip(redact(str(exc), secret))
            suffix = describe_body(sse.data.encode(), "application/json", secret=secret)
            return ResponseParseError(
                f"stream event {shown} does not carry a run",
                status_code=status_code,
                message_long=f"stream event {shown} does not carry a run: {why}{suffix}",
                body=redact(sse.data, secret),
                attempts=attempts,
            )
    if name == "thread.message.delta":
        return MessageDeltaEvent(name, data)
    if name.startswith("thread.message."):
        return MessageEvent(name, data)
    return StreamEvent(name, data)


def _not_an_event_stream(secret: str, answer: Answer, body: bytes) -> ResponseParseError:
    content_type = answer.response.headers.get("content-type", "")
    suffix = describe_body(body, content_type, secret=secret)
    return ResponseParseError(
        "expected an event stream",
        status_code=answer.response.status_code,
        message_long=redact(
            f"expected text/event-stream, got {content_type or 'no content type'!r}{suffix}", secret
        ),
        body=redact(body.decode("utf-8", "replace"), secret),
        attempts=answer.attempts,
    )


class _Reader:
    """A stream's state and its one pass over the response.

    The pass (a generator) holds this, never the stream object the caller has: a
    stream dropped mid-read is freed at once by reference counting, which closes
    the response there.  Were the two in a cycle, the cyclic GC would close it at
    an arbitrary later allocation, possibly inside httpcore's pool lock (not
    reentrant), and that thread would wait for itself forever.
    """

    def __init__(self, answer: Answer, key: ApiKey, url: str) -> None:
        self.answer = answer
        self.key = key
        self.url = url
        self.response: httpx.Response = answer.response
        self.run: RunObject | None = None  # the latest run seen

    def _is_event_stream(self) -> bool:
        content_type: str = self.response.headers.get("content-type", "")
        return content_type.startswith("text/event-stream")

    def _event(self, sse: ServerSentEvent) -> StreamEvent | OaiiError:
        event = decode_event(
            sse, self.key.value, status_code=self.response.status_code, attempts=self.answer.attempts
        )
        if isinstance(event, RunEvent):
            self.run = event.run
        return event

    # The raw events stay in these generators' frames: an error is raised by read/aread,
    # whose frames hold only decoded events (and the redacted error).
    def _decoded(self) -> Iterator[StreamEvent | OaiiError]:
        for sse in EventSource(self.response).iter_sse():
            yield self._event(sse)

    async def _adecoded(self) -> AsyncGenerator[StreamEvent | OaiiError, None]:
        async for sse in EventSource(self.response).aiter_sse():
            yield self._event(sse)

    def _broken(self, exc: Exception) -> OaiiError:
        if isinstance(exc, UnicodeError):  # a charset that is not UTF-8, or bytes that are not text
            return ResponseParseError(
                "the event stream is not text",
                status_code=self.response.status_code,
                message_long=f"the event stream is not decodable text: {type(exc).__name__}",
                attempts=self.answer.attempts,
            )
        if isinstance(exc, httpx.DecodingError):  # gzip/deflate that is not, or is cut short (_Body)
            status = self.response.status_code
            return ResponseParseError(
                f"HTTP {status} but the event stream could not be read",
                status_code=status,
                message_long=f"HTTP {status} but the event stream could not be read: {clip(str(exc))}",
                attempts=self.answer.attempts,
            )
        if isinstance(exc, ResponseTooLarge):
            return ResponseParseError(
                "the event stream is too large",
                status_code=self.response.status_code,
                message_long=f"the event stream is too large: {exc}",
                attempts=self.answer.attempts,
            )
        exc.__traceback__ = None
        return connection_error(exc, url=self.url, secret=self.key.value, attempts=self.answer.attempts)

    def read(self) -> Iterator[StreamEvent]:
        failure: OaiiError | None = None
        try:
            if not self._is_event_stream():
                raise _not_an_event_stream(self.key.value, self.answer, self.response.read())
            for event in self._decoded():
                if isinstance(event, OaiiError):
                    failure = event
                    break
                yield event
                if isinstance(event, DoneEvent):
                    return
        except (httpx.HTTPError, httpx.StreamError, ResponseTooLarge, UnicodeError) as exc:
            failure = self._broken(exc)
        finally:
            self.response.close()
        if failure is not None:
            raise failure

    async def aread(self) -> AsyncIterator[StreamEvent]:
        failure: OaiiError | None = None
        events = self._adecoded()
        try:
            if not self._is_event_stream():
                raise _not_an_event_stream(self.key.value, self.answer, await self.response.aread())
            async for event in events:
                if isinstance(event, OaiiError):
                    failure = event
                    break
                yield event
                if isinstance(event, DoneEvent):
                    return
        except (httpx.HTTPError, httpx.StreamError, ResponseTooLarge, UnicodeError) as exc:
            failure = self._broken(exc)
        finally:
            await events.aclose()  # left at an error event: closed now, not by the loop's finaliser
            await self.response.aclose()
        if failure is not None:
            raise failure


class _Stream:
    """What the sync and async streams share: the response, and the latest run seen."""

    def __init__(self, answer: Answer, key: ApiKey, url: str) -> None:
        self._reader = _Reader(answer, key, url)
        self.response: httpx.Response = answer.response
        self._events: Any = None  # the one iterator over the response, made on first use

    @property
    def run(self) -> RunObject | None:
        """The run as the latest ``thread.run.*`` event had it (None before the first)."""
        return self._reader.run


class RunStream(_Stream):
    """The events of a streamed run.  Iterate it; use it as a context manager to close early."""

    def __iter__(self) -> Iterator[StreamEvent]:
        # One pass over the response: iterating again (or until_done) goes on where it stopped.
        if self._events is None:
            self._events = self._reader.read()
        events: Iterator[StreamEvent] = self._events
        return events

    def until_done(self) -> RunObject | None:
        """Read every event; return the run's last state."""
        for _ in self:
            pass
        return self.run

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> RunStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncRunStream(_Stream):
    """``RunStream`` for asyncio: ``async for event in stream``."""

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        if self._events is None:
            self._events = self._reader.aread()
        events: AsyncIterator[StreamEvent] = self._events
        return events

    async def until_done(self) -> RunObject | None:
        async for _ in self:
            pass
        return self.run

    async def aclose(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncRunStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
