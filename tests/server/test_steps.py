"""Run steps end with their run: a run cancelled while it waits for tool outputs leaves no step
``in_progress`` (the API's steps are ``cancelled``, with ``cancelled_at``), on either store."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oaii.server import LocalServer

from ..conftest import skip_unless_spec

openai = pytest.importorskip("openai", reason="the dev extra installs openai")

FUNCTION = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}


@pytest.fixture(params=["memory", "sqlite"])
def beta(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    db = tmp_path / "steps.sqlite" if request.param == "sqlite" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with (
            LocalServer(db=db) as server,
            openai.OpenAI(
                api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
            ) as client,
        ):
            yield client.beta


def test_a_cancelled_runs_tool_calls_step_is_cancelled_too(beta: Any) -> None:
    assistant = beta.assistants.create(model="gpt-4o", tools=[FUNCTION])
    thread = beta.threads.create()
    run = beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    beta.threads.runs.cancel(run.id, thread_id=thread.id)
    run = beta.threads.runs.poll(run.id, thread_id=thread.id)
    assert run.status == "cancelled"
    steps = beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert [(s.type, s.status) for s in steps] == [("tool_calls", "cancelled")]
    assert steps[0].cancelled_at is not None and steps[0].completed_at is None
