"""The R-shaped functions: thin front doors over a per-process default client.

    run = runs_create_run_request("thread_abc123", "asst_abc123", model=None, ..., api_key=None)

Each takes the R function's arguments in its order, then any ``CreateRunRequest``
field and any client setting (``base_url``, ``timeout``, ``max_retries``, ...) as
keywords, and calls the matching ``Client``/``AsyncClient`` method.  The clients
they use share one connection pool per process (one per event loop for the async
ones) that is safe across ``fork()`` and never outlives its event loop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ._client import AsyncClient, Client, environment
from ._flow import TERMINAL_STATUSES
from ._http.transport import AsyncPool, SyncPool, default_pool
from ._keys import hidden, hide_credentials
from ._options import (
    CLIENT_OPTION_NAMES,
    AsyncGetOptions,
    AsyncPollOptions,
    AsyncRunOptions,
    GetOptions,
    PollOptions,
    RunOptions,
)

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._streaming import AsyncRunStream, RunStream

__all__ = [
    "TERMINAL_STATUSES",
    "runs_create_run_and_poll",
    "runs_create_run_and_poll_async",
    "runs_create_run_request",
    "runs_create_run_request_async",
    "runs_create_run_stream",
    "runs_create_run_stream_async",
    "runs_get_run",
    "runs_get_run_async",
]

Tools = Sequence[Mapping[str, Any] | Any] | None
Metadata = Mapping[str, str] | Any | None


def _split(api_key: str | None, options: Mapping[str, Any]) -> tuple[dict[str, Any], Any, dict[str, Any]]:
    """(client settings, http_client, the call's own arguments)."""
    settings: dict[str, Any] = {"api_key": api_key}
    args: dict[str, Any] = {}
    if isinstance(options, dict):  # the caller's own **options, shown with its frame
        hide_credentials(options)
    for name, value in options.items():
        if name in CLIENT_OPTION_NAMES:
            settings[name] = value
        elif name != "http_client":
            args[name] = value
    return settings, options.get("http_client"), args


def _front(api_key: str | None, options: Mapping[str, Any]) -> tuple[Client, dict[str, Any]]:
    settings, http_client, args = _split(api_key, options)
    pool = default_pool() if http_client is None else SyncPool(http_client)
    return Client._sharing(pool, settings, environment(settings)), args


def _front_async(api_key: str | None, options: Mapping[str, Any]) -> tuple[AsyncClient, dict[str, Any]]:
    settings, http_client, args = _split(api_key, options)
    pool = None if http_client is None else AsyncPool(http_client)  # None: the loop's own pool
    return AsyncClient._sharing(pool, settings, environment(settings)), args


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

    ``None`` means "not sent".  Every other ``CreateRunRequest`` field
    (``temperature``, ``tool_choice``, ...) is a keyword argument, as are
    ``include``, ``extra_body``, ``extra_headers``, ``idempotency_key`` and the
    client settings (``base_url``, ``timeout``, ``total_timeout``, ``max_retries``,
    ``validate``, ``http_client``, ...).  Raises ``OaiiError``.
    """
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front(api_key, options)
    return client.create_run(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


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
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front(api_key, options)
    return client.stream_run(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


def runs_create_run_and_poll(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[PollOptions],
) -> RunObject:
    """Create a run, then poll it until a terminal status (``TERMINAL_STATUSES``).

    ``poll_interval`` (seconds between polls, unless the server says
    ``openai-poll-after-ms``), ``poll_timeout`` (then ``PollTimeoutError`` with the
    last state) and ``on_status`` (called with every state) are keywords.
    """
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front(api_key, options)
    return client.create_run_and_poll(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


def runs_get_run(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[GetOptions]
) -> RunObject:
    """Retrieve a run (``GET /threads/{thread_id}/runs/{run_id}``)."""
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front(api_key, options)
    return client.get_run(thread_id, run_id, **args)


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
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front_async(api_key, options)
    return await client.create_run(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


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
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front_async(api_key, options)
    return await client.stream_run(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


async def runs_create_run_and_poll_async(
    thread_id: str,
    assistant_id: str,
    model: str | None = None,
    instructions: str | None = None,
    additional_instructions: str | None = None,
    tools: Tools = None,
    metadata: Metadata = None,
    api_key: str | None = None,
    **options: Unpack[AsyncPollOptions],
) -> RunObject:
    """``runs_create_run_and_poll`` for asyncio."""
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front_async(api_key, options)
    return await client.create_run_and_poll(
        thread_id, assistant_id, model, instructions, additional_instructions, tools, metadata, **args
    )


async def runs_get_run_async(
    thread_id: str, run_id: str, api_key: str | None = None, **options: Unpack[AsyncGetOptions]
) -> RunObject:
    """``runs_get_run`` for asyncio."""
    api_key = hidden(api_key)  # this frame's own local, shown by traceback printers
    client, args = _front_async(api_key, options)
    return await client.get_run(thread_id, run_id, **args)
