"""Odd arguments end in an InputError naming the argument and the path, with nothing sent."""

from __future__ import annotations

import datetime
import enum
import json
from typing import Any

import pytest
from oaii import InputError, runs_create_run_request, runs_get_run
from oaii._body import to_plain
from oaii._validation import MAX_ID_CHARS, check_header, check_path_id
from oaii.server import LocalServer

from .._rawserver import RawServer
from ..conftest import skip_unless_spec


@pytest.fixture
def server(reused_server: LocalServer) -> LocalServer:
    return reused_server


NAN = float("nan")
INF = float("inf")


def refused(server: LocalServer, opts: dict, **arguments: Any) -> InputError:
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_odd", "asst_1", **arguments, **opts)
    assert len(server.requests) == 0
    return info.value


def function_tool(**function: Any) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": "f", **function}}]


@pytest.mark.parametrize(
    ("arguments", "argument", "path"),
    [
        ({"temperature": NAN}, "temperature", "temperature"),
        ({"top_p": -INF}, "top_p", "top_p"),
        (
            {"tools": function_tool(parameters={"type": "object", "x": [1.0, NAN]})},
            "tools",
            "tools[0].function.parameters.x[1]",
        ),
        (
            {"truncation_strategy": {"type": "last_messages", "last_messages": INF}},
            "truncation_strategy",
            "truncation_strategy.last_messages",
        ),
        ({"metadata": {"k": NAN}}, "metadata", "metadata.k"),
    ],
    ids=["temperature-nan", "top_p-inf", "nested-nan", "nested-inf", "metadata-nan"],
)
def test_nan_and_inf_are_refused(
    server: LocalServer, opts: dict, arguments: dict, argument: str, path: str
) -> None:
    skip_unless_spec(*arguments)
    err = refused(server, opts, **arguments)
    assert (err.argument, err.path) == (argument, path)
    assert "not a JSON number" in err.rule


@pytest.mark.parametrize(
    ("arguments", "argument", "path"),
    [
        ({"instructions": "hi \ud800 there"}, "instructions", "instructions"),
        ({"metadata": {"k\udfff": "v"}}, "metadata", "metadata"),
        ({"metadata": {"k": "v\ud83d"}}, "metadata", "metadata.k"),
        ({"tools": function_tool(description="\udc00")}, "tools", "tools[0].function.description"),
        (
            {"additional_messages": [{"role": "user", "content": "\ud800"}]},
            "additional_messages",
            "additional_messages[0].content",
        ),
    ],
    ids=["instructions", "metadata-key", "metadata-value", "tool", "message"],
)
def test_lone_surrogates_are_refused(
    server: LocalServer, opts: dict, arguments: dict, argument: str, path: str
) -> None:
    skip_unless_spec(*arguments)
    err = refused(server, opts, **arguments)
    assert (err.argument, err.path) == (argument, path)
    assert "lone surrogate" in err.rule


def test_paired_surrogates_and_other_unicode_are_sent(server: LocalServer, opts: dict) -> None:
    runs_create_run_request(
        "thread_u", "asst_1", instructions="café 😀 \u202e", metadata={"ключ": "値"}, **opts
    )
    assert server.requests[-1].json()["instructions"] == "café 😀 \u202e"


@pytest.mark.parametrize(
    "value",
    [{1, 2}, b"bytes", datetime.date(2026, 1, 1), object(), {1: "int key"}],
    ids=["set", "bytes", "date", "object", "int-key"],
)
def test_non_json_values_are_refused(server: LocalServer, opts: dict, value: Any) -> None:
    err = refused(server, opts, tools=function_tool(parameters={"type": "object", "v": value}))
    assert err.argument == "tools" and err.path.startswith("tools[0].function.parameters")


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        (7, "7"),
        (10**79, "1" + "0" * 79),  # a repr of 80 characters: shown whole
        (10**80, "1" + "0" * 76 + "..."),  # 81: cut to 77 and an ellipsis
        (10**300, "1" + "0" * 76 + "..."),
    ],
    ids=["short", "80-chars", "81-chars", "301-chars"],
)
def test_a_key_that_is_not_a_string_is_named_in_short(
    server: LocalServer, opts: dict, key: int, shown: str
) -> None:
    err = refused(server, opts, metadata={key: "v"})
    assert (err.argument, err.path) == ("metadata", "metadata")
    assert err.rule == f"keys must be strings, got {shown}"


class _Model:
    """Stands for a generated model: sent as what its ``to_dict()`` returns."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def to_dict(self) -> Any:
        return self.value


def test_enum_members_and_models_are_sent_as_their_values(server: LocalServer, opts: dict) -> None:
    kind = enum.Enum("Kind", {"CODE": "code_interpreter"})
    runs_create_run_request(
        "thread_enum", "asst_1", tools=[{"type": kind.CODE}], metadata=_Model({"k": "v"}), **opts
    )
    sent = server.requests[-1].json()
    assert (sent["tools"], sent["metadata"]) == ([{"type": "code_interpreter"}], {"k": "v"})


def test_a_model_whose_to_dict_returns_itself_is_refused(server: LocalServer, opts: dict) -> None:
    model = _Model(None)
    model.value = model
    err = refused(server, opts, metadata=model)
    assert err.rule == "nested deeper than 128 levels (or contains itself)"


def test_containers_that_hold_themselves_or_nest_too_deep(server: LocalServer, opts: dict) -> None:
    cyclic: dict[str, Any] = {"type": "object"}
    cyclic["self"] = cyclic
    assert "nested deeper" in refused(server, opts, tools=function_tool(parameters=cyclic)).rule
    deep: Any = "x"
    for _ in range(133):
        deep = [deep]
    assert "nested deeper" in refused(server, opts, tools=function_tool(parameters={"d": deep})).rule


def _nested(levels: int) -> Any:
    """``levels`` containers, one in the other (dicts and lists by turns), around a string."""
    value: Any = "x"
    for level in range(levels):
        value = {"k": value} if level % 2 else [value]
    return value


@pytest.mark.parametrize(("levels", "sent"), [(127, True), (128, False)])
def test_nesting_limit_at_its_edge(levels: int, sent: bool) -> None:
    """extra_body itself and 127 containers in it (128 levels) are sent; one level more is refused."""
    extra_body = {"deep": _nested(levels)}
    with RawServer() as server:  # takes any body (the local server has a nesting limit of its own)
        options = {"api_key": "sk-t", "base_url": server.url, "extra_body": extra_body, "validate": False}
        if sent:
            runs_create_run_request("thread_nest", "asst_1", **options)
            assert json.loads(server.requests[-1].body)["deep"] == _nested(levels)
        else:
            with pytest.raises(InputError) as info:
                runs_create_run_request("thread_nest", "asst_1", **options)
            assert info.value.argument == "extra_body"
            assert info.value.rule == "nested deeper than 128 levels (or contains itself)"
            assert len(server.requests) == 0


def _enum_of(value: Any) -> Any:
    return enum.Enum("Wrapper", {"V": value}).V


@pytest.mark.parametrize("wrap", [lambda v: [v], _enum_of, _Model], ids=["list", "enum", "model"])
@pytest.mark.parametrize(("levels", "sent"), [(127, True), (128, False)])
def test_an_enum_or_a_model_is_one_level_as_a_container_is(levels: int, sent: bool, wrap: Any) -> None:
    """The outermost of ``levels`` levels an enum member or a model (its value one level in)."""
    extra_body = {"deep": wrap(_nested(levels - 1))}
    with RawServer() as server:
        options = {"api_key": "sk-t", "base_url": server.url, "extra_body": extra_body, "validate": False}
        if sent:
            runs_create_run_request("thread_nest", "asst_1", **options)
            assert len(server.requests) == 1
        else:
            with pytest.raises(InputError) as info:
                runs_create_run_request("thread_nest", "asst_1", **options)
            assert info.value.rule == "nested deeper than 128 levels (or contains itself)"
            assert len(server.requests) == 0


@pytest.mark.parametrize(
    "extra_body",
    [{"x": NAN}, {"x": {"y": INF}}, {"x": "\ud800"}, {"x\ud800": 1}, {"x": {1, 2}}, {"x": b"raw"}, {1: "x"}],
    ids=["nan", "nested-inf", "surrogate", "surrogate-key", "set", "bytes", "int-key"],
)
def test_to_plain_refuses_what_extra_body_cannot_send(extra_body: dict) -> None:
    """What the request layer calls on ``extra_body`` before sending."""
    with pytest.raises(InputError) as info:
        to_plain(extra_body, "extra_body")
    assert info.value.argument == "extra_body"
    assert info.value.path.startswith("extra_body")


def test_to_plain_keeps_json_values() -> None:
    value = {"a": [1, 2.5, True, None, "s", ("t", "u")], "b": {"c": -0.0}}
    assert to_plain(value, "extra_body") == {"a": [1, 2.5, True, None, "s", ["t", "u"]], "b": {"c": -0.0}}


# ------------------------------------------------------------------------ ids


def test_ids_too_long_for_a_url(server: LocalServer, opts: dict) -> None:
    long_id = "thread_" + "x" * (MAX_ID_CHARS - len("thread_"))
    run = runs_create_run_request(long_id, "asst_1", **opts)  # at the cap: sent
    assert run.thread_id == long_id
    with pytest.raises(InputError) as info:
        runs_create_run_request(long_id + "x", "asst_1", **opts)
    assert info.value.argument == "thread_id" and f"at most {MAX_ID_CHARS}" in info.value.rule
    with pytest.raises(InputError) as info:
        runs_get_run("thread_1", "run_" + "9" * 10_000, **opts)
    assert info.value.argument == "run_id"
    assert len(server.requests) == 1


def test_ids_with_lone_surrogates(server: LocalServer, opts: dict) -> None:
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_\ud800", "asst_1", **opts)
    assert info.value.argument == "thread_id" and "surrogate" in info.value.rule
    assert check_path_id("thread_id", "thread_é") == "thread_é"
    assert len(server.requests) == 0


# -------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("X-Ok", "a\r\nX-Evil: 1", "printable ASCII"),
        ("X-Ok", "café", "printable ASCII"),
        ("X-Ok", "\x00", "printable ASCII"),
        ("X-Ok", " padded", "whitespace"),
        ("X Bad", "v", "not a valid header name"),
        ("X-Bad:", "v", "not a valid header name"),
        ("", "v", "not a valid header name"),
        ("X-Ünï", "v", "not a valid header name"),
        (1, "v", "not a valid header name"),
        ("X-Ok", 1, "must be a string"),
    ],
)
def test_check_header(name: Any, value: Any, rule: str) -> None:
    with pytest.raises(InputError) as info:
        check_header("extra_headers", name, value)
    assert info.value.argument == "extra_headers" and rule in info.value.rule


def test_check_header_accepts_what_http_carries() -> None:
    assert check_header("extra_headers", "X-Trace_1.a~b", "a b\tc !~") == "a b\tc !~"
    assert check_header("extra_headers", "X-Empty", "") == ""


# ------------------------------------------------------ empty strings (as R)


@pytest.mark.parametrize("field", ["model", "instructions", "additional_instructions"])
def test_empty_strings_are_refused_as_in_r(server: LocalServer, opts: dict, field: str) -> None:
    skip_unless_spec(field)
    err = refused(server, opts, **{field: ""})
    assert err.argument == field
    assert err.rule == "must be a non-empty string, or None to keep the assistant's own"


def test_a_seed_argument_missing_from_the_spec_is_refused_by_name(
    server: LocalServer, opts: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after `make spec` on a spec without ``additional_instructions``: given, it is refused
    naming the fields this spec has; left as None, the call goes on without it."""
    import oaii._body

    monkeypatch.setattr(oaii._body, "body_fields", lambda: ("assistant_id", "model"))
    err = refused(server, opts, additional_instructions="be brief")
    assert err.argument == "additional_instructions"
    assert err.rule == "is not a field of CreateRunRequest in this spec; known fields: assistant_id, model"
    runs_create_run_request("thread_old_spec", "asst_1", validate=False, **opts)
    assert server.requests[-1].json() == {"assistant_id": "asst_1"}


def test_empty_tools_and_metadata_are_sent(server: LocalServer, opts: dict) -> None:
    """Unlike R: an empty list runs without the assistant's tools; computed collections may be empty."""
    runs_create_run_request("thread_empty", "asst_1", tools=[], metadata={}, **opts)
    assert server.requests[-1].json() == {"assistant_id": "asst_1", "tools": [], "metadata": {}}


def test_nested_none_is_sent_as_null(server: LocalServer, opts: dict) -> None:
    """R's jsonlite writes a nested NULL as {}; JSON null is what the spec means."""
    skip_unless_spec("truncation_strategy")
    strategy = {"type": "last_messages", "last_messages": None}
    runs_create_run_request("thread_null", "asst_1", truncation_strategy=strategy, **opts)
    assert server.requests[-1].json()["truncation_strategy"] == strategy
