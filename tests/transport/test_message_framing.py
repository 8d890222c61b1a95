"""How a response's length is read (RFC 9112 6.3) and its lines end (2.2), against httpx.

What RFC 9112 lets a recipient accept and httpx (h11) accepts, oaii accepts: a
Content-Length repeated with one value, a list of one value, bare LF line ends
in the head.  What is ambiguous stays refused.  Each row states the outcome, and
httpx itself is asked the same answer over the same raw loopback server.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import oaii
import pytest
from oaii import APIConnectionError, AsyncClient, Client

from .._rawserver import RawServer, run_json, send
from ..conftest import KEY

BODY = run_json("run_framed")
N = b"%d" % len(BODY)


def lines(*head: bytes, end: bytes = b"\r\n", body: bytes = BODY) -> bytes:
    return b"".join(line + end for line in head) + end + body


def chunked_lf(body: bytes) -> bytes:
    return b"%x\n%s\n0\n\n" % (len(body), body)


ACCEPTED = "accepted"
REFUSED = "refused"

# (name, the answer, oaii's outcome, httpx's outcome)
ROWS: list[tuple[str, bytes, str, str]] = [
    ("one-length", lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N), ACCEPTED, ACCEPTED),
    (
        "length-twice-same",
        lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N, b"content-length: " + N),
        ACCEPTED,
        ACCEPTED,
    ),
    ("length-list-same", lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N + b", " + N), ACCEPTED, ACCEPTED),
    (
        "length-list-three-no-spaces",
        lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N + b"," + N + b"," + N),
        ACCEPTED,
        ACCEPTED,
    ),
    (
        "length-twice-one-a-list",
        lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N, b"Content-Length: " + N + b", " + N),
        ACCEPTED,
        ACCEPTED,
    ),
    ("bare-lf-head", lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N, end=b"\n"), ACCEPTED, ACCEPTED),
    (
        "bare-lf-then-crlf-blank-line",
        b"HTTP/1.1 200 OK\r\nContent-Length: " + N + b"\n\r\n" + BODY,
        ACCEPTED,
        ACCEPTED,
    ),
    (
        "bare-lf-interim-and-final-heads-repeated-length",
        b"HTTP/1.1 100 Continue\n\n"
        + lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N, b"Content-Length: " + N, end=b"\n"),
        ACCEPTED,
        ACCEPTED,
    ),
    (
        "bare-lf-head-crlf-chunks",
        lines(
            b"HTTP/1.1 200 OK",
            b"Transfer-Encoding: chunked",
            end=b"\n",
            body=b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
        ),
        ACCEPTED,
        ACCEPTED,
    ),
    # Ambiguous, refused by both.
    (
        "length-twice-different",
        lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N, b"Content-Length: 7"),
        REFUSED,
        REFUSED,
    ),
    ("length-list-different", lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N + b", 7"), REFUSED, REFUSED),
    ("length-list-empty-item", lines(b"HTTP/1.1 200 OK", b"Content-Length: " + N + b","), REFUSED, REFUSED),
    (
        "length-twice-leading-zero",
        lines(b"HTTP/1.1 200 OK", b"Content-Length: 0" + N, b"Content-Length: " + N),
        REFUSED,
        REFUSED,
    ),
    ("bare-cr", lines(b"HTTP/1.1 200 OK\rContent-Length: " + N), REFUSED, REFUSED),
    (
        "bare-lf-chunk-lines",
        lines(b"HTTP/1.1 200 OK", b"Transfer-Encoding: chunked", end=b"\n", body=chunked_lf(BODY)),
        REFUSED,
        REFUSED,
    ),
    # Stricter than httpx, by choice: both framings at once (RFC 9112 6.3: "ought to be
    # handled as an error"; a sign of request smuggling or response splitting).
    (
        "length-and-chunked",
        lines(
            b"HTTP/1.1 200 OK",
            b"Content-Length: " + N,
            b"Transfer-Encoding: chunked",
            body=b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY),
        ),
        REFUSED,
        ACCEPTED,
    ),
]


def _httpx(url: str) -> str:
    try:
        with httpx.Client() as client:
            response = client.get(url + "/threads/thread_1/runs/run_framed")
        assert json.loads(response.content)["id"] == "run_framed"
    except httpx.RemoteProtocolError:
        return REFUSED
    return ACCEPTED


def _outcome(call: Callable[[], object]) -> str:
    try:
        run = call()
    except APIConnectionError as exc:
        assert exc.status_code is None and KEY not in str(exc.message_long)
        return REFUSED
    assert getattr(run, "id", None) == "run_framed"
    return ACCEPTED


def _sync_client(url: str) -> object:
    with Client(api_key=KEY, base_url=url, max_retries=0) as client:
        return client.get_run("thread_1", "run_framed")


async def _async_client(url: str) -> object:
    async with AsyncClient(api_key=KEY, base_url=url, max_retries=0) as client:
        return await client.get_run("thread_1", "run_framed")


CALLS: dict[str, Callable[[str], object]] = {
    "sync-front": lambda url: oaii.runs_get_run(
        "thread_1", "run_framed", api_key=KEY, base_url=url, max_retries=0
    ),
    "async-front": lambda url: asyncio.run(
        oaii.runs_get_run_async("thread_1", "run_framed", api_key=KEY, base_url=url, max_retries=0)
    ),
    "sync-client": _sync_client,
    "async-client": lambda url: asyncio.run(_async_client(url)),
}


@pytest.mark.parametrize(("name", "answer", "ours", "theirs"), ROWS, ids=[row[0] for row in ROWS])
def test_framing_is_read_as_httpx_reads_it_where_the_rfc_allows(
    name: str, answer: bytes, ours: str, theirs: str
) -> None:
    with RawServer(default=send(answer, "fin")) as server:
        assert _httpx(server.url) == theirs, "httpx itself"
        for variant, call in CALLS.items():
            assert _outcome(lambda: call(server.url)) == ours, variant
