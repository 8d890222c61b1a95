"""The vendored subset, its regeneration, and the wrapper keeping up with the spec."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from oaii import runs
from oaii._options import RunFields
from oaii._results import parse_run_data
from oaii._validation import body_fields
from oaii.server import Fault, LocalServer
from oaii_openapi_client.models.create_run_request import CreateRunRequest

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "openapi"
SHARED = ROOT.parent / "shared" / "openai-openapi"
UPSTREAMS = {
    "2026-08-21": SHARED / "2026-08-21" / "openapi.yaml",
    "2024-03-29": SHARED / "2024-03-29" / "openapi.yaml",
}
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def subset(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(OPENAPI / "subset.py"), *args], capture_output=True, text=True, check=True
    )


def generate(spec: Path, package: Path) -> None:
    """Run the pinned generator as `make generate` does, failing on any warning."""
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
            "--custom-template-path",
            str(OPENAPI / "templates"),
            "--output-path",
            str(package),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout


def needs_upstream(name: str) -> Path:
    path = UPSTREAMS[name]
    if not path.is_file():
        pytest.skip(f"upstream copy {path} is absent (../shared not laid out here)")
    return path


def raw_subset() -> dict[str, Any]:
    return yaml.safe_load((OPENAPI / "subset.raw.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------ the wrapper keeps up


def accepted_fields() -> set[str]:
    seed = {"model", "instructions", "additional_instructions", "tools", "metadata"}
    return {"assistant_id"} | seed | set(RunFields.__optional_keys__)


def test_wrapper_accepts_exactly_the_spec_fields() -> None:
    spec_fields = set(raw_subset()["components"]["schemas"]["CreateRunRequest"]["properties"])
    assert accepted_fields() == spec_fields, (
        f"missing from the wrapper: {sorted(spec_fields - accepted_fields())}; "
        f"accepted but dropped by the spec: {sorted(accepted_fields() - spec_fields)}"
    )
    assert set(body_fields()) == spec_fields


def test_generated_model_has_the_spec_fields() -> None:
    generated = {f.name for f in attrs.fields(CreateRunRequest)} - {"additional_properties"}
    assert generated == set(body_fields())


# ------------------------------------------------------------ the vendored subset


def test_provenance_describes_the_vendored_subset() -> None:
    provenance = json.loads((OPENAPI / "provenance.json").read_text())
    assert provenance["operations"] == [
        "POST /threads/{thread_id}/runs (createRun)",
        "GET /threads/{thread_id}/runs/{run_id} (getRun)",
        "GET /threads/{thread_id}/runs (listRuns)",
        "POST /threads/{thread_id}/runs/{run_id}/cancel (cancelRun)",
        "POST /threads/{thread_id}/runs/{run_id}/submit_tool_outputs (submitToolOuputsToRun)",
    ]
    assert provenance["upstream_info_version"] == raw_subset()["info"]["version"]
    assert len(provenance["upstream_sha256"]) == 64


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
    subset(str(upstream), "--out", str(tmp_path), "--schema-out", str(tmp_path / "s.json"), "--no-report")
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

with LocalServer() as server:
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
    v1 = needs_upstream("2024-03-29")
    subset(str(v1), "--out", str(tmp_path), "--schema-out", str(tmp_path / "s.json"), "--no-report")
    result = subprocess.run(
        [
            sys.executable,
            str(OPENAPI / "spec_report.py"),
            str(tmp_path / "subset.raw.yaml"),
            str(OPENAPI / "subset.raw.yaml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    report = result.stdout
    assert "upstream info.version 2.0.0 -> 2.3.0" in report
    assert "+ query parameter of POST /threads/{thread_id}/runs (createRun): include[]" in report
    assert "+ CreateRunRequest field reasoning_effort" in report
    assert "- enum values at AssistantToolsRetrieval.type: retrieval" in report
    assert "+ schema AssistantToolsFileSearch" in report


def test_change_report_of_the_same_subset() -> None:
    sys.path.insert(0, str(OPENAPI))
    try:
        from spec_report import report
    finally:
        sys.path.remove(str(OPENAPI))
    assert report(raw_subset(), raw_subset()).endswith("no change in operations, fields, enums or schemas")


# ------------------------------------------------------------ the spec's own examples


def spec_examples() -> list[tuple[str, dict[str, Any]]]:
    """Every JSON run object among the vendored examples (RunObject's and the operations')."""
    doc = raw_subset()
    texts = [("RunObject", doc["components"]["schemas"]["RunObject"]["x-oaiMeta"]["example"])]
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            examples = operation.get("x-oaiMeta", {}).get("examples", [])
            for example in [examples] if isinstance(examples, dict) else examples:
                response = example.get("response")
                if isinstance(response, str) and response.lstrip().startswith("{"):
                    texts.append((f"{method} {path}: {example.get('title')}", response))
    out = []
    for name, text in texts:
        data = json.loads(text)
        if data.get("object") == "thread.run":
            out.append((name, data))
    return out


def test_there_are_spec_examples() -> None:
    assert len(spec_examples()) >= 3


@pytest.mark.parametrize(("name", "example"), spec_examples(), ids=[n for n, _ in spec_examples()])
def test_run_object_parses_spec_examples(
    name: str, example: dict[str, Any], server: LocalServer, opts: dict
) -> None:
    direct = parse_run_data(example)
    assert direct.id == example["id"]
    server.inject(Fault(status=200, body=json.dumps(example).encode()))
    run = runs.runs_create_run_request("thread_ex", "asst_abc123", **opts)
    assert run.id == example["id"] and run.status == example["status"]
    assert run.to_dict()["tools"] == example["tools"]
