"""The model-backed executor's own latency: what the server adds between the backend's delta
and the client.

Run: ``python benchmarks/model_bench.py`` (``make bench`` runs it after the others).

- Three processes: the fake Chat Completions backend (``tests/server/_fake_backend.py``,
  answering every request with ``--pieces`` pieces ``--interval`` apart, each piece the
  backend's ``time.monotonic_ns()`` at the moment it is written), the server
  (``python -m oaii.server --model-base-url ...``), and this one, the client: raw asyncio
  sockets, ``--concurrency`` streams at a time, the clock read as each read's bytes leave
  the socket.  CLOCK_MONOTONIC is one clock for every process on the machine, so a
  piece's age when the client reads it is its latency.
- A steady load: each of ``--concurrency`` workers starts its next stream when one ends,
  their first starts spread evenly over one answer's length (``--waves``: all at once, and
  since every answer takes as long, they stay in step: waves of simultaneous starts).
- Two variants take turns, round after round, in the one run: **via the server**
  (``createThreadAndRun`` with ``stream: true``; the server calls the backend and
  forwards each delta as ``thread.message.delta``) and **direct** (the client streams
  ``/chat/completions`` from the backend itself, the same pieces over one hop less).
  The direct path is the baseline: loopback, the backend's own writes, and this client's
  reading cost the same in both, so the server's added latency is via minus direct.
  ``--baseline-python PYTHON`` adds a third, **via baseline**: a server run by another
  Python (another tree's oaii, e.g. ``../main/.venv/bin/python``), taking turns with the
  others (the order flips each round), to compare a change under the same load.
- Reported: p50/p99 of the first delta of each stream (the issue's measure: from the
  backend's first delta to the server forwarding it) and of every delta, for each variant,
  and the difference.  Goal (issue 20): at 20 concurrent streamed runs, p99 added < 5 ms.
  Besides: the server's CPU per streamed run (``/proc``: user and system time), and its
  cyclic collector's passes in the measured rounds (the server runs under
  ``_gc_probe.py``, which logs them).  On a shared machine the CPU and the collector's
  passes are the steadier figures; the tails move with the other jobs' load.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "server" / "_fake_backend.py"
GC_PROBE = ROOT / "benchmarks" / "_gc_probe.py"
STAMP = re.compile(rb"(\d{12,}) ")
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """A process's user and system CPU time so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK, int(fields[12]) / TICK


def _spawn(argv: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # each prints its URL once listening
    url = line.rsplit(" ", 1)[-1].strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit(f"{argv[1]} did not start: {line!r}")
    return proc, url


@dataclasses.dataclass
class _Server:
    proc: subprocess.Popen[str]
    url: str
    gc_log: Path
    user: float = 0.0  # CPU seconds over the measured phases: in the process (Python's work)
    system: float = 0.0  # and in the kernel for it (its sockets' reads and writes, loopback's delivery)
    gc_from: int = 0  # the collector log's lines when the measured rounds began, and ended
    gc_to: int = 0
    passes: list[list[str]] = dataclasses.field(default_factory=list)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text().splitlines()
    except FileNotFoundError:
        return []


def _request(url: str, path: str, body: dict[str, object], headers: dict[str, str]) -> tuple[str, int, bytes]:
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    data = json.dumps(body).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: {host_port}", "Content-Type: application/json"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head += [f"Content-Length: {len(data)}", "Connection: close", "", ""]
    return host, int(port), "\r\n".join(head).encode() + data


class _Reader(asyncio.Protocol):
    """One stream's bytes, each read with the moment it was read: the clock is read in
    ``data_received`` (as the bytes leave the socket), and the reading is parsed after the
    stream ends, so neither this client's parsing nor its other streams' tasks sit between
    a delta's arrival and its time (they did when a task awaiting a StreamReader read the
    clock: its turn came after every other callback of the loop's pass)."""

    def __init__(self) -> None:
        self.reads: list[tuple[int, bytes]] = []
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self.reads.append((time.monotonic_ns(), data))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


async def _one(target: tuple[str, int, bytes]) -> tuple[list[int], bool]:
    """Stream one answer; the latency (ns) of each stamped piece as read, and whether the
    stream ended as it should."""
    host, port, request = target
    transport, reader = await asyncio.get_running_loop().create_connection(_Reader, host, port)
    try:
        transport.write(request)
        await reader.closed
    finally:
        transport.close()
    latencies: list[int] = []
    stamps: set[int] = set()
    tail = b""
    for now, chunk in reader.reads:
        data = tail + chunk
        cut = data.rfind(b"\n")
        seen, tail = (data[: cut + 1], data[cut + 1 :]) if cut >= 0 else (b"", data)
        for match in STAMP.finditer(seen):  # a piece comes again in the completed message
            stamp = int(match.group(1))
            if stamp not in stamps:
                stamps.add(stamp)
                latencies.append(now - stamp)
    text = tail.decode(errors="replace")
    return latencies, "[DONE]" in text or bool(latencies)


async def _phase(
    target: tuple[str, int, bytes], concurrency: int, runs: int, stagger: float
) -> tuple[list[int], list[int], int]:
    """``runs`` streams, ``concurrency`` in flight at every moment: each worker starts its
    next stream when one ends.  Their first streams start ``stagger`` seconds apart, and
    streams started before the last worker's first are not counted (nor in ``runs``): the
    load is steady, every counted stream starts among ``concurrency - 1`` others spread
    over their lives.  ``stagger`` 0 starts them all at once, and since every answer takes
    as long, they stay in step: waves of ``concurrency`` simultaneous starts."""
    left = runs
    first: list[int] = []
    every: list[int] = []
    broken = 0
    all_started = asyncio.Event()
    if not stagger:
        all_started.set()  # all start at once: every stream counts
    started = 0

    async def worker(number: int) -> None:
        nonlocal left, broken, started
        await asyncio.sleep(number * stagger)
        started += 1
        if started == concurrency:
            all_started.set()
        while left > 0:
            counted = all_started.is_set()
            if counted:
                left -= 1
            latencies, ok = await _one(target)
            if latencies and ok and counted:
                first.append(latencies[0])
                every.extend(latencies)
            elif not (latencies and ok):
                broken += 1

    await asyncio.gather(*(worker(number) for number in range(concurrency)))
    return first, every, broken


def _pct(values: list[int], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4, help="phases per variant (they take turns)")
    parser.add_argument("--runs", type=int, default=100, help="streamed runs per phase")
    parser.add_argument("--pieces", type=int, default=20)
    parser.add_argument(
        "--interval",
        type=float,
        default=0.02,
        help="seconds between the backend's pieces (0.02: 50 tokens/s)",
    )
    parser.add_argument("--goal-ms", type=float, default=5.0)
    parser.add_argument(
        "--baseline-python",
        metavar="PYTHON",
        help="also a server run by this Python (its own tree's oaii, e.g. ../main/.venv/bin/python), taking turns",
    )
    parser.add_argument(
        "--waves",
        action="store_true",
        help="start each phase's streams all at once (they stay in step: waves of simultaneous starts)",
    )
    args = parser.parse_args(argv)
    # One answer's length over the streams in flight: starts spread evenly over it.
    stagger = 0.0 if args.waves else args.pieces * args.interval / args.concurrency

    fake, backend_url = _spawn(
        [sys.executable, str(FAKE), "--pieces", str(args.pieces), "--interval", str(args.interval), "--stamp"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    env["OAII_MODEL_API_KEY"] = "sk-bench-model"
    logs = Path(tempfile.mkdtemp(prefix="oaii-bench-"))
    pythons = {"via server": sys.executable}
    if args.baseline_python:
        pythons["via baseline"] = args.baseline_python
    servers: dict[str, _Server] = {}
    try:
        for name, python in pythons.items():
            gc_log = logs / f"gc-{len(servers)}.log"
            # The probe is run by path, so each Python imports oaii from its own tree.
            argv = [python, str(GC_PROBE), str(gc_log), "-m", "oaii.server", "--port", "0"]
            argv += ["--create-missing", "--model-base-url", backend_url]
            proc, url = _spawn(argv, env)
            servers[name] = _Server(proc, url, gc_log)
        targets = {
            "direct": _request(
                backend_url,
                "/v1/chat/completions",
                {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "stream": True},
                {"Authorization": "Bearer sk-bench-model"},
            )
        }
        for name, server in servers.items():
            targets[name] = _request(
                server.url,
                "/v1/threads/runs",
                {
                    "assistant_id": "asst_bench",
                    "thread": {"messages": [{"role": "user", "content": "Hi"}]},
                    "stream": True,
                },
                {"Authorization": "Bearer sk-bench", "OpenAI-Beta": "assistants=v2"},
            )
        samples: dict[str, tuple[list[int], list[int]]] = {name: ([], []) for name in targets}
        broken = 0

        async def run_all() -> None:
            nonlocal broken
            for target in targets.values():  # warm-up: connections, the servers' first runs
                await _phase(target, args.concurrency, args.concurrency * 2, stagger)
            for server in servers.values():
                server.gc_from = len(_read_lines(server.gc_log))
            order = list(targets)
            for _ in range(args.rounds):
                for name in order:
                    measured = servers.get(name)
                    cpu = _cpu_seconds(measured.proc.pid) if measured else (0.0, 0.0)
                    first, every, bad = await _phase(targets[name], args.concurrency, args.runs, stagger)
                    if measured:
                        user, system = _cpu_seconds(measured.proc.pid)
                        measured.user += user - cpu[0]
                        measured.system += system - cpu[1]
                    samples[name][0].extend(first)
                    samples[name][1].extend(every)
                    broken += bad
                order.reverse()  # who goes first alternates, round by round
            for server in servers.values():
                server.gc_to = len(_read_lines(server.gc_log))

        started = time.monotonic()
        asyncio.run(run_all())
        took = time.monotonic() - started
    finally:
        for proc in [server.proc for server in servers.values()] + [fake]:
            proc.terminate()
            proc.wait(10)
        for server in servers.values():
            server.passes = [
                line.split() for line in _read_lines(server.gc_log)[server.gc_from : server.gc_to]
            ]
        shutil.rmtree(logs, ignore_errors=True)

    print(
        f"\nmodel executor: {args.concurrency} streamed runs in flight, {args.rounds} x {args.runs} runs per variant, "
        f"{args.pieces} pieces {args.interval * 1000:g} ms apart, "
        f"{'in waves of simultaneous starts' if args.waves else 'starts spread evenly'} ({took:.1f} s)"
    )
    print(f"{'':16}{'first delta p50':>17}{'p99':>9}{'every delta p50':>18}{'p99':>9}   (ms)")
    for name, (first, every) in samples.items():
        print(
            f"{name:16}{_pct(first, 0.5):17.2f}{_pct(first, 0.99):9.2f}{_pct(every, 0.5):18.2f}{_pct(every, 0.99):9.2f}"
        )
    base_first, base_every = samples["direct"]
    for name in servers:
        first, every = samples[name]
        added_p50 = _pct(first, 0.5) - _pct(base_first, 0.5)
        added_first = _pct(first, 0.99) - _pct(base_first, 0.99)
        added_every = _pct(every, 0.99) - _pct(base_every, 0.99)
        label = "added" if name == "via server" else "added (baseline)"
        print(f"{label:16}{added_p50:17.2f}{added_first:9.2f}{'':18}{added_every:9.2f}")
    runs = args.rounds * args.runs
    for name, server in servers.items():
        first, every = samples[name]
        added_first = _pct(first, 0.99) - _pct(base_first, 0.99)
        verdict = "meets" if added_first < args.goal_ms else "MISSES"
        who = "server" if name == "via server" else "baseline server"
        print(
            f"{who}'s added latency, first delta, p99: {added_first:.2f} ms ({verdict} the goal of < {args.goal_ms:g} ms); "
            f"samples: {len(first)} first deltas; broken streams (all variants): {broken}"
        )
        print(
            f"{who} CPU: {(server.user + server.system) / max(1, runs) * 1e3:.2f} ms per streamed run "
            f"(user {server.user / max(1, runs) * 1e3:.2f}, system {server.system / max(1, runs) * 1e3:.2f}; "
            f"{(server.user + server.system) / max(1, len(every)) * 1e6:.0f} us per delta, run set-up included)"
        )
        passes = server.passes
        full = [float(p[1]) for p in passes if p[0] == "2"]
        middle = [float(p[1]) for p in passes if p[0] == "1"]
        young = sum(int(p[3]) for p in passes)
        young_max = max((float(p[4]) for p in passes), default=0.0)
        print(
            f"{who}'s collector in the measured rounds: {len(full)} full passes "
            f"(longest {max(full, default=0.0):.1f} ms, {sum(full):.1f} ms in all), "
            f"{len(middle)} of generation 1 (longest {max(middle, default=0.0):.2f} ms), "
            f"~{young} of generation 0 (longest {young_max:.2f} ms)"
        )
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    return 0 if broken == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
