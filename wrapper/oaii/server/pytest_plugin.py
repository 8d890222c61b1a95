"""The pytest plugin (entry point ``pytest11``): an ``oaii_server`` fixture.

    def test_my_code(oaii_server):
        run = my_code(base_url=oaii_server.url)      # a fresh LocalServer per test
        oaii_server.inject(Fault(status=503))

Options: ``@pytest.mark.oaii_server(api_key="sk-x", run_expiry=1.0, ...)`` passes
keywords to ``LocalServer``.  Ids are the server's own (create the assistant and thread
first, as with the hosted API); ``@pytest.mark.oaii_server(create_missing=True)`` lets any
well-formed ``thread_...``/``asst_...`` id name an empty thread or a default assistant.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import LocalServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "oaii_server(**options): keyword options for the oaii_server fixture's LocalServer"
    )


@pytest.fixture
def oaii_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """A local Assistants-compatible server on 127.0.0.1 for one test; ``.url`` is the base URL."""
    marker = request.node.get_closest_marker("oaii_server")
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    with LocalServer(**options) as server:
        yield server
