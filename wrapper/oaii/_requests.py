"""Arguments -> the ``Call`` for a createRun or getRun request.  Nothing is sent here.

The generated endpoint modules build each request (method, quoted path, query
encoding, and for createRun the JSON body from the generated ``CreateRunRequest``);
this module checks the arguments first and adds where and how to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

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
from ._errors import InputError
from ._keys import ApiKey, resolve_key
from ._retry import RetryPolicy, as_policy
from ._validation import check_body, check_path_id

# The generated package (oaii_openapi_client) is imported on first call, not at
# import: its models package loads every model, most of what importing oaii costs.


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
    """Where and how to send: destination, headers, timeouts, retries, validation."""

    base_url: str | None
    organization: str | None
    project: str | None
    timeout: float | httpx.Timeout | None
    total_timeout: float | None
    max_retries: int | RetryPolicy
    validate: bool
    extra_headers: Mapping[str, str] | None


class CreateOptions(RunFields, CallOptions, total=False):
    """What createRun takes beyond the seed's arguments."""

    include: Sequence[str] | None
    extra_body: Mapping[str, Any] | None


class RunOptions(CreateOptions, total=False):
    http_client: httpx.Client | None


class AsyncRunOptions(CreateOptions, total=False):
    http_client: httpx.AsyncClient | None


class GetOptions(CallOptions, total=False):
    http_client: httpx.Client | None


class AsyncGetOptions(CallOptions, total=False):
    http_client: httpx.AsyncClient | None


FIELD_NAMES = frozenset(RunFields.__optional_keys__)
CALL_OPTION_NAMES = frozenset(CallOptions.__optional_keys__) | {"http_client"}
CREATE_OPTION_NAMES = frozenset(CreateOptions.__optional_keys__) | {"http_client"}


@attrs.frozen
class Target:
    """Where and how to send; shared by a run's creation and its polls."""

    base_url: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    timeout: httpx.Timeout
    total_timeout: float | None
    retry: RetryPolicy
    key: ApiKey
    http_client: Any

    def call(
        self,
        request: Mapping[str, Any],
        *,
        params: Mapping[str, Any],
        content: bytes | None,
        accept: str = "application/json",
    ) -> Call:
        """A ``Call`` from what a generated ``_get_kwargs`` built."""
        headers = {**request.get("headers", {}), **self.headers, "Accept": accept}
        return Call(
            method=request["method"].upper(),
            url=self.base_url + request["url"],
            params=params,
            headers=headers,
            content=content,
            timeout=self.timeout,
            total_timeout=self.total_timeout,
            retry=self.retry,
            key=self.key,
        )


def _check_names(options: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InputError(unknown[0], f"is not an argument of {what}")


def target(api_key: str | None, options: Mapping[str, Any]) -> Target:
    total = options.get("total_timeout", DEFAULT_TOTAL_TIMEOUT)
    key = resolve_key(api_key)
    return Target(
        base_url=resolve_base_url(options.get("base_url")),
        headers=build_headers(
            key, options.get("organization"), options.get("project"), options.get("extra_headers")
        ),
        timeout=resolve_timeout(options.get("timeout", DEFAULT_TIMEOUT), total),
        total_timeout=total,
        retry=as_policy(options.get("max_retries", 2)),
        key=key,
        http_client=options.get("http_client"),
    )


def _validate_flag(options: Mapping[str, Any]) -> bool:
    validate = options.get("validate", True)
    if not isinstance(validate, bool):
        raise InputError("validate", f"must be True or False, got {validate!r}")
    return validate


def create_call(
    thread_id: str,
    assistant_id: str,
    seed: Mapping[str, Any],
    api_key: str | None,
    options: Mapping[str, Any],
    *,
    stream: bool,
) -> tuple[Target, Call]:
    """Check every argument, then build the createRun call (and its target, for polls)."""
    from oaii_openapi_client.api.assistants import create_run
    from oaii_openapi_client.models.create_run_request import CreateRunRequest

    _check_names(options, CREATE_OPTION_NAMES, "runs_create_run_request nor a CreateRunRequest field")
    check_path_id("thread_id", thread_id)
    check_path_id("assistant_id", assistant_id)
    validate = _validate_flag(options)
    fields = {"assistant_id": assistant_id, **seed, **{k: v for k, v in options.items() if k in FIELD_NAMES}}
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
    where = target(api_key, options)
    request = create_run._get_kwargs(thread_id, body=CreateRunRequest.from_dict(body))
    params = {**request.get("params", {}), **({"include[]": include} if include else {})}
    payload = {**request["json"], **extra_body} if extra_body else request["json"]
    accept = "text/event-stream" if stream else "application/json"
    return where, where.call(request, params=params, content=encode_json(payload), accept=accept)


def get_call(where: Target, thread_id: str, run_id: str) -> Call:
    """The getRun call for a run, sent the same way as its creation (``thread_id`` is already checked)."""
    from oaii_openapi_client.api.assistants import get_run

    # run_id is checked here too: when polling, it is whatever the server answered.
    request = get_run._get_kwargs(thread_id, check_path_id("run_id", run_id))
    return where.call(request, params={}, content=None)


def get_target(thread_id: str, run_id: str, api_key: str | None, options: Mapping[str, Any]) -> Target:
    """Check getRun's arguments and build its target."""
    _check_names(options, CALL_OPTION_NAMES, "runs_get_run")
    check_path_id("thread_id", thread_id)
    check_path_id("run_id", run_id)
    _validate_flag(options)
    return target(api_key, options)


def _include(include: object, validate: bool) -> list[str]:
    if include is None:
        return []
    if isinstance(include, str) or not isinstance(include, Sequence):
        raise InputError("include", "must be a list of strings")
    known = _include_values()
    values: list[str] = []
    for index, item in enumerate(include):
        value = getattr(item, "value", item)  # a generated CreateRunIncludeItem, or its string
        if not isinstance(value, str):
            raise InputError("include", f"must be strings, got {value!r}", path=f"include[{index}]")
        values.append(value)
        if validate and known is None:
            raise InputError(
                "include",
                "the vendored spec's createRun has no include[] parameter (validate=False sends it anyway)",
            )
        if validate and known is not None and value not in known:
            raise InputError("include", f"{value!r} is not one of {known!r}", path=f"include[{index}]")
    return values


def _include_values() -> list[str] | None:
    """The include[] values the generated client knows; None if this spec has no include[]."""
    try:
        from oaii_openapi_client.models.create_run_include_item import CreateRunIncludeItem
    except ImportError:
        return None
    return [item.value for item in CreateRunIncludeItem]
