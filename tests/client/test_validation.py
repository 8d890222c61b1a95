"""Bad input: a clear InputError naming the argument, the rule and the path; nothing sent."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oaii import Client, InputError, OaiiError, runs_create_run_request
from oaii.server import LocalServer

from ..conftest import KEY, KNOWN_BODY_FIELDS, skip_unless_spec, spec_has

BAD = [
    # (arguments, argument named, path, words of the rule)
    ({"thread_id": ""}, "thread_id", "thread_id", "must not be empty"),
    ({"thread_id": "thread/../x"}, "thread_id", "thread_id", "one URL path segment"),
    ({"thread_id": "t?x=1"}, "thread_id", "thread_id", "one URL path segment"),
    ({"thread_id": "t#frag"}, "thread_id", "thread_id", "one URL path segment"),
    ({"thread_id": ".."}, "thread_id", "thread_id", "one URL path segment"),
    ({"thread_id": 42}, "thread_id", "thread_id", "must be a string"),
    ({"assistant_id": ""}, "assistant_id", "assistant_id", "must not be empty"),
    ({"assistant_id": None}, "assistant_id", "assistant_id", "must be a string"),
    ({"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "metadata", "at most 16"),
    ({"metadata": {"k" * 65: "v"}}, "metadata", "metadata", "at most 64"),
    ({"metadata": {"k": "v" * 513}}, "metadata", "metadata.k", "at most 512"),
    ({"metadata": {"k": 1}}, "metadata", "metadata.k", "not of type 'string'"),
    ({"metadata": "user=jane"}, "metadata", "metadata", "none of the allowed forms"),
    (
        {
            "tools": [
                {"type": "code_interpreter"},
                {"type": "file_search"},
                {"type": "function", "function": {"name": "bad name!"}},
            ]
        },
        "tools",
        "tools[2].function.name",
        "does not match",
    ),
    (
        {"tools": [{"type": "function", "function": {"name": "x" * 65}}]},
        "tools",
        "tools[0].function.name",
        "does not match",
    ),
    ({"tools": [{"type": "function"}]}, "tools", "tools[0]", "'function' is a required property"),
    ({"tools": [{"type": "code_interpreter"}] * 21}, "tools", "tools", "at most 20"),
    ({"tools": [{"type": "web_browser"}]}, "tools", "tools[0].type", "not one of"),
    ({"tools": [{"type": "retrieval"}]}, "tools", "tools[0].type", "became 'file_search'"),
    # R's own example, `tools = list(type = "code_interpreter")`, translated literally: one tool, unwrapped.
    (
        {"tools": {"type": "code_interpreter"}},
        "tools",
        "tools",
        "tools is a list of tools: wrap it in a list",
    ),
    (
        {"tools": {"type": "function", "function": {"name": "f"}}},
        "tools",
        "tools",
        "tools is a list of tools: wrap it in a list",
    ),
    ({"tools": {"code": "interpreter"}}, "tools", "tools", "not of type ['array', 'null']"),
    ({"temperature": 2.5}, "temperature", "temperature", "maximum of 2"),
    ({"temperature": -0.1}, "temperature", "temperature", "minimum of 0"),
    ({"temperature": "hot"}, "temperature", "temperature", "not of type"),
    ({"top_p": 1.5}, "top_p", "top_p", "maximum of 1"),
    ({"max_prompt_tokens": 255}, "max_prompt_tokens", "max_prompt_tokens", "minimum of 256"),
    ({"max_completion_tokens": 100}, "max_completion_tokens", "max_completion_tokens", "minimum of 256"),
    ({"max_completion_tokens": 300.5}, "max_completion_tokens", "max_completion_tokens", "not of type"),
    (
        {"truncation_strategy": {"type": "newest"}},
        "truncation_strategy",
        "truncation_strategy.type",
        "not one of",
    ),
    (
        {"truncation_strategy": {"type": "last_messages", "last_messages": 0}},
        "truncation_strategy",
        "truncation_strategy.last_messages",
        "minimum of 1",
    ),
    ({"tool_choice": "sometimes"}, "tool_choice", "tool_choice", "not one of"),
    ({"response_format": {"type": "yaml"}}, "response_format", "response_format.type", "not one of"),
    (
        {"response_format": {"type": "json_schema"}},
        "response_format",
        "response_format",
        "'json_schema' is a required property",
    ),
    ({"reasoning_effort": "extreme"}, "reasoning_effort", "reasoning_effort", "not one of"),
    (
        {"additional_messages": [{"role": "system", "content": "x"}]},
        "additional_messages",
        "additional_messages[0].role",
        "not one of",
    ),
    ({"parallel_tool_calls": "yes"}, "parallel_tool_calls", "parallel_tool_calls", "not of type"),
    ({"model": 4}, "model", "model", "none of the allowed forms"),
    ({"stream": True}, "stream", "stream", "runs_create_run_stream"),
    ({"include": ["usage"]}, "include", "include[0]", "not one of"),
    ({"include": "step_details"}, "include", "include", "list of strings"),
    ({"temperatur": 1}, "temperatur", "temperatur", "is not an argument"),
    ({"timeout": -1}, "timeout", "timeout", "seconds > 0"),
    ({"total_timeout": 0}, "total_timeout", "total_timeout", "seconds > 0"),
    ({"max_retries": -1}, "max_retries", "max_retries", ">= 0"),
    ({"base_url": "ftp://x"}, "base_url", "base_url", "http(s) URL"),
    ({"api_key": ""}, "api_key", "api_key", "non-empty string"),
    ({"api_key": "sk-abc\n"}, "api_key", "api_key", "whitespace"),
    ({"api_key": "sk abc"}, "api_key", "api_key", "whitespace"),
    ({"organization": "org\r\nX-Evil: 1"}, "organization", "organization", "no newlines, control"),
    ({"extra_headers": {"X": 1}}, "extra_headers", "extra_headers", "must be a string"),
    ({"validate": "no"}, "validate", "validate", "True or False"),
    ({"metadata": {"k": object()}}, "metadata", "metadata.k", "not JSON data"),
]


def spec_needs(arguments: dict[str, Any], rule: str) -> list[str]:
    """What the spec must have for a BAD case to hold (a spec regenerated from another version may not)."""
    needs = [name for name in arguments if name in KNOWN_BODY_FIELDS]
    tools = arguments.get("tools")
    if isinstance(tools, list) and any(t.get("type") == "file_search" for t in tools):
        needs.append("tool:file_search")
    if "became 'file_search'" in rule:
        needs.append("!tool:retrieval")
    if "metadata" in arguments and rule != "not JSON data":
        needs.append("schema:Metadata")  # the prose rules apply to the Metadata component
    if rule == "none of the allowed forms":
        needs += [f"union:{name}" for name in arguments]
    if "include" in arguments:
        needs.append("query:include[]")
    response_format = arguments.get("response_format")
    if (
        isinstance(response_format, dict)
        and isinstance(response_format.get("type"), str)
        and rule != "not one of"
    ):
        needs.append(f"format:{response_format['type']}")
    return needs


def call(server: LocalServer, **arguments: Any) -> Any:
    kwargs: dict[str, Any] = {
        "thread_id": "thread_v",
        "assistant_id": "asst_v",
        "base_url": server.url,
        "api_key": KEY,
        **arguments,
    }
    return runs_create_run_request(kwargs.pop("thread_id"), kwargs.pop("assistant_id"), **kwargs)


@pytest.mark.parametrize(
    ("arguments", "argument", "path", "rule"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_is_named_and_nothing_is_sent(
    server: LocalServer, arguments: dict, argument: str, path: str, rule: str
) -> None:
    skip_unless_spec(*spec_needs(arguments, rule))
    with pytest.raises(InputError) as info:
        call(server, **arguments)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, OaiiError)
    assert err.argument == argument
    assert err.path == path
    assert rule in err.rule
    assert f"'{argument}'" in str(err) and path in str(err)
    assert len(server.requests) == 0


def test_validate_false_lets_the_server_judge(server: LocalServer) -> None:
    from oaii import APIStatusError

    with pytest.raises(APIStatusError) as info:
        call(server, temperature=2.5, validate=False)
    assert info.value.status_code == 400
    assert info.value.param == "temperature"
    assert server.requests[-1].json() == {"assistant_id": "asst_v", "temperature": 2.5}


def test_v1_retrieval_tool_message(server: LocalServer) -> None:
    skip_unless_spec("!tool:retrieval")
    with pytest.raises(InputError, match=r"'retrieval' is from Assistants v1; in v2 it became 'file_search'"):
        call(server, tools=[{"type": "retrieval"}])


# ------------------------------------------------------------------ property-based

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80),
    lambda children: (
        st.lists(children, max_size=25) | st.dictionaries(st.text(max_size=70), children, max_size=20)
    ),
    max_leaves=40,
)
# The body arguments of every version; the property test tries those of the vendored spec
# (another is refused as no argument at all, and would only swell the refusals).
EVERY_ARGUMENT = [
    "model",
    "instructions",
    "additional_instructions",
    "tools",
    "metadata",
    "reasoning_effort",
    "additional_messages",
    "temperature",
    "top_p",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "include",
]
ARGUMENTS = [name for name in EVERY_ARGUMENT if spec_has("query:include[]" if name == "include" else name)]


COUNTS = {"rejected": 0, "accepted": 0}


# Derandomized: test_property_run_saw_both_outcomes counts what these examples saw, and
# random ones came to exactly 10 accepted (of > 10 asked) once in a few dozen runs.
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argument=st.sampled_from(ARGUMENTS), value=JSON, thread=st.integers(0, 10**9))
def test_random_values_only_raise_input_error(
    shared_server: LocalServer, argument: str, value: Any, thread: int
) -> None:
    before = len(shared_server.requests)
    try:
        run = call(shared_server, thread_id=f"thread_h{thread}_{before}", **{argument: value})
    except InputError as err:
        COUNTS["rejected"] += 1
        assert err.argument == argument, str(err)
        assert argument in str(err)
        assert len(shared_server.requests) == before
    else:
        COUNTS["accepted"] += 1
        # Accepted by the client means accepted by the server, which validates with the spec too.
        assert run.id.startswith("run_")
        assert len(shared_server.requests) == before + 1
        if value is not None and argument != "include":
            assert argument in shared_server.requests[-1].json()


def test_property_run_saw_both_outcomes() -> None:
    if COUNTS["rejected"] + COUNTS["accepted"] == 0:
        pytest.skip("the property test did not run in this session")
    assert COUNTS["rejected"] > 50 and COUNTS["accepted"] > 10, COUNTS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(["thread_id", "assistant_id"]), value=st.text(max_size=40))
def test_random_ids_are_refused_or_sent_as_one_path_segment(
    shared_server: LocalServer, which: str, value: str
) -> None:
    before = len(shared_server.requests)
    thread_id = value if which == "thread_id" else f"thread_ok{before}"
    assistant_id = value if which == "assistant_id" else "asst_ok"
    try:
        runs_create_run_request(
            thread_id, assistant_id, base_url=shared_server.url, api_key=KEY, max_retries=0
        )
    except InputError as err:
        assert err.argument == which
        assert len(shared_server.requests) == before
    except OaiiError as err:  # accepted here, refused by the server (an id it does not know)
        assert err.status_code in (400, 404), err.message_long
        assert len(shared_server.requests) == before + 1
    else:
        assert len(shared_server.requests) == before + 1
    if len(shared_server.requests) > before:
        sent = shared_server.requests[-1]
        from urllib.parse import unquote

        segments = sent.path.split("/")
        assert len(segments) == 5 and segments[:3] == ["", "v1", "threads"] and segments[4] == "runs"
        assert unquote(segments[3]) == thread_id
        if which == "assistant_id":
            assert sent.json()["assistant_id"] == assistant_id


@pytest.mark.parametrize(
    "name",
    ["Content-Length", "transfer-encoding", "Host", "Connection", "TE", "Trailer", "Upgrade", "Keep-Alive"],
)
@pytest.mark.parametrize("where", ["default_headers", "extra_headers"])
def test_framing_headers_are_refused_by_name(server: LocalServer, name: str, where: str) -> None:
    """Headers that frame the message or steer the connection come from the request itself:
    a caller's value would contradict the bytes sent (or smuggle a second request)."""
    headers = {"X-Fine": "1", name: "1"}
    with pytest.raises(InputError) as info:
        if where == "default_headers":
            Client(api_key=KEY, base_url=server.url, default_headers=headers)
        else:
            call(server, extra_headers=headers)
    assert info.value.argument == where
    assert info.value.rule == f"{name!r} is set by the HTTP layer from the request itself"
    assert len(server.requests) == 0


@pytest.mark.parametrize("where", ["default_headers", "extra_headers"])
def test_headers_that_are_not_a_mapping_are_refused(server: LocalServer, where: str) -> None:
    headers = [("X-A", "1")]
    with pytest.raises(InputError) as info:
        if where == "default_headers":
            Client(api_key=KEY, base_url=server.url, default_headers=headers)  # type: ignore[arg-type]
        else:
            call(server, extra_headers=headers)
    assert (info.value.argument, info.value.rule) == (where, "must be a mapping of header names to strings")
    assert len(server.requests) == 0
