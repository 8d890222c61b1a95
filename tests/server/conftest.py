"""Fixtures of the server's tests: a fake Chat Completions backend on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake_backend import FakeBackend


@pytest.fixture
def fake_backend() -> Iterator[FakeBackend]:
    """A fake model backend; every request it got, and everything it sent, was valid against
    upstream's chat schemas (checked when the test ends)."""
    with FakeBackend() as backend:
        yield backend
    assert backend.problems == []
