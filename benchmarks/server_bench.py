"""The local server under load: requests/s, latency, CPU per request, memory.

Run: ``python benchmarks/server_bench.py`` (``make bench`` runs ``bench.py``; this one
is separate because it needs a quiet machine for about a minute).

- The server runs in its own process (``python -m oaii.server``), as does a minimal
  asyncio server answering fixed bytes: the floor any Python server pays for
  sockets and the event loop.
- The load generator is this process: raw non-blocking sockets on one epoll loop,
  every request prebuilt as bytes (httpx tops out near 150 requests/s here, far
  below either server), one request in flight per keep-alive connection.
- createRun needs a thread with no active run, so each request names a fresh thread: the
  server runs with ``--create-missing`` (each such thread is made on its first use, one
  store write more than a thread created beforehand).
- oaii is measured three times: createRun as is, with an ``Idempotency-Key`` (a fresh one
  per request), which oaii's client sends on every createRun, and with bodies that all
  differ (the server remembers the bodies it accepted lately by their bytes, and skips
  checking the same bytes again: this row shows the cost without that).
- Server CPU per request is the server process's user+system time (from
  /proc/PID/stat) over the requests it answered.
- RSS growth: the server's VmRSS after a warm-up and after 20,000 more runs (each
  created, then fetched twice so it finishes, then evictable past the cap).
- ``--in-process``: no sockets, CPU time (``time.process_time``) per createRun split by
  layer, for comparing variants of the server's code on a busy machine: the whole
  path (a ``Connection`` fed the request bytes, writing to a transport that keeps
  nothing), HTTP alone (the API answering fixed bytes) and the API's parts.

Goals (issue 11): >= 8k createRun/s at 50 connections, p99 < 10 ms, CPU per request
within 6x of the minimal server, RSS growth < 40 MiB after 20,000 runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import select
import socket
import statistics
import subprocess
import sys
import time

KEY = "sk-bench"
BODY = b'{"assistant_id": "asst_bench", "instructions": "Be brief.", "metadata": {"bench": "yes"}}'
TICK = os.sysconf("SC_CLK_TCK")

MINIMAL_SERVER = r"""
import asyncio, sys
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

class Fixed(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
    def data_received(self, data):
        self.transport.write(RESPONSE * data.count(b"\r\n\r\n"))

async def main():
    server = await asyncio.get_running_loop().create_server(Fixed, "127.0.0.1", 0)
    print(f"listening on http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def create_request(thread: int, idempotent: bool = False, body: bytes = BODY) -> bytes:
    """createRun on a fresh thread; ``idempotent``: with an Idempotency-Key, as oaii's client
    sends on every createRun (a fresh one each, 32 hex digits like its ``secrets.token_hex(16)``)."""
    key = f"Idempotency-Key: {thread:032x}\r\n" if idempotent else ""
    return (
        f"POST /v1/threads/thread_{thread}/runs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {KEY}\r\nOpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\n"
        f"{key}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def unique_body(thread: int) -> bytes:
    """BODY with a metadata value of its own: no two requests send the same bytes (the server
    remembers the bodies it accepted lately, and does not check the same bytes twice)."""
    return BODY.replace(b'"yes"', b'"%09d"' % thread)


def get_request(thread: int, run_id: str) -> bytes:
    return (
        f"GET /v1/threads/thread_{thread}/runs/{run_id} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {KEY}\r\nOpenAI-Beta: assistants=v2\r\n\r\n"
    ).encode()


def start(argv: list[str]) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed once the socket listens
    port = int(line.rsplit(":", 1)[-1].split("/")[0])
    return proc, port


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        line = next(line for line in fh if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def _complete(buffer: bytes) -> int:
    """Length of the first complete response in buffer (Content-Length framed), or 0."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return 0
    head = buffer[:end].lower()
    at = head.find(b"content-length:")
    length = int(head[at + 15 : head.find(b"\r\n", at) if head.find(b"\r\n", at) > 0 else None])
    total = end + 4 + length
    return total if len(buffer) >= total else 0


def load(port: int, requests: list[bytes], connections: int) -> tuple[float, list[float], list[bytes]]:
    """Send every request once over ``connections`` keep-alive sockets; (seconds, latencies, statuses)."""
    socks = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        socks.append(sock)
    poller = select.epoll()
    by_fd = {s.fileno(): s for s in socks}
    buffers = {fd: b"" for fd in by_fd}
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    statuses: list[bytes] = []
    todo = iter(requests)
    remaining = len(requests)
    start_time = time.perf_counter()
    for fd, sock in by_fd.items():
        request = next(todo, None)
        if request is None:
            break
        sent_at[fd] = time.perf_counter()
        sock.send(request)
        poller.register(fd, select.EPOLLIN)
    while remaining:
        for fd, _ in poller.poll():
            data = by_fd[fd].recv(262144)
            if not data:
                raise SystemExit("the server closed a connection")
            buffer = buffers[fd] + data
            size = _complete(buffer)
            if not size:
                buffers[fd] = buffer
                continue
            now = time.perf_counter()
            latencies.append(now - sent_at[fd])
            statuses.append(buffer[9:12])
            buffers[fd] = buffer[size:]
            remaining -= 1
            request = next(todo, None)
            if request is not None:
                sent_at[fd] = now
                by_fd[fd].send(request)
    seconds = time.perf_counter() - start_time
    poller.close()
    for sock in socks:
        sock.close()
    return seconds, latencies, statuses


def measure(name: str, pid: int, port: int, requests: list[bytes], connections: int) -> dict[str, float]:
    load(port, requests[:500], connections)  # warm-up
    before = cpu_seconds(pid)
    seconds, latencies, statuses = load(port, requests[500:], connections)
    cpu = cpu_seconds(pid) - before
    bad = sum(1 for s in statuses if s != b"200")
    if bad:
        raise SystemExit(f"{name}: {bad} answers were not 200: {set(statuses)}")
    latencies.sort()
    count = len(latencies)
    return {
        "rps": count / seconds,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": latencies[int(count * 0.99)] * 1e3,
        "cpu_us": cpu / count * 1e6,
    }


def rss_growth(port: int, pid: int, runs: int) -> tuple[float, float]:
    """(MiB before, MiB after) ``runs`` runs, each created then fetched twice (so it finishes)."""
    thread = 10_000_000

    def cycle(count: int) -> None:
        nonlocal thread
        ids = list(range(thread, thread + count))
        thread += count
        created = _run_ids(port, [create_request(t) for t in ids])
        gets = [get_request(t, r) for t, r in zip(ids, created, strict=True)]
        load(port, gets, 1)  # in_progress
        load(port, gets, 1)  # completed: evictable past the cap

    cycle(1000)  # warm-up: code paths, allocator pools
    before = rss_mib(pid)
    for done in range(0, runs, 1000):
        cycle(min(1000, runs - done))
    return before, rss_mib(pid)


def _run_ids(port: int, requests: list[bytes]) -> list[str]:
    """createRun one after another on one connection; the run ids, in order."""
    ids = []
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for request in requests:
            sock.sendall(request)
            buffer = b""
            while not _complete(buffer):
                buffer += sock.recv(65536)
            at = buffer.find(b'"id": "') + 7
            ids.append(buffer[at : buffer.find(b'"', at)].decode())
    return ids


def in_process(count: int) -> None:
    """CPU microseconds per createRun, by layer, without sockets (best of three runs each)."""
    import asyncio
    import json

    from oaii.server import LocalServer
    from oaii.server._api import Reply
    from oaii.server._http import Connection, Outbox
    from oaii.server._json import dumps, loads

    class Sink(asyncio.Transport):
        def write(self, data: bytes | bytearray | memoryview) -> None:
            pass

        def is_closing(self) -> bool:
            return False

    class Unturned:
        def call_soon(self, callback: object) -> None:
            pass

    def per_request(action, items: list) -> float:  # type: ignore[no-untyped-def]
        start = time.process_time()
        for item in items:
            action(item)
        return (time.process_time() - start) / len(items) * 1e6

    async def through_connection(stub: bool, idempotent: bool = False, unique: bool = False) -> float:
        server = LocalServer(create_missing=True)  # each request a fresh thread, made on first use
        try:
            if stub:
                fixed = Reply(200, b'{"id": "run_x"}' * 45)
                server.api.handle = lambda *_: fixed  # type: ignore[method-assign]
            # Flushed by hand after each request: a loop that does not turn would keep its callbacks.
            outbox = server.outbox = Outbox(Unturned())  # type: ignore[arg-type]
            conn = Connection(server)
            conn.connection_made(Sink())
            requests = [
                create_request(i, idempotent, unique_body(i) if unique else BODY)
                for i in range(count + 12_000)
            ]

            def serve(request: bytes) -> None:  # a turn of the loop: read, answer, write
                conn.data_received(request)
                outbox.flush()

            per_request(serve, requests[:12_000])  # warm, and the store at its cap
            return per_request(serve, requests[12_000:])
        finally:
            server.stop()

    server = LocalServer(create_missing=True)
    api, store = server.api, server.store.table
    headers = {b"host": b"x", b"authorization": f"Bearer {KEY}".encode(), b"openai-beta": b"assistants=v2"}
    paths = [f"/v1/threads/thread_{i}/runs" for i in range(count + 12_000)]
    per_request(lambda path: api.handle("POST", path, "", headers, BODY, None), paths[:12_000])
    body = json.loads(BODY)
    run = store.create("thread_x", body).data
    check = api.create_check
    verdicts = api.create_verdicts
    from oaii.server._runs import run_json

    rows = {
        "whole path (HTTP, recording, API)": min(asyncio.run(through_connection(False)) for _ in range(3)),
        "whole path, with an Idempotency-Key": min(
            asyncio.run(through_connection(False, idempotent=True)) for _ in range(3)
        ),
        "whole path, every body different (none remembered)": min(
            asyncio.run(through_connection(False, unique=True)) for _ in range(3)
        ),
        "HTTP and recording alone (API answers fixed bytes)": min(
            asyncio.run(through_connection(True)) for _ in range(3)
        ),
        "API alone (Api.handle; each thread once, so one run)": per_request(
            lambda path: api.handle("POST", path, "", headers, BODY, None), paths[12_000:]
        ),
        "  JSON body in": min(per_request(loads, [BODY] * count) for _ in range(3)),
        "  body check against the spec (jsonschema-rs)": min(
            per_request(check.problem, [body] * count) for _ in range(3)
        ),
        "  body check, the same bytes again (remembered)": min(
            per_request(lambda raw: verdicts.problem(raw, body), [BODY] * count) for _ in range(3)
        ),
        "  run stored, its dict not yet made (RunTable.create)": min(
            per_request(lambda i: store.create(f"thread_s{i}", body), range(r * count, (r + 1) * count))
            for r in range(3)
        ),
        "  run JSON from the template (run_json)": min(
            per_request(lambda i: run_json(f"run_{i}", "thread_x", body, 1, 2), range(count))
            for _ in range(3)
        ),
        "  run JSON out by the encoder (getRun, listRuns)": min(
            per_request(dumps, [run] * count) for _ in range(3)
        ),
    }
    server.stop()
    print(f"in-process CPU per createRun ({count} each, CPython {platform.python_version()}):")
    for name, micros in rows.items():
        print(f"  {name:<55} {micros:6.1f} µs")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=40_000, help="requests per measure (default 40000)")
    parser.add_argument("--rss-runs", type=int, default=20_000)
    parser.add_argument("--in-process", action="store_true", help="only the in-process breakdown")
    args = parser.parse_args()
    if args.in_process:
        in_process(min(args.requests, 20_000))
        return 0
    oaii_proc, oaii_port = start([sys.executable, "-m", "oaii.server", "--port", "0", "--create-missing"])
    minimal_proc, minimal_port = start([sys.executable, "-c", MINIMAL_SERVER])
    try:
        rows = []
        fresh = iter(range(0, 10**9, args.requests + 500))  # first thread of each batch: every thread new
        for connections in (1, 50):
            results = []
            for name, idempotent, unique, pid, port in (
                ("oaii createRun", False, False, oaii_proc.pid, oaii_port),
                ("oaii createRun + Idempotency-Key", True, False, oaii_proc.pid, oaii_port),
                ("oaii createRun, bodies all different", False, True, oaii_proc.pid, oaii_port),
                ("minimal fixed bytes", False, False, minimal_proc.pid, minimal_port),
            ):
                first = next(fresh)
                creates = [
                    create_request(first + i, idempotent, unique_body(first + i) if unique else BODY)
                    for i in range(args.requests + 500)
                ]
                results.append((name, measure(name, pid, port, creates, connections)))
            rows.append((connections, results))
        oaii_proc.kill()
        oaii_proc.wait()
        oaii_proc, oaii_port = start([sys.executable, "-m", "oaii.server", "--port", "0", "--create-missing"])
        before, after = rss_growth(oaii_port, oaii_proc.pid, args.rss_runs)
    finally:
        for proc in (oaii_proc, minimal_proc):
            proc.kill()
            proc.wait()
    print(
        f"server benchmark, {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, CPython {platform.python_version()}, {args.requests} createRun per measure"
    )
    print("| connections | server | requests/s | p50 ms | p99 ms | server CPU µs/request | CPU ratio |")
    print("|---|---|---|---|---|---|---|")
    for connections, results in rows:
        floor = results[-1][1]["cpu_us"]
        for name, result in results:
            print(
                f"| {connections} | {name} | {result['rps']:,.0f} | {result['p50_ms']:.2f} | "
                f"{result['p99_ms']:.2f} | {result['cpu_us']:.0f} | {result['cpu_us'] / floor:.2f} |"
            )
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(
        f"RSS: {before:.1f} MiB after warm-up, {after:.1f} MiB after {args.rss_runs} more runs "
        f"(+{after - before:.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
