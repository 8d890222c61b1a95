"""Faults injected by the local server: each ends in the documented error, retried where it should be.

FAULTS is also the table in docs/faults.md ("Status codes, bodies and connections").
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
import traceback
from typing import Any

import pytest
from oaii import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    OaiiError,
    ResponseParseError,
    RetryPolicy,
    runs_create_run_request,
)
from oaii._retry import retry_after
from oaii.server import Fault, LocalServer
from oaii_openapi_client.models.unknown_object import UnknownObject
from oaii_openapi_client.types import UNSET

from .._rawserver import RawServer, content, send
from ..conftest import KEY, skip_unless_spec

RUN = {"id": "run_1", "object": "thread.run", "status": "queued"}
HTML = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
ERROR_429 = json.dumps(
    {
        "error": {
            "message": "Rate limit reached for requests",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    }
).encode()

# name, fault, expected class, status_code, words in message_long, retried?
FAULTS: list[tuple[str, Fault, type[OaiiError], int | None, str, bool]] = [
    (
        "429 with retry-after-ms",
        Fault(status=429, body=ERROR_429, headers={"retry-after-ms": "5"}),
        APIStatusError,
        429,
        "received error message: 'Rate limit reached for requests'",
        True,
    ),
    (
        "429 with Retry-After seconds",
        Fault(status=429, body=ERROR_429, headers={"Retry-After": "0"}),
        APIStatusError,
        429,
        "Rate limit reached",
        True,
    ),
    (
        "429 without Retry-After",
        Fault(status=429, body=ERROR_429),
        APIStatusError,
        429,
        "Rate limit reached",
        True,
    ),
    (
        "500 OpenAI error",
        Fault(status=500, body=b'{"error": {"message": "The server had an error", "type": "server_error"}}'),
        APIStatusError,
        500,
        "received error message: 'The server had an error'",
        True,
    ),
    (
        "502 HTML page from a proxy",
        Fault(status=502, body=HTML, headers={"Content-Type": "text/html"}),
        APIStatusError,
        502,
        "content: HTML page titled '502 Bad Gateway'",
        True,
    ),
    (
        "503 empty body",
        Fault(status=503),
        APIStatusError,
        503,
        "HTTP 503 Service Unavailable, empty body",
        True,
    ),
    (
        "504 plain text",
        Fault(status=504, body=b"upstream timed out", headers={"Content-Type": "text/plain"}),
        APIStatusError,
        504,
        "content: 'upstream timed out'",
        True,
    ),
    ("408 request timeout", Fault(status=408), APIStatusError, 408, "HTTP 408 Request Timeout", True),
    ("409 conflict", Fault(status=409), APIStatusError, 409, "HTTP 409 Conflict", True),
    (
        "400 is not retried",
        Fault(status=400, body=b'{"error": {"message": "bad"}}'),
        APIStatusError,
        400,
        "received error message: 'bad'",
        False,
    ),
    (
        "404 is not retried",
        Fault(status=404, body=b'{"error": {"message": "gone"}}'),
        APIStatusError,
        404,
        "received error message: 'gone'",
        False,
    ),
    ("connection reset before a response", Fault("reset"), APIConnectionError, None, "failed", True),
    (
        "connection reset mid-response",
        Fault("reset", body=b'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"id"'),
        APIConnectionError,
        None,
        "failed",
        True,
    ),
    (
        "truncated JSON body",
        Fault("truncate", status=200, body=json.dumps(RUN).encode()),
        APIConnectionError,
        None,
        "without sending complete message body",
        True,
    ),
    (
        "200 with a body that is not JSON",
        Fault(status=200, body=b"OK"),
        ResponseParseError,
        200,
        "the body is not JSON, content: 'OK'",
        False,
    ),
    (
        "200 with an empty body",
        Fault(status=200),
        ResponseParseError,
        200,
        "the body is not JSON, empty body",
        False,
    ),
    (
        "200 with JSON that is not a run",
        Fault(status=200, body=b'{"object": "list", "data": []}'),
        ResponseParseError,
        200,
        "not a run object",
        False,
    ),
    (
        "200 HTML page",
        Fault(status=200, body=HTML, headers={"Content-Type": "text/html"}),
        ResponseParseError,
        200,
        "HTML page titled '502 Bad Gateway'",
        False,
    ),
    (
        "200 run with a wrong type inside",
        Fault(status=200, body=json.dumps({**RUN, "tools": 5}).encode()),
        ResponseParseError,
        200,
        "not a valid run object",
        False,
    ),
]


def create(server: LocalServer, **kwargs: Any) -> Any:
    policy = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
    options: dict[str, Any] = {"base_url": server.url, "api_key": KEY, "max_retries": policy, **kwargs}
    return runs_create_run_request("thread_f", "asst_f", **options)


@pytest.mark.parametrize(
    ("name", "fault", "cls", "status", "words", "retried"), FAULTS, ids=[f[0] for f in FAULTS]
)
def test_fault_ends_in_documented_error(
    server: LocalServer,
    name: str,
    fault: Fault,
    cls: type[OaiiError],
    status: int | None,
    words: str,
    retried: bool,
) -> None:
    server.inject(fault, fault, fault)
    with pytest.raises(cls) as info:
        create(server)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert words in err.message_long
    attempts = 3 if retried else 1
    assert err.attempts == attempts
    assert len(server.requests) == attempts
    assert ("gave up after 3 attempts" in err.message_long) == retried
    # A retry re-sends the very same bytes.
    assert len({r.body for r in server.requests}) == 1


def test_retry_then_success(server: LocalServer) -> None:
    server.inject(Fault(status=503), Fault("reset"))
    run = create(server)
    assert run.status == "queued"
    assert len(server.requests) == 3


def test_max_retries_zero(server: LocalServer) -> None:
    server.inject(Fault(status=503))
    with pytest.raises(APIStatusError) as info:
        create(server, max_retries=0)
    assert info.value.attempts == 1 and len(server.requests) == 1


def test_retry_after_is_honoured(server: LocalServer) -> None:
    server.inject(Fault(status=429, body=ERROR_429, headers={"retry-after-ms": "300"}))
    start = time.monotonic()
    create(server)
    assert time.monotonic() - start >= 0.3  # the client waited at least what the server asked


def test_retry_after_past_the_deadline_gives_up_at_once(server: LocalServer) -> None:
    server.inject(Fault(status=429, body=ERROR_429, headers={"Retry-After": "30"}))
    with pytest.raises(APIStatusError) as info:
        create(server, total_timeout=1, max_retries=RetryPolicy(max_retry_after=60))
    assert info.value.status_code == 429 and info.value.attempts == 1


def test_connection_refused() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with pytest.raises(APIConnectionError) as info:
            runs_create_run_request(
                "thread_1",
                "asst_1",
                base_url=f"http://127.0.0.1:{port}/v1",
                api_key=KEY,
                max_retries=RetryPolicy(max_retries=1, backoff_base=0.001),
            )
    err = info.value
    assert err.status_code is None
    assert "ConnectError" in err.message_long and err.attempts == 2


def test_hung_server_times_out_within_the_bound(server: LocalServer) -> None:
    server.inject(Fault("hang", seconds=10), Fault("hang", seconds=10))
    start = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        create(server, timeout=0.3, max_retries=1)
    elapsed = time.monotonic() - start
    assert info.value.status_code is None
    assert info.value.message == f"request to {server.url}/threads/thread_f/runs timed out"
    assert "timed out" in info.value.message_long
    assert elapsed < 5  # two 0.3 s attempts and a short backoff, far below the hang


def test_slow_drip_past_the_total_timeout(server: LocalServer) -> None:
    server.inject(Fault("drip", body=json.dumps(RUN).encode(), seconds=0.1))
    start = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        create(server, timeout=1, total_timeout=0.5, max_retries=0)
    assert "total timeout" in info.value.message_long
    assert time.monotonic() - start < 3  # each byte came within the read timeout; the total cut it


# -------------------------------------------------------------- retry policy


def test_retry_after_forms() -> None:
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    assert retry_after({"retry-after": "2"}) == 2.0
    future = email.utils.formatdate(time.time() + 100, usegmt=True)
    value = retry_after({"retry-after": future})
    assert value is not None and 95 < value <= 100
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_backoff_is_exponential_jittered_and_capped() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=8.0, max_retry_after=60)
    for retry, full in [(1, 0.5), (2, 1.0), (3, 2.0), (6, 8.0), (10, 8.0)]:
        delays = {policy.delay(retry) for _ in range(50)}
        assert all(0.75 * full <= d <= full for d in delays)
        assert len(delays) > 1
    assert policy.delay(1, {"retry-after": "3600"}) == 60


# -------------------------------------------------------------- forward compatibility


def test_newer_server_run_parses(server: LocalServer) -> None:
    skip_unless_spec("response:response_format")
    server.inject(
        Fault(
            "patch",
            patch={
                "status": "paused",
                "tools": [{"type": "web_search", "region": "eu"}, {"type": "code_interpreter"}],
                "response_format": {"type": "xml", "strict": True},
                "model": "gpt-9-super",
                "brand_new_field": {"nested": [1, 2]},
            },
            drop=("required_action", "last_error", "usage"),
        )
    )
    run = create(server)
    assert run.status == "paused"
    assert run.model == "gpt-9-super"
    assert run.additional_properties["brand_new_field"] == {"nested": [1, 2]}
    assert isinstance(run.tools[0], UnknownObject)
    assert run.tools[0].additional_properties == {"type": "web_search", "region": "eu"}
    assert run.response_format.to_dict() == {"type": "xml", "strict": True}
    assert run.required_action is UNSET
    assert run.to_dict()["tools"][0] == {"type": "web_search", "region": "eu"}


# -------------------------------------------------------------- key safety


SECRET_ECHO = json.dumps(
    {"error": {"message": f"Incorrect API key provided: {KEY}.", "code": "invalid_api_key"}}
)


def test_key_never_leaks(server: LocalServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    faults = [f for _, f, *_ in FAULTS] + [
        Fault(status=401, body=SECRET_ECHO.encode()),
        Fault(status=500, body=f"proxy saw Bearer {KEY}".encode()),
    ]
    seen = 0
    for fault in faults:
        server.inject(fault, fault, fault)
        try:
            create(server)
        except OaiiError as err:
            seen += 1
            texts = [
                str(err),
                repr(err),
                err.message_long,
                err.message,
                err.body or "",
                str(err.args),
                "".join(traceback.format_exception(err)),
            ]
            assert all(KEY not in text for text in texts), texts
        while server.next_fault():
            pass
    assert seen == len(faults)
    assert "retrying" in caplog.text  # the log had something to leak
    assert KEY not in caplog.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"object": "list", "data": []}',
            "HTTP 200 but the body is not a run object (object must be 'thread.run', with an 'id')",
        ),
        (b"[1, 2", "HTTP 200 but the body is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "HTTP 200 but the body is not usable JSON: nested too deeply"),
    ],
    ids=["not-a-run", "not-json", "nested-too-deeply"],
)
def test_a_success_that_is_not_a_run_says_why(body: bytes, message: str) -> None:
    with RawServer(send(content(body))) as server, pytest.raises(ResponseParseError) as info:
        runs_create_run_request("thread_nr", "asst_1", api_key="sk-t", base_url=server.url, max_retries=0)
    assert info.value.message == message and info.value.status_code == 200


def test_each_retry_is_logged_with_what_it_follows(caplog: pytest.LogCaptureFixture) -> None:
    """At INFO on the "oaii" logger: the request, what failed, and the wait (a server's hint of
    1 ms for the 503; the backoff from 1 ms, less up to a quarter, for the reset)."""
    reset = send(b"", then="rst")
    unavailable = send(content(b"{}", b"Retry-After-Ms: 1", status=b"503 Service Unavailable"))
    policy = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.001)
    with RawServer(reset, unavailable) as server, caplog.at_level(logging.INFO, logger="oaii"):
        run = runs_create_run_request(
            "thread_log", "asst_1", api_key=KEY, base_url=server.url, max_retries=policy
        )
        url = f"{server.url}/threads/thread_log/runs"
    assert run.id == "run_r2"
    assert [r.getMessage() for r in caplog.records if r.name == "oaii"] == [
        f"oaii: retrying POST {url} after a connection failure in 0.001s",
        f"oaii: retrying POST {url} after HTTP 503 in 0.001s",
    ]
