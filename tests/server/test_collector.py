"""What the server keeps out of the cyclic collector's way: its full passes stop the loop
(every live stream with it) for as long as they walk what is kept, so what ends is freed by
its reference counts, and what is kept holds as few tracked containers as it can."""

from __future__ import annotations

import gc
import http.client
import threading
import time
import weakref
from collections.abc import Iterator

import pytest
from oaii.server import LocalServer

from ..conftest import KEY


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The collector off for the test: what is freed is freed by reference counts."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def test_a_closed_connection_is_freed_without_the_collector(server: LocalServer, collector_off: None) -> None:
    host, port = server.url.split("//")[1].split("/")[0].rsplit(":", 1)
    client = http.client.HTTPConnection(host, int(port), timeout=10)
    client.request("GET", "/v1/threads/thread_none", headers={"Authorization": f"Bearer {KEY}"})
    assert client.getresponse().read()
    (conn,) = list(server.connections)  # the one kept alive (the server's loop is idle)
    gone = weakref.ref(conn)
    del conn
    client.close()
    deadline = time.monotonic() + 10
    while gone() is not None and time.monotonic() < deadline:
        threading.Event().wait(0.005)  # polled: the server's loop sees the close meanwhile
    assert gone() is None  # (a cycle would have kept it: the collector is off)


def test_a_recorded_requests_headers_are_not_tracked(server: LocalServer) -> None:
    host, port = server.url.split("//")[1].split("/")[0].rsplit(":", 1)
    client = http.client.HTTPConnection(host, int(port), timeout=10)
    client.request("GET", "/v1/threads/thread_none", headers={"Authorization": f"Bearer {KEY}", "X-A": "b"})
    client.getresponse().read()
    client.close()
    gc.collect()  # a pass stops tracking the (name, value) pairs,
    gc.collect()  # the next the tuple of them
    (recorded,) = server.requests
    assert recorded.headers["X-A"] == "b" and recorded.headers["Authorization"] == "Bearer [redacted]"
    assert not gc.is_tracked(recorded._raw_headers)
