"""Live streams: a run's events written to each client streaming it, as they happen.

A client that asks for ``stream: true`` gets a ``LiveStream`` (``Streams.open``) the
moment its request is answered, before the run's task writes anything, so it misses
nothing; the connection then ``attach``es its writer, and every event the executor
``emit``s for the run is handed to the connection in the same loop callback (no queue,
no task between the model's delta and the client).  The connection sends what a callback
gave it at the end of the loop's turn, in one write; ``flush`` sends it at once (the
executor's, after each read from the model: a delta does not wait for other runs' work
in the same turn).  What is emitted ``held`` (the deltas, and what a read from the model
brings) leaves with the next flush, the next event that is not held, or the end; it does
not ask for the turn's end (a callback there would cost a loop iteration per delta).
``end`` sends ``done`` and closes the streams of a run that finished or paused
(``requires_action``); a client that goes away is only ``detach``ed: the run goes on, as
the hosted API's did.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from typing import Any

from ._json import dumps_text

DONE = b"event: done\ndata: [DONE]\n\n"


def event_bytes(name: str, data: Any) -> bytes:
    return b"event: %s\ndata: %s\n\n" % (name.encode(), dumps_text(data).encode())


def events_bytes(names: tuple[str, ...], data: Any) -> list[bytes]:
    """Events of one object under several names (``created`` then ``in_progress``): encoded once."""
    text = dumps_text(data).encode()
    return [b"event: %s\ndata: %s\n\n" % (name.encode(), text) for name in names]


def delta_bytes(message_id: str, piece: str) -> bytes:
    """``thread.message.delta`` for a piece of text: the hottest event, made from a template."""
    return (
        b'event: thread.message.delta\ndata: {"id": %s, "object": "thread.message.delta", "delta": '
        b'{"content": [{"index": 0, "type": "text", "text": {"value": %s, "annotations": []}}]}}\n\n'
        % (encode_basestring_ascii(message_id).encode(), encode_basestring_ascii(piece).encode())
    )


class LiveStream:
    """One client's stream of one run."""

    __slots__ = ("_end", "_flush", "_hold", "_write", "ended", "pending", "run_id", "streams")

    def __init__(self, streams: Streams, run_id: str, first: list[bytes]) -> None:
        self.streams = streams
        self.run_id = run_id
        self.pending = first  # until the connection attaches
        self.ended = False
        self._write: Callable[[bytes], None] | None = None
        self._end: Callable[[], None] | None = None
        self._flush: Callable[[], None] | None = None
        self._hold: Callable[[bytes], None] | None = None

    def attach(
        self,
        write: Callable[[bytes], None],
        end: Callable[[], None],
        flush: Callable[[], None],
        hold: Callable[[bytes], None],
    ) -> None:
        """The connection is ready: what waited is written, and from now on every event
        (``write`` hands it over, to leave at the end of the turn; ``hold`` hands it over
        only; ``flush`` sends what was handed over; ``end`` closes)."""
        self._write, self._end, self._flush, self._hold = write, end, flush, hold
        pending, self.pending = self.pending, []
        for payload in pending:
            write(payload)
        if self.ended:
            end()

    def send(self, payload: bytes) -> None:
        write = self._write
        if write is None:
            self.pending.append(payload)
        else:
            write(payload)

    def hold(self, payload: bytes) -> None:
        """``send``, but it leaves only with the next flush, ``send`` or end."""
        hold = self._hold
        if hold is None:
            self.pending.append(payload)
        else:
            hold(payload)

    def flush(self) -> None:
        if self._flush is not None:
            self._flush()

    def close(self) -> None:
        self.ended = True
        if self._end is not None:
            self._end()

    def detach(self) -> None:
        """The client went away: nothing more is written to it."""
        self._write = self._end = self._flush = self._hold = None
        self.streams.remove(self)


class Streams:
    """The live streams of each run."""

    def __init__(self) -> None:
        self.by_run: dict[str, list[LiveStream]] = {}

    def open(self, run_id: str, first: list[bytes]) -> LiveStream:
        stream = LiveStream(self, run_id, first)
        self.by_run.setdefault(run_id, []).append(stream)
        return stream

    def remove(self, stream: LiveStream) -> None:
        streams = self.by_run.get(stream.run_id)
        if streams is not None and stream in streams:
            streams.remove(stream)
            if not streams:
                del self.by_run[stream.run_id]

    def watched(self, run_id: str) -> bool:
        return run_id in self.by_run

    def emit(self, run_id: str, name: str, data: Any, *, held: bool = False) -> None:
        streams = self.by_run.get(run_id)
        if streams:
            payload = event_bytes(name, data)
            for stream in streams:
                if held:
                    stream.hold(payload)
                else:
                    stream.send(payload)

    def emit_all(self, run_id: str, names: tuple[str, ...], data: Any, *, held: bool = False) -> None:
        """Events of one object under several names, in order (see ``events_bytes``)."""
        streams = self.by_run.get(run_id)
        if streams:
            payloads = events_bytes(names, data)
            for stream in streams:
                for payload in payloads:
                    if held:
                        stream.hold(payload)
                    else:
                        stream.send(payload)

    def emit_delta(self, run_id: str, message_id: str, piece: str) -> None:
        """A piece of a message's text, held (the executor flushes after each read)."""
        streams = self.by_run.get(run_id)
        if streams:
            payload = delta_bytes(message_id, piece)
            for stream in streams:
                stream.hold(payload)

    def flush(self, run_id: str) -> None:
        """Send what the run's streams were handed, now (not at the end of the loop's turn)."""
        for stream in self.by_run.get(run_id, ()):
            stream.flush()

    def end(self, run_id: str) -> None:
        """``done``, and the end of every stream of the run."""
        for stream in self.by_run.pop(run_id, ()):
            stream.send(DONE)
            stream.close()
