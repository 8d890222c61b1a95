"""createRun on the local server, this tree against a baseline tree, taking turns in one run.

Run: ``python benchmarks/server_ab.py --baseline-python ../main/.venv/bin/python``

Both servers run at once, each in its own process (``python -m oaii.server``, each
Python importing its own tree); the load generator (``server_bench.load``) measures
them in turns, the order flipping every round, so a busy shared machine slows both
alike.  Reported: the median over rounds of requests/s and p99 for each, and the median
of the per-round ratios (this / baseline).  Two paths of this tree are measured:

- ``fresh threads``: each createRun names a new thread id, which the server makes
  (``--create-missing``): the path ``server_bench.py`` measures;
- ``created threads``: the threads are created first (``POST /v1/threads``), then each
  createRun names one: a user's path with faithful ids (a thread and assistant look-up).

The baseline server is started with ``--create-missing`` only when it knows the flag.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys

import server_bench as bench


def server(python: str, *flags: str) -> tuple[subprocess.Popen[str], int]:
    return bench.start([python, "-m", "oaii.server", "--port", "0", *flags])


def knows_create_missing(python: str) -> bool:
    out = subprocess.run([python, "-m", "oaii.server", "--help"], capture_output=True, text=True, check=False)
    return "--create-missing" in out.stdout


def post(port: int, path: str, body: bytes) -> dict[str, object]:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {bench.KEY}\r\n"
        f"OpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(request)
        buffer = b""
        while not bench._complete(buffer):
            buffer += sock.recv(65536)
    answer: dict[str, object] = json.loads(buffer[buffer.find(b"\r\n\r\n") + 4 :])
    return answer


def created_threads(port: int, count: int) -> list[bytes]:
    """createRun requests on threads made first, with an assistant made first."""
    assistant = post(port, "/v1/assistants", b'{"model": "gpt-4o"}')["id"]
    body = bench.BODY.replace(b"asst_bench", str(assistant).encode())
    requests = []
    for _ in range(count):
        thread = post(port, "/v1/threads", b"{}")["id"]
        request = bench.create_request(0, body=body).replace(b"thread_0", str(thread).encode(), 1)
        requests.append(request)
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline-python", required=True, help="the Python of the baseline tree's venv")
    parser.add_argument("--requests", type=int, default=10_000, help="createRun per measure")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    base_flags = ("--create-missing",) if knows_create_missing(args.baseline_python) else ()
    base, base_port = server(args.baseline_python, *base_flags)
    this, this_port = server(sys.executable, "--create-missing")
    faithful, faithful_port = server(sys.executable)
    results: dict[str, list[dict[str, float]]] = {"baseline": [], "fresh threads": [], "created threads": []}
    ratios: dict[str, list[float]] = {"fresh threads": [], "created threads": []}
    thread = 0
    try:
        for round_ in range(args.rounds):
            count = args.requests + 500
            fresh = [bench.create_request(thread + i) for i in range(count)]
            thread += count
            made = created_threads(faithful_port, count)
            turns = [
                ("baseline", base.pid, base_port, fresh),
                ("fresh threads", this.pid, this_port, fresh),
                ("created threads", faithful.pid, faithful_port, made),
            ]
            if round_ % 2:
                turns.reverse()
            measured = {
                name: bench.measure(name, pid, port, requests, args.connections)
                for name, pid, port, requests in turns
            }
            for name, result in measured.items():
                results[name].append(result)
            for name, values in ratios.items():
                values.append(measured[name]["rps"] / measured["baseline"]["rps"])
    finally:
        for proc in (base, this, faithful):
            proc.kill()
            proc.wait()
    print(
        f"createRun A/B, {args.rounds} rounds x {args.requests} requests at {args.connections} connections "
        f"(medians over rounds)"
    )
    print("| server | requests/s | p99 ms | CPU µs/request | requests/s ratio to baseline |")
    print("|---|---|---|---|---|")
    for name, rows in results.items():
        rps = statistics.median(r["rps"] for r in rows)
        p99 = statistics.median(r["p99_ms"] for r in rows)
        cpu = statistics.median(r["cpu_us"] for r in rows)
        ratio = f"{statistics.median(ratios[name]):.3f}" if name in ratios else "1"
        print(f"| {name} | {rps:,.0f} | {p99:.2f} | {cpu:.0f} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
