"""An answer -> a ``RunObject``, or the enriched error that explains it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._call import Call
from ._errors import APIStatusError, OaiiError, ResponseParseError, status_error
from ._transport import Answer

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject


def raise_for_status(call: Call, answer: Answer) -> None:
    if not answer.response.is_success:
        raise _error(call, answer, answer.body or b"")


def _error(
    call: Call, answer: Answer, body: bytes, cls: type[OaiiError] = APIStatusError, short: str | None = None
) -> OaiiError:
    return status_error(
        answer.response,
        body,
        url=call.url,
        secret=call.key.value,
        key_source=call.key.source,
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
    try:
        return RunObject.from_dict(data)
    except Exception as exc:
        raise ValueError(f"not a valid run object: {type(exc).__name__}: {exc}") from exc


def run_from_answer(call: Call, answer: Answer) -> RunObject:
    raise_for_status(call, answer)
    body = answer.body or b""
    status = answer.response.status_code
    try:
        data = json.loads(body)
    except ValueError:
        raise _error(
            call, answer, body, ResponseParseError, f"HTTP {status} but the body is not JSON"
        ) from None
    try:
        return parse_run_data(data)
    except ValueError as exc:
        raise _error(call, answer, body, ResponseParseError, f"HTTP {status} but the body is {exc}") from None
