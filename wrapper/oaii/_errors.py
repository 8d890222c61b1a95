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

import functools
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

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

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's default pickling re-calls ``cls(*self.args)``, which fails for
        # every subclass whose constructor takes other arguments (InputError needs
        # ``rule``), and multiprocessing then hangs on the unpicklable result.
        # Rebuild from the fields instead, bypassing the constructor.
        return (_rebuild, (type(self), self.message_long, dict(self.__dict__)))


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


# Public as ``oaii.<Name>`` (as httpx does for its own classes): tracebacks and reprs say
# ``oaii.InputError``, the name a user imports, not this private module; pickle finds the
# class there too.
for _cls in (
    OaiiError,
    InputError,
    MissingApiKeyError,
    APIConnectionError,
    APITimeoutError,
    APIStatusError,
    EarlierRunError,
    ResponseParseError,
    StreamError,
    PollTimeoutError,
):
    _cls.__module__ = "oaii"


def _rebuild(cls: type[OaiiError], message_long: str, state: dict[str, Any]) -> OaiiError:
    """Unpickle an ``OaiiError``: same type, same fields, same ``str()``."""
    error = cls.__new__(cls)
    Exception.__init__(error, message_long)
    error.__dict__.update(state)
    return error


# ------------------------------------------------------------------ helpers


REDACTED = "<redacted>"
#: The most of a body that message texts are built from: whatever a server sends,
#: building an error's text scans a bounded prefix, in linear time.
SCAN_CHARS = 64 * 1024
#: Short fields taken from a response (code, param, type, request_id, header values).
FIELD_CHARS = 200
#: An OpenAI error body is small; a larger one is described, not parsed.
ERROR_JSON_BYTES = 1024 * 1024
#: Header names whose values are credentials (redact_headers).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key", "openai-api-key"})

_E = TypeVar("_E", bound=BaseException)
_WHITESPACE = re.compile(r"\s+")
_TITLE_OPEN = re.compile(r"<title", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title", re.IGNORECASE)


def _secret_forms(secret: str) -> list[str]:
    """``secret`` as it may appear in a text: raw, JSON-escaped, repr-escaped, percent-encoded."""
    from urllib.parse import quote

    escaped = json.dumps(secret)[1:-1]
    # str.__repr__: the key may be a HiddenStr, whose own repr hides it.
    forms = {
        str(secret),
        escaped,
        escaped.replace("/", "\\/"),
        str.__repr__(secret)[1:-1],
        quote(secret, safe=""),
    }
    return sorted(forms, key=len, reverse=True)  # longest first: no form is left half-replaced


@functools.lru_cache(maxsize=8)
def _escaped_pattern(secret: str) -> re.Pattern[str]:
    """``secret`` with any of its characters written as a JSON escape: ``\\uXXXX`` (either
    case of hex), or ``\\"``, ``\\\\``, ``\\/``.  Each character's alternatives are
    literals, so a search is linear in the text (times the key's length at most)."""
    parts = []
    for ch in secret:
        code = "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in f"{ord(ch):04x}")
        alternatives = [re.escape(ch), r"\\u" + code]
        if ch in '"\\/':
            alternatives.append(re.escape("\\" + ch))
        parts.append("(?:" + "|".join(alternatives) + ")")
    return re.compile("".join(parts))


def redact(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` replaced, also in its escaped forms.

    This covers ``Bearer <key>`` and a key a server echoes inside JSON, with any of
    its characters escaped (``\\u0041`` for ``A``).  Call it on a whole text *before*
    cutting it to length: a key across the cut would otherwise survive in part.
    """
    if not secret:
        return text
    for form in _secret_forms(secret):
        if form in text:
            text = text.replace(form, REDACTED)
    if "\\" in text:  # a form no list can hold: any mix of escaped and plain characters
        text = _escaped_pattern(str(secret)).sub(REDACTED, text)
    return text


def redact_headers(headers: Mapping[str, str], secret: str | None = None) -> dict[str, str]:
    """A copy of ``headers`` safe to show: credentials replaced, ``secret`` scrubbed from the rest."""
    return {
        name: REDACTED if name.lower() in SECRET_HEADERS else redact(value, secret)
        for name, value in headers.items()
    }


def detach(error: _E) -> _E:
    """``error`` without links to the exceptions it was raised from.

    Traceback printers and error trackers walk ``__cause__``/``__context__`` and show
    each frame's locals; an httpx exception down that chain may hold the request
    and its ``Authorization`` header.  ``raise detach(err)`` inside an ``except``
    block does not help (Python links the handled exception at ``raise``): build the
    error inside the block and raise it after, or raise it ``from None`` and detach
    it in a ``finally``.
    """
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = True
    return error


def clip(text: str, limit: int = BODY_PREVIEW_CHARS) -> str:
    """``text`` with whitespace collapsed and cut to ``limit`` characters, scanning a bounded prefix."""
    total = len(text)
    head = _WHITESPACE.sub(" ", text[:SCAN_CHARS]).strip()
    if len(head) > limit or total > SCAN_CHARS:
        return f"{head[:limit]}... ({total} chars)"
    return head


def response_field(value: Any, secret: str | None) -> str | None:
    """A short field from a response (an error ``code``, a header value), as text: redacted, then cut.

    For every such field an error carries; ``None`` stays ``None``.
    """
    if value is None:
        return None
    return clip(redact(str(value), secret), FIELD_CHARS)


def _preview(text: str) -> str:
    return clip(text)


def _html_title(text: str) -> str | None:
    # str.find-like scans, not a regex with a lazy group: that one was quadratic
    # on a page of many unclosed <title tags (a 280 KB page took 163 s).
    opened = _TITLE_OPEN.search(text, 0, SCAN_CHARS)
    if opened is None:
        return None
    start = text.find(">", opened.end(), SCAN_CHARS)
    if start < 0:
        return None
    closed = _TITLE_CLOSE.search(text, start + 1, SCAN_CHARS)
    if closed is None:
        return None
    return _preview(text[start + 1 : closed.start()]) or None


def _openai_error(body: bytes) -> dict[str, Any] | None:
    """The ``error`` object of an OpenAI error body, or None for any other body."""
    if len(body) > ERROR_JSON_BYTES or not body.lstrip().startswith(b"{"):
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error
    return None


def received_message(message: str, secret: str | None) -> str:
    """The R package's suffix for a server's error message: redacted whole, then cut to 500 characters.

    For every error message a server sends, in an error body or in a stream's ``error`` event.
    """
    return f", received error message: '{_preview(redact(message, secret))}'"


def _body_text(body: bytes, secret: str | None) -> str:
    return redact(body.decode("utf-8", errors="replace"), secret)


def describe_body(body: bytes, content_type: str, *, secret: str | None = None) -> str:
    """The R package's suffix for a body that is not an OpenAI error.

    Pass ``secret``: the body is redacted before it is cut to length.
    """
    if not body.strip():
        return ", empty body"
    return _describe_text(_body_text(body, secret), content_type)


def _describe_text(text: str, content_type: str) -> str:
    head = text[:SCAN_CHARS].lstrip()[:16].lower()
    if "html" in content_type.lower() or head.startswith(("<!doctype html", "<html")):
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
    """The enriched error for a response (usually an error status).

    Everything taken from the response (reason, body, error fields, headers) is
    redacted whole, then cut; building the text scans a bounded prefix.
    """
    status = response.status_code
    reason = response_field(response.reason_phrase, secret) or ""
    short = short or f"HTTP {status} {reason}".rstrip()
    text = _body_text(body, secret)
    error = _openai_error(body)
    if error is not None:
        detail = received_message(error["message"], secret)
    elif not body.strip():
        detail = ", empty body"
    else:
        detail = _describe_text(text, response.headers.get("content-type", ""))
    location = response_field(response.headers.get("location"), secret)
    hints = _hints(response.status_code, url, error, location)
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
        request_id=response_field(response.headers.get("x-request-id"), secret),
        code=response_field(err.get("code"), secret),
        type=response_field(err.get("type"), secret),
        param=response_field(err.get("param"), secret),
        body=text,
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
    reason = clip(redact(str(exc), secret)) or type(exc).__name__
    message = f"request to {url} {kind}"
    message_long = f"{message}: {type(exc).__name__}: {reason}"
    if attempts > 1:
        message_long += f"; gave up after {attempts} attempts"
    cls = APITimeoutError if timed_out else APIConnectionError
    return cls(redact(message, secret), message_long=redact(message_long, secret), attempts=attempts)
