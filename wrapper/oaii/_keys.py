"""Where the API key comes from: the argument, ``OAII_API_KEY``, then ``OPENAI_API_KEY``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import attrs

from ._errors import InputError, MissingApiKeyError

KEY_VARIABLES = ("OAII_API_KEY", "OPENAI_API_KEY")


def _check(api_key: object, where: str) -> str:
    if not isinstance(api_key, str) or not api_key.strip():
        raise InputError("api_key", f"{where} must be a non-empty string")
    # A key with spaces or control characters would fail inside httpx with an error
    # that quotes the header, and so the key, escaped beyond what redaction finds.
    if not all(33 <= ord(ch) <= 126 for ch in api_key):
        raise InputError("api_key", f"{where} has whitespace or characters that cannot go in a header")
    return api_key


class HiddenStr(str):
    """A string whose ``repr`` hides it: for header values that hold the key.

    Traceback printers (pytest ``-l``), error trackers (Sentry's frame variables)
    and ``str(dict)`` show values through ``repr``; the characters themselves go
    on the wire unchanged, since httpx encodes the string's data.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<redacted>'"


def hidden(value: object) -> Any:
    """``value`` as a ``HiddenStr`` if it is a string (else as it is): for a key as soon as it arrives.

    Every frame a key passes through keeps it in a local (a parameter, a dict of
    settings, a snapshot of the environment); hidden at the door, each of those
    shows ``'<redacted>'`` to a traceback printer, an error tracker or a debugger.
    """
    return HiddenStr(value) if isinstance(value, str) and not isinstance(value, HiddenStr) else value


def hide_credentials(settings: dict[str, Any]) -> None:
    """The key and a proxy URL (which may carry a password) in ``settings`` hidden in place.

    For a function's own ``**settings``/``**options``: that very dict is a local of its frame,
    and of every frame it is passed down to, so it is hidden before anything can fail.
    """
    for name in ("api_key", "proxy"):
        if name in settings:
            settings[name] = hidden(settings[name])


def authorization(key: ApiKey) -> HiddenStr:
    """The ``Authorization`` header value for ``key``, hidden from reprs."""
    return HiddenStr(f"Bearer {key.value}")


@attrs.frozen
class ApiKey:
    """A key and where it was found.  Its repr never shows the key."""

    value: str = attrs.field(repr=False, converter=hidden)
    source: str

    def __str__(self) -> str:
        return f"<API key from {self.source}>"


def _from_environment(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The first of ``KEY_VARIABLES`` that is set (in ``environ``, default ``os.environ``), and its value."""
    environ = os.environ if environ is None else environ
    for variable in KEY_VARIABLES:
        value = environ.get(variable)
        if value:
            return variable, hidden(value)
    return None


def api_get_key() -> str | None:
    """The key from the environment (``OAII_API_KEY``, else ``OPENAI_API_KEY``), or None."""
    found = _from_environment()
    return str(found[1]) if found else None  # the caller asked for the key itself: a plain str


def api_set_key(api_key: str) -> None:
    """Set ``OAII_API_KEY`` for this process, as the R package's ``api_set_key`` does.

    Returns None, not the key (the R function returns ``TRUE`` invisibly): a
    returned key would be echoed by an interactive session.
    """
    os.environ["OAII_API_KEY"] = _check(api_key, "the key")


def resolve_key(api_key: str | None, environ: Mapping[str, str] | None = None) -> ApiKey:
    """The key to send: the argument, else the environment; raises when there is none."""
    api_key = hidden(api_key)
    if api_key is not None:
        return ApiKey(_check(api_key, "the api_key argument"), "the api_key argument")
    found = _from_environment(environ)
    if found is not None:
        source = f"the environment variable {found[0]}"
        return ApiKey(_check(found[1], source), source)
    raise MissingApiKeyError("the api_key argument, " + ", ".join(f"${v}" for v in KEY_VARIABLES))
