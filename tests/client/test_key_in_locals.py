"""No key in any frame's locals, nor in a traceback formatted with its locals.

Error trackers (Sentry's frame variables), ``unittest --locals``, ``pytest -l`` and
``traceback.TracebackException(..., capture_locals=True)`` show ``repr`` of every local
of every frame of an exception, down its ``__cause__``/``__context__`` chain.  One
table: every variant (create, stream, poll, get; sync and async; front door and client
method) x where the key comes from (argument, ``OAII_API_KEY``, ``OPENAI_API_KEY``) x
how a server echoes it (raw, JSON-escaped, ``\\/``-escaped, one or every letter as
``\\uXXXX``) x where the echo is (an error status, a 200 that is not a run, a stream's
``error`` event, a stream event that is not a run, a bad argument with no request).
Each case runs against a real loopback server (``tests/_rawserver.py``) and walks
every frame of the exception it ends in.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import traceback
from collections.abc import Callable, Iterator
from types import FrameType, TracebackType
from typing import Any

import oaii
import pytest
from oaii import AsyncClient, Client, OaiiError

from .._rawserver import RawServer, Request, response, run_json, send

# A key with every character JSON escapes or may escape ('"', '\\', '/'), and letters to \u-escape.
KEY = 'sk-pr0j/Wq"Zt\\Vx7Lm-Rb9Nc/Yd4Hk"Jf2Gs\\Pa8Eu6Tw'
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: No run of this many characters of the key (or of its echoed form) may show anywhere.
WINDOW = 8


# ------------------------------------------------------------------ echo forms


def _json(key: str) -> str:
    return json.dumps(key)[1:-1]


def _u_one(key: str) -> str:
    """JSON-escaped, with one letter (the last) as \\uXXXX."""
    text = _json(key)
    at = max(i for i, ch in enumerate(text) if ch.isalpha())
    return text[:at] + f"\\u{ord(text[at]):04x}" + text[at + 1 :]


def _u_all(key: str) -> str:
    """JSON-escaped, with every letter as \\uXXXX (upper-case hex)."""
    return "".join(f"\\u{ord(ch):04X}" if ch.isalpha() else ch for ch in _json(key))


ECHOES: dict[str, Callable[[str], str]] = {
    "raw": lambda key: key,
    "json": _json,
    "json-slash": lambda key: _json(key).replace("/", "\\/"),
    "u-one": _u_one,
    "u-all": _u_all,
}


def _message_body(form: str, echo: str) -> tuple[bytes, bytes]:
    """An OpenAI error body quoting the key (a text body for the raw form), and its content type."""
    if form == "raw":
        return f"Incorrect API key provided: {echo}".encode(), b"text/plain"
    body = (
        f'{{"error": {{"message": "Incorrect API key provided: {echo}", "type": "invalid_request_error",'
        f' "code": "{echo}", "param": "{echo}"}}}}'
    )
    return body.encode(), b"application/json"


# ------------------------------------------------------------------ where the echo is


def _status(form: str, echo: str) -> Callable[[Request], bytes]:
    body, content_type = _message_body(form, echo)
    return lambda request: response(
        body,
        b"401 Unauthorized",
        b"x-request-id: " + echo.encode(),
        b"Location: /" + echo.encode(),
        content_type=content_type,
    )


def _not_a_run(form: str, echo: str) -> Callable[[Request], bytes]:
    if form == "raw":
        return lambda request: response(f"not JSON: {echo}".encode(), content_type=b"text/plain")
    body = f'{{"object": "thread.run", "id": 5, "echo": "{echo}"}}'.encode()
    return lambda request: response(body)


def _error_event(form: str, echo: str) -> Callable[[Request], bytes]:
    data = echo if form == "raw" else f'{{"error": {{"message": "key {echo}", "code": "{echo}"}}}}'
    return lambda request: response(
        b"event: error\ndata: " + data.encode() + b"\n\n", content_type=b"text/event-stream"
    )


def _bad_run_event(form: str, echo: str) -> Callable[[Request], bytes]:
    data = echo if form == "raw" else f'{{"object": "thread.run", "echo": "{echo}"}}'
    return lambda request: response(
        b"event: thread.run.created\ndata: " + data.encode() + b"\n\n", content_type=b"text/event-stream"
    )


PLACES: dict[str, Callable[[str, str], Callable[[Request], bytes]] | None] = {
    "status": _status,
    "not-a-run": _not_a_run,
    "error-event": _error_event,
    "bad-run-event": _bad_run_event,
    "reset": None,  # no answer at all: the connection is reset
    "bad-argument": None,  # refused before sending: the key was only an argument
}
STREAM_ONLY = {"error-event", "bad-run-event"}


# ------------------------------------------------------------------ variants


def _settings(source: str, url: str, bad: bool) -> dict[str, Any]:
    settings: dict[str, Any] = {"base_url": url, "max_retries": 0, "timeout": 5.0}
    if source == "argument":
        settings["api_key"] = KEY
    if bad:
        settings["timeout"] = -1.0
    return settings


_FRONT = {
    "create": lambda t, s: oaii.runs_create_run_request(t, "asst_1", **s),
    "stream": lambda t, s: oaii.runs_create_run_stream(t, "asst_1", **s).until_done(),
    "poll": lambda t, s: oaii.runs_create_run_and_poll(t, "asst_1", poll_interval=0.0, **s),
    "get": lambda t, s: oaii.runs_get_run(t, "run_1", **s),
}
_AFRONT = {
    "create": lambda t, s: oaii.runs_create_run_request_async(t, "asst_1", **s),
    "stream": lambda t, s: oaii.runs_create_run_stream_async(t, "asst_1", **s),
    "poll": lambda t, s: oaii.runs_create_run_and_poll_async(t, "asst_1", poll_interval=0.0, **s),
    "get": lambda t, s: oaii.runs_get_run_async(t, "run_1", **s),
}


def _sync_call(op: str, front: bool, settings: dict[str, Any]) -> None:
    if front:
        _FRONT[op]("thread_k", settings)
        return
    with Client(**settings) as client:
        if op == "create":
            client.create_run("thread_k", "asst_1")
        elif op == "stream":
            client.stream_run("thread_k", "asst_1").until_done()
        elif op == "poll":
            client.create_run_and_poll("thread_k", "asst_1", poll_interval=0.0)
        else:
            client.get_run("thread_k", "run_1")


async def _async_call(op: str, front: bool, settings: dict[str, Any]) -> None:
    if front:
        result = await _AFRONT[op]("thread_k", settings)
        if op == "stream":
            await result.until_done()
        return
    async with AsyncClient(**settings) as client:
        if op == "create":
            await client.create_run("thread_k", "asst_1")
        elif op == "stream":
            await (await client.stream_run("thread_k", "asst_1")).until_done()
        elif op == "poll":
            await client.create_run_and_poll("thread_k", "asst_1", poll_interval=0.0)
        else:
            await client.get_run("thread_k", "run_1")


def _caught(op: str, is_async: bool, front: bool, settings: dict[str, Any]) -> BaseException:
    try:
        if is_async:
            asyncio.run(_async_call(op, front, settings))
        else:
            _sync_call(op, front, settings)
    except OaiiError as exc:
        return exc
    raise AssertionError("the call did not fail")


# ------------------------------------------------------------------ the walk


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]


def _frames(tb: TracebackType | None) -> Iterator[FrameType]:
    while tb is not None:
        yield tb.tb_frame
        tb = tb.tb_next


def _windows(text: str) -> set[str]:
    return {text[i : i + WINDOW] for i in range(len(text) - WINDOW + 1)}


# Each echoed form as it is, and as repr() shows it (backslashes doubled).
FORBIDDEN = set().union(
    *(_windows(shown) for echo in ECHOES.values() for shown in (echo(KEY), repr(echo(KEY))[1:-1]))
)
_FORBIDDEN_RE = re.compile("|".join(re.escape(w) for w in sorted(FORBIDDEN)))


def _leak(text: str) -> str | None:
    found = _FORBIDDEN_RE.search(text)
    return None if found is None else text[max(0, found.start() - 60) : found.end() + 60]


def _leaks(exc: BaseException, leak: Callable[[str], str | None] = _leak) -> list[str]:
    """Every place the key shows: a local of a frame outside the tests, a field, the formatted traceback."""
    leaks = []
    for error in _chain(exc):
        for frame in _frames(error.__traceback__):
            if frame.f_code.co_filename.startswith(TESTS_DIR):
                continue  # the test's own frames hold the key by design
            for name, value in frame.f_locals.items():
                shown = repr(value)  # must not raise (a half-made client included)
                if (hit := leak(shown)) is not None:
                    leaks.append(f"{frame.f_code.co_qualname}: {name} = ...{hit}...")
        for field in ("message", "message_long", "body", "code", "param", "type", "request_id"):
            if (hit := leak(str(getattr(error, field, "") or ""))) is not None:
                leaks.append(f"{type(error).__name__}.{field}: ...{hit}...")
        for text in (str(error), repr(error)):
            if (hit := leak(text)) is not None:
                leaks.append(f"{type(error).__name__} str/repr: ...{hit}...")
    # As a tracker shows it, every local formatted (but the test's own frames, again).
    shown = traceback.TracebackException(type(exc), exc, exc.__traceback__, capture_locals=True)
    todo: list[traceback.TracebackException | None] = [shown]
    while todo:
        if (current := todo.pop()) is not None:
            current.stack[:] = [f for f in current.stack if not f.filename.startswith(TESTS_DIR)]
            todo += [current.__cause__, current.__context__]
    formatted = "".join(shown.format())
    if (hit := leak(formatted)) is not None:
        leaks.append(f"formatted traceback: ...{hit}...")
    return leaks


# ------------------------------------------------------------------ the table


def _cases() -> Iterator[Any]:
    for op in ("create", "stream", "poll", "get"):
        for is_async in (False, True):
            for front in (True, False):
                for place in PLACES:
                    if place in STREAM_ONLY and op != "stream":
                        continue
                    variant = f"{op}-{'async' if is_async else 'sync'}-{'front' if front else 'client'}"
                    yield pytest.param(op, is_async, front, place, id=f"{variant}-{place}")


@pytest.mark.parametrize("source", ["argument", "OAII_API_KEY", "OPENAI_API_KEY"])
@pytest.mark.parametrize(("op", "is_async", "front", "place"), list(_cases()))
def test_no_key_in_any_frame(
    monkeypatch: pytest.MonkeyPatch, op: str, is_async: bool, front: bool, place: str, source: str
) -> None:
    if source != "argument":
        monkeypatch.setenv(source, KEY)
    make = PLACES[place]
    bad = place == "bad-argument"
    for form in ["raw"] if make is None else list(ECHOES):
        answer = send(b"", then="rst") if make is None else send(make(form, ECHOES[form](KEY)))
        # A poll's create is answered with a queued run; the get that follows meets the echo.
        actions = [send(lambda r: response(run_json("run_p")))] if op == "poll" else []
        with RawServer(*actions, answer) as server:
            exc = _caught(op, is_async, front, _settings(source, server.url, bad))
            sent = [r.header("Authorization") for r in server.requests]
        assert sent == ([] if bad else [f"Bearer {KEY}"] * (2 if op == "poll" else 1))
        assert _leaks(exc) == [], f"{form}: {type(exc).__name__}"


PROXY_PASSWORD = "pr0xy-Passw0rd-Kq7Zt"


def _proxy_leak(text: str) -> str | None:
    at = text.find(PROXY_PASSWORD)
    return None if at < 0 else text[max(0, at - 60) : at + 80]


def test_the_walk_finds_a_key_in_a_local() -> None:
    """The check above can fail: a frame holding the key in a local is found, in any form."""

    namespace: dict[str, Any] = {}
    source = "def holder(secret):\n    raise ValueError('boom')\n"
    exec(compile(source, "/elsewhere/holder.py", "exec"), namespace)  # a frame outside the tests
    holder = namespace["holder"]
    for echo in ECHOES.values():
        try:
            holder(echo(KEY)[3:20])
        except ValueError as exc:
            leaks = _leaks(exc)
        assert leaks and "holder: secret" in leaks[0]


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_repr_of_a_half_made_client_works_and_hides_the_key(cls: type[Client] | type[AsyncClient]) -> None:
    try:
        cls(api_key=KEY, timeout="soon")  # type: ignore[arg-type]
    except OaiiError as exc:
        error = exc
    half = next(
        value
        for frame in _frames(error.__traceback__)
        for value in frame.f_locals.values()
        if isinstance(value, cls)
    )
    assert repr(half) == f"{cls.__name__}(<not set up>)"
    made = cls(api_key=KEY, base_url="http://127.0.0.1:9/v1")
    assert repr(made) == f"{cls.__name__}(base_url='http://127.0.0.1:9/v1', key from the api_key argument)"
    assert _leaks(error) == []


@pytest.mark.parametrize("bad", [False, True], ids=["made", "bad-argument"])
@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_with_options_hides_a_key_and_a_proxy_password_at_arrival(
    cls: type[Client] | type[AsyncClient], bad: bool
) -> None:
    """``with_options(api_key=..., proxy=...)`` is a door as the constructor is: neither shows
    in its frames' locals when it fails, nor in the new client's ``vars()`` when it does not."""
    parent = cls(api_key="sk-parent-0000000000", base_url="http://127.0.0.1:9/v1")
    proxy = f"http://user:{PROXY_PASSWORD}@127.0.0.1:9"
    changes: dict[str, Any] = {"api_key": KEY, "proxy": proxy, **({"timeout": "soon"} if bad else {})}
    try:
        made = parent.with_options(**changes)
    except OaiiError as exc:
        assert bad
        assert _leaks(exc) == [] and _leaks(exc, _proxy_leak) == []
    else:
        assert not bad
        shown = repr(vars(made))
        assert _leak(shown) is None and _proxy_leak(shown) is None
        assert made.settings.key.value == KEY  # the key itself still goes on the wire


@pytest.mark.parametrize("source", ["proxy setting", "HTTP_PROXY"])
@pytest.mark.parametrize("bad", [False, True], ids=["proxy-resets", "bad-argument"])
@pytest.mark.parametrize(
    ("op", "is_async", "front"),
    [
        pytest.param(
            op, is_async, front, id=f"{op}-{'async' if is_async else 'sync'}-{'front' if front else 'client'}"
        )
        for op in ("create", "stream", "poll", "get")
        for is_async in (False, True)
        for front in (True, False)
    ],
)
def test_no_proxy_password_in_any_frame(
    monkeypatch: pytest.MonkeyPatch, op: str, is_async: bool, front: bool, bad: bool, source: str
) -> None:
    """A proxy URL with credentials, from the ``proxy`` setting or ``$HTTP_PROXY``, is a secret
    as the key is."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with RawServer(send(b"", then="rst")) as proxy:
        url = proxy.url.removesuffix("/v1").replace("http://", f"http://user:{PROXY_PASSWORD}@")
        settings = _settings("argument", "http://127.0.0.1:9/v1", bad)
        if source == "HTTP_PROXY":
            monkeypatch.setenv(source, url)
        else:
            settings["proxy"] = url
        exc = _caught(op, is_async, front, settings)
        reached = len(proxy.requests)
    assert reached == (0 if bad else 1)  # the call went to the proxy, or nowhere
    assert _leaks(exc, _proxy_leak) == []


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_a_proxy_variable_httpx_cannot_use_is_refused_without_its_password(
    monkeypatch: pytest.MonkeyPatch, cls: type[Client] | type[AsyncClient]
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"ftp://user:{PROXY_PASSWORD}@127.0.0.1:9")
    with pytest.raises(OaiiError, match=r"\$HTTPS_PROXY") as refused:
        cls(api_key=KEY)
    assert _leaks(refused.value, _proxy_leak) == []
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:{PROXY_PASSWORD}@127.0.0.1:9")
    made = cls(api_key=KEY)
    assert _proxy_leak(repr(vars(made))) is None
