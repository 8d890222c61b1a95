"""One validator, one truth: the precompiled fast check and jsonschema's explanation agree."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oaii import InputError, runs_create_run_request
from oaii._validation import _fast_check, _validator, body_fields, check_body, request_schema
from oaii.server import LocalServer

from ..conftest import skip_unless_spec, spec_accepts


@pytest.fixture
def server(reused_server: LocalServer) -> LocalServer:
    return reused_server


SPEC = Path(__file__).resolve().parents[2] / "wrapper" / "oaii" / "_spec"

# --------------------------------------------------------------- the strategy
# Mostly well-formed bodies whose values sit on the rules' edges (where two
# validators may read a rule differently), then at most one field replaced by
# anything: a disagreement only shows on a body that is otherwise valid.

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
EDGE_NAMES = ["f\n", "\nf", "", "a" * 64, "a" * 65, "bad name!", "ok-name_1", "é", "f\x00"]
names = st.sampled_from(EDGE_NAMES) | st.from_regex(r"[a-zA-Z0-9_-]{1,64}", fullmatch=True)
numbers = st.sampled_from(
    [0, 1, 2, 0.0, 1.0, 2.0, -0.0, 2.0000001, -1e-9, True, False, 256, 255, 256.0, 255.9]
)
urls = st.sampled_from(
    ["https://example.com/a b.png", "not a uri", "", "http://h/i.png", "data:image/png;base64,AA"]
)
texts = st.sampled_from(["", "x", "x\n", "\u202e", "😀"]) | st.text(max_size=4)
function = st.fixed_dictionaries(
    {"name": names},
    optional={"description": texts, "parameters": st.dictionaries(st.text(max_size=4), values, max_size=2)},
)
tool = st.one_of(
    st.fixed_dictionaries({"type": st.just("function"), "function": function}),
    st.fixed_dictionaries({"type": st.sampled_from(["code_interpreter", "file_search", "retrieval", "x"])}),
    st.fixed_dictionaries(
        {"type": st.just("file_search")},
        optional={
            "file_search": st.fixed_dictionaries(
                {},
                optional={
                    "max_num_results": st.integers(-1, 51) | numbers,
                    "ranking_options": st.fixed_dictionaries(
                        {"score_threshold": numbers}, optional={"ranker": st.sampled_from(["auto", "x"])}
                    ),
                },
            )
        },
    ),
)
content_part = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": texts}),
    st.fixed_dictionaries(
        {
            "type": st.just("image_url"),
            "image_url": st.fixed_dictionaries(
                {"url": urls}, optional={"detail": st.sampled_from(["auto", "low", "x"])}
            ),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.just("image_file"), "image_file": st.fixed_dictionaries({"file_id": texts})}
    ),
)
message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["user", "assistant", "system"]),
        "content": texts | st.lists(content_part, max_size=2),
    },
    optional={"metadata": st.none() | st.dictionaries(texts, texts, max_size=2)},
)
metadata = st.one_of(
    st.dictionaries(
        st.sampled_from(["k", "k" * 64, "k" * 65, "", "é" * 64]),
        st.sampled_from(["", "v" * 512, "v" * 513]),
        max_size=3,
    ),
    st.dictionaries(st.text(max_size=3), st.just("v"), min_size=15, max_size=17),
)
response_format = st.one_of(
    st.sampled_from(["auto", "none", "x"]),
    st.fixed_dictionaries({"type": st.sampled_from(["text", "json_object", "x"])}),
    st.fixed_dictionaries(
        {
            "type": st.just("json_schema"),
            "json_schema": st.fixed_dictionaries(
                {"name": names},
                optional={
                    "schema": st.dictionaries(st.text(max_size=3), values, max_size=2),
                    "strict": st.none() | st.booleans(),
                },
            ),
        }
    ),
)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "model": st.sampled_from(["gpt-4o", "my-model", ""]),
    "reasoning_effort": st.sampled_from(["low", "high", "minimal", "x"]) | st.none(),
    "instructions": texts,
    "additional_instructions": texts | st.none(),
    "additional_messages": st.lists(message, max_size=2) | st.none(),
    "tools": st.lists(tool, max_size=3)
    | st.lists(st.just({"type": "code_interpreter"}), min_size=20, max_size=21),
    "metadata": metadata,
    "temperature": numbers | st.none(),
    "top_p": numbers,
    "stream": st.booleans() | st.none(),
    "max_prompt_tokens": numbers | st.none(),
    "max_completion_tokens": numbers,
    "truncation_strategy": st.fixed_dictionaries(
        {"type": st.sampled_from(["auto", "last_messages", "x"])},
        optional={"last_messages": st.none() | numbers},
    ),
    "tool_choice": st.sampled_from(["none", "auto", "required", "x"])
    | st.fixed_dictionaries(
        {"type": st.sampled_from(["function", "file_search"])},
        optional={"function": st.fixed_dictionaries({"name": names})},
    ),
    "parallel_tool_calls": st.booleans() | st.sampled_from([0, 1]),
    "response_format": response_format,
}


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    fields = {k: v for k, v in FIELDS.items() if k in body_fields()}
    # A few fields at a time: with all of them, hardly any body is valid throughout.
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True))
    body = {"assistant_id": draw(st.sampled_from(["asst_1", ""])), **{k: draw(fields[k]) for k in chosen}}
    if draw(st.booleans()):  # one field (or an unknown one) replaced by anything
        body[draw(st.sampled_from([*fields, "assistant_id", "unknown_field"]))] = draw(values)
    return body


def fast_accepts(body: Any) -> bool:
    try:
        _fast_check()(body)
    except ValueError:
        return False
    return True


def test_fast_check_and_jsonschema_agree() -> None:
    """On generated bodies, near-valid and not: the same verdict, and a refusal always explained."""
    outcomes = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(bodies())
    def agree(body: dict[str, Any]) -> None:
        verdict = fast_accepts(body)
        outcomes.add(verdict)
        assert verdict == _validator().is_valid(body), body
        try:
            check_body(body)
        except InputError as err:
            assert not verdict and err.argument and err.rule and err.path
        else:
            assert verdict

    agree()
    assert outcomes == {True, False}  # the agreement is only worth something if both answers occur


# ------------------------------------------------------------ named examples


def test_uri_the_server_takes_is_not_refused(server: LocalServer, opts: dict) -> None:
    """fastjsonschema refused this URL (a space) that jsonschema took: a confusing oneOf message."""
    content = [{"type": "image_url", "image_url": {"url": "https://example.com/a picture.png"}}]
    if not spec_accepts({"additional_messages": [{"role": "user", "content": content}]}):
        pytest.skip("the vendored spec's messages take no content parts (regenerated from another version)")
    runs_create_run_request(
        "thread_uri", "asst_1", additional_messages=[{"role": "user", "content": content}], **opts
    )
    assert server.requests[-1].json()["additional_messages"][0]["content"] == content


@pytest.mark.parametrize("name", ["bad name!", "", "a" * 65, "trailing\n"])
def test_response_format_name_follows_the_function_name_rule(
    server: LocalServer, opts: dict, name: str
) -> None:
    skip_unless_spec("format:json_schema")
    response_format = {"type": "json_schema", "json_schema": {"name": name, "schema": {"type": "object"}}}
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_rf", "asst_1", response_format=response_format, **opts)
    assert info.value.argument == "response_format"
    assert info.value.path == "response_format.json_schema.name"
    assert "does not match '^[a-zA-Z0-9_-]{1,64}$'" in info.value.rule
    with pytest.raises(InputError) as info:
        runs_create_run_request(
            "thread_rf", "asst_1", tools=[{"type": "function", "function": {"name": name}}], **opts
        )
    assert info.value.path == "tools[0].function.name"
    assert len(server.requests) == 0


def test_good_response_format_name_is_sent(server: LocalServer, opts: dict) -> None:
    skip_unless_spec("format:json_schema")
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "answer-v2_1", "schema": {"type": "object"}},
    }
    runs_create_run_request("thread_rf", "asst_1", response_format=response_format, **opts)
    assert server.requests[-1].json()["response_format"] == response_format


# --------------------------------------------------------- the precompiled module


def test_precompiled_validator_matches_the_schema() -> None:
    from oaii._spec import create_run_request_validator as compiled

    schema_bytes = (SPEC / "create_run_request.schema.json").read_bytes()
    assert hashlib.sha256(schema_bytes).hexdigest() == compiled.SCHEMA_SHA256
    assert (
        compiled.FIELDS
        == tuple(json.loads(schema_bytes)["properties"])
        == tuple(request_schema()["properties"])
    )
    keywords: list[str] = []
    stack = [json.loads(schema_bytes)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            keywords += [k for k in node if k == "format" and not isinstance(node[k], dict)]
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    assert keywords == []  # dropped: the fast check and jsonschema would judge it differently


PROBE = """
import threading, fastjsonschema
calls = []
def no_compile(*args, **kwargs):
    calls.append(args)
    raise AssertionError("compiled at run time")
fastjsonschema.compile = fastjsonschema.compile_to_code = no_compile
from oaii._validation import check_body
errors = []
def first_call():
    try:
        check_body({"assistant_id": "asst_1", "tools": [{"type": "code_interpreter"}], "temperature": 0.5})
    except Exception as exc:
        errors.append(exc)
threads = [threading.Thread(target=first_call) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(len(calls), len(errors))
"""


def test_no_compile_at_first_call_even_under_threads() -> None:
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["0", "0"]


EDGES = [
    {"tools": [{"type": "function", "function": {"name": "f\n"}}]},  # Python's '$' takes a final newline
    {"response_format": {"type": "json_schema", "json_schema": {"name": "f\n"}}},
    {
        "additional_messages": [
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "a b"}}]}
        ]
    },
    {"temperature": True},
    {"max_prompt_tokens": 256.0},
    {"parallel_tool_calls": 1},
    {"metadata": {"é" * 64: "v" * 512}},
    {"metadata": {"k" * 65: "v"}},
]


@pytest.mark.parametrize("fields", EDGES)
def test_known_edges_get_one_verdict(fields: dict[str, Any]) -> None:
    body = {"assistant_id": "asst_1", **fields}
    assert fast_accepts(body) == _validator().is_valid(body)


@pytest.mark.parametrize(
    "tools",
    [
        ["code_interpreter"],  # a string where a tool object goes: matches no member
        [{}],
        [{"type": "function"}],  # function's own required "function" missing
        [{"type": "code_interpreter", "function": {"name": "f"}}],
        [{"type": "file_search"}, {"type": "function", "function": {"name": "f"}}],
        [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        [None],
    ],
)
def test_exclusive_unions_compiled_as_any_of_keep_the_verdict(tools: list[Any]) -> None:
    """The fast check compiles an exclusive oneOf (tools[]) as anyOf: the verdict stays jsonschema's."""
    body = {"assistant_id": "asst_1", "tools": tools}
    assert fast_accepts(body) == _validator().is_valid(body)
