"""The model-backed executor: each run carried out by a Chat Completions backend (``_model``).

A run's life, in one asyncio task on the server's loop (``started`` makes it; it never
blocks a request)::

    queued -> in_progress -> call the model with the thread's messages
      text answer   -> an assistant message (its pieces streamed live) and its
                       message_creation step -> completed, usage summed over the calls
      tool calls    -> a tool_calls step -> requires_action; submit_tool_outputs wakes the
                       task, the outputs go back as ``tool`` messages -> call again
      ModelError    -> failed, last_error {server_error | rate_limit_exceeded, message}
      finish_reason "length" -> incomplete (max_completion_tokens)
    cancel: the task is cancelled (its backend connection closed) -> cancelled
    its thread deleted: the task is cancelled (its backend connection closed); nothing
                        more is written (the run went with its thread)
    past the run's deadline (``run_expiry``): the task stops -> expired

Every change goes through the ``RunWriter`` (kept in the store, committed by the task
itself, since no request is being answered), and every event to the run's live streams
(``_live.Streams``).  The run's tools may hold only function tools: the backend runs no
code_interpreter or file_search, so ``refuse`` turns such a run down at creation (a 400
naming the tool), rather than let it answer as if the tool had run.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from collections.abc import Iterator
from typing import Any

from ._executor import RunWriter
from ._live import LiveStream, Streams, event_bytes, events_bytes
from ._model import (
    Completion,
    ModelBackend,
    ModelConfig,
    ModelError,
    ToolCall,
    Usage,
    chat_messages,
    chat_request,
    tool_turn,
)
from ._runs import ACTIVE_STATUSES, Run
from ._store import Store

UNRUNNABLE = ("code_interpreter", "file_search")
#: Messages of a thread sent to the model, at most (the newest; a run's truncation_strategy may cut more).
MAX_HISTORY = 1000


def _now() -> int:
    return int(time.time())


class _RunGone(Exception):
    """The run's thread was deleted while the run went on: nothing more is written."""


class ModelExecutor:
    """Runs carried out by the model at ``config.base_url`` (see the module's docstring)."""

    def __init__(
        self, store: Store, config: ModelConfig, tasks: set[asyncio.Task[None]] | None = None
    ) -> None:
        self.store = store
        self.config = config
        self.writer = RunWriter(store)
        self.backend = ModelBackend(config)
        self.streams = Streams()
        # Every task of this executor, also in the server's own set (stop() cancels them).
        self.server_tasks = tasks if tasks is not None else set()
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.thread_ids: dict[str, str] = {}  # run id -> its thread's, while its task runs
        self.gone: set[str] = set()  # runs whose thread was deleted while their task ran
        self.waiting: dict[str, asyncio.Future[dict[str, str]]] = {}  # run id -> its tool outputs
        self.cancelling: set[str] = set()
        # Runs' starts, one a loop turn (see _start_turn); None: no start this turn.
        self.starts: collections.deque[asyncio.Future[None]] | None = None

    # ------------------------------------------------------------ the seam

    def refuse(self, tools: list[dict[str, Any]]) -> str | None:
        """Why a run with these tools cannot be carried out here, or None."""
        for tool in tools:
            kind = tool.get("type") if isinstance(tool, dict) else None
            if kind in UNRUNNABLE:
                return (
                    f"This server runs each run on a Chat Completions model, which cannot run "
                    f"'{kind}' tools; only function tools are supported. Pass the run's own 'tools' "
                    "without it (or remove it from the assistant)."
                )
        return None

    def started(self, run: Run, assistant: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self._carry(run), name=f"oaii-run-{run.id}")
        self.tasks[run.id] = task
        self.thread_ids[run.id] = run.thread_id
        self.server_tasks.add(task)
        task.add_done_callback(self._forget(run.id))

    def _forget(self, run_id: str) -> Any:
        def done(task: asyncio.Task[None]) -> None:
            self.server_tasks.discard(task)
            if self.tasks.get(run_id) is task:
                del self.tasks[run_id]
                self.thread_ids.pop(run_id, None)
            self.cancelling.discard(run_id)
            self.gone.discard(run_id)
            if not task.cancelled() and task.exception() is not None:
                task.get_loop().call_exception_handler(
                    {"message": "oaii local server: a run's task failed", "exception": task.exception()}
                )

        return done

    def observe(self, run: Run) -> None:
        pass  # the task moves the run; a read only looks

    def stream(self, run: Run, *, created: bool) -> Iterator[tuple[str, Any]] | LiveStream:
        data = run.data
        if created:
            first = events_bytes(("thread.run.created", "thread.run.queued"), data)
        else:
            assert run.tool_step is not None
            first = [
                event_bytes("thread.run.step.completed", run.tool_step),
                event_bytes("thread.run.queued", {**data, "status": "queued"}),
            ]
        stream = self.streams.open(run.id, first)
        if data["status"] not in ACTIVE_STATUSES:  # ended already (no task will end it)
            self.streams.emit(run.id, f"thread.run.{data['status']}", data)
            self.streams.end(run.id)
        return stream

    def submit_tool_outputs(self, run: Run, outputs: list[dict[str, Any]]) -> str | None:
        refused = self.writer.take_tool_outputs(run, outputs)
        if refused is not None:
            return refused
        future = self.waiting.pop(run.id, None)
        by_id = {o["tool_call_id"]: str(o.get("output") or "") for o in outputs}
        if future is not None and not future.done():
            future.set_result(by_id)
        return None

    def cancel(self, run: Run) -> str | None:
        refused = self.writer.cancelling(run)
        if refused is not None:
            return refused
        task = self.tasks.get(run.id)
        if task is None:
            self.writer.cancelled(run)
        else:
            self.cancelling.add(run.id)
            task.cancel()
        return None

    def thread_deleted(self, thread_id: str) -> None:
        for run_id, owner in list(self.thread_ids.items()):
            if owner == thread_id:
                self.gone.add(run_id)
                self.tasks[run_id].cancel()

    async def aclose(self) -> None:
        await self.backend.aclose()

    # ------------------------------------------------------------ the run

    def _check_kept(self, run: Run) -> None:
        """Raise _RunGone if the store no longer has the run (its thread was deleted)."""
        if self.store.run(run.thread_id, run.id) is None:
            raise _RunGone

    def _emit(self, run: Run, name: str, data: Any) -> None:
        self.streams.emit(run.id, name, data)

    def _commit(self) -> None:
        self.store.commit()

    def _history(self, run: Run) -> list[dict[str, Any]]:
        """The thread's messages, oldest first, but those this run wrote (its tool turns carry them)."""
        thread_id = run.thread_id
        found: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            page, more = self.store.page("message", thread_id, 100, "asc", after)
            found.extend(m for m in page if m.get("run_id") != run.id)
            if not more or not page:
                break
            after = page[-1]["id"]
        return chat_messages(found[-MAX_HISTORY:])

    async def _carry(self, run: Run) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, run.deadline - time.monotonic())
        turn = _Turn(self, run)
        try:
            async with asyncio.timeout_at(deadline):
                await self._start_turn()
                await self._turns(run, turn)
        except _RunGone:
            self.streams.end(run.id)
        except TimeoutError:
            turn.end_message("incomplete", {"reason": "run_expired"})
            turn.end_step("expired", None)
            self._expire(run)
        except ModelError as error:
            turn.end_message("incomplete", {"reason": "run_failed"})
            turn.end_step("failed", {"code": error.code, "message": error.message})
            self.writer.fail(run, error.code, error.message)
            self._emit(run, "thread.run.failed", run.data)
            self.streams.end(run.id)
            self._commit()
        except Exception:
            # A fault of this server's, not the model's: the run fails (its streams end), and
            # the error goes on to the loop's exception handler (see _forget).
            turn.end_message("incomplete", {"reason": "run_failed"})
            self.writer.fail(run, "server_error", "The server had an error while processing your request.")
            self._emit(run, "thread.run.failed", run.data)
            self.streams.end(run.id)
            self._commit()
            raise
        except asyncio.CancelledError:
            if run.id in self.gone:  # its thread was deleted: nothing to write, nowhere
                self.streams.end(run.id)
                return
            if run.id not in self.cancelling:  # the server is stopping: the run stays as it is
                raise
            turn.end_message("incomplete", {"reason": "run_cancelled"})
            turn.end_step("cancelled", None)
            self.writer.cancelled(run)
            self._emit(run, "thread.run.cancelled", run.data)
            self.streams.end(run.id)
            self._commit()

    async def _start_turn(self) -> None:
        """Wait until no other run has started in this loop turn.

        Runs created together (a burst of requests read in one turn) would otherwise all build
        and send their backend requests in the next turn, in one batch, while the deltas of
        runs already streaming wait in their sockets; one start a turn lets the loop read
        those between two starts.  Alone, a run starts at once.
        """
        if self.starts is None:
            self.starts = collections.deque()
            asyncio.get_running_loop().call_soon(self._next_start)
            return
        ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.starts.append(ready)
        await ready

    def _next_start(self) -> None:
        starts = self.starts
        while starts:
            ready = starts.popleft()
            if not ready.done():  # not cancelled while it waited
                ready.set_result(None)
                asyncio.get_running_loop().call_soon(self._next_start)
                return
        self.starts = None

    def _expire(self, run: Run) -> None:
        data = run.data
        if data["status"] in ACTIVE_STATUSES:  # a read may have found it expired already
            self.writer.expired(run)
        self._emit(run, f"thread.run.{data['status']}", data)
        self.streams.end(run.id)
        self._commit()

    async def _turns(self, run: Run, turn: _Turn) -> None:
        writer = self.writer
        writer.begin(run)
        self._emit(run, "thread.run.in_progress", run.data)
        self._commit()
        usage = Usage()
        exchanges: list[dict[str, Any]] = []
        while True:
            body = chat_request(self.config, run.data, self._history(run), exchanges)
            completion = await self.backend.complete(body, turn.piece, turn.flush, turn.tool)
            self._check_kept(run)
            call_usage = completion.usage or Usage()
            usage = usage + call_usage
            if completion.tool_calls:
                turn.finish(completion, call_usage)
                step, turn.tool_step = turn.tool_step, None
                outputs = await self._require_action(run, completion.tool_calls, call_usage, step)
                self._check_kept(run)
                exchanges.extend(tool_turn(completion.tool_calls, outputs, completion.text))
                writer.begin(run)
                self._emit(run, "thread.run.in_progress", run.data)
                self._commit()
                continue
            if not turn.message:
                turn.start()
            turn.finish(completion, call_usage)
            if completion.finish_reason == "length":
                run.data.update(
                    status="incomplete",
                    incomplete_details={"reason": "max_completion_tokens"},
                    usage=usage.as_dict(),
                )
                self.store.save_run(run)
            else:
                writer.complete(run, usage.as_dict())
            self._emit(run, f"thread.run.{run.data['status']}", run.data)
            self.streams.end(run.id)
            self._commit()
            return

    async def _require_action(
        self, run: Run, calls: tuple[ToolCall, ...], call_usage: Usage, streamed: dict[str, Any] | None
    ) -> dict[str, str]:
        """``streamed``: the step the calls were streamed into, if they were (see ``_Turn.tool``)."""
        listed = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in calls
        ]
        future: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()
        self.waiting[run.id] = future
        step = self.writer.require_tool_calls(run, listed, streamed)
        if streamed is None:
            self.streams.emit_all(run.id, ("thread.run.step.created", "thread.run.step.in_progress"), step)
        self._emit(run, "thread.run.requires_action", run.data)
        self.streams.end(run.id)
        self._commit()
        try:
            outputs = await future
        finally:
            self.waiting.pop(run.id, None)
        # take_tool_outputs finished the step; its usage is its call's.
        step["usage"] = call_usage.as_dict()
        self.store.save("step", step)
        return outputs


class _Turn:
    """The assistant message a call is writing (made at its first piece of text) and its step;
    one per run, ready for the next call's once ``finish``ed."""

    def __init__(self, executor: ModelExecutor, run: Run) -> None:
        self.executor = executor
        self.run = run
        self.message: dict[str, Any] | None = None
        self.step: dict[str, Any] | None = None
        self.pieces: list[str] = []
        # The tool_calls step a call's tool calls are streamed into (made at the first).
        self.tool_step: dict[str, Any] | None = None
        # A message finished when tool calls began, whose step takes its call's usage at the end.
        self.finished_step: dict[str, Any] | None = None

    def start(self) -> None:
        executor, run = self.executor, self.run
        executor._check_kept(run)
        message, step = executor.writer.start_message(run)
        self.message, self.step = message, step
        # Held: they leave with the piece that made the message (see _live), or with the
        # events of its end.
        emit_all = executor.streams.emit_all
        emit_all(run.id, ("thread.run.step.created", "thread.run.step.in_progress"), step, held=True)
        emit_all(run.id, ("thread.message.created", "thread.message.in_progress"), message, held=True)

    def piece(self, text: str) -> None:
        """A piece of the answer's text, handed on to the run's streams as it arrives."""
        if self.message is None:
            self.start()
            assert self.message is not None
        self.pieces.append(text)
        self.executor.streams.emit_delta(self.run.id, self.message["id"], text)

    def tool(self, item: dict[str, Any]) -> None:
        """A tool call, or a piece of its arguments, as it arrives: a ``thread.run.step.delta`` of
        the call's ``tool_calls`` step (made, with its events, at the first; a message the call
        was writing is finished first, as the calls come after its text)."""
        executor, run = self.executor, self.run
        step = self.tool_step
        if step is None:
            executor._check_kept(run)
            if self.message is not None and self.step is not None:
                self.finished_step = self.step
                self._finish_message("completed", None)
            step = self.tool_step = executor.writer.start_tool_step(run)
            executor.streams.emit_all(
                run.id, ("thread.run.step.created", "thread.run.step.in_progress"), step, held=True
            )
        delta = {"step_details": {"type": "tool_calls", "tool_calls": [item]}}
        executor.streams.emit(
            run.id,
            "thread.run.step.delta",
            {"id": step["id"], "object": "thread.run.step.delta", "delta": delta},
            held=True,  # (flushed after the read, as the text's deltas)
        )

    def flush(self) -> None:
        """A read from the model has been handled: its events leave now, not at the end of
        the loop's turn (where they would wait for every other run's work in it)."""
        self.executor.streams.flush(self.run.id)

    def finish(self, completion: Completion, usage: Usage) -> None:
        finished, self.finished_step = self.finished_step, None
        if finished is not None:  # (its message ended when the call's tool calls began)
            finished["usage"] = usage.as_dict()
            self.executor.store.save("step", finished)
        if self.message is None or self.step is None:
            return
        incomplete = completion.finish_reason == "length" and not completion.tool_calls
        self._finish_message("incomplete" if incomplete else "completed", usage)

    def _finish_message(self, status: str, usage: Usage | None) -> None:
        message, step = self.message, self.step
        assert message is not None and step is not None
        executor = self.executor
        incomplete = status == "incomplete"
        message.update(
            status=status,
            completed_at=None if incomplete else _now(),
            incomplete_at=_now() if incomplete else None,
            incomplete_details={"reason": "max_tokens"} if incomplete else None,
            content=[{"type": "text", "text": {"value": "".join(self.pieces), "annotations": []}}],
        )
        executor.store.save("message", message)
        executor.writer.finish_step(step, usage.as_dict() if usage is not None else None)
        executor.streams.emit(self.run.id, f"thread.message.{message['status']}", message)
        executor.streams.emit(self.run.id, "thread.run.step.completed", step)
        self.message = self.step = None
        self.pieces = []

    def end_message(self, status: str, details: dict[str, Any]) -> None:
        """A message the run was writing when it stopped: incomplete, with what it had."""
        message = self.message
        if message is None:
            return
        executor = self.executor
        message.update(
            status=status,
            incomplete_at=_now(),
            incomplete_details=details,
            content=[{"type": "text", "text": {"value": "".join(self.pieces), "annotations": []}}],
        )
        with contextlib.suppress(Exception):
            executor.store.save("message", message)
        executor.streams.emit(self.run.id, "thread.message.incomplete", message)

    def end_step(self, status: str, error: dict[str, Any] | None) -> None:
        """The steps the run was writing when it stopped (its message's, its streamed tool
        calls') end with it."""
        stamp = {"failed": "failed_at", "cancelled": "cancelled_at", "expired": "expired_at"}[status]
        for step in (self.step, self.tool_step):
            if step is None:
                continue
            step.update({"status": status, stamp: _now(), "last_error": error})
            self.executor.store.save("step", step)
            self.executor.streams.emit(self.run.id, f"thread.run.step.{status}", step)
        self.message = self.step = self.tool_step = None
