"""Where a request goes and how: base URL, headers, timeouts, retries, the key.

A ``Call`` is everything needed to send one request and to explain its
failure; building one sends nothing.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from ._errors import InputError
from ._keys import ApiKey
from ._retry import RetryPolicy
from ._version import __version__

DEFAULT_BASE_URL = "https://api.openai.com/v1"
BASE_URL_VARIABLES = ("OAII_BASE_URL", "OPENAI_BASE_URL")
BETA_HEADER = "assistants=v2"
USER_AGENT = f"oaii-python/{__version__} httpx/{httpx.__version__}"
#: Per connect/read/write; the whole call (all attempts and waits) also has ``total_timeout``.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_TOTAL_TIMEOUT = 180.0


@attrs.frozen
class Call:
    method: str
    url: str
    params: Mapping[str, Any]
    headers: Mapping[str, str] = attrs.field(repr=False)
    content: bytes | None
    timeout: httpx.Timeout
    total_timeout: float | None
    retry: RetryPolicy
    key: ApiKey


def resolve_base_url(base_url: str | None) -> str:
    if base_url is None:
        base_url = next((os.environ[v] for v in BASE_URL_VARIABLES if os.environ.get(v)), DEFAULT_BASE_URL)
    if not isinstance(base_url, str):
        raise InputError("base_url", f"must be a string URL, got {type(base_url).__name__}")
    return _checked_base_url(base_url)


@functools.lru_cache(maxsize=64)
def _checked_base_url(base_url: str) -> str:
    # Cached: parsing a URL costs more than the rest of preparing a call.
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise InputError("base_url", f"is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise InputError("base_url", f"must be an http(s) URL with a host, got {base_url!r}")
    return base_url.rstrip("/")


def resolve_timeout(timeout: float | httpx.Timeout | None, total_timeout: float | None) -> httpx.Timeout:
    if total_timeout is not None and (
        isinstance(total_timeout, bool) or not isinstance(total_timeout, int | float) or total_timeout <= 0
    ):
        raise InputError("total_timeout", f"must be a number of seconds > 0 or None, got {total_timeout!r}")
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return httpx.Timeout(None)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise InputError("timeout", f"must be seconds > 0, an httpx.Timeout or None, got {timeout!r}")
    return httpx.Timeout(float(timeout), connect=min(float(timeout), DEFAULT_TIMEOUT.connect or timeout))


def build_headers(
    key: ApiKey,
    organization: str | None,
    project: str | None,
    extra_headers: Mapping[str, str] | None,
) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {key.value}",
        "OpenAI-Beta": BETA_HEADER,
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
    }
    organization = organization if organization is not None else os.environ.get("OPENAI_ORG_ID")
    project = project if project is not None else os.environ.get("OPENAI_PROJECT_ID")
    for argument, name, value in (
        ("organization", "OpenAI-Organization", organization),
        ("project", "OpenAI-Project", project),
    ):
        if value is not None and value != "":
            if not isinstance(value, str):
                raise InputError(argument, f"must be a string, got {type(value).__name__}")
            _check_header(argument, value)
            headers[name] = value
    if extra_headers is not None:
        if not isinstance(extra_headers, Mapping):
            raise InputError("extra_headers", "must be a mapping of header names to strings")
        for name, value in extra_headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise InputError("extra_headers", f"header {name!r} must map a string to a string")
            _check_header("extra_headers", value)
            headers[name] = value
    return headers


def _check_header(argument: str, value: str) -> None:
    # Refused here rather than by httpx mid-send, where it would look like a network fault.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InputError(argument, "header values cannot hold control characters (newlines, tabs, ...)")


def encode_json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
