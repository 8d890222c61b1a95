"""The durable store: everything the server serves, kept in one SQLite file.

``LocalServer(db="oaii.sqlite")``, ``oaii server --db oaii.sqlite``.  It keeps the
contract of ``_store.Store`` (see that module's docstring); how, and what PostgreSQL
would take in its place, is in docs/store.md.  In short:

- **One table per kind** (assistants, threads, messages, runs, steps, idempotency keys),
  each object as the JSON text the API sends, with the columns the store looks things up
  by beside it.  ``seq`` (the row id) is the object's place in the order ids were made, read
  from its id (see ``_position``): lists page by it, and a deleted object's id still names
  its place (``_paging``).
- **Copies both ways**: ``get``/``run`` parse a fresh object from the row; a change reaches
  the file only through ``save``/``save_run`` (a change made without them is lost at the
  next read, as it would be after a restart: the tests see it).
- **Transactions**: the first write after a commit opens one; ``commit()`` (called by the
  HTTP layer before any answer leaves) ends it.  WAL mode with ``synchronous=NORMAL``: a
  committed transaction is in the file's log once ``commit()`` returns, so ``kill -9``
  loses nothing answered (a power cut may lose the last ones: ``synchronous="FULL"``).
- **One server per file**: the connection holds SQLite's exclusive lock from the moment
  it opens (``locking_mode=EXCLUSIVE``), so a second server on the same file, or any other
  program, is refused at once ("in use") instead of sharing state it could corrupt.
  Threads of this process share the one connection behind a lock.
- **Ids are never given twice**: each opening draws letters no earlier opening of the file
  drew (kept in ``id_letters``, whose row number is the opening's ordinal), then counts.
  An id's place is ``ordinal << 40 | count``: later openings' ids come after earlier ones'.
- **A schema version** in ``PRAGMA user_version`` (and ``application_id`` = "oaii"): a file
  of another version, or another program's database, is refused with a clear error.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from ._idempotency import Seen
from ._json import dumps_text
from ._paging import COUNT_BITS, Position, count_of
from ._runs import ACTIVE_STATUSES, RUN_OVERHEAD, Run, expire, lifetime, queued_run, run_json
from ._store import Keys, Kind, Page, StoreError

SCHEMA_VERSION = 2  # 2: seq is the place read from the id (1: the row number; upgraded in place)
APPLICATION_ID = 0x6F616969  # "oaii": this file is an oaii store
#: Request bodies kept as sent for an Idempotency-Key up to this size; a larger one is kept
#: as the digest of its canonical JSON (``Seen.digest``).
MAX_KEPT_BODY = 1 << 20

_SCHEMA = """
CREATE TABLE id_letters (letters TEXT PRIMARY KEY, opened_at REAL NOT NULL);
CREATE TABLE assistants (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE threads (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL, run_id TEXT,
    data TEXT NOT NULL
);
CREATE INDEX messages_by_thread ON messages (thread_id, seq);
CREATE TABLE runs (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, thread_id TEXT NOT NULL,
    status TEXT NOT NULL, deadline REAL NOT NULL, tool_step_id TEXT, data TEXT NOT NULL
);
CREATE INDEX runs_by_thread ON runs (thread_id, seq);
CREATE TABLE steps (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, run_id TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX steps_by_run ON steps (run_id, seq);
CREATE TABLE idempotency_keys (
    key BLOB PRIMARY KEY, method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL,
    body BLOB, digest BLOB, run_id TEXT NOT NULL, answer TEXT, created_at REAL NOT NULL
);
"""

# kind -> (table, the column naming its parent or None)
_TABLES: dict[str, tuple[str, str | None]] = {
    "assistant": ("assistants", None),
    "thread": ("threads", None),
    "message": ("messages", "thread_id"),
    "step": ("steps", "run_id"),
}
# table -> the prefix of its ids
_PREFIXES = {"assistants": "asst", "threads": "thread", "messages": "msg", "runs": "run", "steps": "step"}


class SQLiteStore:
    """The durable store (see the module's docstring).

    ``path``: the file (made if missing; its directory must exist).  ``run_expiry``: seconds
    before an unfinished run is ``expired``; ``idempotency_ttl``: seconds a key is kept.
    ``synchronous``: SQLite's ``PRAGMA synchronous``, ``"NORMAL"`` (survives the process's
    death) or ``"FULL"`` (survives the machine's, at an fsync per commit).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        run_expiry: float = 600.0,
        idempotency_ttl: float = 24 * 3600.0,
        synchronous: str = "NORMAL",
    ) -> None:
        if synchronous.upper() not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be 'NORMAL' or 'FULL', got {synchronous!r}")
        self.path = os.fspath(path)
        self.expiry = run_expiry
        self.lifetime = lifetime(run_expiry)
        self._lock = threading.RLock()
        self._conn = _open(self.path, synchronous.upper())
        self._closed = False
        self._failed: StoreError | None = None
        try:
            self._letters, self._ordinal = self._draw_letters()
            # Every opening's letters and ordinal: one row per opening, read once.
            self._ordinals: dict[str, int] = dict(
                self._conn.execute("SELECT letters, rowid FROM id_letters").fetchall()
            )
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"cannot write the store {self.path!r}: {exc}") from None
        self._count = 0
        self.keys: Keys = SQLiteKeys(self, idempotency_ttl)

    # ------------------------------------------------------------------ the file

    def _draw_letters(self) -> tuple[str, int]:
        """Letters no opening of the file drew before, and their row number (the ordinal)."""
        drawn = _new_letters(self._conn)
        self._conn.commit()  # before any id is given: a restart never draws them again
        return drawn

    def new_id(self, prefix: str) -> str:
        self._count += 1  # the event loop's thread only (the one writer)
        if self._count >= 1 << COUNT_BITS:  # (a year of ids at 30,000 a second): new letters
            with self._lock:
                self._letters, self._ordinal = self._draw_letters()
                self._ordinals[self._letters] = self._ordinal
            self._count = 1
        return f"{prefix}_{self._letters}{self._count}"

    def _seq(self, obj_id: str, prefix: str) -> int:
        """The place of a new object: the one its id names (any opening's, as ``_position``
        reads it: an id made before a restart, deleted, then named again under
        ``create_missing``, goes back to its place), or (an id a client chose:
        ``create_missing``'s assistants) a count drawn now, as the next id's would be."""
        place = _named_place(obj_id, f"{prefix}_", self._ordinals)
        if place is None:
            self.new_id(prefix)
            place = self._ordinal << COUNT_BITS | self._count
        return place

    def _position(self, table: str) -> Position:
        """The place of an id in ``table``'s order (see ``_paging``): read from an id of this
        file's making (any opening's letters), looked up for a client's id that is stored."""
        head = f"{_PREFIXES[table]}_"
        conn = self._conn
        ordinals = self._ordinals

        def position(obj_id: str) -> int | None:
            place = _named_place(obj_id, head, ordinals)
            if place is not None:
                return place
            row = conn.execute(f"SELECT seq FROM {table} WHERE id = ?", (obj_id,)).fetchone()  # noqa: S608
            return int(row[0]) if row is not None else None

        return position

    def commit(self) -> None:
        """Commit, or raise ``StoreError``: then, and from then on (the file could not be
        written, and the answers waiting on it would claim what it does not hold), every
        commit raises, so that no answer leaves until the server is restarted."""
        conn = self._conn
        if conn.in_transaction:
            with self._lock:
                try:
                    conn.commit()
                except sqlite3.Error as exc:
                    with suppress(sqlite3.Error):
                        conn.rollback()
                    self._failed = StoreError(f"cannot write the store {self.path!r}: {exc}")
        if self._failed is not None:
            raise self._failed

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self._failed is None:
                    self._conn.commit()
            finally:
                self._conn.close()

    @contextmanager
    def _locked(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    # ------------------------------------------------- assistants, threads, messages, steps

    def add(self, kind: Kind, obj: dict[str, Any], size: int = 0) -> None:
        data = dumps_text(obj)
        table = _TABLES[kind][0]
        with self._lock:
            conn = self._conn
            seq = self._seq(obj["id"], _PREFIXES[table])
            if kind == "message":
                conn.execute(
                    "INSERT INTO messages (seq, id, thread_id, run_id, data) VALUES (?, ?, ?, ?, ?)",
                    (seq, obj["id"], obj["thread_id"], obj.get("run_id"), data),
                )
            elif kind == "step":
                conn.execute(
                    "INSERT INTO steps (seq, id, run_id, data) VALUES (?, ?, ?, ?)",
                    (seq, obj["id"], obj["run_id"], data),
                )
            else:
                conn.execute(f"INSERT INTO {table} (seq, id, data) VALUES (?, ?, ?)", (seq, obj["id"], data))  # noqa: S608 (a table name of ours)

    def get(self, kind: Kind, obj_id: str, parent: str | None = None) -> dict[str, Any] | None:
        table, parent_column = _TABLES[kind]
        with self._lock:
            if parent is not None and parent_column is not None:
                row = self._conn.execute(
                    f"SELECT data FROM {table} WHERE id = ? AND {parent_column} = ?",  # noqa: S608
                    (obj_id, parent),
                ).fetchone()
            else:
                row = self._conn.execute(f"SELECT data FROM {table} WHERE id = ?", (obj_id,)).fetchone()  # noqa: S608
        return json.loads(row[0]) if row is not None else None

    def save(self, kind: Kind, obj: dict[str, Any]) -> None:
        table = _TABLES[kind][0]
        data = dumps_text(obj)
        with self._lock:
            self._conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (data, obj["id"]))  # noqa: S608

    def delete(self, kind: Kind, obj_id: str, parent: str | None = None) -> bool:
        table, parent_column = _TABLES[kind]
        with self._lock:
            conn = self._conn
            if parent is not None and parent_column is not None:
                gone = conn.execute(
                    f"DELETE FROM {table} WHERE id = ? AND {parent_column} = ?",  # noqa: S608
                    (obj_id, parent),
                ).rowcount
            else:
                gone = conn.execute(f"DELETE FROM {table} WHERE id = ?", (obj_id,)).rowcount  # noqa: S608
            if kind == "thread":  # its contents go even when it is not stored (create_missing's)
                conn.execute("DELETE FROM messages WHERE thread_id = ?", (obj_id,))
                conn.execute(
                    "DELETE FROM steps WHERE run_id IN (SELECT id FROM runs WHERE thread_id = ?)", (obj_id,)
                )
                conn.execute("DELETE FROM runs WHERE thread_id = ?", (obj_id,))
        return bool(gone)

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
        table, parent_column = _TABLES[kind]
        where, args = [], []
        if parent_column is not None:
            where.append(f"{parent_column} = ?")
            args.append(parent)
        if run_id is not None and kind == "message":
            where.append("run_id = ?")
            args.append(run_id)
        with self._lock:
            rows, more = _page(
                self._conn, table, where, args, limit, order, after, before, self._position(table)
            )
        return [json.loads(data) for _seq, data in rows], more

    # ------------------------------------------------------------------------ runs

    def create_run(
        self, thread_id: str, body: dict[str, Any], body_size: int, assistant: dict[str, Any]
    ) -> tuple[Run, str | None]:
        run_id = self.new_id("run")
        now = time.time()
        created_at = int(now)
        expires_at = created_at + self.lifetime
        text = run_json(run_id, thread_id, body, created_at, expires_at, assistant)
        data = (
            text
            if text is not None
            else dumps_text(queued_run(run_id, thread_id, body, created_at, expires_at, assistant))
        )
        with self._lock:
            self._conn.execute(
                "INSERT INTO runs (seq, id, thread_id, status, deadline, data) "
                "VALUES (?, ?, ?, 'queued', ?, ?)",
                (self._ordinal << COUNT_BITS | self._count, run_id, thread_id, now + self.expiry, data),
            )
        # Its dict is made only if something reads it (as in memory), from what made the text.
        run = Run(
            run_id,
            thread_id,
            (body, created_at, expires_at, assistant),
            time.monotonic() + self.expiry,
            body_size + RUN_OVERHEAD,
        )
        return run, text

    def run(self, thread_id: str, run_id: str) -> Run | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT deadline, tool_step_id, data FROM runs WHERE id = ? AND thread_id = ?",
                (run_id, thread_id),
            ).fetchone()
            return self._loaded(row) if row is not None else None

    def _loaded(self, row: tuple[float, str | None, str]) -> Run:
        """A run from its row; one past its deadline expires, and is saved so."""
        deadline, tool_step_id, text = row
        tool_step = self.get("step", tool_step_id) if tool_step_id is not None else None
        run = Run.stored(json.loads(text), time.monotonic() + (deadline - time.time()), tool_step)
        if run.status in ACTIVE_STATUSES and expire(run):
            self.save_run(run)
            if tool_step is not None and tool_step["status"] == "expired":
                self.save("step", tool_step)
        return run

    def save_run(self, run: Run) -> None:
        data = run.data
        tool_step = run.tool_step
        with self._lock:
            self._conn.execute(
                "UPDATE runs SET status = ?, tool_step_id = ?, data = ? WHERE id = ?",
                (
                    data["status"],
                    tool_step["id"] if tool_step is not None else None,
                    dumps_text(data),
                    run.id,
                ),
            )

    def active_run(self, thread_id: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, status, deadline FROM runs WHERE thread_id = ? ORDER BY seq DESC LIMIT 1",
                (thread_id,),
            ).fetchone()
            if row is None or row[1] not in ACTIVE_STATUSES:
                return None
            if time.time() >= row[2]:  # past its deadline: it expires now
                run = self.run(thread_id, row[0])
                return row[0] if run is not None and run.status in ACTIVE_STATUSES else None
            return str(row[0])

    def list_runs(
        self, thread_id: str, limit: int, order: str, after: str | None, before: str | None
    ) -> Page:
        with self._lock:
            rows, more = _page(
                self._conn,
                "runs",
                ["thread_id = ?"],
                [thread_id],
                limit,
                order,
                after,
                before,
                self._position("runs"),
            )
            out = []
            for seq, _data in rows:
                found = self._conn.execute(
                    "SELECT deadline, tool_step_id, data FROM runs WHERE seq = ?", (seq,)
                ).fetchone()
                out.append(self._loaded(found).data)
        return out, more

    # ------------------------------------------------------------------ for tests

    def count(self, kind: str) -> int:
        """How many objects of ``kind`` ("assistant", ..., "run", "key") the file holds."""
        table = {"run": "runs", "key": "idempotency_keys"}.get(kind) or _TABLES[kind][0]
        with self._lock:
            return int(self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _page(
    conn: sqlite3.Connection,
    table: str,
    where: list[str],
    args: list[Any],
    limit: int,
    order: str,
    after: str | None,
    before: str | None,
    seq_of: Position,
) -> tuple[list[tuple[int, str]], bool]:
    """(seq, data) rows of one page, as ``_paging.page_of`` pages a list of ids: a cursor is
    the place ``seq_of`` reads from it; ``after`` an id naming no place gives an empty page,
    ``before`` such an id is ignored."""
    ascending = order == "asc"
    after_seq = seq_of(after) if after is not None else None
    if after is not None and after_seq is None:
        return [], False
    before_seq = seq_of(before) if before is not None else None
    conditions, values = list(where), list(args)
    if after_seq is not None:
        conditions.append("seq > ?" if ascending else "seq < ?")
        values.append(after_seq)
    if before_seq is not None:
        conditions.append("seq < ?" if ascending else "seq > ?")
        values.append(before_seq)
    # Only ``before``: the page just before it (the rows nearest to it), read backwards.
    backwards = before_seq is not None and after_seq is None
    direction = "ASC" if ascending != backwards else "DESC"
    rows = conn.execute(
        f"SELECT seq, data FROM {table} WHERE {' AND '.join(conditions) or '1'} "  # noqa: S608
        f"ORDER BY seq {direction} LIMIT ?",
        (*values, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    return (rows[::-1] if backwards else rows), more


class SQLiteKeys:
    """Idempotency keys in the store's file (``_idempotency.IdempotencyKeys`` is the memory
    one): kept ``ttl`` seconds from their first use, then forgotten."""

    def __init__(self, store: SQLiteStore, ttl: float) -> None:
        self.store = store
        self.ttl = ttl
        self._remembered = 0

    def lookup(self, key: bytes, request: Seen) -> tuple[bool, str | None]:
        store = self.store
        with store._locked() as conn:
            row = conn.execute(
                "SELECT method, path, query, body, digest, run_id, created_at "
                "FROM idempotency_keys WHERE key = ?",
                (key,),
            ).fetchone()
        if row is None or row[6] < time.time() - self.ttl:
            return False, None
        method, path, query, body, digest, run_id, _at = row
        if method != request.method or path != request.path or query != request.query:
            return True, None
        if body is not None:
            if body == request.raw:
                return True, run_id
            digest = Seen(method, path, {}, body).digest()
        return True, run_id if digest == request.digest() else None

    def remember(self, key: bytes, request: Seen, run_id: str, answer: str | None = None) -> None:
        raw = request.raw
        body, digest = (
            (raw, None) if raw is not None and len(raw) <= MAX_KEPT_BODY else (None, request.digest())
        )
        now = time.time()
        with self.store._locked() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, request.method, request.path, request.query, body, digest, run_id, answer, now),
            )
            self._remembered += 1
            if self._remembered % 1000 == 0:
                self._forget_old(conn, now)

    def _forget_old(self, conn: sqlite3.Connection, now: float) -> None:
        """Now and then, the keys past their time go.  Rows are added oldest first, so the
        first row still in its time bounds them: a walk over the old rows only (no index
        by age to keep up on every createRun)."""
        row = conn.execute(
            "SELECT rowid FROM idempotency_keys WHERE created_at >= ? ORDER BY rowid LIMIT 1",
            (now - self.ttl,),
        ).fetchone()
        if row is None:
            conn.execute("DELETE FROM idempotency_keys")
        else:
            conn.execute("DELETE FROM idempotency_keys WHERE rowid < ?", (row[0],))

    def answer(self, key: bytes) -> str | None:
        with self.store._locked() as conn:
            row = conn.execute("SELECT answer FROM idempotency_keys WHERE key = ?", (key,)).fetchone()
        return row[0] if row is not None else None

    def __len__(self) -> int:
        return self.store.count("key")


def _named_place(obj_id: str, head: str, ordinals: dict[str, int]) -> int | None:
    """The place an id of this file's making names (``head``: its prefix and ``_``, then an
    opening's letters and a count: ``ordinal << 40 | count``), else None."""
    if not obj_id.startswith(head):
        return None
    end = len(head) + 8
    ordinal = ordinals.get(obj_id[len(head) : end])
    count = count_of(obj_id, obj_id[:end]) if ordinal is not None else None
    return ordinal << COUNT_BITS | count if count is not None and ordinal is not None else None


def _new_letters(conn: sqlite3.Connection) -> tuple[str, int]:
    """Letters no opening of the file drew before, recorded (not committed), and their row
    number (the opening's ordinal)."""
    while True:  # 2**32 letters: a second draw is rare, a third rarer still
        letters = os.urandom(4).hex()
        cursor = conn.execute("INSERT OR IGNORE INTO id_letters VALUES (?, ?)", (letters, time.time()))
        if cursor.rowcount:
            return letters, int(cursor.lastrowid or 0)


def _upgrade_from_1(conn: sqlite3.Connection) -> None:
    """A version 1 file, whose ``seq`` was the row number, to version 2's places read from the
    ids (in one transaction).  Rows of ids a client chose (``create_missing``'s assistants)
    take places of a new opening's, after every other row, in the order they had."""
    ordinals = dict(conn.execute("SELECT letters, rowid FROM id_letters").fetchall())
    conn.execute("BEGIN")
    chosen_ordinal: int | None = None
    chosen = 0
    for table, prefix in _PREFIXES.items():
        for seq, obj_id in conn.execute(f"SELECT seq, id FROM {table} ORDER BY seq").fetchall():  # noqa: S608
            place = _named_place(obj_id, f"{prefix}_", ordinals)
            if place is None:
                if chosen_ordinal is None:
                    chosen_ordinal = _new_letters(conn)[1]
                chosen += 1
                place = chosen_ordinal << COUNT_BITS | chosen
            # Places are >= 2**40, row numbers of version 1 below: no place meets an old seq.
            conn.execute(f"UPDATE {table} SET seq = ? WHERE seq = ?", (place, seq))  # noqa: S608
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")


def _open(path: str, synchronous: str) -> sqlite3.Connection:
    """The connection, holding the file's exclusive lock, its schema made or checked."""
    if path != ":memory:":
        place = Path(path)
        if place.is_dir():
            raise StoreError(f"cannot open the store {path!r}: it is a directory")
        if not place.parent.is_dir():
            raise StoreError(f"cannot open the store {path!r}: no directory {str(place.parent)!r}")
    try:
        # A short busy timeout: a file another server holds is refused at once, not waited for.
        conn = sqlite3.connect(path, timeout=0.5, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the store {path!r}: {exc}") from None
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal" and path != ":memory:":
            raise StoreError(f"cannot open the store {path!r}: SQLite refused WAL mode ({mode})")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        app, version = (
            conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version")
        )
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app == 0 and version == 0 and tables == 0:  # a new file: ours from now on
            conn.executescript(
                f"BEGIN; {_SCHEMA} PRAGMA application_id = {APPLICATION_ID}; "
                f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        elif app != APPLICATION_ID:
            raise StoreError(f"cannot use {path!r} as a store: it is a database of another program")
        elif version == 1:
            _upgrade_from_1(conn)
        elif version != SCHEMA_VERSION:
            raise StoreError(
                f"cannot use the store {path!r}: its schema is version {version}, this oaii reads "
                f"version {SCHEMA_VERSION} (use a new file, or the oaii that made it)"
            )
    except sqlite3.Error as exc:
        conn.close()
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreError(
                f"cannot open the store {path!r}: another server (or program) has it open; "
                "a store serves one server at a time"
            ) from None
        raise StoreError(f"cannot open the store {path!r}: {text}") from None
    except StoreError:
        conn.close()
        raise
    return conn
