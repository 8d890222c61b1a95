"""The pytest plugin (entry point ``pytest11``): the README's example of a user's own test."""

from __future__ import annotations

import pytest
from oaii import APIStatusError, RetryPolicy, runs_create_run_and_poll, runs_create_run_request
from oaii.server import Fault, LocalServer


@pytest.mark.oaii_server(create_missing=True)  # any thread_/asst_ id: no assistant or thread made first
def test_my_code_creates_a_run(oaii_server: LocalServer) -> None:
    run = runs_create_run_request("thread_1", "asst_1", base_url=oaii_server.url, api_key="sk-test")
    assert run.status == "queued"
    assert oaii_server.requests[-1].json() == {"assistant_id": "asst_1"}


@pytest.mark.oaii_server(create_missing=True)
def test_my_code_survives_a_flaky_server(oaii_server: LocalServer) -> None:
    oaii_server.inject(Fault(status=503), Fault("reset"))  # the next two requests fail
    run = runs_create_run_and_poll(
        "thread_2",
        "asst_1",
        base_url=oaii_server.url,
        api_key="sk-test",
        max_retries=RetryPolicy(max_retries=2, backoff_base=0.001),
    )
    assert run.status == "completed"
    assert [r.method for r in oaii_server.requests][:3] == ["POST", "POST", "POST"]


@pytest.mark.oaii_server(api_key="sk-only-this")
def test_marker_passes_options(oaii_server: LocalServer) -> None:
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_3", "asst_1", base_url=oaii_server.url, api_key="sk-other")
    assert info.value.status_code == 401


def test_by_default_an_id_the_server_did_not_make_is_a_404(oaii_server: LocalServer) -> None:
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_4", "asst_1", base_url=oaii_server.url, api_key="sk-test")
    assert info.value.status_code == 404
    assert "No thread found with id 'thread_4'." in str(info.value.message_long)
