"""A base_url that httpx would pass on wrapped or misread is an InputError, and nothing is sent.

Every public variant: sync and async, front door and client method, create /
stream / poll / get.  The "wrapped" ports point at a live raw server's port plus
65536, where the key went before: the server must see no connection at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import oaii
import pytest
from oaii import AsyncClient, Client, InputError

from .._rawserver import RawServer
from ..conftest import KEY

POLL = {"poll_interval": 0.0, "poll_timeout": 5.0}
SYNC: dict[str, Callable[[str], Any]] = {
    "front-create": lambda url: oaii.runs_create_run_request("thread_1", "asst_1", api_key=KEY, base_url=url),
    "front-stream": lambda url: oaii.runs_create_run_stream("thread_1", "asst_1", api_key=KEY, base_url=url),
    "front-poll": lambda url: oaii.runs_create_run_and_poll(
        "thread_1", "asst_1", api_key=KEY, base_url=url, **POLL
    ),
    "front-get": lambda url: oaii.runs_get_run("thread_1", "run_1", api_key=KEY, base_url=url),
    "client-create": lambda url: Client(api_key=KEY, base_url=url).create_run("thread_1", "asst_1"),
    "client-stream": lambda url: Client(api_key=KEY, base_url=url).stream_run("thread_1", "asst_1"),
    "client-poll": lambda url: Client(api_key=KEY, base_url=url).create_run_and_poll(
        "thread_1", "asst_1", **POLL
    ),
    "client-get": lambda url: Client(api_key=KEY, base_url=url).get_run("thread_1", "run_1"),
}
ASYNC: dict[str, Callable[[str], Any]] = {
    "async-front-create": lambda url: oaii.runs_create_run_request_async(
        "thread_1", "asst_1", api_key=KEY, base_url=url
    ),
    "async-front-stream": lambda url: oaii.runs_create_run_stream_async(
        "thread_1", "asst_1", api_key=KEY, base_url=url
    ),
    "async-front-poll": lambda url: oaii.runs_create_run_and_poll_async(
        "thread_1", "asst_1", api_key=KEY, base_url=url, **POLL
    ),
    "async-front-get": lambda url: oaii.runs_get_run_async("thread_1", "run_1", api_key=KEY, base_url=url),
    "async-client-create": lambda url: AsyncClient(api_key=KEY, base_url=url).create_run(
        "thread_1", "asst_1"
    ),
    "async-client-stream": lambda url: AsyncClient(api_key=KEY, base_url=url).stream_run(
        "thread_1", "asst_1"
    ),
    "async-client-poll": lambda url: AsyncClient(api_key=KEY, base_url=url).create_run_and_poll(
        "thread_1", "asst_1", **POLL
    ),
    "async-client-get": lambda url: AsyncClient(api_key=KEY, base_url=url).get_run("thread_1", "run_1"),
}
VARIANTS = {**SYNC, **ASYNC}


def _call(name: str, url: str) -> None:
    call = VARIANTS[name]
    if name in ASYNC:

        async def run() -> None:
            await call(url)

        asyncio.run(run())
    else:
        call(url)


# (base_url with {port} for the live server's port, the rule it breaks)
PORT = "must have a port from 1 to 65535, in digits 0-9"
HOST = "must not have a percent-encoded or backslashed host"
BAD = [
    ("http://127.0.0.1:{wrapped}/v1", PORT),
    ("http://127.0.0.1:{wrapped_twice}/v1", PORT),
    ("http://[::1]:{wrapped}/v1", PORT),
    ("http://127.0.0.1:0/v1", PORT),
    ("http://127.0.0.1:65536/v1", PORT),
    ("http://127.0.0.1:0000/v1", PORT),
    ("http://127.0.0.1:99999999999999999999/v1", PORT),
    (
        "http://127.0.0.1:+{port}/v1",
        PORT,
    ),  # int() reads it as the port
    (
        "http://127.0.0.1:{port_underscored}/v1",
        PORT,
    ),  # int("4_1") == 41
    (
        "http://127.0.0.1:{port_fullwidth}/v1",
        PORT,
    ),  # int() reads fullwidth digits
    (
        "http://127.1:{port}/v1",
        "must write a numeric host as a dotted quad (127.0.0.1)",
    ),  # a name to httpx, 127.0.0.1 to the resolver
    ("http://2130706433:{port}/v1", "must write a numeric host as a dotted quad (127.0.0.1)"),
    ("http://0x7f.0.0.1:{port}/v1", "must write a numeric host as a dotted quad (127.0.0.1)"),
    ("http://%31%32%37.0.0.1:{port}/v1", HOST),
    ("http://127.0.0.1\\.example.com:{port}/v1", HOST),  # WHATWG: host 127.0.0.1
]


def _fill(template: str, port: int) -> str:
    digits = str(port)
    return template.format(
        port=port,
        wrapped=port + 65536,
        wrapped_twice=port + 2 * 65536,
        port_underscored=digits[:1] + "_" + digits[1:],
        port_fullwidth="".join(chr(ord(d) - ord("0") + 0xFF10) for d in digits),
    )


@pytest.fixture(scope="module")
def raw() -> Any:
    with RawServer() as server:
        yield server


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize(("template", "rule"), BAD, ids=[t for t, _ in BAD])
def test_a_base_url_httpx_would_wrap_or_misread_is_refused_and_nothing_is_sent(
    template: str, rule: str, variant: str, raw: RawServer
) -> None:
    port = int(raw.url.rsplit(":", 1)[1].split("/")[0])
    url = _fill(template, port)
    with pytest.raises(InputError) as caught:
        _call(variant, url)
    assert (caught.value.argument, caught.value.rule) == ("base_url", rule)
    assert raw.counts["accepts"] == 0, "nothing reached the server"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/v1",
        "http://127.0.0.1:65535/v1",
        "http://127.0.0.1:/v1",  # an empty port: the scheme's
        "http://127.0.0.1:08080/v1",  # leading zeros: still one port
        "http://[::1]:8080/v1",
        "http://[::1]/v1",  # no port: the scheme's
        "http://[fe80::1%25eth0]:8080/v1",  # a zone id: the one host that may hold a "%"
        "https://api.openai.com/v1",
        "http://10.0.0.1/v1",
        "http://123abc.example/v1",
    ],
)
def test_ports_and_hosts_that_read_one_way_are_accepted(url: str) -> None:
    assert Client(api_key=KEY, base_url=url).settings.base_url == url.rstrip("/")
