"""Live streams (``oaii.server._live``): what a run's events become, and when they are handed on.

The end-to-end behaviour (deltas reach a client before the answer is complete) is in
test_model_runs.py and test_official_sdk.py; here the hand-over between the executor and
the connection, which those cannot see.
"""

from __future__ import annotations

import json

from oaii.server._live import DONE, Streams


class Connection:
    """What a connection gives a stream to attach: a write, a flush and an end, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []

    def write(self, payload: bytes) -> None:
        self.calls.append(("write", payload))

    def hold(self, payload: bytes) -> None:
        self.calls.append(("hold", payload))

    def flush(self) -> None:
        self.calls.append(("flush", b""))

    def end(self) -> None:
        self.calls.append(("end", b""))


def parse(payload: bytes) -> tuple[str, object]:
    event, data = payload.split(b"\n", 2)[:2]
    assert payload.endswith(b"\n\n")
    return event.removeprefix(b"event: ").decode(), json.loads(data.removeprefix(b"data: "))


def test_events_wait_for_the_connection_then_flow_and_flush_on_demand() -> None:
    streams = Streams()
    stream = streams.open("run_1", [b"first\n\n"])
    streams.emit("run_1", "thread.run.in_progress", {"id": "run_1", "status": "in_progress"})
    conn = Connection()
    stream.attach(conn.write, conn.end, conn.flush, conn.hold)
    assert [kind for kind, _ in conn.calls] == ["write", "write"]  # what waited, in order
    assert conn.calls[0][1] == b"first\n\n"
    assert parse(conn.calls[1][1]) == ("thread.run.in_progress", {"id": "run_1", "status": "in_progress"})
    conn.calls.clear()
    streams.emit_delta("run_1", "msg_1", 'a "b"\n')  # held: it leaves with the flush
    streams.flush("run_1")
    streams.flush("run_other")  # another run's flush does not touch this stream
    assert [kind for kind, _ in conn.calls] == ["hold", "flush"]
    name, data = parse(conn.calls[0][1])
    assert name == "thread.message.delta"
    assert data == {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": {"value": 'a "b"\n', "annotations": []}}]},
    }
    conn.calls.clear()
    streams.end("run_1")
    assert conn.calls == [("write", DONE), ("end", b"")]
    assert not streams.watched("run_1")


def test_one_object_under_several_names() -> None:
    streams = Streams()
    conn = Connection()
    streams.open("run_1", []).attach(conn.write, conn.end, conn.flush, conn.hold)
    message = {"id": "msg_1", "status": "in_progress", "content": []}
    streams.emit_all("run_1", ("thread.message.created", "thread.message.in_progress"), message)
    streams.emit_all("run_1", ("a", "b"), {}, held=True)
    streams.emit("run_1", "c", {}, held=True)
    streams.emit("run_1", "d", {})
    assert [(kind, parse(payload)) for kind, payload in conn.calls] == [
        ("write", ("thread.message.created", message)),
        ("write", ("thread.message.in_progress", message)),
        ("hold", ("a", {})),
        ("hold", ("b", {})),
        ("hold", ("c", {})),
        ("write", ("d", {})),
    ]


def test_before_the_connection_attaches_held_events_wait_too() -> None:
    streams = Streams()
    stream = streams.open("run_1", [])
    streams.emit_delta("run_1", "msg_1", "a")
    conn = Connection()
    stream.attach(conn.write, conn.end, conn.flush, conn.hold)
    assert [kind for kind, _ in conn.calls] == ["write"]  # what waited leaves at the turn's end
    assert parse(conn.calls[0][1])[0] == "thread.message.delta"


def test_a_detached_stream_gets_nothing_more() -> None:
    streams = Streams()
    conn = Connection()
    stream = streams.open("run_1", [])
    stream.attach(conn.write, conn.end, conn.flush, conn.hold)
    stream.detach()
    streams.emit("run_1", "thread.run.completed", {})
    streams.emit_all("run_1", ("a", "b"), {})
    streams.emit_delta("run_1", "msg_1", "a")
    streams.flush("run_1")
    stream.flush()
    streams.end("run_1")
    assert conn.calls == [] and not streams.watched("run_1")
