"""What an adversarial review broke, each pinned: hostile servers and odd settings end in OaiiError."""

from __future__ import annotations

import asyncio
import gzip
import os
import resource
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import oaii
import pytest
from oaii import APITimeoutError, InputError, MessageDeltaEvent, ResponseParseError, RetryPolicy
from oaii.server import Fault, LocalServer

from ..conftest import KEY


def create(server: LocalServer, thread: str = "thread_h", **options: Any) -> oaii.RunObject:
    return oaii.runs_create_run_request(thread, "asst_1", api_key=KEY, **{"base_url": server.url, **options})


# ------------------------------------------------------------- encodings


def test_nested_gzip_bomb_is_refused_at_the_cap(server: LocalServer) -> None:
    bomb = gzip.compress(gzip.compress(b"\0" * 200_000_000, 9), 9)  # a few KiB on the wire
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    server.inject(Fault("status", 200, body=bomb, headers={"Content-Encoding": "gzip, gzip"}))
    with pytest.raises(ResponseParseError, match="max_response_bytes"):
        create(server, max_response_bytes=1_000_000)
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 100


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip, gzip", "compress"])
def test_encodings_this_client_did_not_ask_for_are_a_parse_error(server: LocalServer, encoding: str) -> None:
    server.inject(Fault("status", 200, body=b"\x00\x01", headers={"Content-Encoding": encoding}))
    with pytest.raises(ResponseParseError, match="Content-Encoding"):
        create(server, max_retries=0)


def test_gzip_answer_is_read(server: LocalServer) -> None:
    run = create(server, "thread_g0")
    server.inject(
        Fault(
            "status",
            200,
            body=gzip.compress(httpx.Response(200, json=run.to_dict()).content),
            headers={"Content-Encoding": "gzip"},
        )
    )
    assert create(server, "thread_g1").id == run.id
    assert server.requests[-1].headers.get("Accept-Encoding") == "gzip, deflate"


# --------------------------------------------------- a server that drips its head


class _DripHead:
    """A raw server that sends a status line, then one header byte every 0.1 s, forever."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:  # the socket was closed: the test is over
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: ")
                while not self.stop.wait(0.1):
                    conn.sendall(b"a")
            except OSError:
                return


@pytest.fixture
def drip_head() -> Iterator[_DripHead]:
    server = _DripHead()
    yield server
    server.stop.set()
    server.sock.close()


def test_async_total_timeout_covers_a_dripped_head(drip_head: _DripHead) -> None:
    start = time.monotonic()
    with pytest.raises(APITimeoutError, match="total timeout"):
        asyncio.run(
            oaii.runs_create_run_request_async(
                "thread_d",
                "asst_1",
                api_key=KEY,
                base_url=drip_head.url,
                timeout=1,
                total_timeout=0.5,
                max_retries=0,
            )
        )
    assert time.monotonic() - start < 3


# --------------------------------------------------------------- clients


def test_async_client_moves_to_a_new_loop_once_the_old_one_closed(server: LocalServer) -> None:
    client = oaii.AsyncClient(api_key=KEY, base_url=server.url)
    first = asyncio.run(client.create_run("thread_l1", "asst_1"))
    second = asyncio.run(client.create_run("thread_l2", "asst_1"))  # a pytest-asyncio style second loop
    assert (first.thread_id, second.thread_id) == ("thread_l1", "thread_l2")


def test_closed_client_is_refused_not_reopened(server: LocalServer) -> None:
    client = oaii.Client(api_key=KEY, base_url=server.url)
    client.close()
    with pytest.raises(InputError, match="closed"):
        client.create_run("thread_c", "asst_1")
    assert not server.requests


def test_with_options_checks_names_and_keeps_the_environment_it_was_made_in(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAII_API_KEY", KEY)
    monkeypatch.setenv("OAII_BASE_URL", server.url)
    client = oaii.Client()
    with pytest.raises(InputError, match="'colour'"):
        client.with_options(colour="red")  # type: ignore[call-arg]
    monkeypatch.setenv("OAII_API_KEY", "sk-other")
    monkeypatch.setenv("OAII_BASE_URL", "http://127.0.0.1:9/v1")
    derived = client.with_options(timeout=5)
    assert derived.settings.base_url == server.url
    derived.create_run("thread_env", "asst_1")
    assert server.requests[-1].authorized_with(KEY)


def test_front_door_cache_does_not_confuse_true_with_one(server: LocalServer) -> None:
    create(server, "thread_v1", validate=True)
    with pytest.raises(InputError, match="'validate'"):
        create(server, "thread_v2", validate=1)


# --------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("options", "argument"),
    [
        ({"base_url": "http://xn--a.invalid/v1"}, "base_url"),
        ({"base_url": "http://" + "a" * 70 + ".com/v1"}, "base_url"),
        ({"extra_headers": {"Content-Length": "3"}}, "extra_headers"),
        ({"extra_headers": {"transfer-encoding": "chunked"}}, "extra_headers"),
        ({"extra_headers": {"Host": "elsewhere"}}, "extra_headers"),
        ({"extra_body": {"stream": True}}, "extra_body"),
        ({"extra_body": {"assistant_id": "asst_2"}}, "extra_body"),
    ],
)
def test_settings_that_would_break_the_exchange_are_refused(
    server: LocalServer, options: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InputError) as info:
        create(server, **options)
    assert info.value.argument == argument
    assert not server.requests


@pytest.mark.parametrize(
    "fields",
    [
        {"max_retry_after": float("inf")},
        {"backoff_max": float("inf")},
        {"backoff_base": float("nan")},
        {"max_retries": 1.5},
    ],
)
def test_retry_policy_refuses_infinite_or_fractional_values(fields: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        RetryPolicy(**fields)


@pytest.mark.parametrize(
    "retry_after", ["Mon, 01 Jan 99999999999 00:00:00 GMT", "1e400", "inf", "nan", "-1e400"]
)
def test_hostile_retry_after_ends_in_the_status_error(server: LocalServer, retry_after: str) -> None:
    server.inject(
        *[
            Fault(
                "status",
                429,
                body=b'{"error": {"message": "slow down"}}',
                headers={"Retry-After": retry_after},
            )
        ]
        * 2
    )
    with pytest.raises(oaii.APIStatusError) as info:
        create(server, max_retries=RetryPolicy(max_retries=1, backoff_base=0.001), total_timeout=5)
    assert info.value.status_code == 429


# --------------------------------------------------------------- streams


@pytest.mark.parametrize("run_id", [".", ".."])
def test_server_run_id_of_dots_is_a_parse_error(server: LocalServer, run_id: str) -> None:
    """A path step, however quoted: never polled."""
    server.inject(Fault("patch", patch={"id": run_id}))
    with pytest.raises(ResponseParseError) as info:
        oaii.runs_create_run_and_poll(
            "thread_dots", "asst_1", api_key=KEY, base_url=server.url, poll_interval=0
        )
    assert info.value.message == "the server's run id is unusable"
    assert info.value.message_long == (
        "the server answered a run whose id is empty, '.', '..' or over 256 characters"
    )
    assert [request.method for request in server.requests] == ["POST"]


def test_stream_in_another_charset_is_a_parse_error(server: LocalServer) -> None:
    body = b"event: thread.run.created\ndata: {}\n\n!"  # UTF-8, of odd length: not UTF-16 at all
    server.inject(
        Fault("status", 200, body=body, headers={"Content-Type": "text/event-stream; charset=utf-16"})
    )
    stream = oaii.runs_create_run_stream("thread_cs", "asst_1", api_key=KEY, base_url=server.url)
    with pytest.raises(ResponseParseError, match="not decodable text"):
        list(stream)


@pytest.mark.parametrize(
    "data",
    [
        {"delta": {"content": None}},
        {"delta": "x"},
        {"text": "hi"},
        {"delta": {"content": [{"type": "text", "text": {"value": 5}}]}},
        {"delta": {"content": [{"type": "text", "text": "plain"}]}},
        None,
        "text",
    ],
)
def test_message_delta_text_never_raises_on_server_data(data: Any) -> None:
    assert MessageDeltaEvent("thread.message.delta", data).text == ""


def test_front_door_pools_are_per_process_after_fork_in_a_thread(server: LocalServer) -> None:
    # A fork while another thread holds the default pool's lock must not deadlock the child.
    create(server, "thread_fk0")
    holder = threading.Thread(target=lambda: [create(server, f"thread_fk{i}") for i in range(1, 30)])
    holder.start()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if create(server, "thread_child").thread_id == "thread_child" else 1
        finally:
            os._exit(code)
    holder.join()
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
