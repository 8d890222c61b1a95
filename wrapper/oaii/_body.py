"""Arguments -> the createRun body: only what the caller gave, as plain JSON values.

``None`` means "not sent", as in the R package.  Generated model instances and
plain dicts/lists are both accepted anywhere a structured value goes.  Whatever
cannot be sent as JSON exactly as given is refused here, naming the argument and
the path, before anything is sent: NaN and infinities (``json`` would write
``NaN``, which is not JSON), lone surrogates (not encodable as UTF-8), values
nested deeper than ``MAX_DEPTH`` (or a container that holds itself), and
anything that is not JSON data.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

from ._errors import InputError
from ._validation import body_fields

#: Deeper than any real request (a JSON Schema in response_format nests a few dozen
#: levels at most), and far from the interpreter's recursion limit.
MAX_DEPTH = 128
#: As the R package, which refuses ``model = ""`` and the like: an empty string is
#: almost always an unset setting, and would override the assistant's own value
#: with nothing (or, for ``model``, meet a 400).  ``None`` leaves the assistant's.
NON_EMPTY_STRINGS = ("model", "instructions", "additional_instructions")


def to_plain(value: Any, argument: str) -> Any:
    """``value`` as JSON-ready data: generated models via ``to_dict()``, enums via ``.value``.

    Raises ``InputError`` naming ``argument`` (and the path into it) for anything
    that cannot be sent as JSON as given.  Call it on ``extra_body`` too.
    """
    return _plain(value, argument, argument, 0)


def _plain(value: Any, argument: str, path: str, depth: int) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _checked_str(value, argument, path)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(
                argument, f"{value!r} is not a JSON number (NaN and infinities are not)", path=path
            )
        return value
    if depth >= MAX_DEPTH:
        raise InputError(argument, f"nested deeper than {MAX_DEPTH} levels (or contains itself)", path=path)
    if isinstance(value, enum.Enum):
        return _plain(value.value, argument, path, depth + 1)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InputError(argument, f"keys must be strings, got {_short(key)}", path=path)
            _checked_str(key, argument, path)
            # Plain scalars inline: the path is only spelled out for what needs a look.
            out[key] = item if _simple(item) else _plain(item, argument, f"{path}.{key}", depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [
            item if _simple(item) else _plain(item, argument, f"{path}[{i}]", depth + 1)
            for i, item in enumerate(value)
        ]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _plain(to_dict(), argument, path, depth + 1)
    raise InputError(
        argument,
        f"{type(value).__name__} is not JSON data (use dicts, lists, str, numbers, bools)",
        path=path,
    )


def _simple(item: object) -> bool:
    """JSON as it is, with nothing to check: None, an exact int or bool, an ASCII str."""
    kind = type(item)
    return item is None or kind is int or kind is bool or (kind is str and item.isascii())  # type: ignore[attr-defined]


def _checked_str(text: str, argument: str, path: str) -> str:
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(
                argument,
                f"holds a lone surrogate {text[exc.start]!r} at index {exc.start}: not valid Unicode text",
                path=path,
            ) from None
    return text


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def build_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The body from ``fields`` (argument name -> value), leaving out the ``None``s."""
    known = body_fields()
    body: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:  # not sent: fine even for a seed argument this spec no longer has
            continue
        if name not in known:
            raise InputError(
                name, f"is not a field of CreateRunRequest in this spec; known fields: {', '.join(known)}"
            )
        if value == "" and name in NON_EMPTY_STRINGS:
            raise InputError(name, "must be a non-empty string, or None to keep the assistant's own")
        body[name] = to_plain(value, name)
    return body
