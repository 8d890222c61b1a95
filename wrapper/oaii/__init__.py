"""oaii: create OpenAI Assistants runs (a Python port of the R package oaii).

    from oaii import runs_create_run_request
    run = runs_create_run_request("thread_abc123", "asst_abc123")

    with oaii.Client(base_url=...) as client:      # settings resolved once, a pool of its own
        run = client.create_run("thread_abc123", "asst_abc123")

Errors are ``OaiiError`` (see ``oaii._errors`` for the hierarchy).
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

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
    from ._settings import (
        DEFAULT_BASE_URL,
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_TIMEOUT,
        DEFAULT_TOTAL_TIMEOUT,
    )
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

# Each public name and the module that defines it, imported when the name is first used
# (PEP 562): `import oaii` costs next to nothing, so the pytest plugin, registered in every
# environment oaii is installed in, adds nothing to a pytest start until its fixture is used;
# and a name costs only the modules it needs (the generated models it uses, not all of them).
_MODULES: dict[str, str] = {
    **dict.fromkeys(["AsyncClient", "Client"], "oaii._client"),
    **dict.fromkeys(
        [
            "APIConnectionError",
            "APIStatusError",
            "APITimeoutError",
            "EarlierRunError",
            "InputError",
            "MissingApiKeyError",
            "OaiiError",
            "PollTimeoutError",
            "ResponseParseError",
            "StreamError",
        ],
        "oaii._errors",
    ),
    **dict.fromkeys(["api_get_key", "api_set_key"], "oaii._keys"),
    "RetryPolicy": "oaii._retry",
    **dict.fromkeys(
        ["DEFAULT_BASE_URL", "DEFAULT_MAX_RESPONSE_BYTES", "DEFAULT_TIMEOUT", "DEFAULT_TOTAL_TIMEOUT"],
        "oaii._settings",
    ),
    **dict.fromkeys(
        [
            "AsyncRunStream",
            "DoneEvent",
            "MessageDeltaEvent",
            "MessageEvent",
            "RunEvent",
            "RunStepEvent",
            "RunStream",
            "StreamEvent",
        ],
        "oaii._streaming",
    ),
    **dict.fromkeys(
        [
            "TERMINAL_STATUSES",
            "runs_create_run_and_poll",
            "runs_create_run_and_poll_async",
            "runs_create_run_request",
            "runs_create_run_request_async",
            "runs_create_run_stream",
            "runs_create_run_stream_async",
            "runs_get_run",
            "runs_get_run_async",
        ],
        "oaii.runs",
    ),
    "RunObject": "oaii_openapi_client.models.run_object",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'oaii' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain global
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULES))


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
