"""Regenerate from several upstream specs, each in a temporary copy of the repository, and test there.

Usage::

    python openapi/regen_matrix.py [--jobs N] [--keep] [--details] UPSTREAM.yaml ...
    python openapi/regen_matrix.py --build-variants DIR [BASE.yaml]

For each upstream file: copy the working tree (the files git tracks or would
track, as they are on disk, so uncommitted edits count) into a temporary folder,
then run there ``make spec UPSTREAM=...``, ``make generate``, ``make test`` and
``make check``, reusing this repository's ``.venv``.  One line per version: ``ok``
with the test counts, or the step that failed and what failed in it.  The exit
status is 0 only when every version is ok.

The editable install maps ``oaii`` and ``oaii_openapi_client`` to this checkout;
in each copy ``PYTHONPATH`` puts the copy's own packages first, and a probe
checks that they are the ones imported before anything else runs.

``--build-variants DIR`` writes specs derived from one upstream copy (default:
the 2026-08-21 one), each a change a real upstream made or may make, to try the
matrix on: ``DIR/<name>/openapi.yaml`` (see ``VARIANTS``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OAII_SHARED_OPENAPI") or ROOT.parent / "shared" / "openai-openapi")
STEPS = (
    ("spec", "make spec"),
    ("generate", "make generate"),
    ("test", "make test"),
    ("spec-tests", "make spec-tests"),  # a fast selection instead of test (CI's choice)
    ("check", "make check"),
)
DEFAULT_STEPS = ("spec", "generate", "test", "check")
_SUMMARY = re.compile(
    r"^=*\s*(\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected).*?) in [\d.]+s"
)
_OUTCOME = re.compile(r"^(FAILED|ERROR) (\S+)")
_SKIP = re.compile(r"^SKIPPED \[\d+\] (.*)$")


# ------------------------------------------------------------------- variants


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _strip_run_object_examples(spec: dict[str, Any]) -> None:
    _schemas(spec)["RunObject"].pop("x-oaiMeta", None)


def _strip_all_examples(spec: dict[str, Any]) -> None:
    _strip_run_object_examples(spec)
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("x-oaiMeta", None)


def _examples_keyword(spec: dict[str, Any]) -> None:
    """RunObject's example as OpenAPI 3.1 ``examples`` (a list of values) instead of x-oaiMeta."""
    import json

    run = _schemas(spec)["RunObject"]
    example = json.loads(run.pop("x-oaiMeta")["example"])
    run["examples"] = [example]
    _strip_all_examples(spec)


def _drop_request_field(name: str) -> Callable[[dict[str, Any]], None]:
    def edit(spec: dict[str, Any]) -> None:
        request = _schemas(spec)["CreateRunRequest"]
        del request["properties"][name]
        if name in request.get("required", []):
            request["required"].remove(name)

    return edit


def _new_request_field(spec: dict[str, Any]) -> None:
    _schemas(spec)["CreateRunRequest"]["properties"]["service_tier"] = {
        "type": "string",
        "enum": ["auto", "default", "flex"],
        "nullable": True,
        "description": "A field a later spec might add (built by regen_matrix.py).",
    }


def _new_enum_values(spec: dict[str, Any]) -> None:
    schemas = _schemas(spec)
    schemas["RunObject"]["properties"]["status"]["enum"].append("paused")
    effort = schemas["ReasoningEffort"]
    members = effort.get("anyOf", [effort])
    next(m for m in members if "enum" in m)["enum"].append("ultra")


def _const_tags(spec: dict[str, Any]) -> None:
    """Every one-value ``enum`` becomes OpenAPI 3.1's ``const`` (the union members' type tags)."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list) and len(node["enum"]) == 1:
                node["const"] = node.pop("enum")[0]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    spec["openapi"] = "3.1.0"
    walk(_schemas(spec))


def _wildcard_media_type(spec: dict[str, Any]) -> None:
    listing = spec["paths"]["/threads/{thread_id}/runs"]["get"]["responses"]["200"]
    listing["content"] = {"*/*": listing["content"].pop("application/json")}


#: name -> (what it tries, the edit); each applies to a deep copy of the base spec.
VARIANTS: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "no-run-object-example": ("RunObject without its x-oaiMeta example", _strip_run_object_examples),
    "no-examples": ("no x-oaiMeta anywhere: example tests skip", _strip_all_examples),
    "examples-keyword": ("RunObject's example under OpenAPI 3.1 `examples`", _examples_keyword),
    "no-reasoning-effort": (
        "CreateRunRequest without reasoning_effort",
        _drop_request_field("reasoning_effort"),
    ),
    "no-additional-instructions": (
        "CreateRunRequest without a seed field (additional_instructions)",
        _drop_request_field("additional_instructions"),
    ),
    "new-request-field": ("CreateRunRequest with a new field service_tier", _new_request_field),
    "new-enum-values": ("a new run status and reasoning_effort value", _new_enum_values),
    "const-tags": ("union members tagged by `const` instead of a one-value enum", _const_tags),
    "wildcard-media-type": ("listRuns declaring `*/*` instead of application/json", _wildcard_media_type),
}


def build_variants(base: Path, out: Path, names: list[str] | None = None) -> list[Path]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    spec = yaml.load(base.read_bytes(), Loader=loader)
    written = []
    for name in names or list(VARIANTS):
        _, edit = VARIANTS[name]
        variant = copy.deepcopy(spec)
        edit(variant)
        path = out / name / "openapi.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.dump(variant, Dumper=dumper, sort_keys=False, allow_unicode=True), "utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------- matrix


def copy_tree(dest: Path) -> None:
    """The files git tracks or would track (not ignored), as they are on disk."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        source = ROOT / os.fsdecode(raw)
        if source.is_file():
            target = dest / os.fsdecode(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _tail(text: str, lines: int = 3) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()][-lines:]
    return " | ".join(kept)[:400]


def _pytest_result(output: str) -> tuple[str, list[str], list[str]]:
    summary, failures, skips = "", [], []
    for line in output.splitlines():
        if match := _SUMMARY.match(line.strip("= ")):
            summary = match.group(1)
        elif match := _OUTCOME.match(line):
            failures.append(match.group(2))
        elif match := _SKIP.match(line):
            skips.append(match.group(1))
    return summary, failures, skips


def run_one(
    upstream: Path, *, venv: Path, keep: bool, steps: tuple[str, ...] = DEFAULT_STEPS
) -> tuple[bool, str, list[str]]:
    """Regenerate from ``upstream`` in a fresh copy; (ok, one-line verdict, details)."""
    work = Path(tempfile.mkdtemp(prefix="oaii-regen-"))
    try:
        copy_tree(work)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(work / "wrapper"), str(work / "generated")]),
            "OAII_SHARED_OPENAPI": str(SHARED),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        make = ["make", "--no-print-directory", f"VENV={venv}"]
        probe = (
            "import sys, oaii, oaii_openapi_client as g;"
            "assert oaii.__file__.startswith(sys.argv[1]) and g.__file__.startswith(sys.argv[1]), "
            "(oaii.__file__, g.__file__)"
        )
        checked = subprocess.run(
            [str(venv / "bin" / "python"), "-c", probe, str(work)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        if checked.returncode:
            return False, f"FAILED: the copy does not import its own packages: {_tail(checked.stderr)}", []
        notes: list[str] = []
        details: list[str] = []
        for step, label in [(s, label) for s, label in STEPS if s in steps]:
            args = [*make, step] + ([f"UPSTREAM={upstream}"] if step == "spec" else [])
            done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True)
            output = done.stdout + done.stderr
            if step == "spec":
                notes += [f"no seed argument {m}" for m in re.findall(r"seed argument '(\w+)'", done.stderr)]
            if step in ("test", "spec-tests"):
                summary, failures, skips = _pytest_result(output)
                details += [f"skipped: {reason}" for reason in skips]
                details += [f"failed: {name}" for name in failures]
                if done.returncode:
                    shown = ", ".join(failures[:6]) + (" ..." if len(failures) > 6 else "")
                    verdict = f"FAILED {label}: {shown or _tail(output)} ({summary or 'no summary'})"
                    return False, verdict, details
                notes.insert(0, summary)
            elif done.returncode:
                return False, f"FAILED {label}: {_tail(output)}", details
        said = "; ".join(n for n in notes if n)
        return True, f"ok ({said})" if said else "ok", details
    finally:
        if keep:
            print(f"kept {work} for {upstream}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("upstreams", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="versions tried at once (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument("--details", action="store_true", help="also list skipped and failed tests")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    parser.add_argument(
        "--steps",
        default=",".join(DEFAULT_STEPS),
        help="make targets to run in each copy, in the order of "
        f"{', '.join(s for s, _ in STEPS)} (default: %(default)s)",
    )
    parser.add_argument("--build-variants", type=Path, metavar="DIR", help="write the VARIANTS specs to DIR")
    args = parser.parse_args(argv)
    if args.build_variants:
        base = args.upstreams[0] if args.upstreams else SHARED / "2026-08-21" / "openapi.yaml"
        for path in build_variants(base, args.build_variants):
            print(f"{path}: {VARIANTS[path.parent.name][0]}")
        return 0
    if not args.upstreams:
        parser.error("give one or more upstream openapi.yaml files")
    missing = [str(p) for p in args.upstreams if not p.is_file()]
    if missing:
        parser.error(f"no such file: {', '.join(missing)}")
    steps = tuple(args.steps.split(","))
    if unknown := set(steps) - {s for s, _ in STEPS}:
        parser.error(f"unknown steps {sorted(unknown)}; known: {[s for s, _ in STEPS]}")
    upstreams = [p.resolve() for p in args.upstreams]
    venv = args.venv.absolute()
    width = max(len(str(p)) for p in args.upstreams)
    started = time.monotonic()
    all_ok = True
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_one, p, venv=venv, keep=args.keep, steps=steps) for p in upstreams]
        for shown, future in zip(args.upstreams, futures, strict=True):
            ok, verdict, details = future.result()
            all_ok &= ok
            print(f"{shown!s:<{width}}  {verdict}", flush=True)
            if args.details:
                for line in details:
                    print(f"{'':<{width}}    {line}")
    print(f"regen-matrix: {len(upstreams)} version(s) in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
