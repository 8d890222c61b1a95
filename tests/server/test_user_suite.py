"""A user's own suite, as written for the hosted API, against the local server with faithful ids:
the official SDK in strict mode (sync and async), then the oaii client on ids it created."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator

import pytest
from oaii import runs_create_run_and_poll
from oaii.server import REPLY_TEXT, LocalServer

from ..conftest import skip_unless_sdk_runs, skip_unless_spec

openai = pytest.importorskip("openai", reason="the dev extra installs openai")


@pytest.fixture(autouse=True)
def _assistants_v2_spec() -> Iterator[None]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK marks Assistants deprecated
        yield


@pytest.fixture
def faithful() -> Iterator[LocalServer]:
    with LocalServer() as server:  # no create_missing: ids are the server's own
        yield server


def test_a_whole_suite_with_the_sync_sdk(faithful: LocalServer) -> None:
    skip_unless_sdk_runs()
    with openai.OpenAI(
        api_key="sk-user", base_url=faithful.url, _strict_response_validation=True, max_retries=0
    ) as client:
        beta = client.beta
        assistant = beta.assistants.create(
            model="gpt-4o-mini", instructions="Answer in French.", name="Tutor", temperature=0.3
        )
        assert assistant.id.startswith("asst_") and assistant.model == "gpt-4o-mini"
        assert beta.assistants.retrieve(assistant.id).name == "Tutor"
        assert [a.id for a in beta.assistants.list()] == [assistant.id]

        thread = beta.threads.create(messages=[{"role": "user", "content": "Bonjour ?"}], metadata={"u": "1"})
        assert beta.threads.retrieve(thread.id).metadata == {"u": "1"}

        run = beta.threads.runs.create(
            thread_id=thread.id,
            assistant_id=assistant.id,
            additional_instructions="Be brief.",
            additional_messages=[{"role": "user", "content": "Encore ?"}],
        )
        # The run takes the assistant's settings, its additional instructions appended.
        assert (run.model, run.instructions, run.temperature) == (
            "gpt-4o-mini",
            "Answer in French. Be brief.",
            0.3,
        )
        polls = 0
        while run.status in ("queued", "in_progress"):
            run = beta.threads.runs.retrieve(run.id, thread_id=thread.id)
            polls += 1
            assert polls < 10
        assert run.status == "completed" and run.usage is not None

        messages = beta.threads.messages.list(thread_id=thread.id, order="asc")
        texts = [(m.role, m.content[0].text.value) for m in messages.data]  # type: ignore[union-attr]
        assert texts == [("user", "Bonjour ?"), ("user", "Encore ?"), ("assistant", REPLY_TEXT)]
        reply = messages.data[-1]
        assert reply.run_id == run.id and reply.assistant_id == assistant.id
        assert [m.id for m in beta.threads.messages.list(thread_id=thread.id, run_id=run.id)] == [reply.id]

        steps = beta.threads.runs.steps.list(run_id=run.id, thread_id=thread.id)
        assert [s.type for s in steps.data] == ["message_creation"]
        step = beta.threads.runs.steps.retrieve(steps.data[0].id, thread_id=thread.id, run_id=run.id)
        assert step.step_details.message_creation.message_id == reply.id  # type: ignore[union-attr]

        # updates
        assert beta.assistants.update(assistant.id, name="Tuteur").name == "Tuteur"
        assert beta.threads.update(thread.id, metadata={"u": "2"}).metadata == {"u": "2"}
        assert beta.threads.messages.update(reply.id, thread_id=thread.id, metadata={"k": "v"}).metadata == {
            "k": "v"
        }
        assert beta.threads.runs.update(run.id, thread_id=thread.id, metadata={"r": "1"}).metadata == {
            "r": "1"
        }
        assert beta.threads.runs.retrieve(run.id, thread_id=thread.id).metadata == {"r": "1"}

        # create_and_run, streamed: the stream carries the message the run writes
        with beta.threads.create_and_run_stream(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "Salut"}]}
        ) as stream:
            text = "".join(stream.text_deltas)
            final = stream.get_final_run()
        assert text == REPLY_TEXT and final.status == "completed"
        other = beta.threads.messages.list(thread_id=final.thread_id)
        assert [m.role for m in other.data] == ["assistant", "user"]

        # deletes, then 404s
        assert beta.threads.messages.delete(reply.id, thread_id=thread.id).deleted
        assert beta.threads.delete(thread.id).deleted
        assert beta.assistants.delete(assistant.id).deleted
        for call, wording in (
            (lambda: beta.assistants.retrieve(assistant.id), f"No assistant found with id '{assistant.id}'."),
            (lambda: beta.threads.retrieve(thread.id), f"No thread found with id '{thread.id}'."),
            (
                lambda: beta.threads.runs.retrieve(run.id, thread_id=thread.id),
                f"No thread found with id '{thread.id}'.",
            ),
            (
                lambda: beta.threads.messages.retrieve("msg_x", thread_id=final.thread_id),
                "No message found with id 'msg_x'.",
            ),
            (
                lambda: beta.threads.runs.retrieve("run_x", thread_id=final.thread_id),
                "No run found with id 'run_x'.",
            ),
        ):
            with pytest.raises(openai.NotFoundError) as info:
                call()
            assert info.value.body["message"] == wording  # type: ignore[index]


def test_a_whole_suite_with_the_async_sdk(faithful: LocalServer) -> None:
    skip_unless_sdk_runs()

    async def suite() -> None:
        async with openai.AsyncOpenAI(
            api_key="sk-user", base_url=faithful.url, _strict_response_validation=True, max_retries=0
        ) as client:
            beta = client.beta
            assistant = await beta.assistants.create(
                model="gpt-4o", tools=[{"type": "function", "function": {"name": "lookup"}}]
            )
            thread = await beta.threads.create(messages=[{"role": "user", "content": "Look it up."}])
            run = await beta.threads.runs.create_and_poll(
                thread_id=thread.id, assistant_id=assistant.id, poll_interval_ms=1
            )
            assert run.status == "requires_action"  # the assistant's function tool is called
            call = run.required_action.submit_tool_outputs.tool_calls[0]  # type: ignore[union-attr]
            assert call.function.name == "lookup"
            run = await beta.threads.runs.submit_tool_outputs_and_poll(
                run_id=run.id,
                thread_id=thread.id,
                tool_outputs=[{"tool_call_id": call.id, "output": "42"}],
                poll_interval_ms=1,
            )
            assert run.status == "completed"
            steps = await beta.threads.runs.steps.list(run_id=run.id, thread_id=thread.id, order="asc")
            assert [s.type for s in steps.data] == ["tool_calls", "message_creation"]
            messages = await beta.threads.messages.list(thread_id=thread.id)
            assert messages.data[0].role == "assistant" and messages.data[0].run_id == run.id
            assert (await beta.assistants.delete(assistant.id)).deleted
            with pytest.raises(openai.NotFoundError):
                await beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)

    asyncio.run(suite())


def test_the_oaii_client_runs_on_ids_it_created(faithful: LocalServer) -> None:
    with openai.OpenAI(api_key="sk-user", base_url=faithful.url, max_retries=0) as sdk:
        assistant = sdk.beta.assistants.create(model="gpt-4o-mini", instructions="Be kind.")
        thread = sdk.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = runs_create_run_and_poll(thread.id, assistant.id, base_url=faithful.url, api_key="sk-user")
    assert (run.status, run.model, run.instructions) == ("completed", "gpt-4o-mini", "Be kind.")
