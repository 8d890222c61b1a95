"""A client's settings, resolved once: key, base URL, headers, timeouts, retries, limits.

Every value here is checked when a client is made (or derived with
``with_options``), so that a call only adds its own arguments.  Headers are set
in one place, ``merge_headers``: names compare case-insensitively, and a later
value replaces an earlier one, so every default header can be overridden.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from ._errors import InputError
from ._http.routes import Routes, resolve_routes
from ._keys import ApiKey, authorization, resolve_key
from ._retry import RetryPolicy, as_policy
from ._validation import check_header
from ._version import __version__

DEFAULT_BASE_URL = "https://api.openai.com/v1"
BASE_URL_VARIABLES = ("OAII_BASE_URL", "OPENAI_BASE_URL")
ORGANIZATION_VARIABLE = "OPENAI_ORG_ID"
PROJECT_VARIABLE = "OPENAI_PROJECT_ID"
BETA_HEADER = "assistants=v2"
USER_AGENT = f"oaii-python/{__version__} httpx/{httpx.__version__}"
#: Per connect/read/write; the whole call (all attempts and waits) also has ``total_timeout``.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_TOTAL_TIMEOUT = 180.0
DEFAULT_MAX_RETRIES = 2
#: Bodies larger than this (after decompression) are refused: a run is a few KiB.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
#: Headers that describe the connection or the message framing: a caller's value would
#: contradict the bytes sent (or smuggle a second request).
FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "host", "connection", "te", "trailer", "upgrade", "keep-alive"}
)


@attrs.frozen
class Settings:
    """How a client sends: everything but the call's own arguments."""

    key: ApiKey
    base_url: str
    headers: Headers
    timeout: httpx.Timeout
    total_timeout: float | None
    retry: RetryPolicy
    validate: bool
    max_response_bytes: int
    routes: Routes


def resolve_settings(
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    organization: str | None = None,
    project: str | None = None,
    timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
    total_timeout: float | None = DEFAULT_TOTAL_TIMEOUT,
    max_retries: int | RetryPolicy = DEFAULT_MAX_RETRIES,
    default_headers: Mapping[str, str] | None = None,
    validate: bool = True,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    http: str | None = None,
    proxy: object = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Check every setting (``InputError`` naming the argument) and resolve it from the environment
    (``environ``: a snapshot taken when the client was made; default ``os.environ``)."""
    environ = os.environ if environ is None else environ
    key = resolve_key(api_key, environ)
    if not isinstance(validate, bool):
        raise InputError("validate", f"must be True or False, got {validate!r}")
    if (
        isinstance(max_response_bytes, bool)
        or not isinstance(max_response_bytes, int)
        or max_response_bytes < 1
    ):
        raise InputError("max_response_bytes", f"must be an int >= 1, got {max_response_bytes!r}")
    headers = merge_headers(
        {
            "Authorization": authorization(key),
            "OpenAI-Beta": BETA_HEADER,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            # What _http.transport can undo with a bound on the size (httpx would also offer br/zstd).
            "Accept-Encoding": "gzip, deflate",
        },
        _optional_header("organization", "OpenAI-Organization", organization, ORGANIZATION_VARIABLE, environ),
        _optional_header("project", "OpenAI-Project", project, PROJECT_VARIABLE, environ),
        check_headers("default_headers", default_headers),
    )
    return Settings(
        key=key,
        base_url=resolve_base_url(base_url, environ),
        headers=headers,
        timeout=resolve_timeout(timeout),
        total_timeout=check_seconds("total_timeout", total_timeout, allow_none=True),
        retry=as_policy(max_retries),
        validate=validate,
        max_response_bytes=max_response_bytes,
        routes=resolve_routes(http, proxy, environ),
    )


@attrs.frozen
class Headers:
    """Header pairs, each name once (whatever its letter case).  The repr never shows a value."""

    pairs: tuple[tuple[str, str], ...]

    def __repr__(self) -> str:
        return f"Headers({[name for name, _ in self.pairs]!r})"


def merge_headers(*layers: Mapping[str, str] | Headers | None) -> Headers:
    """The layers merged in order; a name set again (in any letter case) replaces, never duplicates."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        if isinstance(layer, Headers):
            merged.update((name.lower(), (name, value)) for name, value in layer.pairs)
        elif layer:
            merged.update((name.lower(), (name, value)) for name, value in layer.items())
    return Headers(tuple(merged.values()))


def check_headers(argument: str, headers: object) -> dict[str, str]:
    """``headers`` as a dict, each name and value checked (``check_header``)."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise InputError(argument, "must be a mapping of header names to strings")
    for name in headers:
        if isinstance(name, str) and name.lower() in FRAMING_HEADERS:
            raise InputError(argument, f"{name!r} is set by the HTTP layer from the request itself")
    return {name: check_header(argument, name, value) for name, value in headers.items()}


def _optional_header(
    argument: str, name: str, value: object, variable: str, environ: Mapping[str, str]
) -> dict[str, str]:
    if value is None:
        value = environ.get(variable)
        argument = f"${variable}"
    if value is None or value == "":
        return {}
    if not isinstance(value, str):
        raise InputError(argument, f"must be a string, got {type(value).__name__}")
    return {name: check_header(argument, name, value)}


def resolve_base_url(base_url: object, environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    if base_url is None:
        base_url = next((environ[v] for v in BASE_URL_VARIABLES if environ.get(v)), DEFAULT_BASE_URL)
    if not isinstance(base_url, str):
        raise InputError("base_url", f"must be a string URL, got {type(base_url).__name__}")
    return _checked_base_url(base_url)


@functools.lru_cache(maxsize=64)
def _checked_base_url(base_url: str) -> str:
    # Never quote a refused URL back: it may hold a password.
    if base_url != base_url.strip() or any(ch.isspace() or ord(ch) < 32 for ch in base_url):
        raise InputError("base_url", "must not contain whitespace or control characters")
    try:
        url = httpx.URL(base_url)
        host = url.host
        # The encodings the socket layer applies mid-send (IDNA, 63-character labels), tried now.
        url.raw_host.decode("ascii").encode("idna")
    except (httpx.InvalidURL, ValueError):  # ValueError: IDNA's UnicodeError and its kin
        raise InputError("base_url", "is not a valid URL") from None
    if url.scheme not in ("http", "https") or not host:
        raise InputError("base_url", f"must be an http(s) URL with a host, got scheme {url.scheme!r}")
    if url.userinfo:
        # httpx would send it as Basic auth, in place of the bearer key.
        raise InputError("base_url", "must not hold a user name or password (user:pass@); use api_key")
    if url.query or url.fragment or "?" in base_url or "#" in base_url:
        raise InputError("base_url", "must not have a query (?...) or a fragment (#...)")
    _check_authority(base_url.split("://", 1)[1].split("/", 1)[0])
    return base_url.rstrip("/")


_PORT = re.compile(r"[0-9]+")
_DOTTED_QUAD = re.compile(
    r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
)
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?", re.IGNORECASE)


def _check_authority(authority: str) -> None:
    """Refuse a host or port that httpx would pass on in a form the socket layer, or a URL
    standard, reads otherwise: a port out of 1-65535 (the socket layer wraps or refuses it
    mid-send) or not in ASCII digits (``int`` reads "+80", "8_0" and fullwidth digits as 80), a
    percent-encoded or backslashed host, a numeric host that is not a dotted quad ("127.1")."""
    if authority.startswith("["):
        host, _, rest = authority[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
    else:
        host, colon, port_text = authority.rpartition(":")
        host, port = (host, port_text) if colon else (port_text, None)
    significant = port.lstrip("0") if port else ""  # leading zeros are digits too (RFC 3986 3.2.3)
    if port and (
        _PORT.fullmatch(port) is None or len(significant) > 5 or not 1 <= int(significant or 0) <= 65535
    ):
        raise InputError("base_url", "must have a port from 1 to 65535, in digits 0-9")
    if ("%" in host and not authority.startswith("[")) or "\\" in host:
        raise InputError("base_url", "must not have a percent-encoded or backslashed host")
    if _NUMERIC_HOST.fullmatch(host) and _DOTTED_QUAD.fullmatch(host) is None:
        raise InputError("base_url", "must write a numeric host as a dotted quad (127.0.0.1)")


def check_seconds(
    argument: str, value: object, *, allow_none: bool, allow_zero: bool = False
) -> float | None:
    """``value`` as a finite number of seconds (> 0, or >= 0 with ``allow_zero``), or None if allowed."""
    if value is None and allow_none:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
        or (value == 0 and not allow_zero)
    ):
        bound = ">= 0" if allow_zero else "> 0"
        rule = f"must be a finite number of seconds {bound}" + (" or None" if allow_none else "")
        raise InputError(argument, f"{rule}, got {value!r}")
    return float(value)


def resolve_timeout(timeout: object) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        for name, value in timeout.as_dict().items():
            check_seconds(f"timeout.{name}", value, allow_none=True)
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    seconds = check_seconds("timeout", timeout, allow_none=True)  # None was taken above; the rule says it
    assert seconds is not None
    return httpx.Timeout(seconds, connect=min(seconds, DEFAULT_TIMEOUT.connect or seconds))


def encode_json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
