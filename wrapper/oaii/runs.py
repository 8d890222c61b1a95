"""Create a run: ``POST /threads/{thread_id}/runs``, and follow it.

The data path, the same for every function here::

    arguments -> body (only what was given) -> checked against the spec
              -> generated request builder (path, query, JSON) -> Call
              -> sent with retries -> RunObject / events, or an OaiiError

Sync and async functions share all of it but the sending.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import attrs
import httpx

from ._body import build_body
from ._call import (
    DEFAULT_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    Call,
    build_headers,
    encode_json,
    resolve_base_url,
    resolve_timeout,
)
from ._errors import InputError, PollTimeoutError
from ._keys import resolve_key
from ._results import raise_for_status, run_from_answer
from ._retry import RetryPolicy, as_policy
from ._transport import send, send_async
from ._validation import check_body, check_path_id

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._streaming import AsyncRunStream, RunStream

# The generated package (oaii_openapi_client) is imported on first call, not here:
# its models package loads every model and is most of what importing oaii would cost.

#: Statuses after which a run will not change without the caller acting.
TERMINAL_STATUSES = frozenset(
    {"completed", "requires_action", "failed", "cancelled", "expired", "incomplete"}
)


class RunFields(TypedDict, total=False):
    """The ``CreateRunRequest`` fields beyond the seed's arguments (all optional; None = not sent)."""

    reasoning_effort: str | None
    additional_messages: Sequence[Mapping[str, Any] | Any] | None
    temperature: float | None
    top_p: float | None
    stream: bool | None
    max_prompt_tokens: int | None
    max_completion_tokens: int | None
    truncation_strategy: Mapping[str, Any] | Any | None
    tool_choice: str | Mapping[str, Any] | Any | None
    parallel_tool_calls: bool | None
    response_format: str | Mapping[str, Any] | Any | None


class CallOptions(TypedDict, total=False):
    """How to send: query, destination, headers, timeouts, retries, validation."""

    include: Sequence[str] | None
    base_url: str | None
    organization: str | None
    project: str | None
    timeout: float | httpx.Timeout | None
    total_timeout: float | None
    max_retries: int | RetryPolicy
    validate: bool
    extra_headers: Mapping[str, str] | None
    extra_body: Mapping[str, Any] | None


class RunOptions(RunFields, CallOptions, total=False):
    http_client: httpx.Client | None


class AsyncRunOptions(RunFields, CallOptions, total=False):
    http_client: httpx.AsyncClient | None


_FIELD_NAMES = frozenset(RunFields.__optional_keys__)
_OPTION_NAMES = frozenset(CallOptions.__optional_keys__) | {"http_client"}


@attrs.frozen
class _Prepared:
    call: Call
    thread_id: str
    http_client: Any


def _prepare(
    thread_id: str,
    assistant_id: str,
    seed: dict[str, Any],
    api_key: str | None,
    options: Mapping[str, Any],
    *,
    stream: bool,
) -> _Prepared:
    from oaii_openapi_client.api.assistants import create_run
    from oaii_openapi_client.models.create_run_request import CreateRunRequest

    unknown = sorted(set(options) - _FIELD_NAMES - _OPTION_NAMES)
    if unknown:
        raise InputError(
            unknown[0], "is not an argument of runs_create_run_request nor a CreateRunRequest field"
        )
    check_path_id("thread_id", thread_id)
    check_path_id("assistant_id", assistant_id)
    validate = options.get("validate", True)
    if not isinstance(validate, bool):
        raise InputError("validate", f"must be True or False, got {validate!r}")
    fields = {"assistant_id": assistant_id, **seed, **{k: v for k, v in options.items() if k in _FIELD_NAMES}}
    if stream:
        fields["stream"] = True
    elif fields.get("stream"):
        raise InputError(
            "stream", "runs_create_run_request returns the run; use runs_create_run_stream for events"
        )
    body = build_body(fields)
    include = _include(options.get("include"), validate)
    extra_body = options.get("extra_body")
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise InputError("extra_body", "must be a mapping of extra body fields")
    if validate:
        check_body(body)
    key = resolve_key(api_key)
    kwargs = create_run._get_kwargs(thread_id, body=CreateRunRequest.from_dict(body))
    params = dict(kwargs["params"])
    if include:
        params["include[]"] = include
    payload = {**kwargs["json"], **extra_body} if extra_body else kwargs["json"]
    headers = build_headers(
        key, options.get("organization"), options.get("project"), options.get("extra_headers")
    )
    headers = {"Content-Type": "application/json", **headers} if stream else {**kwargs["headers"], **headers}
    if stream:
        headers["Accept"] = "text/event-stream"
    total = options.get("total_timeout", DEFAULT_TOTAL_TIMEOUT)
    call = Call(
        method=kwargs["method"].upper(),
        url=resolve_base_url(options.get("base_url")) + kwargs["url"],
        params=params,
        headers=headers,
        content=encode_json(payload),
        timeout=resolve_timeout(options.get("timeout", DEFAULT_TIMEOUT), total),
        total_timeout=total,
        retry=as_policy(options.get("max_retries", 2)),
        key=key,
    )
    return _Prepared(call, thread_id, options.get("http_client"))


def _include(include: object, validate: bool) -> list[str]:
    from oaii_openapi_client.models.create_run_include_item import CreateRunIncludeItem

    if include is None:
        return []
    if isinstance(include, str) or not isinstance(include, Sequence):
        raise InputError("include", "must be a list of strings")
    values = [item.value if isinstance(item, CreateRunIncludeItem) else item for item in include]
    known = [item.value for item in CreateRunIncludeItem]
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise InputError("include", f"must be strings, got {value!r}", path=f"include[{index}]")
        if validate and value not in known:
            raise InputError("include", f"{value!r} is not one of {known!r}", path=f"include[{index}]")
    return values


def _get_call(prepared: _Prepared, run_id: str) -> Call:
    from oaii_openapi_client.api.assistants import create_run, get_run
    from oaii_openapi_client.models.create_run_request import CreateRunRequest

    kwargs = get_run._get_kwargs(prepared.thread_id, check_path_id("run_id", run_id))
    created = create_run._get_kwargs(prepared.thread_id, body=CreateRunRequest(assistant_id=""))
    base = prepared.call.url.removesuffix(created["url"])
    headers = {k: v for k, v in prepared.call.headers.items() if k != "Content-Type"}
    headers["Accept"] = "application/json"
    return attrs.evolve(
        prepared.call, method="GET", url=base + kwargs["url"], params={}, headers=headers, content=None
    )


def _seed(
    model: str | None,
    instructions: str | None,
    additional_instructions: str | None,
    tools: Sequence[Mapping[str, Any] | Any] | None,
    metadata: Mapping[str, str] | Any | None,
) -> dict[str, Any]:
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
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    **options: Unpack[RunOptions],
) -> RunObject:
    """Create a run on ``thread_id`` with ``assistant_id``; return the run as the server answered it.

    Every other ``CreateRunRequest`` field (``temperature``, ``tool_choice``, ...)
    is a keyword argument; ``None`` means "not sent".  See ``RunOptions`` for
    ``include``, ``base_url``, ``timeout``, ``max_retries``, ``validate``,
    ``extra_headers``, ``extra_body`` and ``http_client``.  Raises ``OaiiError``.
    """
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=False,
    )
    return run_from_answer(prepared.call, send(prepared.call, prepared.http_client))


def runs_create_run_stream(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    **options: Unpack[RunOptions],
) -> RunStream:
    """Create a run with ``stream: true`` and return its events (iterate the result)."""
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=True,
    )
    from ._streaming import RunStream

    answer = send(prepared.call, prepared.http_client, stream=True)
    raise_for_status(prepared.call, answer)
    return RunStream(prepared.call, answer)


def runs_get_run(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[RunOptions]
) -> RunObject:
    """Retrieve a run (``GET /threads/{thread_id}/runs/{run_id}``)."""
    prepared = _prepare(thread_id, "asst_unused", {}, api_key, _call_options(options), stream=False)
    call = _get_call(prepared, run_id)
    return run_from_answer(call, send(call, prepared.http_client))


def runs_create_run_and_poll(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    *,
    poll_interval: float = 1.0,
    poll_timeout: float | None = 600.0,
    on_status: Callable[[RunObject], None] | None = None,
    **options: Unpack[RunOptions],
) -> RunObject:
    """Create a run, then poll it until it reaches a terminal status (``TERMINAL_STATUSES``).

    Waits ``poll_interval`` seconds between polls, or what the server asks in
    ``openai-poll-after-ms``.  Past ``poll_timeout`` seconds it raises
    ``PollTimeoutError`` carrying the last state.  ``on_status`` is called with
    the run after the creation and after every poll.
    """
    _check_poll(poll_interval, poll_timeout)
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=False,
    )
    deadline = None if poll_timeout is None else time.monotonic() + poll_timeout
    answer = send(prepared.call, prepared.http_client)
    run = run_from_answer(prepared.call, answer)
    while True:
        if on_status is not None:
            on_status(run)
        if run.status in TERMINAL_STATUSES:
            return run
        wait = _next_poll(run, answer.response, poll_interval, deadline, poll_timeout)
        time.sleep(wait)
        call = _get_call(prepared, run.id)
        answer = send(call, prepared.http_client)
        run = run_from_answer(call, answer)


# --------------------------------------------------------------------- async


async def runs_create_run_request_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    **options: Unpack[AsyncRunOptions],
) -> RunObject:
    """``runs_create_run_request`` for asyncio."""
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=False,
    )
    return run_from_answer(prepared.call, await send_async(prepared.call, prepared.http_client))


async def runs_create_run_stream_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    **options: Unpack[AsyncRunOptions],
) -> AsyncRunStream:
    """``runs_create_run_stream`` for asyncio: ``async for event in await ...``."""
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=True,
    )
    from ._streaming import AsyncRunStream

    answer = await send_async(prepared.call, prepared.http_client, stream=True)
    raise_for_status(prepared.call, answer)
    return AsyncRunStream(prepared.call, answer)


async def runs_get_run_async(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[AsyncRunOptions]
) -> RunObject:
    """``runs_get_run`` for asyncio."""
    prepared = _prepare(thread_id, "asst_unused", {}, api_key, _call_options(options), stream=False)
    call = _get_call(prepared, run_id)
    return run_from_answer(call, await send_async(call, prepared.http_client))


async def runs_create_run_and_poll_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Sequence[Mapping[str, Any] | Any] | None = None,
    metadata: Mapping[str, str] | Any | None = None,
    api_key: str | None = None,
    *,
    poll_interval: float = 1.0,
    poll_timeout: float | None = 600.0,
    on_status: Callable[[RunObject], None] | None = None,
    **options: Unpack[AsyncRunOptions],
) -> RunObject:
    """``runs_create_run_and_poll`` for asyncio."""
    import asyncio

    _check_poll(poll_interval, poll_timeout)
    prepared = _prepare(
        thread_id,
        assistant_id,
        _seed(model, instructions, additional_instructions, tools, metadata),
        api_key,
        options,
        stream=False,
    )
    deadline = None if poll_timeout is None else time.monotonic() + poll_timeout
    answer = await send_async(prepared.call, prepared.http_client)
    run = run_from_answer(prepared.call, answer)
    while True:
        if on_status is not None:
            on_status(run)
        if run.status in TERMINAL_STATUSES:
            return run
        wait = _next_poll(run, answer.response, poll_interval, deadline, poll_timeout)
        await asyncio.sleep(wait)
        call = _get_call(prepared, run.id)
        answer = await send_async(call, prepared.http_client)
        run = run_from_answer(call, answer)


# ------------------------------------------------------------------- helpers


def _call_options(options: Mapping[str, Any]) -> dict[str, Any]:
    stray = sorted(set(options) & _FIELD_NAMES)
    if stray:
        raise InputError(stray[0], "is a field of the create request, not an option of getRun")
    return dict(options)


def _check_poll(poll_interval: object, poll_timeout: object) -> None:
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float) or poll_interval < 0:
        raise InputError("poll_interval", f"must be seconds >= 0, got {poll_interval!r}")
    if poll_timeout is not None and (
        isinstance(poll_timeout, bool) or not isinstance(poll_timeout, int | float) or poll_timeout <= 0
    ):
        raise InputError("poll_timeout", f"must be seconds > 0 or None, got {poll_timeout!r}")


def _next_poll(
    run: RunObject,
    response: httpx.Response,
    poll_interval: float,
    deadline: float | None,
    poll_timeout: float | None,
) -> float:
    """Seconds until the next poll of a run that is not finished; PollTimeoutError past the deadline."""
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
