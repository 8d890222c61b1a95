"""The server's body check: jsonschema-rs's fast yes never accepts what jsonschema refuses.

The server answers a body jsonschema-rs accepts without asking jsonschema, so the
property that matters is one way: fast yes implies jsonschema's yes.  Bodies are
built from the spec's own field names, with values both well-formed and random.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oaii.server import LocalServer
from oaii.server._schema import body_check

CHECK = body_check("CreateRunRequest")
FIELDS = sorted(CHECK.fields)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
)
JSON = st.recursive(
    SCALARS | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
# Values the spec accepts, by field: a body mixes them with random ones (and with the
# values of other fields), so that both verdicts come often.
GOOD: dict[str, list[Any]] = {
    "model": ["gpt-4o", "my-model", None],
    "instructions": ["Be brief.", "", None],
    "additional_instructions": ["Also this.", None],
    "metadata": [{"k": "v"}, {}, None],
    "temperature": [0.5, 2, 0, None],
    "top_p": [1, 0.1, None],
    "max_prompt_tokens": [256, None],
    "max_completion_tokens": [512, None],
    "parallel_tool_calls": [True, False],
    "stream": [False, None],
    "truncation_strategy": [
        {"type": "auto", "last_messages": None},
        {"type": "last_messages", "last_messages": 3},
    ],
    "tool_choice": ["auto", "none", "required", {"type": "function", "function": {"name": "f"}}],
    "response_format": ["auto", {"type": "json_object"}, {"type": "text"}],
    "tools": [
        [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        [{"type": "code_interpreter"}, {"type": "file_search"}],
        [],
    ],
    "additional_messages": [
        [{"role": "user", "content": "hi"}],
        [{"role": "assistant", "content": [{"type": "text", "text": "x"}]}],
    ],
}
ANY_GOOD = [value for values in GOOD.values() for value in values]


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = {"assistant_id": draw(st.sampled_from(["asst_1", "asst_1", "asst_1", 7, None]))}
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        kind = draw(st.integers(0, 9))
        if kind < 7 and field in GOOD:
            body[field] = draw(st.sampled_from(GOOD[field]))
        elif kind < 8:
            body[field] = draw(st.sampled_from(ANY_GOOD))
        else:
            body[field] = draw(JSON)
    return body


BODIES = bodies()
SEEN = {"accepted": 0, "refused": 0}


@settings(max_examples=400, deadline=None, derandomize=True)  # the next test counts what it saw
@given(body=BODIES)
def test_a_fast_yes_is_always_jsonschemas_yes(body: dict[str, Any]) -> None:
    fast = CHECK.fast(body)
    if fast:
        assert CHECK.judge.is_valid(body), body
        assert CHECK.problem(body) is None
    SEEN["accepted" if fast else "refused"] += 1


def test_the_property_saw_both_verdicts() -> None:
    if not sum(SEEN.values()):
        pytest.skip("the property test did not run in this session")
    assert SEEN["accepted"] > 20 and SEEN["refused"] > 20, SEEN


@pytest.fixture(scope="module")
def server() -> Any:
    with LocalServer(create_missing=True) as live:
        yield live


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module: a new httpx client costs 20 ms of CPU (its TLS context)."""
    with httpx.Client() as client:
        yield client


HEADERS = {
    "Authorization": "Bearer sk-test",
    "OpenAI-Beta": "assistants=v2",
    "Content-Type": "application/json",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES, serial=st.integers(0, 10**9))
def test_over_http_the_answer_is_jsonschemas(
    server: LocalServer, http: httpx.Client, body: dict[str, Any], serial: int
) -> None:
    answer = http.post(
        f"{server.url}/threads/thread_bc{serial}/runs", content=json.dumps(body), headers=HEADERS
    )
    if CHECK.judge.is_valid(body) and str(body["assistant_id"]).startswith("asst_"):
        assert answer.status_code in (200, 400), answer.text  # 400: this thread already has a run
        if answer.status_code == 400:
            assert "active run" in answer.json()["error"]["message"]
    else:
        assert answer.status_code in (400, 404), answer.text
        assert answer.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"assistant_id": "asst_1", "metadata": {"k\\udfff": "v"}}',  # a key Rust cannot take
        b'{"assistant_id": "asst_1", "instructions": "\\ud800"}',
    ],
)
def test_a_lone_surrogate_is_judged_by_jsonschema(server: LocalServer, raw: bytes) -> None:
    answer = httpx.post(f"{server.url}/threads/thread_sur{hash(raw)}/runs", content=raw, headers=HEADERS)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "queued"


def test_a_refusal_still_names_the_field(server: LocalServer) -> None:
    answer = httpx.post(
        f"{server.url}/threads/thread_bcr/runs",
        content=b'{"assistant_id": "asst_1", "temperature": 9}',
        headers=HEADERS,
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "temperature"
