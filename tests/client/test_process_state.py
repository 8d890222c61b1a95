"""Process-wide state: the default pools survive fork(), threads and repeated asyncio.run."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import oaii
import pytest
from oaii.server import LocalServer

from ..conftest import KEY

CALLS = 200


def _calls(server: LocalServer, prefix: str) -> int:
    """Make CALLS runs on distinct threads; return how many answers were for another thread."""
    crossed = 0
    for index in range(CALLS):
        thread_id = f"thread_{prefix}_{index}"
        run = oaii.runs_create_run_request(thread_id, "asst_1", api_key=KEY, base_url=server.url)
        crossed += run.thread_id != thread_id
    return crossed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available on this platform")
def test_forked_children_never_get_another_process_answer(server: LocalServer) -> None:
    assert _calls(server, "warm") == 0  # the parent's default pool now holds a live connection
    children = []
    for child in range(3):
        pid = os.fork()
        if pid == 0:  # the child: report through the exit status only
            code = 3
            try:
                code = 0 if _calls(server, f"child{child}") == 0 else 1
            finally:
                os._exit(code)
        children.append(pid)
    parent_crossed = _calls(server, "parent")
    statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert parent_crossed == 0
    assert statuses == [0, 0, 0]
    assert sum(1 for r in server.requests if r.method == "POST") == CALLS * 5


def test_threads_share_the_default_pool(server: LocalServer) -> None:
    results: list[int] = []
    threads = [threading.Thread(target=lambda i=i: results.append(_calls(server, f"t{i}"))) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [0, 0, 0, 0]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _settled_fds(target: int | None) -> int:
    """The descriptor count once the in-process server has closed its side of finished connections."""
    deadline = time.monotonic() + 5
    count = _open_fds()
    while time.monotonic() < deadline and (target is None or count != target):
        previous, count = count, _settled_once()
        if target is None and count == previous:
            break
    return count


def _settled_once() -> int:
    time.sleep(0.05)  # polling the count, not waiting for a server to start
    return _open_fds()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd to count descriptors")
@pytest.mark.parametrize("function", ["create", "get", "poll"])
def test_repeated_asyncio_run_leaks_no_descriptors(server: LocalServer, function: str) -> None:
    run = oaii.runs_create_run_request("thread_fd", "asst_1", api_key=KEY, base_url=server.url)

    async def one(index: int) -> None:
        if function == "create":
            await oaii.runs_create_run_request_async(
                f"thread_fd{index}", "asst_1", api_key=KEY, base_url=server.url
            )
        elif function == "get":
            await oaii.runs_get_run_async("thread_fd", run.id, api_key=KEY, base_url=server.url)
        else:
            await oaii.runs_create_run_and_poll_async(
                f"thread_fdp{index}", "asst_1", api_key=KEY, base_url=server.url, poll_interval=0
            )

    asyncio.run(one(-1))  # anything made once per process exists now
    before = _settled_fds(None)
    for index in range(100):
        asyncio.run(one(index))
    assert _settled_fds(before) == before


def test_async_client_used_inside_one_loop_many_times(server: LocalServer) -> None:
    async def main() -> list[str]:
        async with oaii.AsyncClient(api_key=KEY, base_url=server.url) as client:
            runs = await asyncio.gather(*(client.create_run(f"thread_g{i}", "asst_1") for i in range(50)))
            return [r.thread_id for r in runs]

    assert asyncio.run(main()) == [f"thread_g{i}" for i in range(50)]
