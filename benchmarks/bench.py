"""``make bench``: what the oaii client costs, as ratios to bare httpx and the official SDK measured in the same run.

The local server runs in a process of its own (``python -m oaii.server --port 0``),
so this process's CPU time is the client's alone.  Every figure is a median over
rounds in which the variants take turns (rotating order), with the range
(min-max) beside it; ratios are taken round by round.  Nothing leaves 127.0.0.1.

Goals (reported, never asserted): oaii's client CPU per createRun ≤ 1.05x bare
httpx; the official SDK ≥ 2.5x oaii; a fresh process's import + first call ≤ ¼
of openai's.  The async part shows oaii's own overhead apart from httpcore's
pool (see ``_async.py``).  ``pip install -e '.[bench]'`` adds the official SDK
and the aiohttp transport; without them those rows say "skipped".

    python benchmarks/bench.py                 # the whole report, about 2 minutes
    python benchmarks/bench.py --quick         # a smoke run, seconds
    python benchmarks/bench.py --json out.json # the figures for a machine
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _async
import _first_call
import _per_call
from _common import machine_line, server_process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--calls", type=int, default=200, help="calls a variant makes per round (per-call part)"
    )
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the per-call part (≥ 3)")
    parser.add_argument("--async-rounds", type=int, default=3, help="rounds of the async part (≥ 3)")
    parser.add_argument("--cold", type=int, default=10, help="fresh processes per variant (first-call part)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: few calls, rounds and processes")
    parser.add_argument("--only", choices=["per-call", "async", "first-call"], action="append")
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.rounds, args.async_rounds, args.cold = 30, 3, 3, 3
    levels = [(1, 60), (50, 100)] if args.quick else [(1, 300), (50, 400)]
    parts = args.only or ["per-call", "async", "first-call"]
    print(f"oaii client benchmarks · {machine_line()}\n", flush=True)
    figures: dict[str, object] = {"machine": machine_line()}
    started = time.perf_counter()
    with server_process() as url:
        if "per-call" in parts:
            text, figures["per_call"] = _per_call.run(url, args.calls, args.rounds)
            print(
                f"Per createRun call, one after another: {args.calls} calls x {args.rounds} rounds, "
                f"medians (min-max)\n\n{text}\n",
                flush=True,
            )
        if "async" in parts:
            text, figures["async"] = _async.run(url, levels, args.async_rounds)
            print(
                f"Async, {args.async_rounds} rounds per level, medians (min-max). A bare httpx.AsyncClient "
                f"(httpcore's pool) costs more per request the more are in flight (upstream: "
                f"encode/httpx#3215, encode/httpcore#1035); oaii's own pool is not httpcore's, so at 50 "
                f"in flight its rows measure oaii against a pool-bound baseline\n\n{text}\n",
                flush=True,
            )
        if "first-call" in parts:
            text, figures["first_call"] = _first_call.run(url, args.cold)
            print(f"First call in a fresh process, {args.cold} processes each, medians (min-max)\n\n{text}\n")
    print(f"(took {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
