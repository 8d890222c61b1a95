"""The vendored subset, its regeneration, and the wrapper keeping up with the spec."""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from oaii import runs
from oaii._results import parse_run_data
from oaii.server import Fault, LocalServer
from oaii_openapi_client.models.create_run_request import (
    CREATE_RUN_REQUEST_FIELDS,
    CreateRunRequest,
    CreateRunRequestOptions,
)

from .._yaml import dump_yaml
from ..conftest import KNOWN_BODY_FIELDS, SEED_FIELDS, vendored_raw_subset
from .test_regen import generate

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT / "openapi"
# `make regen-matrix` tests temporary copies of the repository; it points here at the real ../shared.
SHARED = Path(os.environ.get("OAII_SHARED_OPENAPI") or ROOT.parent / "shared" / "openai-openapi")
RUNTIME_SCHEMA = ROOT / "wrapper" / "oaii" / "_spec" / "create_run_request.schema.json"
UPSTREAMS = {
    "2026-08-21": SHARED / "2026-08-21" / "openapi.yaml",
    "2024-03-29": SHARED / "2024-03-29" / "openapi.yaml",
}


def subset(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(OPENAPI / "subset.py"), *args], capture_output=True, text=True, check=True
    )


def needs_upstream(name: str) -> Path:
    path = UPSTREAMS[name]
    if not path.is_file():
        pytest.skip(
            f"upstream copy {os.path.relpath(path, ROOT)} is absent (../shared not laid out here; or set OAII_SHARED_OPENAPI)"
        )
    return path


@functools.cache
def subset_module() -> types.ModuleType:
    """openapi/subset.py as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("oaii_openapi_subset", OPENAPI / "subset.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def raw_subset() -> dict[str, Any]:
    """The vendored raw subset, a copy of its own for each caller (some edit it)."""
    return copy.deepcopy(vendored_raw_subset())


# ------------------------------------------------------------ the wrapper keeps up


def spec_fields() -> tuple[str, ...]:
    return tuple(raw_subset()["components"]["schemas"]["CreateRunRequest"]["properties"])


def wrapper_keywords() -> set[str]:
    """The keys of the TypedDict behind runs_create_run_request's ``**options``."""
    annotation = inspect.signature(runs.runs_create_run_request).parameters["options"].annotation
    unpacked = eval(annotation, vars(runs)) if isinstance(annotation, str) else annotation
    (options,) = typing.get_args(unpacked)
    return set(options.__optional_keys__) | set(options.__required_keys__)


def test_generated_fields_are_the_spec_fields() -> None:
    """The generated tuple, the runtime schema and the generated model agree with the spec, in order."""
    assert spec_fields() == CREATE_RUN_REQUEST_FIELDS
    assert tuple(json.loads(RUNTIME_SCHEMA.read_text())["properties"]) == CREATE_RUN_REQUEST_FIELDS
    generated = {f.name for f in attrs.fields(CreateRunRequest)} - {"additional_properties"}
    assert generated == {name for name in CREATE_RUN_REQUEST_FIELDS if name.isidentifier()}


def test_generated_options_are_the_spec_fields_but_the_seed() -> None:
    options = set(CreateRunRequestOptions.__optional_keys__)
    assert not CreateRunRequestOptions.__required_keys__
    assert options == {name for name in spec_fields() if name.isidentifier()} - set(SEED_FIELDS)


def test_wrapper_keywords_follow_the_spec() -> None:
    """No lag: every field of this spec is a keyword, and no keyword is a body field the spec lacks."""
    accepted = wrapper_keywords() | set(SEED_FIELDS)
    fields = set(spec_fields())
    missing = set(CreateRunRequestOptions.__optional_keys__) - accepted
    stale = (accepted & KNOWN_BODY_FIELDS) - fields - set(SEED_FIELDS)
    assert not missing, f"regenerated fields runs_create_run_request does not accept: {sorted(missing)}"
    assert not stale, f"keywords for fields this spec lacks (a hand-written list?): {sorted(stale)}"


# ------------------------------------------------------------ the vendored subset


def test_provenance_describes_the_vendored_subset() -> None:
    provenance = json.loads((OPENAPI / "provenance.json").read_text())
    cut = {
        f"{method.upper()} {path} ({operation['operationId']})"
        for path, item in raw_subset()["paths"].items()
        for method, operation in item.items()
    }
    assert set(provenance["operations"]) == cut
    assert "POST /threads/{thread_id}/runs (createRun)" in cut
    assert provenance["upstream_info_version"] == raw_subset()["info"]["version"]
    assert len(provenance["upstream_sha256"]) == 64


def _as_upstream(tmp_path: Path, folder: str, info: dict[str, Any] | None = None) -> Path:
    """The vendored raw subset written as an upstream file in ``folder`` (it cuts like one)."""
    spec = raw_subset()
    spec["info"].update(info or {})
    path = tmp_path / folder / "openapi.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(dump_yaml(spec), encoding="utf-8")
    return path


def _cut_provenance(tmp_path: Path, upstream: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "out"
    subset(str(upstream), "--out", str(out), "--schema-out", str(out / "s.json"), "--no-report", *args)
    provenance: dict[str, Any] = json.loads((out / "provenance.json").read_text())
    return provenance


@pytest.mark.parametrize(
    ("info", "args", "date"),
    [
        pytest.param({}, [], None, id="none-stated-none-given"),
        pytest.param({}, ["--upstream-date", "2025-01-02"], "2025-01-02", id="given"),
        pytest.param({"x-date": "2025-03-04"}, [], "2025-03-04", id="stated-by-the-spec"),
        pytest.param(
            {"x-date": "2025-03-04"}, ["--upstream-date", "2025-01-02"], "2025-01-02", id="given-wins"
        ),
    ],
)
def test_the_upstream_date_is_the_specs_or_the_arguments_never_the_folders(
    tmp_path: Path, info: dict[str, Any], args: list[str], date: str | None
) -> None:
    upstream = _as_upstream(tmp_path, "1999-12-31", info)
    assert _cut_provenance(tmp_path, upstream, *args)["upstream_date"] == date


def test_cutting_the_same_file_again_keeps_its_recorded_date(tmp_path: Path) -> None:
    upstream = _as_upstream(tmp_path, "up")
    assert (
        _cut_provenance(tmp_path, upstream, "--upstream-date", "2025-01-02")["upstream_date"] == "2025-01-02"
    )
    assert _cut_provenance(tmp_path, upstream)["upstream_date"] == "2025-01-02"
    upstream.write_text(upstream.read_text() + "# another file\n")
    assert _cut_provenance(tmp_path, upstream)["upstream_date"] is None


def test_a_bad_upstream_date_is_refused(tmp_path: Path) -> None:
    upstream = _as_upstream(tmp_path, "up")
    done = subprocess.run(
        [
            sys.executable,
            str(OPENAPI / "subset.py"),
            str(upstream),
            "--out",
            str(tmp_path / "o"),
            "--upstream-date",
            "May",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--upstream-date must be YYYY-MM-DD" in done.stderr
    assert not (tmp_path / "o").exists()


def test_an_anchor_defined_twice_means_its_latest_definition() -> None:
    # YAML 1.2 allows it and upstream's 2024-04-30 openapi.yaml does it; libyaml refuses it.
    text = b"a: &x 1\nb: *x\nc: &x 2\nd: *x\n"
    assert subset_module().parse_yaml(text) == {"a": 1, "b": 1, "c": 2, "d": 2}
    with pytest.raises(yaml.YAMLError):
        subset_module().parse_yaml(b"a: *nowhere\n")


def test_provenance_and_docs_name_the_one_list_of_normalisations() -> None:
    table = subset_module().NORMALISATIONS
    provenance = json.loads((OPENAPI / "provenance.json").read_text())
    assert provenance["normalisations"] == [f"{n.code} {n.name}" for n in table]
    assert len({n.code for n in table}) == len(table) >= 9
    docs = (ROOT / "docs" / "regeneration.md").read_text(encoding="utf-8")
    assert subset("--normalisations").stdout in docs


def test_the_server_answers_its_own_media_types_whatever_upstream_declares() -> None:
    raw = copy.deepcopy(raw_subset())
    listing = raw["paths"]["/threads/{thread_id}/runs"]["get"]["responses"]["200"]
    listing["content"] = {"*/*": listing["content"]["application/json"]}
    served = subset_module().server_spec(raw)
    for item in served["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                assert set(response.get("content", {})) <= {"application/json", "text/event-stream"}
    listed = served["paths"]["/threads/{thread_id}/runs"]["get"]["responses"]["200"]["content"]
    assert list(listed) == ["application/json"] and "$ref" in str(listed["application/json"])
    generated = subset_module().normalise(raw)["paths"]["/threads/{thread_id}/runs"]["get"]
    assert list(generated["responses"]["200"]["content"]) == ["application/json"]  # N11


def test_derivation_is_deterministic(tmp_path: Path) -> None:
    for run in ("a", "b"):
        subset(
            "--from-raw", "--out", str(tmp_path / run), "--schema-out", str(tmp_path / run / "schema.json")
        )
    first = (tmp_path / "a" / "subset.yaml").read_bytes()
    assert first == (tmp_path / "b" / "subset.yaml").read_bytes()
    assert first == (OPENAPI / "subset.yaml").read_bytes()
    vendored = (ROOT / "wrapper" / "oaii" / "_spec" / "create_run_request.schema.json").read_bytes()
    assert (tmp_path / "a" / "schema.json").read_bytes() == vendored


def test_cut_from_upstream_reproduces_the_vendored_subset(tmp_path: Path) -> None:
    upstream = needs_upstream("2026-08-21")
    provenance = json.loads((OPENAPI / "provenance.json").read_text())
    if hashlib.sha256(upstream.read_bytes()).hexdigest() != provenance["upstream_sha256"]:
        pytest.skip("the vendored subset was cut from another upstream file")
    date = ["--upstream-date", provenance["upstream_date"]] if provenance["upstream_date"] else []
    subset(
        str(upstream), "--out", str(tmp_path), "--schema-out", str(tmp_path / "s.json"), "--no-report", *date
    )
    for name in ("subset.raw.yaml", "subset.yaml", "provenance.json"):
        assert (tmp_path / name).read_bytes() == (OPENAPI / name).read_bytes(), name


@pytest.mark.parametrize("version", sorted(UPSTREAMS))
def test_regenerate_from_each_upstream(tmp_path: Path, version: str) -> None:
    upstream = needs_upstream(version)
    out = tmp_path / "openapi"
    subset(str(upstream), "--out", str(out), "--schema-out", str(out / "schema.json"), "--no-report")
    generated = tmp_path / "gen"
    generate(out / "subset.yaml", generated / "oaii_openapi_client")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import oaii_openapi_client.api.assistants.create_run as c, oaii_openapi_client.api.assistants.get_run;"
        "from oaii_openapi_client.models.create_run_request import CreateRunRequest as R;"
        "assert c.__file__.startswith(sys.argv[1]), c.__file__;"
        "print(R.from_dict({'assistant_id': 'asst_1'}).to_dict())"
    )
    imported = subprocess.run([sys.executable, "-c", probe, str(generated)], capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "{'assistant_id': 'asst_1'}"
    schema = json.loads((out / "schema.json").read_text())
    tool_types = {
        json.dumps(d.get("properties", {}).get("type", {}).get("enum")) for d in schema["$defs"].values()
    }
    if version == "2024-03-29":
        assert '["retrieval"]' in tool_types and '["file_search"]' not in tool_types
    else:
        assert '["file_search"]' in tool_types and '["retrieval"]' not in tool_types


V1_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
import oaii, oaii_openapi_client
assert oaii.__file__.startswith(sys.argv[1]) and oaii_openapi_client.__file__.startswith(sys.argv[1])
from oaii import InputError, runs_create_run_request
from oaii.server import Fault, LocalServer

with LocalServer(create_missing=True) as server:
    options = {"base_url": server.url, "api_key": "sk-test"}
    server.inject(Fault("patch", patch={"file_ids": []}))  # what a v1 server's run carries
    run = runs_create_run_request("thread_1", "asst_1", tools=[{"type": "retrieval"}], **options)
    assert run.to_dict()["tools"] == [{"type": "retrieval"}], run.to_dict()
    assert server.requests[-1].json() == {"assistant_id": "asst_1", "tools": [{"type": "retrieval"}]}
    for bad in ({"top_p": 0.5}, {"include": ["x"]}, {"tools": [{"type": "file_search"}]}):
        try:
            runs_create_run_request("thread_2", "asst_1", **bad, **options)
        except InputError as err:
            print(err.argument)
        else:
            raise AssertionError(bad)
    assert len(server.requests) == 1
"""


def test_wrapper_adapts_to_a_v1_client_without_edits(tmp_path: Path) -> None:
    """The hand-written package, unedited, on a client and schema regenerated from the v1 spec."""
    upstream = needs_upstream("2024-03-29")
    shutil.copytree(
        ROOT / "wrapper" / "oaii", tmp_path / "oaii", ignore=shutil.ignore_patterns("__pycache__")
    )
    subset(
        str(upstream),
        "--out",
        str(tmp_path / "openapi"),
        "--schema-out",
        str(tmp_path / "oaii" / "_spec" / "create_run_request.schema.json"),
        "--no-report",
    )
    generate(tmp_path / "openapi" / "subset.yaml", tmp_path / "oaii_openapi_client")
    probe = subprocess.run([sys.executable, "-c", V1_PROBE, str(tmp_path)], capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["top_p", "include", "tools"]


def test_change_report_between_upstreams(tmp_path: Path) -> None:
    """The v1 copy against the 2026-08-21 copy (both cut here: the vendored subset may be another)."""
    cuts = {}
    for version in ("2024-03-29", "2026-08-21"):
        out = tmp_path / version
        subset(
            str(needs_upstream(version)),
            "--out",
            str(out),
            "--schema-out",
            str(out / "s.json"),
            "--no-report",
        )
        cuts[version] = out / "subset.raw.yaml"
    result = subprocess.run(
        [sys.executable, str(OPENAPI / "spec_report.py"), str(cuts["2024-03-29"]), str(cuts["2026-08-21"])],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stdout
    assert "upstream info.version 2.0.0 -> 2.3.0" in report
    assert "+ query parameter of POST /threads/{thread_id}/runs (createRun): include[]" in report
    assert "+ CreateRunRequest field reasoning_effort" in report
    assert "# request fields added: callers may pass them by keyword" in report
    assert "- RunObject field file_ids (response)" in report  # v1's runs had file_ids; v2's do not
    assert "code reading RunObject.<field> breaks" in report
    assert "- enum values at AssistantToolsRetrieval.type: retrieval" in report
    assert "+ schema AssistantToolsFileSearch" in report


def test_change_report_of_the_same_subset() -> None:
    sys.path.insert(0, str(OPENAPI))
    try:
        from spec_report import report
    finally:
        sys.path.remove(str(OPENAPI))
    assert report(raw_subset(), raw_subset()).endswith("no change in operations, fields, enums or schemas")


def _tagged(tag: str, **more: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string", "enum": [tag]}},
        **more,
    }


@pytest.mark.parametrize(
    ("members", "exclusive"),
    [
        ([_tagged("a"), _tagged("b")], True),  # objects told apart by a required tag
        ([{"type": "string"}, {"$ref": "#/$defs/A"}], True),  # by JSON type ($ref resolved)
        ([_tagged("a"), {"$ref": "#/$defs/A"}], False),  # the same tag twice
        ([{**_tagged("a"), "type": None}, _tagged("b")], False),  # not only objects: a string fits both
        ([{**_tagged("a"), "required": []}, _tagged("b")], False),  # the tag not required
        ([{"type": ["string", "null"]}, {"type": "null"}], False),
    ],
)
def test_only_exclusive_unions_are_compiled_as_any_of(members: list[Any], exclusive: bool) -> None:
    sys.path.insert(0, str(OPENAPI))
    try:
        from subset import _exclusive_unions_as_any_of
    finally:
        sys.path.remove(str(OPENAPI))
    members = [{k: v for k, v in m.items() if v is not None} for m in members]
    schema = {"$defs": {"A": _tagged("a")}, "properties": {"x": {"oneOf": members}}}
    union = _exclusive_unions_as_any_of(schema)["properties"]["x"]
    assert list(union) == (["anyOf"] if exclusive else ["oneOf"])


# ------------------------------------------------------------ the spec's own examples
# Specs carry examples in different places across versions: x-oaiMeta (a JSON text on the schema,
# request/response pairs on the operation), OpenAPI's `example`/`examples` on the schema, or on the
# operation's response media.  Every JSON run object found in any of them is used.


def _as_data(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return None  # prose or a truncated snippet, not an example body
    return value


def _schema_examples(schema: dict[str, Any]) -> list[Any]:
    found = [schema.get("x-oaiMeta", {}).get("example"), schema.get("example")]
    examples = schema.get("examples")
    found += examples if isinstance(examples, list) else []
    return found


def _operation_examples(operation: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    meta = operation.get("x-oaiMeta", {}).get("examples", [])
    for example in [meta] if isinstance(meta, dict) else meta:
        if isinstance(example, dict):
            found.append((str(example.get("title")), example.get("response")))
    for status, response in operation.get("responses", {}).items():
        for media in response.get("content", {}).values() if isinstance(response, dict) else []:
            found.append((f"{status} example", media.get("example")))
            for name, example in (media.get("examples") or {}).items():
                found.append(
                    (f"{status} {name}", example.get("value") if isinstance(example, dict) else None)
                )
    return found


def spec_examples() -> list[tuple[str, dict[str, Any]]]:
    """Every JSON run object among the vendored examples (RunObject's and the operations')."""
    doc = raw_subset()
    candidates = [
        ("RunObject", e) for e in _schema_examples(doc["components"]["schemas"].get("RunObject", {}))
    ]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            candidates += [(f"{method} {path}: {t}", e) for t, e in _operation_examples(operation)]
    out = []
    for name, example in candidates:
        data = _as_data(example)
        if isinstance(data, dict) and data.get("object") == "thread.run" and isinstance(data.get("id"), str):
            out.append((f"{name} #{len(out)}", data))
    return out


NO_EXAMPLES = "this spec carries no run examples (neither x-oaiMeta nor examples): nothing to parse"
EXAMPLES = spec_examples() or [
    pytest.param("none", {}, marks=pytest.mark.skip(reason=NO_EXAMPLES), id="no-examples")
]


def test_examples_are_found_wherever_the_spec_puts_them() -> None:
    doc = raw_subset()
    # Where spec_examples looks: RunObject, and the operations that answer one run.
    runs = doc["paths"].get("/threads/{thread_id}/runs", {}).get("post", {})
    one = doc["paths"].get("/threads/{thread_id}/runs/{run_id}", {}).get("get", {})
    scanned = json.dumps([doc["components"]["schemas"].get("RunObject", {}), runs, one])
    mentions = len(re.findall(r"object\W{1,6}thread\.run\b", scanned))
    if not mentions:
        pytest.skip(NO_EXAMPLES)
    assert len(spec_examples()) >= 1, f"{mentions} run examples in the spec, none understood"


@pytest.mark.parametrize(("name", "example"), EXAMPLES)
def test_run_object_parses_spec_examples(
    name: str, example: dict[str, Any], server: LocalServer, opts: dict
) -> None:
    direct = parse_run_data(example)
    assert direct.id == example["id"]
    server.inject(Fault(status=200, body=json.dumps(example).encode()))
    run = runs.runs_create_run_request("thread_ex", "asst_abc123", **opts)
    assert run.id == example["id"] and run.status == example["status"]
    assert run.to_dict().get("tools") == example.get("tools")


def test_a_const_tag_compiles_into_the_fast_check_and_is_an_enum_for_the_generator() -> None:
    # OpenAPI 3.1 specs may tag union members with const: fastjsonschema's plain-exception code
    # for const does not compile, and the generator's union parsing stops at a const mismatch.
    module = subset_module()
    schema = {"type": "object", "properties": {"type": {"type": "string", "const": "json_schema"}}}
    namespace: dict[str, Any] = {}
    exec(module.compile_validator(schema, json.dumps(schema)), namespace)
    namespace["validate"]({"type": "json_schema"})
    with pytest.raises(ValueError):
        namespace["validate"]({"type": "text"})
    assert module._const_to_enum(copy.deepcopy(schema["properties"]["type"])) == {
        "type": "string",
        "enum": ["json_schema"],
    }


def test_an_operation_an_older_spec_lacks_is_cut_without_and_named(tmp_path: Path) -> None:
    spec = raw_subset()
    del spec["paths"]["/threads/{thread_id}/runs/{run_id}/cancel"]["post"]
    upstream = tmp_path / "up" / "openapi.yaml"
    upstream.parent.mkdir()
    upstream.write_text(dump_yaml(spec), encoding="utf-8")
    provenance = _cut_provenance(tmp_path, upstream)
    absent = "POST /threads/{thread_id}/runs/{run_id}/cancel (cancelRun)"
    assert absent in provenance["absent_operations"] and absent not in provenance["operations"]
    assert "POST /threads/{thread_id}/runs (createRun)" in provenance["operations"]
    del spec["paths"]["/threads/{thread_id}/runs"]["post"]
    upstream.write_text(dump_yaml(spec), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(OPENAPI / "subset.py"), str(upstream), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode != 0 and "upstream has no POST /threads/{thread_id}/runs (createRun)" in done.stderr
    )
