"""Create a run (``POST /threads/{thread_id}/runs``) and follow it: the public functions.

The data path, the same for every function here::

    arguments -> body with only what was given -> checked against the spec      (_requests, _body,
              -> generated request builder -> Call                                _validation)
              -> sent, retried as the policy says                                (_transport)
              -> RunObject / stream events, or an OaiiError                      (_results, _streaming)

Each sync function has an async twin; they share everything but the sending.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import httpx

from ._errors import InputError, PollTimeoutError
from ._requests import (
    AsyncGetOptions,
    AsyncRunOptions,
    CallOptions,
    GetOptions,
    RunFields,
    RunOptions,
    create_call,
    get_call,
    get_target,
)
from ._results import raise_for_status, run_from_answer
from ._transport import send, send_async

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._streaming import AsyncRunStream, RunStream

__all__ = [
    "TERMINAL_STATUSES",
    "AsyncRunOptions",
    "CallOptions",
    "RunFields",
    "RunOptions",
    "runs_create_run_and_poll",
    "runs_create_run_and_poll_async",
    "runs_create_run_request",
    "runs_create_run_request_async",
    "runs_create_run_stream",
    "runs_create_run_stream_async",
    "runs_get_run",
    "runs_get_run_async",
]

#: Statuses after which a run will not change without the caller acting.
TERMINAL_STATUSES = frozenset(
    {"completed", "requires_action", "failed", "cancelled", "expired", "incomplete"}
)

Tools = Sequence[Mapping[str, Any] | Any] | None
Metadata = Mapping[str, str] | Any | None


def _seed(
    model: str | None,
    instructions: str | None,
    additional_instructions: str | None,
    tools: Tools,
    metadata: Metadata,
) -> dict[str, Any]:
    """The R function's own arguments, by field name."""
    return {
        "model": model,
        "instructions": instructions,
        "additional_instructions": additional_instructions,
        "tools": tools,
        "metadata": metadata,
    }


# ---------------------------------------------------------------------- sync


def runs_create_run_request(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[RunOptions],
) -> RunObject:
    """Create a run on ``thread_id`` with ``assistant_id``; return the run as the server answered it.

    Every other ``CreateRunRequest`` field (``temperature``, ``tool_choice``, ...)
    is a keyword argument; ``None`` means "not sent".  See ``RunOptions`` for
    ``include``, ``base_url``, ``timeout``, ``max_retries``, ``validate``,
    ``extra_headers``, ``extra_body`` and ``http_client``.  Raises ``OaiiError``.
    """
    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=False)
    return run_from_answer(call, send(call, where.http_client))


def runs_create_run_stream(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[RunOptions],
) -> RunStream:
    """Create a run with ``stream: true``; iterate the result for its events."""
    from ._streaming import RunStream

    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=True)
    answer = send(call, where.http_client, stream=True)
    raise_for_status(call, answer)
    return RunStream(call, answer)


def runs_get_run(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[GetOptions]
) -> RunObject:
    """Retrieve a run (``GET /threads/{thread_id}/runs/{run_id}``)."""
    where = get_target(thread_id, run_id, api_key, options)
    call = get_call(where, thread_id, run_id)
    return run_from_answer(call, send(call, where.http_client))


def runs_create_run_and_poll(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    *,
    poll_interval: float = 1.0,
    poll_timeout: float | None = 600.0,
    on_status: Callable[[RunObject], None] | None = None,
    **options: Unpack[RunOptions],
) -> RunObject:
    """Create a run, then poll it until a terminal status (``TERMINAL_STATUSES``).

    Waits ``poll_interval`` seconds between polls, or what the server asks in
    ``openai-poll-after-ms``.  Past ``poll_timeout`` seconds it raises
    ``PollTimeoutError`` carrying the last state.  ``on_status`` is called with
    the run after the creation and after every poll.
    """
    deadline = _poll_deadline(poll_interval, poll_timeout)
    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=False)
    answer = send(call, where.http_client)
    run = run_from_answer(call, answer)
    while not _finished(run, on_status):
        time.sleep(_next_poll(run, answer.response, poll_interval, deadline, poll_timeout))
        call = get_call(where, thread_id, run.id)
        answer = send(call, where.http_client)
        run = run_from_answer(call, answer)
    return run


# --------------------------------------------------------------------- async


async def runs_create_run_request_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[AsyncRunOptions],
) -> RunObject:
    """``runs_create_run_request`` for asyncio."""
    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=False)
    return run_from_answer(call, await send_async(call, where.http_client))


async def runs_create_run_stream_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[AsyncRunOptions],
) -> AsyncRunStream:
    """``runs_create_run_stream`` for asyncio: ``async for event in await ...``."""
    from ._streaming import AsyncRunStream

    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=True)
    answer = await send_async(call, where.http_client, stream=True)
    raise_for_status(call, answer)
    return AsyncRunStream(call, answer)


async def runs_get_run_async(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[AsyncGetOptions]
) -> RunObject:
    """``runs_get_run`` for asyncio."""
    where = get_target(thread_id, run_id, api_key, options)
    call = get_call(where, thread_id, run_id)
    return run_from_answer(call, await send_async(call, where.http_client))


async def runs_create_run_and_poll_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    *,
    poll_interval: float = 1.0,
    poll_timeout: float | None = 600.0,
    on_status: Callable[[RunObject], None] | None = None,
    **options: Unpack[AsyncRunOptions],
) -> RunObject:
    """``runs_create_run_and_poll`` for asyncio."""
    import asyncio

    deadline = _poll_deadline(poll_interval, poll_timeout)
    seed = _seed(model, instructions, additional_instructions, tools, metadata)
    where, call = create_call(thread_id, assistant_id, seed, api_key, options, stream=False)
    answer = await send_async(call, where.http_client)
    run = run_from_answer(call, answer)
    while not _finished(run, on_status):
        await asyncio.sleep(_next_poll(run, answer.response, poll_interval, deadline, poll_timeout))
        call = get_call(where, thread_id, run.id)
        answer = await send_async(call, where.http_client)
        run = run_from_answer(call, answer)
    return run


# ------------------------------------------------------------------- polling


def _poll_deadline(poll_interval: object, poll_timeout: object) -> float | None:
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float) or poll_interval < 0:
        raise InputError("poll_interval", f"must be seconds >= 0, got {poll_interval!r}")
    if poll_timeout is None:
        return None
    if isinstance(poll_timeout, bool) or not isinstance(poll_timeout, int | float) or poll_timeout <= 0:
        raise InputError("poll_timeout", f"must be seconds > 0 or None, got {poll_timeout!r}")
    return time.monotonic() + poll_timeout


def _finished(run: RunObject, on_status: Callable[[RunObject], None] | None) -> bool:
    if on_status is not None:
        on_status(run)
    return run.status in TERMINAL_STATUSES


def _next_poll(
    run: RunObject,
    response: httpx.Response,
    poll_interval: float,
    deadline: float | None,
    poll_timeout: float | None,
) -> float:
    """Seconds until the next poll of an unfinished run; PollTimeoutError past the deadline."""
    wait = poll_interval
    hinted = response.headers.get("openai-poll-after-ms")
    if hinted is not None:
        with contextlib.suppress(ValueError):
            wait = max(0.0, float(hinted) / 1000)
    if deadline is None:
        return wait
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise PollTimeoutError(
            f"run {run.id} was still '{run.status}' when the poll timeout of {poll_timeout}s passed", run
        )
    return min(wait, remaining)
