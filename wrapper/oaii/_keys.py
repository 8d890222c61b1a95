"""Where the API key comes from: the argument, ``OAII_API_KEY``, then ``OPENAI_API_KEY``."""

from __future__ import annotations

import os

import attrs

from ._errors import InputError, MissingApiKeyError

KEY_VARIABLES = ("OAII_API_KEY", "OPENAI_API_KEY")


@attrs.frozen
class ApiKey:
    """A key and where it was found.  Its repr never shows the key."""

    value: str = attrs.field(repr=False)
    source: str

    def __str__(self) -> str:
        return f"<API key from {self.source}>"


def api_get_key() -> str | None:
    """The key from the environment (``OAII_API_KEY``, else ``OPENAI_API_KEY``), or None."""
    for variable in KEY_VARIABLES:
        value = os.environ.get(variable)
        if value:
            return value
    return None


def api_set_key(api_key: str) -> None:
    """Set ``OAII_API_KEY`` for this process, as the R package's ``api_set_key`` does."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise InputError("api_key", "must be a non-empty string")
    os.environ["OAII_API_KEY"] = api_key


def resolve_key(api_key: str | None) -> ApiKey:
    """The key to send: the argument, else the environment; raises when there is none."""
    if api_key is not None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise InputError("api_key", "must be a non-empty string (or None to read the environment)")
        return ApiKey(api_key, "the api_key argument")
    for variable in KEY_VARIABLES:
        value = os.environ.get(variable)
        if value:
            return ApiKey(value, f"the environment variable {variable}")
    raise MissingApiKeyError("the api_key argument, " + ", ".join(f"${v}" for v in KEY_VARIABLES))
