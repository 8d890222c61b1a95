"""First-call latency: a fresh process that imports a client and creates one run.

Like hyperfine, but in-process: each repetition starts ``python -c`` anew
(process start, interpreter start-up, the import, building the client, the first
request, exit) and the parent times it from spawn to exit.  The child reports
the import and the first request on their own, its CPU time and its peak RSS.
The variants take turns repetition by repetition.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from _common import ASSISTANT, FIELDS, KEY, Stat, ratios, rotated, table

# One template: timing and reporting identical for every variant; only IMPORT and CALL differ.
CHILD = """\
import time, sys, json, warnings
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
url, key, assistant, fields, thread = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
{call}
t2 = time.perf_counter()
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
rss = int([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]) / 1024
print(json.dumps([t1 - t0, t2 - t1, time.process_time(), rss]))
"""

VARIANTS: dict[str, tuple[str, str]] = {
    "httpx (bare post)": (
        "import httpx",
        "r = httpx.post(url + '/threads/' + thread + '/runs', json={'assistant_id': assistant, **fields},"
        " headers={'Authorization': 'Bearer ' + key, 'OpenAI-Beta': 'assistants=v2'}); r.json()",
    ),
    "oaii": (
        "import oaii",
        "oaii.runs_create_run_request(thread, assistant, **fields, api_key=key, base_url=url)",
    ),
    "openai": (
        "import openai",
        "warnings.simplefilter('ignore', DeprecationWarning)\n"
        "openai.OpenAI(api_key=key, base_url=url).beta.threads.runs.create("
        "thread, assistant_id=assistant, **fields)",
    ),
}


def _available(module: str) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, check=False)
    return probe.returncode == 0


def once(code: str, url: str, fields: str, thread: str) -> tuple[float, list[float]]:
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", code, url, KEY, ASSISTANT, fields, thread],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(f"first-call child failed: {child.stderr.strip()[-2000:]}")
    return wall, json.loads(child.stdout.strip().splitlines()[-1])


def run(url: str, repetitions: int) -> tuple[str, dict[str, Any]]:
    codes = {}
    missing = []
    for name, (imports, call) in VARIANTS.items():
        module = imports.split()[1]
        if _available(module):
            codes[name] = CHILD.format(imports=imports, call=call)
        else:
            missing.append(name)
    fields = json.dumps(FIELDS)
    for n, code in enumerate(codes.values()):  # bytecode caches written once, not in a timed run
        once(code, url, fields, f"thread_coldw{n}")
    walls: dict[str, list[float]] = {name: [] for name in codes}
    parts: dict[str, list[list[float]]] = {name: [] for name in codes}
    for turn in range(repetitions):
        for name in rotated(list(codes), turn):
            wall, inner = once(codes[name], url, fields, f"thread_cold{turn}_{len(parts[name])}_{name[:4]}")
            walls[name].append(wall)
            parts[name].append(inner)
    rows = []
    figures: dict[str, Any] = {}
    for name in codes:
        imp = Stat([p[0] for p in parts[name]])
        first = Stat([p[1] for p in parts[name]])
        cpu = Stat([p[2] for p in parts[name]])
        rss = Stat([p[3] for p in parts[name]])
        vs = "-"
        if "openai" in walls:
            openai_cpu = [p[2] for p in parts["openai"]]
            vs = f"{ratios(walls[name], walls['openai']).x()} / {ratios([p[2] for p in parts[name]], openai_cpu).x()}"
        rows.append(
            [f"`{name}`", Stat(walls[name]).ms(), imp.ms(), first.ms(), cpu.ms(), f"{rss.median:.0f}", vs]
        )
        figures[name] = {
            "process_ms": Stat(walls[name]).median * 1e3,
            "import_ms": imp.median * 1e3,
            "first_call_ms": first.median * 1e3,
        }
    rows += [[f"`{name}`", "skipped: not installed", "", "", "", "", ""] for name in missing]
    text = table(
        [
            "fresh process: import + first createRun",
            "process wall ms",
            "import ms",
            "first call ms",
            "process CPU ms",
            "peak RSS MiB",
            "wall / CPU vs openai",
        ],
        rows,
    )
    if "openai" in walls and "oaii" in walls:
        r = ratios(walls["oaii"], walls["openai"]).median
        c = ratios([p[2] for p in parts["oaii"]], [p[2] for p in parts["openai"]]).median
        verdict = "met" if max(r, c) <= 0.25 else "missed"
        text += f"\n\n- oaii's fresh process + first call: {r:.2f} of openai's wall, {c:.2f} of its CPU (goal ≤ 0.25: {verdict})"
    return text, figures
