"""What goes on the wire: body, headers, query; checked at a real server over loopback."""

from __future__ import annotations

import json

import oaii
import pytest
from oaii import runs_create_run_request
from oaii.server import LocalServer
from oaii_openapi_client.models.assistant_tools_function import AssistantToolsFunction

from ..conftest import KEY, skip_unless_spec


def test_seed_example_sends_exactly_assistant_id(server: LocalServer, opts: dict) -> None:
    run = runs_create_run_request("thread_abc123", "asst_abc123", **opts)
    sent = server.requests[-1]
    assert sent.method == "POST"
    assert sent.path == "/v1/threads/thread_abc123/runs"
    assert sent.body == b'{"assistant_id":"asst_abc123"}'
    assert sent.query == {}
    assert run.id.startswith("run_")
    assert run.status == "queued"
    assert run.thread_id == "thread_abc123"


def test_headers(server: LocalServer, opts: dict) -> None:
    runs_create_run_request("thread_abc123", "asst_abc123", **opts, organization="org-1", project="proj-1")
    headers = {k.lower(): v for k, v in server.requests[-1].headers.items()}
    assert headers["authorization"] == "Bearer [redacted]" and server.requests[-1].authorized_with(KEY)
    assert headers["openai-beta"] == "assistants=v2"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith(f"oaii-python/{oaii.__version__} ")
    assert headers["openai-organization"] == "org-1"
    assert headers["openai-project"] == "proj-1"
    assert headers["accept"] == "application/json"
    assert headers["accept-encoding"] == "gzip, deflate"  # what the transport decodes, size-bounded


def test_get_run_headers(server: LocalServer, opts: dict) -> None:
    """A getRun has no body, nor a create's own headers; the client's defaults, as a create's."""
    run = runs_create_run_request("thread_get_h", "asst_1", **opts)
    oaii.runs_get_run("thread_get_h", run.id, **opts, organization="org-1", project="proj-1")
    sent = server.requests[-1]
    headers = {k.lower(): v for k, v in sent.headers.items()}
    assert sent.method == "GET" and sent.authorized_with(KEY)
    assert headers["accept"] == "application/json"
    assert headers["accept-encoding"] == "gzip, deflate"
    assert headers["openai-beta"] == "assistants=v2"
    assert headers["user-agent"].startswith(f"oaii-python/{oaii.__version__} ")
    assert (headers["openai-organization"], headers["openai-project"]) == ("org-1", "proj-1")
    assert "content-type" not in headers and "idempotency-key" not in headers


def test_org_and_project_from_environment(
    server: LocalServer, opts: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs_create_run_request("thread_1", "asst_1", **opts)
    assert "OpenAI-Organization" not in server.requests[-1].headers
    monkeypatch.setenv("OPENAI_ORG_ID", "org-env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-env")
    runs_create_run_request("thread_2", "asst_1", **opts)
    assert server.requests[-1].headers["OpenAI-Organization"] == "org-env"
    assert server.requests[-1].headers["OpenAI-Project"] == "proj-env"


EVERY_FIELD = {
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "additional_instructions": "Say hi.",
    "tools": [
        {"type": "code_interpreter"},
        {"type": "file_search", "file_search": {"max_num_results": 5}},
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather",
                "parameters": {"type": "object", "properties": {}},
            },
        },
    ],
    "metadata": {"user": "jane", "purpose": "test"},
    "reasoning_effort": "low",
    "additional_messages": [{"role": "user", "content": "Hello"}],
    "temperature": 0.5,
    "top_p": 0.9,
    "max_prompt_tokens": 1000,
    "max_completion_tokens": 500,
    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "parallel_tool_calls": False,
    "response_format": {"type": "json_object"},
}


def test_every_field_round_trips(server: LocalServer, opts: dict) -> None:
    skip_unless_spec(*EVERY_FIELD, "tool:file_search")
    run = runs_create_run_request("thread_all", "asst_abc123", **EVERY_FIELD, **opts)
    sent = server.requests[-1].json()
    assert sent == {"assistant_id": "asst_abc123", **EVERY_FIELD}
    assert list(sent) == ["assistant_id", *[k for k in sent if k != "assistant_id"]]
    assert run.model == "gpt-4o"
    assert run.temperature == 0.5
    assert run.to_dict()["metadata"] == {"user": "jane", "purpose": "test"}
    assert run.to_dict()["tools"] == EVERY_FIELD["tools"]


@pytest.mark.parametrize("field", sorted(EVERY_FIELD))
def test_each_field_alone_is_sent_alone(server: LocalServer, opts: dict, field: str) -> None:
    skip_unless_spec(field, *(["tool:file_search"] if field == "tools" else []))
    runs_create_run_request("thread_one", "asst_abc123", **{field: EVERY_FIELD[field]}, **opts)
    assert server.requests[-1].json() == {"assistant_id": "asst_abc123", field: EVERY_FIELD[field]}


def test_no_declared_defaults_are_sent(server: LocalServer, opts: dict) -> None:
    runs_create_run_request("thread_d", "asst_abc123", model="gpt-4o", **opts)
    sent = server.requests[-1].json()
    assert "temperature" not in sent and "top_p" not in sent and "parallel_tool_calls" not in sent


def test_generated_models_are_accepted(server: LocalServer, opts: dict) -> None:
    skip_unless_spec("truncation_strategy")
    from oaii_openapi_client.models.truncation_object import TruncationObject

    tool = AssistantToolsFunction.from_dict({"type": "function", "function": {"name": "f"}})
    trunc = TruncationObject.from_dict({"type": "auto"})
    runs_create_run_request("thread_m", "asst_abc123", tools=[tool], truncation_strategy=trunc, **opts)
    assert server.requests[-1].json() == {
        "assistant_id": "asst_abc123",
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "truncation_strategy": {"type": "auto"},
    }


def test_every_structured_argument_takes_generated_models(server: LocalServer, opts: dict) -> None:
    skip_unless_spec("tool_choice", "response_format", "additional_messages", "union:metadata")
    from oaii_openapi_client.models.assistants_named_tool_choice import AssistantsNamedToolChoice
    from oaii_openapi_client.models.create_message_request import CreateMessageRequest
    from oaii_openapi_client.models.metadata_type_0 import MetadataType0
    from oaii_openapi_client.models.response_format_json_object import ResponseFormatJsonObject

    as_dicts = {
        "metadata": {"user": "jane"},
        "tool_choice": {"type": "code_interpreter"},
        "response_format": {"type": "json_object"},
        "additional_messages": [{"role": "user", "content": "Hello"}],
    }
    models = {
        "metadata": MetadataType0.from_dict(as_dicts["metadata"]),
        "tool_choice": AssistantsNamedToolChoice.from_dict(as_dicts["tool_choice"]),
        "response_format": ResponseFormatJsonObject.from_dict(as_dicts["response_format"]),
        "additional_messages": [CreateMessageRequest.from_dict(as_dicts["additional_messages"][0])],
    }
    runs_create_run_request("thread_gm", "asst_abc123", **models, **opts)
    assert server.requests[-1].json() == {"assistant_id": "asst_abc123", **as_dicts}


def test_include_query_encoding(server: LocalServer, opts: dict) -> None:
    skip_unless_spec("query:include[]")
    value = "step_details.tool_calls[*].file_search.results[*].content"
    runs_create_run_request("thread_q", "asst_abc123", include=[value], **opts)
    sent = server.requests[-1]
    assert sent.query == {"include[]": [value]}
    assert sent.body == b'{"assistant_id":"asst_abc123"}'


def test_thread_id_is_one_path_segment(server: LocalServer, opts: dict) -> None:
    runs_create_run_request("thread_a-b.c", "asst_abc123", **opts)
    assert server.requests[-1].path == "/v1/threads/thread_a-b.c/runs"


def test_extra_body_and_headers(server: LocalServer, opts: dict) -> None:
    runs_create_run_request(
        "thread_x",
        "asst_abc123",
        extra_headers={"X-Trace": "t1"},
        **opts,
        extra_body={"model": "gpt-4o-mini"},
    )
    sent = server.requests[-1]
    assert sent.headers["X-Trace"] == "t1"
    assert json.loads(sent.body) == {"assistant_id": "asst_abc123", "model": "gpt-4o-mini"}


def test_connection_of_a_callers_http_client_is_reused() -> None:
    import httpx

    from .._rawserver import RawServer

    with RawServer() as server, httpx.Client() as client:
        for i in range(3):
            runs_create_run_request(
                f"thread_reuse{i}", "asst_abc123", http_client=client, api_key=KEY, base_url=server.url
            )
        assert [request.connection for request in server.requests] == [0, 0, 0]


def test_ipv6_loopback() -> None:
    import socket

    if not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    try:
        srv = LocalServer("::1", create_missing=True)
    except OSError as exc:
        pytest.skip(f"cannot bind ::1 here: {exc}")
    with srv.start():
        run = runs_create_run_request("thread_v6", "asst_abc123", base_url=srv.url, api_key=KEY)
        assert run.thread_id == "thread_v6"


def test_text_is_sent_as_utf_8_not_escaped(server: LocalServer, opts: dict) -> None:
    """Compact JSON, non-ASCII as its UTF-8 bytes (not ``\\u`` escapes): the body is what was given."""
    runs_create_run_request("thread_utf8", "asst_1", instructions="café 😀", **opts)
    assert server.requests[-1].body == '{"assistant_id":"asst_1","instructions":"café 😀"}'.encode()
