"""Error texts from hostile answers: linear, bounded, redacted whole before any cut; errors pickle."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from typing import Any

import httpx
import pytest
from oaii import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InputError,
    MissingApiKeyError,
    OaiiError,
    PollTimeoutError,
    ResponseParseError,
    StreamError,
    runs_create_run_request,
)
from oaii._errors import (
    BODY_PREVIEW_CHARS,
    REDACTED,
    SCAN_CHARS,
    describe_body,
    detach,
    redact,
    redact_headers,
)
from oaii._keys import ApiKey, HiddenStr, authorization
from oaii.server import Fault, LocalServer

from ..conftest import KEY


@pytest.fixture
def server(reused_server: LocalServer) -> LocalServer:
    return reused_server


def fragments(secret: str, size: int = 8) -> list[str]:
    """Every piece of ``secret`` of ``size`` characters: none may show anywhere."""
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


def assert_no_key(*texts: object) -> None:
    for text in texts:
        for piece in fragments(KEY):
            assert piece not in str(text), (piece, str(text)[:200])


def status_error_for(server: LocalServer, opts: dict[str, Any], fault: Fault) -> APIStatusError:
    server.inject(fault)
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_e", "asst_1", max_retries=0, **opts)
    return info.value


# ---------------------------------------------------------------- linear time


def test_pathological_html_page_is_described_correctly(server: LocalServer, opts: dict) -> None:
    """300 KB of unclosed <title tags: the old regex was quadratic (163 s for 280 KB)."""
    page = b"<!DOCTYPE html><html><head>" + b"<title" * 50_000
    assert len(page) > 300_000
    err = status_error_for(server, opts, Fault(status=502, body=page, headers={"Content-Type": "text/html"}))
    assert err.message_long.startswith(
        "HTTP 502 Bad Gateway, content: '<!DOCTYPE html><html><head><title<title"
    )
    assert f"({len(page)} chars)" in err.message_long
    assert "titled" not in err.message_long
    assert len(err.message_long) < BODY_PREVIEW_CHARS + 200
    assert err.body is not None and len(err.body) == len(page)


def test_title_found_before_a_flood_of_open_tags(server: LocalServer, opts: dict) -> None:
    page = b"<html><head><title>503 Service Unavailable</title>" + b"<title>x" * 40_000
    err = status_error_for(server, opts, Fault(status=503, body=page, headers={"Content-Type": "text/html"}))
    assert "HTML page titled '503 Service Unavailable'" in err.message_long


def test_title_beyond_the_scanned_prefix_is_not_looked_for() -> None:
    page = b"<html>" + b" " * SCAN_CHARS + b"<title>late</title></html>"
    assert "titled" not in describe_body(page, "text/html")


def test_deeply_nested_json_error_body(server: LocalServer, opts: dict) -> None:
    """json.loads raises RecursionError here, which is no ValueError."""
    body = b'{"error":' * 100_000 + b"1" + b"}" * 100_000
    err = status_error_for(
        server, opts, Fault(status=500, body=body, headers={"Content-Type": "application/json"})
    )
    assert err.status_code == 500
    assert err.message_long.startswith('HTTP 500 Internal Server Error, content: \'{"error":{"error":')


def test_huge_error_message_is_cut(server: LocalServer, opts: dict) -> None:
    body = json.dumps({"error": {"message": "boom " * 100_000, "code": "c" * 5000}}).encode()
    err = status_error_for(server, opts, Fault(status=400, body=body))
    assert err.message_long.startswith("HTTP 400 Bad Request, received error message: 'boom boom")
    assert len(err.message_long) < BODY_PREVIEW_CHARS + 200
    assert err.code is not None and len(err.code) < 300


# ------------------------------------------------------------------ redaction


@pytest.mark.parametrize("offset", [480, 495, 499, 500, 505])
def test_key_across_the_cut_is_redacted_whole(server: LocalServer, opts: dict, offset: int) -> None:
    body = ("a" * offset + KEY + "b" * 2000).encode()
    err = status_error_for(server, opts, Fault(status=400, body=body, headers={"Content-Type": "text/plain"}))
    assert_no_key(err.message_long, err.body, repr(err), str(err))
    assert err.body is not None and REDACTED in err.body


def test_key_across_the_cut_in_describe_body() -> None:
    body = ("a" * 495 + KEY).encode()
    assert_no_key(describe_body(body, "text/plain", secret=KEY))


def test_fields_and_headers_from_the_response_are_redacted(server: LocalServer, opts: dict) -> None:
    error = {"message": f"Bearer {KEY}", "code": f"bad_{KEY}", "param": KEY, "type": f"t {KEY}"}
    fault = Fault(
        status=307,
        body=json.dumps(error).join(['{"error":', "}"]).encode(),
        headers={"x-request-id": f"req_{KEY}", "Location": f"http://127.0.0.1:9/?key={KEY}"},
    )
    err = status_error_for(server, opts, fault)
    assert err.status_code == 307
    assert_no_key(err.message_long, err.code, err.param, err.type, err.request_id, err.body, repr(err))
    assert err.code == f"bad_{REDACTED}" and err.param == REDACTED
    assert err.request_id is not None and err.request_id.endswith(f"req_{REDACTED}")
    assert f"the server redirects to http://127.0.0.1:9/?key={REDACTED}" in err.message_long


def test_key_in_escaped_forms_is_redacted() -> None:
    key = 'sk-with/slash\\and"quote'
    for text in (json.dumps({"echo": key}), json.dumps(key).replace("/", "\\/"), repr(key), f"Bearer {key}"):
        assert "slash" not in redact(text, key), text
    assert redact(f"Authorization: Bearer {key}", key) == f"Authorization: Bearer {REDACTED}"


def test_connection_error_text_is_redacted_and_cut(server: LocalServer, opts: dict) -> None:
    from oaii._errors import connection_error

    err = connection_error(
        ValueError(f"header Bearer {KEY} " + "x" * 10_000), url="http://h", secret=KEY, attempts=1
    )
    assert_no_key(err.message_long)
    assert len(err.message_long) < BODY_PREVIEW_CHARS + 200


def test_helpers_keep_the_key_out_of_reprs_and_chains(server: LocalServer) -> None:
    header = authorization(ApiKey(KEY, "test"))
    headers = {"Authorization": header, "OpenAI-Beta": "assistants=v2"}
    assert_no_key(repr(headers), str(headers), repr(header))
    # ... and yet the header goes on the wire whole.
    with httpx.Client() as client:
        client.post(f"{server.url}/threads/thread_h/runs", headers=headers, json={"assistant_id": "asst_1"})
    assert server.requests[-1].authorized_with(KEY)
    assert isinstance(header, HiddenStr) and header == f"Bearer {KEY}"
    assert redact_headers({"Authorization": f"Bearer {KEY}", "X-Echo": KEY}, KEY) == {
        "Authorization": REDACTED,
        "X-Echo": REDACTED,
    }
    try:
        raise RuntimeError(f"Bearer {KEY}")
    except RuntimeError as exc:
        error = APIConnectionError("failed")
        error.__cause__ = exc
        error.__context__ = exc
    assert detach(error) is error
    assert error.__context__ is None and error.__cause__ is None and error.__suppress_context__


# ------------------------------------------------------------------- pickling


def same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b)
    assert str(a) == str(b) and repr(a) == repr(b)
    fields = {k: v for k, v in vars(a).items() if k != "run"}
    assert {k: v for k, v in vars(b).items() if k != "run"} == fields


def every_error(server: LocalServer, opts: dict) -> list[OaiiError]:
    from oaii import runs_create_run_and_poll

    errors: list[OaiiError] = [
        InputError("tools", "bad tool", path="tools[2].type"),
        MissingApiKeyError("the api_key argument"),
        APITimeoutError("timed out", message_long="timed out: ReadTimeout", attempts=3),
        StreamError("error event", message_long="error event, received error message: 'x'", code="c"),
    ]
    errors.append(status_error_for(server, opts, Fault(status=404, body=b'{"error": {"message": "gone"}}')))
    server.inject(Fault(status=200, body=b"OK", headers={"Content-Type": "text/plain"}))
    with pytest.raises(ResponseParseError) as parse:
        runs_create_run_request("thread_p", "asst_1", **opts)
    errors.append(parse.value)
    with pytest.raises(APIConnectionError) as refused:
        runs_create_run_request(
            "thread_c", "asst_1", base_url="http://127.0.0.1:9/v1", api_key=KEY, max_retries=0
        )
    errors.append(refused.value)
    with pytest.raises(PollTimeoutError) as poll:
        runs_create_run_and_poll("thread_t", "asst_1", poll_interval=0.01, poll_timeout=0.001, **opts)
    errors.append(poll.value)
    return errors


def test_every_exception_pickles_as_itself(server: LocalServer, opts: dict) -> None:
    for error in every_error(server, opts):
        copy = pickle.loads(pickle.dumps(error))
        same(error, copy)
        if isinstance(error, PollTimeoutError):
            assert isinstance(copy, PollTimeoutError)
            assert copy.run.to_dict() == error.run.to_dict()


def _refuse(value: int) -> int:
    if value == 3:
        raise InputError("temperature", f"{value} is not allowed", path="temperature")
    return value


def test_pool_map_reraises_an_input_error() -> None:
    """It hung forever: the worker's InputError could not be rebuilt in the parent."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        result = pool.map_async(_refuse, range(5))
        with pytest.raises(InputError) as info:
            result.get(timeout=60)
    assert info.value.argument == "temperature" and info.value.rule == "3 is not allowed"
    assert info.value.path == "temperature"


def test_longest_form_of_the_key_is_redacted_first(server: LocalServer) -> None:
    """A key ending in a backslash: JSON writes it with that backslash doubled, and the raw key is
    a prefix of that form.  Replaced first, the raw key would leave its escape behind."""
    key = "sk-ends-with-a-backslash-0123456789\\"
    body = json.dumps({"error": {"message": f"bad key {key}"}}).encode()
    err = status_error_for(server, {"api_key": key, "base_url": server.url}, Fault(status=401, body=body))
    assert err.body == '{"error": {"message": "bad key <redacted>"}}'
    assert "received error message: 'bad key <redacted>'" in err.message_long


@pytest.mark.parametrize(
    ("size", "parsed"),
    [(1024 * 1024, True), (1024 * 1024 + 1, False)],
    ids=["1MiB", "1MiB+1"],
)
def test_an_error_body_over_one_mebibyte_is_described_not_parsed(
    server: LocalServer, opts: dict, size: int, parsed: bool
) -> None:
    """An OpenAI error body is a few hundred bytes: one of up to 1 MiB (1,048,576 bytes) is
    parsed for its message; a larger one is only described, however well-formed."""
    head = b'{"error": {"message": "the message", "type": "t"}, "pad": "'
    body = head + b"x" * (size - len(head) - 2) + b'"}'
    assert len(body) == size
    err = status_error_for(server, opts, Fault(status=400, body=body))
    if parsed:
        assert err.message_long.startswith("HTTP 400 Bad Request, received error message: 'the message'")
        assert err.type == "t"
    else:
        assert err.message_long.startswith('HTTP 400 Bad Request, content: \'{"error": {"message"')
        assert err.type is None


@pytest.mark.parametrize(
    ("content_type", "body", "detail"),
    [
        (
            "text/html",
            b"<head><title>Bad gateway</title></head>",
            ", content: HTML page titled 'Bad gateway'",
        ),
        ("text/plain", b"  <!DOCTYPE html><title>Oops</title>", ", content: HTML page titled 'Oops'"),
        ("text/plain", b"<HTML><title>Up</title></HTML>", ", content: HTML page titled 'Up'"),
        ("text/plain", b"<title>Not a page</title>", ", content: '<title>Not a page</title>'"),
        ("text/html", b"<title>First</title>", ", content: HTML page titled 'First'"),
        ("text/html", b"<title></title>", ", content: '<title></title>'"),  # no title to show
        ("text/html", b"<title></title><p>x</p></title>", ", content: '<title></title><p>x</p></title>'"),
    ],
    ids=[
        "html-type",
        "doctype",
        "html-tag",
        "plain-text",
        "title-first",
        "empty-title",
        "empty-then-stray-close",
    ],
)
def test_an_html_page_is_named_by_its_title(
    server: LocalServer, opts: dict, content_type: str, body: bytes, detail: str
) -> None:
    """By its content type or by how it begins (a proxy's page is often served as text/plain)."""
    err = status_error_for(server, opts, Fault(status=502, body=body, headers={"Content-Type": content_type}))
    assert err.message_long.startswith("HTTP 502 Bad Gateway" + detail)


def test_a_json_escaped_echo_of_the_key_is_redacted_whole() -> None:
    key = 'sk-a"b\\c/d-0123456789'
    echoed = json.dumps({"message": f"bad key {key}"})
    assert redact(echoed, key) == '{"message": "bad key <redacted>"}'


def test_a_slash_escaped_echo_of_a_key_ending_in_a_backslash_is_redacted_whole() -> None:
    """Some JSON writers escape "/" as "\\/" (PHP's json_encode does).  The key's last backslash,
    doubled by JSON, must go with it: left behind, it would escape the closing quote."""
    key = "sk-a/b-0123456789\\"
    echoed = '{"message": "bad key sk-a\\/b-0123456789\\\\"}'
    assert redact(echoed, key) == '{"message": "bad key <redacted>"}'


def test_a_repr_echo_of_a_key_with_both_quotes_is_redacted_whole() -> None:
    """repr() escapes a single quote when the text holds both kinds: no JSON escape covers ``\\'``."""
    key = "sk-a'b\"c-0123456789"
    assert redact(f"key: {key!r}", key) == "key: '<redacted>'"
