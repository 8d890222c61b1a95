"""No lost or duplicated runs: createRun's Idempotency-Key, and recovery from a server that ignores it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import oaii
import pytest
from oaii import APIStatusError, EarlierRunError, RetryPolicy
from oaii.server import Fault, LocalServer

from ..conftest import KEY

FAST = RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)


def _runs_on(server: LocalServer, thread_id: str) -> list[dict[str, Any]]:
    """The thread's runs, as the server lists them (a third party's view, not the client's)."""
    answer = httpx.get(
        f"{server.url}/threads/{thread_id}/runs",
        headers={"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"},
    )
    assert answer.status_code == 200
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def _posts(server: LocalServer) -> list[Any]:
    return [r for r in server.requests if r.method == "POST"]


CALLS = {
    "create": lambda url, **kw: oaii.runs_create_run_request(
        "thread_i", "asst_1", api_key=KEY, base_url=url, **kw
    ),
    "poll": lambda url, **kw: oaii.runs_create_run_and_poll(
        "thread_i", "asst_1", api_key=KEY, base_url=url, poll_interval=0, **kw
    ),
    "async create": lambda url, **kw: asyncio.run(
        oaii.runs_create_run_request_async("thread_i", "asst_1", api_key=KEY, base_url=url, **kw)
    ),
    "async poll": lambda url, **kw: asyncio.run(
        oaii.runs_create_run_and_poll_async(
            "thread_i", "asst_1", api_key=KEY, base_url=url, poll_interval=0, **kw
        )
    ),
}


@pytest.mark.parametrize("call", CALLS)
def test_lost_answer_retried_with_the_same_key_creates_one_run(server: LocalServer, call: str) -> None:
    server.inject(Fault("drop_response"))  # the run is made, then the connection closes unanswered
    run = CALLS[call](server.url, max_retries=FAST)
    posts = _posts(server)
    assert len(posts) == 2
    assert posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]
    assert posts[0].body == posts[1].body
    assert [r["id"] for r in _runs_on(server, "thread_i")] == [run.id]


@pytest.mark.parametrize("call", CALLS)
def test_server_ignoring_the_key_still_yields_this_calls_own_run(call: str) -> None:
    with LocalServer(create_missing=True, idempotency=False) as server:
        server.inject(Fault("drop_response"))
        run = CALLS[call](server.url, max_retries=FAST)
        listed = _runs_on(server, "thread_i")
        assert [r["id"] for r in listed] == [run.id]
        # POST (lost), POST (400: active run), then the GET that identified the run as this call's
        methods = [r.method for r in server.requests]
        assert methods[:3] == ["POST", "POST", "GET"]
        assert server.requests[2].path.endswith(f"/runs/{run.id}")


def test_an_active_run_that_is_not_ours_is_reported_with_its_id() -> None:
    with LocalServer(create_missing=True, idempotency=False) as server:
        other = oaii.runs_create_run_request("thread_o", "asst_other", api_key=KEY, base_url=server.url)
        server.inject(Fault("reset"))  # our first attempt's outcome is unknown; it made nothing
        with pytest.raises(EarlierRunError) as info:
            oaii.runs_create_run_request(
                "thread_o", "asst_1", api_key=KEY, base_url=server.url, max_retries=FAST
            )
    assert info.value.run_id == other.id
    assert info.value.status_code == 400
    assert f"may have created {other.id}" in info.value.message_long
    assert isinstance(info.value, APIStatusError)


def test_a_busy_thread_without_a_lost_attempt_is_a_plain_error(server: LocalServer) -> None:
    oaii.runs_create_run_request("thread_b", "asst_1", api_key=KEY, base_url=server.url)
    with pytest.raises(APIStatusError) as info:
        oaii.runs_create_run_request("thread_b", "asst_1", api_key=KEY, base_url=server.url)
    assert not isinstance(info.value, EarlierRunError)  # nothing was uncertain: no fetch, no guess
    assert [r.method for r in server.requests] == ["POST", "POST"]


def test_stream_whose_answer_was_lost_names_the_run() -> None:
    with LocalServer(create_missing=True, idempotency=False) as server:
        server.inject(Fault("drop_response"))
        # A function tool parks the run at requires_action, so it is still active when the retry comes.
        tool = {"type": "function", "function": {"name": "lookup"}}
        with pytest.raises(EarlierRunError) as info:
            oaii.runs_create_run_stream(
                "thread_s", "asst_1", tools=[tool], api_key=KEY, base_url=server.url, max_retries=FAST
            )
        (listed,) = _runs_on(server, "thread_s")
    assert info.value.run_id == listed["id"]
    assert "event stream was lost" in info.value.message_long


def test_same_key_different_body_is_refused_by_the_server(server: LocalServer) -> None:
    first = oaii.runs_create_run_request(
        "thread_k", "asst_1", api_key=KEY, base_url=server.url, idempotency_key="order-42"
    )
    again = oaii.runs_create_run_request(
        "thread_k", "asst_1", api_key=KEY, base_url=server.url, idempotency_key="order-42"
    )
    assert again.id == first.id  # a replay, not a second run
    with pytest.raises(APIStatusError) as info:
        oaii.runs_create_run_request(
            "thread_k",
            "asst_1",
            api_key=KEY,
            base_url=server.url,
            idempotency_key="order-42",
            instructions="x",
        )
    assert 400 <= (info.value.status_code or 0) < 500
    assert len(_runs_on(server, "thread_k")) == 1


def test_earlier_run_error_pickles_with_its_run_id() -> None:
    import pickle

    error = EarlierRunError("HTTP 400", status_code=400, message_long="HTTP 400; may have created run_1")
    error.run_id = "run_1"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is EarlierRunError and copy.run_id == "run_1" and copy.status_code == 400
