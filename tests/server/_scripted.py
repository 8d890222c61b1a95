"""The scripted executor's moves as functions of a run, over a bare run table, for the tests
that pin the run table's eviction and the scripted lifecycle directly (no HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from oaii.server._executor import Event, ScriptedExecutor
from oaii.server._runs import Run, RunTable
from oaii.server._store import MemoryStore


class Store(RunTable):
    """A ``RunTable`` that also keeps what the executor writes besides runs (the memory store's
    way: steps on their run, messages in a ``MemoryStore``)."""

    def __init__(self, max_runs: int = 10_000, expiry: float = 600.0, max_bytes: int = 16 * 2**20) -> None:
        super().__init__(max_runs=max_runs, expiry=expiry, max_bytes=max_bytes)
        self.memory = MemoryStore()

    def add(self, kind: str, obj: dict[str, Any], size: int = 0) -> None:
        if kind == "step":
            run = self.runs.get(obj["run_id"])
            if run is not None:
                run.steps = {**(run.steps or {}), obj["id"]: json.dumps(obj)}
        else:
            self.memory.add(kind, obj, size)  # type: ignore[arg-type]

    def save(self, kind: str, obj: dict[str, Any]) -> None:
        pass

    def save_run(self, run: Run) -> None:
        pass


def _executor(store: Any) -> ScriptedExecutor:
    return ScriptedExecutor(store if store is not None else Store())


def advance(run: Run, store: Any) -> None:
    _executor(store).observe(run)


def cancel(run: Run) -> str | None:
    return _executor(None).cancel(run)


def submit_tool_outputs(run: Run, outputs: list[dict[str, Any]]) -> str | None:
    return _executor(None).submit_tool_outputs(run, outputs)


def stream_events(run: Run, store: Any, *, created: bool) -> Iterator[Event]:
    return _executor(store).stream(run, created=created)
