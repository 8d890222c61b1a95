"""``make bench``: oaii's costs beyond the network, as ratios to baselines measured in the same run.

The local server runs in its own process on 127.0.0.1 (started here, stopped at
the end); every figure is a median over repeated rounds.  Nothing leaves the
machine.  Targets (goals, not assertions): per-call within 1.3x of bare httpx,
at least 2x faster than the official SDK, ``import oaii`` under a quarter of
``import openai``, validation adding under 15% a call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date

import httpx
import oaii

KEY = "sk-bench"
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "OpenAI-Beta": "assistants=v2",
    "Content-Type": "application/json",
}
BODY = {
    "assistant_id": "asst_bench",
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "metadata": {"bench": "yes"},
}


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "oaii.server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed once the socket listens
    return proc, line.rsplit(" ", 1)[-1].strip()


class Ids:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"thread_{self.prefix}{self.n}"


def per_call(fn: Callable[[str], object], calls: int, rounds: int, ids: Ids) -> float:
    """Median over rounds of the mean seconds per call."""
    for _ in range(20):
        fn(ids())
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn(ids())
        samples.append((time.perf_counter() - start) / calls)
    return statistics.median(samples)


def cold(code: str, rounds: int) -> tuple[float, float] | None:
    """Median wall seconds and peak RSS (MiB) of ``python -c code``; None if it fails."""
    times, rss = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            return None
        rss.append(usage.ru_maxrss / 1024)
    return statistics.median(times), statistics.median(rss)


async def throughput(url: str, total: int, concurrency: int, use_oaii: bool, prefix: str) -> float:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        gate = asyncio.Semaphore(concurrency)
        content = json.dumps(BODY).encode()

        async def one(i: int) -> None:
            async with gate:
                if use_oaii:
                    await oaii.runs_create_run_request_async(
                        f"thread_{prefix}{i}",
                        "asst_bench",
                        instructions="Be brief.",
                        tools=[{"type": "code_interpreter"}],
                        metadata={"bench": "yes"},
                        api_key=KEY,
                        base_url=url,
                        http_client=client,
                    )
                else:
                    r = await client.post(
                        f"{url}/threads/thread_{prefix}{i}/runs", content=content, headers=HEADERS
                    )
                    json.loads(r.content)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(total)))
        return total / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer calls, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.rounds = 30, 2
    proc, url = start_server()
    rows: list[tuple[str, str, str, str]] = []
    try:
        with httpx.Client(timeout=30) as client:
            content = json.dumps(BODY).encode()

            def bare(thread: str) -> object:
                return json.loads(
                    client.post(f"{url}/threads/{thread}/runs", content=content, headers=HEADERS).content
                )

            def with_oaii(validate: bool) -> Callable[[str], object]:
                def call(thread: str) -> object:
                    return oaii.runs_create_run_request(
                        thread,
                        "asst_bench",
                        instructions="Be brief.",
                        tools=[{"type": "code_interpreter"}],
                        metadata={"bench": "yes"},
                        api_key=KEY,
                        base_url=url,
                        http_client=client,
                        validate=validate,
                    )

                return call

            base = per_call(bare, args.calls, args.rounds, Ids("b"))
            on = per_call(with_oaii(True), args.calls, args.rounds, Ids("v"))
            off = per_call(with_oaii(False), args.calls, args.rounds, Ids("n"))
            rows.append(
                ("per call: bare httpx post + json.loads", f"{base * 1e6:.0f} µs", "1.00", "baseline")
            )
            rows.append(
                (
                    "per call: runs_create_run_request",
                    f"{on * 1e6:.0f} µs",
                    f"{on / base:.2f}",
                    "target ≤ 1.30",
                )
            )
            rows.append(
                (
                    "per call: runs_create_run_request(validate=False)",
                    f"{off * 1e6:.0f} µs",
                    f"{off / base:.2f}",
                    "",
                )
            )
            rows.append(
                (
                    "validation cost (on / off)",
                    f"{(on - off) * 1e6:.0f} µs",
                    f"{on / off:.2f}",
                    "target ≤ 1.15",
                )
            )
            try:
                import openai
            except ImportError:
                rows.append(("per call: official openai SDK", "skipped", "-", "pip install '.[bench]'"))
            else:
                sdk = openai.OpenAI(api_key=KEY, base_url=url, max_retries=0)
                runs = getattr(getattr(getattr(sdk, "beta", None), "threads", None), "runs", None)
                if runs is None:
                    rows.append(
                        (
                            "per call: official openai SDK",
                            "skipped",
                            "-",
                            f"openai {openai.__version__} has no beta.threads.runs",
                        )
                    )
                else:

                    def official(thread: str) -> object:
                        return runs.create(
                            thread,
                            assistant_id="asst_bench",
                            instructions="Be brief.",
                            tools=[{"type": "code_interpreter"}],
                            metadata={"bench": "yes"},
                        )

                    sdk_time = per_call(official, args.calls, args.rounds, Ids("s"))
                    rows.append(
                        (
                            "per call: openai SDK beta.threads.runs.create",
                            f"{sdk_time * 1e6:.0f} µs",
                            f"{sdk_time / base:.2f}",
                            f"oaii is {sdk_time / on:.1f}x faster (target ≥ 2)",
                        )
                    )
        total, conc = (200, 50) if args.quick else (1000, 50)
        base_tp = statistics.median(
            asyncio.run(throughput(url, total, conc, False, f"ab{r}_")) for r in range(args.rounds)
        )
        oaii_tp = statistics.median(
            asyncio.run(throughput(url, total, conc, True, f"ao{r}_")) for r in range(args.rounds)
        )
        rows.append(
            (
                f"async: {total} runs at concurrency {conc}, bare httpx.AsyncClient",
                f"{base_tp:.0f} runs/s",
                "1.00",
                "baseline",
            )
        )
        rows.append(
            (
                "async: runs_create_run_request_async",
                f"{oaii_tp:.0f} runs/s",
                f"{oaii_tp / base_tp:.2f}",
                "higher is better",
            )
        )
    finally:
        proc.terminate()
        proc.wait()
    rounds = max(3, args.rounds)
    imports = {name: cold(f"import {name}", rounds) for name in ("httpx", "oaii", "openai")}
    h = imports["httpx"]
    assert h is not None
    for name, result in imports.items():
        if result is None:
            rows.append((f"cold `import {name}`", "skipped", "-", "not installed"))
            continue
        note = "baseline" if name == "httpx" else ""
        if name == "oaii" and imports["openai"] is not None:
            note = f"{result[0] / imports['openai'][0]:.2f} of import openai (target < 0.25)"
        rows.append(
            (
                f"cold `import {name}`: wall, peak RSS",
                f"{result[0] * 1e3:.0f} ms, {result[1]:.0f} MiB",
                f"{result[0] / h[0]:.2f}, {result[1] / h[1]:.2f}",
                note,
            )
        )
    print(
        f"oaii {oaii.__version__} benchmarks, {date.today()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"{args.calls} calls x {args.rounds} rounds, medians\n"
    )
    print("| measure | value | ratio | note |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
