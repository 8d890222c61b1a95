"""An answer -> a ``RunObject``, or the enriched error that explains it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._errors import APIStatusError, OaiiError, ResponseParseError, status_error
from ._keys import ApiKey

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._flow import Answer


def error_for(
    key: ApiKey,
    url: str,
    answer: Answer,
    cls: type[OaiiError] = APIStatusError,
    short: str | None = None,
) -> OaiiError:
    """The enriched error for ``answer`` (usually an error status)."""
    return status_error(
        answer.response,
        answer.body or b"",
        url=url,
        secret=key.value,
        key_source=key.source,
        attempts=answer.attempts,
        error_class=cls,
        short=short,
    )


def parse_run_data(data: Any) -> RunObject:
    """A ``RunObject`` from decoded JSON; ``ValueError`` if it is not a run."""
    from oaii_openapi_client.models.run_object import RunObject

    if (
        not isinstance(data, dict)
        or data.get("object") != "thread.run"
        or not isinstance(data.get("id"), str)
    ):
        raise ValueError("not a run object (object must be 'thread.run', with an 'id')")
    # No RecursionError branch: the generated models recurse as deep as the schema, not the data
    # (decode_json has already refused JSON nested too deeply); one would land below anyway.
    try:
        return RunObject.from_dict(data)
    except Exception as exc:  # noqa: BLE001 - generated code raises KeyError, TypeError, ...
        raise ValueError(f"not a valid run object: {type(exc).__name__}: {exc}") from None


def decode_json(body: bytes) -> Any:
    """``body`` as JSON; ``ValueError`` for anything else, deep nesting included."""
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def run_from_answer(key: ApiKey, url: str, answer: Answer) -> RunObject:
    if not answer.response.is_success:
        raise error_for(key, url, answer)
    status = answer.response.status_code
    failure: OaiiError | None = None
    try:
        return parse_run_data(decode_json(answer.body or b""))
    except ValueError as exc:
        # Built outside the except block: no exception context to carry.
        failure = error_for(key, url, answer, ResponseParseError, _what(status, exc))
    raise failure


def _what(status: int, exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"HTTP {status} but the body is not JSON"
    text = str(exc)
    return (
        f"HTTP {status} but the body is {text}"
        if text.startswith("not ")
        else f"HTTP {status} but the body is not usable JSON: {text}"
    )
