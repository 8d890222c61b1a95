"""Streaming, create-and-poll and the async twins, against the local server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
from oaii import (
    APIStatusError,
    DoneEvent,
    MessageDeltaEvent,
    PollTimeoutError,
    ResponseParseError,
    RunEvent,
    RunStepEvent,
    StreamError,
    StreamEvent,
    runs_create_run_and_poll,
    runs_create_run_and_poll_async,
    runs_create_run_request_async,
    runs_create_run_stream,
    runs_create_run_stream_async,
    runs_get_run,
)
from oaii.server import REPLY_TEXT, Fault, LocalServer, new_run

from .._rawserver import RawServer, Request, response, run_json, send

FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather"}}


# ------------------------------------------------------------------ streaming


def test_stream_events_in_order(server: LocalServer, opts: dict) -> None:
    with runs_create_run_stream("thread_s", "asst_1", instructions="Hi", **opts) as stream:
        events = list(stream)
    assert server.requests[-1].json() == {"assistant_id": "asst_1", "instructions": "Hi", "stream": True}
    assert server.requests[-1].headers["Accept"] == "text/event-stream"
    names = [e.event for e in events]
    assert names[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert names[-3:] == ["thread.run.step.completed", "thread.run.completed", "done"]
    assert "thread.message.created" in names and "thread.message.completed" in names
    assert isinstance(events[0], RunEvent) and events[0].run.status == "queued"
    assert isinstance(events[-2], RunEvent) and events[-2].run.status == "completed"
    assert isinstance(events[-1], DoneEvent) and events[-1].data == "[DONE]"
    assert any(isinstance(e, RunStepEvent) for e in events)
    text = "".join(e.text for e in events if isinstance(e, MessageDeltaEvent))
    assert text == REPLY_TEXT
    assert stream.run is not None and stream.run.status == "completed"


def test_stream_function_tool_ends_at_requires_action(server: LocalServer, opts: dict) -> None:
    run = runs_create_run_stream("thread_sf", "asst_1", tools=[FUNCTION_TOOL], **opts).until_done()
    assert run is not None and run.status == "requires_action"
    assert run.required_action.submit_tool_outputs.tool_calls[0].function.name == "get_weather"


def sse(*events: tuple[str, object]) -> bytes:
    return b"".join(
        f"event: {name}\ndata: {json.dumps(data) if not isinstance(data, str) else data}\n\n".encode()
        for name, data in events
    )


RUN = new_run("run_9", "thread_x", {"assistant_id": "asst_1"})


def test_stream_unknown_events_pass_through(server: LocalServer, opts: dict) -> None:
    body = sse(("thread.run.created", RUN), ("thread.future.thing", {"x": 1}), ("done", "[DONE]"))
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "text/event-stream"}))
    events = list(runs_create_run_stream("thread_u", "asst_1", **opts))
    assert [type(e) for e in events] == [RunEvent, StreamEvent, DoneEvent]
    assert events[1].event == "thread.future.thing" and events[1].data == {"x": 1}


def test_stream_error_event_raises(server: LocalServer, opts: dict) -> None:
    body = sse(
        ("thread.run.created", RUN),
        ("error", {"error": {"message": "The server had an error", "code": "server_error"}}),
    )
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "text/event-stream"}))
    stream = runs_create_run_stream("thread_e", "asst_1", **opts)
    with pytest.raises(StreamError) as info:
        list(stream)
    assert info.value.code == "server_error"
    assert "received error message: 'The server had an error'" in info.value.message_long


def test_stream_error_status_is_enriched(server: LocalServer, opts: dict) -> None:
    with pytest.raises(APIStatusError) as info:
        runs_create_run_stream("thread_1", "nope", **opts)
    assert info.value.status_code == 404


def test_stream_answered_with_json_is_a_clear_error(server: LocalServer, opts: dict) -> None:
    server.inject(Fault(status=200, body=json.dumps(RUN).encode()))
    with pytest.raises(ResponseParseError, match="expected text/event-stream"):
        list(runs_create_run_stream("thread_j", "asst_1", **opts))


def test_stream_async(server: LocalServer, opts: dict) -> None:
    async def main() -> list[str]:
        stream = await runs_create_run_stream_async("thread_as", "asst_1", **opts)
        return [e.event async for e in stream]

    names = asyncio.run(main())
    assert names[0] == "thread.run.created" and names[-1] == "done"


# ------------------------------------------------------------------ polling


def test_poll_until_completed(server: LocalServer, opts: dict) -> None:
    seen: list[str] = []
    run = runs_create_run_and_poll(
        "thread_p", "asst_1", poll_interval=0, on_status=lambda r: seen.append(r.status), **opts
    )
    assert run.status == "completed"
    assert seen == ["queued", "in_progress", "completed"]
    assert [r.method for r in server.requests] == ["POST", "GET", "GET"]
    assert server.requests[-1].path == f"/v1/threads/thread_p/runs/{run.id}"
    assert server.requests[-1].body == b""


def test_poll_function_tool_stops_at_requires_action(server: LocalServer, opts: dict) -> None:
    run = runs_create_run_and_poll("thread_pf", "asst_1", tools=[FUNCTION_TOOL], poll_interval=0, **opts)
    assert run.status == "requires_action"


def test_poll_honours_poll_after_header(opts: dict) -> None:
    with LocalServer(create_missing=True, poll_after_ms=150) as srv:
        import time

        start = time.monotonic()
        runs_create_run_and_poll(
            "thread_ph", "asst_1", poll_interval=0, base_url=srv.url, api_key=opts["api_key"]
        )
        assert time.monotonic() - start >= 0.3  # two waits of at least 150 ms each


def test_poll_deadline(server: LocalServer, opts: dict) -> None:
    server.inject(*[Fault("patch", patch={"status": "in_progress"})] * 200)
    with pytest.raises(PollTimeoutError) as info:
        runs_create_run_and_poll("thread_pt", "asst_1", poll_interval=0.02, poll_timeout=0.3, **opts)
    assert info.value.run.status == "in_progress"
    assert "poll timeout of 0.3s" in info.value.message_long


def test_get_run(server: LocalServer, opts: dict) -> None:
    created = runs_create_run_and_poll("thread_g", "asst_1", poll_interval=0, **opts)
    again = runs_get_run("thread_g", created.id, **opts)
    assert again.id == created.id and again.status == "completed"
    with pytest.raises(APIStatusError) as info:
        runs_get_run("thread_g", "run_missing", **opts)
    assert info.value.status_code == 404


# ------------------------------------------------------------------ async


def test_async_200_concurrent_runs(server: LocalServer, opts: dict) -> None:
    async def main() -> list:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=50)) as client:
            return await asyncio.gather(
                *(
                    runs_create_run_request_async(
                        f"thread_c{i}", "asst_1", metadata={"i": str(i)}, http_client=client, **opts
                    )
                    for i in range(200)
                )
            )

    runs = asyncio.run(main())
    assert len({r.id for r in runs}) == 200
    assert all(
        r.thread_id == f"thread_c{i}" and r.metadata.additional_properties == {"i": str(i)}
        for i, r in enumerate(runs)
    )
    assert len(server.requests) == 200


def test_async_default_client_and_poll(server: LocalServer, opts: dict) -> None:
    async def main() -> str:
        run = await runs_create_run_and_poll_async("thread_ap", "asst_1", poll_interval=0, **opts)
        return str(run.status)

    assert asyncio.run(main()) == "completed"


def test_async_errors_match_sync(server: LocalServer, opts: dict) -> None:
    server.inject(Fault(status=503), Fault(status=503), Fault(status=503))

    async def main() -> None:
        from oaii import RetryPolicy

        await runs_create_run_request_async(
            "thread_ae", "asst_1", max_retries=RetryPolicy(backoff_base=0.001), **opts
        )

    with pytest.raises(APIStatusError) as info:
        asyncio.run(main())
    assert info.value.status_code == 503 and info.value.attempts == 3


def test_get_run_refuses_create_fields(server: LocalServer, opts: dict) -> None:
    from oaii import InputError

    with pytest.raises(InputError, match="'temperature': temperature: is not an argument of runs_get_run"):
        runs_get_run("thread_g", "run_1", temperature=1, **opts)  # type: ignore[call-arg]
    assert len(server.requests) == 0


def test_stream_is_one_pass_that_later_reads_continue(server: LocalServer, opts: dict) -> None:
    stream = runs_create_run_stream("thread_twice", "asst_1", **opts)
    first = next(iter(stream))
    assert first.event == "thread.run.created"
    final = stream.until_done()  # goes on from the second event; not a network error
    assert final is not None and final.status == "completed"
    assert list(stream) == []  # all read: nothing more, and no error that looks like a network fault


def test_async_stream_is_one_pass_too(server: LocalServer, opts: dict) -> None:
    async def main() -> tuple[str, str | None, list[object]]:
        stream = await runs_create_run_stream_async("thread_twice_a", "asst_1", **opts)
        first = await stream.__aiter__().__anext__()
        final = await stream.until_done()
        rest = [event async for event in stream]
        return first.event, final.status if final else None, rest

    assert asyncio.run(main()) == ("thread.run.created", "completed", [])


def test_stream_cut_mid_way(server: LocalServer, opts: dict) -> None:
    from oaii import APIConnectionError

    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 5000\r\n\r\n"
    server.inject(Fault("reset", body=head + sse(("thread.run.created", RUN))))
    seen: list[str] = []
    with pytest.raises(APIConnectionError) as info:
        for event in runs_create_run_stream("thread_cut", "asst_1", **opts):
            seen.append(event.event)
    assert seen == ["thread.run.created"]
    assert info.value.status_code is None


def test_async_get_run_stream_context_and_retries(server: LocalServer, opts: dict) -> None:
    from oaii import APIConnectionError, RetryPolicy, runs_get_run_async

    async def main() -> tuple[str, str | None, int]:
        async with await runs_create_run_stream_async("thread_ac", "asst_1", **opts) as stream:
            final = await stream.until_done()
        got = await runs_get_run_async("thread_ac", final.id, **opts)
        server.inject(Fault("reset"), Fault("reset"), Fault("reset"))
        try:
            await runs_create_run_request_async(
                "thread_ar", "asst_1", **opts, max_retries=RetryPolicy(backoff_base=0.001)
            )
        except APIConnectionError as err:
            return got.status, err.message_long, err.attempts
        return got.status, None, 0

    status, message, attempts = asyncio.run(main())
    assert status == "completed"
    assert message is not None and "gave up after 3 attempts" in message and attempts == 3


def test_stream_event_that_is_not_a_run_hides_the_key(server: LocalServer, opts: dict) -> None:
    body = sse(("thread.run.created", {"object": "thread.run", "note": f"Bearer {opts['api_key']}"}))
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "text/event-stream"}))
    with pytest.raises(ResponseParseError) as info:
        list(runs_create_run_stream("thread_k", "asst_1", **opts))
    assert "does not carry a run" in info.value.message_long
    assert opts["api_key"] not in info.value.message_long + (info.value.body or "") + repr(info.value)


# ------------------------------------------------------------------ terminal statuses


def _run_with_status(status: str) -> Callable[[Request], bytes]:
    run = {**json.loads(run_json("run_st")), "status": status}
    return lambda request: response(json.dumps(run).encode())


@pytest.mark.parametrize(
    "status", ["completed", "requires_action", "failed", "cancelled", "expired", "incomplete"]
)
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_poll_stops_at_each_terminal_status(status: str, is_async: bool) -> None:
    """The API's terminal statuses, each on its own: the create's answer is returned, nothing polled.
    (A status missing from the list would poll on until poll_timeout.)"""
    with RawServer(send(_run_with_status(status))) as server:
        options = {"api_key": "sk-t", "base_url": server.url, "poll_interval": 0.0, "poll_timeout": 2.0}
        if is_async:
            run = asyncio.run(runs_create_run_and_poll_async("thread_st", "asst_1", **options))
        else:
            run = runs_create_run_and_poll("thread_st", "asst_1", **options)
        assert run.status == status
        assert [r.op for r in server.requests] == ["create"]


@pytest.mark.parametrize("status", ["queued", "in_progress", "cancelling"])
def test_poll_goes_on_through_each_status_that_is_not_terminal(status: str) -> None:
    with RawServer(send(_run_with_status(status)), send(_run_with_status("completed"))) as server:
        run = runs_create_run_and_poll(
            "thread_st", "asst_1", api_key="sk-t", base_url=server.url, poll_interval=0.0, poll_timeout=5.0
        )
        assert run.status == "completed"
        assert [r.op for r in server.requests] == ["create", "get"]
