"""Shared fixtures: a real local server on loopback, and a clean environment."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oaii.server import LocalServer

from ._forkserver import close_shared
from ._yaml import load_yaml

KEY = "sk-test-0123456789abcdefSECRET"
ENV_VARS = (
    "OAII_API_KEY",
    "OPENAI_API_KEY",
    "OAII_BASE_URL",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    # A proxy from the developer's environment would take loopback calls elsewhere.
    *(name.upper() for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")),
    *("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD"),
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(create_missing=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def shared_server() -> Iterator[LocalServer]:
    """One server for a whole module (starting one per test costs ~50 ms)."""
    with LocalServer(create_missing=True) as srv:
        yield srv


@pytest.fixture
def reused_server(shared_server: LocalServer) -> LocalServer:
    """The module's server with its recorded requests cleared: each test sees its own."""
    shared_server.recorder.clear()
    return shared_server


@pytest.fixture
def opts(server: LocalServer) -> dict[str, object]:
    """Keyword arguments pointing a call at the local server with the test key."""
    return {"base_url": server.url, "api_key": KEY}


@pytest.fixture
def fast_retry() -> object:
    from oaii import RetryPolicy

    return RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)


def pytest_sessionfinish() -> None:
    close_shared()


def pytest_report_header() -> str:
    was_set = sorted(v for v in ENV_VARS if v in os.environ)
    return f"oaii tests: loopback only; these variables are cleared in each test: {was_set}"


# ------------------------------------------------------------- what the vendored spec has
# Tests about one field, tool type or parameter skip, saying why, when the spec they run
# against (openapi/ after `make spec`, e.g. an older upstream) does not have it.


# The explicit body parameters of runs_create_run_request (openapi/spec_report.py's SEED_FIELDS).
SEED_FIELDS = ("assistant_id", "model", "instructions", "additional_instructions", "tools", "metadata")
# Every CreateRunRequest field some upstream version had.
KNOWN_BODY_FIELDS = frozenset(
    {
        *SEED_FIELDS,
        "reasoning_effort",
        "additional_messages",
        "temperature",
        "top_p",
        "stream",
        "max_prompt_tokens",
        "max_completion_tokens",
        "truncation_strategy",
        "tool_choice",
        "parallel_tool_calls",
        "response_format",
    }
)


@functools.cache
def vendored_raw_subset() -> dict[str, Any]:
    """openapi/subset.raw.yaml, parsed once: shared, so never to be edited (copy it)."""
    path = Path(__file__).resolve().parent.parent / "openapi" / "subset.raw.yaml"
    loaded: dict[str, Any] = load_yaml(path.read_bytes())
    return loaded


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def spec_has(need: str) -> bool:
    """``need`` is ``NAME`` (a CreateRunRequest field), ``response:NAME`` (a RunObject field),
    ``tool:TYPE``, ``format:TYPE`` (a response_format type), ``query:NAME`` (a createRun query
    parameter), ``schema:NAME`` or ``union:NAME`` (a CreateRunRequest field whose schema is a
    union)."""
    doc = vendored_raw_subset()
    schemas = doc["components"]["schemas"]
    kind, _, name = need.rpartition(":")
    if kind == "":
        return name in schemas["CreateRunRequest"].get("properties", {})
    if kind == "response":
        return name in schemas["RunObject"].get("properties", {})
    if kind == "schema":
        return name in schemas
    if kind == "union":  # a CreateRunRequest field whose schema is a union (anyOf/oneOf)
        prop = schemas["CreateRunRequest"].get("properties", {}).get(name, {})
        refs = _refs(prop) if "$ref" in prop else set()
        targets = [prop, *(schemas.get(ref, {}) for ref in refs)]
        return any(isinstance(t, dict) and ("anyOf" in t or "oneOf" in t) for t in targets)
    if kind == "query":
        operation = doc["paths"]["/threads/{thread_id}/runs"]["post"]
        return any(p.get("name") == name for p in operation.get("parameters", []) if isinstance(p, dict))
    if kind == "format":
        found = set()
        todo, seen = list(_refs(schemas["CreateRunRequest"]["properties"].get("response_format", {}))), set()
        while todo:
            ref = todo.pop()
            if ref in seen:
                continue
            seen.add(ref)
            target = schemas.get(ref, {})
            tag = target.get("properties", {}).get("type", {}) if isinstance(target, dict) else {}
            found.update(map(str, tag.get("enum", [tag["const"]] if "const" in tag else [])))
            todo.extend(_refs({k: v for k, v in target.items() if k in ("anyOf", "oneOf", "allOf")}))
        return name in found
    if kind == "tool":
        tools = schemas["CreateRunRequest"]["properties"].get("tools", {})
        found = set()
        for ref in _refs(tools):
            enum = schemas.get(ref, {}).get("properties", {}).get("type", {}).get("enum", [])
            found.update(map(str, enum))
        return name in found
    raise ValueError(f"unknown spec need {need!r}")


def skip_unless_spec(*needs: str) -> None:
    """Skip the running test unless the spec has every need (``!need``: has not)."""
    for need in needs:
        wanted = not need.startswith("!")
        if spec_has(need.lstrip("!")) != wanted:
            state = "lacks" if wanted else "has"
            pytest.skip(f"the vendored spec {state} {need.lstrip('!')} (regenerated from another version)")


def spec_body(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with only the CreateRunRequest fields the vendored spec has."""
    fields = vendored_raw_subset()["components"]["schemas"]["CreateRunRequest"].get("properties", {})
    return {name: value for name, value in body.items() if name in fields}


@functools.cache
def _runtime_schema() -> dict[str, Any]:
    path = (
        Path(__file__).resolve().parent.parent
        / "wrapper"
        / "oaii"
        / "_spec"
        / "create_run_request.schema.json"
    )
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def metadata_limits() -> tuple[int, int, int]:
    """(pairs, key length, value length) that the runtime schema puts on ``metadata``; the test
    skips, saying why, where the spec states none (``metadata`` inline, before the Metadata
    component of 2025)."""
    schema = _runtime_schema()
    node: Any = schema["properties"].get("metadata", {})
    for _ in range(5):
        if isinstance(node, dict) and "$ref" in node:
            node = schema["$defs"].get(node["$ref"].rsplit("/", 1)[-1], {})
        elif isinstance(node, dict) and "maxProperties" not in node and ("anyOf" in node or "oneOf" in node):
            members = node.get("anyOf") or node.get("oneOf")
            node = next((m for m in members if m != {"type": "null"}), {})
        else:
            break
    try:
        return (
            node["maxProperties"],
            node["propertyNames"]["maxLength"],
            node["additionalProperties"]["maxLength"],
        )
    except (KeyError, TypeError):
        pytest.skip("the vendored spec puts no limits on metadata (regenerated from another version)")


def skip_unless_run_template() -> None:
    """Skip unless the server makes a new run's JSON from its template: only where the spec's
    RunObject has exactly the fields the server builds (else each run is conformed to it)."""
    from oaii.server import _runs

    _runs.queued_run("run_1", "thread_1", {"assistant_id": "asst_1"}, 0, 1)  # learns the shape once
    if _runs._RUN_SHAPE or not _runs._TEMPLATE:
        pytest.skip(
            "the vendored spec's RunObject has other fields than the server builds: runs are "
            "conformed to it, not made from the template (regenerated from another version)"
        )


def spec_accepts(body: dict[str, Any]) -> bool:
    """Whether the vendored spec's createRun body schema (the runtime one) takes ``body``."""
    import jsonschema

    return jsonschema.Draft202012Validator(_runtime_schema()).is_valid({"assistant_id": "asst_1", **body})


def spec_takes(component: str, instance: Any) -> bool:
    """Whether the server's copy of the vendored spec takes ``instance`` as a ``component``
    (e.g. message content as a list of parts: Assistants v2 from mid-2024 on, a string before)."""
    from oaii.server._schema import validator

    return bool(validator(component).is_valid(instance))


def skip_unless_sdk_runs() -> None:
    """Skip unless the official SDK (strict) can read the server's runs: they have the vendored
    spec's RunObject fields, and the SDK requires its own set (Assistants v2's, parallel_tool_calls
    included, which upstream's RunObject lacked until mid-2024)."""
    skip_unless_spec("response:truncation_strategy")
    from openai.types.beta.threads import Run

    required = {name for name, field in Run.model_fields.items() if field.is_required()}
    if missing := sorted(name for name in required if not spec_has(f"response:{name}")):
        pytest.skip(f"the vendored spec's RunObject lacks fields the official SDK requires: {missing}")
