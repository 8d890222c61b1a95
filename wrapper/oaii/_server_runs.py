"""The runs the local server keeps: their store, their shape, and how they move.

A run is a plain dict shaped like the API's RunObject.  ``advance`` moves it one
step along ``queued -> in_progress -> completed`` (``requires_action`` when it
has a function tool); ``stream_events`` is the event sequence of a streamed run.
"""

from __future__ import annotations

import functools
import itertools
import secrets
import threading
import time
from typing import Any

DEFAULT_MODEL = "gpt-4o"
DEFAULT_INSTRUCTIONS = "You are a helpful assistant."
ACTIVE_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
REPLY_TEXT = "Hello from the oaii local server! This run was created and completed locally."


class Store:
    """Runs by id, and each thread's latest run (to refuse a second active one)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.runs: dict[str, dict[str, Any]] = {}
        self.active: dict[str, str] = {}  # thread id -> run id
        self.counter = itertools.count(1)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self.counter):06d}{secrets.token_hex(6)}"


@functools.cache
def _required_by_spec() -> dict[str, Any]:
    """Fields the generated RunObject requires, with empty values, for those these runs lack.

    The runs here are v2's; a client regenerated from another spec version (v1's runs required
    ``file_ids``) then still parses them.
    """
    import attrs
    from oaii_openapi_client.models.run_object import RUN_OBJECT_FIELDS, RunObject

    required = {f.name.removesuffix("_"): f for f in attrs.fields(RunObject) if f.default is attrs.NOTHING}
    return {
        name: [] if str(required[name].type).startswith("list") else None
        for name in RUN_OBJECT_FIELDS
        if name in required
    }


def new_run(run_id: str, thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    run = _v2_run(run_id, thread_id, body)
    return {**{k: v for k, v in _required_by_spec().items() if k not in run}, **run}


def _v2_run(run_id: str, thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    instructions = body.get("instructions") or DEFAULT_INSTRUCTIONS
    if body.get("additional_instructions"):
        instructions = f"{instructions} {body['additional_instructions']}"
    return {
        "id": run_id,
        "object": "thread.run",
        "created_at": int(time.time()),
        "assistant_id": body["assistant_id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": int(time.time()) + 600,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "model": body.get("model") or DEFAULT_MODEL,
        "instructions": instructions,
        "tools": body.get("tools") or [],
        "metadata": body.get("metadata") or {},
        "incomplete_details": None,
        "usage": None,
        "temperature": body["temperature"] if body.get("temperature") is not None else 1.0,
        "top_p": body["top_p"] if body.get("top_p") is not None else 1.0,
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "truncation_strategy": body.get("truncation_strategy") or {"type": "auto", "last_messages": None},
        "response_format": body.get("response_format") or "auto",
        "tool_choice": body.get("tool_choice") or "auto",
        "parallel_tool_calls": body["parallel_tool_calls"]
        if body.get("parallel_tool_calls") is not None
        else True,
        "reasoning_effort": body.get("reasoning_effort"),
    }


def _function_tool(run: dict[str, Any]) -> dict[str, Any] | None:
    return next((t for t in run["tools"] if t.get("type") == "function"), None)


def advance(run: dict[str, Any]) -> None:
    """One step along queued -> in_progress -> completed / requires_action."""
    now = int(time.time())
    if run["status"] == "queued":
        run.update(status="in_progress", started_at=now)
    elif run["status"] == "in_progress":
        tool = _function_tool(run)
        if tool is not None:
            run.update(
                status="requires_action",
                required_action={
                    "type": "submit_tool_outputs",
                    "submit_tool_outputs": {
                        "tool_calls": [
                            {
                                "id": f"call_{secrets.token_hex(8)}",
                                "type": "function",
                                "function": {"name": tool["function"]["name"], "arguments": "{}"},
                            }
                        ]
                    },
                },
            )
        else:
            run.update(
                status="completed",
                completed_at=now,
                usage={"prompt_tokens": 20, "completion_tokens": 12, "total_tokens": 32},
            )


def stream_events(run: dict[str, Any], store: Store) -> list[tuple[str, Any]]:
    """A realistic event sequence; the stored run ends in the final state."""
    events: list[tuple[str, Any]] = [("thread.run.created", dict(run))]
    run["status"] = "queued"
    events.append(("thread.run.queued", dict(run)))
    with store.lock:
        advance(run)
    events.append(("thread.run.in_progress", dict(run)))
    step = {
        "id": store.new_id("step"),
        "object": "thread.run.step",
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "status": "in_progress",
    }
    with store.lock:
        advance(run)
    if run["status"] == "requires_action":
        calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
        step_data = {
            **step,
            "type": "tool_calls",
            "step_details": {"type": "tool_calls", "tool_calls": calls},
        }
        events += [
            ("thread.run.step.created", step_data),
            ("thread.run.step.in_progress", step_data),
            ("thread.run.requires_action", dict(run)),
            ("done", "[DONE]"),
        ]
        return events
    message_id = store.new_id("msg")
    step_data = {
        **step,
        "type": "message_creation",
        "step_details": {"type": "message_creation", "message_creation": {"message_id": message_id}},
    }
    message = {
        "id": message_id,
        "object": "thread.message",
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "role": "assistant",
        "status": "in_progress",
        "content": [],
    }
    events += [
        ("thread.run.step.created", step_data),
        ("thread.run.step.in_progress", step_data),
        ("thread.message.created", message),
        ("thread.message.in_progress", message),
    ]
    for index, word in enumerate(REPLY_TEXT.split(" ")):
        piece = word if index == 0 else f" {word}"
        delta = {
            "id": message_id,
            "object": "thread.message.delta",
            "delta": {"content": [{"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}]},
        }
        events.append(("thread.message.delta", delta))
    done_message = {
        **message,
        "status": "completed",
        "content": [{"type": "text", "text": {"value": REPLY_TEXT, "annotations": []}}],
    }
    events += [
        ("thread.message.completed", done_message),
        ("thread.run.step.completed", {**step_data, "status": "completed"}),
        ("thread.run.completed", dict(run)),
        ("done", "[DONE]"),
    ]
    return events
