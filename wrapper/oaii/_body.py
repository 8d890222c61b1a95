"""Arguments -> the createRun body: only what the caller gave, as plain JSON values.

``None`` means "not sent", as in the R package.  Generated model instances and
plain dicts/lists are both accepted anywhere a structured value goes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from ._errors import InputError
from ._validation import body_fields


def to_plain(value: Any, argument: str) -> Any:
    """``value`` as JSON-ready data: generated models via ``to_dict()``, enums via ``.value``."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(argument, f"keys must be strings, got {key!r}")
            out[key] = to_plain(item, argument)
        return out
    if isinstance(value, list | tuple):
        return [to_plain(item, argument) for item in value]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_plain(to_dict(), argument)
    raise InputError(
        argument, f"{type(value).__name__} is not JSON data (use dicts, lists, str, numbers, bools)"
    )


def build_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The body from ``fields`` (argument name -> value), leaving out the ``None``s."""
    known = body_fields()
    body: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in known:
            raise InputError(name, f"is not a field of CreateRunRequest; known fields: {', '.join(known)}")
        if value is not None:
            body[name] = to_plain(value, name)
    return body
