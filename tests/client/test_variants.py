"""Every public variant from one table: 8 front-door functions and 8 client methods.

Each row of ``OPTIONS`` is a setting or argument, and each is checked on the
wire (what the local server saw) in every variant it applies to: sync and
async, create / stream / poll / get, front door and client method.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import oaii
import pytest
from oaii import (
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    Client,
    InputError,
    RetryPolicy,
)
from oaii.server import Fault, LocalServer

from ..conftest import KEY, spec_has

FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
# The seed's arguments this spec has (a regenerated spec may lack one: then it is refused).
SEED = {
    name: value
    for name, value in {
        "model": "gpt-4o",
        "instructions": "Be brief.",
        "additional_instructions": "Say hi.",
        "tools": [{"type": "code_interpreter"}],
        "metadata": {"k": "v"},
    }.items()
    if spec_has(name)
}


@attrs.frozen
class Variant:
    name: str
    op: str  # create | stream | poll | get
    is_async: bool
    front_door: bool

    def prepare(self, server: LocalServer, thread_id: str) -> str | None:
        """What the call needs first (a run to get), made before any fault is injected."""
        return _existing_run(server, thread_id) if self.op == "get" else None

    def call(
        self,
        server: LocalServer,
        thread_id: str,
        settings: dict[str, Any],
        args: dict[str, Any],
        run_id: str | None = None,
    ) -> Any:
        """Run this variant to its end; return the run it produced."""
        if self.op == "get" and run_id is None:
            run_id = self.prepare(server, thread_id)
        if self.is_async:
            return asyncio.run(self._async(server, thread_id, run_id, settings, args))
        return self._sync(server, thread_id, run_id, settings, args)

    def _sync(self, server: LocalServer, thread: str, run_id: str | None, settings: dict, args: dict) -> Any:
        if self.front_door:
            return _finish(_FRONT[self.op](server, thread, run_id, {**settings, **args}))
        http_client = settings.pop("http_client", None)
        with Client(api_key=KEY, base_url=server.url, http_client=http_client, **settings) as client:
            return _finish(_METHOD[self.op](client, thread, run_id, args))

    async def _async(
        self, server: LocalServer, thread: str, run_id: str | None, settings: dict, args: dict
    ) -> Any:
        if self.front_door:
            return await _afinish(await _AFRONT[self.op](server, thread, run_id, {**settings, **args}))
        http_client = settings.pop("http_client", None)
        async with AsyncClient(
            api_key=KEY, base_url=server.url, http_client=http_client, **settings
        ) as client:
            return await _afinish(await _AMETHOD[self.op](client, thread, run_id, args))


def _existing_run(server: LocalServer, thread_id: str) -> str:
    run = oaii.runs_create_run_request(thread_id, "asst_1", api_key=KEY, base_url=server.url)
    server.recorder.clear()
    return run.id


def _finish(result: Any) -> Any:
    return result.until_done() if isinstance(result, oaii.RunStream) else result


async def _afinish(result: Any) -> Any:
    return await result.until_done() if isinstance(result, oaii.AsyncRunStream) else result


POLL = {"poll_interval": 0.0, "poll_timeout": 30.0}

_FRONT: dict[str, Callable[..., Any]] = {
    "create": lambda s, t, r, o: oaii.runs_create_run_request(t, "asst_1", api_key=KEY, base_url=s.url, **o),
    "stream": lambda s, t, r, o: oaii.runs_create_run_stream(t, "asst_1", api_key=KEY, base_url=s.url, **o),
    "poll": lambda s, t, r, o: oaii.runs_create_run_and_poll(
        t, "asst_1", api_key=KEY, base_url=s.url, **POLL, **o
    ),
    "get": lambda s, t, r, o: oaii.runs_get_run(t, r, api_key=KEY, base_url=s.url, **o),
}
_AFRONT: dict[str, Callable[..., Any]] = {
    "create": lambda s, t, r, o: oaii.runs_create_run_request_async(
        t, "asst_1", api_key=KEY, base_url=s.url, **o
    ),
    "stream": lambda s, t, r, o: oaii.runs_create_run_stream_async(
        t, "asst_1", api_key=KEY, base_url=s.url, **o
    ),
    "poll": lambda s, t, r, o: oaii.runs_create_run_and_poll_async(
        t, "asst_1", api_key=KEY, base_url=s.url, **POLL, **o
    ),
    "get": lambda s, t, r, o: oaii.runs_get_run_async(t, r, api_key=KEY, base_url=s.url, **o),
}
_METHOD: dict[str, Callable[..., Any]] = {
    "create": lambda c, t, r, a: c.create_run(t, "asst_1", **a),
    "stream": lambda c, t, r, a: c.stream_run(t, "asst_1", **a),
    "poll": lambda c, t, r, a: c.create_run_and_poll(t, "asst_1", **POLL, **a),
    "get": lambda c, t, r, a: c.get_run(t, r, **a),
}
_AMETHOD = _METHOD  # the async client's methods have the same names; awaiting happens in _async

VARIANTS = [
    Variant(f"{'async ' if a else ''}{'front' if f else 'client'} {op}", op, a, f)
    for op in ("create", "stream", "poll", "get")
    for a in (False, True)
    for f in (True, False)
]


def _ids(variant: Variant) -> str:
    return variant.name.replace(" ", "-")


def _body_requests(server: LocalServer, op: str) -> list[Any]:
    method = "GET" if op == "get" else "POST"
    return [r for r in server.requests if r.method == method]


# ----------------------------------------------------------- the option table


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_seed_arguments_reach_the_body(server: LocalServer, variant: Variant) -> None:
    if variant.op == "get":
        run = variant.call(server, "thread_seed", {}, {})
        assert run.thread_id == "thread_seed" and server.requests[0].body == b""
        return
    variant.call(server, "thread_seed", {}, dict(SEED))
    body = _body_requests(server, variant.op)[0].json()
    assert {k: body[k] for k in SEED} == SEED
    assert body["assistant_id"] == "asst_1"
    assert body.get("stream") == (True if variant.op == "stream" else None)


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_extra_headers_replace_defaults_case_insensitively(server: LocalServer, variant: Variant) -> None:
    headers = {"user-agent": "mine/1", "accept": "application/json, text/event-stream", "X-Trace": "t1"}
    variant.call(server, "thread_h", {}, {"extra_headers": headers})
    assert server.requests
    for request in server.requests:  # the create, and every poll that follows it
        seen = {k.lower(): v for k, v in request.headers.items()}
        assert [k.lower() for k in request.headers].count("user-agent") == 1
        assert seen["user-agent"] == "mine/1"
        assert seen["accept"] == "application/json, text/event-stream"
        assert seen["x-trace"] == "t1"


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_http_client_is_used(server: LocalServer, variant: Variant) -> None:
    hook_saw: list[str] = []
    if variant.is_async:

        async def ahook(request: httpx.Request) -> None:
            hook_saw.append(request.method)

        settings: dict[str, Any] = {
            "http_client": httpx.AsyncClient(
                headers={"X-From-Client": "yes"}, event_hooks={"request": [ahook]}
            )
        }
    else:
        settings = {
            "http_client": httpx.Client(
                headers={"X-From-Client": "yes"},
                event_hooks={"request": [lambda r: hook_saw.append(r.method)]},
            )
        }
    variant.call(server, "thread_c", settings, {})
    assert len(hook_saw) == len(server.requests) > 0, "the caller's client sent every request"
    assert all(
        {k.lower(): v for k, v in r.headers.items()}["x-from-client"] == "yes" for r in server.requests
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_timeout_bounds_a_hung_request(server: LocalServer, variant: Variant) -> None:
    run_id = variant.prepare(server, "thread_t")
    server.inject(Fault("hang", seconds=5))
    start = time.monotonic()
    with pytest.raises(APITimeoutError) as info:
        variant.call(server, "thread_t", {"timeout": 0.1, "max_retries": 0}, {}, run_id)
    assert time.monotonic() - start < 4
    assert info.value.attempts == 1
    # At most one: on a loaded machine even the connect may take longer than 0.1 s.
    assert len(_body_requests(server, variant.op)) <= 1


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_total_timeout_bounds_retries(server: LocalServer, variant: Variant) -> None:
    run_id = variant.prepare(server, "thread_tt")
    server.inject(*[Fault("hang", seconds=5)] * 4)
    start = time.monotonic()
    with pytest.raises(APITimeoutError):
        variant.call(
            server, "thread_tt", {"timeout": 10, "total_timeout": 0.15, "max_retries": 3}, {}, run_id
        )
    assert time.monotonic() - start < 4


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_max_retries_counts_attempts_the_server_saw(server: LocalServer, variant: Variant) -> None:
    run_id = variant.prepare(server, "thread_r")
    server.inject(*[Fault("status", 503, body=b'{"error": {"message": "busy"}}')] * 3)
    with pytest.raises(APIStatusError) as info:
        variant.call(server, "thread_r", {"max_retries": FAST}, {}, run_id)
    seen = _body_requests(server, variant.op)
    assert info.value.status_code == 503
    assert info.value.attempts == 3 == len(seen)
    if variant.op != "get":
        keys = {r.headers.get("Idempotency-Key") for r in seen}
        assert len(keys) == 1 and None not in keys, "every retry re-sends the same Idempotency-Key"


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_retry_then_success(server: LocalServer, variant: Variant) -> None:
    run_id = variant.prepare(server, "thread_rs")
    server.inject(Fault("status", 500), Fault("reset"))
    run = variant.call(server, "thread_rs", {"max_retries": FAST}, {}, run_id)
    assert run.thread_id == "thread_rs" and run.id.startswith("run_")
    assert len(_body_requests(server, variant.op)) >= 3


@pytest.mark.parametrize("variant", VARIANTS, ids=_ids)
def test_validate_false_sends_what_validation_refuses(server: LocalServer, variant: Variant) -> None:
    if variant.op == "get":
        with pytest.raises(InputError, match="validate"):
            variant.call(server, "thread_v", {"validate": "yes"}, {})
        return
    with pytest.raises(InputError, match="temperature"):
        variant.call(server, "thread_v", {}, {"temperature": 5})
    assert not server.requests
    with pytest.raises(APIStatusError) as info:
        variant.call(server, "thread_v", {"validate": False}, {"temperature": 5})
    assert info.value.status_code == 400  # the server's own check refused it
    assert _body_requests(server, variant.op)[-1].json()["temperature"] == 5


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.op != "get"], ids=_ids)
def test_idempotency_key_is_the_callers(server: LocalServer, variant: Variant) -> None:
    variant.call(server, "thread_ik", {}, {"idempotency_key": "my-key-1"})
    assert _body_requests(server, variant.op)[0].headers["Idempotency-Key"] == "my-key-1"


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.op != "get"], ids=_ids)
def test_every_call_gets_a_fresh_idempotency_key(server: LocalServer, variant: Variant) -> None:
    variant.call(server, "thread_k1", {}, {})
    variant.call(server, "thread_k2", {}, {})
    keys = [r.headers["Idempotency-Key"] for r in _body_requests(server, variant.op)]
    assert len(keys) == 2 and keys[0] != keys[1]


# ------------------------------------------------------------ client objects


def test_with_options_shares_the_pool_and_changes_only_what_it_says(server: LocalServer) -> None:
    with Client(api_key=KEY, base_url=server.url, default_headers={"X-A": "1"}) as client:
        other = client.with_options(max_retries=0, default_headers={"X-A": "2"})
        assert other.settings.retry.max_retries == 0 and client.settings.retry.max_retries == 2
        other.create_run("thread_w", "asst_1")
        assert server.requests[-1].headers["X-A"] == "2"
        client.create_run("thread_w2", "asst_1")
        assert server.requests[-1].headers["X-A"] == "1"
        other.close()  # a derived client does not close the shared pool
        assert (
            client.get_run("thread_w3", client.create_run("thread_w3", "asst_1").id).thread_id == "thread_w3"
        )


def test_client_settings_are_checked_once_at_construction() -> None:
    with pytest.raises(InputError, match="'base_url'"):
        Client(api_key=KEY, base_url="ftp://x")
    with pytest.raises(InputError, match="'timeout'"):
        Client(api_key=KEY, timeout=float("nan"))
    with pytest.raises(InputError, match="'http_client'"):
        Client(api_key=KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'http_client'"):
        AsyncClient(api_key=KEY, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'colour'"):
        Client(api_key=KEY, colour="red")  # type: ignore[call-arg]


def test_client_repr_shows_where_not_the_key(server: LocalServer) -> None:
    client = Client(api_key=KEY, base_url=server.url)
    assert KEY not in repr(client) and KEY not in repr(client.settings)
    assert "the api_key argument" in repr(client)


def test_closed_http_client_is_refused_before_sending(server: LocalServer) -> None:
    http = httpx.Client()
    http.close()
    with pytest.raises(InputError, match="closed"):
        oaii.runs_create_run_request("thread_x", "asst_1", api_key=KEY, base_url=server.url, http_client=http)
    assert not server.requests


# ------------------------------------------------------------------- polling


def test_poll_interval_is_the_fallback_without_a_server_hint(server: LocalServer) -> None:
    run = oaii.runs_create_run_request("thread_pf", "asst_1", api_key=KEY, base_url=server.url)
    # The create below is answered with that run and no openai-poll-after-ms; later polls carry the hint.
    server.inject(Fault("status", 200, body=json.dumps(run.to_dict()).encode()))
    seen: list[float] = []
    final = oaii.runs_create_run_and_poll(
        "thread_pf",
        "asst_1",
        api_key=KEY,
        base_url=server.url,
        poll_interval=0.3,
        on_status=lambda r: seen.append(time.monotonic()),
    )
    assert final.id == run.id and final.status == "completed"
    assert seen[1] - seen[0] >= 0.3


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("poll_interval", -1),
        ("poll_interval", float("nan")),
        ("poll_interval", "1"),
        ("poll_interval", True),
        ("poll_timeout", 0),
        ("poll_timeout", float("inf")),
        ("poll_timeout", -5),
        ("on_status", "print"),
    ],
)
@pytest.mark.parametrize("is_async", [False, True])
def test_invalid_poll_values_send_nothing(
    server: LocalServer, argument: str, value: Any, is_async: bool
) -> None:
    kwargs = {"api_key": KEY, "base_url": server.url, argument: value}
    with pytest.raises(InputError) as info:
        if is_async:
            asyncio.run(oaii.runs_create_run_and_poll_async("thread_p", "asst_1", **kwargs))
        else:
            oaii.runs_create_run_and_poll("thread_p", "asst_1", **kwargs)
    assert info.value.argument == argument
    assert not server.requests
