"""oaii: create OpenAI Assistants runs (a Python port of the R package oaii).

    from oaii import runs_create_run_request
    run = runs_create_run_request("thread_abc123", "asst_abc123")

    with oaii.Client(base_url=...) as client:      # settings resolved once, a pool of its own
        run = client.create_run("thread_abc123", "asst_abc123")

Errors are ``OaiiError`` (see ``oaii._errors`` for the hierarchy).
"""

from typing import TYPE_CHECKING, Any

from ._client import AsyncClient, Client
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    EarlierRunError,
    InputError,
    MissingApiKeyError,
    OaiiError,
    PollTimeoutError,
    ResponseParseError,
    StreamError,
)
from ._keys import api_get_key, api_set_key
from ._retry import RetryPolicy
from ._settings import DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT
from ._version import __version__
from .runs import (
    TERMINAL_STATUSES,
    runs_create_run_and_poll,
    runs_create_run_and_poll_async,
    runs_create_run_request,
    runs_create_run_request_async,
    runs_create_run_stream,
    runs_create_run_stream_async,
    runs_get_run,
    runs_get_run_async,
)

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._streaming import (
        AsyncRunStream,
        DoneEvent,
        MessageDeltaEvent,
        MessageEvent,
        RunEvent,
        RunStepEvent,
        RunStream,
        StreamEvent,
    )

_STREAMING = {
    "AsyncRunStream",
    "DoneEvent",
    "EarlierRunError",
    "MessageDeltaEvent",
    "MessageEvent",
    "RunEvent",
    "RunStepEvent",
    "RunStream",
    "StreamEvent",
}


def __getattr__(name: str) -> Any:
    # Loaded on first use: the generated models and the SSE parser are most of the import cost.
    if name == "RunObject":
        from oaii_openapi_client.models.run_object import RunObject

        return RunObject
    if name in _STREAMING:
        from . import _streaming

        return getattr(_streaming, name)
    raise AttributeError(f"module 'oaii' has no attribute {name!r}")


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
    "TERMINAL_STATUSES",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncRunStream",
    "Client",
    "DoneEvent",
    "EarlierRunError",
    "InputError",
    "MessageDeltaEvent",
    "MessageEvent",
    "MissingApiKeyError",
    "OaiiError",
    "PollTimeoutError",
    "ResponseParseError",
    "RetryPolicy",
    "RunEvent",
    "RunObject",
    "RunStepEvent",
    "RunStream",
    "StreamError",
    "StreamEvent",
    "__version__",
    "api_get_key",
    "api_set_key",
    "runs_create_run_and_poll",
    "runs_create_run_and_poll_async",
    "runs_create_run_request",
    "runs_create_run_request_async",
    "runs_create_run_stream",
    "runs_create_run_stream_async",
    "runs_get_run",
    "runs_get_run_async",
]
