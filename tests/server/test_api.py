"""The local server itself, spoken to with plain httpx: the API's answers and errors."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from oaii.server import LocalServer

from ..conftest import KEY

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}


@pytest.fixture
def http(server: LocalServer) -> httpx.Client:
    with httpx.Client(base_url=server.url) as client:
        yield client  # type: ignore[misc]


def error(response: httpx.Response) -> dict:
    body = response.json()
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


def test_create_and_get(http: httpx.Client) -> None:
    created = http.post(
        "/threads/thread_1/runs", json={"assistant_id": "asst_1", "model": "gpt-4o-mini"}, headers=HEADERS
    )
    assert created.status_code == 200
    run = created.json()
    assert run["object"] == "thread.run" and run["id"].startswith("run_") and run["model"] == "gpt-4o-mini"
    assert run["status"] == "queued" and run["required_action"] is None
    assert created.headers["openai-poll-after-ms"] == "10" and created.headers["x-request-id"].startswith(
        "req_"
    )
    got = http.get(f"/threads/thread_1/runs/{run['id']}", headers=HEADERS)
    assert got.json()["status"] == "in_progress"


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, None),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, None),
        ({"Authorization": f"Bearer {KEY}"}, 400, "invalid_beta"),
        ({"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v1"}, 400, "invalid_beta"),
    ],
)
def test_auth_and_beta_header(http: httpx.Client, headers: dict, status: int, code: str | None) -> None:
    response = http.post("/threads/thread_1/runs", json={"assistant_id": "asst_1"}, headers=headers)
    assert response.status_code == status
    assert error(response)["code"] == code


@pytest.mark.parametrize(
    ("content", "status", "param", "words"),
    [
        (b"{not json", 400, None, "could not parse the JSON body"),
        (b"[1, 2]", 400, None, "must be a JSON object"),
        (b'{"assistant_id": "asst_1", "colour": "red"}', 400, "colour", "Unrecognized request argument"),
        (b'{"assistant_id": "asst_1", "temperature": 9}', 400, "temperature", "maximum of 2"),
        (b'{"model": "gpt-4o"}', 400, "assistant_id", "required property"),
        (b'{"assistant_id": "someone"}', 404, None, "No assistant found with id 'someone'"),
    ],
)
def test_bad_bodies(http: httpx.Client, content: bytes, status: int, param: str | None, words: str) -> None:
    response = http.post(
        "/threads/thread_1/runs", content=content, headers={**HEADERS, "Content-Type": "application/json"}
    )
    assert response.status_code == status
    err = error(response)
    assert err["param"] == param and words in err["message"]


def test_routes(http: httpx.Client) -> None:
    assert (
        http.post("/threads/nope/runs", json={"assistant_id": "asst_1"}, headers=HEADERS).status_code == 404
    )
    assert http.get("/threads/thread_1/runs/run_x", headers=HEADERS).status_code == 404
    assert http.get("/files", headers=HEADERS).status_code == 404  # files are not served
    assert http.get("/vector_stores", headers=HEADERS).status_code == 404
    assert http.delete("/threads/thread_1/runs", headers=HEADERS).status_code == 405
    bad_include = http.post(
        "/threads/thread_1/runs", params={"include[]": "x"}, json={"assistant_id": "asst_1"}, headers=HEADERS
    )
    assert error(bad_include)["param"] == "include[]"


def test_one_write_per_response_with_nodelay(server: LocalServer) -> None:
    """A response arrives whole in one read: headers and body are not written apart."""
    body = b'{"assistant_id": "asst_1"}'
    head = (
        f"POST /v1/threads/thread_w/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
        f"OpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        data = sock.recv(65536)  # one read: what the server's single write delivered
    header, _, payload = data.partition(b"\r\n\r\n")
    assert header.startswith(b"HTTP/1.1 200 OK")
    length = next(
        int(line.split(b":")[1])
        for line in header.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    assert len(payload) == length, "the body came in a later segment than the headers"


# ------------------------------------------------------------------ HTTP edges

AUTH = f"Authorization: Bearer {KEY}\r\nOpenAI-Beta: assistants=v2\r\n"
CREATE = b'{"assistant_id": "asst_1"}'


def raw(server: LocalServer, data: bytes, *, timeout: float = 5.0, until_close: bool = True) -> bytes:
    """Send bytes on a fresh connection; what comes back until the server closes (or one read)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if not until_close:
                break
    return b"".join(chunks)


def post(path: str, body: bytes, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    ).encode() + body


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_head_has_headers_and_no_body(http: httpx.Client, server: LocalServer) -> None:
    run = http.post("/threads/thread_h/runs", json={"assistant_id": "asst_1"}, headers=HEADERS).json()
    got = http.get(f"/threads/thread_h/runs/{run['id']}", headers=HEADERS)
    head = raw(
        server,
        f"HEAD /v1/threads/thread_h/runs/{run['id']} HTTP/1.1\r\nHost: x\r\n{AUTH}Connection: close\r\n\r\n".encode(),
    )
    header, _, body = head.partition(b"\r\n\r\n")
    assert header.startswith(b"HTTP/1.1 200 OK") and body == b""
    assert f"content-length: {len(got.content)}".encode() in header.lower()


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/threads/thread_1/runs", "GET, HEAD, POST"),
        ("PUT", "/threads/thread_1/runs/run_1", "GET, HEAD, POST"),
        ("GET", "/threads/thread_1/runs/run_1/cancel", "POST"),
        ("PATCH", "/threads/thread_1/runs/run_1/submit_tool_outputs", "POST"),
    ],
)
def test_405_names_the_allowed_methods(http: httpx.Client, method: str, path: str, allow: str) -> None:
    response = http.request(method, path, headers=HEADERS)
    assert response.status_code == 405 and response.headers["allow"] == allow
    assert error(response)["type"] == "invalid_request_error"


def test_expect_100_continue(server: LocalServer) -> None:
    head = post("/v1/threads/thread_e/runs", b"", "Expect: 100-continue\r\n").replace(
        b"Content-Length: 0", f"Content-Length: {len(CREATE)}".encode()
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head)
        interim = sock.recv(65536)
        assert interim.startswith(b"HTTP/1.1 100 ")  # before the body was sent
        sock.sendall(CREATE)
        final = b""
        while b'"thread.run"' not in final:
            chunk = sock.recv(65536)
            assert chunk
            final += chunk
    assert b"HTTP/1.1 200 OK" in final


def test_chunked_request_body_gets_one_response(server: LocalServer) -> None:
    body = CREATE
    chunked = (
        f"{len(body[:5]):x}\r\n".encode()
        + body[:5]
        + b"\r\n"
        + f"{len(body[5:]):x}\r\n".encode()
        + body[5:]
        + b"\r\n0\r\n\r\n"
    )
    request = (
        f"POST /v1/threads/thread_c/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Transfer-Encoding: chunked\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + chunked
    response = raw(server, request)
    assert response.count(b"HTTP/1.1 ") == 1 and status_of(response) == 200
    assert server.requests[-1].json() == {"assistant_id": "asst_1"}


@pytest.mark.parametrize(
    "lengths",
    [["abc"], ["-1"], ["26", "26"], ["26", "27"], ["26, 27"]],
    ids=["not a number", "negative", "repeated", "conflicting", "list"],
)
def test_bad_content_length_is_400(server: LocalServer, lengths: list[str]) -> None:
    fields = "".join(f"Content-Length: {n}\r\n" for n in lengths)
    request = f"POST /v1/threads/thread_l/runs HTTP/1.1\r\nHost: x\r\n{AUTH}{fields}\r\n".encode() + CREATE
    response = raw(server, request)
    assert status_of(response) == 400 and b"Malformed HTTP request" in response
    assert len(server.requests) == 0


def test_body_shorter_than_content_length_times_out_with_408() -> None:
    with LocalServer(create_missing=True, read_timeout=0.2) as server:
        request = f"POST /v1/threads/thread_t/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Length: 100\r\n\r\n".encode()
        response = raw(server, request + CREATE)
    assert status_of(response) == 408


def test_headers_too_large_is_431(server: LocalServer) -> None:
    request = f"GET /v1/threads/thread_1/runs HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * 20_000}\r\n\r\n".encode()
    assert status_of(raw(server, request)) == 431


def test_body_too_large_is_413_before_it_is_read() -> None:
    with LocalServer(create_missing=True, max_body_bytes=1000) as server:
        head = (
            f"POST /v1/threads/thread_b/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Length: 100000000\r\n\r\n"
        )
        response = raw(server, head.encode())  # the 100 MB body is never sent: the answer comes first
        assert status_of(response) == 413
        chunked = (
            f"POST /v1/threads/thread_b/runs HTTP/1.1\r\nHost: x\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n"
        )
        big = b"800\r\n" + b"x" * 0x800 + b"\r\n"
        assert status_of(raw(server, chunked.encode() + big)) == 413
        assert len(server.requests) == 0


def test_idle_connection_is_closed() -> None:
    with (
        LocalServer(create_missing=True, idle_timeout=0.2) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock,
    ):
        assert sock.recv(1) == b""  # closed by the server, without a word


def test_connections_are_bounded() -> None:
    with LocalServer(create_missing=True, max_connections=2) as server:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
        try:
            for sock in held:  # both are served
                sock.sendall(f"GET /v1/threads/thread_1/runs HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n".encode())
                assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            third = raw(server, b"")
            assert status_of(third) == 503 and b"Too many connections" in third
        finally:
            for sock in held:
                sock.close()


def test_keep_alive_serves_many_requests_on_one_connection(server: LocalServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for index in range(3):
            sock.sendall(
                post(f"/v1/threads/thread_k{index}/runs", CREATE).replace(b"Connection: close\r\n", b"")
            )
            answer = sock.recv(65536)
            assert answer.startswith(b"HTTP/1.1 200 OK") and b'"thread.run"' in answer


# ------------------------------------------------------------------ lifecycle


def create(http: httpx.Client, thread: str, **body: object) -> dict:
    response = http.post(f"/threads/{thread}/runs", json={"assistant_id": "asst_1", **body}, headers=HEADERS)
    assert response.status_code == 200, response.text
    return response.json()


def get(http: httpx.Client, run: dict) -> dict:
    return http.get(f"/threads/{run['thread_id']}/runs/{run['id']}", headers=HEADERS).json()


FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather"}}


def test_submit_tool_outputs_finishes_the_run(http: httpx.Client) -> None:
    run = create(http, "thread_st", tools=[FUNCTION_TOOL])
    assert get(http, run)["status"] == "in_progress"
    waiting = get(http, run)
    assert waiting["status"] == "requires_action"
    call = waiting["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    url = f"/threads/thread_st/runs/{run['id']}/submit_tool_outputs"
    wrong = http.post(
        url, json={"tool_outputs": [{"tool_call_id": "call_other", "output": "x"}]}, headers=HEADERS
    )
    assert wrong.status_code == 400 and call["id"] in error(wrong)["message"]
    taken = http.post(
        url, json={"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}]}, headers=HEADERS
    )
    assert taken.status_code == 200 and taken.json()["status"] == "in_progress"
    assert taken.json()["required_action"] is None
    done = get(http, run)
    assert done["status"] == "completed" and done["usage"]["total_tokens"] > 0
    again = http.post(url, json={"tool_outputs": [{"tool_call_id": call["id"]}]}, headers=HEADERS)
    assert again.status_code == 400 and 'status "completed"' in error(again)["message"]
    create(http, "thread_st")  # the thread is free again


def test_cancel_goes_through_cancelling(http: httpx.Client) -> None:
    run = create(http, "thread_cx")
    cancelled = http.post(f"/threads/thread_cx/runs/{run['id']}/cancel", headers=HEADERS)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelling"
    final = get(http, run)
    assert final["status"] == "cancelled" and isinstance(final["cancelled_at"], int)
    twice = http.post(f"/threads/thread_cx/runs/{run['id']}/cancel", headers=HEADERS)
    assert twice.status_code == 400 and "Cannot cancel run with status 'cancelled'" in error(twice)["message"]
    create(http, "thread_cx")


def test_runs_expire() -> None:
    with (
        LocalServer(create_missing=True, run_expiry=0.2) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        run = create(http, "thread_x", tools=[FUNCTION_TOOL])
        get(http, run), get(http, run)  # requires_action, waiting for outputs that never come
        blocked = http.post("/threads/thread_x/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
        assert blocked.status_code == 400
        deadline = time.monotonic() + 5
        while get(http, run)["status"] != "expired":  # poll: the expiry is the server's clock
            assert time.monotonic() < deadline
        create(http, "thread_x")


def test_second_active_run_is_refused_as_the_api_did(http: httpx.Client) -> None:
    first = create(http, "thread_two")
    second = http.post("/threads/thread_two/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
    assert second.status_code == 400
    assert second.json() == {
        "error": {
            "message": f"Thread thread_two already has an active run {first['id']}.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }


def finish(http: httpx.Client, run: dict) -> None:
    while get(http, run)["status"] != "completed":
        pass


def test_list_runs_pages(http: httpx.Client) -> None:
    ids = []
    for _ in range(5):
        run = create(http, "thread_ls")
        finish(http, run)
        ids.append(run["id"])
    page = http.get("/threads/thread_ls/runs", params={"limit": 2}, headers=HEADERS).json()
    assert page["object"] == "list" and [r["id"] for r in page["data"]] == ids[::-1][:2]
    assert page["has_more"] is True and page["first_id"] == ids[4] and page["last_id"] == ids[3]
    rest = http.get("/threads/thread_ls/runs", params={"after": page["last_id"]}, headers=HEADERS).json()
    assert [r["id"] for r in rest["data"]] == ids[::-1][2:] and rest["has_more"] is False
    asc = http.get("/threads/thread_ls/runs", params={"order": "asc", "limit": 3}, headers=HEADERS).json()
    assert [r["id"] for r in asc["data"]] == ids[:3]
    before = http.get("/threads/thread_ls/runs", params={"order": "asc", "before": ids[3]}, headers=HEADERS)
    assert [r["id"] for r in before.json()["data"]] == ids[:3]
    empty = http.get("/threads/thread_none/runs", headers=HEADERS).json()
    assert empty["data"] == [] and empty["has_more"] is False


# ----------------------------------------------------------------- idempotency


def test_same_key_same_body_returns_the_original_run(http: httpx.Client, server: LocalServer) -> None:
    headers = {**HEADERS, "Idempotency-Key": "key-1"}
    first = http.post("/threads/thread_i/runs", json={"assistant_id": "asst_1"}, headers=headers)
    finish(http, first.json())  # even once finished, the key gives it back: no second run
    again = http.post("/threads/thread_i/runs", json={"assistant_id": "asst_1"}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    listed = http.get("/threads/thread_i/runs", headers=HEADERS).json()["data"]
    assert [r["id"] for r in listed] == [first.json()["id"]]


def test_same_key_other_body_is_400(http: httpx.Client) -> None:
    headers = {**HEADERS, "Idempotency-Key": "key-2"}
    http.post("/threads/thread_j/runs", json={"assistant_id": "asst_1"}, headers=headers)
    other = http.post("/threads/thread_j/runs", json={"assistant_id": "asst_2"}, headers=headers)
    assert other.status_code == 400
    err = error(other)
    assert err["type"] == "idempotency_error" and "same parameters" in err["message"]


@pytest.mark.parametrize("keep_bytes", [True, False], ids=["bodies-as-sent", "bodies-as-digests"])
def test_same_key_json_equal_body_returns_the_original_run(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch, keep_bytes: bool
) -> None:
    from oaii.server import _idempotency

    if not keep_bytes:  # past the budget of bodies kept as sent, only their digests are
        monkeypatch.setattr(_idempotency, "MAX_RAW_BYTES", 0)
    key = f"key-eq-{keep_bytes}"
    headers = {**HEADERS, "Idempotency-Key": key, "Content-Type": "application/json"}
    thread = f"/threads/thread_eq{keep_bytes}/runs"
    first = http.post(
        thread, content=b'{"assistant_id": "asst_1", "metadata": {"a": "1", "b": "2"}}', headers=headers
    )
    reordered = b'{ "metadata":{"b":"2","a":"1"},\n "assistant_id":"asst_1" }'
    again = http.post(thread, content=reordered, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = http.post(thread, content=b'{"assistant_id": "asst_1", "metadata": {"a": "2"}}', headers=headers)
    assert other.status_code == 400 and error(other)["type"] == "idempotency_error"
    elsewhere = http.post(
        thread + "?include[]=step_details.tool_calls[*].file_search.results[*].content",
        content=reordered,
        headers=headers,
    )
    assert elsewhere.status_code == 400 and error(elsewhere)["type"] == "idempotency_error"


def test_replayed_stream_gets_the_run_as_it_is(http: httpx.Client) -> None:
    headers = {**HEADERS, "Idempotency-Key": "key-s"}
    body = {"assistant_id": "asst_1", "stream": True}
    first = http.post("/threads/thread_rs/runs", json=body, headers=headers)
    assert first.text.count("event: ") > 10
    again = http.post("/threads/thread_rs/runs", json=body, headers=headers)
    assert again.headers["content-type"].startswith("text/event-stream")
    assert again.text.split("\n\n")[0].startswith("event: thread.run.completed")
    assert again.text.count("event: ") == 2


def test_server_may_ignore_the_key() -> None:
    with (
        LocalServer(create_missing=True, idempotency=False) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        headers = {**HEADERS, "Idempotency-Key": "key-3"}
        first = http.post("/threads/thread_n/runs", json={"assistant_id": "asst_1"}, headers=headers).json()
        again = http.post("/threads/thread_n/runs", json={"assistant_id": "asst_1"}, headers=headers)
        assert again.status_code == 400 and first["id"] in error(again)["message"]


def test_drop_response_creates_the_run_and_answers_nothing(server: LocalServer, http: httpx.Client) -> None:
    from oaii.server import Fault

    server.inject(Fault("drop_response"))
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/threads/thread_d/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
    listed = http.get("/threads/thread_d/runs", headers=HEADERS).json()["data"]
    assert len(listed) == 1 and listed[0]["status"] == "queued"


def test_idempotency_keys_are_bounded() -> None:
    with (
        LocalServer(create_missing=True, max_idempotency_keys=3) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        for index in range(10):
            headers = {**HEADERS, "Idempotency-Key": f"k{index}"}
            http.post(f"/threads/thread_{index}/runs", json={"assistant_id": "asst_1"}, headers=headers)
        assert len(server.idempotency_keys) == 3
        # the bodies kept as sent are counted, and uncounted as their keys go
        assert server.idempotency_keys._raw_bytes == 3 * len(server.requests[-1].body)


# ---------------------------------------------------------------------- bounds


def test_finished_runs_are_evicted_past_the_cap() -> None:
    with LocalServer(create_missing=True, max_runs=5) as server, httpx.Client(base_url=server.url) as http:
        active = create(http, "thread_keep")
        for index in range(20):
            finish(http, create(http, f"thread_e{index}"))
        assert len(server.store.runs) <= 5
        assert get(http, active)["id"] == active["id"]  # an active run is kept


def test_recorded_requests_are_bounded_by_count_and_bytes() -> None:
    with (
        LocalServer(create_missing=True, max_recorded=50, max_recorded_bytes=20_000) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        for index in range(60):
            http.post(f"/threads/thread_{index}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS)
        assert len(server.requests) == 50
        http.post(
            "/threads/thread_big/runs",
            json={"assistant_id": "asst_1", "instructions": "x" * 15_000},
            headers=HEADERS,
        )
        assert server.recorder.size_bytes <= 20_000 and len(server.requests) < 50
        assert server.requests[-1].path == "/v1/threads/thread_big/runs"


def test_recorded_authorization_is_redacted(http: httpx.Client, server: LocalServer) -> None:
    create(http, "thread_r")
    recorded = server.requests[-1]
    assert recorded.headers["Authorization"] == "Bearer [redacted]"
    assert KEY not in repr(recorded) and KEY not in repr(server.requests)
    assert recorded.authorized_with(KEY) and not recorded.authorized_with("sk-other")


def test_recorded_headers_keep_names_and_values_as_sent(http: httpx.Client, server: LocalServer) -> None:
    odd = [("X-Colon", "a:b: c"), ("X-Empty", ""), ("X-Dup", "1"), ("X-Dup", "2"), ("x-lower", "é")]
    http.get("/threads/thread_h/runs", headers=[*HEADERS.items(), *[(n, v.encode()) for n, v in odd]])
    headers = server.requests[-1].headers
    assert headers["X-Colon"] == "a:b: c" and headers["X-Empty"] == "" and headers["X-Dup"] == "2"
    assert headers["x-lower"] == "é".encode().decode("latin-1")  # bytes as latin-1, as before
    assert headers["Authorization"] == "Bearer [redacted]" and headers["OpenAI-Beta"] == "assistants=v2"


def test_ipv6_loopback() -> None:
    try:
        server = LocalServer(create_missing=True, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server, httpx.Client(base_url=server.url) as http:
        assert server.url.startswith("http://[::1]:") and server.url.endswith("/v1")
        assert create(http, "thread_6")["status"] == "queued"


def test_pipelined_requests_are_answered_in_order(server: LocalServer) -> None:
    one = post("/v1/threads/thread_p1/runs", CREATE).replace(b"Connection: close\r\n", b"")
    two = post("/v1/threads/thread_p2/runs", CREATE)
    response = raw(server, one + two)
    assert response.count(b"HTTP/1.1 200 OK") == 2
    assert response.index(b"thread_p1") < response.index(b"thread_p2")


def test_a_head_sent_a_byte_at_a_time_is_parsed(server: LocalServer) -> None:
    request = post("/v1/threads/thread_slow/runs", CREATE)
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for index in range(len(request)):
            sock.send(request[index : index + 1])
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 OK")
