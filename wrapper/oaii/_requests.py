"""Arguments -> a ``Request`` for createRun or getRun.  Nothing is sent here.

The method and the percent-encoded path come from the generated endpoint
modules (``METHOD``, ``request_path``, from ``openapi/templates``); the body is
the caller's fields, checked once against the spec and encoded once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import attrs

from ._body import build_body, to_plain
from ._errors import InputError
from ._settings import Headers, Settings, check_headers, encode_json, merge_headers
from ._validation import check_body, check_header, check_path_id

#: The R function's own arguments after ``assistant_id``, in its order.
SEED_FIELDS = ("model", "instructions", "additional_instructions", "tools", "metadata")
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 255


@attrs.frozen
class Request:
    """One request, ready to send (and to re-send, byte for byte, on a retry)."""

    method: str
    url: str
    headers: Headers
    content: bytes | None
    #: The caller's own headers, also sent with the getRun requests that follow a create.
    extra_headers: Mapping[str, str] = attrs.field(factory=dict, repr=False)


def create_request(
    settings: Settings,
    thread_id: str,
    assistant_id: str,
    fields: Mapping[str, Any],
    *,
    include: object = None,
    extra_body: object = None,
    extra_headers: object = None,
    idempotency_key: object = None,
    stream: bool,
) -> Request:
    """Check every argument, then build the createRun request."""
    from oaii_openapi_client.api.assistants import create_run

    check_path_id("thread_id", thread_id)
    check_path_id("assistant_id", assistant_id)
    body_fields = {"assistant_id": assistant_id, **fields}
    if stream:
        body_fields["stream"] = True
    elif body_fields.get("stream"):
        raise InputError(
            "stream",
            "runs_create_run_request returns the run; use runs_create_run_stream (Client.stream_run)"
            " for events",
        )
    body = build_body(body_fields)
    query = _include_query(include, settings.validate)
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise InputError("extra_body", "must be a mapping of extra body fields")
    if settings.validate:
        check_body(body)
    if extra_body:
        # These two decide how the answer is read (a stream or a run) and whose run a lost
        # attempt made: only their own arguments may set them.
        for name in ("assistant_id", "stream"):
            if name in extra_body:
                raise InputError("extra_body", f"{name!r} cannot be set here: use its own argument")
        body.update(to_plain(extra_body, "extra_body"))
    key = _idempotency_key(idempotency_key)
    extra = check_headers("extra_headers", extra_headers)
    headers = merge_headers(
        settings.headers,
        {
            "Content-Type": "application/json",
            "Accept": "text/event-stream" if stream else "application/json",
            IDEMPOTENCY_HEADER: key,
        },
        extra,
    )
    return Request(
        method=create_run.METHOD,
        url=settings.base_url + create_run.request_path(thread_id) + query,
        headers=headers,
        content=encode_json(body),
        extra_headers=extra,
    )


def get_request(
    settings: Settings, thread_id: str, run_id: str, *, extra_headers: object = None, checked: bool = False
) -> Request:
    """The getRun request.  ``checked``: the ids and headers are already known good (a poll of
    our own run, with the headers its create checked)."""
    from oaii_openapi_client.api.assistants import get_run

    if checked:
        extra = dict(extra_headers) if isinstance(extra_headers, Mapping) else {}
    else:
        check_path_id("thread_id", thread_id)
        check_path_id("run_id", run_id)
        extra = check_headers("extra_headers", extra_headers)
    return Request(
        method=get_run.METHOD,
        url=settings.base_url + get_run.request_path(thread_id, run_id),
        headers=merge_headers(settings.headers, extra),
        content=None,
        extra_headers=extra,
    )


def seed_fields(
    model: object, instructions: object, additional_instructions: object, tools: object, metadata: object
) -> dict[str, Any]:
    """The R function's own arguments, by field name."""
    return dict(
        zip(SEED_FIELDS, (model, instructions, additional_instructions, tools, metadata), strict=True)
    )


def _idempotency_key(key: object) -> str:
    if key is None:
        return secrets.token_hex(16)  # 128 random bits, as a UUID4 has (less one cheap object)
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY:
        raise InputError("idempotency_key", f"must be a string of 1 to {MAX_IDEMPOTENCY_KEY} characters")
    return check_header("idempotency_key", IDEMPOTENCY_HEADER, key)


def _include_query(include: object, validate: bool) -> str:
    if include is None:
        return ""
    if isinstance(include, str) or not isinstance(include, Sequence):
        raise InputError("include", "must be a list of strings")
    known = _include_values()
    values: list[str] = []
    for index, item in enumerate(include):
        value = getattr(item, "value", item)  # a generated CreateRunIncludeItem, or its string
        if not isinstance(value, str):
            raise InputError("include", f"must be strings, got {value!r}", path=f"include[{index}]")
        if validate and known is None:
            raise InputError(
                "include",
                "the vendored spec's createRun has no include[] parameter (validate=False sends it anyway)",
            )
        if validate and known is not None and value not in known:
            raise InputError("include", f"{value!r} is not one of {known!r}", path=f"include[{index}]")
        to_plain(value, "include")  # refuses lone surrogates like any other string
        values.append(value)
    return "?" + urlencode([("include[]", v) for v in values]) if values else ""


def _include_values() -> list[str] | None:
    """The include[] values the generated client knows; None if this spec has no include[]."""
    import importlib

    try:  # by name: a client regenerated from a spec without include[] lacks the module
        module = importlib.import_module("oaii_openapi_client.models.create_run_include_item")
    except ImportError:
        return None
    return [item.value for item in module.CreateRunIncludeItem]
