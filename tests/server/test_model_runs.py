"""Runs carried out by a model: the local server with ``model_base_url`` pointing at a fake
Chat Completions backend on loopback, driven by the official SDK in strict mode (sync and
async) and by the oaii client.  The backend checks every request it gets against upstream's
CreateChatCompletionRequest (the fixture fails the test otherwise)."""

from __future__ import annotations

import asyncio
import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from oaii import (
    MessageDeltaEvent,
    runs_create_run_and_poll,
    runs_create_run_request,
    runs_create_run_stream,
    runs_create_run_stream_async,
    runs_get_run,
)
from oaii.server import LocalServer

from ..conftest import skip_unless_sdk_runs, skip_unless_spec
from ._fake_backend import DEFAULT_TEXT, Answer, FakeBackend, Gate, Hang, Raw, Reset, Status, Text, ToolCalls

openai = pytest.importorskip("openai", reason="the dev extra installs openai")

MODEL_KEY = 'sk-model-"secret\\key/0123456789'
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}
CLOCK = {"type": "function", "function": {"name": "get_time"}}
TERMINAL = {"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"}


@pytest.fixture(autouse=True)
def _assistants_v2() -> Iterator[None]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks Assistants deprecated
        yield


def model_server(backend: FakeBackend, **kw: Any) -> LocalServer:
    options: dict[str, Any] = {
        "model_base_url": backend.url,
        "model_api_key": MODEL_KEY,
        "model_map": {"gpt-4o": "fake-llama"},
        "model_timeout": 2.0,
        **kw,
    }
    return LocalServer(**options)


@pytest.fixture
def server(fake_backend: FakeBackend) -> Iterator[LocalServer]:
    with model_server(fake_backend) as srv:
        yield srv


@pytest.fixture
def sdk(server: LocalServer) -> Iterator[Any]:
    skip_unless_sdk_runs()  # strict: the SDK requires RunObject fields older specs lack
    with openai.OpenAI(
        api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
    ) as client:
        yield client


def asdk(server: LocalServer) -> Any:
    skip_unless_sdk_runs()
    return openai.AsyncOpenAI(
        api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
    )


def _setup(sdk: Any, tools: list[Any] | None = None, text: str = "What is the weather?") -> tuple[Any, Any]:
    assistant = sdk.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=tools or [])
    thread = sdk.beta.threads.create(messages=[{"role": "user", "content": text}])
    return assistant, thread


def _texts(sdk: Any, thread_id: str) -> list[tuple[str, str]]:
    page = sdk.beta.threads.messages.list(thread_id=thread_id, order="asc")
    return [(m.role, "".join(p.text.value for p in m.content if p.type == "text")) for m in page.data]


def _poll(sdk: Any, thread_id: str, run_id: str) -> Any:
    return sdk.beta.threads.runs.poll(run_id, thread_id=thread_id, poll_interval_ms=5)


# ----------------------------------------------------------------------- text runs


def test_a_text_run_writes_the_backends_answer(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("It is sunny.", usage=(21, 4)))
    assistant, thread = _setup(sdk)
    run = sdk.beta.threads.runs.create_and_poll(
        thread_id=thread.id,
        assistant_id=assistant.id,
        additional_instructions="In English.",
        poll_interval_ms=5,
    )
    assert run.status == "completed" and run.last_error is None
    assert (run.usage.prompt_tokens, run.usage.completion_tokens, run.usage.total_tokens) == (21, 4, 25)
    assert _texts(sdk, thread.id) == [("user", "What is the weather?"), ("assistant", "It is sunny.")]
    steps = sdk.beta.threads.runs.steps.list(run_id=run.id, thread_id=thread.id).data
    assert [(s.type, s.status) for s in steps] == [("message_creation", "completed")]
    assert steps[0].usage is not None and steps[0].usage.total_tokens == 25
    message = sdk.beta.threads.messages.list(thread_id=thread.id, run_id=run.id).data[0]
    assert steps[0].step_details.message_creation.message_id == message.id and message.run_id == run.id
    sent = fake_backend.requests[0]
    assert sent.headers["authorization"] == "Bearer " + MODEL_KEY
    assert sent.body["model"] == "fake-llama"
    assert sent.body["messages"] == [
        {"role": "system", "content": "Be brief. In English."},
        {"role": "user", "content": "What is the weather?"},
    ]


def test_polling_sees_in_progress_while_the_backend_works(sdk: Any, fake_backend: FakeBackend) -> None:
    gate = Gate()
    fake_backend.script(Text("slow answer", gate=gate))
    assistant, thread = _setup(sdk)
    run = sdk.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert gate.reached.wait(30)
    assert sdk.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "in_progress"
    gate.open()
    assert _poll(sdk, thread.id, run.id).status == "completed"
    assert _texts(sdk, thread.id)[-1] == ("assistant", "slow answer")


def test_the_threads_earlier_answers_are_sent_back(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("First."), Text("Second."))
    assistant, thread = _setup(sdk, text="One?")
    runs = sdk.beta.threads.runs
    runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5)
    sdk.beta.threads.messages.create(thread_id=thread.id, role="user", content="Two?")
    runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5, temperature=0.2)
    second = fake_backend.requests[1].body
    assert [(m["role"], m["content"]) for m in second["messages"]] == [
        ("system", "Be brief."),
        ("user", "One?"),
        ("assistant", "First."),
        ("user", "Two?"),
    ]
    assert second["temperature"] == 0.2


# ----------------------------------------------------------------------- tools


def test_a_tool_round_trip_keeps_the_call_ids(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(
        ToolCalls([("call_w1", "get_weather", '{"city": "Paris"}'), ("call_t2", "get_time", "{}")]),
        Text("Sunny, at noon."),
    )
    assistant, thread = _setup(sdk, tools=[WEATHER, CLOCK])
    runs = sdk.beta.threads.runs
    run = runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("call_w1", "get_weather", '{"city": "Paris"}'),
        ("call_t2", "get_time", "{}"),
    ]
    done = runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[
            {"tool_call_id": "call_t2", "output": "12:00"},
            {"tool_call_id": "call_w1", "output": "sunny"},
        ],
        poll_interval_ms=5,
    )
    assert done.status == "completed" and done.usage.total_tokens == 18 + 18
    assert _texts(sdk, thread.id)[-1] == ("assistant", "Sunny, at noon.")
    steps = runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    outputs = {c.id: c.function.output for c in steps[0].step_details.tool_calls}
    assert outputs == {"call_w1": "sunny", "call_t2": "12:00"}
    again = fake_backend.requests[1].body["messages"]
    assert again[-3]["role"] == "assistant" and [c["id"] for c in again[-3]["tool_calls"]] == [
        "call_w1",
        "call_t2",
    ]
    assert [(m["role"], m["tool_call_id"], m["content"]) for m in again[-2:]] == [
        ("tool", "call_w1", "sunny"),
        ("tool", "call_t2", "12:00"),
    ]
    sent = fake_backend.requests[0].body
    assert [t["function"]["name"] for t in sent["tools"]] == ["get_weather", "get_time"]
    assert sent["tool_choice"] == "auto" and sent["parallel_tool_calls"] is True


@pytest.mark.parametrize("tools", [[{"type": "code_interpreter"}], [WEATHER, {"type": "file_search"}]])
def test_tools_the_backend_cannot_run_are_refused(
    sdk: Any, fake_backend: FakeBackend, tools: list[Any]
) -> None:
    assistant, thread = _setup(sdk, tools=tools)
    kind = tools[-1]["type"]
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert caught.value.body["param"] == "tools" and f"'{kind}'" in caught.value.body["message"]
    with pytest.raises(openai.BadRequestError):
        sdk.beta.threads.create_and_run(assistant_id=assistant.id)
    # The run's own tools replace the assistant's: without them, it runs.
    fake_backend.script(Text("fine"))
    run = sdk.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=assistant.id, tools=[], poll_interval_ms=5
    )
    assert run.status == "completed" and fake_backend.requests[-1].body.get("tools") is None


# ----------------------------------------------------------------------- streams


def test_a_stream_forwards_deltas_before_the_answer_is_complete(sdk: Any, fake_backend: FakeBackend) -> None:
    gate = Gate()
    fake_backend.script(Text("one two three four", gate=gate, gate_after=2))
    assistant, thread = _setup(sdk)
    names: list[str] = []
    early: list[str] = []
    with sdk.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        for event in stream:
            names.append(event.event)
            if event.event == "thread.message.delta":
                early.append(event.data.delta.content[0].text.value)
                if len(early) == 2:
                    # The backend holds the rest until the gate opens: these came live.
                    assert gate.reached.is_set()
                    gate.open()
        final = stream.get_final_run()
        text = "".join(p.text.value for m in stream.get_final_messages() for p in m.content)
    assert early == ["one", " two", " three", " four"] and text == "one two three four"
    assert final.status == "completed" and final.usage is not None
    assert names[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert names[-3:] == ["thread.message.completed", "thread.run.step.completed", "thread.run.completed"]
    assert _texts(sdk, thread.id)[-1] == ("assistant", "one two three four")


def test_a_streamed_tool_round_trip(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(ToolCalls([("call_s1", "get_weather", "{}")]), Text("Done streaming."))
    assistant, thread = _setup(sdk, tools=[WEATHER])
    runs = sdk.beta.threads.runs
    with runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        names = [e.event for e in stream]
        run = stream.get_final_run()
    assert names[-1] == "thread.run.requires_action" and run.status == "requires_action"
    with runs.submit_tool_outputs_stream(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": "call_s1", "output": "rain"}]
    ) as stream:
        names = [e.event for e in stream]
        final = stream.get_final_run()
    assert names[0] == "thread.run.step.completed" and "thread.message.delta" in names
    assert final.status == "completed"
    assert _texts(sdk, thread.id)[-1] == ("assistant", "Done streaming.")


def test_streamed_tool_calls_reach_the_sdks_tool_call_callbacks(sdk: Any, fake_backend: FakeBackend) -> None:
    # text first, then two calls, each call's arguments in two pieces (cut in the middle)
    weather, clock = ("call_w1", "get_weather", '{"city": "Paris"}'), ("call_t2", "get_time", '{"tz": "UTC"}')
    fake_backend.script(ToolCalls([weather, clock], text="Let me look."), Text("Sunny, at noon."))
    assistant, thread = _setup(sdk, tools=[WEATHER, CLOCK])
    seen: list[tuple[Any, ...]] = []

    class Handler(openai.AssistantEventHandler):  # type: ignore[misc]
        def on_event(self, event: Any) -> None:
            if event.event.startswith(("thread.run.step.", "thread.message.completed")):
                seen.append((event.event, getattr(event.data, "type", None)))

        def on_tool_call_created(self, tool_call: Any) -> None:
            seen.append(("created", tool_call.id, tool_call.function.name, tool_call.function.arguments))

        def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
            seen.append(("delta", delta.index, delta.function.arguments, snapshot.function.arguments))

        def on_tool_call_done(self, tool_call: Any) -> None:
            seen.append(("done", tool_call.id, tool_call.function.arguments))

    runs = sdk.beta.threads.runs
    with runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()) as stream:
        stream.until_done()
        run = stream.get_final_run()
    step = ("thread.run.step.delta", None)
    assert seen == [
        ("thread.run.step.created", "message_creation"),
        ("thread.run.step.in_progress", "message_creation"),
        ("thread.message.completed", None),  # the message ends as the calls begin
        ("thread.run.step.completed", "message_creation"),
        ("thread.run.step.created", "tool_calls"),
        ("thread.run.step.in_progress", "tool_calls"),
        step,
        ("created", "call_w1", "get_weather", '{"city":'),
        step,
        ("delta", 0, ' "Paris"}', '{"city": "Paris"}'),
        step,
        ("done", "call_w1", '{"city": "Paris"}'),
        ("created", "call_t2", "get_time", '{"tz":'),
        step,
        ("delta", 1, ' "UTC"}', '{"tz": "UTC"}'),
        ("done", "call_t2", '{"tz": "UTC"}'),
    ]
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [(c.id, c.function.arguments) for c in calls] == [("call_w1", weather[2]), ("call_t2", clock[2])]
    steps = runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc").data
    assert [(s.type, s.status) for s in steps] == [
        ("message_creation", "completed"),
        ("tool_calls", "in_progress"),
    ]
    assert steps[0].usage is not None and steps[0].usage.total_tokens == 18  # its call's, set at the end
    assert [c.id for c in steps[1].step_details.tool_calls] == ["call_w1", "call_t2"]
    done = runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread.id,
        tool_outputs=[
            {"tool_call_id": "call_w1", "output": "sunny"},
            {"tool_call_id": "call_t2", "output": "12:00"},
        ],
        poll_interval_ms=5,
    )
    assert done.status == "completed"
    assert _texts(sdk, thread.id)[-2:] == [("assistant", "Let me look."), ("assistant", "Sunny, at noon.")]
    steps = runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc").data
    assert [(s.type, s.status) for s in steps][1] == ("tool_calls", "completed")
    assert {c.id: c.function.output for c in steps[1].step_details.tool_calls} == {
        "call_w1": "sunny",
        "call_t2": "12:00",
    }


def test_a_stream_cut_in_a_tool_call_fails_its_step_and_run(sdk: Any, fake_backend: FakeBackend) -> None:
    call = {
        "index": 0,
        "id": "call_c",
        "type": "function",
        "function": {"name": "get_weather", "arguments": "{"},
    }
    chunk = {"choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}]}
    fake_backend.script(Raw(b"data: " + json.dumps(chunk).encode() + b"\n\n"))  # then the stream ends
    assistant, thread = _setup(sdk, tools=[WEATHER])
    runs = sdk.beta.threads.runs
    with runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        names = [e.event for e in stream]
        run = stream.get_final_run()
    assert run.status == "failed" and "ended the stream" in run.last_error.message
    assert names[-5:] == [
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.run.step.delta",
        "thread.run.step.failed",
        "thread.run.failed",
    ]
    assert len(fake_backend.requests) == 1  # not tried again once a call was handed on
    (step,) = runs.steps.list(run_id=run.id, thread_id=thread.id).data
    assert (step.type, step.status, step.last_error.code) == ("tool_calls", "failed", "server_error")


def test_a_stream_cut_after_text_fails_the_run(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("partial answer here", reset_after=1))
    assistant, thread = _setup(sdk)
    with sdk.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        names = [e.event for e in stream]
        final = stream.get_final_run()
    assert final.status == "failed" and final.last_error.code == "server_error"
    assert "before the answer was complete" in final.last_error.message
    assert names[-4:] == [
        "thread.message.delta",
        "thread.message.incomplete",
        "thread.run.step.failed",
        "thread.run.failed",
    ]
    message = sdk.beta.threads.messages.list(thread_id=thread.id).data[0]
    assert message.status == "incomplete" and message.content[0].text.value == "partial"
    assert len(fake_backend.requests) == 1  # text was handed on: no retry


# ----------------------------------------------------------------------- cancel, failures


def test_cancel_stops_the_backend_call(sdk: Any, fake_backend: FakeBackend) -> None:
    fake_backend.script(Hang())
    assistant, thread = _setup(sdk)
    runs = sdk.beta.threads.runs
    run = runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert fake_backend.received.wait(30)
    assert runs.cancel(run.id, thread_id=thread.id).status in ("cancelling", "cancelled")
    assert _poll(sdk, thread.id, run.id).status == "cancelled"
    assert fake_backend.closed_while_waiting.wait(30)  # the connection to the backend was closed


FAILURES: list[tuple[str, list[Answer], str, str]] = [
    ("500s", [Status(500, message="upstream exploded")] * 9, "server_error", "upstream exploded"),
    ("429s", [Status(429, message="too many")] * 9, "rate_limit_exceeded", "rate limiting"),
    ("timeout", [Hang()], "server_error", "did not answer within 1.5 s"),
    ("garbage", [Raw(b"data: {{{garbage\n\n")] * 9, "server_error", "not a chat completion"),
    ("html", [Raw(b"<html>gateway</html>", content_type="text/html")] * 9, "server_error", "text/html"),
    ("resets", [Reset()] * 9, "server_error", "closed the connection"),
    (
        "key-echo",
        [Status(401, message=f"Incorrect API key provided: {MODEL_KEY}")],
        "server_error",
        "refused the key",
    ),
]


@pytest.mark.parametrize(
    ("answers", "code", "words"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_a_failing_backend_fails_the_run_and_the_server_goes_on(
    answers: list[Answer], code: str, words: str
) -> None:
    skip_unless_sdk_runs()
    with (
        FakeBackend(validate=False) as backend,
        model_server(backend, model_timeout=1.5) as server,
        openai.OpenAI(
            api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
        ) as sdk,
    ):
        backend.script(*answers)
        assistant, thread = _setup(sdk)
        run = sdk.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5
        )
        assert run.status == "failed" and run.failed_at is not None
        assert run.last_error.code == code and words in run.last_error.message
        for form in (MODEL_KEY, json.dumps(MODEL_KEY)[1:-1], "0123456789"):
            assert form not in run.last_error.message
        assert _texts(sdk, thread.id) == [("user", "What is the weather?")]
        backend.answers.clear()
        backend.script(Text("Back again."))
        other = sdk.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
        ok = sdk.beta.threads.runs.create_and_poll(
            thread_id=other.id, assistant_id=assistant.id, poll_interval_ms=5
        )
        assert ok.status == "completed"


def test_a_slow_backend_blocks_no_other_request(
    sdk: Any, fake_backend: FakeBackend, server: LocalServer
) -> None:
    fake_backend.script(Hang(), Text("quick"))
    assistant, slow = _setup(sdk)
    runs = sdk.beta.threads.runs
    stuck = runs.create(thread_id=slow.id, assistant_id=assistant.id)
    assert fake_backend.received.wait(30)
    # While that run's backend call hangs, everything else is answered, other runs included.
    fast = sdk.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    done = runs.create_and_poll(thread_id=fast.id, assistant_id=assistant.id, poll_interval_ms=5)
    assert done.status == "completed" and _texts(sdk, fast.id)[-1] == ("assistant", "quick")
    assert sdk.beta.assistants.retrieve(assistant.id).id == assistant.id
    assert runs.retrieve(stuck.id, thread_id=slow.id).status == "in_progress"
    runs.cancel(stuck.id, thread_id=slow.id)
    assert _poll(sdk, slow.id, stuck.id).status == "cancelled"


def test_a_run_past_its_expiry_is_expired_and_its_call_closed(fake_backend: FakeBackend) -> None:
    skip_unless_sdk_runs()
    fake_backend.script(Hang())
    with (
        model_server(fake_backend, model_timeout=30.0, run_expiry=0.3) as server,
        openai.OpenAI(
            api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
        ) as sdk,
    ):
        assistant, thread = _setup(sdk)
        run = sdk.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
        assert fake_backend.closed_while_waiting.wait(30)
        assert _poll(sdk, thread.id, run.id).status == "expired"


# ----------------------------------------------------------------------- the async SDK


def test_the_async_sdk_text_tools_and_stream(server: LocalServer, fake_backend: FakeBackend) -> None:
    gate = Gate()
    fake_backend.script(
        Text("async text"),
        ToolCalls([("call_a9", "get_weather", "{}")]),
        Text("after tools"),
        Text("live one two", gate=gate, gate_after=1),
    )

    async def go() -> None:
        async with asdk(server) as sdk:
            beta = sdk.beta
            assistant = await beta.assistants.create(model="gpt-4o", tools=[WEATHER])
            thread = await beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
            run = await beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id, tools=[], poll_interval_ms=5
            )
            assert run.status == "completed"
            run = await beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5
            )
            assert run.status == "requires_action"
            assert run.required_action.submit_tool_outputs.tool_calls[0].id == "call_a9"
            run = await beta.threads.runs.submit_tool_outputs_and_poll(
                run_id=run.id,
                thread_id=thread.id,
                tool_outputs=[{"tool_call_id": "call_a9", "output": "x"}],
                poll_interval_ms=5,
            )
            assert run.status == "completed"
            deltas = []
            async with beta.threads.runs.stream(
                thread_id=thread.id, assistant_id=assistant.id, tools=[]
            ) as stream:
                async for event in stream:
                    if event.event == "thread.message.delta":
                        deltas.append(event.data.delta.content[0].text.value)
                        gate.open()  # the first delta came while the backend held the rest
                final = await stream.get_final_run()
            assert deltas == ["live", " one", " two"] and final.status == "completed"
            page = await beta.threads.messages.list(thread_id=thread.id, order="asc")
            assert [m.content[0].text.value for m in page.data if m.role == "assistant"] == [
                "async text",
                "after tools",
                "live one two",
            ]

    asyncio.run(go())


def test_the_async_sdk_cancel_and_failure(fake_backend: FakeBackend) -> None:
    skip_unless_sdk_runs()
    fake_backend.script(Hang(), *[Status(503)] * 9)

    async def go(server: LocalServer) -> None:
        async with asdk(server) as sdk:
            beta = sdk.beta
            assistant = await beta.assistants.create(model="gpt-4o")
            thread = await beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
            run = await beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
            loop = asyncio.get_running_loop()
            assert await loop.run_in_executor(None, fake_backend.received.wait, 5)
            await beta.threads.runs.cancel(run.id, thread_id=thread.id)
            run = await beta.threads.runs.poll(run.id, thread_id=thread.id, poll_interval_ms=5)
            assert run.status == "cancelled"
            assert await loop.run_in_executor(None, fake_backend.closed_while_waiting.wait, 5)
            run = await beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5
            )
            assert run.status == "failed" and run.last_error.code == "server_error"
            assert "503" in run.last_error.message

    with model_server(fake_backend, model_timeout=1.0) as server:
        asyncio.run(go(server))


# ----------------------------------------------------------------------- the oaii client


def _ids(server: LocalServer) -> tuple[str, str]:
    headers = {"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        assistant = http.post("/assistants", json={"model": "gpt-4o", "tools": [WEATHER]}).json()
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
    return assistant["id"], thread["id"]


def test_the_oaii_client_drives_model_runs(server: LocalServer, fake_backend: FakeBackend) -> None:
    assistant_id, thread_id = _ids(server)
    opts: dict[str, Any] = {"base_url": server.url, "api_key": "sk-user"}
    fake_backend.script(Text("from oaii"), ToolCalls([("call_o1", "get_weather", "{}")]))
    run = runs_create_run_request(thread_id, assistant_id, tools=[], **opts)
    assert run.status == "queued"
    deadline = time.monotonic() + 10
    while run.status not in TERMINAL and time.monotonic() < deadline:  # nobody else moves it
        run = runs_get_run(thread_id, run.id, **opts)
    assert run.status == "completed" and run.usage is not None
    polled = runs_create_run_and_poll(thread_id, assistant_id, poll_interval=0.005, **opts)
    assert polled.status == "requires_action"
    assert polled.required_action is not None
    assert polled.required_action.submit_tool_outputs.tool_calls[0].id == "call_o1"


def test_the_oaii_client_streams_live(server: LocalServer, fake_backend: FakeBackend) -> None:
    assistant_id, thread_id = _ids(server)
    gate = Gate()
    fake_backend.script(Text("streamed by oaii", gate=gate, gate_after=1), Text("async too"))
    opts: dict[str, Any] = {"base_url": server.url, "api_key": "sk-user"}
    texts: list[str] = []
    with runs_create_run_stream(thread_id, assistant_id, tools=[], **opts) as stream:
        for event in stream:
            if isinstance(event, MessageDeltaEvent):
                texts.append(event.text)
                gate.open()
        assert stream.run is not None and stream.run.status == "completed"
    assert texts == ["streamed", " by", " oaii"]

    async def go() -> list[str]:
        got = []
        stream = await runs_create_run_stream_async(thread_id, assistant_id, tools=[], **opts)
        async for event in stream:
            if isinstance(event, MessageDeltaEvent):
                got.append(event.text)
        await stream.aclose()
        return got

    assert "".join(asyncio.run(go())) == "async too"


def test_model_runs_do_not_start_without_a_base_url(fake_backend: FakeBackend) -> None:
    """Without model_base_url runs stay scripted: the backend is never called."""
    with LocalServer() as server, openai.OpenAI(api_key="sk", base_url=server.url, max_retries=0) as sdk:
        assistant, thread = _setup(sdk)
        run = sdk.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5
        )
        assert run.status == "completed"
    assert fake_backend.requests == []


# ----------------------------------------------------------------------- against the spec


def test_model_runs_and_their_streams_are_valid_against_the_spec(
    server: LocalServer, fake_backend: FakeBackend
) -> None:
    """Every event, run, message and step of model runs, checked against the server's spec
    with every object closed (test_response_schemas' validator, not the SDK's models)."""
    from .test_response_schemas import COMPONENTS, check, check_stream

    run_events = {
        str(m["properties"]["event"]["enum"][0]) for m in COMPONENTS["schemas"]["RunStreamEvent"]["oneOf"]
    }
    if "thread.run.incomplete" not in run_events:
        pytest.skip(
            "the vendored spec's RunStreamEvent has no thread.run.incomplete, which a run cut by "
            "max_completion_tokens sends (regenerated from another version)"
        )

    fake_backend.script(
        Text("streamed text"),
        Text("thread and run"),
        ToolCalls([("call_v1", "get_weather", '{"city": "Oslo"}')]),
        Text("after the tool"),
        Text("cut here now", reset_after=1),
        Status(400, message="no such model"),
        Text("too long", finish_reason="length"),
    )
    headers = {"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        assistant = http.post("/assistants", json={"model": "gpt-4o", "tools": [WEATHER]}).json()
        thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
        runs = f"/threads/{thread['id']}/runs"

        def stream(path: str, body: dict[str, Any]) -> list[str]:
            answer = http.post(path, json={**body, "stream": True})
            assert answer.status_code == 200 and answer.headers["transfer-encoding"] == "chunked"
            return [name for name, _ in check_stream(answer.text)]

        names = stream(runs, {"assistant_id": assistant["id"], "tools": []})
        assert "thread.message.delta" in names and names[-2:] == ["thread.run.completed", "done"]
        names = stream("/threads/runs", {"assistant_id": assistant["id"], "tools": []})
        assert names[0] == "thread.created" and names[-2] == "thread.run.completed"
        names = stream(runs, {"assistant_id": assistant["id"]})
        assert names[-2:] == ["thread.run.requires_action", "done"] and "thread.run.step.delta" in names
        run_id = http.get(runs).json()["data"][0]["id"]
        outputs = {"tool_outputs": [{"tool_call_id": "call_v1", "output": "cold"}]}
        names = stream(f"{runs}/{run_id}/submit_tool_outputs", outputs)
        assert names[0] == "thread.run.step.completed" and names[-2] == "thread.run.completed"
        names = stream(runs, {"assistant_id": assistant["id"], "tools": []})
        assert names[-3:] == ["thread.run.step.failed", "thread.run.failed", "done"]
        names = stream(runs, {"assistant_id": assistant["id"], "tools": []})
        assert names[-2:] == ["thread.run.failed", "done"] and "thread.message.created" not in names
        names = stream(runs, {"assistant_id": assistant["id"], "tools": []})
        assert names[-2:] == ["thread.run.incomplete", "done"]

        for run in http.get(runs, params={"limit": 100}).json()["data"]:
            check("RunObject", run)
            for step in http.get(f"{runs}/{run['id']}/steps").json()["data"]:
                check("RunStepObject", step)
        statuses = [r["status"] for r in http.get(runs, params={"order": "asc"}).json()["data"]]
        assert statuses == ["completed", "completed", "failed", "failed", "incomplete"]
        for message in http.get(f"/threads/{thread['id']}/messages").json()["data"]:
            check("MessageObject", message)


def test_a_thread_deleted_while_its_run_goes_on_gets_nothing_more(
    sdk: Any, fake_backend: FakeBackend, server: LocalServer
) -> None:
    gate = Gate()  # never opened: the answer would never end
    fake_backend.script(Text("too late", gate=gate, gate_after=1), Text("next"))
    assistant, thread = _setup(sdk)
    sdk.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert gate.reached.wait(30)  # its first piece sent: the run is writing a message
    assert sdk.beta.threads.delete(thread.id).deleted
    assert fake_backend.closed_while_waiting.wait(30)  # the backend call was closed at once
    other = sdk.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = sdk.beta.threads.runs.create_and_poll(
        thread_id=other.id, assistant_id=assistant.id, poll_interval_ms=5
    )
    assert run.status == "completed"
    deadline = time.monotonic() + 10
    while server.executor.tasks and time.monotonic() < deadline:  # type: ignore[attr-defined]
        fake_backend.received.wait(0.01)  # the first run's task ends (cancelled with its thread)
    assert not server.executor.tasks  # type: ignore[attr-defined]
    assert server.store.page("message", thread.id, 100, "asc") == ([], False)


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_a_run_the_executor_expires_while_it_awaits_tool_outputs_expires_its_step(
    fake_backend: FakeBackend, tmp_path: Any, backend: str
) -> None:
    """The executor's own deadline (no read of the run reaching it first) ends the run's
    tool_calls step as a read's expiry does: ``expired``, with ``expired_at``."""
    skip_unless_sdk_runs()
    fake_backend.script(ToolCalls([("call_w1", "get_weather", "{}")]))
    db = tmp_path / "expiry.sqlite" if backend == "sqlite" else None
    with (
        model_server(fake_backend, run_expiry=0.5, db=db) as server,
        openai.OpenAI(
            api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
        ) as sdk,
    ):
        assistant, thread = _setup(sdk, tools=[WEATHER])
        run = sdk.beta.threads.runs.create_and_poll(
            thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=5
        )
        assert run.status == "requires_action"
        deadline = time.monotonic() + 10
        while server.api.executor.waiting:  # poll: the executor stops waiting once it expires the run
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert sdk.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "expired"
        steps = sdk.beta.threads.runs.steps.list(run_id=run.id, thread_id=thread.id).data
        assert [(s.type, s.status) for s in steps] == [("tool_calls", "expired")]
        assert steps[0].expired_at is not None and steps[0].completed_at is None


def test_a_burst_of_streamed_runs_all_start_and_stream_the_backends_answer(server: LocalServer) -> None:
    """Twenty streamed runs created at once (their starts queue, one a loop turn) each stream
    the backend's whole answer and complete."""
    sdk = asdk(server)

    async def one(assistant_id: str) -> tuple[str, str]:
        async with sdk.beta.threads.create_and_run_stream(
            assistant_id=assistant_id, thread={"messages": [{"role": "user", "content": "Hi"}]}
        ) as stream:
            text = "".join([delta async for delta in stream.text_deltas])
            return (await stream.get_final_run()).status, text

    async def burst() -> list[tuple[str, str]]:
        try:
            assistant = await sdk.beta.assistants.create(model="gpt-4o")
            return list(await asyncio.gather(*(one(assistant.id) for _ in range(20))))
        finally:
            await sdk.close()

    assert asyncio.run(burst()) == [("completed", DEFAULT_TEXT)] * 20
