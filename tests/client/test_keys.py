"""Key lookup: argument, then OAII_API_KEY, then OPENAI_API_KEY; none: an error and no request."""

from __future__ import annotations

import pytest
from oaii import (
    APIStatusError,
    Client,
    InputError,
    MissingApiKeyError,
    api_get_key,
    api_set_key,
    runs_create_run_request,
)
from oaii.server import Fault, LocalServer


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


@pytest.mark.parametrize("key", ["!sk-first-printable", "sk-last-printable~", "!~"])
def test_every_printable_ascii_character_may_be_in_a_key(server: LocalServer, key: str) -> None:
    runs_create_run_request("thread_pk", "asst_1", base_url=server.url, api_key=key)
    assert server.requests[-1].authorized_with(key)


@pytest.mark.parametrize("key", ["sk-with space", "sk-tab\tkey", "sk-del\x7f", "sk-é"])
def test_a_key_that_cannot_go_in_a_header_is_refused(server: LocalServer, key: str) -> None:
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_pk", "asst_1", base_url=server.url, api_key=key)
    assert info.value.rule == ("the api_key argument has whitespace or characters that cannot go in a header")
    assert len(server.requests) == 0


@pytest.mark.parametrize(
    "key", ["", "   ", "\t", 5, b"sk-bytes"], ids=["empty", "spaces", "tab", "int", "bytes"]
)
def test_a_key_that_is_not_a_non_empty_string_is_refused(server: LocalServer, key: object) -> None:
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_pk", "asst_1", base_url=server.url, api_key=key)  # type: ignore[arg-type]
    assert (info.value.argument, info.value.rule) == (
        "api_key",
        "the api_key argument must be a non-empty string",
    )
    assert len(server.requests) == 0


def test_an_empty_variable_is_skipped(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAII_API_KEY", "")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    runs_create_run_request("thread_pk", "asst_1", base_url=server.url)
    assert server.requests[-1].authorized_with("sk-openai")


def test_the_messages_say_where_the_key_was_looked_for(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(MissingApiKeyError) as info:
        runs_create_run_request("thread_1", "asst_1", base_url=server.url)
    assert (
        info.value.rule == "no API key found; looked in the api_key argument, $OAII_API_KEY, $OPENAI_API_KEY"
    )
    with pytest.raises(InputError) as info:
        api_set_key("")
    assert info.value.rule == "the key must be a non-empty string"
    monkeypatch.setenv("OPENAI_API_KEY", "sk bad")
    with pytest.raises(InputError) as info:
        runs_create_run_request("thread_1", "asst_1", base_url=server.url)
    assert info.value.rule == (
        "the environment variable OPENAI_API_KEY has whitespace or characters that cannot go in a header"
    )


@pytest.mark.parametrize(
    ("variable", "source"),
    [(None, "the api_key argument"), ("OAII_API_KEY", "the environment variable OAII_API_KEY")],
)
def test_a_401_says_where_the_key_came_from(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, variable: str | None, source: str
) -> None:
    server.inject(Fault(status=401, body=b'{"error": {"message": "Incorrect API key provided"}}'))
    options = {"base_url": server.url, "max_retries": 0}
    if variable is None:
        options["api_key"] = "sk-wrong"
    else:
        monkeypatch.setenv(variable, "sk-wrong")
    with pytest.raises(APIStatusError) as info:
        runs_create_run_request("thread_401", "asst_1", **options)
    assert f"; the API key came from {source}; check it (oaii never shows it)" in info.value.message_long
    assert str(Client(**options).settings.key) == f"<API key from {source}>"


def test_the_key_shows_as_redacted_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAII_API_KEY", "sk-env-0123456789")
    settings = Client().settings
    assert repr(settings.key) == "ApiKey(source='the environment variable OAII_API_KEY')"
    # The headers by name only: not a value, not even a hidden one.
    assert (
        repr(settings.headers)
        == "Headers(['Authorization', 'OpenAI-Beta', 'User-Agent', 'Accept', 'Accept-Encoding'])"
    )
    assert repr(settings.key.value) == "'<redacted>'"
    assert repr({"Authorization": settings.headers.pairs[0][1]}) == "{'Authorization': '<redacted>'}"
