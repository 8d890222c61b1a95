"""The createRun fast path (issue 11) does what the plain path did, over loopback.

A new run's JSON comes from a template, accepted bodies are remembered by their
bytes, idempotency keys expire by a horizon, and past the hard cap one eviction is
a call's work.  Each shortcut is checked here against what it replaced: the
encoder's own text, jsonschema's verdict, the TTL, the bounds.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from oaii.server import LocalServer, _runs, _schema

from ..conftest import KEY, skip_unless_run_template, skip_unless_spec, spec_has

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
_serial = iter(range(10**9))

BODIES: list[dict[str, Any]] = [
    {"assistant_id": "asst_1"},
    {"assistant_id": 'asst_é "quoted" \\ \u2028 \U0001f600', "instructions": "", "metadata": {}},
    {"assistant_id": "asst_1", "model": "", "tools": [], "instructions": None},
    {
        "assistant_id": "asst_1",
        "model": "gpt-4o-mini",
        "instructions": "Be brief.\n\ttabbed \x01",
        "additional_instructions": "And kind ünïcode.",
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        "metadata": {"k": "v", "ключ": "значение"},
        "temperature": 0.1,
        "top_p": 1,
        "max_prompt_tokens": 256,
        "max_completion_tokens": 1024,
        "truncation_strategy": {"type": "last_messages", "last_messages": 3},
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "parallel_tool_calls": False,
        "response_format": {"type": "json_object"},
    },
    {"assistant_id": "asst_1", "temperature": 2, "top_p": 1e-05, "tool_choice": "required"},
    {
        "assistant_id": "asst_1",
        "temperature": None,
        "top_p": None,
        "tool_choice": None,
        "response_format": None,
    },
    {"assistant_id": "asst_1", "parallel_tool_calls": True, "response_format": "auto", "tool_choice": "none"},
    {"assistant_id": "asst_1", "truncation_strategy": {"type": "auto", "last_messages": None}},
]


@pytest.fixture(scope="module")
def live() -> Iterator[LocalServer]:
    with LocalServer(create_missing=True) as server:
        yield server


@pytest.fixture
def http(live: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url) as client:
        yield client


def fresh() -> str:
    return f"thread_fp{next(_serial)}"


def test_the_template_is_in_use(http: httpx.Client) -> None:
    # Else every run would silently take the slower path and the tests below prove less.
    skip_unless_run_template()
    assert http.post(f"/threads/{fresh()}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS).is_success
    assert _runs._RUN_SHAPE is False and _runs._TEMPLATE is True


@pytest.mark.parametrize("body", BODIES)
def test_a_new_runs_json_is_the_encoders_own(http: httpx.Client, body: dict[str, Any]) -> None:
    skip_unless_spec(*body)
    thread = fresh()
    created = http.post(f"/threads/{thread}/runs", json=body, headers=HEADERS)
    assert created.status_code == 200, created.text
    text = created.content
    run = json.loads(text)
    assert text == json.dumps(run).encode()  # json's own text, spacing and escapes included
    # The stored run, encoded by the encoder when listed, is the same text to the byte.
    page = http.get(f"/threads/{thread}/runs", headers=HEADERS)
    assert page.status_code == 200 and text in page.content
    assert run["status"] == "queued" and run["thread_id"] == thread


def test_an_accepted_body_is_accepted_again_and_a_refused_one_refused_again(
    http: httpx.Client, live: LocalServer
) -> None:
    good = b'{"assistant_id": "asst_1", "metadata": {"same": "bytes"}}'
    bad = b'{"assistant_id": "asst_1", "temperature": "hot"}'
    headers = {**HEADERS, "Content-Type": "application/json"}
    for _ in range(2):
        assert http.post(f"/threads/{fresh()}/runs", content=good, headers=headers).status_code == 200
        refused = http.post(f"/threads/{fresh()}/runs", content=bad, headers=headers)
        assert refused.status_code == 400 and refused.json()["error"]["param"] == "temperature"
    assert good in live.api.create_verdicts.accepted and bad not in live.api.create_verdicts.accepted


def test_remembered_bodies_are_bounded(live: LocalServer) -> None:
    big = json.dumps({"assistant_id": "asst_1", "instructions": "x" * _schema.MAX_VERDICT_BYTES}).encode()
    requests = [create(fresh(), json.dumps({"assistant_id": f"asst_{i}"}).encode()) for i in range(300)]
    requests.append(create(fresh(), big))
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as sock:
        sock.sendall(b"".join(requests))
        answers = b""
        while answers.count(b"HTTP/1.1 200 OK") < len(requests):
            chunk = sock.recv(1 << 20)
            assert chunk, answers[-300:]
            answers += chunk
    accepted = live.api.create_verdicts.accepted
    assert len(accepted) <= _schema.MAX_VERDICTS and big not in accepted
    assert json.dumps({"assistant_id": "asst_299"}).encode() in accepted  # the newest kept


def create(thread: str, body: bytes) -> bytes:
    return (
        f"POST /v1/threads/{thread}/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
        f"OpenAI-Beta: assistants=v2\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


@pytest.mark.parametrize(("ttl", "second"), [(0.0, 200), (3600.0, 400)])
def test_an_idempotency_key_is_forgotten_after_its_ttl(ttl: float, second: int) -> None:
    with (
        LocalServer(create_missing=True, idempotency_ttl=ttl) as server,
        httpx.Client(base_url=server.url) as http,
    ):
        headers = {**HEADERS, "Idempotency-Key": "k-ttl"}
        first = http.post("/threads/thread_t1/runs", json={"assistant_id": "asst_1"}, headers=headers)
        again = http.post("/threads/thread_t2/runs", json={"assistant_id": "asst_2"}, headers=headers)
        assert first.status_code == 200 and again.status_code == second
        if second == 200:  # a new run, not a replay
            assert again.json()["id"] != first.json()["id"] and "idempotent-replayed" not in again.headers
        assert len(server.idempotency_keys) == 1


def test_active_runs_past_the_hard_cap_keep_the_store_bounded_and_the_newest() -> None:
    with LocalServer(create_missing=True, max_runs=5) as server, httpx.Client(base_url=server.url) as http:
        ids = []
        for index in range(40):  # every run stays queued: none is ever finished
            made = http.post(
                f"/threads/thread_h{index}/runs", json={"assistant_id": "asst_1"}, headers=HEADERS
            )
            ids.append(made.json()["id"])
        assert len(server.store.runs) <= server.store.table.hard_cap == 15
        newest = http.get(f"/threads/thread_h39/runs/{ids[-1]}", headers=HEADERS)
        oldest = http.get(f"/threads/thread_h0/runs/{ids[0]}", headers=HEADERS)
        assert newest.status_code == 200 and oldest.status_code == 404
        assert len(server.store.table.threads) == len(server.store.runs) == len(server.store.table.order)


def test_every_authorization_header_is_redacted(live: LocalServer) -> None:
    head = (
        f"GET /v1/threads/{fresh()}/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-first-SECRET\r\n"
        f"OpenAI-Beta: assistants=v2\r\nauthorization: Bearer {KEY}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", live.port), timeout=5) as sock:
        sock.sendall(head.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK")
    recorded = live.requests[-1]
    shown = repr(recorded)
    assert "sk-first-SECRET" not in shown and KEY not in shown and shown.count("[redacted]") == 2
    assert recorded.authorized_with(KEY)  # the digest is the last one's, the one the API read


def test_a_checked_body_and_a_remembered_one_make_the_same_run() -> None:
    # The fast check writes nothing into a body (fastjsonschema's defaults would have made
    # temperature 1 on a checked body and 1.0 on a remembered one).
    with LocalServer(create_missing=True) as server, httpx.Client(base_url=server.url) as http:
        body = b'{"assistant_id": "asst_1", "metadata": {"twice": "yes"}}'
        headers = {**HEADERS, "Content-Type": "application/json"}
        first, second = (
            http.post(f"/threads/{fresh()}/runs", content=body, headers=headers) for _ in range(2)
        )
        assert body in server.api.create_verdicts.accepted
    one, two = first.json(), second.json()
    defaulted = ["temperature", "top_p"] if spec_has("response:top_p") else ["temperature"]
    for name in defaulted:
        assert f'"{name}": 1.0'.encode() in first.content and f'"{name}": 1.0'.encode() in second.content
    varying = {"id", "thread_id", "created_at", "expires_at"}
    assert {k: v for k, v in one.items() if k not in varying} == {
        k: v for k, v in two.items() if k not in varying
    }
