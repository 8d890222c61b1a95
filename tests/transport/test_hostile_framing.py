"""The client against hostile HTTP/1.1 servers, through the public API only.

A party that is not the client's connection layer wrote these: raw loopback
sockets (``tests/_rawserver.py``) answer with crafted bytes, and each test
asserts what the user sees: the result, or the documented ``OaiiError`` with
the right ``status_code`` (None when no response came), a ``message_long``
that is a bounded str without the API key, and no httpx/httpcore/h11 or
builtin exception leaking.  After every fault the same client (the same pool)
must still give the right answer to the next call: no poisoned pool, and no
stale bytes read as the next call's response.

Each table runs over {sync, async} x {create, stream, get} where it applies.  Where current
main is wrong, the test is xfail(strict) with the reason (``KNOWN_BUGS`` and ``known_bug``):
a fix turns it into a failure that asks for the mark to go.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import resource
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import oaii
import pytest
from oaii import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    Client,
    OaiiError,
    ResponseParseError,
    RetryPolicy,
    StreamError,
)

from .._rawserver import (
    DEEP,
    GZIP_BOMB,
    HTML_502,
    HUGE_MESSAGE,
    Action,
    Conn,
    RawServer,
    Request,
    authorization,
    bad_chunk,
    before_final,
    by_op,
    chunked,
    chunks,
    close_delimited,
    content,
    ct,
    cut,
    declared,
    drip_body,
    drip_head,
    early_413,
    echoed,
    encoded,
    endless_head,
    error_answer,
    framed,
    gated,
    good,
    head,
    no_content_smuggling,
    raw_deflate,
    response,
    run_json,
    send,
    sse_event,
    te_and_cl,
    then_unsolicited,
    with_head,
)

#: A recognisable fake key: no part of it may show in any error.
KEY = "sk-HOSTILE-fake-key-0123456789abcdef-MARK"
KEY_PIECES = (KEY, KEY[3:19], KEY[-18:])
#: Generous bound on the time of one failing call (its own timeouts are far smaller).
BOUND = 5.0
FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
OPS = ("create", "stream", "get")
MODULES_THAT_MUST_NOT_LEAK = ("httpx", "httpcore", "h11", "httptools", "anyio", "ssl")


# --------------------------------------------------------------- the variants


class Front:
    """The front-door functions with fixed options, standing where a client would."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def with_options(self, **changes: Any) -> Front:
        return Front({**self.settings, **changes})


class Variant:
    """One public way to make a call: sync or async, create / stream / get, a client or the front door.

    An async variant keeps one event loop for the whole test, so that a client (and the
    front door's per-loop pool) outlives a fault and serves the next call.
    """

    def __init__(self, is_async: bool, op: str, front: bool = False) -> None:
        self.is_async = is_async
        self.op = op
        self.front = front
        self.runner = asyncio.Runner() if is_async else None

    def __repr__(self) -> str:
        return f"{'async' if self.is_async else 'sync'}-{self.op}{'-front' if self.front else ''}"

    def client(self, url: str, **settings: Any) -> Any:
        merged = {"api_key": KEY, "base_url": url, "max_retries": 0, "timeout": 2.0, "total_timeout": 6.0}
        merged.update(settings)
        if self.front:
            return Front(merged)
        return AsyncClient(**merged) if self.is_async else Client(**merged)

    def close(self, client: Any) -> None:
        if isinstance(client, AsyncClient):
            assert self.runner is not None
            self.runner.run(client.aclose())
        elif isinstance(client, Client):
            client.close()

    def finish(self) -> None:
        if self.runner is not None:
            self.runner.close()

    # ---------------------------------------------------------------- calls

    def call(self, client: Any, **options: Any) -> str:
        """The run id the call produced; for a stream, the last run seen, marked if no ``done`` came."""
        if self.runner is not None:
            return self.runner.run(self._acall(client, options))
        return self._call(client, options)

    def attempt(self, client: Any, **options: Any) -> tuple[str | BaseException, float]:
        """``call``'s result or the exception it raised, and how long it took."""
        start = time.monotonic()
        try:
            outcome: str | BaseException = self.call(client, **options)
        except Exception as exc:
            outcome = exc
        return outcome, time.monotonic() - start

    def _call(self, client: Any, options: dict[str, Any]) -> str:
        if isinstance(client, Front):
            opts = {**client.settings, **options}
            if self.op == "create":
                return oaii.runs_create_run_request("thread_t", "asst_1", **opts).id
            if self.op == "get":
                return oaii.runs_get_run("thread_t", "run_1", **opts).id
            with oaii.runs_create_run_stream("thread_t", "asst_1", **opts) as stream:
                return _stream_result([event.event for event in stream], stream.run)
        if self.op == "create":
            return client.create_run("thread_t", "asst_1", **options).id
        if self.op == "get":
            return client.get_run("thread_t", "run_1", **options).id
        with client.stream_run("thread_t", "asst_1", **options) as stream:
            return _stream_result([event.event for event in stream], stream.run)

    async def _acall(self, client: Any, options: dict[str, Any]) -> str:
        if isinstance(client, Front):
            opts = {**client.settings, **options}
            if self.op == "create":
                return (await oaii.runs_create_run_request_async("thread_t", "asst_1", **opts)).id
            if self.op == "get":
                return (await oaii.runs_get_run_async("thread_t", "run_1", **opts)).id
            stream = await oaii.runs_create_run_stream_async("thread_t", "asst_1", **opts)
        elif self.op == "create":
            return (await client.create_run("thread_t", "asst_1", **options)).id
        elif self.op == "get":
            return (await client.get_run("thread_t", "run_1", **options)).id
        else:
            stream = await client.stream_run("thread_t", "asst_1", **options)
        async with stream:
            return _stream_result([event.event async for event in stream], stream.run)


def _stream_result(events: list[str], run: Any) -> str:
    run_id = run.id if run is not None else "no run"
    return run_id if events and events[-1] == "done" else f"{run_id} (ended without done: {events})"


def _variants(ops: tuple[str, ...] = OPS, front: bool = False) -> list[Any]:
    return [
        pytest.param((is_async, op, front), id=f"{'async' if is_async else 'sync'}-{op}")
        for is_async in (False, True)
        for op in ops
    ]


@pytest.fixture
def variant(request: pytest.FixtureRequest) -> Iterator[Variant]:
    is_async, op, front = request.param
    made = Variant(is_async, op, front)
    yield made
    made.finish()


ALL = pytest.mark.parametrize("variant", _variants(), indirect=True)
WITH_BODY = pytest.mark.parametrize("variant", _variants(("create", "stream")), indirect=True)
FRONT = pytest.mark.parametrize("variant", _variants(front=True), indirect=True)


# --------------------------------------------------------------- what the user sees


def chain(exc: BaseException) -> Iterator[tuple[BaseException, bool]]:
    """Each exception linked to ``exc``, and whether a traceback would show it (not ``from None``)."""
    seen: set[int] = set()
    link: BaseException | None = exc
    shown = True
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link, shown
        if link.__cause__ is not None:
            link = link.__cause__
        else:
            shown = shown and not link.__suppress_context__
            link = link.__context__


def assert_no_key(*texts: object) -> None:
    __tracebackhide__ = True
    for text in texts:
        for piece in KEY_PIECES:
            assert piece not in str(text), f"the key (or a piece of it) leaked: {str(text)[:300]!r}"


def check_error(
    outcome: object, cls: type[OaiiError], status: int | None, contains: str | None = None
) -> OaiiError:
    """``outcome`` is exactly a ``cls`` with ``status``, well formed, without the key, leaking nothing."""
    __tracebackhide__ = True
    assert isinstance(outcome, BaseException), f"expected {cls.__name__}, the call returned {outcome!r}"
    for link, shown in chain(outcome):
        module = type(link).__module__.split(".")[0]
        name = f"{module}.{type(link).__qualname__}"
        # What a traceback shows must be oaii's; a hidden link (``from None``) may be a builtin, but
        # not an HTTP library's exception, whose frames may hold the request and its key.
        assert isinstance(link, OaiiError) or not shown, f"{name} leaked to the user: {str(link)[:300]!r}"
        assert module not in MODULES_THAT_MUST_NOT_LEAK, (
            f"{name} is chained to the error: {str(link)[:300]!r}"
        )
    assert type(outcome) is cls, (
        f"expected {cls.__name__}, got {type(outcome).__name__}: {outcome.message_long[:300]}"
    )
    assert outcome.status_code == status, (
        f"status_code {outcome.status_code!r}, expected {status!r}: {outcome.message_long[:300]}"
    )
    assert isinstance(outcome.message_long, str) and outcome.message_long
    assert len(outcome.message_long) < 100_000, f"message_long is {len(outcome.message_long)} characters"
    assert str(outcome) and isinstance(repr(outcome), str)
    assert_no_key(
        str(outcome), repr(outcome), outcome.message_long, outcome.message, outcome.body, outcome.request_id,
        outcome.code, outcome.param, outcome.type, outcome.args,
    )  # fmt: skip
    if contains is not None:
        assert contains in outcome.message_long, outcome.message_long[:500]
    return outcome


class Expect:
    """What the first (hostile) call must give: ``ok`` (the run ``run_r0``), or an error."""

    def __init__(
        self,
        cls: type[OaiiError] | None = None,
        status: int | None = None,
        contains: str | None = None,
        also: Callable[[OaiiError], object] | None = None,
    ):
        self.cls, self.status, self.contains, self.also = cls, status, contains, also

    def check(self, outcome: object) -> None:
        __tracebackhide__ = True
        if self.cls is None:
            assert outcome == "run_r0", f"expected the run run_r0, got {outcome!r}"
        else:
            error = check_error(outcome, self.cls, self.status, self.contains)
            if self.also is not None:
                assert self.also(error), f"{error!r}: request_id={error.request_id!r}"

    def __repr__(self) -> str:
        return "ok" if self.cls is None else f"{self.cls.__name__}({self.status})"


OK = Expect()


def conn_error(contains: str | None = None) -> Expect:
    return Expect(APIConnectionError, None, contains)


def parse_error(status: int = 200, contains: str | None = None) -> Expect:
    return Expect(ResponseParseError, status, contains)


class AnyOf:
    """Either outcome is right (the RFC allows both); each is still checked whole."""

    def __init__(self, *choices: Expect) -> None:
        self.choices = choices

    def check(self, outcome: object) -> None:
        __tracebackhide__ = True
        failures = []
        for choice in self.choices:
            try:
                choice.check(outcome)
            except AssertionError as exc:
                failures.append(f"{choice!r}: {exc}")
            else:
                return
        raise AssertionError("none of the allowed outcomes: " + " | ".join(failures))


def recovers(variant: Variant, client: Any, server: RawServer) -> None:
    """The same client's next call, to a server now answering correctly, gets its own answer."""
    __tracebackhide__ = True  # a failure is shown at the test's line: shorter, and cheaper to format
    before = len(server.requests)
    outcome, _ = variant.attempt(client)
    assert outcome == f"run_r{before}", (
        f"after the fault, the next call gave {outcome!r} instead of run_r{before}"
        f" ({len(server.requests) - before} requests reached the server)"
    )
    assert len(server.requests) == before + 1


# --------------------------------------------------------------- hostile answers


def unfolded(error: OaiiError) -> bool:
    value = error.request_id or ""
    return value.startswith("req_first") and value.endswith("req_continued") and not set(value) & set("\r\n")


#: id -> (first answer, what the user must see: one Expect for every op, or one per op)
Table = dict[str, tuple[Action, Any]]

FRAMING: Table = {
    # Content-Length shorter than the body: the call reads the declared bytes (a cut JSON);
    # the rest must never be read as the next call's answer.
    "content-length-shorter-than-body": (
        send(declared(lambda n: b"%d" % (n - 7))),
        {"create": parse_error(), "get": parse_error(), "stream": None},
    ),
    "content-length-longer-than-body-then-fin": (
        send(declared(lambda n: b"%d" % (n + 50)), "fin"),
        {
            "create": conn_error(),
            "get": conn_error(),
            "stream": OK,
        },  # the stream ends at `done`, before the cut
    ),
    "content-length-longer-than-body-then-hold": (
        send(declared(lambda n: b"%d" % (n + 50)), "hold"),
        {"create": Expect(APITimeoutError), "get": Expect(APITimeoutError), "stream": OK},
    ),
    "body-cut-midway-then-rst": (send(cut(60), "rst"), conn_error()),
    "two-different-content-lengths": (
        send(lambda r: framed(r, b"Content-Length: %d" % len(r.good_body()), b"Content-Length: 7")),
        conn_error(),
    ),
    "content-length-list-same": (send(declared(lambda n: b"%d, %d" % (n, n))), AnyOf(OK, conn_error())),
    "content-length-list-different": (send(declared(lambda n: b"%d, %d" % (n, n + 1))), conn_error()),
    "content-length-with-underscore": (
        send(declared(lambda n: b"%d_%d" % divmod(n, 10)), "fin"),  # Python's int() would take it
        conn_error(),
    ),
    "content-length-with-plus": (send(declared(lambda n: b"+%d" % n), "fin"), conn_error()),
    "content-length-negative": (send(declared(lambda n: b"-1"), "fin"), conn_error()),
    "chunked-with-trailers": (send(chunks(trailers=(b"X-Trailer: yes", b"X-Checksum: abc"))), OK),
    "chunked-with-extensions": (send(chunks(ext=b';name=value;quoted="a b"')), OK),
    "chunk-size-not-hex": (send(bad_chunk(b"0x5"), "fin"), conn_error()),
    "chunk-size-negative": (send(bad_chunk(b"-5"), "fin"), conn_error()),
    "chunk-size-overflowing": (send(bad_chunk(b"f" * 40), "fin"), conn_error()),
    "chunked-and-content-length": (send(te_and_cl), AnyOf(OK, conn_error())),
    "close-delimited-http11": (send(close_delimited(), "fin"), OK),
    "close-delimited-http10": (send(close_delimited(b"HTTP/1.0"), "fin"), OK),
    # HTTP/1.0 without keep-alive: the connection is not reused (the server answers nothing more on it).
    "http10-with-length-then-hold": (send(with_head(version=b"HTTP/1.0"), "hold"), OK),
    "extra-garbage-after-body": (send(lambda r: r.good() + b"GARBAGE\r\n\r\n"), OK),
    "unsolicited-second-response": (send(then_unsolicited), OK),
    "100-continue-first": (send(before_final(b"HTTP/1.1 100 Continue\r\n\r\n")), OK),
    "103-early-hints-first": (
        send(before_final(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n")),
        OK,
    ),
    "several-1xx-first": (
        send(before_final(b"HTTP/1.1 100 Continue\r\n\r\n" * 3 + b"HTTP/1.1 102 Processing\r\n\r\n")),
        OK,
    ),
    "1xx-then-error": (
        send(lambda r: b"HTTP/1.1 100 Continue\r\n\r\n" + error_answer(b"400 Bad Request")(r)),
        Expect(APIStatusError, 400, "received error message: 'bad request'"),
    ),
    "101-unasked": (send(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "fin"), conn_error()),
    "204-with-a-body": (
        send(no_content_smuggling),
        {"create": parse_error(204), "get": parse_error(204), "stream": parse_error(204)},
    ),
}

HEADS: Table = {
    "obs-fold-in-request-id": (
        send(error_answer(b"400 Bad Request", b"X-Request-Id: req_first", b"  req_continued")),
        # RFC 9112 5.2: a user agent replaces obs-fold with spaces; refusing the answer is safe too.
        AnyOf(Expect(APIStatusError, 400, also=unfolded), conn_error()),
    ),
    "latin1-header-and-reason": (
        send(error_answer(b"400 Mauvaise requ\xeate", b"X-Request-Id: req-caf\xe9-\xff\x80")),
        Expect(
            APIStatusError,
            400,
            "received error message: 'bad request'",
            also=lambda e: isinstance(e.request_id, str) and e.request_id.startswith("req-caf"),
        ),
    ),
    "non-utf8-header-on-success": (send(with_head(b"X-Junk: \x80\x81\xfe\xff caf\xe9")), OK),
    "header-without-colon": (send(with_head(b"X-No-Colon-Here"), "fin"), conn_error()),
    "header-with-empty-name": (send(with_head(b": no name"), "fin"), conn_error()),
    "space-before-colon-in-content-length": (
        send(lambda r: head(b"200 OK", ct(r), b"Content-Length : 3") + r.good_body(), "fin"),
        AnyOf(OK, conn_error()),
    ),
    "status-without-reason": (send(with_head(status=b"200")), OK),
    "status-with-empty-reason": (send(with_head(status=b"200 ")), OK),
    "error-without-reason": (
        send(error_answer(b"404")),
        Expect(APIStatusError, 404, "HTTP 404, received error message: 'bad request'"),
    ),
    "error-with-8k-reason": (
        send(error_answer(b"400 " + b"R" * 8000)),
        Expect(APIStatusError, 400, also=lambda e: len(e.message_long) < 2000),  # the reason is cut
    ),
    "status-99": (send(with_head(status=b"99 Too Low"), "fin"), conn_error()),
    "status-099": (send(with_head(status=b"099 Too Low"), "fin"), conn_error()),
    "status-600": (
        send(error_answer(b"600 Beyond")),
        AnyOf(Expect(APIStatusError, 600), conn_error()),
    ),
    "status-abc": (send(with_head(status=b"abc Letters"), "fin"), conn_error()),
    "status-1000": (send(with_head(status=b"1000 Four Digits"), "fin"), conn_error()),
    "not-http-at-all": (send(b"SSH-2.0-OpenSSH_9.6\r\n", "fin"), conn_error()),
    "endless-header-value": (endless_head(b"X-Long: " + b"a" * 65536), conn_error()),
    "endless-header-lines": (endless_head(b"X-A: b\r\n" * 8192), conn_error()),
    "10k-small-headers": (
        send(with_head(*(b"X-H%d: v" % i for i in range(10_000)))),
        AnyOf(OK, conn_error()),
    ),
}

CONTENT: Table = {
    "gzip-bomb-over-the-cap": (
        send(content(GZIP_BOMB, b"Content-Encoding: gzip", content_type=None)),
        {
            "create": parse_error(contains="max_response_bytes"),
            "get": parse_error(contains="max_response_bytes"),
            "stream": parse_error(contains="max_response_bytes"),
        },
    ),
    "gzip-bomb-chunked": (
        send(
            lambda r: (
                head(b"200 OK", ct(r), b"Content-Encoding: gzip", b"Transfer-Encoding: chunked")
                + chunked(*(GZIP_BOMB[i : i + 4096] for i in range(0, len(GZIP_BOMB), 4096)))
            )
        ),
        parse_error(contains="max_response_bytes"),
    ),
    "deflate-zlib-wrapped": (send(encoded(zlib.compress, b"deflate")), OK),
    "deflate-raw": (send(encoded(raw_deflate, b"deflate")), AnyOf(OK, parse_error())),
    "gzip-cut-short": (send(encoded(lambda b: gzip.compress(b)[:-12], b"gzip")), parse_error()),
    "gzip-header-on-a-plain-body": (send(encoded(lambda b: b, b"gzip")), parse_error()),
    "unknown-content-encoding": (
        send(encoded(lambda b: b, b"x-snappy")),
        parse_error(contains="Content-Encoding"),
    ),
    "invalid-json": (
        send(by_op(content(b'{"id": "run_1", "object": '), sse_event(b"thread.run.created", b'{"id": '))),
        parse_error(),
    ),
    "json-not-utf8": (
        send(by_op(content(b'{"id": "run_\xff\xfe"}'), sse_event(b"thread.run.created", b'{"id": "\xff"}'))),
        parse_error(),
    ),
    "html-502": (
        send(content(HTML_502, status=b"502 Bad Gateway", content_type=b"text/html")),
        Expect(APIStatusError, 502, "HTML page titled '502 Bad Gateway'"),
    ),
    "empty-200": (send(content(b"", content_type=None)), parse_error()),
    "json-nested-100k-deep": (
        send(by_op(content(DEEP), sse_event(b"thread.run.created", DEEP))),
        parse_error(),
    ),
    "5mb-error-message": (
        send(content(HUGE_MESSAGE, status=b"400 Bad Request")),
        Expect(
            APIStatusError, 400, also=lambda e: len(e.message_long) < 2000
        ),  # README: cut at 500 characters
    ),
}


#: (table row, op) -> why current main fails it.  Each is an xfail(strict): fixed, it must be removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def known_bug(request: pytest.FixtureRequest, reason: str | None) -> bool:
    """Mark the test xfail(strict) when a known bug of current main makes it fail; whether it did.

    A test that expects its failure hides its own frame (``__tracebackhide__``): pytest then
    formats no source for the failure it keeps for the report, which costs ~40 ms each here.
    """
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    return reason is not None


def _table(*tables: Table) -> list[Any]:
    return [
        pytest.param(name, action, expect, id=name)
        for table in tables
        for name, (action, expect) in table.items()
    ]


def _settings_for(name: str) -> dict[str, Any]:
    if "bomb" in name:
        return {"max_response_bytes": 100_000}
    if "hold" in name:
        return {"timeout": 0.1}
    return {}


@pytest.mark.parametrize(("name", "action", "expect"), _table(FRAMING, HEADS, CONTENT))
@ALL
def test_a_hostile_answer_ends_as_documented_and_the_client_still_works(
    variant: Variant, name: str, action: Action, expect: Any, request: pytest.FixtureRequest
) -> None:
    __tracebackhide__ = known_bug(request, KNOWN_BUGS.get((name, variant.op)))
    settings = _settings_for(name)
    if isinstance(expect, dict):
        expect = expect[variant.op]
    with RawServer(action) as server:
        client = variant.client(server.url)
        try:
            outcome, elapsed = variant.attempt(client.with_options(**settings) if settings else client)
            assert len(server.requests) == 1, "one request: retries are off"
            if expect is None:  # no expectation but the general ones
                assert isinstance(outcome, str) or check_error(outcome, type(outcome), outcome.status_code)
            else:
                expect.check(outcome)
            assert elapsed < BOUND
            recovers(variant, client, server)
        finally:
            variant.close(client)


# --------------------------------------------------------------- the front doors


FRONT_ROWS = (
    "unsolicited-second-response",
    "body-cut-midway-then-rst",
    "two-different-content-lengths",
    "100-continue-first",
    "status-abc",
    "html-502",
    "gzip-bomb-over-the-cap",
)


@pytest.mark.parametrize(
    ("name", "action", "expect"),
    [param for param in _table(FRAMING, HEADS, CONTENT) if param.id in FRONT_ROWS],
)
@FRONT
def test_the_front_doors_and_their_shared_pools_survive_hostile_answers(
    variant: Variant, name: str, action: Action, expect: Any, request: pytest.FixtureRequest
) -> None:
    """runs_create_run_request, runs_create_run_stream, runs_get_run and their async twins: the
    process's (or the loop's) pool serves the next call correctly."""
    __tracebackhide__ = known_bug(request, KNOWN_BUGS.get((name, variant.op)))
    settings = _settings_for(name)
    if isinstance(expect, dict):
        expect = expect[variant.op]
    with RawServer(action) as server:
        front = variant.client(server.url)
        outcome, elapsed = variant.attempt(front.with_options(**settings))
        expect.check(outcome)
        assert elapsed < BOUND
        recovers(variant, front, server)


# --------------------------------------------------------------- connection reuse


@pytest.mark.parametrize("then", ["fin-at-once", "fin", "rst"])
@ALL
def test_a_connection_the_server_ended_while_idle_is_not_reused(variant: Variant, then: str) -> None:
    """Answered in keep-alive (no ``Connection: close``), then ended by the server: right behind
    the answer, or once the client has it: the next call, retries off, opens a new connection."""
    action = send(lambda r: r.good(), "fin") if then == "fin-at-once" else gated(lambda r: r.good(), then)
    counter = "rsts" if then == "rst" else "fins"
    with RawServer(action) as server:
        client = variant.client(server.url)
        try:
            assert variant.call(client) == "run_r0"
            server.gate.set()
            assert server.wait_for(lambda s: s.counts[counter] >= 1)
            recovers(variant, client, server)
            assert server.counts["accepts"] == 2
        finally:
            variant.close(client)


@ALL
def test_bytes_arriving_on_an_idle_connection_are_not_the_next_answer(variant: Variant) -> None:
    """A whole response nobody asked for, sent after the answer once the connection sits idle
    in the pool: the next call must get its own answer, not that one."""
    evil = run_json("run_EVIL")
    late = response(evil)
    with RawServer(gated(lambda r: r.good(), "keep", late=late)) as server:
        client = variant.client(server.url)
        try:
            assert variant.call(client) == "run_r0"
            server.gate.set()
            assert server.wait_for(lambda s: s.counts["late"] >= 1)
            recovers(variant, client, server)
        finally:
            variant.close(client)


@ALL
def test_a_kept_connection_closed_as_the_next_request_arrives(variant: Variant) -> None:
    """The race of a keep-alive timeout: the server closes the kept connection when the next request
    reaches it, without answering.  Retries off: a connection error (or a transparent new attempt
    that succeeds); retries on: the call succeeds, re-sending the same bytes (same Idempotency-Key)."""
    no_answer = send(b"", "fin")
    for retries in (0, FAST_RETRY):
        with RawServer(good, no_answer) as server:
            client = variant.client(server.url, max_retries=retries)
            try:
                assert variant.call(client) == "run_r0"
                outcome, elapsed = variant.attempt(client)
                assert elapsed < BOUND
                if retries == 0 and outcome != "run_r2":
                    check_error(outcome, APIConnectionError, None)
                    recovers(variant, client, server)
                    continue
                assert outcome == "run_r2"
                first, second = server.requests[1:]
                assert first.body == second.body
                assert first.header("Idempotency-Key") == second.header("Idempotency-Key")
                recovers(variant, client, server)
            finally:
                variant.close(client)


@pytest.mark.parametrize("value", [b"close", b"CLOSE", b"keep-alive, close"])
@ALL
def test_connection_close_is_honoured(variant: Variant, value: bytes) -> None:
    """``Connection: close`` on an answer whose server then keeps the socket open (and answers
    nothing more on it): the next call must open a new connection."""
    answer = send(
        lambda r: response(r.good_body(), b"200 OK", b"Connection: " + value, content_type=r.content_type),
        "hold",
    )
    with RawServer(answer) as server:
        client = variant.client(server.url)
        try:
            assert variant.call(client) == "run_r0"
            recovers(variant, client, server)
            assert server.counts["accepts"] == 2
        finally:
            variant.close(client)


@pytest.mark.parametrize("drain", [True, False], ids=["then-reads-the-body", "then-closes"])
@WITH_BODY
def test_an_early_answer_before_the_body_was_read(variant: Variant, drain: bool) -> None:
    """A 413 sent before the request's 4 MB body was read: the user sees the 413 (or, when the
    server closed with the body unread, a connection error), and never waits for a timeout."""
    with RawServer(early_413(drain), early=[0]) as server:
        client = variant.client(server.url, validate=False)
        try:
            outcome, elapsed = variant.attempt(client, extra_body={"pad": "x" * 4_000_000})
            if drain:
                check_error(outcome, APIStatusError, 413, "received error message: 'too large'")
            else:
                AnyOf(Expect(APIStatusError, 413), conn_error()).check(outcome)
            assert elapsed < BOUND
            recovers(variant, client, server)
        finally:
            variant.close(client)


# --------------------------------------------------------------- timing


@pytest.mark.parametrize("action", [drip_body, drip_head], ids=["body", "head"])
@ALL
def test_a_server_trickling_a_byte_every_50ms_is_cut_at_total_timeout(
    variant: Variant, action: Action, request: pytest.FixtureRequest
) -> None:
    """Each read is far quicker than ``timeout``; only ``total_timeout`` (0.15 s) can end it."""
    with RawServer(action) as server:
        client = variant.client(server.url)
        try:
            outcome, elapsed = variant.attempt(client.with_options(timeout=1.0, total_timeout=0.15))
            check_error(outcome, APITimeoutError, None)
            assert elapsed < 0.9, f"the call took {elapsed:.2f} s with total_timeout=0.15"
            recovers(variant, client, server)
        finally:
            variant.close(client)


@ALL
def test_a_server_that_accepts_and_never_reads(variant: Variant) -> None:
    with RawServer(silent=1) as server:
        client = variant.client(server.url)
        try:
            outcome, elapsed = variant.attempt(client.with_options(timeout=0.1))
            check_error(outcome, APITimeoutError, None, "timed out")
            assert elapsed < BOUND
            assert server.requests == []
            recovers(variant, client, server)
        finally:
            variant.close(client)


@pytest.mark.parametrize("variant", _variants(("create",)), indirect=True)
def test_a_hung_server_is_retried_and_the_attempts_counted_server_side(variant: Variant) -> None:
    hang = send(b"", "hold")
    with RawServer(hang, hang, hang) as server:
        client = variant.client(server.url)
        try:
            outcome, elapsed = variant.attempt(client.with_options(timeout=0.05, max_retries=FAST_RETRY))
            error = check_error(outcome, APITimeoutError, None, "gave up after 3 attempts")
            assert error.attempts == 3
            assert len(server.requests) == 3
            assert len({r.header("Idempotency-Key") for r in server.requests}) == 1
            assert len({r.body for r in server.requests}) == 1
            assert elapsed < BOUND
            recovers(variant, client, server)
        finally:
            variant.close(client)


@ALL
def test_resets_before_an_answer_are_retried_with_the_same_bytes(variant: Variant) -> None:
    reset = send(b"", "rst")
    with RawServer(reset, reset) as server:
        client = variant.client(server.url)
        try:
            assert variant.call(client.with_options(max_retries=FAST_RETRY)) == "run_r2"
            assert len(server.requests) == 3
            assert (
                len(
                    {(r.head.split(b"\r\n")[0], r.body, r.header("Idempotency-Key")) for r in server.requests}
                )
                == 1
            )
            recovers(variant, client, server)
        finally:
            variant.close(client)


# --------------------------------------------------------------- the key, echoed back


ECHOES: dict[str, tuple[Callable[[Request], bytes], Expect]] = {
    "400-echo-everywhere": (
        lambda r: response(
            json.dumps(
                {
                    "error": {
                        "message": "you sent " + echoed(r),
                        "code": echoed(r),
                        "param": echoed(r),
                        "type": echoed(r),
                    }
                }
            ).encode(),
            b"400 Bad " + authorization(r),
            b"X-Request-Id: " + authorization(r),
            b"Location: http://x/" + authorization(r).replace(b" ", b"%20"),
        ),
        Expect(APIStatusError, 400),
    ),
    "502-html-title": (
        lambda r: response(
            b"<html><head><title>" + echoed(r).encode() + b"</title></head></html>",
            b"502 Bad Gateway",
            content_type=b"text/html",
        ),
        Expect(APIStatusError, 502),
    ),
    "200-text-echo": (
        lambda r: response(echoed(r).encode() * 3, content_type=b"text/plain"),
        parse_error(),
    ),
    "500-json-escaped-echo-5mb": (
        lambda r: response(json.dumps({"echo": echoed(r), "pad": "p" * 5_000_000}).encode(), b"500 Oops"),
        Expect(APIStatusError, 500),
    ),
}


@pytest.mark.parametrize(("make", "expect"), [pytest.param(*v, id=k) for k, v in ECHOES.items()])
@ALL
def test_a_server_echoing_the_key_never_gets_it_into_an_error(
    variant: Variant, make: Callable[[Request], bytes], expect: Expect
) -> None:
    with RawServer(send(make)) as server:
        client = variant.client(server.url)
        try:
            outcome, _ = variant.attempt(client)
            expect.check(outcome)  # check_error: the key in no field, str or repr
            assert f"Bearer {KEY}" in echoed(server.requests[0]), "the echo carried the key"
            recovers(variant, client, server)
        finally:
            variant.close(client)


@pytest.mark.parametrize("size", [1000, 5_000_000], ids=["short", "5mb"])
@pytest.mark.parametrize("variant", _variants(("stream",)), indirect=True)
def test_a_stream_error_event_echoing_the_key_is_a_bounded_stream_error(variant: Variant, size: int) -> None:
    def error_event(r: Request) -> bytes:
        data = json.dumps({"error": {"message": echoed(r) + "m" * size, "code": echoed(r)}}).encode()
        return response(b"event: error\ndata: " + data + b"\n\n", content_type=b"text/event-stream")

    with RawServer(send(error_event)) as server:
        client = variant.client(server.url)
        try:
            outcome, _ = variant.attempt(client)
            check_error(outcome, StreamError, None, "received error message")
            recovers(variant, client, server)
        finally:
            variant.close(client)


# --------------------------------------------------------------- resources


@pytest.mark.parametrize("variant", _variants(("create",)), indirect=True)
def test_an_endless_head_fails_in_bounded_memory(variant: Variant) -> None:
    with RawServer(endless_head(b"X-Long: " + b"a" * 65536)) as server:
        client = variant.client(server.url)
        try:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            outcome, elapsed = variant.attempt(client)
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
            check_error(outcome, APIConnectionError, None)
            assert grown < 64, f"peak memory grew by {grown:.0f} MiB"
            assert elapsed < BOUND
            recovers(variant, client, server)
        finally:
            variant.close(client)


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


FD_FAULTS: list[Action] = [
    send(b"", "rst"),
    send(cut(40), "fin"),
    send(b"HTTP/1.1 2x0 OK\r\n\r\n", "fin"),
    send(bad_chunk(b"zz"), "fin"),
    send(lambda r: head(b"200 OK", ct(r), b"Content-Length: 5", b"Content-Length: 6") + b"hello", "fin"),
    send(error_answer(b"500 Internal Server Error")),
    send(content(b"<html>nope</html>", content_type=b"text/html")),
    send(lambda r: r.good() + b"TRAILING GARBAGE"),
    send(encoded(lambda b: b"not gzip", b"gzip")),
]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc/self/fd")
def test_no_descriptor_leak_over_200_faulty_calls() -> None:
    def fault(conn: Conn, request: Request) -> bool:
        return FD_FAULTS[request.index % len(FD_FAULTS)](conn, request)

    sync = [Variant(False, op) for op in OPS]
    async_ = [Variant(True, op) for op in OPS]
    runner = async_[0].runner
    for other in async_[1:]:
        other.finish()
        other.runner = runner
    runner.run(asyncio.sleep(0))  # the loop's own descriptors exist before the count
    with RawServer(default=fault) as server:
        before = _fds()
        clients = [sync[0].client(server.url), async_[0].client(server.url)]
        outcomes = []
        for index in range(200):
            variant = (sync if index % 2 == 0 else async_)[index // 2 % 3]
            outcome, _ = variant.attempt(clients[index % 2])
            outcomes.append(outcome)
            assert isinstance(outcome, (str, OaiiError)), repr(outcome)
        assert sum(isinstance(o, OaiiError) for o in outcomes) > 150
        during = _fds()
        sync[0].close(clients[0])
        async_[0].close(clients[1])
        assert server.wait_for(lambda s: s.counts["closed"] == s.counts["accepts"]), (
            "a connection was left open"
        )
        after = _fds()
    async_[0].finish()
    assert during <= before + 8, f"{during - before} descriptors more while the clients were open"
    assert after <= before, f"{after - before} descriptors leaked after close"


@pytest.mark.parametrize("variant", _variants(("create",)), indirect=True)
def test_an_ipv6_loopback_server_is_handled_the_same(variant: Variant) -> None:
    """On ::1: a protocol error then a recovery, and a connection the server ended is not reused."""
    try:
        server = RawServer(FRAMING["two-different-content-lengths"][0], host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        assert server.url.startswith("http://[::1]:")
        client = variant.client(server.url)
        try:
            outcome, _ = variant.attempt(client)
            check_error(outcome, APIConnectionError, None)
            recovers(variant, client, server)
        finally:
            variant.close(client)
    with RawServer(gated(lambda r: r.good(), "fin"), host="::1") as server:
        client = variant.client(server.url)
        try:
            assert variant.call(client) == "run_r0"
            server.gate.set()
            assert server.wait_for(lambda s: s.counts["fins"] >= 1)
            recovers(variant, client, server)
            assert server.counts["accepts"] == 2
        finally:
            variant.close(client)
