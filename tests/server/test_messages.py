"""Messages on a thread whose run is active: the hosted API refused them (400, "Can't add
messages to thread_… while a run run_… is active."); once the run has ended, they are taken."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from oaii.server import LocalServer

from ..conftest import skip_unless_spec

openai = pytest.importorskip("openai", reason="the dev extra installs openai")

FUNCTION = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}


@pytest.fixture
def beta() -> Iterator[Any]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with (
            LocalServer() as server,
            openai.OpenAI(
                api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
            ) as client,
        ):
            yield client.beta


def test_a_message_on_a_thread_with_an_active_run_is_refused_in_the_apis_words(beta: Any) -> None:
    assistant = beta.assistants.create(model="gpt-4o", tools=[FUNCTION])
    thread = beta.threads.create()
    run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    with pytest.raises(openai.BadRequestError) as caught:
        beta.threads.messages.create(thread.id, role="user", content="too soon")
    assert caught.value.status_code == 400
    assert caught.value.body["message"] == (  # type: ignore[index]
        f"Can't add messages to {thread.id} while a run {run.id} is active."
    )
    assert [m.role for m in beta.threads.messages.list(thread.id)] == []  # nothing was added

    beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert beta.threads.runs.poll(run.id, thread_id=thread.id).status == "cancelled"
    added = beta.threads.messages.create(thread.id, role="user", content="now")
    assert [m.id for m in beta.threads.messages.list(thread.id)] == [added.id]
