"""The store contract (``oaii.server._store``), for every backend: add yours to ``BACKENDS``.

Each factory takes a pytest ``tmp_path`` (for a file-backed store) and returns a fresh store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oaii.server._executor import ScriptedExecutor
from oaii.server._idempotency import Seen
from oaii.server._runs import DEFAULT_ASSISTANT
from oaii.server._sqlite import SQLiteStore
from oaii.server._store import MemoryStore, Store

BACKENDS: dict[str, Callable[[Path], Store]] = {
    "memory": lambda _path: MemoryStore(),
    "sqlite": lambda path: SQLiteStore(path / "store.sqlite"),
}


@pytest.fixture(params=sorted(BACKENDS))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = BACKENDS[request.param](tmp_path)
    yield made
    made.close()


def obj(store: Store, kind: str, **fields: Any) -> dict[str, Any]:
    prefix = {"assistant": "asst", "thread": "thread", "message": "msg", "step": "step"}[kind]
    made = {"id": store.new_id(prefix), **fields}
    store.add(kind, made)  # type: ignore[arg-type]
    store.commit()
    return made


def test_ids_are_fresh_and_prefixed(store: Store) -> None:
    ids = [store.new_id("msg") for _ in range(100)]
    assert len(set(ids)) == 100 and all(i.startswith("msg_") for i in ids)


def test_get_save_delete(store: Store) -> None:
    assistant = obj(store, "assistant", name="a", metadata={})
    assert store.get("assistant", assistant["id"]) == assistant
    changed = {**assistant, "name": "b"}
    store.save("assistant", changed)
    store.commit()
    assert store.get("assistant", assistant["id"])["name"] == "b"  # type: ignore[index]
    assert store.delete("assistant", assistant["id"]) is True
    assert store.get("assistant", assistant["id"]) is None
    assert store.delete("assistant", assistant["id"]) is False


def test_a_message_is_found_only_under_its_thread(store: Store) -> None:
    thread = obj(store, "thread")
    message = obj(store, "message", thread_id=thread["id"], run_id=None)
    assert store.get("message", message["id"], thread["id"]) == message
    assert store.get("message", message["id"], "thread_other") is None
    assert store.delete("message", message["id"], "thread_other") is False


@pytest.mark.parametrize(
    ("order", "after", "before", "limit", "expected", "more"),
    [
        ("asc", None, None, 2, [0, 1], True),
        ("asc", None, None, 5, [0, 1, 2, 3, 4], False),
        ("desc", None, None, 2, [4, 3], True),
        ("asc", 1, None, 2, [2, 3], True),
        ("asc", 2, None, 5, [3, 4], False),
        ("desc", 3, None, 5, [2, 1, 0], False),
        ("asc", None, 3, 2, [1, 2], True),
        ("asc", 0, 4, 10, [1, 2, 3], False),
    ],
)
def test_pages_follow_the_order_added(
    store: Store,
    order: str,
    after: int | None,
    before: int | None,
    limit: int,
    expected: list[int],
    more: bool,
) -> None:
    thread = obj(store, "thread")
    ids = [obj(store, "message", thread_id=thread["id"], run_id=None)["id"] for _ in range(5)]
    page, has_more = store.page(
        "message",
        thread["id"],
        limit,
        order,
        ids[after] if after is not None else None,
        ids[before] if before is not None else None,
    )
    assert [m["id"] for m in page] == [ids[i] for i in expected] and has_more is more


@pytest.mark.parametrize(
    ("order", "after", "before", "expected", "more"),
    [  # messages 0..4, 1 and 3 deleted; pages of 2 from their places
        ("asc", 1, None, [2, 4], False),
        ("asc", 3, None, [4], False),
        ("desc", 3, None, [2, 0], False),
        ("asc", None, 3, [0, 2], False),
        ("desc", None, 1, [4, 2], False),
        ("asc", 1, 3, [2], False),
    ],
)
def test_a_deleted_cursor_keeps_its_place(
    store: Store, order: str, after: int | None, before: int | None, expected: list[int], more: bool
) -> None:
    thread = obj(store, "thread")
    ids = [obj(store, "message", thread_id=thread["id"], run_id=None)["id"] for _ in range(5)]
    for gone in (1, 3):
        assert store.delete("message", ids[gone], thread["id"])
    page, has_more = store.page(
        "message",
        thread["id"],
        2,
        order,
        ids[after] if after is not None else None,
        ids[before] if before is not None else None,
    )
    assert [m["id"] for m in page] == [ids[i] for i in expected] and has_more is more


@pytest.mark.parametrize(
    ("tail", "desc_count"),
    [
        ("0", 0),  # no count is 0
        ("01", 0),  # nor written with a leading zero
        ("x1", 0),
        ("\u0661", 0),  # a digit, not an ASCII one
        ("1" * 14, 0),  # longer than any count
        ("99999", 3),  # a place after all of them: nothing after it, everything before
    ],
)
def test_a_cursor_of_the_stores_form_but_no_count_names_no_place(
    store: Store, tail: str, desc_count: int
) -> None:
    thread = obj(store, "thread")
    ids = [obj(store, "message", thread_id=thread["id"], run_id=None)["id"] for _ in range(3)]
    head = ids[0][: len("msg_") + 8]  # msg_ and the store's eight letters
    assert store.page("message", thread["id"], 10, "asc", head + tail) == ([], False)
    page, _ = store.page("message", thread["id"], 10, "desc", head + tail)
    assert len(page) == desc_count


def test_runs_and_steps_page_from_places(store: Store) -> None:
    thread = obj(store, "thread")
    runs = []
    for _ in range(3):
        run, _text = store.create_run(thread["id"], {"assistant_id": "asst_1"}, 0, DEFAULT_ASSISTANT)
        run.data["status"] = "completed"  # (not active: the next may start)
        store.save_run(run)
        runs.append(run.id)
    store.commit()
    page, more = store.list_runs(thread["id"], 1, "asc", runs[0], None)
    assert [r["id"] for r in page] == [runs[1]] and more is True
    page, more = store.list_runs(thread["id"], 5, "desc", None, runs[0])
    assert [r["id"] for r in page] == [runs[2], runs[1]] and more is False
    assert store.list_runs(thread["id"], 5, "asc", "run_nope", None) == ([], False)
    steps = [obj(store, "step", run_id=runs[2])["id"] for _ in range(3)]
    page, more = store.page("step", runs[2], 1, "desc", steps[2])
    assert [s["id"] for s in page] == [steps[1]] and more is True
    assert store.page("step", runs[2], 5, "asc", "step_nope") == ([], False)


def test_assistants_a_client_named_take_their_place_when_added(store: Store) -> None:
    """``create_missing`` stores a default assistant under the id a client gave."""
    ours = obj(store, "assistant", name="a")
    store.add("assistant", {"id": "asst_client", "name": "b"})
    later = obj(store, "assistant", name="c")
    listed = [a["id"] for a in store.page("assistant", None, 10, "asc")[0]]
    assert listed[-3:] == [ours["id"], "asst_client", later["id"]]
    page, _ = store.page("assistant", None, 10, "asc", "asst_client")
    assert [a["id"] for a in page] == [later["id"]]
    page, _ = store.page("assistant", None, 10, "desc", "asst_client")
    assert [a["id"] for a in page][:1] == [ours["id"]]
    store.delete("assistant", "asst_client")
    assert store.page("assistant", None, 10, "asc", "asst_client") == ([], False)  # no place now
    # a client's id that begins as the store's own do, without a count
    odd = ours["id"][: len("asst_") + 8] + "x"
    store.add("assistant", {"id": odd, "name": "d"})
    assert [a["id"] for a in store.page("assistant", None, 2, "desc")[0]] == [odd, later["id"]]
    assert [a["id"] for a in store.page("assistant", None, 2, "asc", later["id"])[0]] == [odd]


def test_messages_filter_by_run(store: Store) -> None:
    thread = obj(store, "thread")
    mine = obj(store, "message", thread_id=thread["id"], run_id="run_1")
    obj(store, "message", thread_id=thread["id"], run_id=None)
    page, _ = store.page("message", thread["id"], 20, "asc", run_id="run_1")
    assert page == [mine]


def test_a_run_from_its_assistant_moves_and_writes_its_reply(store: Store) -> None:
    thread = obj(store, "thread")
    assistant = {**DEFAULT_ASSISTANT, "id": "asst_1", "model": "gpt-x", "instructions": "Hi."}
    run, text = store.create_run(thread["id"], {"assistant_id": "asst_1"}, 30, assistant)
    store.commit()
    assert text is None or json.loads(text) == run.data  # the answer is the run as stored
    assert run.data["model"] == "gpt-x" and run.data["instructions"] == "Hi."
    assert store.active_run(thread["id"]) == run.id
    executor = ScriptedExecutor(store)
    for _ in range(2):
        found = store.run(thread["id"], run.id)
        assert found is not None
        executor.observe(found)
    store.commit()
    done = store.run(thread["id"], run.id)
    assert done is not None and done.data["status"] == "completed"
    assert store.active_run(thread["id"]) is None
    assert store.run("thread_other", run.id) is None
    listed, more = store.list_runs(thread["id"], 20, "desc", None, None)
    assert [r["id"] for r in listed] == [run.id] and not more
    messages, _ = store.page("message", thread["id"], 20, "asc")
    assert [(m["role"], m["run_id"]) for m in messages] == [("assistant", run.id)]
    steps, _ = store.page("step", run.id, 20, "asc")
    assert [s["type"] for s in steps] == ["message_creation"]
    assert store.get("step", steps[0]["id"], run.id) == steps[0]


def test_deleting_a_thread_takes_its_messages_and_runs(store: Store) -> None:
    thread = obj(store, "thread")
    obj(store, "message", thread_id=thread["id"], run_id=None)
    run, _ = store.create_run(thread["id"], {"assistant_id": "asst_1"}, 30, DEFAULT_ASSISTANT)
    assert store.delete("thread", thread["id"]) is True
    store.commit()
    assert store.run(thread["id"], run.id) is None
    assert store.page("message", thread["id"], 20, "asc") == ([], False)


def test_idempotency_keys_remember_the_run_and_its_first_answer(store: Store) -> None:
    seen = Seen("POST", "/v1/threads/thread_1/runs", {}, b'{"assistant_id": "asst_1"}')
    assert store.keys.lookup(b"scope-k", seen) == (False, None)
    store.keys.remember(b"scope-k", seen, "run_1", '{"id": "run_1"}')
    store.commit()
    again = Seen("POST", "/v1/threads/thread_1/runs", {}, b'{"assistant_id":"asst_1"}')
    assert store.keys.lookup(b"scope-k", again) == (True, "run_1")
    other = Seen("POST", "/v1/threads/thread_1/runs", {}, b'{"assistant_id": "asst_2"}')
    assert store.keys.lookup(b"scope-k", other) == (True, None)
    assert store.keys.answer(b"scope-k") == '{"id": "run_1"}'


def test_the_memory_store_keeps_its_bounds_and_evicts_the_oldest_with_their_messages() -> None:
    store = MemoryStore(max_objects=3)
    threads = [obj(store, "thread")["id"] for _ in range(5)]
    for thread in threads:
        obj(store, "message", thread_id=thread, run_id=None)
    assert [store.get("thread", t) is not None for t in threads] == [False, False, True, True, True]
    # Messages are bounded too (the 3 newest of 5), and an evicted thread takes its own.
    assert [len(store.page("message", t, 20, "asc")[0]) for t in threads] == [0, 0, 1, 1, 1]
    obj(store, "thread")
    assert store.page("message", threads[2], 20, "asc") == ([], False)
    assert len(store.buckets["thread"].order) <= 2 * 3 + 64


def test_deleting_many_threads_keeps_the_run_table_small_and_whole() -> None:
    store = MemoryStore(max_runs=50)
    for _ in range(500):
        thread = obj(store, "thread")["id"]
        store.create_run(thread, {"assistant_id": "asst_1"}, 30, DEFAULT_ASSISTANT)
        assert store.delete("thread", thread)
    table = store.table
    assert not table.runs and not table.threads and table.bytes == 0
    assert len(table.order) <= 64 + 1  # the deleted runs' ids do not pile up
    kept = [
        store.create_run(obj(store, "thread")["id"], {"assistant_id": "a"}, 30, DEFAULT_ASSISTANT)[0]
        for _ in range(60)
    ]
    assert len(table.runs) <= table.hard_cap and kept[-1].id in table.runs


def test_a_run_read_back_from_its_data_is_the_same_run() -> None:
    from oaii.server._runs import Run

    store = MemoryStore()
    run, _ = store.create_run("thread_1", {"assistant_id": "asst_1"}, 30, DEFAULT_ASSISTANT)
    copy = Run.from_data(json.loads(json.dumps(run.data)), run.deadline)
    assert (copy.id, copy.thread_id, copy.data, copy.status, copy.tool_step) == (
        run.id,
        "thread_1",
        run.data,
        "queued",
        None,
    )


def test_deleting_an_unstored_thread_takes_what_was_written_under_its_id(store: Store) -> None:
    # create_missing's threads are stored only once changed; their runs and messages are.
    obj(store, "message", thread_id="thread_unstored", run_id=None)
    run, _ = store.create_run("thread_unstored", {"assistant_id": "asst_1"}, 30, DEFAULT_ASSISTANT)
    assert store.delete("thread", "thread_unstored") is False  # not found, but emptied
    store.commit()
    assert store.run("thread_unstored", run.id) is None
    assert store.page("message", "thread_unstored", 20, "asc") == ([], False)
