"""``Client`` and ``AsyncClient``: settings resolved once, a connection pool owned, four methods.

    with oaii.Client(base_url="http://127.0.0.1:8765/v1") as client:
        run = client.create_run("thread_abc123", "asst_abc123", temperature=0.2)
        run = client.get_run(run.thread_id, run.id)

A method checks its arguments, builds the request (``_requests``), and runs a
flow (``_flow``) with the client's driver (``_http.transport``).  ``with_options``
derives a client with other settings that shares the same pool.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, Unpack

import httpx

from . import _flow
from ._errors import InputError
from ._http.routes import PROXY_VARIABLES
from ._http.transport import AsyncPool, SyncPool, default_async_pool, drive, drive_async
from ._keys import KEY_VARIABLES, hidden, hide_credentials
from ._options import (
    CLIENT_SETTING_NAMES,
    ClientSettings,
    CreateAndPollArgs,
    CreateArgs,
    GetArgs,
    RunFields,
)
from ._requests import Request, create_request, get_request, seed_fields
from ._settings import (
    BASE_URL_VARIABLES,
    ORGANIZATION_VARIABLE,
    PROJECT_VARIABLE,
    Settings,
    check_seconds,
    resolve_settings,
)

if TYPE_CHECKING:
    from oaii_openapi_client.models.run_object import RunObject

    from ._streaming import AsyncRunStream, RunStream

_FIELD_NAMES = frozenset(RunFields.__optional_keys__)
_CREATE_ARGS = frozenset(CreateArgs.__optional_keys__) - _FIELD_NAMES


# Settings by (arguments, environment): the front-door functions make a client per call,
# and resolving settings (key, URL, headers) costs more than the rest of preparing it.
_SETTINGS_CACHE: dict[Hashable, Settings] = {}
_SETTINGS_CACHE_SIZE = 64


# Each setting, and the variables it is read from when it is None.
_VARIABLES_BY_SETTING = (
    ("api_key", KEY_VARIABLES),
    ("base_url", BASE_URL_VARIABLES),
    ("organization", (ORGANIZATION_VARIABLE,)),
    ("project", (PROJECT_VARIABLE,)),
    ("proxy", PROXY_VARIABLES),  # read by httpx's helpers; here for the settings cache's key
)
_ENVIRONMENT = tuple(name for _, names in _VARIABLES_BY_SETTING for name in names)
#: The variables whose values are secrets: the key, and proxy URLs (which may hold a password).
_SECRET_VARIABLES = (*KEY_VARIABLES, *PROXY_VARIABLES)


def environment(arguments: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The variables settings are resolved from, as they are now.

    With ``arguments`` (a front door's settings, for a client that makes one
    call), only the variables of settings left as None: each read of
    ``os.environ`` costs a few microseconds on every call.
    """
    names = (
        _ENVIRONMENT
        if arguments is None
        else [
            name
            for setting, names in _VARIABLES_BY_SETTING
            if arguments.get(setting) is None
            for name in names
        ]
    )
    data, keys, decode = _raw_environ()
    if data is None:
        found = {name: value for name in names if (value := os.environ.get(name)) is not None}
    else:
        found = {name: decode(value) for name in names if (value := data.get(keys[name])) is not None}
    for name in _SECRET_VARIABLES:  # hidden before anything can fail with this frame's locals kept
        if name in found:
            found[name] = hidden(found[name])
    return found


def _raw_environ() -> tuple[Mapping[Any, Any] | None, dict[str, Any], Callable[[Any], str]]:
    """``os.environ``'s own mapping (which its writes and ``os.putenv`` keep current), the
    encoded names of ``_ENVIRONMENT``, and the value decoder.  ``os.environ.get`` of an unset
    name raises and catches a KeyError (~2 us, and most of these names are unset, the proxy
    variables above all); a look-up here costs ~0.1 us.  (None, ...) where there is no such mapping."""
    environ = os.environ
    data = getattr(environ, "_data", None)
    encodekey = getattr(environ, "encodekey", None)
    decodevalue = getattr(environ, "decodevalue", None)
    if not isinstance(data, dict) or encodekey is None or decodevalue is None:
        return None, {}, str
    if _ENCODED[0] is not encodekey:  # once per process (and again if os.environ is replaced)
        _ENCODED[:] = [encodekey, {name: encodekey(name) for name in _ENVIRONMENT}]
    return data, _ENCODED[1], decodevalue


_ENCODED: list[Any] = [None, {}]


def _cached_settings(arguments: dict[str, Any], environ: dict[str, str]) -> Settings:
    try:
        key: Hashable = (
            tuple(sorted((name, _hashable(value)) for name, value in arguments.items())),
            tuple(environ.get(name) for name in _ENVIRONMENT),
        )
        settings = _SETTINGS_CACHE.get(key)
    except TypeError:  # an unhashable argument: resolve without caching
        return resolve_settings(**arguments, environ=environ)
    if settings is None:
        settings = resolve_settings(**arguments, environ=environ)
        if len(_SETTINGS_CACHE) >= _SETTINGS_CACHE_SIZE:
            _SETTINGS_CACHE.clear()
        _SETTINGS_CACHE[key] = settings
    return settings


def _hashable(value: object) -> Hashable:
    # With its type: True == 1 and hash(True) == hash(1), but a bool is refused where an int is not.
    if isinstance(value, httpx.Timeout):
        return ("httpx.Timeout", tuple((k, type(v), v) for k, v in value.as_dict().items()))
    hash(value)
    return (type(value), value)


def _refuse_mixed(http_client: object, arguments: Mapping[str, Any]) -> None:
    """``http``/``proxy`` choose among oaii's own ways out; a caller's ``http_client`` is its own."""
    if http_client is not None:
        for name in ("http", "proxy"):
            if arguments.get(name) is not None:
                raise InputError(name, "does not apply with http_client: configure that httpx client instead")


class _ClientBase:
    """What both clients share: the settings, and turning arguments into requests and flows."""

    def __init__(self, **settings: Unpack[ClientSettings]) -> None:
        hide_credentials(settings)  # type: ignore[arg-type]
        unknown = sorted(set(settings) - CLIENT_SETTING_NAMES)
        if unknown:
            raise InputError(unknown[0], "is not a client option")
        self._arguments: dict[str, Any] = dict(settings)
        # Taken once: a variant made later by with_options resolves from the same environment.
        self._environ = environment()
        self.settings: Settings = resolve_settings(**settings, environ=self._environ)

    def __repr__(self) -> str:
        # Traceback printers call this on a client whose __init__ failed (capture_locals,
        # pytest -l, error trackers): it must work without settings, and never show the key.
        settings = getattr(self, "settings", None)
        if not isinstance(settings, Settings):
            return f"{type(self).__name__}(<not set up>)"
        return f"{type(self).__name__}(base_url={settings.base_url!r}, key from {settings.key.source})"

    def _adopt(self, arguments: dict[str, Any], environ: dict[str, str]) -> None:
        """Take settings from arguments resolved elsewhere (a front door, a parent client)."""
        self._arguments = arguments
        self._environ = environ
        self.settings = _cached_settings(arguments, environ)

    def _derived(self, changes: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(changes) - CLIENT_SETTING_NAMES)
        if unknown:
            raise InputError(
                unknown[0], "is not a client option (http_client is fixed when a client is made)"
            )
        return {**self._arguments, **changes}

    def _create(
        self, thread_id: str, assistant_id: str, seed: dict[str, Any], args: dict[str, Any], *, stream: bool
    ) -> Request:
        fields = {name: args.pop(name) for name in list(args) if name in _FIELD_NAMES}
        unknown = sorted(set(args) - _CREATE_ARGS)
        if unknown:
            raise InputError(
                unknown[0],
                "is not an argument of runs_create_run_request or create_run, nor a CreateRunRequest field",
            )
        return create_request(
            self.settings, thread_id, assistant_id, {**seed, **fields}, stream=stream, **args
        )

    def _get(self, thread_id: str, run_id: str, args: dict[str, Any]) -> Request:
        unknown = sorted(set(args) - {"extra_headers"})
        if unknown:
            raise InputError(unknown[0], "is not an argument of runs_get_run or get_run")
        return get_request(self.settings, thread_id, run_id, extra_headers=args.get("extra_headers"))

    def _poll_flow(
        self, thread_id: str, assistant_id: str, seed: dict[str, Any], args: dict[str, Any]
    ) -> _flow.Flow:
        poll_interval = check_seconds(
            "poll_interval", args.pop("poll_interval", 1.0), allow_none=False, allow_zero=True
        )
        poll_timeout = check_seconds("poll_timeout", args.pop("poll_timeout", 600.0), allow_none=True)
        on_status = args.pop("on_status", None)
        if on_status is not None and not callable(on_status):
            raise InputError("on_status", f"must be callable or None, got {type(on_status).__name__}")
        request = self._create(thread_id, assistant_id, seed, args, stream=False)
        assert poll_interval is not None
        return _flow.poll_flow(
            self.settings,
            request,
            thread_id,
            assistant_id,
            poll_interval=poll_interval,
            poll_timeout=poll_timeout,
            on_status=on_status,
        )


class Client(_ClientBase):
    """A synchronous client.  Close it (or use ``with``) to release its connections.

    ``http_client``: send through this ``httpx.Client`` (its proxies, auth, hooks)
    instead of oaii's own pool; the caller closes it.
    """

    def __init__(
        self, *, http_client: httpx.Client | None = None, **settings: Unpack[ClientSettings]
    ) -> None:
        hide_credentials(settings)  # type: ignore[arg-type]
        super().__init__(**settings)
        _refuse_mixed(http_client, settings)
        self._pool = SyncPool(http_client)
        self._owns_pool = True

    @classmethod
    def _sharing(cls, pool: SyncPool, arguments: dict[str, Any], environ: dict[str, str]) -> Client:
        client = cls.__new__(cls)
        client._adopt(arguments, environ)
        _refuse_mixed(pool.http_client, arguments)
        client._pool = pool
        client._owns_pool = False
        return client

    def with_options(self, **changes: Unpack[ClientSettings]) -> Client:
        """A client with these settings changed, sharing this one's connections."""
        hide_credentials(changes)  # type: ignore[arg-type]  # (as the constructor's **settings)
        return Client._sharing(self._pool, self._derived(dict(changes)), self._environ)

    def create_run(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateArgs],
    ) -> RunObject:
        """Create a run; return it as the server answered."""
        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        request = self._create(thread_id, assistant_id, seed, dict(args), stream=False)
        run, _ = drive(_flow.create_flow(self.settings, request, thread_id, assistant_id), self._pool)
        return run  # type: ignore[no-any-return]

    def stream_run(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateArgs],
    ) -> RunStream:
        """Create a run with ``stream: true``; iterate the result for its events."""
        from ._streaming import RunStream

        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        request = self._create(thread_id, assistant_id, seed, dict(args), stream=True)
        flow = _flow.create_flow(self.settings, request, thread_id, assistant_id, stream=True)
        _, answer = drive(flow, self._pool)
        return RunStream(answer, self.settings.key, request.url)

    def create_run_and_poll(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateAndPollArgs],
    ) -> RunObject:
        """Create a run, then get it until a terminal status (``TERMINAL_STATUSES``).

        Waits ``poll_interval`` seconds between polls (or the server's
        ``openai-poll-after-ms``, capped); past ``poll_timeout`` raises
        ``PollTimeoutError`` with the last state.  ``on_status(run)`` sees every state.
        """
        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        return drive(self._poll_flow(thread_id, assistant_id, seed, dict(args)), self._pool)  # type: ignore[no-any-return]

    def get_run(self, thread_id: str, run_id: str, **args: Unpack[GetArgs]) -> RunObject:
        """Retrieve a run (``GET /threads/{thread_id}/runs/{run_id}``)."""
        request = self._get(thread_id, run_id, dict(args))
        return drive(_flow.get_flow(self.settings, request), self._pool)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close the connections this client opened (not a caller's ``http_client``, nor a shared pool)."""
        if self._owns_pool:
            self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """``Client`` for asyncio.  It belongs to one event loop; ``await client.aclose()`` when done."""

    def __init__(
        self, *, http_client: httpx.AsyncClient | None = None, **settings: Unpack[ClientSettings]
    ) -> None:
        hide_credentials(settings)  # type: ignore[arg-type]
        super().__init__(**settings)
        _refuse_mixed(http_client, settings)
        self._pool: AsyncPool | None = AsyncPool(http_client)
        self._owns_pool = True

    @classmethod
    def _sharing(
        cls, pool: AsyncPool | None, arguments: dict[str, Any], environ: dict[str, str]
    ) -> AsyncClient:
        client = cls.__new__(cls)
        client._adopt(arguments, environ)
        _refuse_mixed(pool and pool.http_client, arguments)
        client._pool = pool  # None: the running loop's default pool
        client._owns_pool = False
        return client

    def with_options(self, **changes: Unpack[ClientSettings]) -> AsyncClient:
        """A client with these settings changed, sharing this one's connections."""
        hide_credentials(changes)  # type: ignore[arg-type]  # (as the constructor's **settings)
        return AsyncClient._sharing(self._pool, self._derived(dict(changes)), self._environ)

    async def _run(self, flow: _flow.Flow) -> Any:
        return await drive_async(flow, self._pool or await default_async_pool())

    async def create_run(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateArgs],
    ) -> RunObject:
        """``Client.create_run`` for asyncio."""
        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        request = self._create(thread_id, assistant_id, seed, dict(args), stream=False)
        run, _ = await self._run(_flow.create_flow(self.settings, request, thread_id, assistant_id))
        return run  # type: ignore[no-any-return]

    async def stream_run(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateArgs],
    ) -> AsyncRunStream:
        """``Client.stream_run`` for asyncio: ``async for event in await client.stream_run(...)``."""
        from ._streaming import AsyncRunStream

        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        request = self._create(thread_id, assistant_id, seed, dict(args), stream=True)
        flow = _flow.create_flow(self.settings, request, thread_id, assistant_id, stream=True)
        _, answer = await self._run(flow)
        return AsyncRunStream(answer, self.settings.key, request.url)

    async def create_run_and_poll(
        self,
        thread_id: str,
        assistant_id: str,
        model: str | None = None,
        instructions: str | None = None,
        additional_instructions: str | None = None,
        tools: Any = None,
        metadata: Any = None,
        **args: Unpack[CreateAndPollArgs],
    ) -> RunObject:
        """``Client.create_run_and_poll`` for asyncio."""
        seed = seed_fields(model, instructions, additional_instructions, tools, metadata)
        return await self._run(self._poll_flow(thread_id, assistant_id, seed, dict(args)))  # type: ignore[no-any-return]

    async def get_run(self, thread_id: str, run_id: str, **args: Unpack[GetArgs]) -> RunObject:
        """``Client.get_run`` for asyncio."""
        request = self._get(thread_id, run_id, dict(args))
        return await self._run(_flow.get_flow(self.settings, request))  # type: ignore[no-any-return]

    async def aclose(self) -> None:
        """Close the connections this client opened (not a caller's ``http_client``, nor a shared pool)."""
        if self._owns_pool and self._pool is not None:
            await self._pool.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
