"""The model backend (oaii.server._model) against a fake Chat Completions server on loopback:
requests as upstream's schema wants them, answers put together, failures classified, the
key never quoted, cancellation closing the connection; each on both paths (``path``)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from oaii.server._model import (
    Completion,
    ModelBackend,
    ModelConfig,
    ModelError,
    ToolCall,
    Usage,
    chat_messages,
    chat_request,
    tool_turn,
)

from ._fake_backend import (
    Answer,
    FakeBackend,
    Gate,
    Hang,
    Raw,
    Reset,
    Status,
    Text,
    ToolCalls,
    problems_of,
)

RUN: dict[str, Any] = {
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "tools": [],
    "temperature": 1.0,
    "top_p": 1.0,
    "max_completion_tokens": None,
    "truncation_strategy": {"type": "auto", "last_messages": None},
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "response_format": "auto",
}
USER = [{"role": "user", "content": "Hi"}]
WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}


@pytest.fixture(autouse=True, params=["direct", "httpx"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on both paths to a plain-http backend: the direct connection
    (oaii.server._backend_http) and httpx (the reference, taken wherever a proxy applies)."""
    monkeypatch.setattr(ModelBackend, "direct_allowed", request.param == "direct")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    return str(request.param)


def config(backend: FakeBackend, **kw: Any) -> ModelConfig:
    return ModelConfig(backend.url, **{"api_key": "sk-model-key", "timeout": 2.0, "backoff": 0.001, **kw})


def complete(
    cfg: ModelConfig,
    on_delta: Callable[[str], object] | None = None,
    body: dict[str, Any] | None = None,
    on_read: Callable[[], object] | None = None,
    on_tool: Callable[[dict[str, Any]], object] | None = None,
) -> Completion:
    backend = ModelBackend(cfg)

    async def go() -> Completion:
        try:
            return await backend.complete(body or chat_request(cfg, RUN, USER), on_delta, on_read, on_tool)
        finally:
            # the path asked for (a user and password in the URL: httpx's, on either)
            assert (backend._direct is not None) is (ModelBackend.direct_allowed and "@" not in cfg.base_url)
            await backend.aclose()

    return asyncio.run(go())


def fails(cfg: ModelConfig) -> ModelError:
    with pytest.raises(ModelError) as caught:
        complete(cfg)
    return caught.value


# ------------------------------------------------------------------- answers


def test_text_streamed_in_pieces_with_usage(fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("Hello big world", usage=(5, 3)))
    pieces: list[str] = []
    done = complete(config(fake_backend), pieces.append)
    assert pieces == ["Hello", " big", " world"]
    assert done == Completion("Hello big world", (), Usage(5, 3, 8), "stop", 1)
    sent = fake_backend.requests[0]
    assert sent.headers["authorization"] == "Bearer sk-model-key"
    assert sent.body["stream"] is True and sent.body["stream_options"] == {"include_usage": True}


def test_tool_calls_are_put_together_with_their_ids(fake_backend: FakeBackend) -> None:
    fake_backend.script(
        ToolCalls([("call_a1", "get_weather", '{"city": "Paris"}'), ("call_b2", "get_time", '{"tz": "CET"}')])
    )
    done = complete(config(fake_backend))
    assert done.tool_calls == (
        ToolCall("call_a1", "get_weather", '{"city": "Paris"}'),
        ToolCall("call_b2", "get_time", '{"tz": "CET"}'),
    )
    assert done.finish_reason == "tool_calls" and done.usage == Usage(13, 5, 18)


def test_a_whole_json_answer_is_taken_too(fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("All at once", stream=False))
    pieces: list[str] = []
    assert complete(config(fake_backend), pieces.append).text == "All at once"
    assert pieces == ["All at once"]


def test_tool_calls_without_ids_get_distinct_ones() -> None:
    stream = b"".join(
        b"data: " + json.dumps(c).encode() + b"\n\n"
        for c in [
            {
                "choices": [
                    {"index": 0, "delta": {"tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]}}
                ]
            },
            {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 1, "function": {"name": "g"}}]}}]},
            {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        ]
    )
    with FakeBackend(validate=False) as backend:
        backend.script(Raw(stream + b"data: [DONE]\n\n"))
        done = complete(config(backend))
    ids = [c.id for c in done.tool_calls]
    assert [c.name for c in done.tool_calls] == ["f", "g"] and len(set(ids)) == 2
    assert all(i.startswith("call_") for i in ids)
    assert done.tool_calls[1].arguments == "{}"


def _calls_chunk(*calls: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    delta: dict[str, Any] = {"tool_calls": list(calls)} if calls else {}
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def test_streamed_tool_calls_are_handed_on_as_run_step_delta_items() -> None:
    stream = b"".join(
        b"data: " + json.dumps(c).encode() + b"\n\n"
        for c in [
            # the name in two pieces: the call is handed on once its arguments begin
            _calls_chunk({"index": 0, "id": "call_a", "type": "function", "function": {"name": "get_"}}),
            _calls_chunk({"index": 0, "function": {"name": "weather", "arguments": ""}}),
            _calls_chunk({"index": 0, "function": {"arguments": '{"city"'}}),
            _calls_chunk({"index": 0, "function": {"arguments": ': "Oslo"}'}}),
            # no id, and no arguments ever: handed on when the answer ends, with an id made here
            _calls_chunk({"index": 1, "type": "function", "function": {"name": "get_time"}}),
            # an id already taken: a new one is made, and it stays though the backend sends another
            _calls_chunk({"index": 2, "id": "call_a", "function": {"name": "f", "arguments": "{"}}),
            _calls_chunk({"index": 2, "id": "call_late", "function": {"arguments": "}"}}),
            _calls_chunk(finish="tool_calls"),
        ]
    )
    items: list[dict[str, Any]] = []
    with FakeBackend(validate=False) as backend:
        backend.script(Raw(stream + b"data: [DONE]\n\n"))
        done = complete(config(backend), on_read=lambda: None, on_tool=items.append)
    ids = [c.id for c in done.tool_calls]
    assert ids[0] == "call_a" and ids[1].startswith("call_") and ids[2].startswith("call_")
    assert len(set(ids)) == 3
    assert [(c.name, c.arguments) for c in done.tool_calls] == [
        ("get_weather", '{"city": "Oslo"}'),
        ("get_time", "{}"),
        ("f", "{}"),
    ]
    function = "function"
    assert items == [
        {
            "index": 0,
            "id": "call_a",
            "type": function,
            "function": {"name": "get_weather", "arguments": '{"city"', "output": None},
        },
        {"index": 0, "type": function, "function": {"arguments": ': "Oslo"}'}},
        {
            "index": 1,
            "id": ids[1],
            "type": function,
            "function": {"name": "get_time", "arguments": "", "output": None},
        },
        {
            "index": 2,
            "id": ids[2],
            "type": function,
            "function": {"name": "f", "arguments": "{", "output": None},
        },
        {"index": 2, "type": function, "function": {"arguments": "}"}},
    ]


def test_a_whole_answers_tool_calls_are_not_streamed() -> None:
    call = {"id": "call_w", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    body = {"choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]}
    items: list[dict[str, Any]] = []
    with FakeBackend(validate=False) as backend:
        backend.script(Raw(json.dumps(body).encode(), content_type="application/json"))
        done = complete(config(backend), on_tool=items.append)
    assert [c.id for c in done.tool_calls] == ["call_w"] and items == []


def test_a_failure_after_a_streamed_tool_call_is_not_retried() -> None:
    stream = _sse(_calls_chunk({"index": 0, "id": "call_x", "function": {"name": "f", "arguments": "{"}}))
    with FakeBackend(validate=False) as backend:
        backend.script(Raw(stream), Text("never asked for"))  # the stream ends without [DONE]
        items: list[dict[str, Any]] = []
        with pytest.raises(ModelError, match="ended the stream before the answer was done"):
            complete(config(backend), on_tool=items.append)
        assert len(backend.requests) == 1 and [i.get("id") for i in items] == ["call_x"]


def test_deltas_are_handed_on_before_the_answer_is_complete(fake_backend: FakeBackend) -> None:
    gate = Gate()
    fake_backend.script(Text("one two three", gate=gate, gate_after=1))
    cfg = config(fake_backend)
    backend = ModelBackend(cfg)

    async def go() -> tuple[list[str], Completion]:
        first = asyncio.Event()
        pieces: list[str] = []

        def on_delta(piece: str) -> None:
            pieces.append(piece)
            first.set()

        task = asyncio.create_task(backend.complete(chat_request(cfg, RUN, USER), on_delta))
        await asyncio.wait_for(first.wait(), 5)
        early = list(pieces)
        assert not task.done()  # the backend holds the rest back
        gate.open()
        done = await task
        await backend.aclose()
        return early, done

    early, done = asyncio.run(go())
    assert early == ["one"] and done.text == "one two three"


def test_two_event_loops_one_after_the_other(fake_backend: FakeBackend) -> None:
    """A backend object outlives an asyncio.run: the next loop gets its own connections."""
    cfg = config(fake_backend)
    backend = ModelBackend(cfg)
    for _ in range(2):
        done = asyncio.run(backend.complete(chat_request(cfg, RUN, USER)))
        assert done.text == "Hello from the fake backend."


# ------------------------------------------------------------------- retries


@pytest.mark.parametrize(
    "first",
    [
        Status(500),
        Status(502),
        Status(503, headers=[("retry-after", "0")]),
        Status(429, headers=[("retry-after-ms", "1")]),
        Status(408),
        Reset(),
        Raw(b"<html>busy</html>", content_type="text/html"),
        Raw(b"data: {not json\n\n"),
        Text("cut short", reset_after=1),  # cut before any piece was handed on? no: after one
    ],
    ids=lambda a: type(a).__name__ + str(getattr(a, "status", "")),
)
def test_a_failure_before_any_text_is_retried(fake_backend: FakeBackend, first: Answer) -> None:
    fake_backend.script(first, Text("recovered"))
    pieces: list[str] = []
    if isinstance(first, Text):  # a piece was handed on: no retry, the run fails
        with pytest.raises(ModelError, match="closed the connection before the answer was complete"):
            complete(config(fake_backend), pieces.append)
        assert pieces == ["cut"] and len(fake_backend.requests) == 1
        return
    done = complete(config(fake_backend), pieces.append)
    assert done.text == "recovered" and done.calls == 2 and pieces == ["recovered"]
    assert len(fake_backend.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_refusal_is_not_retried(fake_backend: FakeBackend, status: int) -> None:
    fake_backend.script(Status(status, message="model 'gpt-4o' not found"))
    error = fails(config(fake_backend))
    assert error.code == "server_error" and f"{status} Fake" in error.message
    assert "model 'gpt-4o' not found" in error.message
    assert len(fake_backend.requests) == 1


def test_retries_stop_at_the_configured_count(fake_backend: FakeBackend) -> None:
    fake_backend.script(*[Status(500)] * 5)
    error = fails(config(fake_backend, retries=2))
    assert len(fake_backend.requests) == 3
    assert error.code == "server_error" and error.message.endswith("(after 3 attempts)")
    assert "500 Fake: fake backend failure" in error.message


def test_a_retry_after_beyond_the_budget_fails_at_once(fake_backend: FakeBackend) -> None:
    fake_backend.script(Status(429, headers=[("retry-after", "60")], message="slow down"))
    started = time.monotonic()
    error = fails(config(fake_backend, timeout=5.0))
    assert time.monotonic() - started < 4
    assert error.code == "rate_limit_exceeded" and "slow down" in error.message
    assert len(fake_backend.requests) == 1


# ------------------------------------------------------------------- failures

DEEP = b"data: " + b"[" * 100_000 + b"]" * 100_000 + b"\n\n"
CHUNK = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}


def _sse(*chunks: Any) -> bytes:
    return b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)


FAILURES: list[tuple[str, list[Answer], str, str]] = [
    # (id, answers, code, words of the message)
    ("500s", [Status(500)] * 9, "server_error", "the model backend answered: 500 Fake: fake backend failure"),
    (
        "429s",
        [Status(429)] * 9,
        "rate_limit_exceeded",
        "the model backend is rate limiting requests (429 Fake)",
    ),
    ("html", [Raw(b"<html>oops</html>", "text/html")] * 9, "server_error", "its content type is text/html"),
    ("no-type", [Raw(b"x", "")] * 9, "server_error", "its content type is missing"),
    (
        "html-500",
        [Raw(b"<h1>down</h1>", "text/html", 500)] * 9,
        "server_error",
        "a text/html body of 13 bytes",
    ),
    ("empty-500", [Raw(b"", "text/plain", 503)] * 9, "server_error", "503 Fake: an empty body"),
    ("not-json", [Raw(b"data: {oops\n\n")] * 9, "server_error", "an event is not JSON"),
    ("deep", [Raw(DEEP)] * 9, "server_error", "an event is nested too deeply"),
    (
        "long-line",
        [Raw(b"data: " + b"x" * (1 << 21))] * 9,
        "server_error",
        "a line is longer than 1048576 bytes",
    ),
    ("not-object", [Raw(b"data: [1, 2]\n\n")] * 9, "server_error", "a chunk is not a JSON object"),
    ("no-choices", [Raw(_sse({**CHUNK, "choices": "x"}))] * 9, "server_error", "a chunk has no choices list"),
    (
        "bad-content",
        [Raw(_sse({**CHUNK, "choices": [{"index": 0, "delta": {"content": {"a": 1}}}]}))] * 9,
        "server_error",
        "content is not a string",
    ),
    (
        "bad-usage",
        [Raw(_sse({**CHUNK, "choices": [], "usage": {"prompt_tokens": -1}}))] * 9,
        "server_error",
        "usage.prompt_tokens is not a token count",
    ),
    (
        "cut",
        [Raw(_sse({**CHUNK, "choices": [{"index": 0, "delta": {"role": "assistant"}}]}))] * 9,
        "server_error",
        "ended the stream before the answer was done",
    ),
    (
        "mid-stream-error",
        [Raw(_sse({"error": {"message": "overloaded", "type": "server_error"}}))] * 9,
        "server_error",
        "reported an error mid-stream: overloaded",
    ),
    (
        "whole-error",
        [Raw(b'{"error": "boom"}', "application/json")] * 9,
        "server_error",
        "reported an error: boom",
    ),
    ("resets", [Reset()] * 9, "server_error", "closed the connection before the answer was complete"),
    ("hang", [Hang()], "server_error", "did not answer within 0.5 s"),
    ("hang-after-head", [Hang(headers_first=True)], "server_error", "did not answer within 0.5 s"),
]


@pytest.mark.parametrize(
    ("answers", "code", "words"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_a_failing_backend_fails_the_turn_within_the_budget(
    answers: list[Answer], code: str, words: str
) -> None:
    with FakeBackend(validate=False) as backend:
        backend.script(*answers)
        started = time.monotonic()
        error = fails(config(backend, timeout=0.5, retries=3))
        elapsed = time.monotonic() - started
    assert error.code == code
    assert words in error.message, error.message
    assert elapsed < 0.5 + 2.5  # the budget, and a margin for a loaded 2-core machine (1.0 once fell short)
    assert len(error.message) < 600 and "\n" not in error.message


def test_a_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        error = fails(ModelConfig(f"http://user:pw@127.0.0.1:{port}/v1?k=v", timeout=0.5, backoff=0.001))
    assert error.code == "server_error"
    assert error.message.startswith(
        f"could not connect to the model backend at http://127.0.0.1:{port}/v1/chat"
    )
    assert "pw" not in error.message and "k=v" not in error.message


def test_a_stall_after_text_fails_without_a_retry(fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("a b", gate=Gate()))  # the gate is never opened
    pieces: list[str] = []
    with pytest.raises(ModelError, match=r"stream stalled for more than 0.3 s") as caught:
        complete(config(fake_backend, timeout=0.3), pieces.append)
    assert pieces == ["a"] and caught.value.code == "server_error"
    assert len(fake_backend.requests) == 1


def test_a_stream_that_keeps_coming_is_never_cut_off(fake_backend: FakeBackend) -> None:
    # 12 pieces 50 ms apart: 0.55 s in all, past the 0.3 s budget, which bounds each wait only
    fake_backend.script(Text(" ".join(f"w{i}" for i in range(12)), interval=0.05))
    pieces: list[str] = []
    completion = complete(config(fake_backend, timeout=0.3), pieces.append)
    assert completion.text == "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11"
    assert len(pieces) == 12 and len(fake_backend.requests) == 1


def test_on_read_follows_each_read_that_handed_on_pieces(fake_backend: FakeBackend) -> None:
    gate = Gate()  # the second piece is sent once the first read's on_read has come
    fake_backend.script(Text("a b", gate=gate), Text("x y z"))
    seen: list[str] = []

    def on_read() -> None:
        seen.append("|")
        gate.open()

    complete(config(fake_backend), seen.append, on_read=on_read)
    assert seen == ["a", "|", " b", "|"]
    seen.clear()
    complete(config(fake_backend), seen.append, on_read=lambda: seen.append("|"))
    # in one read or several, every piece is followed by an on_read before the answer ends,
    # and every on_read by a piece (none for a read that handed none on: the role, the usage)
    assert "".join(p for p in seen if p != "|") == "x y z" and seen[-1] == "|" and seen[0] != "|"
    assert "||" not in "".join("|" if p == "|" else "p" for p in seen)


def test_too_many_tool_calls() -> None:
    calls = [(f"call_{i}", "f", "{}") for i in range(129)]
    with FakeBackend() as backend:
        backend.script(ToolCalls(calls, split_arguments=False))
        error = fails(config(backend))
    assert "more than 128 tool calls" in error.message and len(backend.requests) == 1


# ------------------------------------------------------------------- the key

KEY = 'sk-"quoted\\back/slash-0123456789abcdef'


@pytest.mark.parametrize(
    "echo",
    [
        # the key in a JSON error message (escaped as JSON escapes it, with \/ or not)
        lambda k: json.dumps({"error": {"message": f"Incorrect API key provided: {k}"}}).encode(),
        lambda k: json.dumps({"error": {"message": f"bad key {k}"}}).replace("/", "\\/").encode(),
        # the key JSON-escaped inside a message that is itself a string
        lambda k: json.dumps({"error": {"message": "sent: " + json.dumps({"key": k})}}).encode(),
        # cut short and quoted in a detail field
        lambda k: json.dumps({"detail": f"key {k[:20]}... is wrong"}).encode(),
    ],
    ids=["plain", "escaped-slash", "double-escaped", "cut"],
)
@pytest.mark.parametrize("status", [401, 500])
def test_the_key_is_never_in_a_message(status: int, echo: Callable[[str], bytes]) -> None:
    with FakeBackend(validate=False) as backend:
        backend.script(*[Status(status, body=echo(KEY))] * 5)
        cfg = ModelConfig(backend.url, api_key=KEY, timeout=2.0, backoff=0.001, retries=1)
        error = fails(cfg)
        assert backend.requests[0].headers["authorization"] == "Bearer " + KEY
    shown = error.message + repr(error) + str(error) + repr(cfg)
    for form in (KEY, json.dumps(KEY)[1:-1], KEY[3:15], "0123456789abcdef"):
        assert form not in shown
    assert error.message.startswith("the model backend ")


def test_a_key_that_cannot_go_in_a_header_is_refused() -> None:
    with pytest.raises(ValueError, match="model_api_key must be") as caught:
        ModelConfig("http://127.0.0.1:9/v1", api_key="sk-with space")
    assert "space" not in str(caught.value)


# ------------------------------------------------------------------- cancellation


@pytest.mark.parametrize(
    "make",  # made for each test: a Gate, once reached, stays so (and both paths run this)
    [Hang, lambda: Hang(headers_first=True), lambda: Text("a b", gate=Gate())],
    ids=["hang", "hang-after-head", "gated-text"],
)
def test_cancelling_the_task_closes_the_connection(
    fake_backend: FakeBackend, make: Callable[[], Answer]
) -> None:
    answer = make()
    fake_backend.script(answer)
    cfg = config(fake_backend, timeout=30.0)
    backend = ModelBackend(cfg)

    async def go() -> None:
        task = asyncio.create_task(backend.complete(chat_request(cfg, RUN, USER)))
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(None, fake_backend.received.wait, 5)
        if isinstance(answer, Text):
            assert answer.gate is not None
            assert await loop.run_in_executor(None, answer.gate.reached.wait, 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    assert fake_backend.closed_while_waiting.wait(30)


# ------------------------------------------------------------------- the request


def _body(run: dict[str, Any], history: list[Any] | None = None, **kw: Any) -> dict[str, Any]:
    cfg = ModelConfig("http://127.0.0.1:9/v1", model_map={"gpt-4o": "llama3.1", "*": "qwen"})
    return chat_request(cfg, {**RUN, **run}, USER if history is None else history, **kw)


REQUESTS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # (id, run fields, chat_request keywords, fields the body has (None: has not))
    (
        "defaults",
        {},
        {},
        {"model": "llama3.1", "temperature": 1.0, "top_p": 1.0, "tools": None, "response_format": None},
    ),
    ("map-star", {"model": "gpt-4.1"}, {}, {"model": "qwen"}),
    (
        "settings",
        {"temperature": 0.2, "top_p": 0.5, "max_completion_tokens": 64},
        {},
        {"temperature": 0.2, "top_p": 0.5, "max_completion_tokens": 64},
    ),
    (
        "no-settings",
        {"temperature": None, "top_p": None},
        {},
        {"temperature": None, "top_p": None, "max_completion_tokens": None},
    ),
    (
        "json-object",
        {"response_format": {"type": "json_object"}},
        {},
        {"response_format": {"type": "json_object"}},
    ),
    (
        "json-schema",
        {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "n", "schema": {"type": "object"}},
            }
        },
        {},
        {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "n", "schema": {"type": "object"}},
            }
        },
    ),
    (
        "tools",
        {"tools": [WEATHER, {"type": "code_interpreter"}], "parallel_tool_calls": False},
        {},
        {"tools": [WEATHER], "tool_choice": "auto", "parallel_tool_calls": False},
    ),
    ("tool-required", {"tools": [WEATHER], "tool_choice": "required"}, {}, {"tool_choice": "required"}),
    (
        "tool-named",
        {"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
        {},
        {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
    ),
    (
        "tool-named-other",
        {"tools": [WEATHER], "tool_choice": {"type": "file_search"}},
        {},
        {"tool_choice": None},
    ),
    (
        "no-tools-no-choice",
        {"tool_choice": "required"},
        {},
        {"tool_choice": None, "parallel_tool_calls": None},
    ),
    (
        "instructions",
        {},
        {"instructions": "Own.", "additional_instructions": "More."},
        {"messages": [{"role": "system", "content": "Own.\n\nMore."}, *USER]},
    ),
    ("no-instructions", {"instructions": ""}, {}, {"messages": USER}),
    (
        "nothing-at-all",
        {"instructions": None},
        {"history": []},
        {"messages": [{"role": "system", "content": "You are a helpful assistant."}]},
    ),
]


@pytest.mark.parametrize(("run", "kw", "expected"), [r[1:] for r in REQUESTS], ids=[r[0] for r in REQUESTS])
def test_the_request_from_a_run(run: dict[str, Any], kw: dict[str, Any], expected: dict[str, Any]) -> None:
    body = _body(run, **kw)
    for name, value in expected.items():
        assert body.get(name) == value, name
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    minimal = {"model": body["model"], "messages": body["messages"]}
    fields = {
        **minimal,
        **{name: value for name, value in expected.items() if name != "messages" and value is not None},
    }
    if not problems_of("CreateChatCompletionRequest", minimal) and (
        problems := problems_of("CreateChatCompletionRequest", fields)
    ):
        pytest.skip(
            f"the vendored spec's CreateChatCompletionRequest takes no {sorted(fields)} as sent: "
            f"{problems[0]} (regenerated from another version)"
        )
    assert problems_of("CreateChatCompletionRequest", body) == []


def test_truncation_keeps_the_last_messages() -> None:
    history = chat_messages([{"role": "user", "content": f"m{i}"} for i in range(5)])
    cfg = ModelConfig("http://127.0.0.1:9/v1")
    run = {**RUN, "truncation_strategy": {"type": "last_messages", "last_messages": 2}}
    body = chat_request(cfg, run, history)
    assert [m["content"] for m in body["messages"]] == ["Be brief.", "m3", "m4"]


def test_thread_messages_as_chat_messages() -> None:
    stored = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": {"value": "Look", "annotations": []}},
                {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
            ],
        },
        {"role": "assistant", "content": [{"type": "text", "text": {"value": "A cat.", "annotations": []}}]},
        {"role": "user", "content": [{"type": "image_file", "image_file": {"file_id": "file-1"}}]},
        {"role": "user", "content": "plain"},
    ]
    assert chat_messages(stored) == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Look"},
                {"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "low"}},
            ],
        },
        {"role": "assistant", "content": "A cat."},
        {"role": "user", "content": "[image file file-1 is not available here]"},
        {"role": "user", "content": "plain"},
    ]


def test_a_tool_round_trip_request_is_valid() -> None:
    calls = [ToolCall("call_1", "get_weather", '{"city": "Paris"}'), ToolCall("call_2", "get_time", "{}")]
    turns = tool_turn(calls, {"call_2": "12:00", "call_1": "sunny"})
    assert [(m["role"], m.get("tool_call_id")) for m in turns] == [
        ("assistant", None),
        ("tool", "call_1"),
        ("tool", "call_2"),
    ]
    assert [m["content"] for m in turns[1:]] == ["sunny", "12:00"]
    body = chat_request(ModelConfig("http://127.0.0.1:9/v1"), {**RUN, "tools": [WEATHER]}, USER, turns)
    assert problems_of("CreateChatCompletionRequest", body) == []


def test_the_fake_backend_notices_an_invalid_request(fake_backend: FakeBackend) -> None:
    """The validation the other tests rely on can fail."""
    httpx.post(fake_backend.url + "/chat/completions", json={"model": "m", "messages": [{"role": "robot"}]})
    assert any("messages/0" in p for p in fake_backend.problems)
    fake_backend.problems.clear()


def test_usage_adds_up() -> None:
    assert Usage(1, 2, 3) + Usage(10, 20, 30) == Usage(11, 22, 33)


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"base_url": "ftp://x"}, "model_base_url must be an http"),
        ({"base_url": "localhost:11434"}, "model_base_url must be an http"),
        ({"timeout": 0}, "model_timeout must be"),
        ({"timeout": True}, "model_timeout must be"),
        ({"retries": -1}, "retries must be"),
        ({"model_map": {"gpt-4o": ""}}, "model_map must map"),
    ],
)
def test_configuration_is_checked(kw: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        ModelConfig(**{"base_url": "http://127.0.0.1:9/v1", **kw})


def test_connections_to_the_backend_are_kept_alive(fake_backend: FakeBackend) -> None:
    """A stream read to its end hands its connection back to the pool."""
    fake_backend.script(
        Text("one"), ToolCalls([("call_1", "f", "{}")]), Text("two", stream=False), Status(500)
    )
    cfg = config(fake_backend, retries=3)
    backend = ModelBackend(cfg)

    async def go() -> None:
        for _ in range(4):
            await backend.complete(chat_request(cfg, RUN, USER))
        await backend.aclose()

    asyncio.run(go())
    assert len(fake_backend.requests) == 5 and fake_backend.connections == 1


def test_a_retry_that_runs_out_of_time_names_the_first_cause(fake_backend: FakeBackend) -> None:
    fake_backend.script(Status(429, message="slow down"), Hang())
    error = fails(config(fake_backend, timeout=1.0))
    assert error.code == "rate_limit_exceeded"
    assert error.message.startswith("the model backend is rate limiting requests (429 Fake): slow down")
    assert "then no answer within the 1 s budget (after 2 attempts)" in error.message
