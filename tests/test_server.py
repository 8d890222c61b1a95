"""The local server itself, spoken to with plain httpx: the API's answers and errors."""

from __future__ import annotations

import socket

import httpx
import pytest
from oaii.server import LocalServer

from .conftest import KEY

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
    assert http.get("/assistants", headers=HEADERS).status_code == 404
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
