"""``make bench``: oaii's costs beyond the network, as ratios to baselines measured in the same run.

The local server runs in its own process on 127.0.0.1 (started here, stopped at
the end); every figure is a median over repeated rounds, and the variants of a
measure take turns round by round so that drift falls on all of them alike.
Nothing leaves the machine.  Targets (goals, not assertions): per call within
1.3x of bare httpx and at least 2x faster than the official SDK; ``import oaii``
under a quarter of ``import openai``; validation adding under 15% a call.
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
import warnings
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import oaii

KEY = "sk-bench"
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "OpenAI-Beta": "assistants=v2",
    "Content-Type": "application/json",
}
FIELDS: dict[str, Any] = {
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "metadata": {"bench": "yes"},
}
BODY = json.dumps({"assistant_id": "asst_bench", **FIELDS}).encode()
RSS_PROBE = (
    "import time; t = time.perf_counter(); import {name}; t = time.perf_counter() - t\n"
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
    "print(t, int(hwm) / 1024)"
)
Row = tuple[str, str, str, str]


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "oaii.server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed once the socket listens
    return proc, line.rsplit(" ", 1)[-1].strip()


def per_call(
    variants: dict[str, Callable[[str], object]], calls: int, rounds: int
) -> dict[str, tuple[float, float]]:
    """Median over rounds of (wall, client CPU) seconds per call, each call on a thread of its own.

    Wall time includes the server's share; the client process's CPU time is what the
    client itself costs, the figure the targets are about."""
    counter = iter(range(10**9))
    for fn in variants.values():
        for _ in range(30):
            fn(f"thread_w{next(counter)}")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            threads = [f"thread_{name}{next(counter)}" for _ in range(calls)]
            wall, cpu = time.perf_counter(), time.process_time()
            for thread in threads:
                fn(thread)
            samples[name].append(((time.perf_counter() - wall) / calls, (time.process_time() - cpu) / calls))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in samples.items()
    }


def _us(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1e6:.0f} µs / {pair[1] * 1e6:.0f} µs"


def _ratio(a: tuple[float, float], b: tuple[float, float]) -> str:
    return f"{a[0] / b[0]:.2f} / {a[1] / b[1]:.2f}"


def sequential(url: str, calls: int, rounds: int) -> list[Row]:
    with httpx.Client(timeout=30) as client:

        def bare(thread: str) -> object:
            return json.loads(
                client.post(f"{url}/threads/{thread}/runs", content=BODY, headers=HEADERS).content
            )

        def with_oaii(validate: bool) -> Callable[[str], object]:
            def call(thread: str) -> object:
                return oaii.runs_create_run_request(
                    thread,
                    "asst_bench",
                    **FIELDS,
                    api_key=KEY,
                    base_url=url,
                    http_client=client,
                    validate=validate,
                )

            return call

        variants = {"bare": bare, "oaii": with_oaii(True), "novalidate": with_oaii(False)}
        sdk_note = add_sdk(variants, url)
        t = per_call(variants, calls, rounds)
    base, on, off = t["bare"], t["oaii"], t["novalidate"]
    rows = [
        ("per call (wall / client CPU): bare httpx post + json.loads", _us(base), "1.00 / 1.00", "baseline"),
        ("per call: runs_create_run_request", _us(on), _ratio(on, base), "target ≤ 1.30"),
        ("per call: runs_create_run_request(validate=False)", _us(off), _ratio(off, base), ""),
        (
            "validation: on vs off",
            f"{(on[0] - off[0]) * 1e6:+.0f} µs / {(on[1] - off[1]) * 1e6:+.0f} µs",
            _ratio(on, off),
            "target ≤ 1.15",
        ),
    ]
    if "sdk" in t:
        sdk = t["sdk"]
        rows.append(
            (
                "per call: openai SDK beta.threads.runs.create",
                _us(sdk),
                _ratio(sdk, base),
                f"SDK / oaii = {_ratio(sdk, on)} (target ≥ 2)",
            )
        )
    else:
        rows.append(("per call: official openai SDK", "skipped", "-", sdk_note))
    return rows


def add_sdk(variants: dict[str, Callable[[str], object]], url: str) -> str:
    """Add the official SDK as a variant when installed; else say why not."""
    try:
        import openai
    except ImportError:
        return "not installed: pip install '.[bench]'"
    warnings.simplefilter("ignore", DeprecationWarning)  # "The Assistants API is deprecated"
    sdk = openai.OpenAI(api_key=KEY, base_url=url, max_retries=0, http_client=httpx.Client(timeout=30))
    runs = getattr(getattr(getattr(sdk, "beta", None), "threads", None), "runs", None)
    if runs is None:
        return f"openai {openai.__version__} has no beta.threads.runs"

    def official(thread: str) -> object:
        return runs.create(thread, assistant_id="asst_bench", **FIELDS)

    variants["sdk"] = official
    return ""


async def throughput(url: str, total: int, concurrency: int, use_oaii: bool, prefix: str) -> float:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with gate:
                thread = f"thread_{prefix}{i}"
                if use_oaii:
                    await oaii.runs_create_run_request_async(
                        thread, "asst_bench", **FIELDS, api_key=KEY, base_url=url, http_client=client
                    )
                else:
                    response = await client.post(
                        f"{url}/threads/{thread}/runs", content=BODY, headers=HEADERS
                    )
                    json.loads(response.content)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(total)))
        return total / (time.perf_counter() - start)


def concurrent(url: str, total: int, concurrency: int, rounds: int) -> list[Row]:
    results: dict[bool, list[float]] = {False: [], True: []}
    for r in range(rounds):
        for use_oaii in (False, True):
            results[use_oaii].append(
                asyncio.run(throughput(url, total, concurrency, use_oaii, f"a{use_oaii:d}{r}_"))
            )
    base, mine = statistics.median(results[False]), statistics.median(results[True])
    return [
        (
            f"async: {total} runs at concurrency {concurrency}, bare httpx.AsyncClient",
            f"{base:.0f} runs/s",
            "1.00",
            "baseline",
        ),
        (
            "async: runs_create_run_request_async",
            f"{mine:.0f} runs/s",
            f"{mine / base:.2f}",
            "higher is better",
        ),
    ]


def cold(name: str, rounds: int) -> tuple[float, float, float] | None:
    """Medians of a fresh interpreter's wall time for ``import name``, of the import alone,
    and of its peak RSS (VmHWM, MiB); None if it cannot be imported."""
    walls, imports, rss = [], [], []
    for _ in range(rounds):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", RSS_PROBE.format(name=name)], capture_output=True, text=True, check=False
        )
        walls.append(time.perf_counter() - start)
        if proc.returncode != 0:
            return None
        took, peak = proc.stdout.split()
        imports.append(float(took))
        rss.append(float(peak))
    return statistics.median(walls), statistics.median(imports), statistics.median(rss)


def imports(rounds: int) -> list[Row]:
    found = {name: cold(name, rounds) for name in ("httpx", "oaii", "openai")}
    h, o = found["httpx"], found["openai"]
    assert h is not None
    rows: list[Row] = []
    for name, result in found.items():
        if result is None:
            rows.append((f"cold `import {name}`", "skipped", "-", "not installed"))
            continue
        wall, took, peak = result
        note = "baseline" if name == "httpx" else ""
        if name == "oaii" and o is not None:
            note = f"import is {took / o[1]:.2f} of import openai (target < 0.25)"
        rows.append(
            (
                f"cold `import {name}`: process wall / import alone / peak RSS",
                f"{wall * 1e3:.0f} ms / {took * 1e3:.0f} ms / {peak:.0f} MiB",
                f"{wall / h[0]:.2f} / {took / h[1]:.2f} / {peak / h[2]:.2f}",
                note,
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=300, help="calls a round, sequential measures")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a smoke run: few calls and rounds")
    args = parser.parse_args()
    if args.quick:
        args.calls, args.rounds = 30, 2
    total = 200 if args.quick else 1000
    proc, url = start_server()
    try:
        rows = sequential(url, args.calls, args.rounds)
        rows += concurrent(url, total, 50, max(3, args.rounds // 2))
    finally:
        proc.terminate()
        proc.wait()
    rows += imports(max(5, args.rounds))
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
