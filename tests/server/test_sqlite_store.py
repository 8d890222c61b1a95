"""The durable store (``LocalServer(db=...)``, ``--db``): what was answered survives ``kill -9``
and restarts, concurrent clients never corrupt the file, a file it cannot use is refused at
start, and a user's whole suite with the strict SDK runs on it unchanged."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from oaii.server import Fault, LocalServer, StoreError
from oaii.server._idempotency import Seen
from oaii.server._sqlite import SCHEMA_VERSION, SQLiteStore

HEADERS = {"Authorization": "Bearer sk-durable", "OpenAI-Beta": "assistants=v2"}
FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather"}}
OAII = str(Path(sys.executable).with_name("oaii"))  # the console script beside this Python


class ServerProcess:
    """``python -m oaii.server --db PATH --port 0`` in a process of its own; ready once it
    has printed its URL (the socket listens and the store is open by then)."""

    def __init__(self, db: Path, argv: list[str] | None = None) -> None:
        argv = argv or [sys.executable, "-m", "oaii.server"]
        self.proc = subprocess.Popen(
            [*argv, "--port", "0", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # blocks until the server says where it listens
        assert line.startswith("oaii local server listening on "), (line, self.proc.stderr.read())  # type: ignore[union-attr]
        self.url = line.rsplit(" ", 1)[-1].strip()
        self.http = httpx.Client(base_url=self.url, headers=HEADERS, timeout=10)

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or closed by the server."""
        self.http.close()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        self.http.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "oaii.sqlite"


@pytest.fixture
def processes() -> Iterator[list[ServerProcess]]:
    started: list[ServerProcess] = []
    yield started
    for proc in started:
        proc.stop()


def ok(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text
    return answer.json()


# ------------------------------------------------------------------ kill -9, and a restart


def test_kill_9_loses_nothing_that_was_answered(db: Path, processes: list[ServerProcess]) -> None:
    first = ServerProcess(db)
    processes.append(first)
    http = first.http
    answered: dict[str, Any] = {}  # object id -> the last answer that showed it

    def keep(obj: Any) -> Any:
        answered[obj["id"]] = obj
        return obj

    plain = keep(ok(http.post("/assistants", json={"model": "gpt-4o-mini", "name": "Plain"})))
    tools = keep(ok(http.post("/assistants", json={"model": "gpt-4o", "tools": [FUNCTION_TOOL]})))
    keep(ok(http.post(f"/assistants/{plain['id']}", json={"name": "Renamed", "metadata": {"v": "2"}})))
    gone = ok(http.post("/assistants", json={"model": "gpt-4o"}))
    assert ok(http.delete(f"/assistants/{gone['id']}"))["deleted"] is True

    def thread(**body: Any) -> str:
        return str(keep(ok(http.post("/threads", json=body)))["id"])

    done = thread(messages=[{"role": "user", "content": "Hello?"}, {"role": "user", "content": "Again?"}])
    first_messages = ok(http.get(f"/threads/{done}/messages", params={"order": "asc"}))["data"]
    for message in first_messages:
        keep(message)
    keep(ok(http.post(f"/threads/{done}/messages", json={"role": "user", "content": "Third."})))
    keep(ok(http.post(f"/threads/{done}/messages/{first_messages[0]['id']}", json={"metadata": {"m": "1"}})))
    dropped = ok(http.post(f"/threads/{done}/messages", json={"role": "user", "content": "Deleted."}))
    ok(http.delete(f"/threads/{done}/messages/{dropped['id']}"))
    keep(ok(http.post(f"/threads/{done}", json={"metadata": {"t": "1"}})))

    # A run read until it completes (reads move the scripted executor's runs: each answer is
    # a state kept), one waiting for tool outputs, one given them, one cancelled.
    completed = keep(ok(http.post(f"/threads/{done}/runs", json={"assistant_id": plain["id"]})))
    while completed["status"] != "completed":
        completed = keep(ok(http.get(f"/threads/{done}/runs/{completed['id']}")))
    waiting_thread = thread()
    waiting = keep(ok(http.post(f"/threads/{waiting_thread}/runs", json={"assistant_id": tools["id"]})))
    while waiting["status"] != "requires_action":
        waiting = keep(ok(http.get(f"/threads/{waiting_thread}/runs/{waiting['id']}")))
    given_thread = thread()
    given = ok(http.post(f"/threads/{given_thread}/runs", json={"assistant_id": tools["id"]}))
    while given["status"] != "requires_action":
        given = ok(http.get(f"/threads/{given_thread}/runs/{given['id']}"))
    call = given["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
    keep(
        ok(
            http.post(
                f"/threads/{given_thread}/runs/{given['id']}/submit_tool_outputs",
                json={"tool_outputs": [{"tool_call_id": call, "output": "sunny"}]},
            )
        )
    )
    cancelled_thread = thread()
    cancelled = ok(http.post(f"/threads/{cancelled_thread}/runs", json={"assistant_id": plain["id"]}))
    keep(ok(http.post(f"/threads/{cancelled_thread}/runs/{cancelled['id']}/cancel")))
    keep(ok(http.post(f"/threads/{cancelled_thread}/runs/{cancelled['id']}", json={"metadata": {"r": "1"}})))
    # Last, an idempotent createRun: the process dies right after its answer.
    key_thread = thread()
    idempotent = {"Idempotency-Key": "durable-key-1"}
    body = {"assistant_id": plain["id"], "metadata": {"k": "1"}}
    replayable = keep(ok(http.post(f"/threads/{key_thread}/runs", json=body, headers=idempotent)))
    first.kill()

    second = ServerProcess(db)
    processes.append(second)
    http = second.http
    threads = {done, waiting_thread, given_thread, cancelled_thread, key_thread}
    # Served the same: every object as it was last answered (read by calls that move nothing).
    served: dict[str, Any] = {}
    for assistant in ok(http.get("/assistants", params={"limit": 100}))["data"]:
        served[assistant["id"]] = assistant
    for thread_id in threads:
        served[thread_id] = ok(http.get(f"/threads/{thread_id}"))
        for kind in ("messages", "runs"):
            for obj in ok(http.get(f"/threads/{thread_id}/{kind}", params={"limit": 100}))["data"]:
                served[obj["id"]] = obj
    missing_or_changed = {i: (answered[i], served.get(i)) for i in answered if served.get(i) != answered[i]}
    assert missing_or_changed == {}
    # What the answers imply: the completed run's reply and steps; deletes stay deleted.
    replies = ok(http.get(f"/threads/{done}/messages", params={"run_id": completed["id"]}))["data"]
    assert [(m["role"], m["status"]) for m in replies] == [("assistant", "completed")]
    steps = ok(http.get(f"/threads/{done}/runs/{completed['id']}/steps"))["data"]
    assert [(s["type"], s["status"]) for s in steps] == [("message_creation", "completed")]
    tool_steps = ok(http.get(f"/threads/{given_thread}/runs/{given['id']}/steps"))["data"]
    assert tool_steps[0]["step_details"]["tool_calls"][0]["function"]["output"] == "sunny"
    assert http.get(f"/assistants/{gone['id']}").status_code == 404
    assert http.get(f"/threads/{done}/messages/{dropped['id']}").status_code == 404
    # The replayed Idempotency-Key gives the same run, and makes none.
    replay = http.post(f"/threads/{key_thread}/runs", json=body, headers=idempotent)
    assert ok(replay) == replayable and replay.headers["idempotent-replayed"] == "true"
    assert len(ok(http.get(f"/threads/{key_thread}/runs"))["data"]) == 1
    # The runs go on where they were: the one given its outputs completes, the cancelled one ends.
    moved = ok(http.get(f"/threads/{given_thread}/runs/{given['id']}"))
    assert moved["status"] == "completed"
    ended = ok(http.get(f"/threads/{cancelled_thread}/runs/{cancelled['id']}"))
    assert ended["status"] == "cancelled"
    # Ids are never given twice, even after a kill -9.
    fresh = [
        ok(http.post("/assistants", json={"model": "gpt-4o"}))["id"],
        ok(http.post("/threads", json={}))["id"],
        # (the message first: a thread whose run is active takes none, as in the API)
        ok(http.post(f"/threads/{done}/messages", json={"role": "user", "content": "x"}))["id"],
        ok(http.post(f"/threads/{done}/runs", json={"assistant_id": plain["id"]}))["id"],
    ]
    assert not set(fresh) & (set(answered) | {gone["id"], dropped["id"]})


def test_a_restart_serves_the_same_objects(db: Path) -> None:
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        assistant = ok(http.post("/assistants", json={"model": "gpt-4o", "name": "A"}))
        thread = ok(http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}))
        run = ok(http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]}))
        before = {
            "assistants": ok(http.get("/assistants")),
            "thread": ok(http.get(f"/threads/{thread['id']}")),
            "messages": ok(http.get(f"/threads/{thread['id']}/messages")),
            "runs": ok(http.get(f"/threads/{thread['id']}/runs")),
        }
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        after = {
            "assistants": ok(http.get("/assistants")),
            "thread": ok(http.get(f"/threads/{thread['id']}")),
            "messages": ok(http.get(f"/threads/{thread['id']}/messages")),
            "runs": ok(http.get(f"/threads/{thread['id']}/runs")),
        }
        assert after == before
        assert ok(http.get(f"/threads/{thread['id']}/runs/{run['id']}"))["status"] == "in_progress"


def test_a_run_past_its_deadline_expires_after_a_restart(db: Path) -> None:
    with (
        LocalServer(db=db, run_expiry=0.05) as server,
        httpx.Client(base_url=server.url, headers=HEADERS) as http,
    ):
        assistant = ok(http.post("/assistants", json={"model": "gpt-4o"}))
        thread = ok(http.post("/threads", json={}))
        run = ok(http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]}))
    store = SQLiteStore(db)
    try:
        # Its deadline is a time of day in the file, not of the process that made it: no
        # waiting needed here, it passed while the file was closed (or passes on the next read).
        found = store.run(thread["id"], run["id"])
        while found is not None and found.status != "expired":
            found = store.run(thread["id"], run["id"])
        assert found is not None and found.data["status"] == "expired"
        store.commit()
    finally:
        store.close()
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("SELECT status FROM runs WHERE id = ?", (run["id"],)).fetchone() == ("expired",)


# ------------------------------------------------------------------ concurrency


def test_concurrent_clients_never_corrupt_the_file(db: Path) -> None:
    clients, rounds = 8, 6
    errors: list[BaseException] = []
    with LocalServer(db=db) as server:
        store = server.store
        assert isinstance(store, SQLiteStore)
        with httpx.Client(base_url=server.url, headers=HEADERS) as http:
            assistant = ok(http.post("/assistants", json={"model": "gpt-4o"}))
        stop_reading = threading.Event()

        def client() -> None:
            try:
                with httpx.Client(base_url=server.url, headers=HEADERS) as http:
                    for _ in range(rounds):
                        thread = ok(
                            http.post("/threads", json={"messages": [{"role": "user", "content": "a"}]})
                        )
                        ok(
                            http.post(
                                f"/threads/{thread['id']}/messages", json={"role": "user", "content": "b"}
                            )
                        )
                        run = ok(
                            http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]})
                        )
                        while run["status"] != "completed":
                            run = ok(http.get(f"/threads/{thread['id']}/runs/{run['id']}"))
                        listed = ok(http.get(f"/threads/{thread['id']}/messages", params={"order": "asc"}))
                        assert [m["role"] for m in listed["data"]] == ["user", "user", "assistant"]
            except BaseException as exc:
                errors.append(exc)

        def reader() -> None:  # a test reading the store from its own thread meanwhile
            try:
                while not stop_reading.is_set():
                    store.page("assistant", None, 100, "asc")
                    store.count("message")
            except BaseException as exc:
                errors.append(exc)

        workers = [threading.Thread(target=client) for _ in range(clients)]
        watcher = threading.Thread(target=reader)
        for worker in [*workers, watcher]:
            worker.start()
        for worker in workers:
            worker.join(60)
        stop_reading.set()
        watcher.join(10)
    assert errors == []
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("assistants", "threads", "messages", "runs", "steps")
        }
        statuses = conn.execute("SELECT DISTINCT status FROM runs").fetchall()
    made = clients * rounds
    assert counts == {"assistants": 1, "threads": made, "messages": 3 * made, "runs": made, "steps": made}
    assert statuses == [("completed",)]


# ------------------------------------------------------------------ files it cannot use


def _other_program(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE notes (text TEXT)")


def _other_version(path: Path) -> None:
    SQLiteStore(path).close()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")


@pytest.mark.parametrize(
    ("make", "name", "said"),
    [
        (lambda path: path.mkdir(), "a-dir", "it is a directory"),
        (lambda path: None, "no-such-dir/oaii.sqlite", "no directory"),
        (lambda path: path.write_bytes(b"not a database, just text " * 100), "text.sqlite", "not a database"),
        (_other_program, "other.sqlite", "a database of another program"),
        (_other_version, "newer.sqlite", f"schema is version {SCHEMA_VERSION + 1}"),
    ],
)
def test_a_file_it_cannot_use_is_refused_at_start(tmp_path: Path, make: Any, name: str, said: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(StoreError) as refused:
        LocalServer(db=path)
    assert said in str(refused.value) and str(path) in str(refused.value)


def test_a_version_1_file_is_upgraded_in_place_and_keeps_its_order(tmp_path: Path) -> None:
    """Version 1 paged by row number; version 2 by the place read from each id (see _sqlite)."""
    path = tmp_path / "v1.sqlite"
    SQLiteStore(path).close()  # the tables (the same in both versions), then as version 1 had them
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DELETE FROM id_letters")
        conn.executemany("INSERT INTO id_letters VALUES (?, 0)", [("aaaaaaaa",), ("bbbbbbbb",)])
        rows = [("msg_aaaaaaaa5", "a"), ("msg_aaaaaaaa9", "b"), ("msg_bbbbbbbb1", "c")]
        conn.executemany(
            "INSERT INTO messages (id, thread_id, data) VALUES (?, 'thread_t', ?)",
            [(i, f'{{"id": "{i}", "thread_id": "thread_t", "text": "{t}"}}') for i, t in rows],
        )
        conn.executemany(
            "INSERT INTO assistants (id, data) VALUES (?, ?)",
            [(i, f'{{"id": "{i}"}}') for i in ("asst_aaaaaaaa1", "asst_client", "asst_bbbbbbbb2")],
        )
        conn.execute("PRAGMA user_version = 1")
    store = SQLiteStore(path)
    try:
        new = {"id": store.new_id("msg"), "thread_id": "thread_t", "text": "d"}
        store.add("message", new)
        page, _ = store.page("message", "thread_t", 10, "asc")
        assert [m["text"] for m in page] == ["a", "b", "c", "d"]
        # msg_aaaaaaaa7 (deleted, or never stored) has its place between the first two
        page, _ = store.page("message", "thread_t", 10, "asc", "msg_aaaaaaaa7")
        assert [m["text"] for m in page] == ["b", "c", "d"]
        page, _ = store.page("message", "thread_t", 10, "desc", "msg_bbbbbbbb1")
        assert [m["text"] for m in page] == ["b", "a"]
        # an id a client chose goes after the others of version 1 (its place is not in its id)
        assistants = [a["id"] for a in store.page("assistant", None, 10, "asc")[0]]
        assert assistants == ["asst_aaaaaaaa1", "asst_bbbbbbbb2", "asst_client"]
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2


@pytest.mark.parametrize("argv", [[sys.executable, "-m", "oaii.server"], [OAII, "server"]])
def test_the_command_line_refuses_it_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    done = subprocess.run(
        [*argv, "--port", "0", "--db", str(tmp_path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"oaii: error: cannot open the store {str(tmp_path)!r}: it is a directory\n"


def test_a_second_server_on_the_same_file_is_refused(db: Path, processes: list[ServerProcess]) -> None:
    first = ServerProcess(db)
    processes.append(first)
    with pytest.raises(StoreError, match="another server"):
        LocalServer(db=db)
    done = subprocess.run(
        [OAII, "server", "--port", "0", "--db", str(db)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2 and "another server (or program) has it open" in done.stderr
    # The first one serves on, with what it had.
    assert ok(first.http.post("/assistants", json={"model": "gpt-4o"}))["id"].startswith("asst_")


def test_db_and_store_together_are_refused(db: Path) -> None:
    other = SQLiteStore(db.with_name("other.sqlite"))
    try:
        with pytest.raises(TypeError, match="db or store"):
            LocalServer(db=db, store=other)
    finally:
        other.close()


def test_a_port_in_use_releases_the_file(db: Path) -> None:
    with LocalServer() as busy:
        with pytest.raises(OSError):
            LocalServer(port=busy.port, db=db)
        with LocalServer(db=db) as server:  # the failed server did not keep the file's lock
            assert server.store.new_id("asst").startswith("asst_")


# ------------------------------------------------------------------ a user's suite


@pytest.mark.parametrize(
    "suite", ["test_a_whole_suite_with_the_sync_sdk", "test_a_whole_suite_with_the_async_sdk"]
)
def test_a_users_whole_suite_runs_on_the_durable_store(db: Path, suite: str) -> None:
    """The official SDK in strict mode, the user's suite of test_user_suite, on a db-backed server."""
    from ..conftest import skip_unless_spec
    from . import test_user_suite

    pytest.importorskip("openai", reason="the dev extra installs openai")
    skip_unless_spec("response:truncation_strategy")
    import warnings

    with warnings.catch_warnings(), LocalServer(db=db) as server:
        warnings.simplefilter("ignore", DeprecationWarning)
        getattr(test_user_suite, suite)(server)
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] > 0  # it ran on the file


def test_idempotency_keys_are_forgotten_after_their_time(db: Path) -> None:
    store = SQLiteStore(db, idempotency_ttl=3600)
    try:
        seen = Seen("POST", "/v1/threads/thread_1/runs", {}, b'{"assistant_id": "asst_1"}')
        for key in (b"old", b"new"):
            store.keys.remember(key, seen, f"run_{key.decode()}")
        store._conn.execute(
            "UPDATE idempotency_keys SET created_at = created_at - 3601 WHERE key = ?", (b"old",)
        )
        assert store.keys.lookup(b"old", seen) == (False, None)  # past its time: unknown
        assert store.keys.lookup(b"new", seen) == (True, "run_new")
        store.keys._forget_old(store._conn, time.time())  # type: ignore[attr-defined]
        assert store.count("key") == 1
    finally:
        store.close()


def test_a_lost_response_is_durable_all_the_same(db: Path) -> None:
    """``Fault("drop_response")``: the request is carried out and committed, its answer never sent."""
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        server.inject(Fault("drop_response"))
        with pytest.raises(httpx.TransportError):
            http.post("/assistants", json={"model": "gpt-4o", "name": "Lost"})
        # Committed before the connection closed (a kill -9 now would keep it).
        assert not server.store._conn.in_transaction  # type: ignore[attr-defined]
        assert server.store.count("assistant") == 1  # type: ignore[attr-defined]


class _FailingCommits:
    """The store's connection, whose commits fail as on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def commit(self) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_a_commit_that_fails_sends_no_answer(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        made = ok(http.post("/assistants", json={"model": "gpt-4o"}))
        real = server.store._conn  # type: ignore[attr-defined]
        server.store._conn = _FailingCommits(real)  # type: ignore[attr-defined]
        with pytest.raises(httpx.TransportError):
            http.post("/assistants", json={"model": "gpt-4o", "name": "Not kept"})
        # From then on nothing is answered, not even a read: the store cannot keep its word.
        with pytest.raises(httpx.TransportError):
            http.get(f"/assistants/{made['id']}")
        server.store._conn = real  # type: ignore[attr-defined]
    assert "the store could not commit" in caplog.text and "disk is full" in caplog.text
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM assistants").fetchone() == (1,)  # rolled back


def test_a_server_in_memory_never_imports_sqlite3() -> None:
    code = (
        "import sys; from oaii.server import LocalServer; LocalServer().stop(); "
        "print('sqlite3' in sys.modules); from oaii.server import SQLiteStore; print(SQLiteStore.__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "SQLiteStore"], done.stderr


def test_synchronous_full_is_taken_and_anything_else_refused(db: Path) -> None:
    with pytest.raises(ValueError, match="synchronous must be 'NORMAL' or 'FULL'"):
        SQLiteStore(db, synchronous="OFF")
    store = SQLiteStore(db, synchronous="full")
    try:
        assert store._conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        store.close()
    with LocalServer(store=SQLiteStore(db)) as server:
        assert server.store._conn.execute("PRAGMA synchronous").fetchone() == (1,)  # type: ignore[attr-defined]


def test_idempotency_keys_keep_their_bearer_scope_across_a_restart(db: Path) -> None:
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        assistant = ok(http.post("/assistants", json={"model": "gpt-4o"}))
        thread = ok(http.post("/threads", json={}))
        path, body = f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"]}
        first = ok(http.post(path, json=body, headers={"Idempotency-Key": "k-scoped"}))
        while first["status"] != "completed":  # finished, so that another run may start
            first = ok(http.get(f"{path}/{first['id']}"))
    with LocalServer(db=db) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        replay = http.post(path, json=body, headers={"Idempotency-Key": "k-scoped"})
        assert ok(replay)["id"] == first["id"] and replay.headers["idempotent-replayed"] == "true"
        other = http.post(
            path, json=body, headers={"Idempotency-Key": "k-scoped", "Authorization": "Bearer sk-b"}
        )
        assert ok(other)["id"] != first["id"] and "idempotent-replayed" not in other.headers
