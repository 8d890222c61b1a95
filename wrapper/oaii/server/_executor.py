"""How a run is carried out: the ``Executor`` seam, the ``RunWriter`` every executor reports
through, and the default ``ScriptedExecutor``.

The contract
------------
An executor is given a run once the store holds it (``started``): the ``Run`` (its
``data`` is the RunObject: model, instructions and tools already taken from the assistant
or the request), the assistant (a dict, never changed in place), and the store, where
the thread's messages are (``store.page("message", thread_id, 100, "asc")``; the
request's ``additional_messages`` are already on the thread).  It must not block: the
createRun answer (made from a template, the server's fast path) leaves once
``started`` returns.

It reports only through its ``RunWriter`` (never by writing ``run.data`` or the store
itself), which keeps every change in the store (``save_run``/``add``/``save``) and is the
one place where a live stream would be told (see "What a live executor adds"):

  ``begin``               queued -> in_progress
  ``require_tool_calls``  a ``tool_calls`` step, and ``requires_action`` with the calls
  ``take_tool_outputs``   the outputs into the step; the run ``in_progress`` again
  ``start_message`` / ``add_text`` / ``finish_message``
                          an assistant message on the thread (``run_id`` set) and its
                          ``message_creation`` step, written in pieces or whole
  ``complete``            ``completed`` with usage
  ``fail``                ``failed`` with ``last_error`` (code ``server_error`` or
                          ``rate_limit_exceeded``, as the API)
  ``cancelled``           ``cancelling`` -> ``cancelled``

The API reaches the executor for what clients do to a run:
  ``observe(run)``        a client read the run (getRun; not HEAD, not a list)
  ``stream(run, created)``  a client asked for ``stream: true``: the events, in the API's
                          order, as the run is carried out
  ``submit_tool_outputs(run, outputs)``  outputs for a ``requires_action`` run: None, or
                          the API's reason to refuse them (a 400)
  ``cancel(run)``         None, or the reason it cannot be cancelled (a 400)

The ``ScriptedExecutor`` (the default) moves a run only when it is looked at, one step
per read (queued -> in_progress -> completed or requires_action; cancelling ->
cancelled), so that a test sees every status; a stream carries it to its end at once.
Its reply is ``REPLY_TEXT``; a run with a function tool calls the first one.

What a live executor adds (issue 20: a model-backed one)
--------------------------------------------------------
``started`` creates an asyncio task on the server's loop (``asyncio.get_running_loop()``;
keep the task in ``LocalServer.tasks`` so ``stop()`` cancels it) that calls the model
and reports through the writer; ``observe`` does nothing.  ``cancel`` marks the run
``cancelling`` through the writer and cancels the task, which ends with ``cancelled``;
``submit_tool_outputs`` takes them through the writer and wakes the task.  Streams are
today one whole ``Reply`` made synchronously (``_api.Api._stream``): a live executor
needs (1) a reply whose body is an async iterator of events, written by a task on the
``Connection`` (as the timed faults ``drip``/``hang`` are), and (2) ``RunWriter.listeners``:
a per-run list of queues fed by ``_emit`` (which today only the scripted stream's events
pass through), so an open stream gets each delta as it is written.  The store's
``commit()`` is called by the HTTP layer before answers leave; a task's writes outside a
request must call ``store.commit()`` itself.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any, Protocol

from ._live import LiveStream
from ._runs import ACTIVE_STATUSES, REPLY_TEXT, USAGE, Run, end_tool_step
from ._store import Store

_random = random.Random()  # noqa: S311 (ids name things, they guard nothing)
Event = tuple[str, Any]  # (event name, data) of a stream


class Executor(Protocol):
    writer: RunWriter

    def refuse(self, tools: list[dict[str, Any]]) -> str | None:
        """Why a run with these tools cannot be carried out (a 400 at its creation), or None."""
        ...

    def started(self, run: Run, assistant: dict[str, Any]) -> None: ...

    def observe(self, run: Run) -> None: ...

    def stream(self, run: Run, *, created: bool) -> Iterator[Event] | LiveStream:
        """The events as made here (an iterator), or a live stream the run's task writes to."""
        ...

    def submit_tool_outputs(self, run: Run, outputs: list[dict[str, Any]]) -> str | None: ...

    def cancel(self, run: Run) -> str | None: ...

    def thread_deleted(self, thread_id: str) -> None:
        """The thread (with its runs) was deleted: whatever still works on its runs stops."""
        ...


def _now() -> int:
    return int(time.time())


class RunWriter:
    """Every change an executor makes to a run, its messages and steps, kept in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _emit(self, run: Run, event: str, data: Any) -> None:
        """The hook a live stream hangs on (see the module's docstring): nothing yet."""

    def begin(self, run: Run) -> None:
        data = run.data
        data.update(status="in_progress", started_at=data["started_at"] or _now())
        self.store.save_run(run)

    def step(self, run: Run, kind: str, details: dict[str, Any]) -> dict[str, Any]:
        data = run.data
        step = {
            "id": self.store.new_id("step"),
            "object": "thread.run.step",
            "created_at": _now(),
            "assistant_id": data["assistant_id"],
            "thread_id": data["thread_id"],
            "run_id": data["id"],
            "type": kind,
            "status": "in_progress",
            "step_details": details,
            "last_error": None,
            "expired_at": None,
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "metadata": {},
            "usage": None,
        }
        self.store.add("step", step)
        return step

    def finish_step(self, step: dict[str, Any], usage: dict[str, int] | None = None) -> None:
        step.update(status="completed", completed_at=_now(), usage=dict(usage) if usage else None)
        self.store.save("step", step)

    def start_tool_step(self, run: Run) -> dict[str, Any]:
        """A ``tool_calls`` step, ``in_progress``, its calls to come (``require_tool_calls``)."""
        return self.step(run, "tool_calls", {"type": "tool_calls", "tool_calls": []})

    def require_tool_calls(
        self, run: Run, calls: list[dict[str, Any]], step: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """``calls``: ``{"id", "type": "function", "function": {"name", "arguments"}}`` each, into
        ``step`` (``start_tool_step``'s) or a new step."""
        details = {
            "type": "tool_calls",
            "tool_calls": [{**c, "function": {**c["function"], "output": None}} for c in calls],
        }
        if step is None:
            step = self.step(run, "tool_calls", details)
        else:
            step["step_details"] = details
            self.store.save("step", step)
        run.tool_step = step
        run.data.update(
            status="requires_action",
            required_action={"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}},
        )
        self.store.save_run(run)
        return step

    def take_tool_outputs(self, run: Run, outputs: list[dict[str, Any]]) -> str | None:
        """The outputs of a ``requires_action`` run, into its step (None), or why not."""
        data = run.data
        if data["status"] != "requires_action" or run.tool_step is None:
            return f'Runs in status "{data["status"]}" do not accept tool outputs.'
        calls = data["required_action"]["submit_tool_outputs"]["tool_calls"]
        expected = {c["id"] for c in calls}
        given = {o.get("tool_call_id") for o in outputs}
        if given != expected:
            return (
                f"Expected tool outputs for call_ids {sorted(expected)}, got {sorted(str(g) for g in given)}."
            )
        by_id = {o["tool_call_id"]: o.get("output", "") for o in outputs}
        for call in run.tool_step["step_details"]["tool_calls"]:
            call["function"]["output"] = by_id.get(call["id"], "")
        self.finish_step(run.tool_step, USAGE)
        data.update(status="in_progress", required_action=None)
        self.store.save_run(run)
        return None

    def start_message(self, run: Run) -> tuple[dict[str, Any], dict[str, Any]]:
        """An assistant message of the run, ``in_progress`` and empty, and its step."""
        data = run.data
        message = {
            "id": self.store.new_id("msg"),
            "object": "thread.message",
            "created_at": _now(),
            "thread_id": data["thread_id"],
            "status": "in_progress",
            "incomplete_details": None,
            "completed_at": None,
            "incomplete_at": None,
            "role": "assistant",
            "content": [],
            "assistant_id": data["assistant_id"],
            "run_id": data["id"],
            "attachments": [],
            "metadata": {},
        }
        step = self.step(
            run,
            "message_creation",
            {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
        )
        self.store.add("message", message, len(REPLY_TEXT))
        return message, step

    def finish_message(self, message: dict[str, Any], step: dict[str, Any], text: str) -> None:
        message.update(
            status="completed",
            completed_at=_now(),
            content=[{"type": "text", "text": {"value": text, "annotations": []}}],
        )
        self.store.save("message", message)
        self.finish_step(step, USAGE)

    def complete(self, run: Run, usage: dict[str, int]) -> None:
        run.data.update(status="completed", completed_at=_now(), usage=dict(usage))
        self.store.save_run(run)

    def fail(self, run: Run, code: str, message: str) -> None:
        run.data.update(
            status="failed",
            failed_at=_now(),
            required_action=None,
            last_error={"code": code, "message": message},
        )
        self.store.save_run(run)

    def cancelling(self, run: Run) -> str | None:
        data = run.data
        if data["status"] not in ACTIVE_STATUSES or data["status"] == "cancelling":
            return f"Cannot cancel run with status '{data['status']}'."
        data.update(status="cancelling", required_action=None)
        self.store.save_run(run)
        return None

    def expired(self, run: Run) -> None:
        """An active run past its deadline, ended by its executor: as ``_runs.expire`` ends one
        a read finds past it (its tool_calls step awaiting outputs ends ``expired`` too)."""
        step = end_tool_step(run, "expired", _now())
        if step is not None:
            self.store.save("step", step)
        run.data.update(status="expired", required_action=None)
        self.store.save_run(run)

    def cancelled(self, run: Run) -> None:
        now = _now()
        step = end_tool_step(run, "cancelled", now)
        if step is not None:
            self.store.save("step", step)
        run.data.update(status="cancelled", cancelled_at=now)
        self.store.save_run(run)


def _function_tools(run: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in run["tools"] if t.get("type") == "function"]


class ScriptedExecutor:
    """Today's runs: moved along by reads, replying ``REPLY_TEXT`` (see the module's docstring)."""

    def __init__(self, store: Store) -> None:
        self.writer = RunWriter(store)

    def refuse(self, tools: list[dict[str, Any]]) -> str | None:
        return None  # a scripted run calls a function tool and runs no other

    def started(self, run: Run, assistant: dict[str, Any]) -> None:
        pass  # lazy: reads move the run (and its dict is made only when something reads it)

    def observe(self, run: Run) -> None:
        """One step along queued -> in_progress -> completed / requires_action; cancelling -> cancelled."""
        writer = self.writer
        data = run.data
        status = data["status"]
        if status == "queued":
            writer.begin(run)
        elif status == "in_progress":
            tools = _function_tools(data)
            if tools and run.tool_step is None:
                writer.require_tool_calls(run, _calls(tools))
            else:
                message, step = writer.start_message(run)
                writer.finish_message(message, step, REPLY_TEXT)
                writer.complete(run, USAGE)
        elif status == "cancelling":
            writer.cancelled(run)

    def submit_tool_outputs(self, run: Run, outputs: list[dict[str, Any]]) -> str | None:
        return self.writer.take_tool_outputs(run, outputs)

    def cancel(self, run: Run) -> str | None:
        return self.writer.cancelling(run)

    def thread_deleted(self, thread_id: str) -> None:
        pass  # nothing works on a scripted run between reads

    def stream(self, run: Run, *, created: bool) -> Iterator[Event]:
        """The events of a streamed run, from creation (``created``) or from tool outputs just
        taken; the stored run moves along as they are made, to ``completed`` or ``requires_action``."""
        writer = self.writer
        data = run.data
        if created:
            yield "thread.run.created", dict(data)
            yield "thread.run.queued", dict(data)
            writer.begin(run)
            yield "thread.run.in_progress", dict(data)
        else:
            assert run.tool_step is not None
            yield "thread.run.step.completed", run.tool_step
            data["status"] = "queued"
            yield "thread.run.queued", dict(data)
            writer.begin(run)
            yield "thread.run.in_progress", dict(data)
        tools = _function_tools(data)
        if created and tools:
            step = writer.require_tool_calls(run, _calls(tools))
            yield "thread.run.step.created", dict(step)
            yield "thread.run.step.in_progress", dict(step)
            yield "thread.run.requires_action", dict(data)
            yield "done", "[DONE]"
            return
        message, step = writer.start_message(run)
        yield "thread.run.step.created", dict(step)
        yield "thread.run.step.in_progress", dict(step)
        yield "thread.message.created", dict(message)
        yield "thread.message.in_progress", dict(message)
        for index, word in enumerate(REPLY_TEXT.split(" ")):
            piece = word if index == 0 else f" {word}"
            delta = {
                "id": message["id"],
                "object": "thread.message.delta",
                "delta": {
                    "content": [{"index": 0, "type": "text", "text": {"value": piece, "annotations": []}}]
                },
            }
            yield "thread.message.delta", delta
        writer.finish_message(message, step, REPLY_TEXT)
        yield "thread.message.completed", dict(message)
        yield "thread.run.step.completed", dict(step)
        writer.complete(run, USAGE)
        yield "thread.run.completed", dict(data)
        yield "done", "[DONE]"


def _calls(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"call_{_random.getrandbits(64):016x}",
            "type": "function",
            "function": {"name": tool["function"]["name"], "arguments": "{}"},
        }
        for tool in tools[:1]
    ]
