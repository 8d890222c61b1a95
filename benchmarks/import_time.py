"""Import cost in fresh processes: what ``import oaii`` and its first use cost, and
what the pytest plugin costs every pytest start.

Each repetition starts ``python -c`` anew; the child times its own imports
(``time.perf_counter`` around them) and counts the generated model modules it
loaded.  The variants take turns repetition by repetition; figures are medians
with the range, and ``import httpx`` (which every variant but the plugin pays)
is the baseline of the ratios.

    python benchmarks/import_time.py [--rounds 15] [--json FILE] [--compare OTHER_PYTHON]

``--compare`` also runs every variant with another interpreter (say, the .venv of a
checkout of an earlier commit), taking turns with this one, and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile

CHILD = """\
import sys, time, json
{setup}
t0 = time.perf_counter()
{code}
t1 = time.perf_counter()
models = sum(1 for m in sys.modules if m.startswith('oaii_openapi_client.models.'))
print(json.dumps([(t1 - t0) * 1000, models, 'jsonschema_rs' in sys.modules]))
"""

# name: (set-up not timed, code timed)
VARIANTS: dict[str, tuple[str, str]] = {
    "import httpx (baseline)": ("", "import httpx"),
    "import oaii": ("", "import oaii"),
    "import oaii + runs_create_run_request": ("", "import oaii; oaii.runs_create_run_request"),
    "import oaii.server": ("", "import oaii.server"),
    # What a pytest start pays for the plugin: pytest itself is loaded already.
    "pytest plugin (after import pytest)": (
        "import pytest, importlib.metadata as md",
        "[ep.load() for ep in md.entry_points(group='pytest11') if ep.name == 'oaii']",
    ),
}


def once(python: str, setup: str, code: str) -> list[float]:
    out = subprocess.run(
        [python, "-c", CHILD.format(setup=setup, code=code)],
        capture_output=True,
        text=True,
        check=True,
        # Not the checkout: '' on sys.path would find its oaii.egg-info whatever the interpreter.
        cwd=tempfile.gettempdir(),
    ).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", help="write the medians here")
    parser.add_argument("--compare", help="another interpreter to run every variant with")
    args = parser.parse_args()
    runs = {n: (sys.executable, *VARIANTS[n]) for n in VARIANTS}
    if args.compare:
        runs.update({f"{n} [{args.compare}]": (args.compare, *VARIANTS[n]) for n in VARIANTS})
    names = list(runs)
    times: dict[str, list[float]] = {n: [] for n in names}
    facts: dict[str, tuple[int, bool]] = {}
    for r in range(args.rounds):
        for n in names[r % len(names) :] + names[: r % len(names)]:  # rotate who goes first
            ms, models, rs = once(*runs[n])
            times[n].append(ms)
            facts[n] = (int(models), bool(rs))
    base = statistics.median(times[names[0]])
    print(
        f"| fresh process, {args.rounds} rounds | ms (min-max) | / import httpx | model modules | jsonschema_rs |"
    )
    print("|---|---|---|---|---|")
    medians = {}
    for n in names:
        med = statistics.median(times[n])
        medians[n] = med
        models, rs = facts[n]
        print(
            f"| {n} | {med:.1f} ({min(times[n]):.1f}-{max(times[n]):.1f}) | {med / base:.2f} | {models} | "
            f"{'loaded' if rs else 'no'} |"
        )
    if args.compare:
        print()
        print("| variant | this / other |")
        print("|---|---|")
        for n in VARIANTS:
            print(f"| {n} | {medians[n] / medians[f'{n} [{args.compare}]']:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(medians, f, indent=1)


if __name__ == "__main__":
    main()
