"""Regeneration from a changed spec: the generator templates, the seed check, the change report,
the regeneration matrix.  Each case cuts its own spec from the vendored subset (or ../shared)."""

from __future__ import annotations

import copy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from .._yaml import dump_yaml, load_yaml
from ..conftest import SEED_FIELDS

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
MODELS = ROOT / "generated" / "oaii_openapi_client" / "models"
SHARED = Path(os.environ.get("OAII_SHARED_OPENAPI") or ROOT.parent / "shared" / "openai-openapi")
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def generate(spec: Path, package: Path) -> None:
    """As `make generate`: the pinned generator, our templates, failing on any warning."""
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(OPENAPI / "generator-config.yaml"),
            "--meta",
            "none",
            "--fail-on-warning",
            "--output-path",
            str(package),
            "--custom-template-path",
            str(OPENAPI / "templates"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


# ------------------------------------------------------------------ templates


def test_generated_models_import_at_module_level() -> None:
    """No model imports inside from_dict/to_dict (each such import cost microseconds per call)."""
    inside_functions = re.compile(r"^[ \t]+(from \.\.|import )", re.MULTILINE)
    offenders = [p.name for p in MODELS.glob("*.py") if inside_functions.search(p.read_text())]
    assert offenders == []


def test_every_model_exports_its_field_names() -> None:
    for path in sorted(MODELS.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"oaii_openapi_client.models.{path.stem}")
        classes = [c for c in vars(module).values() if attrs.has(c) and c.__module__ == module.__name__]
        if not classes:
            continue  # an enum module
        (model,) = classes
        fields = getattr(module, f"{path.stem.upper()}_FIELDS")
        attributes = [f.name for f in attrs.fields(model) if f.name != "additional_properties"]
        assert isinstance(fields, tuple) and len(fields) == len(attributes), path.name
        # Attribute names are sanitised (`type` becomes `type_`); the tuple keeps the JSON names.
        assert all(name in fields or name.removesuffix("_") in fields for name in attributes), path.name


CYCLES = {
    "openapi": "3.1.0",
    "info": {"title": "cycles", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "getA",
                "responses": {
                    "200": {
                        "description": "an A",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "A": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "b": {"$ref": "#/components/schemas/B"}},
            },
            "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "Node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}},
            },
        }
    },
}

CYCLES_PROBE = """
import importlib, sys
sys.path.insert(0, sys.argv[1])
first = importlib.import_module("cycles_client.models." + sys.argv[2])  # before the package's __init__ order
from cycles_client.models.a import A
from cycles_client.models.node import Node
data = {"name": "x", "b": {"a": {"name": "y", "b": {}}}}
assert A.from_dict(data).to_dict() == data
tree = {"children": [{"children": []}, {"children": [{"children": []}]}]}
assert Node.from_dict(tree).to_dict() == tree
print("ok")
"""


@pytest.fixture(scope="module")
def cycles_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("cycles")
    spec = where / "cycles.yaml"
    spec.write_text(dump_yaml(CYCLES))
    generate(spec, where / "cycles_client")
    return where


@pytest.mark.parametrize("first", ["a", "b", "node"])
def test_models_that_refer_to_each_other_in_cycles_import(cycles_client: Path, first: str) -> None:
    probe = python(CYCLES_PROBE, str(cycles_client), first)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "ok"


# ------------------------------------------------------- a spec that changed


NEW_FIELD, NEW_STATUS = "oaii_probe_tier", "oaii_probe_paused"  # names no upstream uses


def changed_spec() -> tuple[dict[str, Any], str]:
    """The vendored subset, as a later upstream might change it: a seed field gone, a field
    and a run status added.  Returns it and the seed field dropped."""
    raw = load_yaml((OPENAPI / "subset.raw.yaml").read_text(encoding="utf-8"))
    spec = copy.deepcopy(raw)
    schemas = spec["components"]["schemas"]
    fields = schemas["CreateRunRequest"]["properties"]
    gone = next(name for name in ("additional_instructions", "instructions", "model") if name in fields)
    del fields[gone]
    fields[NEW_FIELD] = {
        "type": "string",
        "enum": ["auto", "flex"],
        "nullable": True,
    }
    schemas["RunObject"]["properties"]["status"]["enum"].append(NEW_STATUS)
    return spec, gone


CHANGED_PROBE = """
import inspect, json, sys, typing
sys.path.insert(0, sys.argv[1])
import oaii, oaii_openapi_client
assert oaii.__file__.startswith(sys.argv[1]) and oaii_openapi_client.__file__.startswith(sys.argv[1])
from oaii import InputError, runs, runs_create_run_request
from oaii.server import LocalServer
from oaii_openapi_client.models.create_run_request import CREATE_RUN_REQUEST_FIELDS, CreateRunRequestOptions

out = {"fields": list(CREATE_RUN_REQUEST_FIELDS), "options": sorted(CreateRunRequestOptions.__optional_keys__)}
annotation = inspect.signature(runs.runs_create_run_request).parameters["options"].annotation
(options,) = typing.get_args(eval(annotation, vars(runs)) if isinstance(annotation, str) else annotation)
out["wrapper_takes_generated_fields"] = sys.argv[3] in options.__optional_keys__
with LocalServer(create_missing=True) as server:
    where = {"base_url": server.url, "api_key": "sk-test"}
    try:
        runs_create_run_request("thread_1", "asst_1", **{sys.argv[2]: "gpt-4o"}, **where)
    except InputError as err:
        out["refused"] = err.argument
    if out["wrapper_takes_generated_fields"]:
        try:
            runs_create_run_request("thread_2", "asst_1", **{sys.argv[3]: "flex"}, **where)
        except InputError as err:
            out["new_field_error"] = str(err)
    out["sent"] = [r.json() for r in server.requests]
print(json.dumps(out))
"""


def test_a_changed_spec_regenerates_without_wrapper_edits(tmp_path: Path) -> None:
    """make spec says what changed (loudly for a seed argument); make generate follows; the
    unedited wrapper refuses the gone seed argument and takes the new field."""
    upstream = tmp_path / "upstream" / "openapi.yaml"
    upstream.parent.mkdir()
    spec, gone = changed_spec()
    upstream.write_text(dump_yaml(spec, sort_keys=False))
    out = tmp_path / "openapi"
    out.mkdir()
    shutil.copy(OPENAPI / "subset.raw.yaml", out / "subset.raw.yaml")  # the report compares with it
    shutil.copytree(
        ROOT / "wrapper" / "oaii", tmp_path / "oaii", ignore=shutil.ignore_patterns("__pycache__")
    )
    schema = tmp_path / "oaii" / "_spec" / "create_run_request.schema.json"
    cut = subprocess.run(
        [
            sys.executable,
            str(OPENAPI / "subset.py"),
            str(upstream),
            "--out",
            str(out),
            "--schema-out",
            str(schema),
        ],
        capture_output=True,
        text=True,
    )
    assert cut.returncode == 0, cut.stderr
    assert "THIS SPEC LACKS ARGUMENTS OF runs_create_run_request" in cut.stderr
    assert f"seed argument '{gone}'" in cut.stderr
    assert f"- CreateRunRequest field {gone}  <- SEED ARGUMENT" in cut.stdout
    assert f"+ CreateRunRequest field {NEW_FIELD}" in cut.stdout
    assert f"+ enum values at RunObject.status: {NEW_STATUS}" in cut.stdout
    assert gone not in json.loads(schema.read_text())["properties"]

    generate(out / "subset.yaml", tmp_path / "oaii_openapi_client")
    probe = python(CHANGED_PROBE, str(tmp_path), gone, NEW_FIELD)
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout)
    assert gone not in result["fields"] and NEW_FIELD in result["fields"]
    assert NEW_FIELD in result["options"]
    assert result["refused"] == gone
    if not result["wrapper_takes_generated_fields"]:
        pytest.skip("the wrapper's keyword fields are hand-written here, not CreateRunRequestOptions")
    assert "new_field_error" not in result, result["new_field_error"]
    assert result["sent"] == [{"assistant_id": "asst_1", NEW_FIELD: "flex"}]


def test_spec_warns_only_when_a_seed_field_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "openapi"
    cut = subprocess.run(
        [
            sys.executable,
            str(OPENAPI / "subset.py"),
            str(OPENAPI / "subset.raw.yaml"),  # a raw subset is itself a valid upstream
            "--out",
            str(out),
            "--schema-out",
            str(tmp_path / "schema.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert cut.returncode == 0, cut.stderr
    assert "spec report: new subset" in cut.stdout
    fields = load_yaml((out / "subset.raw.yaml").read_text())["components"]["schemas"]["CreateRunRequest"]
    lacking = [name for name in SEED_FIELDS if name not in fields["properties"]]
    assert ("THIS SPEC LACKS" in cut.stderr) == bool(lacking), cut.stderr


# ---------------------------------------------------------------- the matrix


def test_regen_matrix_reads_pytest_results() -> None:
    sys.path.insert(0, str(OPENAPI))
    try:
        from regen_matrix import _pytest_result
    finally:
        sys.path.remove(str(OPENAPI))
    output = (
        "..s.F\n"
        "SKIPPED [1] tests/test_spec.py:64: upstream copy x is absent\n"
        "FAILED tests/test_spec.py::test_wrapper_keywords_follow_the_spec - AssertionError\n"
        "1 failed, 3 passed, 1 skipped in 2.50s\n"
    )
    summary, failures, skips = _pytest_result(output)
    assert summary == "1 failed, 3 passed, 1 skipped"
    assert failures == ["tests/test_spec.py::test_wrapper_keywords_follow_the_spec"]
    assert skips == ["tests/test_spec.py:64: upstream copy x is absent"]


def test_regen_matrix_one_cheap_case() -> None:
    """spec + generate from the v1 copy in a temporary copy of the repository (the tests there are
    what `make regen-matrix` adds; they take a minute per version)."""
    upstream = SHARED / "2024-03-29" / "openapi.yaml"
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (a regen-matrix copy): regen_matrix.py copies what git lists")
    if not upstream.is_file():
        pytest.skip(
            f"upstream copy {os.path.relpath(upstream, ROOT)} is absent (../shared not laid out here; or set OAII_SHARED_OPENAPI)"
        )
    result = subprocess.run(
        [sys.executable, str(OPENAPI / "regen_matrix.py"), "--steps", "spec,generate", str(upstream)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{upstream}  ok"
