"""An adversarial review of oaii's own HTTP/1.1 connection layer (``_h1``, ``_connections``,
``_aconnections``): each test pins a defect the other suites did not, over loopback sockets."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import signal
import socket
import ssl
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from oaii import AsyncClient, Client, OaiiError
from oaii._aconnections import AsyncConnectionPool
from oaii._connections import ConnectionPool
from oaii._h1 import ResponseReader, encode_head
from oaii.server import LocalServer
from oaii.server._records import Fault

from .test_h1 import (
    OK,
    TIMEOUTS,
    Server,
    aget,
    apool,
    certificate,  # noqa: F401 (a fixture)
    get,
    heads,
    keep_alive,
    pool,
)

HEAD = encode_head(b"GET", b"/", [(b"Host", b"x")])


def endless(conn: socket.socket, index: int) -> None:
    """A chunked body that never ends (until the client goes)."""
    for _ in heads(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while True:
            conn.sendall(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")


def in_use(connections: ConnectionPool | AsyncConnectionPool) -> int:
    idle = sum(len(conns) for conns in connections._idle.values())
    return len(connections._open) - idle + connections._connecting


def test_a_sync_stream_dropped_unread_gives_its_connection_back() -> None:
    server = Server(endless)
    connections = pool(max_connections=1)
    try:
        stream = connections.request(server.origin, HEAD, None, TIMEOUTS)
        sock = stream._connection.sock  # type: ignore[union-attr]
        del stream
        gc.collect()
        assert in_use(connections) == 0
        assert sock.fileno() == -1
    finally:
        connections.close()
        server.close()


def test_an_async_stream_dropped_unread_gives_its_connection_back() -> None:
    server = Server(endless)

    async def main() -> None:
        connections = apool(max_connections=1)
        try:
            stream = await connections.request(server.origin, HEAD, None, TIMEOUTS)
            pieces = stream.__aiter__()
            await pieces.__anext__()
            transport = stream._connection.transport  # type: ignore[union-attr]
            del stream, pieces
            for _ in range(3):  # the loop's hook closes the dropped generator in a task
                gc.collect()
                await asyncio.sleep(0)
            assert in_use(connections) == 0
            assert transport is not None and transport.is_closing()
        finally:
            await connections.aclose()

    try:
        asyncio.run(main())
    finally:
        server.close()


def test_a_pool_that_keeps_no_connection_alive_closes_each_after_use() -> None:
    """``max_keepalive_connections=0`` (as httpx.Limits allows): was a ValueError from ``min()``."""
    server = Server(keep_alive)
    connections = pool(max_keepalive_connections=0)
    try:
        assert [get(connections, server.origin) for _ in range(2)] == [b"ok", b"ok"]
        assert in_use(connections) == 0 and not connections.connections and server.accepted == 2
    finally:
        connections.close()
        server.close()


def in_a_child(check: Callable[[], bool]) -> bool:
    """``check()`` run in a forked child: whether it said yes within 5 s."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        ok = False
        try:
            ok = check()
        finally:
            os._exit(0 if ok else 1)
    for _ in range(500):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        threading.Event().wait(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork()")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_opens_its_own_connections_and_the_parent_keeps_its_own() -> None:
    """The child reused the parent's idle socket: two processes on one conversation."""
    server = Server(keep_alive)
    connections = pool()
    try:
        assert get(connections, server.origin) == b"ok"
        (parent,) = connections.connections
        assert in_a_child(
            lambda: get(connections, server.origin) == b"ok" and parent not in connections.connections
        )
        assert get(connections, server.origin) == b"ok"
        assert connections.connections == [parent] and server.accepted == 2
    finally:
        connections.close()
        server.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork()")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_forked_while_another_thread_held_the_pool_s_lock_does_not_hang() -> None:
    server = Server(keep_alive)
    connections = pool()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with connections._lock:
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait()
        assert in_a_child(lambda: get(connections, server.origin, pool=1.0) == b"ok")
    finally:
        release.set()
        holder.join()
        connections.close()
        server.close()


def interim_saying_close(conn: socket.socket, index: int) -> None:
    for _ in heads(conn):
        conn.sendall(b"HTTP/1.1 103 Early Hints\r\nConnection: close\r\nLink: </a>\r\n\r\n")
        conn.sendall(b"HTTP/1.0 100 Continue\r\n\r\n" + OK)


def test_an_interim_response_saying_close_is_skipped_and_the_final_one_decides_reuse() -> None:
    """As h11: a 1xx head's ``Connection: close`` (or HTTP/1.0) is not the final response's;
    llhttp stopped at it ("Data after Connection: close")."""
    server = Server(interim_saying_close)
    connections = pool()
    try:
        assert [get(connections, server.origin) for _ in range(2)] == [b"ok", b"ok"]
        assert server.accepted == 1
    finally:
        connections.close()
        server.close()


def test_a_final_response_saying_close_is_still_not_reused_and_bytes_after_it_are_ignored() -> None:
    for data in (b"Connection: close\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n", b"\r\nok"):
        reader = ResponseReader()
        reader.receive(b"HTTP/1.1 200 OK\r\n" + data)
        if not reader.done:
            reader.receive(b"")
        assert reader.done and not reader.reusable and b"".join(reader.body) == b"ok"


def head_ending_in_a_bare_line_feed(conn: socket.socket, index: int) -> None:
    for _ in heads(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\n\r\nok")
        conn.recv(1)  # and stays open


def test_a_head_ending_in_lf_crlf_is_refused_at_once_not_at_the_read_timeout() -> None:
    """Only "\\r\\n\\r\\n" and "\\n\\n" were seen as a head's end: the head sat unparsed until
    the read timeout (ReadTimeout, not the protocol error, after 30 s in oaii's default)."""
    server = Server(head_ending_in_a_bare_line_feed)
    connections = pool()
    try:
        with pytest.raises(httpx.RemoteProtocolError, match="illegal header line"):
            get(connections, server.origin, read=2.0)
    finally:
        connections.close()
        server.close()


def test_a_head_s_end_split_anywhere_after_an_interim_head_is_found_at_once() -> None:
    whole = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    for first in range(1, len(whole)):
        for second in range(first + 1, len(whole)):
            reader = ResponseReader()
            for part in (whole[:first], whole[first:second]):
                reader.receive(part)
            ended = whole.find(b"\r\n\r\n", 30) + 4
            assert reader.head_done == (second >= ended), (first, second)


def test_spaces_after_a_chunk_s_size_are_read_as_h11_read_them() -> None:
    reader = ResponseReader()
    reader.receive(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2  \r\nok\r\n1\t\r\n!\r\n0 \r\n\r\n"
    )
    assert reader.done and reader.reusable and b"".join(reader.body) == b"ok!"


# ------------------------------------------------ guards: sound on review, kept so
# What the review tried that held: stress with faults and cancellations, flow control,
# and TLS closed uncleanly.  Each asserts the pool's books balance and nothing but httpx's
# (or oaii's) exceptions escapes.


def flaky(conn: socket.socket, index: int) -> None:
    """Keep-alive answers, some cut, some short, some slow, in a seeded mix."""
    chance = random.Random(index)
    for _ in heads(conn):
        roll = chance.random()
        if roll < 0.1:
            return
        if roll < 0.2:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok")
            return
        if roll < 0.25:
            threading.Event().wait(0.05)  # slower than the client's read timeout
        conn.sendall(OK)


def test_sixteen_threads_with_faults_leave_the_sync_pool_balanced() -> None:
    server = Server(flaky)
    connections = pool(max_connections=4, max_keepalive_connections=2)
    escaped: list[BaseException] = []

    def work() -> None:
        for _ in range(40):
            try:
                get(connections, server.origin, read=0.03)
            except httpx.HTTPError:
                pass
            except BaseException as exc:  # anything else is a leak of the layer
                escaped.append(exc)

    threads = [threading.Thread(target=work) for _ in range(16)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not escaped and in_use(connections) == 0
        server.handle = keep_alive  # new connections answer well; idle ones keep their handler
        for _ in range(5):
            with contextlib.suppress(httpx.RemoteProtocolError, httpx.ReadError):
                assert get(connections, server.origin, pool=0.5) == b"ok"
                break
        else:
            pytest.fail("no slot for a call after the faults")
    finally:
        connections.close()
        server.close()


def test_tasks_cancelled_at_any_point_leave_the_async_pool_balanced() -> None:
    server = Server(flaky)
    chance = random.Random(7)

    async def one(connections: AsyncConnectionPool) -> None:
        # Cancelled while waiting for a slot, connecting, reading the head or the body.
        with contextlib.suppress(httpx.HTTPError, TimeoutError):
            await asyncio.wait_for(aget(connections, server.origin, read=0.05), chance.random() * 0.02)

    async def main() -> None:
        connections = apool(max_connections=3, max_keepalive_connections=2)
        try:
            for _ in range(8):
                await asyncio.gather(*[one(connections) for _ in range(30)])
            assert in_use(connections) == 0 and not connections._waiters
            server.handle = keep_alive  # new connections answer well; idle ones keep their handler
            for _ in range(5):
                with contextlib.suppress(httpx.RemoteProtocolError, httpx.ReadError):
                    assert await aget(connections, server.origin, pool=0.5) == b"ok"
                    break
            else:
                pytest.fail("no slot for a call after the faults")
        finally:
            await connections.aclose()

    try:
        asyncio.run(main())
    finally:
        server.close()


def test_public_calls_from_sixteen_threads_meeting_faults_fail_as_oaii_errors_only() -> None:
    faults = [Fault(kind="reset"), Fault(kind="truncate", status=200), Fault(status=500)]
    with (
        LocalServer(create_missing=True) as served,
        Client(api_key="sk-x", base_url=served.url, max_retries=0) as client,
    ):
        escaped: list[BaseException] = []

        def work() -> None:
            chance = random.Random(threading.get_ident())
            for n in range(30):
                if chance.random() < 0.3:
                    served.inject(chance.choice(faults))
                try:
                    client.create_run(f"thread_{threading.get_ident()}_{n}", "asst_1")
                except OaiiError:
                    pass
                except BaseException as exc:
                    escaped.append(exc)

        threads = [threading.Thread(target=work) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not escaped
        assert all(in_use(connections) == 0 for connections in client._pool._connections.values())


def test_public_async_calls_cancelled_or_meeting_faults_leave_the_pool_balanced() -> None:
    faults = [Fault(kind="reset"), Fault(kind="truncate", status=200), Fault(kind="hang", seconds=0.05)]
    chance = random.Random(3)

    async def main(served: LocalServer) -> None:
        async with AsyncClient(api_key="sk-x", base_url=served.url, max_retries=0) as client:

            async def one(n: int) -> None:
                if chance.random() < 0.3:
                    served.inject(chance.choice(faults))
                with contextlib.suppress(TimeoutError, OaiiError):
                    await asyncio.wait_for(client.create_run(f"thread_{n}", "asst_1"), chance.random() * 0.03)

            for round in range(6):
                await asyncio.gather(*[one(round * 100 + n) for n in range(40)])
            pools = list(client._pool._connections.values())
            assert all(in_use(connections) == 0 and not connections._waiters for connections in pools)

    with LocalServer(create_missing=True) as served:
        asyncio.run(main(served))


def test_an_unread_async_stream_stops_reading_from_a_server_that_sends_without_end() -> None:
    server = Server(endless)

    async def main() -> None:
        connections = apool()
        stream = await connections.request(server.origin, HEAD, None, TIMEOUTS)
        connection = stream._connection
        assert connection is not None
        try:
            loop = asyncio.get_running_loop()
            end = loop.time() + 5.0
            while not connection._paused_reading and loop.time() < end:  # poll: the server fills
                await asyncio.sleep(0.001)
            for _ in range(100):  # more loop turns, the socket ready all along
                await asyncio.sleep(0)
            assert connection._paused_reading and connection._buffered < 2 * 1024 * 1024
        finally:
            await stream.aclose()
            await connections.aclose()

    try:
        asyncio.run(main())
    finally:
        server.close()


def cut_mid_body(conn: socket.socket, index: int) -> None:
    for _ in heads(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        return  # and Server closes the TLS socket without close_notify


def test_tls_closed_uncleanly_mid_body_is_an_httpx_protocol_error(certificate: tuple[Path, Path]) -> None:  # noqa: F811
    cert, key = certificate
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)
    server = Server(cut_mid_body, tls=served)
    trusted = ssl.create_default_context(cafile=str(cert))
    origin = ("localhost", server.origin[1])
    limits = {"max_connections": 2, "max_keepalive_connections": 2, "keepalive_expiry": 5.0}
    connections = ConnectionPool(trusted, **limits)  # type: ignore[arg-type]

    async def main() -> None:
        aconnections = AsyncConnectionPool(trusted, **limits)  # type: ignore[arg-type]
        try:
            with pytest.raises(httpx.RemoteProtocolError, match="received 3 bytes, expected 10"):
                await aget(aconnections, origin)
            assert in_use(aconnections) == 0
        finally:
            await aconnections.aclose()

    try:
        with pytest.raises(httpx.RemoteProtocolError, match="received 3 bytes, expected 10"):
            get(connections, origin)
        assert in_use(connections) == 0
        asyncio.run(main())
    finally:
        connections.close()
        server.close()


def test_a_public_stream_dropped_after_one_event_gives_its_connection_back() -> None:
    """Through the public API, _streaming's generator closes the response when dropped (so the
    layer-level leak above did not show here); kept so that both guards stay."""
    with (
        LocalServer(create_missing=True) as served,
        Client(api_key="sk-x", base_url=served.url, max_retries=0) as client,
    ):
        for n in range(3):
            events = iter(client.stream_run(f"thread_{n}", "asst_1"))
            next(events)
            del events
            gc.collect()
        pools = list(client._pool._connections.values())
        assert pools and all(in_use(connections) == 0 for connections in pools)
