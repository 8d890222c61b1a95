"""The model backend: one turn of a run, carried out by any Chat Completions endpoint.

The data path, one function each::

    a run's settings, its instructions and the thread's messages
      -> chat_request()          a CreateChatCompletionRequest body (stream, usage asked for)
      -> ModelBackend.complete() POST {base_url}/chat/completions, streamed, retried where safe
      -> Completion              the answer's text (each piece handed on as it arrives),
                                 its tool calls (ids kept), its usage
         or ModelError           code ``server_error`` / ``rate_limit_exceeded`` and a message
                                 naming the cause: what a failed run's ``last_error`` says

Exceptions (``complete`` raises nothing else; cancelling its task closes the connection)::

    ModelError
      code == "rate_limit_exceeded"   the backend kept answering 429
      code == "server_error"          anything else: refused, timed out, 4xx/5xx, not a completion

Everything the backend sends is hostile input: each event, the whole answer, the text,
the number of tool calls and the error bodies read are bounded; JSON deeper than the
decoder's recursion limit, text where an object belongs, a stream cut short are each a
``ModelError``, never a stray exception.  The key never appears in a message or a repr,
even where the backend quotes it back (escaped or not).

Retries: a refused or reset connection, a timeout, a 408/409/429/5xx, or an answer that
is not a completion is tried again, with exponential backoff (and ``Retry-After``), while
nothing has been handed on and the time budget lasts; after the first piece of text (or the
first streamed tool call) a failure ends the turn at once, since what was sent cannot be
taken back.

The budget (``ModelConfig.timeout``, 10 s by default) bounds the time without progress:
from the call to its first event (retries included), then between two events.  A backend
that keeps streaming is never cut off; one that stalls fails within the budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import json
import os
import random
import socket
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Final, Protocol

import httpx

from ._backend_http import (
    BackendClosed,
    BackendConnectError,
    BackendHTTPError,
    BackendUnreadable,
    DirectPool,
)

__all__ = [
    "Completion",
    "ModelBackend",
    "ModelConfig",
    "ModelError",
    "ToolCall",
    "Usage",
    "chat_messages",
    "chat_request",
    "tool_turn",
]

# ------------------------------------------------------------------------- bounds
#: One server-sent event (its data lines together), or a whole JSON answer.
MAX_EVENT_BYTES: Final = 1 << 20
#: Everything one call reads (decoded), events and framing.
MAX_STREAM_BYTES: Final = 32 << 20
#: The answer's text and its tool calls' names and arguments, together.
MAX_ANSWER_CHARS: Final = 4 << 20
MAX_TOOL_CALLS: Final = 128
MAX_ID_CHARS: Final = 256
MAX_NAME_CHARS: Final = 256
#: What is read of an error body, and what of its message goes into ``last_error``.
MAX_ERROR_BYTES: Final = 64 << 10
MAX_QUOTED_CHARS: Final = 300
#: Token counts above this are not counts.
MAX_TOKENS: Final = 2**53

RETRY_STATUSES: Final = frozenset({408, 409, 429})
MAX_BACKOFF: Final = 2.0
#: How long the end of a stream is waited for after ``[DONE]`` (see ``_drain``).
DRAIN_SECONDS: Final = 0.5
#: httpx clients (connection pools) calls are spread over (see ``ModelBackend``).
SHARDS: Final = 8
RATE_LIMITED: Final = "rate_limit_exceeded"
KEY_MASK: Final = "<the model key>"
#: The system message of a run with no instructions on an empty thread.
NO_INSTRUCTIONS: Final = "You are a helpful assistant."
SERVER_ERROR: Final = "server_error"


class ModelError(Exception):
    """The backend could not give an answer.  ``code`` and ``message`` are a run's ``last_error``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ModelError({self.code!r}, {self.message!r})"


class _Secret(str):
    """A header value holding the key: its repr hides it (tracebacks, debuggers, logs)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<redacted>'"


def secret(key: object) -> Any:
    """``key`` with a repr that hides it if it is a string (else as it is, for the checks to refuse)."""
    return _Secret(key) if isinstance(key, str) and not isinstance(key, _Secret) else key


def _check_key(key: str) -> None:
    # A key that cannot go in a header would fail inside httpx with a message quoting it.
    if not key or not all(33 <= ord(ch) <= 126 for ch in key):
        raise ValueError(
            "model_api_key must be a non-empty string of visible ASCII characters (it goes in a header)"
        )


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Where and how runs are carried out.

    ``base_url``   the Chat Completions endpoint's base, e.g. ``https://api.openai.com/v1`` or
                   ``http://localhost:11434/v1`` (Ollama); ``/chat/completions`` is appended
    ``api_key``    sent as ``Authorization: Bearer``; None sends no Authorization (Ollama needs none)
    ``model_map``  a run's model -> the backend's (``"*"`` maps every other name)
    ``timeout``    seconds without progress before the turn fails (see the module's docstring)
    ``retries``    further attempts after the first, while the budget lasts
    ``backoff``    the first wait between attempts (doubled each time, up to 2 s, jittered)
    """

    base_url: str
    api_key: str | None = dataclasses.field(default=None, repr=False)
    model_map: Mapping[str, str] = dataclasses.field(default_factory=dict)
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.1

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url) if isinstance(self.base_url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "model_base_url must be an http:// or https:// URL, e.g. http://localhost:11434/v1"
            )
        if self.api_key is not None:
            _check_key(self.api_key)
        if not isinstance(self.model_map, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and k and v for k, v in self.model_map.items()
        ):
            raise ValueError("model_map must map non-empty model names to non-empty model names")
        object.__setattr__(self, "model_map", dict(self.model_map))
        if (
            isinstance(self.timeout, bool)
            or not isinstance(self.timeout, int | float)
            or not self.timeout > 0
        ):
            raise ValueError("model_timeout must be a number of seconds above 0")
        if isinstance(self.retries, bool) or not isinstance(self.retries, int) or self.retries < 0:
            raise ValueError("model retries must be an integer of at least 0")
        if isinstance(self.backoff, bool) or not isinstance(self.backoff, int | float) or self.backoff < 0:
            raise ValueError("model backoff must be a number of seconds, at least 0")

    @property
    def url(self) -> str:
        parts = urllib.parse.urlsplit(self.base_url)  # a query (Azure's api-version) stays last
        return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/chat/completions"))

    @property
    def shown_url(self) -> str:
        """The endpoint as messages name it: no user, password, query or fragment."""
        parts = urllib.parse.urlsplit(self.url)
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path}"

    def backend_model(self, model: str) -> str:
        mapped = self.model_map.get(model)
        if mapped is None:
            mapped = self.model_map.get("*", model)
        return mapped


# --------------------------------------------------------------------- the request


def _text_of(content: Any) -> tuple[str, list[dict[str, Any]]]:
    """An Assistants message's content (a string, or parts as created or as stored) as chat
    text, and its image parts as chat content parts."""
    if isinstance(content, str):
        return content, []
    texts: list[str] = []
    images: list[dict[str, Any]] = []
    for part in content if isinstance(content, list) else []:
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind == "text":
            text = part.get("text")
            value = text.get("value") if isinstance(text, dict) else text
            if isinstance(value, str):
                texts.append(value)
        elif kind == "image_url" and isinstance(part.get("image_url"), dict):
            image = {k: v for k, v in part["image_url"].items() if k in ("url", "detail")}
            images.append({"type": "image_url", "image_url": image})
        elif kind == "image_file" and isinstance(part.get("image_file"), dict):
            # This server keeps no files, so the model cannot be shown one: say so in its place.
            texts.append(f"[image file {part['image_file'].get('file_id')} is not available here]")
    return "\n".join(texts), images


def chat_messages(thread_messages: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A thread's messages (MessageObjects, oldest first) as chat messages."""
    out: list[dict[str, Any]] = []
    for message in thread_messages:
        role = message.get("role")
        text, images = _text_of(message.get("content"))
        if role == "assistant":
            out.append({"role": "assistant", "content": text})
        elif images:
            parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
            out.append({"role": "user", "content": [*parts, *images]})
        else:
            out.append({"role": "user", "content": text})
    return out


def tool_turn(calls: Sequence[ToolCall], outputs: Mapping[str, str], text: str = "") -> list[dict[str, Any]]:
    """The assistant's tool-call message and the ``tool`` messages answering it, in the calls' order."""
    assistant: dict[str, Any] = {
        "role": "assistant",
        "content": text or None,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in calls
        ],
    }
    return [
        assistant,
        *({"role": "tool", "tool_call_id": c.id, "content": outputs.get(c.id, "")} for c in calls),
    ]


_CHAT_RESPONSE_FORMATS = frozenset({"text", "json_object", "json_schema"})
_TOOL_CHOICE_WORDS = frozenset({"none", "auto", "required"})


def chat_request(
    config: ModelConfig,
    run: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    turns: Sequence[Mapping[str, Any]] = (),
    *,
    instructions: str | None = None,
    additional_instructions: str | None = None,
) -> dict[str, Any]:
    """The CreateChatCompletionRequest body for a run's next turn.

    ``run`` is the RunObject (its model, settings and tools); ``history`` the thread's
    messages as chat messages (``chat_messages``), cut to the run's
    ``truncation_strategy``; ``turns`` this run's tool exchanges so far (``tool_turn``).
    The system message is ``instructions`` (default: the run's) and
    ``additional_instructions``, a paragraph apart.  Only function tools are sent: the
    backend runs no code_interpreter or file_search.
    """
    if instructions is None:
        instructions = run.get("instructions") or None
    system = "\n\n".join(part for part in (instructions, additional_instructions) if part)
    truncation = run.get("truncation_strategy")
    if isinstance(truncation, dict) and truncation.get("type") == "last_messages":
        last = truncation.get("last_messages")
        if isinstance(last, int) and not isinstance(last, bool) and last >= 1:
            history = history[-last:]
    messages: list[Any] = [{"role": "system", "content": system}] if system else []
    messages.extend(history)
    messages.extend(turns)
    if not messages:  # no instructions, an empty thread: Chat Completions wants one message
        messages.append({"role": "system", "content": NO_INSTRUCTIONS})
    body: dict[str, Any] = {
        "model": config.backend_model(str(run.get("model") or "")),
        "messages": messages,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    for name in ("temperature", "top_p", "max_completion_tokens"):
        value = run.get(name)
        if value is not None:
            body[name] = value
    response_format = run.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") in _CHAT_RESPONSE_FORMATS:
        body["response_format"] = response_format
    tools = [
        {"type": "function", "function": dict(tool["function"])}
        for tool in run.get("tools") or ()
        if isinstance(tool, dict)
        and tool.get("type") == "function"
        and isinstance(tool.get("function"), dict)
    ]
    if tools:
        # Chat Completions refuses tool_choice and parallel_tool_calls without tools.
        body["tools"] = tools
        choice = run.get("tool_choice")
        if isinstance(choice, str) and choice in _TOOL_CHOICE_WORDS:
            body["tool_choice"] = choice
        elif isinstance(choice, dict) and choice.get("type") == "function":
            function = choice.get("function")
            if isinstance(function, dict) and isinstance(function.get("name"), str):
                body["tool_choice"] = {"type": "function", "function": {"name": function["name"]}}
        parallel = run.get("parallel_tool_calls")
        if isinstance(parallel, bool):
            body["parallel_tool_calls"] = parallel
    return body


# ---------------------------------------------------------------------- the answer


@dataclasses.dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str


@dataclasses.dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.total_tokens + other.total_tokens,
        )

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Completion:
    text: str
    tool_calls: tuple[ToolCall, ...]
    usage: Usage | None
    finish_reason: str | None
    calls: int = 1  # attempts it took


class _Failure(Exception):
    """One attempt failed: why, and whether another attempt may help."""

    def __init__(self, message: str, *, retry: bool, code: str = SERVER_ERROR, wait: float = 0.0) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.code = code
        self.wait = wait  # Retry-After, seconds


def _garbage(why: str) -> _Failure:
    return _Failure(f"the model backend's answer is not a chat completion: {why}", retry=True)


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_TOKENS:
        raise _garbage(f"{where} is not a token count")
    return value


def _usage(value: Any) -> Usage | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _garbage("usage is not an object")
    prompt = _count(value.get("prompt_tokens", 0), "usage.prompt_tokens")
    completion = _count(value.get("completion_tokens", 0), "usage.completion_tokens")
    total = _count(value.get("total_tokens", prompt + completion), "usage.total_tokens")
    return Usage(prompt, completion, total)


class _Answer:
    """An answer put together from stream chunks (or from one whole completion)."""

    def __init__(
        self,
        on_delta: Callable[[str], object] | None,
        on_read: Callable[[], object] | None = None,
        on_tool: Callable[[dict[str, Any]], object] | None = None,
    ) -> None:
        self.on_delta = on_delta
        self.on_read = on_read
        self.on_tool = on_tool
        self.unsent = False  # pieces handed to on_delta since on_read was last called
        self.text: list[str] = []
        self.calls: list[dict[str, str]] = []
        # Per call, its id as handed to on_tool (None: not yet), and the characters of its
        # arguments handed on
        self.told: list[str | None] = []
        self.sent: list[int] = []
        self.chars = 0
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.forwarded = False
        self.done = False

    def _grow(self, piece: str) -> None:
        self.chars += len(piece)
        if self.chars > MAX_ANSWER_CHARS:
            raise _Failure(
                f"the model backend's answer is longer than {MAX_ANSWER_CHARS} characters", retry=False
            )

    def chunk(self, chunk: Any) -> None:
        if not isinstance(chunk, dict):
            raise _garbage("a chunk is not a JSON object")
        if "error" in chunk:
            raise _Failure(
                f"the model backend reported an error mid-stream: {_quoted_error(chunk)}", retry=True
            )
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            raise _garbage("a chunk has no choices list")
        if "usage" in chunk:
            usage = _usage(chunk["usage"])
            if usage is not None:
                self.usage = usage
        for choice in choices:
            if not isinstance(choice, dict):
                raise _garbage("a choice is not an object")
            if choice.get("index", 0) != 0:
                continue  # one answer is asked for (n is never sent)
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                raise _garbage("a choice has no delta object")
            self._message(delta, streamed=True)
            self._finish(choice.get("finish_reason"))
            if self.finish_reason is not None:
                self._hand_on_calls()  # the answer is done: every call's name is whole

    def read_done(self) -> None:
        """One read's chunks are taken: ``on_read``, if pieces were handed on since the last."""
        if self.unsent and self.on_read is not None:
            self.unsent = False
            self.on_read()

    def whole(self, body: Any) -> None:
        """A whole completion (a backend that answers JSON to a stream request)."""
        if isinstance(body, dict) and "error" in body:
            raise _Failure(f"the model backend reported an error: {_quoted_error(body)}", retry=True)
        if not isinstance(body, dict) or not isinstance(body.get("choices"), list) or not body["choices"]:
            raise _garbage("the body has no choices")
        choice = body["choices"][0]
        if not isinstance(choice, dict) or not isinstance(choice.get("message"), dict):
            raise _garbage("the first choice has no message")
        self.usage = _usage(body.get("usage"))
        self._message(choice["message"], streamed=False)
        self._finish(choice.get("finish_reason"))
        self.done = True

    def _finish(self, reason: Any) -> None:
        if reason is None:
            return
        if not isinstance(reason, str) or len(reason) > 64:
            raise _garbage("finish_reason is not a short string")
        self.finish_reason = reason

    def _message(self, message: dict[str, Any], *, streamed: bool) -> None:
        for key in ("content", "refusal"):  # a refusal is the answer's text too
            piece = message.get(key)
            if piece is None:
                continue
            if not isinstance(piece, str):
                raise _garbage(f"{key} is not a string")
            if piece:
                self._grow(piece)
                self.text.append(piece)
                if self.on_delta is not None:
                    self.forwarded = self.unsent = True
                    self.on_delta(piece)
        calls = message.get("tool_calls")
        if calls is None:
            return
        if not isinstance(calls, list):
            raise _garbage("tool_calls is not a list")
        for position, call in enumerate(calls):
            self._tool_call(call, position, streamed=streamed)

    def _tool_call(self, call: Any, position: int, *, streamed: bool) -> None:
        if not isinstance(call, dict):
            raise _garbage("a tool call is not an object")
        call_id = call.get("id")
        if call_id is not None and (not isinstance(call_id, str) or len(call_id) > MAX_ID_CHARS):
            raise _garbage(f"a tool call's id is not a string of at most {MAX_ID_CHARS} characters")
        index = call.get("index") if streamed else position
        if index is None:  # some servers leave it out: a new id starts a new call
            fresh = call_id and (not self.calls or self.calls[-1]["id"] != call_id)
            index = len(self.calls) if fresh or not self.calls else len(self.calls) - 1
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= len(self.calls):
            raise _garbage("a tool call's index is out of order")
        if index == len(self.calls):
            if index >= MAX_TOOL_CALLS:
                raise _Failure(f"the model backend made more than {MAX_TOOL_CALLS} tool calls", retry=False)
            self._hand_on_calls()  # the calls before this one are whole but for their arguments
            self.calls.append({"id": "", "name": "", "arguments": ""})
            self.told.append(None)
            self.sent.append(0)
        slot = self.calls[index]
        if call_id:
            slot["id"] = call_id
        function = call.get("function")
        if function is None:
            return
        if not isinstance(function, dict):
            raise _garbage("a tool call's function is not an object")
        for key in ("name", "arguments"):
            piece = function.get(key)
            if piece is None:
                continue
            if not isinstance(piece, str):
                raise _garbage(f"a tool call's {key} is not a string")
            self._grow(piece)
            slot[key] += piece
        if streamed and (self.told[index] is not None or slot["arguments"]):
            # its arguments have begun: its name is whole
            self._hand_on(index)

    def _hand_on_calls(self) -> None:
        """Hand on every call not yet handed on (their names are whole: another call, or the
        answer's end, came)."""
        for index in range(len(self.calls)):
            self._hand_on(index)

    def _hand_on(self, index: int) -> None:
        """What is new of a streamed call, to ``on_tool`` as a
        ``RunStepDeltaStepDetailsToolCallsFunctionObject``: the call itself (its id, the
        backend's, or one made here when it gave none or one taken, and its arguments so
        far), then each new piece of its arguments."""
        if self.on_tool is None:
            return
        slot = self.calls[index]
        arguments = slot["arguments"]
        told = self.told[index]
        if told is None:
            name = slot["name"]
            if not name or len(name) > MAX_NAME_CHARS:
                return  # never handed on: the answer fails at its end (result)
            told = self.told[index] = _distinct_call_id(slot["id"], self.told)
            function = {"name": name, "arguments": arguments, "output": None}
            item: dict[str, Any] = {"index": index, "id": told, "type": "function", "function": function}
        elif len(arguments) > self.sent[index]:
            item = {
                "index": index,
                "type": "function",
                "function": {"arguments": arguments[self.sent[index] :]},
            }
        else:
            return
        self.sent[index] = len(arguments)
        self.forwarded = self.unsent = True
        self.on_tool(item)

    def result(self, attempts: int) -> Completion:
        calls: list[ToolCall] = []
        seen: set[str] = {told for told in self.told if told is not None}
        for slot, told in zip(self.calls, self.told, strict=True):
            name = slot["name"]
            if not name or len(name) > MAX_NAME_CHARS:
                raise _garbage(f"a tool call has no name, or one longer than {MAX_NAME_CHARS} characters")
            call_id = told if told is not None else _distinct_call_id(slot["id"], seen)
            seen.add(call_id)
            calls.append(ToolCall(call_id, name, slot["arguments"] or "{}"))
        return Completion("".join(self.text), tuple(calls), self.usage, self.finish_reason, attempts)


# -------------------------------------------------------------- messages, scrubbed


def _printable(text: str) -> str:
    """Backend text for a message: control characters become spaces, bounded length."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text[: MAX_QUOTED_CHARS + 1])
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) <= MAX_QUOTED_CHARS else cleaned[:MAX_QUOTED_CHARS] + "..."


def _quoted_error(body: Any) -> str:
    """What an error body says (``error.message``, or ``error`` as text), or ''."""
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else error
    if isinstance(body, dict) and message is None:
        message = body.get("message") or body.get("detail")
    return _printable(message) if isinstance(message, str) else ""


def _error_text(raw: bytes, content_type: str) -> str:
    try:
        quoted = _quoted_error(json.loads(raw)) if raw else ""
    except (ValueError, RecursionError):
        quoted = ""
    if quoted:
        return quoted
    kind = content_type.split(";", maxsplit=1)[0].strip()[:60] or "no content type"
    return f"a {kind} body of {len(raw)} bytes" if raw else "an empty body"


def _key_forms(key: str) -> list[str]:
    """The key as a backend may quote it back: as is, JSON-escaped (``/`` escaped or not),
    URL-encoded, with and without ``Bearer``."""
    escaped = json.dumps(key, ensure_ascii=True)[1:-1]
    forms = {key, escaped, escaped.replace("/", "\\/"), urllib.parse.quote(key, safe="")}
    return sorted(forms, key=len, reverse=True)


def _scrub(text: str, key: str | None) -> str:
    """``text`` with the key taken out: its whole forms, then any run of 8 or more of its
    characters (a key cut short, or escaped some other way).  Quadratic in the worst case,
    but messages are bounded (a few hundred characters)."""
    if not key:
        return text
    for form in _key_forms(key):
        text = text.replace(form, KEY_MASK)
    span = 8
    if len(key) < span:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if i + span <= len(text) and text[i : i + span] in key:
            j = i + span
            while j < len(text) and text[i : j + 1] in key:
                j += 1
            out.append(KEY_MASK)
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _retry_after(headers: Mapping[str, str]) -> float:
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return 0.0
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return 0.0
        return max(0.0, when.timestamp() - time.time())


_REASONS = {401: "refused the key", 403: "refused the key", 404: "has no such model or route"}


def _status_failure(status: int, phrase: str, text: str, wait: float) -> _Failure:
    said = f"{status} {phrase}".strip()
    if status == 429:
        return _Failure(
            f"the model backend is rate limiting requests ({said}): {text}",
            retry=True,
            code=RATE_LIMITED,
            wait=wait,
        )
    reason = _REASONS.get(status, "answered")
    hint = " (the key comes from OAII_MODEL_API_KEY)" if status in (401, 403) else ""
    return _Failure(
        f"the model backend {reason}{hint}: {said}: {text}",
        retry=status >= 500 or status in RETRY_STATUSES,
        wait=wait,
    )


# -------------------------------------------------------------------------- SSE


class _Events:
    """Server-sent events' data, from bytes as they come (linear time, bounded)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.data: list[bytes] = []
        self.size = 0

    def feed(self, chunk: bytes) -> list[bytes]:
        buffer = self.buffer
        scanned = len(buffer)
        buffer += chunk
        out: list[bytes] = []
        start = 0
        while True:
            end = buffer.find(b"\n", max(start, scanned))
            if end < 0:
                break
            line = bytes(buffer[start:end])
            start = end + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if not line:
                if self.data:
                    out.append(b"\n".join(self.data))
                    self.data, self.size = [], 0
                continue
            if line.startswith(b"data:"):
                value = line[6:] if line[5:6] == b" " else line[5:]
                self.size += len(value) + 1
                if self.size > MAX_EVENT_BYTES:
                    raise _garbage(f"an event is larger than {MAX_EVENT_BYTES} bytes")
                self.data.append(value)
            # other fields (event:, id:, retry:) and comments carry nothing here
        del buffer[:start]
        if len(buffer) > MAX_EVENT_BYTES:
            raise _garbage(f"a line is longer than {MAX_EVENT_BYTES} bytes")
        return out

    def end(self) -> list[bytes]:
        """The last event, when the stream ends without a blank line after it."""
        tail = self.feed(b"\n\n") if self.buffer or self.data else []
        return tail


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise _garbage("an event is nested too deeply") from None
    except ValueError:  # also UnicodeDecodeError
        raise _garbage("an event is not JSON") from None


# ------------------------------------------------------------------------ the call


class _Response(Protocol):
    """What is read of a response: an ``httpx.Response``'s names (``_backend_http``'s has them too)."""

    @property
    def status_code(self) -> int: ...
    @property
    def reason_phrase(self) -> str: ...
    @property
    def headers(self) -> Any: ...
    def aiter_bytes(self) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class ModelBackend:
    """Calls to one Chat Completions endpoint, from one event loop at a time.

    Its httpx clients (proxies and TLS settings from the environment, as httpx reads them)
    belong to the loop they were made on; a call from another loop (a new ``asyncio.run``,
    a forked child) makes new ones.  There are ``SHARDS`` of them, each call taking the
    least busy: httpcore's pool does work in the square of its connections at every request
    and response (an ``is_idle`` count inside a loop over them, and a readability check of
    each), which at 20 streams in flight cost more than the streams themselves; small pools
    keep it small, and an idle server still reuses one connection (the first shard's).

    A plain ``http://`` backend that httpx would reach without a proxy (httpx's own choice,
    from the environment's proxy variables and NO_PROXY) is called over a ``DirectPool``
    instead (``_backend_http``: llhttp on asyncio, a tenth of httpx's cost per chunk); the
    answer is read and judged by the same code either way.
    """

    #: Whether the direct path may be taken (tests turn it off to run the httpx path).
    direct_allowed = True

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self._clients: list[httpx.AsyncClient] = []
        self._direct: DirectPool | None = None
        self._busy: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = os.getpid()
        self._random = random.Random()  # noqa: S311 (jitter, not secrets)

    def _http(self) -> int:
        """The shard for a call (its index), made with its siblings on first use in this loop;
        -1 when the call goes over the ``DirectPool`` (made instead of them)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._pid != os.getpid():
            headers = {"content-type": "application/json", "accept": "text/event-stream"}
            if self.config.api_key is not None:
                headers["authorization"] = _Secret("Bearer " + self.config.api_key)
            self._clients, self._busy = [], []
            # httpx's choice of route for the URL (env proxies, NO_PROXY), asked of a client
            # that will send nothing (no CA bundle to load for it: ~60 ms of a blocked loop).
            probe = httpx.AsyncClient(verify=False)  # noqa: S501 (it sends nothing)
            self._direct = self._direct_pool(probe, headers)
            self._loop = loop
            self._pid = os.getpid()
            if self._direct is not None:
                return -1
            timeout = self.config.timeout
            tls = httpx.create_ssl_context()  # one (loading the CA bundle takes ~60 ms), shared
            self._clients = [
                httpx.AsyncClient(
                    headers=headers,
                    timeout=httpx.Timeout(timeout, pool=timeout),
                    limits=httpx.Limits(max_connections=64, max_keepalive_connections=8),
                    follow_redirects=False,
                    verify=tls,
                )
                for _ in range(SHARDS)
            ]
            self._busy = [0] * SHARDS
        if self._direct is not None:
            return -1
        busy = self._busy
        return busy.index(min(busy))

    def _direct_pool(self, client: httpx.AsyncClient, headers: dict[str, str]) -> DirectPool | None:
        """A DirectPool when httpx would call the backend directly over plain http, else None."""
        url = self.config.url
        parts = urllib.parse.urlsplit(url)
        if not self.direct_allowed or parts.scheme != "http" or parts.username is not None:
            return None  # TLS, or a user and password (httpx sends them as Basic auth)
        try:
            direct = client._transport_for_url(httpx.URL(url)) is client._transport
        except AttributeError:  # an httpx without these: it keeps the call
            return None
        return DirectPool(url, headers) if direct else None

    async def aclose(self) -> None:
        clients, self._clients = self._clients, []
        direct, self._direct = self._direct, None
        loop, self._loop = self._loop, None  # a later call makes new ones
        if direct is not None and direct.loop is asyncio.get_running_loop():
            direct.close()
        if loop is asyncio.get_running_loop():
            for client in clients:
                await client.aclose()

    def error(self, code: str, message: str) -> ModelError:
        """A ModelError whose message cannot carry the key."""
        return ModelError(code, _scrub(message, self.config.api_key))

    async def complete(
        self,
        body: Mapping[str, Any],
        on_delta: Callable[[str], object] | None = None,
        on_read: Callable[[], object] | None = None,
        on_tool: Callable[[dict[str, Any]], object] | None = None,
    ) -> Completion:
        """Send ``body`` (``chat_request``'s) and gather the answer, handing each piece of its
        text to ``on_delta`` as it arrives, and of a streamed answer's tool calls to ``on_tool``
        (each call once its name is whole, then each piece of its arguments, as the
        ``tool_calls`` items of a run step delta; the ids are those of the Completion);
        ``on_read`` is called once the pieces of one read from the backend have been handed
        on.  Raises ModelError only."""
        loop = asyncio.get_running_loop()
        config = self.config
        payload = json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
        budget_end = loop.time() + config.timeout
        attempt = 0
        before: _Failure | None = None  # the previous attempt's failure
        while True:
            attempt += 1
            answer = _Answer(on_delta, on_read, on_tool)
            try:
                async with asyncio.timeout_at(budget_end) as scope:
                    await self._attempt(payload, answer, scope)
                return answer.result(attempt)
            except _Failure as failure:
                problem = failure
            except TimeoutError:
                stalled = answer.chars or answer.usage is not None or answer.calls
                if stalled:
                    problem = _Failure(
                        f"the model backend's stream stalled for more than {config.timeout:g} s", retry=False
                    )
                elif before is not None:
                    # A retry ran out of time: the cause is what the attempt before it met.
                    problem = _Failure(
                        f"{before.message}; then no answer within the {config.timeout:g} s budget",
                        retry=False,
                        code=before.code,
                    )
                else:
                    problem = _Failure(
                        f"the model backend did not answer within {config.timeout:g} s", retry=False
                    )
            except (httpx.HTTPError, BackendHTTPError) as exc:
                problem = _Failure(self._transport_problem(exc), retry=True)
            if answer.forwarded or not problem.retry or attempt > config.retries:
                raise self._final(problem, attempt) from None
            before = problem
            wait = self.config.backoff * 2 ** (attempt - 1)
            wait = min(MAX_BACKOFF, wait) * (0.5 + self._random.random() / 2)
            wait = max(wait, problem.wait)
            if loop.time() + wait >= budget_end:
                raise self._final(problem, attempt) from None
            await asyncio.sleep(wait)

    def _final(self, problem: _Failure, attempts: int) -> ModelError:
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        return self.error(problem.code, problem.message + tries)

    def _transport_problem(self, exc: httpx.HTTPError | BackendHTTPError) -> str:
        where = self.config.shown_url
        if isinstance(exc, httpx.ConnectError | BackendConnectError):
            return f"could not connect to the model backend at {where} ({_os_reason(exc)})"
        if isinstance(exc, httpx.TimeoutException):
            return f"the model backend at {where} timed out ({type(exc).__name__})"
        if isinstance(exc, BackendUnreadable):
            return f"the model backend's answer is not a chat completion: {_printable(str(exc))}"
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | BackendClosed):
            return f"the model backend at {where} closed the connection before the answer was complete"
        return f"the call to the model backend at {where} failed ({type(exc).__name__})"

    async def _attempt(self, payload: bytes, answer: _Answer, scope: asyncio.Timeout) -> None:
        config = self.config
        loop = asyncio.get_running_loop()
        shard = self._http()
        direct = self._direct
        if direct is not None:
            await self._answer(await direct.send(payload), answer, scope, loop)
            return
        client = self._clients[shard]
        busy = self._busy
        busy[shard] += 1
        try:
            request = client.build_request("POST", config.url, content=payload)
            response = await client.send(request, stream=True)
            await self._answer(response, answer, scope, loop)
        finally:
            if busy is self._busy:  # not a list made since for another loop
                busy[shard] -= 1

    async def _answer(
        self,
        response: _Response,
        answer: _Answer,
        scope: asyncio.Timeout,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        config = self.config
        try:
            if response.status_code != 200:
                raw = await _read(response, MAX_ERROR_BYTES, whole=False)
                text = _error_text(raw, response.headers.get("content-type", ""))
                raise _status_failure(
                    response.status_code, response.reason_phrase, text, _retry_after(response.headers)
                )
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/json":
                answer.whole(_json(await _read(response, MAX_EVENT_BYTES, whole=True)))
                answer.read_done()
                return
            if content_type != "text/event-stream":
                raise _garbage(f"its content type is {_printable(content_type[:60]) or 'missing'}")
            events = _Events()
            total = 0
            chunks = response.aiter_bytes()
            stall = _StallTimer(scope, loop, config.timeout)
            try:
                async for chunk in chunks:
                    total += len(chunk)
                    if total > MAX_STREAM_BYTES:
                        raise _Failure(
                            f"the model backend's stream is longer than {MAX_STREAM_BYTES} bytes", retry=False
                        )
                    for data in events.feed(chunk):
                        if self._event(data, answer):
                            answer.read_done()
                            await _drain(chunks)
                            return
                    answer.read_done()
                    stall.progress()  # the budget now bounds the wait for the next bytes
            finally:
                stall.cancel()
            for data in events.end():
                if self._event(data, answer):
                    return
            if answer.finish_reason is None:
                raise _Failure(
                    f"the model backend at {config.shown_url} ended the stream before the answer was done",
                    retry=True,
                )
        finally:
            await response.aclose()

    @staticmethod
    def _event(data: bytes, answer: _Answer) -> bool:
        """Take one event; True at the stream's end (``[DONE]``)."""
        if data.strip() == b"[DONE]":
            answer.done = True
            return True
        answer.chunk(_json(data))
        return False


def _distinct_call_id(call_id: str, taken: Collection[str | None]) -> str:
    """The backend's id for a tool call, or one made here when it gave none or one already
    taken: the ids must tell the outputs apart."""
    return call_id if call_id and call_id not in taken else f"call_{os.urandom(12).hex()}"


class _StallTimer:
    """A stream's stall timeout: ``timeout`` seconds after its latest progress, ``scope``
    (the call's ``asyncio.Timeout``) expires.  Progress only notes the time; one timer,
    re-armed when it finds progress since it was set, does the rest (rescheduling the
    scope at every chunk would cancel one timer and make another each time)."""

    __slots__ = ("handle", "last", "loop", "scope", "timeout")

    def __init__(self, scope: asyncio.Timeout, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self.scope = scope
        self.loop = loop
        self.timeout = timeout
        self.last = 0.0
        self.handle: asyncio.TimerHandle | None = None

    def progress(self) -> None:
        self.last = self.loop.time()
        if self.handle is None:  # the first progress: from now on this timer bounds the wait
            self.scope.reschedule(None)
            self.handle = self.loop.call_at(self.last + self.timeout, self._check)

    def _check(self) -> None:
        due = self.last + self.timeout
        if self.loop.time() < due:  # progress since: wait for the rest
            self.handle = self.loop.call_at(due, self._check)
        else:
            self.handle = None
            self.scope.reschedule(self.loop.time())  # expires now (the scope raises TimeoutError)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for why a connection failed (httpx's are vaguer)."""
    reason = _printable(str(exc)) or type(exc).__name__
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError) and isinstance(seen.errno, int):
            text = seen.strerror if isinstance(seen, socket.gaierror) else os.strerror(seen.errno)
            reason = _printable(text or reason)
        seen = seen.__cause__ or seen.__context__
    return reason


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    """Read a stream's end after ``[DONE]`` (its last chunk, usually in the same read), so that
    its connection goes back to the pool; a backend slow to end it only loses the connection."""
    read = 0
    with contextlib.suppress(TimeoutError, httpx.HTTPError, BackendHTTPError):
        async with asyncio.timeout(DRAIN_SECONDS):
            async for chunk in chunks:
                read += len(chunk)
                if read > MAX_ERROR_BYTES:
                    break


async def _read(response: _Response, limit: int, *, whole: bool) -> bytes:
    """Up to ``limit`` bytes of a body; beyond it, a failure (``whole``) or the first ``limit``."""
    parts = bytearray()
    async for chunk in response.aiter_bytes():
        parts += chunk
        if len(parts) > limit:
            if whole:
                raise _garbage(f"the body is larger than {limit} bytes")
            del parts[limit:]
            break
    return bytes(parts)
