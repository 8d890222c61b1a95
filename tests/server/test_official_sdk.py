"""The official openai SDK, with strict response validation, against the local server.

Strict mode makes the SDK validate every object it parses against its own models,
so a missing or mistyped field in a run, step, message or event fails here.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import pytest
from oaii.server import REPLY_TEXT, Fault, LocalServer

from ..conftest import skip_unless_sdk_runs

openai = pytest.importorskip("openai", reason="the dev extra installs openai")


@pytest.fixture(autouse=True)
def _assistants_v2_spec() -> None:
    skip_unless_sdk_runs()


FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather"}}


@pytest.fixture
def client(server: LocalServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(
        api_key="sk-sdk-test", base_url=server.url, _strict_response_validation=True, max_retries=0
    ) as sdk:
        yield sdk


@pytest.fixture(autouse=True)
def _quiet_deprecations() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks Assistants deprecated
        yield


def test_create_poll_and_list(client: openai.OpenAI) -> None:
    runs = client.beta.threads.runs
    run = runs.create(thread_id="thread_sdk", assistant_id="asst_1", metadata={"k": "v"}, temperature=0.3)
    assert run.status == "queued" and run.metadata == {"k": "v"}
    done = runs.poll(run.id, thread_id="thread_sdk", poll_interval_ms=1)
    assert done.status == "completed" and done.usage is not None
    page = runs.list(thread_id="thread_sdk", limit=5)
    assert [r.id for r in page.data] == [run.id]
    assert runs.retrieve(run.id, thread_id="thread_sdk").status == "completed"


def test_stream_to_the_end(client: openai.OpenAI) -> None:
    with client.beta.threads.runs.stream(thread_id="thread_sdks", assistant_id="asst_1") as stream:
        names = [event.event for event in stream]
        final = stream.get_final_run()
        text = "".join(
            part.text.value for m in stream.get_final_messages() for part in m.content if part.type == "text"
        )
    assert names[0] == "thread.run.created" and names[-1] == "thread.run.completed"
    assert "thread.run.step.completed" in names and "thread.message.delta" in names
    assert final.status == "completed" and text == REPLY_TEXT


def test_submit_tool_outputs_plain_and_streamed(client: openai.OpenAI) -> None:
    runs = client.beta.threads.runs
    run = runs.create_and_poll(
        thread_id="thread_sdkt", assistant_id="asst_1", tools=[FUNCTION_TOOL], poll_interval_ms=1
    )
    assert run.status == "requires_action" and run.required_action is not None
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert call.function.name == "get_weather"
    done = runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id="thread_sdkt",
        tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}],
        poll_interval_ms=1,
    )
    assert done.status == "completed"

    with runs.stream(thread_id="thread_sdkt", assistant_id="asst_1", tools=[FUNCTION_TOOL]) as stream:
        stream.until_done()
        waiting = stream.get_final_run()
    assert waiting.status == "requires_action" and waiting.required_action is not None
    call = waiting.required_action.submit_tool_outputs.tool_calls[0]
    with runs.submit_tool_outputs_stream(
        run_id=waiting.id, thread_id="thread_sdkt", tool_outputs=[{"tool_call_id": call.id, "output": "rain"}]
    ) as stream:
        names = [event.event for event in stream]
        final = stream.get_final_run()
    assert names[0] == "thread.run.step.completed" and final.status == "completed"


def test_cancel(client: openai.OpenAI) -> None:
    runs = client.beta.threads.runs
    run = runs.create(thread_id="thread_sdkc", assistant_id="asst_1")
    assert runs.cancel(run.id, thread_id="thread_sdkc").status == "cancelling"
    assert runs.retrieve(run.id, thread_id="thread_sdkc").status == "cancelled"


def test_a_lost_response_and_the_sdk_retry_with_its_idempotency_key(server: LocalServer) -> None:
    """The SDK retries a createRun whose response was lost; the key it sends makes the retry safe."""
    server.inject(Fault("drop_response"))
    with openai.OpenAI(
        api_key="sk-sdk-test", base_url=server.url, _strict_response_validation=True, max_retries=1
    ) as sdk:
        run = sdk.beta.threads.runs.create(
            thread_id="thread_sdki", assistant_id="asst_1", extra_headers={"Idempotency-Key": "sdk-key-1"}
        )
    assert run.status == "queued"
    assert [r.method for r in server.requests] == ["POST", "POST"]
    assert len(server.store.table.threads["thread_sdki"]) == 1  # one run, not two


def test_strict_mode_is_live(server: LocalServer, client: openai.OpenAI) -> None:
    """The checks above can fail: an incomplete run or step is refused by the strict SDK."""
    server.inject(Fault("patch", drop=("created_at",)))
    with pytest.raises(openai.APIResponseValidationError):
        client.beta.threads.runs.create(thread_id="thread_sdkx", assistant_id="asst_1")
    step = {
        "id": "step_1",
        "object": "thread.run.step",
        "run_id": "run_1",
        "assistant_id": "asst_1",
        "thread_id": "thread_1",
    }
    body = (
        f"event: thread.run.step.created\ndata: {json.dumps(step)}\n\nevent: done\ndata: [DONE]\n\n".encode()
    )
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "text/event-stream"}))
    with (
        pytest.raises(openai.APIResponseValidationError),
        client.beta.threads.runs.stream(thread_id="thread_sdky", assistant_id="asst_1") as stream,
    ):
        stream.until_done()
