"""Where the server keeps what it serves: the ``Store`` interface, and its in-memory backend.

The contract (every backend: memory here, SQLite beside it, PostgreSQL some day)
--------------------------------------------------------------------------------
Objects are the API's own JSON objects, as plain dicts in the spec's shape
(``AssistantObject``, ``ThreadObject``, ``MessageObject``, ``RunStepObject``), and
runs as ``_runs.Run`` (its ``data`` is the ``RunObject``).  A store never decides
anything of the API (that is ``_api`` and the executor's); it keeps, finds, lists,
replaces and deletes.

- **Kinds and parents.**  ``assistant`` and ``thread`` have no parent; a ``message``'s
  parent is its ``thread_id``, a ``step``'s its ``run_id``, a run's its ``thread_id``.
  ``get``/``delete`` with a parent find the object only under that parent (a message of
  another thread is not found: the API's 404).
- **Order.**  Lists are in the order objects were made (not ``created_at``, which has
  whole seconds only); ``after``/``before`` are places in that order, as the API pages
  (see ``_paging``): an id of this store's making names its place even once its object
  is deleted or evicted, so a client deleting what it pages through misses nothing.  An
  id this store could not have made for that list (another prefix, another store's
  letters, or an object given its id by a client, once deleted) names no place:
  ``after`` it gives an empty page, ``before`` it is ignored.
- **Ownership.**  ``get``/``run`` return an object the caller may change; a change is
  kept only once ``save``/``save_run`` is called with it (``save`` replaces the stored
  object of that id by the one given).  The memory store hands out its own assistants
  and threads, and copies of messages and steps (kept as JSON text); a durable store
  copies both ways.  Callers never rely on either.  An assistant is never changed in place: runs made
  from it hold it (see ``_runs.Run``), so modifyAssistant saves a new dict.
- **Durability.**  Every write is visible to the next read at once.  It is durable
  (survives ``kill -9``) once ``commit()`` returns: the HTTP layer calls ``commit()``
  before any answer leaves (``Connection.flush``), so a backend may group the writes of
  one event-loop turn into one transaction.  ``commit()`` with nothing written is cheap.
- **Threads.**  All calls come from the server's event-loop thread (one writer), except
  reads by tests from their own thread.  A backend shared by several processes
  (PostgreSQL) takes its own locks; see docs/server-api.md.
- **Bounds.**  A store may evict: the memory store keeps at most ``max_objects`` of each
  kind (oldest first) and its runs as ``_runs.RunTable`` always did; a durable store
  keeps everything.  An evicted object is simply not found.
- **Deletes cascade**: a thread takes its messages, runs and steps with it.
- **Idempotency keys** are ``store.keys`` (``lookup``/``remember`` as in
  ``_idempotency.IdempotencyKeys``); keys arrive already scoped by the bearer key.

Runs have calls of their own: creating one is the server's hottest path
(``create_run`` returns its JSON text when a template makes it, see ``_runs.run_json``).
"""

from __future__ import annotations

import collections
from typing import Any, Literal, Protocol

from ._idempotency import IdempotencyKeys, Seen
from ._json import dumps_text, loads
from ._paging import Position, count_of, page_of
from ._runs import Run, RunTable

Kind = Literal["assistant", "thread", "message", "step"]
#: The prefix of each kind's ids (``new_id``'s).
_PREFIXES = {"assistant": "asst", "thread": "thread", "message": "msg", "step": "step"}


class StoreError(Exception):
    """A store cannot be used (its file cannot be opened, another server holds it, it is not
    an oaii store of this version): raised when the server starts, never later as a 500."""


Page = tuple[list[dict[str, Any]], bool]  # (objects, has_more)


class Keys(Protocol):
    """Idempotency keys (``_idempotency.IdempotencyKeys`` is the memory one)."""

    def lookup(self, key: bytes, request: Seen) -> tuple[bool, str | None]: ...

    def remember(self, key: bytes, request: Seen, run_id: str, answer: str | None = None) -> None: ...

    def answer(self, key: bytes) -> str | None:
        """The JSON text first answered for ``key`` (its run as created), or None."""
        ...


class Store(Protocol):
    keys: Keys

    def new_id(self, prefix: str) -> str:
        """A fresh id, ``prefix_`` then letters and digits, never given before by this store
        (a durable store: not even before a restart)."""
        ...

    def commit(self) -> None:
        """Make every write so far durable (see the module's docstring)."""
        ...

    def close(self) -> None: ...

    # ------------------------------------------------- assistants, threads, messages, steps

    def add(self, kind: Kind, obj: dict[str, Any], size: int = 0) -> None:
        """Keep a new object (its ``id`` fresh from ``new_id``); ``size``: the bytes it came
        from, for a bounded store's accounting."""
        ...

    def get(self, kind: Kind, obj_id: str, parent: str | None = None) -> dict[str, Any] | None: ...

    def save(self, kind: Kind, obj: dict[str, Any]) -> None:
        """Keep the changes to an object ``get`` returned: the stored object of that id becomes
        ``obj`` (a no-op if it is gone)."""
        ...

    def delete(self, kind: Kind, obj_id: str, parent: str | None = None) -> bool:
        """Delete it (and, for a thread, its messages, runs and steps, even when the thread
        itself is not stored: ``create_missing``'s); False if it was not found."""
        ...

    def page(
        self,
        kind: Kind,
        parent: str | None,
        limit: int,
        order: str,
        after: str | None = None,
        before: str | None = None,
        run_id: str | None = None,
    ) -> Page:
        """Up to ``limit`` objects under ``parent`` in ``order`` ("asc": oldest first),
        strictly after ``after`` / before ``before``; messages filtered by ``run_id``."""
        ...

    # ------------------------------------------------------------------------ runs

    def create_run(
        self, thread_id: str, body: dict[str, Any], body_size: int, assistant: dict[str, Any]
    ) -> tuple[Run, str | None]:
        """A new ``queued`` run from a createRun body (``_runs.queued_run``), its settings
        not in ``body`` taken from ``assistant``; and its JSON text when made from the template."""
        ...

    def run(self, thread_id: str, run_id: str) -> Run | None: ...

    def save_run(self, run: Run) -> None:
        """Keep the changes to ``run.data`` and ``run.tool_step``."""
        ...

    def active_run(self, thread_id: str) -> str | None:
        """The id of the thread's run that is queued, in progress, requires action or is
        cancelling (at most one), else None."""
        ...

    def list_runs(
        self, thread_id: str, limit: int, order: str, after: str | None, before: str | None
    ) -> Page: ...


class _Bucket:
    """One kind's objects by id, oldest first, with each parent's ids in order; bounded by
    count and bytes (the oldest go first).  ``packed``: kept as JSON text, not dicts (see
    ``MemoryStore``)."""

    def __init__(
        self, parent_field: str | None, max_count: int, max_bytes: int, *, packed: bool = False
    ) -> None:
        self.parent_field = parent_field
        self.max_count = max_count
        self.max_bytes = max_bytes
        self.packed = packed
        # id -> (the object or its JSON text, its size, its parent id), in the order added
        self.objects: dict[str, tuple[Any, int, str | None]] = {}
        # parent id -> ids, oldest first (kinds with a parent only: a list of every assistant
        # would be a memmove of all of them for each one evicted from its front)
        self.children: dict[str, list[str]] = {}
        # Ids, oldest first, for eviction: a deque pops its oldest in O(1), where the dict would
        # scan past the holes its deletions leave at the front.  Removed ids stay until they
        # reach the front (skipped there) or outnumber the objects kept (then it is made anew).
        self.order: collections.deque[str] = collections.deque()
        self.bytes = 0
        # The places of objects whose ids a client chose (``create_missing``'s assistants),
        # drawn from the store's count when they were added; every other id holds its own.
        self.chosen: dict[str, int] = {}
        self.last = 0  # the latest place added (a kind without parents: ``objects`` in order)

    def ids(self, parent: str | None) -> list[str]:
        """The ids under ``parent`` (every id, for a kind without parents), oldest first."""
        if self.parent_field is None:
            return list(self.objects)
        return self.children.get(parent or "", [])

    def value(self, obj_id: str) -> dict[str, Any]:
        kept = self.objects[obj_id][0]
        return loads(kept.encode()) if self.packed else kept  # type: ignore[no-any-return]

    def add(self, obj: dict[str, Any], size: int) -> list[str]:
        """Keep ``obj``; the ids evicted to make room (oldest first)."""
        obj_id = obj["id"]
        objects = self.objects
        parent = obj[self.parent_field] if self.parent_field is not None else None
        objects[obj_id] = (dumps_text(obj) if self.packed else obj, size, parent)
        if parent is not None:
            children = self.children.get(parent)
            if children is None:
                self.children[parent] = [obj_id]
            else:
                children.append(obj_id)
        self.order.append(obj_id)
        self.bytes += size
        if len(objects) <= self.max_count and self.bytes <= self.max_bytes:
            return []
        dropped = []
        while self.order and (len(objects) > self.max_count or self.bytes > self.max_bytes):
            oldest = self.order.popleft()  # (remove() may make the line anew: no local name for it)
            if oldest in objects:
                dropped.append(oldest)
                self.remove(oldest)
        return dropped

    def replace(self, obj: dict[str, Any]) -> None:
        found = self.objects.get(obj["id"])
        if found is not None:  # the same dict, or a new one for the same id (modify)
            self.objects[obj["id"]] = (dumps_text(obj) if self.packed else obj, found[1], found[2])

    def get(self, obj_id: str, parent: str | None) -> dict[str, Any] | None:
        found = self.objects.get(obj_id)
        if found is None or (parent is not None and self.parent_field is not None and found[2] != parent):
            return None
        return self.value(obj_id)

    def remove(self, obj_id: str) -> bool:
        found = self.objects.pop(obj_id, None)
        if found is None:
            return False
        if self.chosen:
            self.chosen.pop(obj_id, None)
        _, size, parent = found
        self.bytes -= size
        ids = self.children.get(parent) if parent is not None else None
        if ids is not None and parent is not None:
            if ids[0] == obj_id:
                del ids[0]
            else:
                ids.remove(obj_id)
            if not ids:
                del self.children[parent]
        if len(self.order) > 2 * len(self.objects) + 64:
            self.order = collections.deque(i for i in self.order if i in self.objects)
        return True

    def remove_children(self, parent: str) -> list[str]:
        ids = list(self.children.get(parent, ()))
        for obj_id in ids:
            self.remove(obj_id)
        return ids


#: What an object costs the memory store beyond the bytes it came from.
OBJECT_OVERHEAD = 512


class MemoryStore:
    """The default store: everything in this process's memory, bounded (see ``Store``).

    Runs live in a ``RunTable`` (bounded by ``max_runs`` and ``max_run_bytes``, the
    eviction it always had); a run's steps live on it and go with it.  Messages and steps,
    one or two for every run that finishes, are kept as their JSON text (a finished run's
    message and step as dicts cost ~3 KB more than as text; ``get`` then hands out a copy).  Assistants,
    threads and messages: at most ``max_objects`` of each kind and ``max_object_bytes``
    of each kind's bodies, oldest evicted first (a thread's messages go with it).
    """

    def __init__(
        self,
        *,
        max_runs: int = 10_000,
        run_expiry: float = 600.0,
        max_run_bytes: int = 16 * 2**20,
        max_objects: int = 10_000,
        max_object_bytes: int = 16 * 2**20,
        max_idempotency_keys: int = 10_000,
        idempotency_ttl: float = 24 * 3600.0,
    ) -> None:
        table = self.table = RunTable(max_runs=max_runs, expiry=run_expiry, max_bytes=max_run_bytes)
        # One id space: the table's letters and count (runs' ids made there, the rest here).
        self._letters = table.letters
        self._counter = table.counter
        # The run calls are the table's own (createRun's path: one call less each).
        self.create_run = table.create_json
        self.run = table.get
        self.active_run = table.active_run
        self.list_runs = table.list
        self.keys: Keys = IdempotencyKeys(max_idempotency_keys, idempotency_ttl)
        self.buckets: dict[str, _Bucket] = {
            "assistant": _Bucket(None, max_objects, max_object_bytes),
            "thread": _Bucket(None, max_objects, max_object_bytes),
            "message": _Bucket("thread_id", max_objects, max_object_bytes, packed=True),
        }
        self._objects = {kind: self.buckets[kind].objects for kind in ("assistant", "thread")}

    # The run table's state, for tests and benchmarks that look inside.
    @property
    def runs(self) -> dict[str, Run]:
        return self.table.runs

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{self._letters}{next(self._counter)}"

    def commit(self) -> None:
        pass

    def close(self) -> None:
        pass

    # ------------------------------------------------------------------ objects

    def add(self, kind: Kind, obj: dict[str, Any], size: int = 0) -> None:
        if kind == "step":
            run = self.table.runs.get(obj["run_id"])
            if run is not None:
                if run.steps is None:
                    run.steps = {}
                run.steps[obj["id"]] = dumps_text(obj)
            return
        bucket = self.buckets[kind]
        if kind == "assistant":
            place = count_of(obj["id"], self._head("asst"))
            if place is None:  # (create_missing's: a client's id)
                place = bucket.chosen[obj["id"]] = next(self._counter)
            bucket.add(obj, size + OBJECT_OVERHEAD)
            if place < bucket.last:
                # One of ours made earlier, deleted, then named again (create_missing's): it
                # goes back to the place its id names, so that paging, which finds places by
                # bisection, meets every assistant once (a rare sort, of a list in order but one).
                self._sort(bucket)
            bucket.last = max(bucket.last, place)
            return
        dropped = bucket.add(obj, size + OBJECT_OVERHEAD)
        if kind == "thread":
            for thread_id in dropped:
                # Its messages go with it; its runs age out of the run table on their own.
                self.buckets["message"].remove_children(thread_id)

    def get(self, kind: Kind, obj_id: str, parent: str | None = None) -> dict[str, Any] | None:
        if parent is None and kind in self._objects:  # createRun's look-ups of its thread and assistant
            found = self._objects[kind].get(obj_id)
            return found[0] if found is not None else None
        if kind == "step":
            run = self.table.runs.get(parent) if parent is not None else None
            text = run.steps.get(obj_id) if run is not None and run.steps is not None else None
            return loads(text.encode()) if text is not None else None
        return self.buckets[kind].get(obj_id, parent)

    def save(self, kind: Kind, obj: dict[str, Any]) -> None:
        if kind == "step":
            run = self.table.runs.get(obj["run_id"])
            if run is not None and run.steps is not None and obj["id"] in run.steps:
                run.steps[obj["id"]] = dumps_text(obj)
            return
        self.buckets[kind].replace(obj)

    def delete(self, kind: Kind, obj_id: str, parent: str | None = None) -> bool:
        if kind == "step":
            run = self.table.runs.get(parent) if parent is not None else None
            return run is not None and run.steps is not None and run.steps.pop(obj_id, None) is not None
        bucket = self.buckets[kind]
        if kind == "thread":  # its contents go even when it is not stored (create_missing's)
            self._drop_thread_contents(obj_id)
        if bucket.get(obj_id, parent) is None:
            return False
        bucket.remove(obj_id)
        return True

    def _drop_thread_contents(self, thread_id: str) -> None:
        self.buckets["message"].remove_children(thread_id)
        self.table.drop_thread(thread_id)

    def page(
        self,
        kind: Kind,
        parent: str | None,
        limit: int,
        order: str,
        after: str | None = None,
        before: str | None = None,
        run_id: str | None = None,
    ) -> Page:
        if kind == "step":
            run = self.table.runs.get(parent) if parent is not None else None
            steps = run.steps if run is not None and run.steps is not None else {}
            ids, more = page_of(list(steps), limit, order, after, before, self._position("step"))
            return [loads(steps[i].encode()) for i in ids], more
        bucket = self.buckets[kind]
        ids = bucket.ids(parent)
        if run_id is not None:
            ids = [i for i in ids if bucket.value(i).get("run_id") == run_id]
        listed, more = page_of(ids, limit, order, after, before, self._places(bucket, _PREFIXES[kind]))
        return [bucket.value(i) for i in listed], more

    def _sort(self, bucket: _Bucket) -> None:
        """A bucket of a kind without parents (assistants) in the order of its places again."""
        place = self._places(bucket, "asst")
        objects = bucket.objects
        ordered = sorted(objects.items(), key=lambda item: place(item[0]) or 0)
        objects.clear()  # in place: ``_objects`` holds this dict
        objects.update(ordered)

    def _places(self, bucket: _Bucket, prefix: str) -> Position:
        """The place of an id in ``bucket``: the one its id names, or the one drawn for it when
        it was added (an id a client chose)."""
        position = self._position(prefix)
        if not bucket.chosen:
            return position
        chosen = bucket.chosen.get

        def place(obj_id: str) -> int | None:
            named = position(obj_id)
            return named if named is not None else chosen(obj_id)

        return place

    def _head(self, prefix: str) -> str:
        return f"{prefix}_{self._letters}"

    def _position(self, prefix: str) -> Position:
        """The place of an id in the order this store made them (see ``_paging``)."""
        head = self._head(prefix)
        return lambda obj_id: count_of(obj_id, head)

    # ------------------------------------------------------------------ runs
    # create_run, run, active_run, list_runs: the table's methods (see __init__).

    def save_run(self, run: Run) -> None:
        pass  # the run given out is the one kept
