"""The ``oaii`` command, as a subprocess: server text cannot drive the terminal; every failure is one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from oaii.cli import safe
from oaii.server import Fault, LocalServer

from .._forkserver import run_command
from ..conftest import KEY

OAII = str(Path(sys.executable).parent / "oaii")
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    return run_command([OAII, *args], env={**clean, **env})


def in_process(
    capsys: pytest.CaptureFixture[str], *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``main`` in this process: the same code path, without a process start per case (the suite's time)."""
    from oaii.cli import main

    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's own exit, as the console script would see it
            code = int(exit.code or 0)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


def create(server: LocalServer, *args: str) -> subprocess.CompletedProcess[str]:
    return run(
        "runs", "create", "--thread-id", "thread_cli", "--assistant-id", "asst_1", *args,
        OAII_API_KEY=KEY, OAII_BASE_URL=server.url,
    )  # fmt: skip


def assert_no_controls(text: str) -> None:
    bad = [
        ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e"
    ]
    assert bad == [], text


def assert_one_error_line(result: subprocess.CompletedProcess[str], code: int, contains: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.rstrip("\n").splitlines()[-1]
    assert last.startswith("oaii: error: "), result.stderr
    assert contains in last, last
    assert KEY not in result.stdout + result.stderr


# ------------------------------------------------------------- escaping


def test_safe_escapes_controls_and_keeps_text() -> None:
    assert safe("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert safe("x\ny", multiline=True) == "x\ny" and safe("x\ny") == "x\\x0ay"
    assert safe("\x9b\u202e") == "\\x9b\\u202e"
    assert safe("café 😀") == "café 😀"


def test_run_fields_from_the_server_are_escaped(server: LocalServer) -> None:
    server.inject(Fault(kind="patch", patch={"model": f"gpt{ESCAPES}", "status": f"queued{ESCAPES}"}))
    result = create(server)
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout)
    assert "model:     gpt\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e" in result.stdout


def test_error_message_from_the_server_is_escaped(server: LocalServer) -> None:
    body = json.dumps({"error": {"message": f"nope{ESCAPES}\nsecond line {KEY}"}}).encode()
    server.inject(Fault(status=400, body=body))
    result = create(server)
    assert_one_error_line(result, 1, "received error message: 'nope\\x1b]0;pwned")
    assert_no_controls(result.stderr)


def test_streamed_text_is_escaped_but_keeps_its_lines(server: LocalServer) -> None:
    delta = {"delta": {"content": [{"type": "text", "text": {"value": f"line 1\nline 2{ESCAPES}"}}]}}
    body = (
        f"event: thread.message.delta\ndata: {json.dumps(delta)}\n\n"
        f"event: thread.ru\x1bn.weird\ndata: {{}}\n\nevent: done\ndata: [DONE]\n\n"
    ).encode()
    server.inject(Fault(status=200, body=body, headers={"Content-Type": "text/event-stream"}))
    result = create(server, "--stream")
    assert result.returncode == 0, result.stderr
    assert_no_controls(result.stdout)
    assert "line 1\nline 2\\x1b]0;pwned" in result.stdout


def test_json_output_escapes_too(server: LocalServer) -> None:
    server.inject(Fault(kind="patch", patch={"model": f"gpt{ESCAPES}"}))
    result = create(server, "--json")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)["model"] == f"gpt{ESCAPES}"


# ---------------------------------------------------- every failure: one line


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (["runs", "create", "--assistant-id", "asst_1"], "the following arguments are required: --thread-id"),
        (
            ["runs", "create", "--thread-id", "t", "--assistant-id", "a", "--timeout", "nan"],
            "expected seconds > 0",
        ),
        (
            ["runs", "create", "--thread-id", "t", "--assistant-id", "a", "--timeout", "-1"],
            "expected seconds > 0",
        ),
        (
            ["runs", "create", "--thread-id", "t", "--assistant-id", "a", "--poll-timeout", "x"],
            "expected seconds",
        ),
        (["runs", "fly"], "invalid choice"),
        (["server", "--port", "70000"], "expected a port from 0 to 65535"),
        (["server", "--port", "eighty"], "expected a port number"),
        (["runs", "get", "--thread-id", "t", "--run-id", "r", "--nope"], "unrecognized arguments: --nope"),
    ],
    ids=[
        "missing",
        "timeout-nan",
        "timeout-negative",
        "poll-timeout",
        "action",
        "port-range",
        "port-word",
        "flag",
    ],
)
def test_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str], contains: str) -> None:
    assert_one_error_line(in_process(capsys, *args), 2, contains)


def test_bad_argument_as_a_subprocess() -> None:
    assert_one_error_line(
        run("runs", "get", "--thread-id", "t", "--run-id", "r", "--timeout", "inf"), 2, "seconds"
    )


@pytest.mark.parametrize(
    ("args", "contains"),
    [
        (["--temperature", "nan"], "invalid argument 'temperature'"),
        (["--model", ""], "invalid argument 'model'"),
        (["--set", "top_p=NaN"], "invalid argument 'top_p'"),
        (["--metadata", "k\udcff=v"], "invalid argument 'metadata'"),
    ],
    ids=["temperature-nan", "empty-model", "set-nan", "metadata-surrogate"],
)
def test_bad_values_send_nothing(
    capsys: pytest.CaptureFixture[str], server: LocalServer, args: list[str], contains: str
) -> None:
    base = ["runs", "create", "--thread-id", "thread_cli", "--assistant-id", "asst_1"]
    result = in_process(capsys, *base, *args, OAII_API_KEY=KEY, OAII_BASE_URL=server.url)
    assert_one_error_line(result, 2, contains)
    assert len(server.requests) == 0


@pytest.mark.parametrize(
    ("env", "contains"),
    [
        ({"OAII_BASE_URL": "garbage"}, "invalid argument 'base_url'"),
        ({"OAII_BASE_URL": "http://[::1"}, "invalid argument 'base_url'"),
        ({"OAII_BASE_URL": "http://h\x01/v1"}, "invalid argument 'base_url'"),
        ({"OAII_API_KEY": "sk bad key"}, "invalid argument 'api_key'"),
        ({"OAII_API_KEY": ""}, "no API key found"),
        ({"OPENAI_ORG_ID": "org\x01"}, "invalid argument '$OPENAI_ORG_ID'"),
    ],
    ids=["url-garbage", "url-port", "url-control", "key-space", "key-empty", "org-control"],
)
def test_bad_environment(capsys: pytest.CaptureFixture[str], env: dict[str, str], contains: str) -> None:
    full = {"OAII_API_KEY": KEY, "OAII_BASE_URL": "http://127.0.0.1:9/v1", **env}
    result = in_process(capsys, "runs", "get", "--thread-id", "thread_1", "--run-id", "run_1", **full)
    assert_one_error_line(result, 2, contains)


def test_bad_environment_as_a_subprocess() -> None:
    result = run(
        "runs", "get", "--thread-id", "t", "--run-id", "r", OAII_API_KEY=KEY, OAII_BASE_URL="ftp://x"
    )
    assert_one_error_line(result, 2, "invalid argument 'base_url'")


def test_port_in_use() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("server", "--port", str(port))
    assert_one_error_line(result, 2, f"cannot listen on 127.0.0.1 port {port}")


def test_server_refuses_a_public_host() -> None:
    assert_one_error_line(run("server", "--host", "0.0.0.0"), 2, "binds loopback only")
