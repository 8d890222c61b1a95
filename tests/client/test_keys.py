"""Key lookup: argument, then OAII_API_KEY, then OPENAI_API_KEY; none: an error and no request."""

from __future__ import annotations

import pytest
from oaii import MissingApiKeyError, api_get_key, api_set_key, runs_create_run_request
from oaii.server import LocalServer


def test_lookup_order(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    runs_create_run_request("thread_1", "asst_1", base_url=server.url)
    assert server.requests[-1].authorized_with("sk-openai")
    monkeypatch.setenv("OAII_API_KEY", "sk-oaii")
    runs_create_run_request("thread_2", "asst_1", base_url=server.url)
    assert server.requests[-1].authorized_with("sk-oaii")
    runs_create_run_request("thread_3", "asst_1", base_url=server.url, api_key="sk-arg")
    assert server.requests[-1].authorized_with("sk-arg")


def test_api_set_and_get_key(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    assert api_get_key() is None
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert api_get_key() == "sk-openai"
    api_set_key("sk-set")
    assert api_get_key() == "sk-set"
    runs_create_run_request("thread_1", "asst_1", base_url=server.url)
    assert server.requests[-1].authorized_with("sk-set")
    with pytest.raises(ValueError, match="api_key"):
        api_set_key("")


def test_no_key_is_a_clear_error_and_sends_nothing(server: LocalServer) -> None:
    with pytest.raises(MissingApiKeyError) as info:
        runs_create_run_request("thread_1", "asst_1", base_url=server.url)
    assert "OAII_API_KEY" in str(info.value) and "OPENAI_API_KEY" in str(info.value)
    assert info.value.argument == "api_key"
    assert info.value.status_code is None
    assert len(server.requests) == 0


def test_base_url_from_environment(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAII_BASE_URL", server.url)
    run = runs_create_run_request("thread_env", "asst_1", api_key="sk-x")
    assert run.thread_id == "thread_env"
    assert len(server.requests) == 1
