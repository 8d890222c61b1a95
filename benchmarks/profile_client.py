"""Where oaii's client CPU per createRun goes: cProfile of the client only (the server is another process).

    python benchmarks/profile_client.py                  # runs_create_run_request, top 15 by own time
    python benchmarks/profile_client.py --target client  # oaii.Client(...).create_run, when it exists
    python benchmarks/profile_client.py --target bare    # bare httpx, to subtract
    python benchmarks/profile_client.py --sort cumulative --top 30

cProfile inflates small functions, so read it for the shape (which functions,
how many calls per createRun), and bench.py for the size.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import oaii
from _common import ASSISTANT, BODY, FIELDS, HEADERS, KEY, server_process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument("--target", default="front-door", choices=["front-door", "client", "bare"])
    args = parser.parse_args(argv)
    with server_process() as url:
        if args.target == "bare":
            http = httpx.Client(timeout=30)
            target = f"{url}/threads/{{}}/runs"

            def call(thread: str) -> object:
                return json.loads(http.post(target.format(thread), content=BODY, headers=HEADERS).content)
        elif args.target == "client":
            client = oaii.Client(api_key=KEY, base_url=url)  # type: ignore[attr-defined]

            def call(thread: str) -> object:
                return client.create_run(thread, ASSISTANT, **FIELDS)
        else:

            def call(thread: str) -> object:
                return oaii.runs_create_run_request(thread, ASSISTANT, **FIELDS, api_key=KEY, base_url=url)

        for i in range(50):  # connection, lazy imports, compiled validator: not per-call costs
            call(f"thread_warm{i}")
        threads = [f"thread_p{i}" for i in range(args.calls)]
        # The default (wall) timer: a CPU-time timer costs a system call per event and
        # inflates small functions several-fold; the wait for the answer is split out below.
        profiler = cProfile.Profile()
        profiler.enable()
        for thread in threads:
            call(thread)
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    layers = by_layer(stats)
    waiting = layers.pop(WAITING, 0.0)
    total = sum(layers.values())
    print(
        f"{args.calls} calls of {args.target}: {total / args.calls * 1e6:.0f} µs a call in the client, "
        f"{waiting / args.calls * 1e6:.0f} µs waiting in recv() for the server"
    )
    print("(cProfile's own overhead included; bench.py gives the unprofiled size)\n")
    print("own CPU by layer, µs a call:")
    for layer, seconds in sorted(layers.items(), key=lambda kv: -kv[1]):
        print(f"  {layer:<34} {seconds / args.calls * 1e6:7.1f}")
    print(f"\ntop {args.top} by {args.sort}, socket send/recv left out (kernel and waiting), µs a call:")
    print(f"  {'own':>7} {'cumul.':>8} {'calls':>6}  function")
    column = 2 if args.sort == "tottime" else 3
    rows = [
        (key, row)
        for key, row in stats.stats.items()  # type: ignore[attr-defined]
        if "_socket.socket" not in key[2]
    ]
    rows.sort(key=lambda kv: -kv[1][column])
    for (filename, line, function), (_cc, ncalls, own, cumulative, _callers) in rows[: args.top]:
        where = f"{Path(filename).name}:{line}({function})" if filename != "~" else function
        per = args.calls
        print(f"  {own / per * 1e6:7.1f} {cumulative / per * 1e6:8.1f} {ncalls / per:6.1f}  {where}")
    return 0


WAITING = "waiting for the server (recv)"
LAYERS = (
    ("method 'recv' of '_socket.socket'", WAITING),
    ("oaii_openapi_client", "generated package"),
    ("oaii/_http/h1.py", "oaii connections (_h1, _connections)"),
    ("oaii/_http/connections.py", "oaii connections (_h1, _connections)"),
    ("oaii/_http/aconnections.py", "oaii connections (_h1, _connections)"),
    ("wrapper/oaii", "oaii wrapper"),
    ("site-packages/oaii/", "oaii wrapper"),
    ("/httpx/", "httpx"),
    ("/httpcore/", "httpcore"),
    ("/h11/", "h11"),
    ("/attr", "attrs"),
    ("/json/", "json"),
    ("<string>", "compiled validator (fastjsonschema)"),
    ("fastjsonschema", "compiled validator (fastjsonschema)"),
    ("socket", "socket"),
)


def by_layer(stats: pstats.Stats) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename} {function}"
        layer = next((name for marker, name in LAYERS if marker in where), None)
        if layer is None:
            layer = "builtins (isinstance, str, dict...)" if filename == "~" else "other stdlib"
        totals[layer] += row[2]
    return totals


if __name__ == "__main__":
    raise SystemExit(main())
