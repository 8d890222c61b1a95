"""The installed ``oaii`` command, run as a user would, against the local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from oaii import runs_create_run_request
from oaii.server import Fault, LocalServer

from .._forkserver import run_command
from ..conftest import KEY, skip_unless_spec

OAII = str(Path(sys.executable).parent / "oaii")


def oaii(server: LocalServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    env.update(OAII_API_KEY=KEY, OAII_BASE_URL=server.url)
    return run_command([OAII, *args], env=env)


def test_create_human(server: LocalServer) -> None:
    result = oaii(
        server,
        "runs",
        "create",
        "--thread-id",
        "thread_cli",
        "--assistant-id",
        "asst_1",
        "--model",
        "gpt-4o-mini",
        "--tool",
        "code_interpreter",
        "--metadata",
        "user=jane",
        "team=r",
    )
    assert result.returncode == 0, result.stderr
    assert "status:    queued" in result.stdout
    assert "model:     gpt-4o-mini" in result.stdout
    assert server.requests[-1].json() == {
        "assistant_id": "asst_1",
        "model": "gpt-4o-mini",
        "tools": [{"type": "code_interpreter"}],
        "metadata": {"user": "jane", "team": "r"},
    }


def test_create_json(server: LocalServer) -> None:
    result = oaii(server, "runs", "create", "--thread-id", "thread_cj", "--assistant-id", "asst_1", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["object"] == "thread.run" and run["thread_id"] == "thread_cj"


def test_stream_prints_text(server: LocalServer) -> None:
    result = oaii(
        server, "runs", "create", "--thread-id", "thread_cs", "--assistant-id", "asst_1", "--stream"
    )
    assert result.returncode == 0, result.stderr
    assert "Hello from the oaii local server!" in result.stdout
    assert "[thread.run.completed]" in result.stdout


def test_poll_shows_live_status(server: LocalServer) -> None:
    result = oaii(server, "runs", "create", "--thread-id", "thread_cp", "--assistant-id", "asst_1", "--poll")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["status: queued", "status: in_progress", "status: completed"]


def test_get(server: LocalServer) -> None:
    run = runs_create_run_request("thread_cg", "asst_1", base_url=server.url, api_key=KEY)
    result = oaii(server, "runs", "get", "--thread-id", "thread_cg", "--run-id", run.id, "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["status"] == "in_progress"


def test_errors_print_message_long_and_never_the_key(server: LocalServer) -> None:
    echo = json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}})
    server.inject(Fault(status=401, body=echo.encode()))
    result = oaii(server, "runs", "create", "--thread-id", "thread_ce", "--assistant-id", "asst_1")
    assert result.returncode == 1
    assert result.stderr.startswith("oaii: error: HTTP 401 Unauthorized, received error message:")
    assert "$OAII_API_KEY" in result.stderr or "OAII_API_KEY" in result.stderr
    assert KEY not in result.stdout + result.stderr


def test_bad_argument_exits_2_and_sends_nothing(server: LocalServer) -> None:
    result = oaii(
        server, "runs", "create", "--thread-id", "thread_cb", "--assistant-id", "asst_1", "--temperature", "7"
    )
    assert result.returncode == 2
    assert "invalid argument 'temperature'" in result.stderr
    assert len(server.requests) == 0


def test_oaii_server_command() -> None:
    proc = subprocess.Popen(
        [OAII, "server", "--port", "0", "--create-missing"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once listening: readiness without sleeping
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:")
        run = runs_create_run_request("thread_srv", "asst_1", base_url=url, api_key=KEY)
        assert run.thread_id == "thread_srv"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_demo_runs_from_the_module() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    result = subprocess.run(
        [sys.executable, "-m", "oaii.demo"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "against the embedded local server at http://127.0.0.1:" in result.stdout
    assert result.stdout.rstrip().endswith("is completed")


def test_v1_tool_gets_the_library_message(server: LocalServer) -> None:
    skip_unless_spec("!tool:retrieval")
    result = oaii(
        server,
        "runs",
        "create",
        "--thread-id",
        "thread_cr",
        "--assistant-id",
        "asst_1",
        "--tool",
        "retrieval",
    )
    assert result.returncode == 2
    assert "in v2 it became 'file_search'" in result.stderr
    assert len(server.requests) == 0


def test_stream_text_ends_its_line(server: LocalServer) -> None:
    result = oaii(
        server, "runs", "create", "--thread-id", "thread_cl", "--assistant-id", "asst_1", "--stream"
    )
    assert "completed locally.\n[thread.run.completed]" in result.stdout


def test_set_passes_any_field_as_json(server: LocalServer) -> None:
    skip_unless_spec("top_p", "truncation_strategy")
    result = oaii(
        server,
        "runs",
        "create",
        "--thread-id",
        "thread_cset",
        "--assistant-id",
        "asst_1",
        "--set",
        "top_p=0.5",
        "--set",
        'truncation_strategy={"type": "last_messages", "last_messages": 2}',
    )
    assert result.returncode == 0, result.stderr
    assert server.requests[-1].json() == {
        "assistant_id": "asst_1",
        "top_p": 0.5,
        "truncation_strategy": {"type": "last_messages", "last_messages": 2},
    }


def test_set_bad_json_or_unknown_field(server: LocalServer) -> None:
    result = oaii(
        server,
        "runs",
        "create",
        "--thread-id",
        "thread_cbad",
        "--assistant-id",
        "asst_1",
        "--set",
        "top_p=half",
    )
    assert result.returncode == 2 and "invalid argument 'top_p'" in result.stderr
    result = oaii(
        server,
        "runs",
        "create",
        "--thread-id",
        "thread_cbad",
        "--assistant-id",
        "asst_1",
        "--set",
        "topp=0.5",
    )
    assert result.returncode == 2 and "invalid argument 'topp'" in result.stderr
    assert len(server.requests) == 0


def test_version(server: LocalServer) -> None:
    import oaii as package

    result = oaii(server, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"oaii {package.__version__}"
