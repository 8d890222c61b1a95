"""Exceptions raised by oaii.

Every failure is an ``OaiiError``; catch that one class to handle them all::

    OaiiError                       status_code, message_long, request_id, code, type, param, body
    ├── InputError (ValueError)     a bad argument; nothing was sent
    │   └── MissingApiKeyError      no API key was found; nothing was sent
    ├── APIConnectionError          no response arrived (status_code is None)
    │   └── APITimeoutError         ... because a connect, read or total timeout passed
    ├── APIStatusError              the server answered with an error status
    │   └── EarlierRunError         ... "thread already has an active run", which a lost
    │                               earlier attempt of this call may have created (``.run_id``)
    ├── ResponseParseError          a successful answer whose body is not what the spec says
    ├── StreamError                 the server sent an ``error`` event in a run stream
    └── PollTimeoutError            create-and-poll passed its deadline (``.run`` is the last state)

``message_long`` follows the R package oaii: the short message, then
``, received error message: '<error.message>'`` for an OpenAI error body, or
``, content: '<body>'`` for any other body.  No message, repr or log line ever
contains the API key: texts that pass through here are scrubbed of it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx
    from oaii_openapi_client.models.run_object import RunObject

BODY_PREVIEW_CHARS = 500
SHUTDOWN_HINT = (
    "the hosted Assistants API on api.openai.com was shut down on 2026-08-26; "
    "point base_url (or OAII_BASE_URL) at an Assistants-compatible server"
)


class OaiiError(Exception):
    """Base class of every error oaii raises."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        message_long: str | None = None,
        request_id: str | None = None,
        code: str | None = None,
        type: str | None = None,
        param: str | None = None,
        body: str | None = None,
        attempts: int = 0,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.message_long = message_long or message
        self.request_id = request_id
        self.code = code
        self.type = type
        self.param = param
        self.body = body
        self.attempts = attempts
        super().__init__(self.message_long)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, message_long={self.message_long!r})"


class InputError(OaiiError, ValueError):
    """An argument breaks a rule of the spec; nothing was sent.

    ``argument`` is the argument's name, ``path`` where in it the value is
    (``tools[2].function.name``), ``rule`` the rule it broke.
    """

    def __init__(self, argument: str, rule: str, *, path: str | None = None) -> None:
        self.argument = argument
        self.rule = rule
        self.path = path or argument
        super().__init__(f"invalid argument '{argument}': {self.path}: {rule}")


class MissingApiKeyError(InputError):
    """No API key in the argument or the environment; nothing was sent."""

    def __init__(self, looked: str) -> None:
        super().__init__("api_key", f"no API key found; looked in {looked}")


class APIConnectionError(OaiiError):
    """The request got no response: refused, reset, DNS, TLS or protocol failure."""


class APITimeoutError(APIConnectionError):
    """A connect, read or total timeout passed before a response was complete."""


class APIStatusError(OaiiError):
    """The server answered with an error status (4xx/5xx)."""


class EarlierRunError(APIStatusError):
    """A retried createRun met "already has an active run": maybe this call's own, from an attempt
    whose answer was lost.  ``run_id`` is that run."""

    run_id: str | None = None


class ResponseParseError(OaiiError):
    """A successful status whose body is not a valid answer (not JSON, not a Run, ...)."""


class StreamError(OaiiError):
    """The server reported an error inside a run's event stream."""


class PollTimeoutError(OaiiError):
    """A run did not reach a terminal status before the poll deadline."""

    def __init__(self, message: str, run: RunObject) -> None:
        super().__init__(message)
        self.run = run


# ------------------------------------------------------------------ helpers


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced."""
    if secret and secret in text:
        return text.replace(secret, "<redacted>")
    return text


def _preview(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > BODY_PREVIEW_CHARS:
        return f"{text[:BODY_PREVIEW_CHARS]}... ({len(text)} chars)"
    return text


def _html_title(text: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    return _preview(match.group(1)) if match else None


def _openai_error(body: bytes) -> dict[str, Any] | None:
    """The ``error`` object of an OpenAI error body, or None for any other body."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: a hostile, deeply nested body
        return None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error
    return None


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def describe_body(body: bytes, content_type: str) -> str:
    """The R package's suffix for a body that is not an OpenAI error."""
    if not body.strip():
        return ", empty body"
    text = body.decode("utf-8", errors="replace")
    if "html" in content_type.lower() or text.lstrip().lower().startswith(("<!doctype html", "<html")):
        title = _html_title(text)
        if title:
            return f", content: HTML page titled '{title}': '{_preview(text)}'"
    return f", content: '{_preview(text)}'"


def status_error(
    response: httpx.Response,
    body: bytes,
    *,
    url: str,
    secret: str | None,
    key_source: str,
    attempts: int,
    error_class: type[OaiiError] = APIStatusError,
    short: str | None = None,
) -> OaiiError:
    """The enriched error for a response (usually an error status)."""
    status = response.status_code
    short = short or f"HTTP {status} {response.reason_phrase}".rstrip()
    error = _openai_error(body)
    if error is not None:
        detail = f", received error message: '{error['message']}'"
    else:
        detail = describe_body(body, response.headers.get("content-type", ""))
    hints = _hints(response.status_code, url, error, response.headers.get("location"))
    if status == 401:
        hints.append(f"the API key came from {key_source}; check it (oaii never shows it)")
    if attempts > 1:
        hints.append(f"gave up after {attempts} attempts")
    message_long = short + detail + "".join(f"; {hint}" for hint in hints)
    err = error or {}
    return error_class(
        redact(short, secret),
        status_code=status,
        message_long=redact(message_long, secret),
        request_id=response.headers.get("x-request-id"),
        code=_str_or_none(err.get("code")),
        type=_str_or_none(err.get("type")),
        param=_str_or_none(err.get("param")),
        body=redact(body.decode("utf-8", errors="replace"), secret),
        attempts=attempts,
    )


def _hints(status: int, url: str, error: dict[str, Any] | None, location: str | None) -> list[str]:
    import httpx  # already loaded whenever a request was made

    hints = []
    if 300 <= status < 400 and location:
        # Not followed: a redirected POST may be replayed as a GET, or lose its body.
        hints.append(f"the server redirects to {location}; point base_url there")
    if status == 404 and httpx.URL(url).host == "api.openai.com":
        hints.append(SHUTDOWN_HINT)
    if error is not None and error.get("code") == "invalid_beta":
        hints.append(
            "oaii sends 'OpenAI-Beta: assistants=v2'; a v1-only server needs extra_headers to override it"
        )
    return hints


def connection_error(exc: Exception, *, url: str, secret: str | None, attempts: int) -> APIConnectionError:
    """The enriched error for a request that got no (complete) response."""
    import httpx  # already loaded whenever a request was made

    timed_out = isinstance(exc, httpx.TimeoutException | TimeoutError)
    kind = "timed out" if timed_out else "failed"
    reason = str(exc) or type(exc).__name__
    message = f"request to {url} {kind}"
    message_long = f"{message}: {type(exc).__name__}: {reason}"
    if attempts > 1:
        message_long += f"; gave up after {attempts} attempts"
    cls = APITimeoutError if timed_out else APIConnectionError
    return cls(redact(message, secret), message_long=redact(message_long, secret), attempts=attempts)
