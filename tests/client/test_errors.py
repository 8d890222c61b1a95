"""Every error path: the exception type, status_code and message_long, as the R package enriches them."""

from __future__ import annotations

import pytest
from oaii import APIConnectionError, APIStatusError, OaiiError, RetryPolicy, runs_create_run_request
from oaii.server import Fault, LocalServer

from .._rawserver import RawServer, send
from ..conftest import KEY


def test_404_unknown_assistant(opts: dict) -> None:
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "nope", **opts)
    err = info.value
    assert err.status_code == 404
    assert (
        err.message_long == "HTTP 404 Not Found, received error message: 'No assistant found with id 'nope'.'"
    )
    assert err.type == "invalid_request_error"
    assert err.request_id is not None and err.request_id.startswith("req_")


def test_400_second_active_run(opts: dict) -> None:
    first = runs_create_run_request("thread_busy", "asst_1", **opts)
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_busy", "asst_1", **opts)
    assert info.value.status_code == 400
    assert f"already has an active run {first.id}" in info.value.message_long


def test_401_says_where_the_key_came_from_not_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with LocalServer(create_missing=True, api_key="sk-right").start() as srv:
        with pytest.raises(APIStatusError) as info:
            runs_create_run_request("thread_1", "asst_1", base_url=srv.url, api_key=KEY)
        assert info.value.status_code == 401
        assert info.value.code == "invalid_api_key"
        assert "the api_key argument" in info.value.message_long
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        with pytest.raises(APIStatusError) as info:
            runs_create_run_request("thread_1", "asst_1", base_url=srv.url)
        assert "the environment variable OPENAI_API_KEY" in info.value.message_long
        assert KEY not in info.value.message_long and KEY not in repr(info.value)


def test_400_invalid_beta_has_a_hint(opts: dict) -> None:
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", extra_headers={"OpenAI-Beta": "assistants=v1"}, **opts)
    assert info.value.status_code == 400
    assert info.value.code == "invalid_beta"
    assert info.value.message_long.endswith(
        "; oaii sends 'OpenAI-Beta: assistants=v2'; a v1-only server needs extra_headers to override it"
    )


def test_404_from_api_openai_com_explains_the_shutdown() -> None:
    """The real host is never contacted: the answer comes from a local transport in its place."""
    import httpx
    from oaii._errors import SHUTDOWN_HINT, status_error

    request = httpx.Request("POST", "https://api.openai.com/v1/threads/t/runs")
    response = httpx.Response(404, json={"error": {"message": "Invalid URL"}}, request=request)
    err = status_error(
        response, response.content, url=str(request.url), secret=KEY, key_source="x", attempts=1
    )
    assert SHUTDOWN_HINT in err.message_long
    assert err.message_long.startswith("HTTP 404 Not Found, received error message: 'Invalid URL'")


def test_shutdown_hint_end_to_end_via_proxy_host(server: LocalServer) -> None:
    """api.openai.com resolved to the local server through an httpx mount: loopback only."""
    import httpx

    transport = httpx.HTTPTransport()

    class ToLocal(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            local = httpx.URL(server.url)
            request.url = request.url.copy_with(
                scheme="http", host=local.host, port=local.port, path="/gone" + request.url.path
            )
            return transport.handle_request(request)

    with httpx.Client(transport=ToLocal()) as client, pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", api_key=KEY, http_client=client)
    assert info.value.status_code == 404
    assert "shut down on 2026-08-26" in info.value.message_long


def test_non_openai_error_body_is_shown_as_content(server: LocalServer, opts: dict) -> None:
    server.inject(Fault(status=418, body=b"I am a teapot", headers={"Content-Type": "text/plain"}))
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", **opts)
    assert info.value.message_long == "HTTP 418 I'm a Teapot, content: 'I am a teapot'"
    assert info.value.body == "I am a teapot"


def test_long_bodies_are_trimmed(server: LocalServer, opts: dict) -> None:
    server.inject(Fault(status=400, body=b"x" * 5000, headers={"Content-Type": "text/plain"}))
    with pytest.raises(OaiiError) as info:
        runs_create_run_request("thread_1", "asst_1", **opts)
    assert len(info.value.message_long) < 700
    assert "(5000 chars)" in info.value.message_long
    assert info.value.body is not None and len(info.value.body) == 5000


def test_redirect_is_not_followed_and_explained(server: LocalServer, opts: dict) -> None:
    server.inject(
        Fault(status=308, headers={"Location": "https://assistants.example/v1/threads/thread_1/runs"})
    )
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", **opts)
    assert info.value.status_code == 308
    assert (
        "the server redirects to https://assistants.example/v1/threads/thread_1/runs"
        in info.value.message_long
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("status", "headers", "hinted"),
    [
        (300, {"Location": "https://elsewhere.example/v1"}, True),
        (399, {"Location": "https://elsewhere.example/v1"}, True),
        (300, {}, False),  # no Location: nowhere to point at
        (400, {"Location": "https://elsewhere.example/v1"}, False),  # not a redirect
        (299, {"Location": "https://elsewhere.example/v1"}, False),
    ],
)
def test_the_redirect_hint_only_for_a_3xx_with_a_location(
    server: LocalServer, opts: dict, status: int, headers: dict[str, str], hinted: bool
) -> None:
    server.inject(Fault(status=status, body=b'{"error": {"message": "m"}}', headers=headers))
    with pytest.raises(OaiiError) as info:
        runs_create_run_request("thread_1", "asst_1", max_retries=0, **opts)
    hint = "; the server redirects to https://elsewhere.example/v1; point base_url there"
    assert info.value.message_long.endswith(hint) is hinted
    assert "redirects" in info.value.message_long if hinted else "redirects" not in info.value.message_long


@pytest.mark.parametrize(("size", "cut"), [(500, False), (501, True)])
def test_a_body_is_shown_whole_up_to_500_characters(
    server: LocalServer, opts: dict, size: int, cut: bool
) -> None:
    body = b"x" * size
    server.inject(Fault(status=400, body=body, headers={"Content-Type": "text/plain"}))
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", max_retries=0, **opts)
    shown = f"'{'x' * 500}... ({size} chars)'" if cut else f"'{'x' * 500}'"
    assert info.value.message_long == f"HTTP 400 Bad Request, content: {shown}"


@pytest.mark.parametrize(("size", "cut"), [(65536, False), (65537, True)])
def test_a_body_is_read_whole_for_its_text_up_to_64_kib(
    server: LocalServer, opts: dict, size: int, cut: bool
) -> None:
    """Only the first 64 KiB (65,536 characters) are scanned; a longer body is marked as cut even
    when what is shown is short (here: one word, then spaces)."""
    server.inject(Fault(status=400, body=b"oops".ljust(size), headers={"Content-Type": "text/plain"}))
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", max_retries=0, **opts)
    shown = f"'oops... ({size} chars)'" if cut else "'oops'"
    assert info.value.message_long == f"HTTP 400 Bad Request, content: {shown}"


@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2)])
def test_a_connection_error_counts_its_attempts(max_retries: int, attempts: int) -> None:
    policy = RetryPolicy(max_retries=max_retries, backoff_base=0.001, backoff_max=0.01)
    with RawServer(*[send(b"", then="rst")] * attempts) as server, pytest.raises(APIConnectionError) as info:
        url = server.url
        runs_create_run_request("thread_1", "asst_1", api_key=KEY, base_url=url, max_retries=policy)
    assert info.value.attempts == attempts
    assert info.value.message == f"request to {url}/threads/thread_1/runs failed"
    assert info.value.message_long.endswith(f"; gave up after {attempts} attempts") is (attempts > 1)


def test_an_input_error_made_no_attempt(opts: dict) -> None:
    with pytest.raises(OaiiError) as info:
        runs_create_run_request("thread_1", "", **opts)
    assert (info.value.attempts, info.value.status_code) == (0, None)


def test_a_status_error_after_retries_says_how_many(server: LocalServer, opts: dict) -> None:
    policy = RetryPolicy(max_retries=1, backoff_base=0.001, backoff_max=0.01)
    server.inject(Fault(status=503, body=b"busy"), Fault(status=503, body=b"busy"))
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_1", "asst_1", max_retries=policy, **opts)
    assert info.value.attempts == 2
    assert (
        info.value.message_long == "HTTP 503 Service Unavailable, content: 'busy'; gave up after 2 attempts"
    )
