"""The model backend's direct path (oaii.server._backend_http): taken exactly where httpx
would connect directly (plain http, no proxy from the environment, NO_PROXY honoured),
httpx otherwise; and what only the direct path does (a stale kept-alive connection, a
content coding, a head too large).  The shared answer and failure tables run on both paths
in test_model_backend.py."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from oaii.server._model import Completion, ModelBackend, ModelConfig, ModelError, chat_request

from ._fake_backend import FakeBackend, Status, Text

RUN: dict[str, Any] = {"model": "gpt-4o", "instructions": "Be brief.", "tools": []}
USER = [{"role": "user", "content": "Hi"}]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def refused_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        yield sock.getsockname()[1]


def call(cfg: ModelConfig) -> tuple[bool, Completion | ModelError]:
    """Whether the direct path was taken, and the call's outcome."""
    backend = ModelBackend(cfg)

    async def go() -> tuple[bool, Completion | ModelError]:
        try:
            outcome: Completion | ModelError = await backend.complete(chat_request(cfg, RUN, USER))
        except ModelError as error:
            outcome = error
        direct = backend._direct is not None
        await backend.aclose()
        return direct, outcome

    return asyncio.run(go())


def test_no_proxy_means_the_direct_path(fake_backend: FakeBackend) -> None:
    direct, outcome = call(ModelConfig(fake_backend.url, timeout=2.0))
    assert direct and isinstance(outcome, Completion) and outcome.text == "Hello from the fake backend."


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_proxy_in_the_environment_means_httpx_and_the_proxy(
    fake_backend: FakeBackend, refused_port: int, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, f"http://127.0.0.1:{refused_port}")
    direct, outcome = call(ModelConfig(fake_backend.url, timeout=1.0, backoff=0.001, retries=1))
    assert not direct
    # httpx went to the proxy (which refuses), never to the backend itself
    assert isinstance(outcome, ModelError) and outcome.message.startswith("could not connect")
    assert fake_backend.requests == []


def test_no_proxy_excludes_the_backend_from_the_proxy(
    fake_backend: FakeBackend, refused_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{refused_port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct, outcome = call(ModelConfig(fake_backend.url, timeout=2.0))
    assert direct and isinstance(outcome, Completion)
    assert len(fake_backend.requests) == 1


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1:{port}/v1", "http://user:pw@127.0.0.1:{port}/v1"],
    ids=["https", "userinfo"],
)
def test_tls_and_userinfo_stay_with_httpx(refused_port: int, url: str) -> None:
    direct, outcome = call(ModelConfig(url.format(port=refused_port), timeout=0.5, backoff=0.001))
    assert not direct and isinstance(outcome, ModelError)


def test_a_content_coding_not_asked_for_is_refused(fake_backend: FakeBackend) -> None:
    """No Accept-Encoding is sent on the direct path; a body in a coding anyway is unreadable."""
    gzipped = Status(200, body=b"\x1f\x8b\x08\x00", headers=[("content-encoding", "gzip")])
    fake_backend.script(gzipped, gzipped, gzipped)
    direct, outcome = call(ModelConfig(fake_backend.url, timeout=2.0, backoff=0.001, retries=2))
    assert direct and isinstance(outcome, ModelError)
    assert "content coding ('gzip') that was not asked for" in outcome.message
    assert "accept-encoding" not in fake_backend.requests[0].headers


def test_a_head_too_large_is_refused() -> None:
    """A backend's endless headers are not kept: the connection is dropped at 64 KiB."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    seen: list[int] = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                sent = 0
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                    while sent < 64 << 20:
                        conn.sendall(b"x-filler: " + b"a" * 1000 + b"\r\n")
                        sent += 1012
                except OSError:
                    pass
                seen.append(sent)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        direct, outcome = call(
            ModelConfig(f"http://127.0.0.1:{port}/v1", timeout=5.0, backoff=0.001, retries=1)
        )
    finally:
        thread.join(10)
        listener.close()
    assert direct and isinstance(outcome, ModelError)
    assert "closed the connection before the answer was complete" in outcome.message
    assert len(seen) == 2 and all(s < 64 << 20 for s in seen)  # cut off, not read to the end


def test_a_kept_alive_connection_closed_by_the_backend_is_replaced(fake_backend: FakeBackend) -> None:
    """The backend closes the kept-alive connection between two calls: the second call
    goes out on a new one, without a failure or a retry."""
    fake_backend.script(Text("one"), Text("two"))
    cfg = ModelConfig(fake_backend.url, timeout=2.0, retries=0)
    backend = ModelBackend(cfg)

    async def go() -> list[str]:
        texts = [(await backend.complete(chat_request(cfg, RUN, USER))).text]
        assert backend._direct is not None and len(backend._direct.idle) == 1
        conn = backend._direct.idle[0]
        assert conn.transport is not None
        sock = conn.transport.get_extra_info("socket")
        # The peer side of the socket is the backend's; shutting ours for writing makes the
        # backend end its side (EOF), as a backend's idle timeout would.
        sock.shutdown(socket.SHUT_WR)
        for _ in range(200):
            if conn.lost:
                break
            await asyncio.sleep(0.01)
        texts.append((await backend.complete(chat_request(cfg, RUN, USER))).text)
        await backend.aclose()
        return texts

    assert asyncio.run(go()) == ["one", "two"]
    assert fake_backend.connections == 2


def test_an_interim_response_is_skipped() -> None:
    """A 103 before the answer (and a header repeated in it) does not end the call."""
    chunk = b'{"choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": "stop"}]}'
    body = b"data: " + chunk + b"\n\ndata: [DONE]\n\n"
    answer = (
        b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-seen: 1\r\nx-seen: 2\r\n"
        b"content-length: %d\r\n\r\n%s" % (len(body), body)
    )
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(answer)
            conn.recv(65536)  # until the caller closes

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        direct, outcome = call(ModelConfig(f"http://127.0.0.1:{port}/v1", timeout=5.0, retries=0))
    finally:
        thread.join(10)
        listener.close()
    assert direct and isinstance(outcome, Completion) and outcome.text == "hi"
