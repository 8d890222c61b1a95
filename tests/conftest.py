"""Shared fixtures: a real local server on loopback, and a clean environment."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from oaii.server import LocalServer

KEY = "sk-test-0123456789abcdefSECRET"
ENV_VARS = (
    "OAII_API_KEY",
    "OPENAI_API_KEY",
    "OAII_BASE_URL",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def opts(server: LocalServer) -> dict[str, object]:
    """Keyword arguments pointing a call at the local server with the test key."""
    return {"base_url": server.url, "api_key": KEY}


@pytest.fixture
def fast_retry() -> object:
    from oaii import RetryPolicy

    return RetryPolicy(max_retries=2, backoff_base=0.001, backoff_max=0.01)


def pytest_report_header() -> str:
    was_set = sorted(v for v in ENV_VARS if v in os.environ)
    return f"oaii tests: loopback only; these variables are cleared in each test: {was_set}"
