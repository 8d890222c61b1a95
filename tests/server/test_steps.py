"""Run steps end with their run: a run cancelled or expired while it waits for tool outputs
leaves no step ``in_progress`` (the API's steps are ``cancelled`` with ``cancelled_at``,
``expired`` with ``expired_at``), on either store."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from oaii.server import LocalServer

from ..conftest import skip_unless_spec

openai = pytest.importorskip("openai", reason="the dev extra installs openai")

FUNCTION = {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {}}}}


@pytest.fixture(params=["memory", "sqlite"])
def beta(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    for _server, client in _sdk(request.param, tmp_path):
        yield client.beta


@pytest.fixture(params=["memory", "sqlite"])
def quick(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[LocalServer, Any]]:
    """A server whose runs expire after half a second, and the SDK on it."""
    yield from _sdk(request.param, tmp_path, run_expiry=0.5)


def _sdk(backend: str, tmp_path: Path, **options: Any) -> Iterator[tuple[LocalServer, Any]]:
    skip_unless_spec("response:truncation_strategy")  # the SDK's models are Assistants v2's
    db = tmp_path / "steps.sqlite" if backend == "sqlite" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with (
            LocalServer(db=db, **options) as server,
            openai.OpenAI(
                api_key="sk-user", base_url=server.url, _strict_response_validation=True, max_retries=0
            ) as client,
        ):
            yield server, client


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


def test_an_expired_runs_tool_calls_step_is_expired_too(quick: tuple[LocalServer, Any]) -> None:
    server, client = quick
    beta = client.beta
    assistant = beta.assistants.create(model="gpt-4o", tools=[FUNCTION])
    thread = beta.threads.create()
    run = beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    while run.status != "requires_action":  # the scripted executor moves a run on each read
        assert run.status in ("queued", "in_progress"), run.status
        run = beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    waiting = beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert [(s.type, s.status, s.expired_at) for s in waiting] == [("tool_calls", "in_progress", None)]
    deadline = time.monotonic() + 10
    while run.status == "requires_action":  # poll: the expiry is the server's clock
        assert time.monotonic() < deadline
        run = beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert (run.status, run.required_action) == ("expired", None)
    steps = beta.threads.runs.steps.list(run.id, thread_id=thread.id).data
    assert [(s.type, s.status) for s in steps] == [("tool_calls", "expired")]
    step = steps[0]
    assert step.expired_at is not None and step.expired_at >= step.created_at
    assert (step.completed_at, step.cancelled_at, step.failed_at) == (None, None, None)
    # the same over raw HTTP, by its own id
    raw = httpx.get(
        f"{server.url}/threads/{thread.id}/runs/{run.id}/steps/{step.id}",
        headers={"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"},
    ).json()
    assert (raw["status"], raw["expired_at"]) == ("expired", step.expired_at)
