"""Hostile answers and odd settings at the transport: each ends in the documented error, quickly."""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import time
import traceback
from typing import Any

import httpx
import oaii
import pytest
from oaii import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InputError,
    PollTimeoutError,
    ResponseParseError,
)
from oaii._flow import _poll_wait
from oaii.server import Fault, LocalServer

from ..conftest import KEY


def create(server: LocalServer, **options: Any) -> oaii.RunObject:
    return oaii.runs_create_run_request("thread_e", "asst_1", api_key=KEY, base_url=server.url, **options)


# ----------------------------------------------------------------- responses


def test_deeply_nested_json_is_a_parse_error(server: LocalServer) -> None:
    server.inject(Fault("status", 200, body=b"[" * 200_000 + b"]" * 200_000))
    with pytest.raises(ResponseParseError, match=r"nested too deeply|not JSON"):
        create(server, max_retries=0)


def test_deeply_nested_run_field_is_a_parse_error(server: LocalServer) -> None:
    run = json.dumps({**create(server).to_dict(), "metadata": "NESTED"}).encode()
    nested = b'{"a":' * 100_000 + b'"x"' + b"}" * 100_000
    server.inject(Fault("status", 200, body=run.replace(b'"NESTED"', nested)))
    with pytest.raises(ResponseParseError):
        oaii.runs_create_run_request("thread_e2", "asst_1", api_key=KEY, base_url=server.url)


def test_wrong_content_encoding_is_a_parse_error(server: LocalServer) -> None:
    server.inject(Fault("status", 200, body=b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    with pytest.raises(ResponseParseError) as info:
        create(server, max_retries=3)
    assert info.value.status_code == 200 and info.value.attempts == 1  # not retried: it would not change


def test_response_size_cap_is_configurable(server: LocalServer) -> None:
    with pytest.raises(ResponseParseError, match="max_response_bytes"):
        create(server, max_response_bytes=100)
    run = oaii.runs_create_run_request(
        "thread_e3", "asst_1", api_key=KEY, base_url=server.url, max_response_bytes=10**5
    )
    assert run.status == "queued"


def test_decompression_bomb_stops_at_the_cap(server: LocalServer) -> None:
    bomb = gzip.compress(b" " * 100_000_000, compresslevel=9)  # ~100 KB on the wire
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    server.inject(Fault("status", 200, body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(ResponseParseError, match="max_response_bytes"):
        create(server, max_response_bytes=4 * 1024 * 1024)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 200, f"peak memory grew {grown_mib:.0f} MiB for a capped body"


def test_declared_length_over_the_cap_is_refused_before_reading(server: LocalServer) -> None:
    server.inject(Fault("status", 200, body=b"x" * 5000))
    with pytest.raises(ResponseParseError, match="max_response_bytes"):
        create(server, max_response_bytes=1000)


# -------------------------------------------------------------------- streams


@pytest.mark.parametrize("is_async", [False, True])
def test_stream_obeys_total_timeout(server: LocalServer, is_async: bool) -> None:
    server.inject(Fault("drip", body=b"x" * 200, seconds=0.05))
    start = time.monotonic()
    with pytest.raises(APITimeoutError, match="total timeout"):
        if is_async:
            import asyncio

            async def main() -> None:
                stream = await oaii.runs_create_run_stream_async(
                    "thread_st", "asst_1", api_key=KEY, base_url=server.url, total_timeout=0.4
                )
                async for _ in stream:
                    pass

            asyncio.run(main())
        else:
            stream = oaii.runs_create_run_stream(
                "thread_st", "asst_1", api_key=KEY, base_url=server.url, total_timeout=0.4
            )
            for _ in stream:
                pass
    assert time.monotonic() - start < 5


# -------------------------------------------------------------------- polling


def test_poll_timeout_bounds_a_get_in_flight(server: LocalServer) -> None:
    run = create(server)
    server.inject(Fault("patch"), Fault("hang", seconds=10))  # the create is answered; its first poll hangs
    start = time.monotonic()
    with pytest.raises(PollTimeoutError) as info:
        oaii.runs_create_run_and_poll(
            "thread_pt", "asst_1", api_key=KEY, base_url=server.url, poll_timeout=0.5, total_timeout=None
        )
    assert time.monotonic() - start < 5
    assert info.value.run.status == "queued" and info.value.run.id != run.id


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, 0.25),
        ("10", 0.01),
        ("1e15", 60.0),  # a server cannot park a poll for more than a minute
        ("inf", 0.25),
        ("nan", 0.25),
        ("-5", 0.0),
        ("soon", 0.25),
    ],
)
def test_poll_after_hint_is_capped_and_checked(header: str | None, expected: float) -> None:
    headers = {} if header is None else {"openai-poll-after-ms": header}
    assert _poll_wait(httpx.Response(200, headers=headers), 0.25) == expected


def test_server_run_ids_are_percent_encoded_not_refused(server: LocalServer) -> None:
    server.inject(Fault("patch", patch={"id": "run odd/id?#%"}))
    with pytest.raises(APIStatusError) as info:
        oaii.runs_create_run_and_poll(
            "thread_sid", "asst_1", api_key=KEY, base_url=server.url, poll_interval=0, max_retries=0
        )
    assert info.value.status_code == 404  # the server's own answer, not an InputError
    assert not isinstance(info.value, InputError)
    assert server.requests[-1].path.endswith("/runs/run%20odd%2Fid%3F%23%25")


def test_absurd_server_run_id_is_a_parse_error(server: LocalServer) -> None:
    server.inject(Fault("patch", patch={"id": "run_" + "x" * 5000}))
    with pytest.raises(ResponseParseError, match="id"):
        oaii.runs_create_run_and_poll(
            "thread_sid2", "asst_1", api_key=KEY, base_url=server.url, poll_interval=0
        )


# ------------------------------------------------------------------ redirects


def test_same_origin_307_is_followed_with_the_same_body(server: LocalServer) -> None:
    server.inject(Fault("status", 307, headers={"Location": "/v1/threads/thread_moved/runs"}))
    run = create(server, instructions="hello")
    assert run.thread_id == "thread_moved"
    first, second = server.requests[-2], server.requests[-1]
    assert first.body == second.body and second.method == "POST"


def test_redirect_loop_ends(server: LocalServer) -> None:
    server.inject(*[Fault("status", 308, headers={"Location": "/v1/threads/thread_e/runs"})] * 10)
    with pytest.raises(APIStatusError) as info:
        create(server)
    assert info.value.status_code == 308 and len(server.requests) == 6


# ------------------------------------------------------------------- settings


USERINFO = "must not hold a user name or password (user:pass@); use api_key"
QUERY = "must not have a query (?...) or a fragment (#...)"
SPACE = "must not contain whitespace or control characters"


@pytest.mark.parametrize(
    ("base_url", "rule"),
    [
        ("http://user:s3cretpass@127.0.0.1:1/v1", USERINFO),
        ("http://:s3cretpass@127.0.0.1:1/v1", USERINFO),
        ("http://127.0.0.1:1/v1?s3cretpass=1", QUERY),
        ("http://127.0.0.1:1/v1#s3cretpass", QUERY),
        ("http://127.0.0.1:1/v1?", QUERY),  # an empty query: httpx's URL shows none
        (" http://127.0.0.1:1/v1", SPACE),
        ("http://127.0.0.1:1/v1 ", SPACE),
        ("http://127.0.0.1:1/v\n1", SPACE),
        ("http://127.0.0.1:1/v\x7f1", "is not a valid URL"),
        ("ftp://127.0.0.1:1/v1", "must be an http(s) URL with a host, got scheme 'ftp'"),
        ("http:///v1", "must be an http(s) URL with a host, got scheme 'http'"),
        (5, "must be a string URL, got int"),
    ],
)
def test_base_url_with_userinfo_query_fragment_or_space_is_refused(base_url: object, rule: str) -> None:
    with pytest.raises(InputError) as info:
        oaii.runs_create_run_request("thread_1", "asst_1", api_key=KEY, base_url=base_url)
    assert (info.value.argument, info.value.rule) == ("base_url", rule)
    assert "s3cretpass" not in str(info.value) and "s3cretpass" not in repr(info.value)


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"timeout": float("nan")}, "timeout"),
        ({"timeout": -1}, "timeout"),
        ({"timeout": httpx.Timeout(float("nan"))}, "timeout.connect"),
        ({"total_timeout": float("nan")}, "total_timeout"),
        ({"total_timeout": float("inf")}, "total_timeout"),
        ({"total_timeout": 0}, "total_timeout"),
        ({"extra_headers": {"Bad Name": "x"}}, "extra_headers"),
        ({"extra_headers": {"X-A": "caf\u00e9"}}, "extra_headers"),
        ({"extra_headers": {"X-A": "a\r\nX-B: b"}}, "extra_headers"),
        ({"extra_headers": {"": "x"}}, "extra_headers"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({"idempotency_key": "k" * 256}, "idempotency_key"),
        ({"idempotency_key": "a\nb"}, "idempotency_key"),
        ({"max_response_bytes": 0}, "max_response_bytes"),
        ({"http_client": httpx.AsyncClient()}, "http_client"),
        ({"http_client": "client"}, "http_client"),
    ],
)
def test_odd_settings_are_refused_and_nothing_is_sent(
    server: LocalServer, options: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InputError) as info:
        create(server, **options)
    assert info.value.argument == argument
    assert not server.requests


def test_async_front_door_refuses_a_sync_http_client(server: LocalServer) -> None:
    import asyncio

    with pytest.raises(InputError, match=r"httpx\.AsyncClient"):
        asyncio.run(
            oaii.runs_create_run_request_async(
                "thread_1", "asst_1", api_key=KEY, base_url=server.url, http_client=httpx.Client()
            )
        )
    assert not server.requests


# ----------------------------------------------------------------- redaction


def test_no_frame_of_a_failure_holds_the_key_in_plain_form(server: LocalServer, monkeypatch: Any) -> None:
    monkeypatch.setenv("OAII_API_KEY", KEY)
    server.inject(Fault("reset"))
    with pytest.raises(APIConnectionError) as info:
        oaii.runs_create_run_request("thread_r", "asst_1", base_url=server.url, max_retries=0)
    error = info.value
    assert error.__context__ is None and error.__cause__ is None
    for frame, _ in traceback.walk_tb(error.__traceback__):
        for name, value in frame.f_locals.items():
            assert KEY not in repr(value), f"{frame.f_code.co_name}: local {name!r} shows the key"
    assert KEY not in "".join(traceback.format_exception(error))


# ------------------------------------------------------------ request target


@pytest.mark.parametrize("suffix", ["", "/caf\u00e9", "/a%zz", "/a|b", "/ok~!$'()*+,;=:@", "/sp%20ace"])
@pytest.mark.parametrize("is_async", [False, True])
def test_request_target_is_what_httpx_sends(server: LocalServer, suffix: str, is_async: bool) -> None:
    """oaii's own connections build the request target without httpx.URL when it is plain;
    whatever the base URL's path, the server sees the target httpx itself would send."""
    base = server.url + suffix
    httpx.post(f"{base}/threads/thread_t/runs", headers={"Authorization": f"Bearer {KEY}"}, content=b"{}")
    expected = server.requests[-1].path
    server.recorder.clear()
    options: dict[str, Any] = {"api_key": KEY, "base_url": base, "max_retries": 0}
    try:
        if is_async:
            asyncio.run(oaii.runs_create_run_request_async("thread_t", "asst_1", **options))
        else:
            oaii.runs_create_run_request("thread_t", "asst_1", **options)
    except APIStatusError as exc:
        assert suffix and exc.status_code == 404  # only the plain /v1 base is an API path
    assert [r.path for r in server.requests] == [expected]
    assert expected.endswith("/threads/thread_t/runs") and expected.isascii()
