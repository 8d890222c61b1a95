"""The API's objects as the server makes them from request bodies: assistants, threads, messages.

Files and vector stores are not served: ids of files and vector stores are kept as given
(never looked up), a thread's ``tool_resources.file_search.vector_stores`` (a request to
create one) makes none, and attachments are kept on their message as given.
"""

from __future__ import annotations

import time
from typing import Any

from ._runs import DEFAULT_INSTRUCTIONS, DEFAULT_MODEL

_ASSISTANT_FIELDS = (
    "name",
    "description",
    "model",
    "instructions",
    "tools",
    "tool_resources",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
)


def assistant(assistant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": assistant_id,
        "object": "assistant",
        "created_at": int(time.time()),
        "name": body.get("name"),
        "description": body.get("description"),
        "model": body["model"],
        "instructions": body.get("instructions"),
        "tools": body.get("tools") or [],
        "tool_resources": tool_resources(body.get("tool_resources")),
        "metadata": body.get("metadata") or {},
        "temperature": body.get("temperature"),
        "top_p": body.get("top_p"),
        "response_format": body.get("response_format"),
    }


def default_assistant(assistant_id: str) -> dict[str, Any]:
    """What any well-formed id names under ``create_missing``: today's run settings."""
    return assistant(assistant_id, {"model": DEFAULT_MODEL, "instructions": DEFAULT_INSTRUCTIONS})


def modified_assistant(old: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """A new dict (never ``old`` changed: runs made from it keep it as it was)."""
    new = dict(old)
    for name in _ASSISTANT_FIELDS:
        if name not in body:
            continue
        value = body[name]
        if name == "tool_resources":
            value = tool_resources(value)
        elif name in ("tools", "metadata"):
            value = value or ([] if name == "tools" else {})
        elif name == "model" and value is None:
            continue
        new[name] = value
    return new


def tool_resources(given: Any) -> dict[str, Any] | None:
    """Resources as an object has them: file and vector store ids as given; a request to
    create a vector store (``vector_stores``) creates none."""
    if not isinstance(given, dict):
        return None
    out: dict[str, Any] = {}
    code = given.get("code_interpreter")
    if isinstance(code, dict):
        out["code_interpreter"] = {"file_ids": list(code.get("file_ids") or [])}
    search = given.get("file_search")
    if isinstance(search, dict):
        out["file_search"] = {"vector_store_ids": list(search.get("vector_store_ids") or [])}
    return out


def thread(thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": thread_id,
        "object": "thread",
        "created_at": int(time.time()),
        "tool_resources": tool_resources(body.get("tool_resources")),
        "metadata": body.get("metadata") or {},
    }


def empty_thread(thread_id: str, created_at: int) -> dict[str, Any]:
    """What a well-formed id names under ``create_missing`` before anything changes it."""
    return {
        "id": thread_id,
        "object": "thread",
        "created_at": created_at,
        "tool_resources": None,
        "metadata": {},
    }


def _content(given: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(given, str):
        return [{"type": "text", "text": {"value": given, "annotations": []}}]
    parts = []
    for part in given:
        if part.get("type") == "text":
            parts.append({"type": "text", "text": {"value": part["text"], "annotations": []}})
        else:  # image_file, image_url: the same shape in a message as in a request
            parts.append(dict(part))
    return parts


def _attachments(given: Any) -> list[dict[str, Any]]:
    out = []
    for item in given or ():
        tools = [
            {"type": "file_search"} if t.get("type") == "file_search" else dict(t)
            for t in item.get("tools") or ()
        ]
        # The spec's attachment items require nothing (its `required` sits on the array, where it
        # says nothing): an attachment without a file id is echoed without one, never as null.
        kept = {"file_id": item["file_id"]} if "file_id" in item else {}
        out.append({**kept, "tools": tools})
    return out


def message(message_id: str, thread_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """A message a client adds (createMessage, a new thread's messages, additional_messages)."""
    now = int(time.time())
    return {
        "id": message_id,
        "object": "thread.message",
        "created_at": now,
        "thread_id": thread_id,
        "status": "completed",
        "incomplete_details": None,
        "completed_at": now,
        "incomplete_at": None,
        "role": body["role"],
        "content": _content(body["content"]),
        "assistant_id": None,
        "run_id": None,
        "attachments": _attachments(body.get("attachments")),
        "metadata": body.get("metadata") or {},
    }
