"""Behaviour of ``oaii._http.h1`` that mutation testing found unpinned by tests/transport/test_h1.py:
each test kills at least one mutant that a server or caller could see."""

from __future__ import annotations

import httpx
import pytest
from oaii._http.h1 import MAX_HEAD_BYTES, ResponseReader, _unfolded, encode_head

LENGTH = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def test_a_request_without_any_header_is_refused_for_its_missing_host() -> None:
    with pytest.raises(httpx.LocalProtocolError, match="Missing mandatory Host"):
        encode_head(b"GET", b"/", [])


def test_a_bad_value_is_named_as_a_value_not_as_a_bad_name() -> None:
    with pytest.raises(httpx.LocalProtocolError) as info:
        encode_head(b"GET", b"/", [(b"Host", b"h"), (b"Authorization", b"sk-secret\r\nX: y")])
    assert "Illegal header value" in str(info.value) and "Authorization" in str(info.value)
    assert "sk-secret" not in str(info.value)


def test_eof_after_a_complete_response_with_a_length_is_not_an_error() -> None:
    reader = ResponseReader()
    reader.receive(LENGTH)
    reader.receive(b"")
    assert reader.done and b"".join(reader.body) == b"hi"


def test_a_fold_after_the_status_line_is_refused_even_with_a_later_fold() -> None:
    # The later (legal) fold makes the head go through unfolding; the first must stay refused.
    data = b"HTTP/1.1 200 OK\r\n X: a\r\nY: b\r\n c\r\nContent-Length: 0\r\n\r\n"
    assert _unfolded(data) == data
    with pytest.raises(httpx.RemoteProtocolError):
        ResponseReader().receive(data)


def test_an_incomplete_head_is_not_unfolded() -> None:
    # Without its blank line, a head's end is unknown: whatever follows may be body.
    data = b"HTTP/1.1 200 OK\r\nA: b\r\n c\n\n"
    assert _unfolded(data) == data


def test_a_folded_final_head_after_an_interim_one_waits_for_its_end() -> None:
    reader = ResponseReader()
    reader.receive(b"HTTP/1.1 100 Continue\r\n\r\n")
    reader.receive(b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\n")
    reader.receive(b"Content-Length: 2\r\n\r\nhi")
    assert reader.headers == [(b"X", b"a b"), (b"Content-Length", b"2")]
    assert reader.done and reader.reusable


@pytest.mark.parametrize(
    "after",
    [
        b"garbage\r\n\r\n",
        b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nX-Other: 1\r\nContent-Length: 0\r\n\r\n",
    ],
    ids=["garbage", "upgrade", "second-response"],
)
def test_bytes_after_a_complete_response_keep_it_but_end_the_connection(after: bytes) -> None:
    reader = ResponseReader()
    reader.receive(LENGTH + after)
    assert reader.done and b"".join(reader.body) == b"hi"
    assert (reader.status, reader.reason, reader.headers) == (200, b"OK", [(b"Content-Length", b"2")])
    assert not reader.reusable


def test_an_incomplete_head_of_exactly_the_limit_is_held_one_byte_more_is_refused() -> None:
    reader = ResponseReader()
    start = b"HTTP/1.1 200 OK\r\nX: "
    reader.receive(start + b"v" * (MAX_HEAD_BYTES - len(start)))
    assert not reader.head_done
    with pytest.raises(httpx.RemoteProtocolError, match="Receive buffer too long"):
        reader.receive(b"v")


def test_bytes_between_body_pieces_of_exactly_the_limit_are_read_one_more_is_refused() -> None:
    reader = ResponseReader()
    reader.receive(CHUNKED_HEAD)
    reader.receive(b"1;" + b"e" * (MAX_HEAD_BYTES - 2))
    assert not reader.done
    with pytest.raises(httpx.RemoteProtocolError, match="Receive buffer too long"):
        reader.receive(b"e")


def test_status_199_is_interim_and_skipped() -> None:
    reader = ResponseReader()
    reader.receive(b"HTTP/1.1 199 Misc\r\nX-A: 1\r\n\r\n" + LENGTH)
    assert (reader.status, reader.headers) == (200, [(b"Content-Length", b"2")])
    assert reader.done and reader.reusable


def test_headers_of_the_framing_names_lengths_are_not_framing() -> None:
    # 14 and 17 characters, as Content-Length and Transfer-Encoding: matched by name, not length.
    data = (
        b"HTTP/1.1 200 OK\r\nX-Request-Id-1: abc\r\nX-Forwarded-Proto: https\r\nContent-Length: 2\r\n\r\nhi"
    )
    reader = ResponseReader()
    reader.receive(data)
    assert reader.done and reader.reusable and b"".join(reader.body) == b"hi"


def test_transfer_encoding_chunked_in_any_case_is_chunked() -> None:
    reader = ResponseReader()
    reader.receive(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")
    assert reader.done and reader.reusable and b"".join(reader.body) == b"hi"


def test_a_body_far_larger_than_the_head_limit_reads_in_pieces() -> None:
    size = 3 * MAX_HEAD_BYTES
    reader = ResponseReader()
    reader.receive(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
    piece = b"b" * (MAX_HEAD_BYTES // 2)
    for _ in range(6):
        reader.receive(piece)
    assert reader.done and sum(map(len, reader.body)) == size


def test_an_early_close_says_how_much_of_the_body_came() -> None:
    reader = ResponseReader()
    reader.receive(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")
    reader.receive(b"c")
    with pytest.raises(httpx.RemoteProtocolError, match=r"received 3 bytes, expected 5"):
        reader.receive(b"")
