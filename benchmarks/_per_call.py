"""Per createRun call: client CPU and wall time, oaii against bare httpx and the official SDK.

Each variant sends the same run (``FIELDS``) to the server in the other process,
one call after another on a kept-alive connection; the variants take turns round
by round in a rotating order.  Client CPU is ``time.process_time()`` of this
process (the server's share is not in it); wall is ``time.perf_counter()``.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import httpx
import oaii
from _common import ASSISTANT, BODY, FIELDS, HEADERS, KEY, Stat, ratios, rotated, table

Call = Callable[[str], object]
WARMUP = 30


def variants(url: str, stack: ExitStack) -> tuple[dict[str, Call], dict[str, str]]:
    """The variants that can run here, and a note for each one that cannot."""
    found: dict[str, Call] = {}
    missing: dict[str, str] = {}
    client = stack.enter_context(httpx.Client(timeout=30))
    target = f"{url}/threads/{{}}/runs"

    def bare(thread: str) -> object:
        return json.loads(client.post(target.format(thread), content=BODY, headers=HEADERS).content)

    found["bare httpx"] = bare

    def front_door(thread: str) -> object:
        return oaii.runs_create_run_request(thread, ASSISTANT, **FIELDS, api_key=KEY, base_url=url)

    found["oaii runs_create_run_request"] = front_door

    def front_door_user_client(thread: str) -> object:
        return oaii.runs_create_run_request(
            thread, ASSISTANT, **FIELDS, api_key=KEY, base_url=url, http_client=client
        )

    found["oaii runs_create_run_request(http_client=)"] = front_door_user_client

    client_class: Any = getattr(oaii, "Client", None)
    if client_class is None:
        missing["oaii.Client(...).create_run"] = "oaii.Client not in this version"
    else:
        try:  # its interface is young: a mismatch skips this row instead of the whole report
            oaii_client = client_class(api_key=KEY, base_url=url)
            stack.callback(oaii_client.close)

            def client_object(thread: str) -> object:
                return oaii_client.create_run(thread, ASSISTANT, **FIELDS)

            client_object("thread_probe_client")
            found["oaii.Client(...).create_run"] = client_object
        except Exception as exc:
            missing["oaii.Client(...).create_run"] = f"failed: {type(exc).__name__}: {str(exc)[:120]}"

    sdk_call, note = official_sdk(url, stack)
    if sdk_call is None:
        missing["openai SDK beta.threads.runs.create"] = note
    else:
        found["openai SDK beta.threads.runs.create"] = sdk_call
    return found, missing


def official_sdk(url: str, stack: ExitStack) -> tuple[Call | None, str]:
    try:
        import openai
    except ImportError:
        return None, "not installed: pip install -e '.[bench]'"
    # "The Assistants API is deprecated": said on every call, and printing it would be timed.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    sdk = openai.OpenAI(api_key=KEY, base_url=url)
    stack.callback(sdk.close)
    runs = getattr(getattr(getattr(sdk, "beta", None), "threads", None), "runs", None)
    if runs is None:
        return None, f"openai {openai.__version__} has no beta.threads.runs"

    def official(thread: str) -> object:
        return runs.create(thread, assistant_id=ASSISTANT, **FIELDS)

    return official, ""


def measure(
    calls_by_name: dict[str, Call], calls: int, rounds: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Per variant, per round: (wall seconds a call, client CPU seconds a call)."""
    serial = iter(range(10**9))
    for name, fn in calls_by_name.items():
        for _ in range(WARMUP):
            result = fn(f"thread_w{next(serial)}")
        if not result:
            raise RuntimeError(f"{name} returned nothing")
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in calls_by_name}
    names = list(calls_by_name)
    for turn in range(rounds):
        for name in rotated(names, turn):
            fn = calls_by_name[name]
            threads = [f"thread_{turn}_{next(serial)}" for _ in range(calls)]
            wall, cpu = time.perf_counter(), time.process_time()
            for thread in threads:
                fn(thread)
            cpu = time.process_time() - cpu
            wall = time.perf_counter() - wall
            samples[name][0].append(wall / calls)
            samples[name][1].append(cpu / calls)
    return samples


def run(url: str, calls: int, rounds: int) -> tuple[str, dict[str, Any]]:
    """The per-call table (markdown) and the figures behind it."""
    with ExitStack() as stack:
        found, missing = variants(url, stack)
        samples = measure(found, calls, rounds)
    base_wall, base_cpu = samples["bare httpx"]
    sdk = samples.get("openai SDK beta.threads.runs.create")
    rows = []
    figures: dict[str, Any] = {}
    for name, (wall, cpu) in samples.items():
        cpu_vs_bare = ratios(cpu, base_cpu)
        wall_vs_bare = ratios(wall, base_wall)
        sdk_cpu = ratios(sdk[1], cpu).x() if sdk is not None else "-"
        sdk_wall = ratios(sdk[0], wall).x() if sdk is not None else "-"
        figures[name] = {
            "wall_us": Stat(wall).median * 1e6,
            "cpu_us": Stat(cpu).median * 1e6,
            "cpu_vs_bare": cpu_vs_bare.median,
            "wall_vs_bare": wall_vs_bare.median,
        }
        rows.append(
            [
                f"`{name}`",
                Stat(cpu).us(),
                cpu_vs_bare.x(),
                sdk_cpu,
                Stat(wall).us(),
                wall_vs_bare.x(),
                sdk_wall,
            ]
        )
    for name, note in missing.items():
        rows.append([f"`{name}`", "skipped", note, "", "", "", ""])
    text = table(
        [
            "per createRun call",
            "client CPU µs",
            "CPU / bare",
            "SDK CPU / this",
            "wall µs",
            "wall / bare",
            "SDK wall / this",
        ],
        rows,
    )
    text += "\n\n" + goals(samples)
    return text, figures


def goals(samples: dict[str, tuple[list[float], list[float]]]) -> str:
    base_cpu = samples["bare httpx"][1]
    sdk = samples.get("openai SDK beta.threads.runs.create")
    lines = []
    for name in ("oaii runs_create_run_request", "oaii.Client(...).create_run"):
        if name not in samples:
            continue
        cpu = samples[name][1]
        r = ratios(cpu, base_cpu).median
        lines.append(f"- `{name}`: CPU {r:.2f}x bare httpx (goal ≤ 1.05: {'met' if r <= 1.05 else 'missed'})")
        if sdk is not None:
            s = ratios(sdk[1], cpu).median
            lines.append(f"  SDK costs {s:.2f}x its CPU (goal ≥ 2.5: {'met' if s >= 2.5 else 'missed'})")
    return "\n".join(lines)
