"""The runs the server keeps: their shape, and how long the memory store keeps them.

A run is a plain dict holding exactly the spec's RunObject fields (what is sent);
what the server needs besides (its deadline, its tool-call step, its steps) lives
beside it in ``Run``.  How a run moves is the executor's (``_executor``); where runs
are kept, the store's (``_store``: ``RunTable`` is the memory store's table of runs).
Only the event loop's thread touches a ``RunTable``.
"""

from __future__ import annotations

import collections
import itertools
import os
import random
import threading
import time
from json.encoder import encode_basestring_ascii
from typing import Any

from ._json import dumps_text
from ._paging import count_of, page_of
from ._schema import conform, fixups

_random = random.Random()  # noqa: S311 (ids name things, they guard nothing)
DEFAULT_MODEL = "gpt-4o"
DEFAULT_INSTRUCTIONS = "You are a helpful assistant."
ACTIVE_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
REPLY_TEXT = "Hello from the oaii local server! This run was created and completed locally."
USAGE = {"prompt_tokens": 20, "completion_tokens": 12, "total_tokens": 32}
#: The assistant a run is made from when none is stored (``create_missing``, ``new_run``):
#: the settings every run had before assistants were kept.
DEFAULT_ASSISTANT: dict[str, Any] = {
    "model": DEFAULT_MODEL,
    "instructions": DEFAULT_INSTRUCTIONS,
    "tools": [],
    "temperature": None,
    "top_p": None,
    "response_format": None,
}
#: The settings a run takes from its assistant when its body does not set them (besides
#: model, instructions and tools).
ASSISTANT_SETTINGS = ("temperature", "top_p", "response_format")


#: What a run costs the store beyond the body it was made from (its own fields).
RUN_OVERHEAD = 1024
_FIRST_READ = threading.Lock()


class Run:
    """A run the store keeps: its RunObject (``data``, exactly what is sent), and what the
    server needs beside it.

    A new run is answered from a template (``run_json``), so its dict is made only when
    something reads ``data`` (getRun, a list, a stream, cancel, ...): until then the run
    holds the fields of its body that it is made of, and is ``queued``, for only what
    reads ``data`` moves a run on.  Runs that are created and never read (a test creating
    many) cost the store those fields, not a dict of every field.
    """

    __slots__ = ("_data", "_recipe", "deadline", "id", "size", "steps", "thread_id", "tool_step")

    def __init__(
        self,
        run_id: str,
        thread_id: str,
        recipe: tuple[dict[str, Any], int, int, dict[str, Any]],
        deadline: float,
        size: int = RUN_OVERHEAD,
    ) -> None:
        self.id = run_id
        self.thread_id = thread_id
        # (body, created_at, expires_at, assistant): an assistant is never changed in place
        # (modifyAssistant stores a new dict), so the run is made of it as it was.
        self._recipe: tuple[dict[str, Any], int, int, dict[str, Any]] | None = recipe
        self._data: dict[str, Any] | None = None
        self.deadline = deadline  # time.monotonic() past which an active run expires
        self.size = size  # bytes it holds, about: its body's size plus RUN_OVERHEAD
        self.tool_step: dict[str, Any] | None = None  # its tool_calls step awaiting outputs
        # The memory store's: its steps by id, in order (None until the first: most runs a test
        # creates are never read, and an empty dict each would cost createRun's path)
        self.steps: dict[str, str] | None = None  # (as JSON text)

    @classmethod
    def from_data(
        cls,
        data: dict[str, Any],
        deadline: float,
        tool_step: dict[str, Any] | None = None,
        size: int = RUN_OVERHEAD,
    ) -> Run:
        """A run read back from a durable store: its RunObject as stored, its deadline
        (``time.monotonic()`` past which an active run expires, from ``expires_at``), and
        its tool_calls step while it awaits outputs."""
        run = cls(str(data["id"]), str(data["thread_id"]), ({}, 0, 0, {}), deadline, size)
        run._recipe = None
        run._data = data
        run.tool_step = tool_step
        return run

    @classmethod
    def stored(cls, data: dict[str, Any], deadline: float, tool_step: dict[str, Any] | None) -> Run:
        """A run as a durable store reads it back: its RunObject ``data`` already made."""
        run = cls(data["id"], data["thread_id"], ({}, 0, 0, DEFAULT_ASSISTANT), deadline)
        run._recipe = None
        run._data = data
        run.tool_step = tool_step
        return run

    @property
    def data(self) -> dict[str, Any]:
        data = self._data
        if data is None:
            # The first read only: tests read runs from their own thread while the server's
            # moves them on, and two dicts made at once would lose one reader's changes.
            with _FIRST_READ:
                data = self._data
                if data is None:
                    assert self._recipe is not None
                    data = self._data = queued_run(self.id, self.thread_id, *self._recipe)
                    self._recipe = None
        return data

    @property
    def status(self) -> str:
        data = self._data
        return "queued" if data is None else str(data["status"])


def lifetime(expiry: float) -> int:
    """Whole seconds from a run's ``created_at`` to its ``expires_at`` (at least one)."""
    return max(1, int(expiry + 0.999))


def new_run(
    run_id: str,
    thread_id: str,
    body: dict[str, Any],
    expiry: float = 600.0,
    assistant: dict[str, Any] = DEFAULT_ASSISTANT,
) -> dict[str, Any]:
    """A RunObject for a createRun body, in ``queued``."""
    now = int(time.time())
    return queued_run(run_id, thread_id, body, now, now + lifetime(expiry), assistant)


def _chosen(
    body: dict[str, Any], assistant: dict[str, Any]
) -> tuple[str, str, list[Any], dict[str, Any], bool]:
    """What a run takes from its createRun body, else from its assistant: (model,
    instructions, tools, metadata, whether it names any of the fields with defaults)."""
    get = body.get
    instructions = get("instructions") or assistant["instructions"] or ""
    if get("additional_instructions"):
        instructions = (
            f"{instructions} {body['additional_instructions']}"
            if instructions
            else body["additional_instructions"]
        )
    tools = get("tools")
    return (
        get("model") or assistant["model"],
        instructions,
        (list(assistant["tools"]) if assistant["tools"] else []) if tools is None else tools,  # its own list
        get("metadata") or {},
        not _DEFAULTED.isdisjoint(body) or (assistant is not DEFAULT_ASSISTANT and _sets_any(assistant)),
    )


def _sets_any(assistant: dict[str, Any]) -> bool:
    get = assistant.get
    return get("temperature") is not None or get("top_p") is not None or get("response_format") is not None


def _setting(body: dict[str, Any], assistant: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    return assistant.get(name) if value is None and name in ASSISTANT_SETTINGS else value


def queued_run(
    run_id: str,
    thread_id: str,
    body: dict[str, Any],
    now: int,
    expires_at: int,
    assistant: dict[str, Any] = DEFAULT_ASSISTANT,
) -> dict[str, Any]:
    """The RunObject of a new run (in the spec's shape, see ``_learn_run_shape``)."""
    model, instructions, tools, metadata, named = _chosen(body, assistant)
    # A copy of the queued run's constant fields (its keys in order, set in place: one
    # table copied instead of a dict built key by key).
    run = _QUEUED.copy()
    run["id"] = run_id
    run["created_at"] = now
    run["assistant_id"] = body["assistant_id"]
    run["thread_id"] = thread_id
    run["expires_at"] = expires_at
    run["model"] = model
    run["instructions"] = instructions
    run["tools"] = tools
    run["metadata"] = metadata
    run["truncation_strategy"] = {"type": "auto", "last_messages": None}
    if named:
        for name in _DEFAULTED_KEYS:
            value = _setting(body, assistant, name)
            if value is not None:  # null is the default
                run[name] = value
    if _RUN_SHAPE is None:
        _learn_run_shape(run, body)
    if _RUN_SHAPE:  # the spec's RunObject has other fields (see _schema.object_shape)
        return conform("RunObject", run)
    return run


def run_json(
    run_id: str,
    thread_id: str,
    body: dict[str, Any],
    now: int,
    expires_at: int,
    assistant: dict[str, Any] = DEFAULT_ASSISTANT,
) -> str | None:
    """``dumps_text(queued_run(...))``, from a template: constant parts as text, each other
    value encoded alone (its text is the same inside the run or not: no indent); None
    where the template is not trusted (see ``_learn_run_shape``)."""
    if _RUN_SHAPE is None:
        queued_run(run_id, thread_id, body, now, expires_at, assistant)  # the first run: learn the shape
    if not _TEMPLATE:
        return None
    return _template_text(run_id, thread_id, body, now, expires_at, assistant)


def _template_text(
    run_id: str,
    thread_id: str,
    body: dict[str, Any],
    now: int,
    expires_at: int,
    assistant: dict[str, Any] = DEFAULT_ASSISTANT,
) -> str:
    model, instructions, tools, metadata, named = _chosen(body, assistant)
    tail = _tail(body, assistant) if named else _DEFAULT_TAIL
    return (
        f'{{"id": {_string(run_id)}, "object": "thread.run", "created_at": {now}, '
        f'"assistant_id": {_string(body["assistant_id"])}, "thread_id": {_string(thread_id)}, '
        '"status": "queued", "required_action": null, "last_error": null, '
        f'"expires_at": {expires_at}, "started_at": null, "cancelled_at": null, "failed_at": null, '
        '"completed_at": null, "incomplete_details": null, '
        f'"model": {_DEFAULT_MODEL_JSON if model is DEFAULT_MODEL else _string(model)}, '
        f'"instructions": {_string(instructions)}, '
        f'"tools": {_encode(tools) if tools else "[]"}, '
        f'"metadata": {_encode(metadata) if metadata else "{}"}, '
        f'"usage": null{tail}}}'
    )


_string = encode_basestring_ascii
_DEFAULT_MODEL_JSON = _string(DEFAULT_MODEL)
_encode = dumps_text
_QUEUED: dict[str, Any] = {
    "id": "",
    "object": "thread.run",
    "created_at": 0,
    "assistant_id": "",
    "thread_id": "",
    "status": "queued",
    "required_action": None,
    "last_error": None,
    "expires_at": 0,
    "started_at": None,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "incomplete_details": None,
    "model": "",
    "instructions": "",
    "tools": None,  # each run's own, set in queued_run
    "metadata": None,
    "usage": None,
    # the fields a body may set (null: the default), in this order, the run's last
    "temperature": 1.0,
    "top_p": 1.0,
    "max_prompt_tokens": None,
    "max_completion_tokens": None,
    "truncation_strategy": None,  # each run's own
    "tool_choice": "auto",
    "parallel_tool_calls": True,
    "response_format": "auto",
}
_DEFAULTED_KEYS = tuple(_QUEUED)[tuple(_QUEUED).index("temperature") :]
_DEFAULTED = frozenset(_DEFAULTED_KEYS)
#: The body fields a run is made of (``_chosen``, ``queued_run``): a stored body keeps these only.
_READ_FIELDS = frozenset(
    {
        "assistant_id",
        "instructions",
        "additional_instructions",
        "model",
        "tools",
        "metadata",
        *_DEFAULTED_KEYS,
    }
)
_DEFAULTS = tuple(
    (k, v)
    for k, v in {**_QUEUED, "truncation_strategy": {"type": "auto", "last_messages": None}}.items()
    if k in _DEFAULTED
)
_DEFAULT_TAIL = "".join(f', "{k}": {dumps_text(v)}' for k, v in _DEFAULTS)


def _tail(body: dict[str, Any], assistant: dict[str, Any]) -> str:
    """The text of the run's last fields, for a body (or assistant) that names some of them."""
    parts = []
    for key, default in _DEFAULTS:
        value = _setting(body, assistant, key)
        parts.append(f', "{key}": {_encode(default if value is None else value)}')
    return "".join(parts)


# Every run has the keys above, in that order, so whether the spec's RunObject wants
# them changed is known from the first run: a look-up less per run.  The text is
# trusted once it has been the same as dumps_text's for that first run and for bodies
# with every optional field (else dumps_text makes every run's text).
_RUN_SHAPE: bool | None = None
_TEMPLATE = False
_SAMPLE_BODIES: tuple[dict[str, Any], ...] = (
    {"assistant_id": 'asst_é\n"', "instructions": "", "metadata": {}},
    {
        "assistant_id": "asst_1",
        "model": "gpt-4o-mini",
        "instructions": "Be brief.",
        "additional_instructions": "Really \u2028.",
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "metadata": {"k": "v"},
        "temperature": 0.5,
        "top_p": 1,
        "max_prompt_tokens": 256,
        "max_completion_tokens": 512,
        "truncation_strategy": {"type": "last_messages", "last_messages": 3},
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "parallel_tool_calls": False,
        "response_format": {"type": "json_object"},
    },
)


def _learn_run_shape(run: dict[str, Any], body: dict[str, Any]) -> None:
    global _RUN_SHAPE, _TEMPLATE  # noqa: PLW0603 (facts of the spec and of this Python, learnt once)
    drop, add = fixups("RunObject", tuple(run))
    _RUN_SHAPE = bool(drop or add)
    if _RUN_SHAPE:
        return
    # Decided before it is published: a second server's thread never uses an unproven template.
    _TEMPLATE = all(
        _template_text("run_\u00e9", 'thread_\x7f"', sample, 1, 2)
        == dumps_text(queued_run("run_\u00e9", 'thread_\x7f"', sample, 1, 2))
        for sample in (body, *_SAMPLE_BODIES)
    )


class RunTable:
    """The memory store's runs (``_store.MemoryStore``): runs by id, the line they are
    evicted in, and each thread's runs.

    Past ``max_runs`` runs or ``max_bytes`` (the bodies they were made from), the
    oldest finished runs are evicted; an active run is kept until it finishes or
    expires (it goes to the back of the line), unless active runs alone pass the hard
    caps (either limit + 10%), where the runs first in line go whatever their status:
    the newest ``max_runs`` always stay.  Memory stays bounded however many runs, and
    however large, a long test session creates.
    """

    def __init__(self, max_runs: int = 10_000, expiry: float = 600.0, max_bytes: int = 16 * 2**20) -> None:
        self.max_runs = max_runs
        self.hard_cap = max_runs + max(10, max_runs // 10)
        self.max_bytes = max_bytes
        self.hard_bytes = max_bytes + max_bytes // 10
        self.bytes = 0
        self.expiry = expiry
        self.lifetime = lifetime(expiry)
        self.runs: dict[str, Run] = {}
        # Run ids, oldest first (an active run put back to the end is the exception), for
        # eviction: a deque pops its oldest in O(1), where a dict would scan past the holes
        # its deletions leave at the front.
        self.order: collections.deque[str] = collections.deque()
        self.dropped = 0  # ids in ``order`` whose run was dropped with its thread
        # thread id -> its run ids, oldest first (never empty).  A thread's latest run is its
        # only one that can be active: createRun refuses a thread with an active run.
        self.threads: dict[str, list[str]] = {}
        self.counter = itertools.count(1)
        # Ids are this store's own letters, then a count: unique in the store, unlike another
        # store's, and made without formatting numbers to a width (with two random numbers
        # formatted, an id took ~1.5 µs of a createRun's ~35 on a busy server).
        self.letters = os.urandom(4).hex()  # not a random stream, which a fork or a seed would repeat

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{self.letters}{next(self.counter)}"

    def get(self, thread_id: str, run_id: str) -> Run | None:
        run = self.runs.get(run_id)
        if run is None or run.thread_id != thread_id:
            return None
        expire(run)
        return run

    def active_run(self, thread_id: str) -> str | None:
        ids = self.threads.get(thread_id)
        run = self.runs.get(ids[-1]) if ids else None
        if run is None:
            return None
        expire(run)
        return run.id if run.status in ACTIVE_STATUSES else None

    def create(self, thread_id: str, body: dict[str, Any], body_size: int = 0) -> Run:
        return self.create_json(thread_id, body, body_size)[0]

    def create_json(
        self,
        thread_id: str,
        body: dict[str, Any],
        body_size: int = 0,
        assistant: dict[str, Any] = DEFAULT_ASSISTANT,
    ) -> tuple[Run, str | None]:
        """A new run, stored, and its JSON text when the template makes it (else None)."""
        run_id = self.new_id("run")
        now = int(time.time())
        expires_at = now + self.lifetime
        text = run_json(run_id, thread_id, body, now, expires_at, assistant)
        if not _READ_FIELDS.issuperset(body):  # keep only what the run is made of (no messages)
            body = {name: value for name, value in body.items() if name in _READ_FIELDS}
        run = Run(
            run_id,
            thread_id,
            (body, now, expires_at, assistant),
            time.monotonic() + self.expiry,
            body_size + RUN_OVERHEAD,
        )
        runs = self.runs
        runs[run_id] = run
        self.order.append(run_id)
        self.bytes += run.size
        ids = self.threads.get(thread_id)
        if ids is None:
            self.threads[thread_id] = [run_id]
        else:
            ids.append(run_id)
        if len(runs) > self.max_runs or self.bytes > self.max_bytes:
            self._evict()
        return run, text

    def _evict(self) -> None:
        # An active oldest run goes to the back (it will finish or expire), at most one per
        # call so createRun stays O(1) amortised; past the hard cap, memory wins: the oldest
        # goes, and that is the call's work (runs only ever arrive one per call).
        runs, order, threads = self.runs, self.order, self.threads
        now = time.monotonic()
        rotated = False
        while order and (len(runs) > self.max_runs or self.bytes > self.max_bytes):
            run_id = order[0]
            run = runs.get(run_id)
            if run is None:  # a deleted thread's run (see drop_thread)
                order.popleft()
                self.dropped -= 1
                continue
            past_hard_caps = False
            if run.status in ACTIVE_STATUSES and now < run.deadline:  # active, not expired
                if len(runs) <= self.hard_cap and self.bytes <= self.hard_bytes:
                    if rotated:
                        return
                    order.rotate(-1)  # the oldest to the back
                    rotated = True
                    continue
                past_hard_caps = True
            order.popleft()
            del runs[run_id]
            self.bytes -= run.size
            thread_id = run.thread_id
            ids = threads.get(thread_id)
            if ids is not None:
                if ids[0] == run_id:  # the thread's oldest, as a rule (see threads)
                    if len(ids) == 1:
                        del threads[thread_id]
                    else:
                        del ids[0]
                elif run_id in ids:
                    ids.remove(run_id)
            if past_hard_caps and len(runs) <= self.hard_cap and self.bytes <= self.hard_bytes:
                return

    def drop_thread(self, thread_id: str) -> None:
        """Forget a deleted thread's runs.  Their ids stay in the eviction line, skipped when
        they reach its front, until they are as many as the runs kept: then the line is made
        anew (O(1) amortised, where removing each from the deque would scan it)."""
        ids = self.threads.pop(thread_id, None)
        if not ids:
            return
        for run_id in ids:
            run = self.runs.pop(run_id, None)
            if run is not None:
                self.bytes -= run.size
                self.dropped += 1
        if self.dropped > len(self.runs) + 64:
            self.order = collections.deque(i for i in self.order if i in self.runs)
            self.dropped = 0

    def list(
        self, thread_id: str, limit: int, order: str, after: str | None, before: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        head = f"run_{self.letters}"
        page, more = page_of(
            self.threads.get(thread_id, []), limit, order, after, before, lambda i: count_of(i, head)
        )
        out = []
        for run_id in page:
            run = self.runs[run_id]
            expire(run)
            out.append(run.data)
        return out, more


def expire(run: Run) -> bool:
    """An active run past its deadline is ``expired``, as the API did after ten minutes, and
    its tool_calls step still awaiting outputs ends with it (``expired``, ``expired_at``), as
    a cancelled run's does.  True when it expired now: a durable store then saves the run
    and its step (the memory store's copy of the step is rewritten here)."""
    if run.status not in ACTIVE_STATUSES or time.monotonic() < run.deadline:
        return False
    run.data.update(status="expired", required_action=None)
    step = end_tool_step(run, "expired", int(time.time()))
    if step is not None:
        steps = run.steps
        if steps is not None and step["id"] in steps:  # the memory store's, kept as text
            steps[step["id"]] = dumps_text(step)
    return True


def end_tool_step(run: Run, status: str, now: int) -> dict[str, Any] | None:
    """The run's tool_calls step, if it still awaits outputs, ended with the run (``status``
    and its ``<status>_at``), as in the API; the step changed, for the caller to keep, or None."""
    step = run.tool_step
    if step is None or step["status"] != "in_progress":
        return None
    step.update({"status": status, f"{status}_at": now})
    return step
