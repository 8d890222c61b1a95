"""What the client core must keep doing, each pinned against a real loopback server.

Written from a mutation run over ``_flow``, ``_transport``, ``_client``, ``runs``,
``_requests`` and ``_settings``: every test here fails under at least one small
change (a flipped comparison, a dropped statement, a sync/async branch swapped)
that the rest of the suite let through.  Most run both clients, so that a change
to one driver cannot hide behind the other.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
import weakref
from typing import Any

import httpx
import oaii
import pytest
from oaii import (
    APIConnectionError,
    APIStatusError,
    AsyncClient,
    Client,
    EarlierRunError,
    InputError,
    PollTimeoutError,
    ResponseParseError,
    RetryPolicy,
)
from oaii.server import Fault, LocalServer

from .._rawserver import Conn, RawServer, content, response, run_json, send
from .._rawserver import Request as RawRequest
from ..conftest import KEY, skip_unless_spec

FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)
BOTH = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


def call(server: LocalServer, is_async: bool, op: str, *args: Any, **kwargs: Any) -> Any:
    """``op`` ("create_run", "get_run", "create_run_and_poll", "stream_run") on a fresh client."""
    settings = {"api_key": KEY, "base_url": server.url, "max_retries": FAST}
    settings.update(kwargs.pop("settings", {}))
    if not is_async:
        with Client(**settings) as client:
            result = getattr(client, op)(*args, **kwargs)
            return result.until_done() if op == "stream_run" else result

    async def main() -> Any:
        async with AsyncClient(**settings) as client:
            result = await getattr(client, op)(*args, **kwargs)
            return await result.until_done() if op == "stream_run" else result

    return asyncio.run(main())


def methods(server: LocalServer) -> list[str]:
    return [r.method for r in server.requests]


def active_run(server: LocalServer, thread_id: str, assistant_id: str = "asst_1") -> str:
    """A queued run on ``thread_id`` (so the next create there meets "already has an active run")."""
    run = oaii.runs_create_run_request(thread_id, assistant_id, api_key=KEY, base_url=server.url)
    server.recorder.clear()
    return run.id


# ---------------------------------------------------------- idempotent recovery


def lost_answer(first: Fault) -> list[Fault]:
    """``first`` for the create, the retry answered as it is ("already has an active run"),
    and the lookup's run dated as the lost attempt's own run would be: created once the call
    began.  The run made by ``active_run`` stands in for it, and it may date from the second
    before the call (a second boundary between the two would make it "not own")."""
    return [first, Fault("patch"), Fault("patch", patch={"created_at": int(time.time()) + 1})]


@BOTH
def test_lost_answer_then_active_run_returns_that_run(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_rec")
    server.inject(*lost_answer(Fault("status", 502)))  # a 5xx may come after the work was done
    run = call(server, is_async, "create_run", "thread_rec", "asst_1", extra_headers={"X-Trace": "t1"})
    assert run.id == earlier
    assert methods(server) == ["POST", "POST", "GET"]
    get = server.requests[-1]
    assert get.path == f"/v1/threads/thread_rec/runs/{earlier}"
    assert get.headers.get("X-Trace") == "t1"  # the caller's headers follow the create


@BOTH
def test_reset_connection_counts_as_maybe_sent(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_rst")
    server.inject(*lost_answer(Fault("reset")))
    run = call(server, is_async, "create_run", "thread_rst", "asst_1")
    assert run.id == earlier and methods(server) == ["POST", "POST", "GET"]


@BOTH
def test_active_run_of_another_assistant_is_an_earlier_run_error(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_oth", "asst_other")
    server.inject(Fault("status", 500))
    with pytest.raises(EarlierRunError) as info:
        call(server, is_async, "create_run", "thread_oth", "asst_1")
    assert info.value.run_id == earlier and info.value.status_code == 400
    assert "may have created" in info.value.message_long and "may have created" in str(info.value)
    assert info.value.attempts == 2
    assert methods(server) == ["POST", "POST", "GET"]


@BOTH
def test_failed_lookup_of_the_earlier_run_is_an_earlier_run_error(
    server: LocalServer, is_async: bool
) -> None:
    earlier = active_run(server, "thread_lk")
    server.inject(Fault("status", 500), Fault("patch"), Fault("status", 404, body=b"{}"))
    with pytest.raises(EarlierRunError) as info:
        call(server, is_async, "create_run", "thread_lk", "asst_1")
    assert info.value.run_id == earlier and methods(server) == ["POST", "POST", "GET"]


def _created_at_case(server: LocalServer, thread_id: str, before_first_send: int) -> Any:
    """Create after a 500 where the active run's created_at is ``before_first_send`` s before now."""
    for _ in range(3):  # a second boundary crossed during the call makes the case inconclusive
        server.recorder.clear()
        t0 = int(time.time())
        server.inject(
            Fault("status", 500),
            Fault("patch"),
            Fault("patch", patch={"created_at": t0 - before_first_send}),
        )
        try:
            result: Any = call(server, False, "create_run", thread_id, "asst_1")
        except EarlierRunError as exc:
            result = exc
        if int(time.time()) == t0:
            return result
    pytest.skip("the wall clock kept crossing a second boundary")


def test_run_created_in_the_second_of_the_first_send_is_own(server: LocalServer) -> None:
    earlier = active_run(server, "thread_cs1")
    assert getattr(_created_at_case(server, "thread_cs1", 0), "id", None) == earlier


def test_run_created_before_the_first_send_is_not_own(server: LocalServer) -> None:
    earlier = active_run(server, "thread_cs2")
    result = _created_at_case(server, "thread_cs2", 1)
    assert isinstance(result, EarlierRunError) and result.run_id == earlier


@BOTH
def test_active_run_after_a_certain_failure_is_a_plain_error(server: LocalServer, is_async: bool) -> None:
    active_run(server, "thread_429")
    server.inject(Fault("status", 429))  # a 429 says the work was not done
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run", "thread_429", "asst_1")
    assert not isinstance(info.value, EarlierRunError) and info.value.status_code == 400
    assert methods(server) == ["POST", "POST"]


@BOTH
def test_active_run_at_the_first_attempt_is_a_plain_error(server: LocalServer, is_async: bool) -> None:
    active_run(server, "thread_first")
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run", "thread_first", "asst_1")
    assert not isinstance(info.value, EarlierRunError) and methods(server) == ["POST"]


@BOTH
def test_stream_whose_run_was_created_earlier_says_to_follow_it(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_srec")
    server.inject(*lost_answer(Fault("status", 503)))
    with pytest.raises(EarlierRunError) as info:
        call(server, is_async, "stream_run", "thread_srec", "asst_1")
    assert info.value.run_id == earlier and "event stream was lost" in info.value.message_long
    assert methods(server) == ["POST", "POST", "GET"]


@BOTH
def test_poll_after_recovery_follows_the_recovered_run(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_prec")
    server.inject(*lost_answer(Fault("status", 500)))
    run = call(server, is_async, "create_run_and_poll", "thread_prec", "asst_1", poll_interval=0)
    assert run.id == earlier and run.status == "completed"


# ------------------------------------------------------------ retry counting


@BOTH
def test_redirects_are_not_retries(server: LocalServer, is_async: bool) -> None:
    moved = Fault("status", 307, headers={"Location": "/v1/threads/thread_mv/runs"})
    server.inject(moved, Fault("status", 500), Fault("status", 500))
    run = call(server, is_async, "create_run", "thread_a", "asst_1")
    assert run.thread_id == "thread_mv" and len(server.requests) == 4


@BOTH
def test_status_error_counts_every_attempt(server: LocalServer, is_async: bool) -> None:
    server.inject(*[Fault("status", 500)] * 4)
    settings = {"max_retries": RetryPolicy(max_retries=1, backoff_base=0.001)}
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run", "thread_n", "asst_1", settings=settings)
    assert info.value.status_code == 500 and info.value.attempts == 2 and len(server.requests) == 2


@BOTH
def test_connection_error_counts_every_attempt(server: LocalServer, is_async: bool) -> None:
    server.inject(*[Fault("reset")] * 4)
    with pytest.raises(APIConnectionError) as info:
        call(server, is_async, "create_run", "thread_c", "asst_1")
    assert info.value.attempts == 3 and "gave up after 3 attempts" in info.value.message_long
    assert len(server.requests) == 3


@BOTH
def test_client_error_is_never_retried(server: LocalServer, is_async: bool) -> None:
    server.inject(Fault("status", 404, body=b'{"error": {"message": "nope"}}'))
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run", "thread_4", "asst_1")
    assert info.value.status_code == 404 and info.value.attempts == 1 and len(server.requests) == 1


@BOTH
def test_unreadable_body_is_not_retried(server: LocalServer, is_async: bool) -> None:
    with pytest.raises(ResponseParseError) as info:
        call(server, is_async, "create_run", "thread_big", "asst_1", settings={"max_response_bytes": 64})
    assert info.value.status_code == 200 and info.value.attempts == 1 and len(server.requests) == 1


@BOTH
def test_stream_body_is_capped(server: LocalServer, is_async: bool) -> None:
    with pytest.raises(oaii.OaiiError):
        call(server, is_async, "stream_run", "thread_sc", "asst_1", settings={"max_response_bytes": 300})
    assert len(server.requests) == 1


# ------------------------------------------------------------------ redirects


@pytest.mark.parametrize(
    ("status", "location"),
    [
        (302, "/v1/threads/thread_x/runs"),
        (301, "/v1/threads/thread_x/runs"),
        (307, "http://127.0.0.2:{port}/v1/threads/thread_x/runs"),
        (307, "http://127.0.0.1:1/v1/threads/thread_x/runs"),
        (308, "https://127.0.0.1:{port}/v1/threads/thread_x/runs"),
        (307, "http://u:p@127.0.0.1:{port}/v1/threads/thread_x/runs"),
        (307, "/v1/threads/thread_x/runs?" + "a" * 2100),
        (307, ""),
    ],
)
def test_redirects_that_are_not_followed(server: LocalServer, status: int, location: str) -> None:
    headers = {"Location": location.format(port=server.port)} if location else {}
    server.inject(Fault("status", status, headers=headers))
    with pytest.raises(APIStatusError) as info:
        call(server, False, "create_run", "thread_r", "asst_1")
    assert info.value.status_code == status and len(server.requests) == 1


@BOTH
def test_redirect_of_a_get_is_followed(server: LocalServer, is_async: bool) -> None:
    earlier = active_run(server, "thread_g")
    server.inject(Fault("status", 308, headers={"Location": f"/v1/threads/thread_g/runs/{earlier}"}))
    run = call(server, is_async, "get_run", "thread_g", "run_elsewhere")
    assert run.id == earlier and [r.path.rsplit("/", 1)[1] for r in server.requests] == [
        "run_elsewhere",
        earlier,
    ]


def test_redirect_limit_is_five(server: LocalServer) -> None:
    moved = Fault("status", 307, headers={"Location": "/v1/threads/thread_l/runs"})
    server.inject(*[moved] * 5)
    assert call(server, False, "create_run", "thread_a", "asst_1").thread_id == "thread_l"
    assert len(server.requests) == 6


# ------------------------------------------------------------------- polling


@BOTH
def test_poll_sees_every_state_and_stops_at_terminal(server: LocalServer, is_async: bool) -> None:
    seen: list[str] = []
    run = call(
        server,
        is_async,
        "create_run_and_poll",
        "thread_p",
        "asst_1",
        poll_interval=0,
        poll_timeout=None,
        on_status=lambda r: seen.append(str(r.status)),
        extra_headers={"X-Trace": "p"},
    )
    assert run.status == "completed" and seen == ["queued", "in_progress", "completed"]
    assert methods(server) == ["POST", "GET", "GET"]
    assert all(r.headers.get("X-Trace") == "p" for r in server.requests)


@BOTH
def test_poll_timeout_cuts_a_long_server_hint(is_async: bool) -> None:
    with LocalServer(create_missing=True, poll_after_ms=20_000) as slow:
        started = time.monotonic()
        with pytest.raises(PollTimeoutError) as info:
            call(slow, is_async, "create_run_and_poll", "thread_pt", "asst_1", poll_timeout=0.2)
        assert time.monotonic() - started < 3
    assert info.value.run is not None and "0.2s" in str(info.value)


@BOTH
def test_poll_get_failure_before_the_deadline_is_a_connection_error(
    server: LocalServer, is_async: bool
) -> None:
    server.inject(Fault("patch"), Fault("reset"))
    with pytest.raises(APIConnectionError) as info:
        call(
            server,
            is_async,
            "create_run_and_poll",
            "thread_pf",
            "asst_1",
            poll_interval=0,
            poll_timeout=30,
            settings={"max_retries": 0},
        )
    assert not isinstance(info.value, PollTimeoutError)
    assert methods(server) == ["POST", "GET"]


@BOTH
def test_poll_follows_the_server_id(server: LocalServer, is_async: bool) -> None:
    server.inject(Fault("patch", patch={"status": "in_progress"}))
    run = call(server, is_async, "create_run_and_poll", "thread_sid", "asst_1", poll_interval=0)
    assert run.status == "completed"
    assert server.requests[1].path == f"/v1/threads/thread_sid/runs/{run.id}"


# ------------------------------------------------------------------- headers


@BOTH
def test_header_layers_merge_case_insensitively(
    server: LocalServer, is_async: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org_env")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "")
    settings = {"default_headers": {"user-agent": "ua/1", "X-A": "default"}, "project": "proj_arg"}
    call(
        server,
        is_async,
        "create_run",
        "thread_h",
        "asst_1",
        settings=settings,
        extra_headers={"x-a": "call", "idempotency-key": "mine", "ACCEPT": "application/x"},
    )
    headers = {k.lower(): v for k, v in server.requests[-1].headers.items()}
    sent = [k.lower() for k in server.requests[-1].headers]
    assert len(sent) == len(set(sent))
    assert headers["user-agent"] == "ua/1" and headers["x-a"] == "call"
    assert headers["idempotency-key"] == "mine" and headers["accept"] == "application/x"
    assert headers["openai-organization"] == "org_env" and headers["openai-project"] == "proj_arg"
    assert headers["content-type"] == "application/json" and headers["openai-beta"] == "assistants=v2"
    assert server.requests[-1].authorized_with(KEY)


def test_get_and_stream_headers(server: LocalServer) -> None:
    call(server, False, "stream_run", "thread_sh", "asst_1")
    stream = {k.lower(): v for k, v in server.requests[-1].headers.items()}
    assert stream["accept"] == "text/event-stream" and len(stream["idempotency-key"]) == 32
    assert server.requests[-1].json()["stream"] is True
    run_id = active_run(server, "thread_gh")
    call(server, False, "get_run", "thread_gh", run_id)
    get = {k.lower(): v for k, v in server.requests[-1].headers.items()}
    assert get["accept"] == "application/json" and "content-type" not in get
    assert "idempotency-key" not in get


def test_organization_argument_beats_the_environment(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org_env")
    call(server, False, "create_run", "thread_o", "asst_1", settings={"organization": "org_arg"})
    assert server.requests[-1].headers["OpenAI-Organization"] == "org_arg"
    with pytest.raises(InputError) as info:
        Client(api_key=KEY, organization=5)  # type: ignore[arg-type]
    assert (info.value.argument, info.value.rule) == ("organization", "must be a string, got int")


# ------------------------------------------------- front-door settings cache


def test_front_door_settings_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with LocalServer(create_missing=True) as one, LocalServer(create_missing=True) as two:
        monkeypatch.setenv("OAII_API_KEY", KEY)
        for target, org in ((one, "org_1"), (two, "org_2"), (one, "org_3")):
            monkeypatch.setenv("OAII_BASE_URL", target.url)
            monkeypatch.setenv("OPENAI_ORG_ID", org)
            run = oaii.runs_create_run_request(f"thread_{org}", "asst_1")
            assert run.thread_id == f"thread_{org}"
            assert target.requests[-1].headers["OpenAI-Organization"] == org
        assert len(one.requests) == 2 and len(two.requests) == 1


def test_settings_are_resolved_once_per_arguments_and_not_kept_forever(server: LocalServer) -> None:
    for index in range(70):  # every call is sent with its own arguments, whatever was resolved before
        oaii.runs_create_run_request(
            f"thread_cache{index}", "asst_1", api_key=KEY, base_url=server.url, project=f"p{index}"
        )
        assert server.requests[-1].headers["OpenAI-Project"] == f"p{index}"
    base = Client(api_key=KEY, base_url=server.url)
    # The same arguments and environment: resolved once.
    assert base.with_options(project="p_same").settings is base.with_options(project="p_same").settings
    timeout = httpx.Timeout(7.0)
    one = Client(api_key=KEY).with_options(timeout=timeout)
    two = Client(api_key=KEY).with_options(timeout=httpx.Timeout(7.0))
    assert one.settings is two.settings and one.settings.timeout == timeout
    # ... but not kept forever: after many other arguments, the first settings are let go.
    first = weakref.ref(base.with_options(project="p_first").settings)
    for index in range(200):
        base.with_options(project=f"p_many{index}")
    gc.collect()
    assert first() is None
    # A client-only setting that is not hashable (a dict) still reaches a derived client.
    with Client(api_key=KEY, base_url=server.url, default_headers={"X-I": "1"}) as client:
        client.with_options(max_retries=0).create_run("thread_unh", "asst_1")
    assert server.requests[-1].headers["X-I"] == "1"


# ------------------------------------------------------------ pool lifecycle
# Seen from the server: which connection each request came on, and when a connection closes.


def connections(server: RawServer) -> list[int]:
    return [request.connection for request in server.requests]


def test_async_default_pool_is_per_loop_and_closed_with_it() -> None:
    with RawServer() as server:

        async def two_calls() -> None:
            for index in range(2):
                await oaii.runs_create_run_request_async(
                    f"thread_lp{index}", "asst_1", api_key=KEY, base_url=server.url
                )

        asyncio.run(two_calls())
        assert connections(server) == [0, 0]  # the loop's calls share its pool
        assert server.wait_for(lambda s: s.counts["closed"] == 1)  # closed when the loop shut down
        asyncio.run(two_calls())
        assert connections(server) == [0, 0, 1, 1]  # a new loop, a new pool
        assert server.wait_for(lambda s: s.counts["closed"] == 2)


def test_a_loop_closed_without_shutdown_does_not_keep_its_pool() -> None:
    with RawServer() as server:
        loop = asyncio.new_event_loop()
        loop.run_until_complete(
            oaii.runs_create_run_request_async("thread_st1", "asst_1", api_key=KEY, base_url=server.url)
        )
        loop.close()  # without shutdown_asyncgens: nothing closed the loop's pool
        asyncio.run(
            oaii.runs_create_run_request_async("thread_st2", "asst_1", api_key=KEY, base_url=server.url)
        )
        assert connections(server) == [0, 1]
        gc.collect()
        # The closed loop's pool was dropped (the loop itself is still alive): its connection closes.
        assert server.wait_for(lambda s: s.counts["closed"] == 2)
        assert not loop.is_running()


def test_clients_sharing_a_pool_do_not_close_it() -> None:
    with RawServer() as server:
        with Client(api_key=KEY, base_url=server.url) as owner:
            owner.create_run("thread_s1", "asst_1")
            derived = owner.with_options(max_retries=0)
            derived.close()
            assert derived.create_run("thread_s2", "asst_1").id == "run_r1"
            owner.create_run("thread_s3", "asst_1")
            assert connections(server) == [0, 0, 0] and server.counts["closed"] == 0
        assert server.wait_for(lambda s: s.counts["closed"] == 1)  # the owner closed it
        for index in range(2):  # the front doors share the process's pool
            oaii.runs_create_run_request(f"thread_s{4 + index}", "asst_1", api_key=KEY, base_url=server.url)
        assert connections(server) == [0, 0, 0, 1, 1]


def test_async_clients_sharing_a_pool_do_not_close_it() -> None:
    with RawServer() as server:

        async def main() -> None:
            async with AsyncClient(api_key=KEY, base_url=server.url) as owner:
                await owner.create_run("thread_as1", "asst_1")
                await owner.with_options(max_retries=0).aclose()
                await owner.create_run("thread_as2", "asst_1")
                assert connections(server) == [0, 0] and server.counts["closed"] == 0

        asyncio.run(main())
        assert server.wait_for(lambda s: s.counts["closed"] == 1)


@BOTH
def test_closed_http_client_is_refused(server: LocalServer, is_async: bool) -> None:
    if is_async:

        async def main() -> None:
            http = httpx.AsyncClient()
            await http.aclose()
            await oaii.runs_get_run_async(
                "thread_1", "run_1", api_key=KEY, base_url=server.url, http_client=http
            )

        with pytest.raises(InputError):
            asyncio.run(main())
    else:
        http = httpx.Client()
        http.close()
        with pytest.raises(InputError):
            oaii.runs_get_run("thread_1", "run_1", api_key=KEY, base_url=server.url, http_client=http)
    assert len(server.requests) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is not available on this platform")
def test_forked_child_drops_inherited_connections() -> None:
    with RawServer() as server:
        options = {"api_key": KEY, "base_url": server.url}
        client = Client(**options)
        oaii.runs_create_run_request("thread_fk", "asst_1", **options)
        client.create_run("thread_fk2", "asst_1")
        assert connections(server) == [0, 1]
        pid = os.fork()
        if pid == 0:  # the child: its own connections, never the parent's (reported by exit status)
            code = 3
            try:
                oaii.runs_create_run_request("thread_fk3", "asst_1", **options)
                client.create_run("thread_fk4", "asst_1")
                code = 0
            finally:
                os._exit(code)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
        assert connections(server)[2:] == [2, 3]
        oaii.runs_create_run_request("thread_fk5", "asst_1", **options)  # the parent keeps its own
        client.create_run("thread_fk6", "asst_1")
        assert connections(server)[4:] == [0, 1]
        client.close()


# ---------------------------------------------------------- request building


def test_idempotency_key_bounds(server: LocalServer) -> None:
    call(server, False, "create_run", "thread_ik", "asst_1", idempotency_key="k" * 255)
    assert server.requests[-1].headers["Idempotency-Key"] == "k" * 255
    for bad in ("", "k" * 256, 5):
        with pytest.raises(InputError) as info:
            call(server, False, "create_run", "thread_ik2", "asst_1", idempotency_key=bad)
        assert info.value.argument == "idempotency_key"
    assert len(server.requests) == 1


def test_stream_field_is_refused_outside_stream_run(server: LocalServer) -> None:
    with pytest.raises(InputError) as info:
        call(server, False, "create_run", "thread_st", "asst_1", stream=True)
    assert info.value.argument == "stream"
    call(server, False, "create_run", "thread_st", "asst_1", stream=False)
    assert server.requests[-1].json() == {"assistant_id": "asst_1", "stream": False}


def test_extra_body_is_merged_after_validation(server: LocalServer) -> None:
    call(server, False, "create_run", "thread_eb", "asst_1", extra_body={"temperature": 0.5})
    assert server.requests[-1].json() == {"assistant_id": "asst_1", "temperature": 0.5}
    with pytest.raises(InputError) as info:
        call(server, False, "create_run", "thread_eb", "asst_1", extra_body=[1])
    assert info.value.argument == "extra_body"


# ------------------------------------------------------------------ settings


def test_base_url_from_the_environment_in_order(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAII_BASE_URL", "")
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/")
    assert Client(api_key=KEY).settings.base_url == server.url
    monkeypatch.setenv("OAII_BASE_URL", "http://127.0.0.1:9/v1")
    assert Client(api_key=KEY).settings.base_url == "http://127.0.0.1:9/v1"
    monkeypatch.delenv("OAII_BASE_URL")
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert Client(api_key=KEY).settings.base_url == "https://api.openai.com/v1"


def test_timeout_settings() -> None:
    assert Client(api_key=KEY, timeout=2.0).settings.timeout == httpx.Timeout(2.0, connect=2.0)
    assert Client(api_key=KEY, timeout=30).settings.timeout == httpx.Timeout(30.0, connect=5.0)
    assert Client(api_key=KEY, timeout=None).settings.timeout == httpx.Timeout(None)
    assert Client(api_key=KEY).settings.total_timeout == 180.0
    assert Client(api_key=KEY).settings.retry.max_retries == 2
    for bad in (0, -1, float("inf"), True, "1"):
        with pytest.raises(InputError):
            Client(api_key=KEY, timeout=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        Client(api_key=KEY, timeout=httpx.Timeout(1.0, read=-1.0))


SECONDS = "must be a finite number of seconds"


@pytest.mark.parametrize(
    ("settings", "argument", "rule"),
    [
        ({"timeout": -1}, "timeout", f"{SECONDS} > 0 or None, got -1"),  # None: no timeout
        ({"timeout": 0}, "timeout", f"{SECONDS} > 0 or None, got 0"),
        (
            {"timeout": httpx.Timeout(1.0, read=float("nan"))},
            "timeout.read",
            f"{SECONDS} > 0 or None, got nan",
        ),
        ({"total_timeout": True}, "total_timeout", f"{SECONDS} > 0 or None, got True"),
        ({"max_response_bytes": 0}, "max_response_bytes", "must be an int >= 1, got 0"),
        ({"validate": 1}, "validate", "must be True or False, got 1"),
    ],
)
def test_client_settings_state_their_rule(settings: dict[str, Any], argument: str, rule: str) -> None:
    with pytest.raises(InputError) as info:
        Client(api_key=KEY, **settings)
    assert (info.value.argument, info.value.rule) == (argument, rule)


@pytest.mark.parametrize(
    ("options", "argument", "rule"),
    [
        ({"poll_interval": -1}, "poll_interval", f"{SECONDS} >= 0, got -1"),
        ({"poll_interval": None}, "poll_interval", f"{SECONDS} >= 0, got None"),
        ({"poll_timeout": 0}, "poll_timeout", f"{SECONDS} > 0 or None, got 0"),
    ],
)
def test_poll_settings_state_their_rule(
    server: LocalServer, options: dict[str, Any], argument: str, rule: str
) -> None:
    with pytest.raises(InputError) as info:
        call(server, False, "create_run_and_poll", "thread_z", "asst_1", **options)
    assert (info.value.argument, info.value.rule) == (argument, rule)
    assert len(server.requests) == 0


def test_max_response_bytes_bounds() -> None:
    assert Client(api_key=KEY, max_response_bytes=1).settings.max_response_bytes == 1
    assert Client(api_key=KEY).settings.max_response_bytes == 32 * 1024 * 1024
    for bad in (0, True, 1.5):
        with pytest.raises(InputError) as info:
            Client(api_key=KEY, max_response_bytes=bad)  # type: ignore[arg-type]
        assert info.value.argument == "max_response_bytes"


def test_poll_interval_zero_allowed_poll_timeout_zero_refused(server: LocalServer) -> None:
    with pytest.raises(InputError) as info:
        call(server, False, "create_run_and_poll", "thread_z", "asst_1", poll_timeout=0)
    assert info.value.argument == "poll_timeout" and len(server.requests) == 0
    with pytest.raises(InputError) as info:
        call(server, False, "create_run_and_poll", "thread_z", "asst_1", poll_interval=None)
    assert info.value.argument == "poll_interval"


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [("max_retries", 1, True), ("validate", True, 1), ("total_timeout", 1, True), ("timeout", 1, True)],
)
def test_front_door_cache_never_lets_a_refused_value_through(
    server: LocalServer, name: str, good: object, bad: object
) -> None:
    # True == 1 and hash(True) == hash(1): a cache keyed on values alone would answer a refused
    # bool with the settings resolved for the int before it.
    options = {"api_key": KEY, "base_url": server.url}
    oaii.runs_create_run_request(f"thread_ok_{name}", "asst_1", **options, **{name: good})
    with pytest.raises(InputError) as info:
        oaii.runs_create_run_request(f"thread_bad_{name}", "asst_1", **options, **{name: bad})
    assert info.value.argument == name and len(server.requests) == 1


@BOTH
def test_with_options_refuses_an_unknown_option_as_input_error(is_async: bool) -> None:
    client = AsyncClient(api_key=KEY) if is_async else Client(api_key=KEY)
    for name in ("foo", "http_client"):
        with pytest.raises(InputError) as info:
            client.with_options(**{name: None})  # type: ignore[misc]
        assert info.value.argument == name


@BOTH
def test_poll_timeout_under_a_second_still_polls(server: LocalServer, is_async: bool) -> None:
    run = call(server, is_async, "create_run_and_poll", "thread_short", "asst_1", poll_timeout=0.8)
    assert run.status == "completed" and methods(server) == ["POST", "GET", "GET"]


@BOTH
def test_server_ids_of_1_to_256_characters_are_used_others_refused(
    server: LocalServer, is_async: bool
) -> None:
    server.inject(Fault("patch", patch={"id": "r"}))
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run_and_poll", "thread_id1", "asst_1", poll_interval=0)
    assert info.value.status_code == 404 and server.requests[-1].path == "/v1/threads/thread_id1/runs/r"
    server.inject(Fault("patch", patch={"id": "r" * 256}))
    with pytest.raises(APIStatusError) as info:
        call(server, is_async, "create_run_and_poll", "thread_id3", "asst_1", poll_interval=0)
    assert info.value.status_code == 404 and server.requests[-1].path.endswith("/runs/" + "r" * 256)
    for unusable in ("", "r" * 257):
        server.inject(Fault("patch", patch={"id": unusable}))
        with pytest.raises(ResponseParseError):
            call(
                server,
                is_async,
                "create_run_and_poll",
                f"thread_id2_{len(unusable)}",
                "asst_1",
                poll_interval=0,
            )
        assert server.requests[-1].method == "POST"


@pytest.mark.parametrize("own_http_client", [False, True], ids=["own-pool", "http_client"])
@BOTH
def test_declared_length_over_the_cap_is_refused_before_the_body_arrives(
    server: LocalServer, is_async: bool, own_http_client: bool
) -> None:
    # The body drips one byte a second: reading it to find the size would take minutes.
    server.inject(Fault("drip", body=b"x" * 1000, seconds=1.0))
    settings: dict[str, Any] = {"max_response_bytes": 10, "total_timeout": 5.0, "max_retries": 0}
    started = time.monotonic()
    with pytest.raises(ResponseParseError):
        if not own_http_client:
            call(server, is_async, "create_run", "thread_dl", "asst_1", settings=settings)
        elif is_async:

            async def main() -> None:
                async with httpx.AsyncClient() as http:
                    await oaii.runs_create_run_request_async(
                        "thread_dl", "asst_1", api_key=KEY, base_url=server.url, http_client=http, **settings
                    )

            asyncio.run(main())
        else:
            with httpx.Client() as http:
                oaii.runs_create_run_request(
                    "thread_dl", "asst_1", api_key=KEY, base_url=server.url, http_client=http, **settings
                )
    assert time.monotonic() - started < 2.5


INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"


@BOTH
def test_include_reaches_the_query_and_is_checked(server: LocalServer, is_async: bool) -> None:
    skip_unless_spec("query:include[]")
    call(server, is_async, "create_run", "thread_inc", "asst_1", include=[INCLUDE])
    assert server.requests[-1].query == {"include[]": [INCLUDE]}
    call(server, is_async, "create_run", "thread_inc0", "asst_1", include=[])
    assert server.requests[-1].query == {}
    for bad, path in (("x", "include"), (["bogus"], "include[0]"), ([INCLUDE, 5], "include[1]")):
        with pytest.raises(InputError) as info:
            call(server, is_async, "create_run", "thread_inc1", "asst_1", include=bad)
        assert info.value.argument == "include" and info.value.path == path
    assert len(server.requests) == 2
    with pytest.raises(APIStatusError):  # validate=False sends it; the server refuses it
        call(
            server,
            is_async,
            "create_run",
            "thread_inc2",
            "asst_1",
            include=["bogus"],
            settings={"validate": False},
        )
    assert server.requests[-1].query == {"include[]": ["bogus"]}
    with pytest.raises(InputError) as info:  # but never a non-string
        call(
            server, is_async, "create_run", "thread_inc3", "asst_1", include=[5], settings={"validate": False}
        )
    assert info.value.path == "include[0]" and len(server.requests) == 3


@BOTH
def test_get_ids_and_extra_headers_are_checked_before_sending(server: LocalServer, is_async: bool) -> None:
    for args, kwargs, argument in (
        (("thread_1", "../runs"), {}, "run_id"),
        (("thread 1", "run_1"), {}, "thread_id"),
        (("thread_1", "run_1"), {"extra_headers": [("X-A", "1")]}, "extra_headers"),
    ):
        with pytest.raises(InputError) as info:
            call(server, is_async, "get_run", *args, **kwargs)
        assert info.value.argument == argument
    assert len(server.requests) == 0


def test_closing_a_client_closes_its_connections() -> None:
    with RawServer() as server:
        client = Client(api_key=KEY, base_url=server.url)
        for index in range(2):  # kept alive for the next call
            client.create_run(f"thread_cl{index}", "asst_1")
        assert connections(server) == [0, 0] and server.counts["closed"] == 0
        client.close()
        assert server.wait_for(lambda s: s.counts["closed"] == 1)

        async def main() -> None:
            async with AsyncClient(api_key=KEY, base_url=server.url) as aclient:
                for index in range(2):
                    await aclient.create_run(f"thread_acl{index}", "asst_1")
                assert connections(server)[2:] == [1, 1] and server.counts["closed"] == 1

        asyncio.run(main())
        assert server.wait_for(lambda s: s.counts["closed"] == 2)


@BOTH
def test_redirects_are_not_retries_after_a_connection_failure(server: LocalServer, is_async: bool) -> None:
    moved = Fault("status", 307, headers={"Location": "/v1/threads/thread_mv2/runs"})
    server.inject(moved, Fault("reset"), Fault("reset"))
    run = call(server, is_async, "create_run", "thread_a", "asst_1")
    # The redirect, two failed attempts and the third: max_retries=2 counts the failures only.
    assert run.thread_id == "thread_mv2" and len(server.requests) == 4


@BOTH
@pytest.mark.parametrize(
    "timeout",
    [httpx.Timeout(None), httpx.Timeout(5.0, read=None), httpx.Timeout(None, connect=5.0)],
    ids=["all-none", "read-none", "connect-only"],
)
@pytest.mark.parametrize("total_timeout", [None, 30.0], ids=["no-total", "total"])
def test_timeout_parts_may_be_none(
    server: LocalServer, is_async: bool, timeout: httpx.Timeout, total_timeout: float | None
) -> None:
    """A part left None has no limit of its own: with a total_timeout it gets what is left of that."""
    settings = {"timeout": timeout, "total_timeout": total_timeout}
    run = call(server, is_async, "create_run", "thread_tn", "asst_1", settings=settings)
    assert run.thread_id == "thread_tn"
    with httpx.Client() as http:  # httpx takes the per-request timeouts as they are worked out
        settings_http = {**settings, "http_client": http}
        if not is_async:
            assert call(server, False, "get_run", "thread_tn", run.id, settings=settings_http).id == run.id


@pytest.mark.parametrize("own_pool", [True, False], ids=["own", "httpx"])
def test_a_get_sent_when_the_poll_deadline_has_just_passed_ends_in_poll_timeout(own_pool: bool) -> None:
    """The poll's sleep takes what is left of poll_timeout; the getRun sent then has (almost)
    no time left: it must still end as a PollTimeoutError, never with a negative timeout."""
    with RawServer() as server, httpx.Client() as http:  # every answer: a queued run, no poll hint
        settings: dict[str, Any] = {"api_key": KEY, "base_url": server.url}
        if not own_pool:
            settings["http_client"] = http
        with Client(**settings) as client, pytest.raises(PollTimeoutError) as info:
            client.create_run_and_poll("thread_dl", "asst_1", poll_interval=60.0, poll_timeout=0.05)
        assert info.value.run.status == "queued"


@BOTH
def test_a_poll_deadline_passed_during_the_create_sends_no_get(is_async: bool) -> None:
    """poll_timeout counts from the call's start: one of a nanosecond has passed by the time the
    create is answered, so the created run is the last state seen and no getRun goes out."""
    with RawServer() as server:  # every answer: a queued run, no poll hint
        with pytest.raises(PollTimeoutError) as info:
            call(server, is_async, "create_run_and_poll", "thread_ns", "asst_1", poll_timeout=1e-9)
        assert info.value.run.id == "run_r0" and info.value.run.status == "queued"
        assert [request.op for request in server.requests] == ["create"]


def test_a_poll_timeout_message_cuts_a_server_status_to_64_characters() -> None:
    """A status is any string to the generated model: a server's of 100 characters is cut."""
    run = {**json.loads(run_json("run_long")), "status": "s" * 100}
    with (
        RawServer(send(content(json.dumps(run).encode()))) as server,
        pytest.raises(PollTimeoutError) as info,
    ):
        call(server, False, "create_run_and_poll", "thread_ls", "asst_1", poll_timeout=1e-9)
    assert str(info.value) == f"run 'run_long' was still '{'s' * 64}' when the poll timeout of 1e-09s passed"


def _completed_run_unless_hung_up(conn: Conn, request: RawRequest) -> bool:
    """The run, completed, if the client is still waiting half a second on: a client that gives
    up hangs up first, and gets nothing (``late`` counts the answers sent)."""
    end = time.monotonic() + 0.5
    while time.monotonic() < end:
        try:
            if not conn.sock.recv(1):
                return False  # the client hung up
        except TimeoutError:  # the server's sockets wake every 0.1 s
            continue
        except OSError:
            return False
    run = json.loads(run_json("run_late"))
    conn.server.note("late")
    return conn.send(response(json.dumps({**run, "status": "completed"}).encode()))


@pytest.mark.parametrize("own_pool", [True, False], ids=["own", "httpx"])
def test_a_get_past_the_poll_deadline_waits_a_millisecond_not_more(own_pool: bool) -> None:
    """Past the deadline, what a request may still wait is a floor of a millisecond: the getRun
    sent then is given up at once (the client hangs up well within half a second), and its
    completed run is never seen."""
    queued = send(lambda request: request.good())
    with RawServer(queued, _completed_run_unless_hung_up) as server, httpx.Client() as http:
        settings: dict[str, Any] = {"api_key": KEY, "base_url": server.url, "max_retries": 0}
        if not own_pool:
            settings["http_client"] = http
        with Client(**settings) as client, pytest.raises(PollTimeoutError) as info:
            client.create_run_and_poll("thread_dl", "asst_1", poll_interval=60.0, poll_timeout=0.05)
        assert info.value.run.status == "queued"
        assert server.wait_for(lambda s: len(s.requests) == 2)
        assert server.counts["late"] == 0


@pytest.mark.parametrize(("length", "followed"), [(2048, True), (2049, False)])
def test_a_redirect_location_of_up_to_2048_characters_is_followed(length: int, followed: bool) -> None:
    path = "/v1/threads/thread_loc/runs?pad="
    location = (path + "x" * (length - len(path))).encode()
    assert len(location) == length
    moved = send(content(b"", b"Location: " + location, status=b"307 Temporary Redirect"))
    with RawServer(moved) as server:
        options = {"api_key": KEY, "base_url": server.url, "max_retries": 0}
        if followed:
            assert oaii.runs_create_run_request("thread_a", "asst_1", **options).id == "run_r1"
            assert server.requests[1].head.split(b" ")[1] == location
        else:
            with pytest.raises(APIStatusError) as info:
                oaii.runs_create_run_request("thread_a", "asst_1", **options)
            assert info.value.status_code == 307 and len(server.requests) == 1
