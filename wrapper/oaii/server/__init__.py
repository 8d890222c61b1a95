"""A local Assistants-compatible server: runs over loopback, for demos and tests.

    from oaii.server import Fault, LocalServer
    with LocalServer(create_missing=True) as server:  # 127.0.0.1, a free port; ready once constructed
        run = runs_create_run_request("thread_1", "asst_1", base_url=server.url, api_key="sk-test")
        assert server.requests[-1].json() == {"assistant_id": "asst_1"}
        server.inject(Fault(status=503))             # the next request meets a fault

It serves assistants, threads, messages, runs and run steps as the hosted API did
(see docs/server-api.md): an id it did not make is a 404, unless
``create_missing=True``, where any well-formed thread or assistant id names an
empty thread or a default assistant.  It checks bodies against
its own copy of the spec, honours ``Idempotency-Key``, and speaks HTTP/1.1
(parsed by llhttp, through httptools) on an asyncio loop in a background thread.  It shares nothing with
the client package but the spec.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NoReturn

from . import _extra  # noqa: F401  (first: checks for the `server` extra, or says how to install it)
from ._api import Api
from ._executor import Executor, ScriptedExecutor
from ._http import Connection, Limits, Outbox, RequestIds, sweep
from ._model import ModelConfig, secret
from ._model_executor import ModelExecutor
from ._records import Fault, FaultQueue, RecordedRequest, Recorder
from ._runs import REPLY_TEXT, new_run
from ._store import Keys, MemoryStore, Store, StoreError

if TYPE_CHECKING:
    from ._sqlite import SQLiteStore

__all__ = [
    "REPLY_TEXT",
    "Fault",
    "LocalServer",
    "RecordedRequest",
    "SQLiteStore",
    "StoreError",
    "main",
    "new_run",
]


def __getattr__(name: str) -> object:
    # ``SQLiteStore`` is imported (with sqlite3) only when asked for: a server in memory never is.
    if name == "SQLiteStore":
        from ._sqlite import SQLiteStore

        return SQLiteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class LocalServer:
    """The server.  The socket is bound (clients can connect) once constructed;
    ``start()`` or ``with`` serves it from a background thread.

    Options (all keyword-only but ``host``/``port``):
      ``api_key``            accept only this key (default: any non-empty bearer key)
      ``create_missing``     any well-formed ``thread_...``/``asst_...`` id names an empty thread
                             or a default assistant, made on first use (default: a 404, as the API)
      ``db``                 a SQLite file to keep everything in, durably, across restarts
                             (see docs/store.md); default: this process's memory, bounded
      ``store``              where objects are kept (default: a ``MemoryStore`` with the bounds below)
      ``executor``           how runs are carried out: a callable taking the store and returning
                             an ``Executor`` (default: ``ScriptedExecutor``)
      ``model_base_url``     carry out runs on this Chat Completions endpoint instead (e.g.
                             ``http://localhost:11434/v1`` for Ollama): see docs/hosted-api.md
      ``model_api_key``      its key (default: ``OAII_MODEL_API_KEY``; none is sent without one)
      ``model_map``          a run's model -> the backend's (``"*"``: any other), e.g. {"gpt-4o": "llama3.1"}
      ``model_timeout``      seconds a run waits for the backend without progress before it fails (10)
      ``poll_after_ms``      the ``openai-poll-after-ms`` header on runs
      ``idempotency``        honour ``Idempotency-Key`` (False: ignore it, as some servers do)
      ``run_expiry``         seconds before an unfinished run is ``expired`` (600, as the API)
      ``max_runs``, ``max_run_bytes``   runs (and the bytes of the bodies they came from)
                             kept before the oldest finished ones are evicted
      ``max_objects``        assistants, threads and messages kept (each kind), oldest evicted
      ``max_idempotency_keys``, ``idempotency_ttl``   how many keys, for how long
      ``max_recorded``, ``max_recorded_bytes``        bounds of ``.requests``
      ``max_connections``, ``max_header_bytes``, ``max_body_bytes``, ``idle_timeout``, ``read_timeout``
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str | None = None,
        create_missing: bool = False,
        db: str | os.PathLike[str] | None = None,
        store: Store | None = None,
        executor: Callable[[Store], Executor] | None = None,
        model_base_url: str | None = None,
        model_api_key: str | None = None,
        model_map: Mapping[str, str] | None = None,
        model_timeout: float = 10.0,
        poll_after_ms: int = 10,
        idempotency: bool = True,
        run_expiry: float = 600.0,
        max_runs: int = 10_000,
        max_run_bytes: int = 16 * 2**20,
        max_objects: int = 10_000,
        max_idempotency_keys: int = 10_000,
        idempotency_ttl: float = 24 * 3600.0,
        max_recorded: int = 10_000,
        max_recorded_bytes: int = 16 * 2**20,
        max_connections: int = 1024,
        max_header_bytes: int = 16 * 1024,
        max_body_bytes: int = 4 * 2**20,
        idle_timeout: float = 60.0,
        read_timeout: float = 30.0,
    ) -> None:
        # At once: no frame's locals (nor the server's repr) hold either key itself.
        model_api_key, api_key = secret(model_api_key), secret(api_key)
        self.api_key = api_key
        self.poll_after_ms = poll_after_ms
        self.tasks: set[asyncio.Task[None]] = set()
        self.model: ModelConfig | None = None
        if model_base_url is not None:  # checked before a socket or a file is opened
            if executor is not None:
                raise ValueError("pass either executor or model_base_url, not both")
            if model_api_key is None:
                model_api_key = secret(os.environ.get("OAII_MODEL_API_KEY") or None)
            self.model = ModelConfig(
                model_base_url, model_api_key, dict(model_map or {}), timeout=model_timeout
            )
        if db is not None:
            if store is not None:
                raise TypeError("LocalServer takes db or store, not both")
            from ._sqlite import SQLiteStore  # sqlite3 is imported only for a durable store

            store = SQLiteStore(db, run_expiry=run_expiry, idempotency_ttl=idempotency_ttl)
        elif store is None:
            store = MemoryStore(
                max_runs=max_runs,
                run_expiry=run_expiry,
                max_run_bytes=max_run_bytes,
                max_objects=max_objects,
                max_idempotency_keys=max_idempotency_keys,
                idempotency_ttl=idempotency_ttl,
            )
        self.store: Store = store
        try:
            self._bind(host, port)
        except OSError:
            if db is not None:
                store.close()  # the file's lock goes with the failed server
            raise
        if self.model is not None:
            self.executor: Executor = ModelExecutor(store, self.model, self.tasks)
        else:
            self.executor = (executor or ScriptedExecutor)(store)
        self.api = Api(
            api_key=api_key,
            poll_after_ms=poll_after_ms,
            store=store,
            executor=self.executor,
            idempotency=idempotency,
            create_missing=create_missing,
        )
        self.limits = Limits(
            max_connections=max_connections,
            max_header_bytes=max_header_bytes,
            max_body_bytes=max_body_bytes,
            idle_timeout=idle_timeout,
            read_timeout=read_timeout,
        )
        self.recorder = Recorder(max_recorded, max_recorded_bytes)
        self.request_ids = RequestIds()
        self.faults = FaultQueue()
        self.connections: set[Connection] = set()
        self.outbox: Outbox  # made with the loop, in _serve
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._ready = threading.Event()

    def _bind(self, host: str, port: int) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind((host, port))
            self._sock.listen(1024)
        except OSError:
            self._sock.close()
            raise
        self._sock.setblocking(False)
        self._address: tuple[str, int] = self._sock.getsockname()[:2]  # still known once stopped

    # ------------------------------------------------------------------ facts

    @property
    def port(self) -> int:
        return int(self._address[1])

    @property
    def idempotency_keys(self) -> Keys:
        """The store's ``Idempotency-Key`` entries."""
        return self.store.keys

    @property
    def url(self) -> str:
        """The base URL to pass as ``base_url`` (ends in ``/v1``)."""
        host = self._address[0]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received, oldest first (bounded by count and bytes): a snapshot,
        safe to iterate while the server's thread records more."""
        return self.recorder.snapshot()

    def inject(self, *faults: Fault) -> None:
        """The next API requests, one each, meet these faults in order."""
        for index, fault in enumerate(faults):
            if not isinstance(fault, Fault):
                raise TypeError(f"inject() takes Fault objects; faults[{index}] is a {type(fault).__name__}")
        self.faults.extend(faults)

    def next_fault(self) -> Fault | None:
        """Take the next pending fault off the queue (None when there is none)."""
        return self.faults.pop()

    # -------------------------------------------------------------- lifecycle

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._stopped = asyncio.Event()
        self.outbox = Outbox(loop)
        server = await loop.create_server(lambda: Connection(self), sock=self._sock, backlog=1024)
        interval = max(0.01, min(1.0, self.limits.idle_timeout / 4, self.limits.read_timeout / 4))
        sweeper = loop.create_task(sweep(self, interval))
        self._ready.set()
        try:
            await self._stopped.wait()
        finally:
            sweeper.cancel()
            server.close()
            for conn in list(self.connections):
                if conn.transport is not None:
                    conn.transport.abort()
            for task in list(self.tasks):
                task.cancel()
            await asyncio.gather(sweeper, *self.tasks, return_exceptions=True)
            if isinstance(self.executor, ModelExecutor):
                await self.executor.aclose()  # the backend's connections, on this loop
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1)

    def start(self) -> LocalServer:
        """Serve from a background thread (once; calling it again does nothing)."""
        if self._closed:
            raise RuntimeError("this LocalServer was stopped (its socket is closed): make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=asyncio.run, args=(self._serve(),), name="oaii-local-server", daemon=True
            )
            self._thread.start()
            self._ready.wait(10)
        return self

    def serve_forever(self) -> None:
        """Serve from this thread until ``stop()`` (from another thread) or Ctrl-C."""
        asyncio.run(self._serve())

    def stop(self) -> None:
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._closed = True
        self._sock.close()
        self.store.close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        if not hasattr(self, "_address"):  # a half-made server (its __init__ raised): tracebacks show it
            return "LocalServer(<not bound>)"
        return f"LocalServer({self.url!r})"


class _Parser(argparse.ArgumentParser):
    """argparse reporting in the CLI's form, ``oaii: error: ...`` on one line after the usage, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"oaii: error: {message.encode('ascii', 'backslashreplace').decode()}\n")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text[:20]!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text[:20]!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """``oaii server`` and ``python -m oaii.server`` (one parser: the CLI hands its arguments here)."""
    parser = _Parser(prog="oaii server", description="Run the local Assistants-compatible server.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8765, help="port (0 picks a free one; default 8765)")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any non-empty key)")
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="any well-formed thread_/asst_ id names an empty thread or a default assistant (default: 404)",
    )
    parser.add_argument(
        "--db", default=None, metavar="PATH", help="keep everything in this SQLite file (default: memory)"
    )
    parser.add_argument("--max-runs", type=int, default=10_000, help="finished runs kept (default 10000)")
    parser.add_argument("--run-expiry", type=float, default=600.0, help="seconds before a run expires")
    parser.add_argument(
        "--model-base-url",
        metavar="URL",
        default=None,
        help="carry out runs on this Chat Completions endpoint (e.g. http://localhost:11434/v1); "
        "its key is read from OAII_MODEL_API_KEY (default: scripted runs)",
    )
    parser.add_argument(
        "--model-map",
        metavar="NAME=MODEL",
        action="append",
        default=[],
        help="send runs for model NAME to the backend's MODEL (repeatable; NAME * maps any other)",
    )
    parser.add_argument(
        "--model-timeout",
        metavar="SECONDS",
        type=float,
        default=10.0,
        help="seconds a run waits for the backend without progress before it fails (default 10)",
    )
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        parser.error("the local server binds loopback only (127.0.0.1 or ::1)")
    model_map: dict[str, str] = {}
    for pair in args.model_map:
        name, _, model = pair.partition("=")
        if not name.strip() or not model.strip():
            parser.error(f"--model-map takes NAME=MODEL, e.g. gpt-4o=llama3.1 (got {pair[:100]!r})")
        model_map[name.strip()] = model.strip()
    if (model_map or args.model_timeout != 10.0) and args.model_base_url is None:
        parser.error("--model-map and --model-timeout need --model-base-url")
    try:
        server = LocalServer(
            args.host,
            args.port,
            api_key=args.api_key,
            create_missing=args.create_missing,
            max_runs=args.max_runs,
            run_expiry=args.run_expiry,
            db=args.db,
            model_base_url=args.model_base_url,
            model_map=model_map,
            model_timeout=args.model_timeout,
        )
    except (StoreError, ValueError) as exc:  # a db that can't be used; a model setting (never quotes the key)
        print(f"oaii: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # The CLI's form for every failure: one line, exit 2, no usage text or traceback.
        reason = exc.strerror or exc
        print(f"oaii: error: cannot listen on {args.host} port {args.port}: {reason}", file=sys.stderr)
        return 2
    print(f"oaii local server listening on {server.url}", flush=True)
    if server.model is not None:
        print(f"runs are carried out by the model backend at {server.model.shown_url}", flush=True)
    # The process is the server's own: what start-up made (modules, the spec's schemas) lives
    # as long as it does, so the cyclic collector's full passes need not walk it again (each
    # pass stops the loop, and every stream's next event with it).
    gc.collect()
    gc.freeze()
    # A full pass walks the whole store (with 10,000 runs kept, 40-90 ms on a 2-core machine)
    # and finds little: the store holds no cycles, and cyclic garbage (asyncio's transports)
    # dies young, in the younger generations' passes, which keep their thresholds.  So a full
    # pass waits for 100 passes of generation 1, not 10: ten times rarer.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
