"""Everything the local server emits is valid against the spec's response schemas, with no extra field.

The validator here is built from the server's copy of the spec (``oaii/server/_spec``)
with every object schema closed (``additionalProperties: false`` where the spec
leaves it open), so a field beyond the spec's fails.  It is not the client's validator.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import jsonschema
import pytest
from oaii.server import LocalServer
from oaii.server._schema import spec

from ..client.test_wire import EVERY_FIELD
from ..conftest import KEY, skip_unless_spec, spec_has, spec_takes

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather"}}


def _closed(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


COMPONENTS = _closed(copy.deepcopy(spec()["components"]))


def check(component: str, instance: Any) -> None:
    schema = {"$ref": f"#/components/schemas/{component}", "components": COMPONENTS}
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(instance), key=str)
    assert not errors, f"{component}: {jsonschema.exceptions.best_match(errors)}"


def events(text: str) -> list[tuple[str, Any]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        data = lines["data"]
        out.append((lines["event"], data if data == "[DONE]" else json.loads(data)))
    return out


def check_stream(text: str) -> list[tuple[str, Any]]:
    seen = events(text)
    for name, data in seen:
        wrapper = {"event": name, "data": data}
        if name == "done":
            check("DoneEvent", wrapper)
        elif name == "thread.created":
            check("ThreadStreamEvent", wrapper)
        elif name.startswith("thread.run.step."):
            check("RunStepStreamEvent", wrapper)
        elif name.startswith("thread.run."):
            check("RunStreamEvent", wrapper)
        elif name.startswith("thread.message."):
            check("MessageStreamEvent", wrapper)
        else:
            raise AssertionError(f"event {name} is not in the spec")
    return seen


@pytest.fixture
def http(server: LocalServer) -> httpx.Client:
    with httpx.Client(base_url=server.url, headers=HEADERS) as client:
        yield client  # type: ignore[misc]


def test_the_closed_validator_catches_an_extra_field() -> None:
    run = json.loads(
        json.dumps(
            __import__("oaii.server", fromlist=["new_run"]).new_run(
                "run_1", "thread_1", {"assistant_id": "asst_1"}
            )
        )
    )
    check("RunObject", run)
    with pytest.raises(AssertionError, match="reasoning_effort"):
        check("RunObject", {**run, "reasoning_effort": None})


def _taken(field: str, value: Any) -> Any:
    """``value``, or for a list the items of it, that the closed schema of ``field`` takes."""
    schema = {**COMPONENTS["schemas"]["CreateRunRequest"]["properties"][field], "components": COMPONENTS}
    if isinstance(value, list):
        items = jsonschema.Draft202012Validator(schema).evolve(
            schema={**schema.get("items", {}), "components": COMPONENTS}
        )
        return [item for item in value if items.is_valid(item)]
    return value


def test_runs_through_their_whole_lifecycle_are_valid(http: httpx.Client) -> None:
    skip_unless_spec("response:truncation_strategy")  # the server builds Assistants v2 runs
    # Each field the spec has, with what its closed schema takes (an older spec's file_search tool
    # has no options: the server would echo them into a run the spec does not describe).
    fields = {name: _taken(name, value) for name, value in EVERY_FIELD.items() if spec_has(name)}
    created = http.post("/threads/thread_all/runs", json={"assistant_id": "asst_1", **fields})
    assert created.status_code == 200
    run = created.json()
    check("RunObject", run)
    path = f"/threads/thread_all/runs/{run['id']}"
    seen = {run["status"]}
    while run["status"] not in ("requires_action", "completed"):
        run = http.get(path).json()
        check("RunObject", run)
        seen.add(run["status"])
    call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    submitted = http.post(
        f"{path}/submit_tool_outputs", json={"tool_outputs": [{"tool_call_id": call["id"], "output": "x"}]}
    )
    check("RunObject", submitted.json())
    check("RunObject", http.get(path).json())
    listed = http.get("/threads/thread_all/runs").json()
    check("ListRunsResponse", listed)
    check("ListRunsResponse", http.get("/threads/thread_empty/runs").json())
    other = http.post("/threads/thread_c/runs", json={"assistant_id": "asst_1"}).json()
    cancelling = http.post(f"/threads/thread_c/runs/{other['id']}/cancel").json()
    check("RunObject", cancelling)
    check("RunObject", http.get(f"/threads/thread_c/runs/{other['id']}").json())
    assert seen >= {"queued", "in_progress", "requires_action"}


def test_streams_are_valid_event_by_event(http: httpx.Client) -> None:
    skip_unless_spec("response:truncation_strategy")  # the server builds Assistants v2 runs
    plain = check_stream(
        http.post("/threads/thread_s/runs", json={"assistant_id": "asst_1", "stream": True}).text
    )
    names = [name for name, _ in plain]
    assert {"thread.run.step.created", "thread.message.delta", "thread.message.completed", "done"} <= set(
        names
    )
    tool = check_stream(
        http.post(
            "/threads/thread_t/runs",
            json={"assistant_id": "asst_1", "stream": True, "tools": [FUNCTION_TOOL]},
        ).text
    )
    run = tool[-2][1]
    assert run["status"] == "requires_action"
    call = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    after = check_stream(
        http.post(
            f"/threads/thread_t/runs/{run['id']}/submit_tool_outputs",
            json={"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}], "stream": True},
        ).text
    )
    step = after[0][1]
    assert (
        after[0][0] == "thread.run.step.completed"
        and step["step_details"]["tool_calls"][0]["function"]["output"] == "sunny"
    )
    assert after[-2][0] == "thread.run.completed"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers"),
    [
        ("POST", "/threads/thread_1/runs", {"assistant_id": "asst_1", "temperature": 9}, {}),
        ("POST", "/threads/thread_1/runs", {"assistant_id": "nope"}, {}),
        ("POST", "/threads/thread_1/runs", {"assistant_id": "asst_1"}, {"Authorization": ""}),
        ("GET", "/threads/thread_1/runs/run_missing", None, {}),
        ("POST", "/threads/thread_1/runs/run_missing/cancel", None, {}),
        ("DELETE", "/threads/thread_1/runs", None, {}),
        ("GET", "/nowhere", None, {}),
    ],
)
def test_errors_are_valid(http: httpx.Client, method: str, path: str, body: Any, headers: dict) -> None:
    response = http.request(method, path, json=body, headers=headers)
    assert response.status_code >= 400
    check("ErrorResponse", response.json())


def _first_taken(component: str, *candidates: dict[str, Any]) -> dict[str, Any] | None:
    """The first body the vendored spec takes as ``component`` (Assistants v2's first, then
    older forms: v1 had no tool_resources, attachments or content parts), else None."""
    return next((body for body in candidates if spec_takes(component, body)), None)


def test_assistants_threads_messages_and_steps_are_valid(http: httpx.Client) -> None:
    skip_unless_spec("schema:AssistantObject")
    if "tool_resources" not in COMPONENTS["schemas"]["AssistantObject"]["properties"]:
        pytest.skip(
            "the vendored spec's assistants, threads and messages are Assistants v1's (file_ids, no "
            "tool_resources); the server builds v2's and conforms only runs (regenerated from another version)"
        )
    plain = {"model": "gpt-4o", "name": "n", "tools": [FUNCTION_TOOL], "metadata": {"k": "v"}}
    v2 = {
        **plain,
        "tools": [{"type": "file_search"}, FUNCTION_TOOL],
        "tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}},
        "temperature": 0.5,
        "response_format": {"type": "json_object"},
    }
    assistant = http.post("/assistants", json=_first_taken("CreateAssistantRequest", v2, plain)).json()
    check("AssistantObject", assistant)
    check("ListAssistantsResponse", http.get("/assistants", params={"limit": 1}).json())
    check("AssistantObject", http.post(f"/assistants/{assistant['id']}", json={"name": "m"}).json())
    parts = [
        {"type": "text", "text": "parts"},
        {"type": "image_url", "image_url": {"url": "https://example.com/x.png"}},
        {"type": "image_file", "image_file": {"file_id": "file_2"}},
    ]
    attached = {"file_id": "file_1", "tools": [{"type": "file_search"}]}
    messages = [
        _first_taken(
            "CreateMessageRequest",
            {"role": "user", "content": "hi", "attachments": [attached]},
            {"role": "user", "content": "hi"},
        ),
        _first_taken(
            "CreateMessageRequest",
            {"role": "assistant", "content": parts},
            {"role": "assistant", "content": "parts"},
        ),  # None where only users write messages (Assistants v1)
    ]
    # a vector store to create: none is (files and vector stores are not served)
    resources = {"file_search": {"vector_stores": [{"file_ids": ["file_3"]}]}}
    body = {"messages": [m for m in messages if m]}
    thread = http.post(
        "/threads", json=_first_taken("CreateThreadRequest", {**body, "tool_resources": resources}, body)
    ).json()
    check("ThreadObject", thread)
    if spec_takes("CreateThreadRequest", {"tool_resources": resources}):
        assert thread["tool_resources"] == {"file_search": {"vector_store_ids": []}}
    check("ThreadObject", http.post(f"/threads/{thread['id']}", json={"metadata": {"a": "b"}}).json())
    messages = http.get(f"/threads/{thread['id']}/messages").json()
    check("ListMessagesResponse", messages)
    message = messages["data"][0]
    check("MessageObject", http.get(f"/threads/{thread['id']}/messages/{message['id']}").json())
    check("MessageObject", http.post(f"/threads/{thread['id']}/messages/{message['id']}", json={}).json())
    run = http.post(
        f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"], "tools": []}
    ).json()
    while run["status"] != "completed":
        run = http.get(f"/threads/{thread['id']}/runs/{run['id']}").json()
    check("RunObject", run)
    check("RunObject", http.post(f"/threads/{thread['id']}/runs/{run['id']}", json={"metadata": {}}).json())
    steps = http.get(f"/threads/{thread['id']}/runs/{run['id']}/steps").json()
    check("ListRunStepsResponse", steps)
    step = http.get(f"/threads/{thread['id']}/runs/{run['id']}/steps/{steps['data'][0]['id']}").json()
    check("RunStepObject", step)
    written = http.get(f"/threads/{thread['id']}/messages", params={"run_id": run["id"]}).json()["data"]
    assert [m["role"] for m in written] == ["assistant"]
    check("MessageObject", written[0])
    both = check_stream(
        http.post(
            "/threads/runs",
            json={"assistant_id": assistant["id"], "stream": True, "tools": [], "thread": {"metadata": {}}},
        ).text
    )
    assert [n for n, _ in both][:4] == [
        "thread.created",  # createThreadAndRun's stream begins with the thread it made
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
    ]
    assert both[0][1]["id"] == both[1][1]["thread_id"]
    check("RunObject", http.post("/threads/runs", json={"assistant_id": assistant["id"]}).json())
    for path, component in (
        (f"/threads/{thread['id']}/messages/{message['id']}", "DeleteMessageResponse"),
        (f"/threads/{thread['id']}", "DeleteThreadResponse"),
        (f"/assistants/{assistant['id']}", "DeleteAssistantResponse"),
    ):
        check(component, http.delete(path).json())


def test_an_attachment_without_a_file_id_is_echoed_without_one(http: httpx.Client) -> None:
    # The spec's attachment items require nothing; null is not a file id the spec allows.
    body = {"role": "user", "content": "hi", "attachments": [{"tools": [{"type": "code_interpreter"}]}]}
    if not spec_takes("CreateMessageRequest", body):
        pytest.skip("the vendored spec's messages have no attachments (regenerated from another version)")
    thread = http.post("/threads", json={}).json()
    made = http.post(f"/threads/{thread['id']}/messages", json=body)
    assert made.status_code == 200, made.text
    check("MessageObject", made.json())
    assert made.json()["attachments"] == [{"tools": [{"type": "code_interpreter"}]}]
