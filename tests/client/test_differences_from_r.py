"""docs/differences-from-r.md: its examples run as written, and its rows hold on the wire."""

from __future__ import annotations

import re
from pathlib import Path

import oaii
from oaii.server import LocalServer

from ..conftest import KEY

DOC = Path(__file__).resolve().parents[2] / "docs" / "differences-from-r.md"


def test_the_examples_run_as_written() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})


def test_the_headers_r_does_not_send(server: LocalServer) -> None:
    for thread_id in ("thread_r1", "thread_r2"):
        oaii.runs_create_run_request(thread_id, "asst_1", api_key=KEY, base_url=server.url)
    first, second = (request.headers for request in server.requests)
    assert first["OpenAI-Beta"] == second["OpenAI-Beta"] == "assistants=v2"
    assert first["User-Agent"].startswith(f"oaii-python/{oaii.__version__} httpx/")
    assert first["Idempotency-Key"] and first["Idempotency-Key"] != second["Idempotency-Key"]


def test_r_tools_example_literally_is_refused_before_sending(server: LocalServer) -> None:
    try:
        oaii.runs_create_run_request(
            "thread_r", "asst_1", tools={"type": "code_interpreter"}, api_key=KEY, base_url=server.url
        )
    except oaii.InputError as err:
        assert err.argument == "tools"
        assert err.rule.startswith("tools is a list of tools: wrap it in a list")
    else:
        raise AssertionError("a single tool dict was accepted")
    assert server.requests == []
