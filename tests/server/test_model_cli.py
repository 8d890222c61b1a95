"""``oaii server`` and ``python -m oaii.server`` with a model backend: --model-base-url,
--model-map (repeatable), --model-timeout; the key from OAII_MODEL_API_KEY only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .._forkserver import run_command
from ._fake_backend import FakeBackend, Text

OAII = str(Path(sys.executable).with_name("oaii"))  # the console script beside this Python
COMMANDS = [[sys.executable, "-m", "oaii.server"], [OAII, "server"]]
HEADERS = {"Authorization": "Bearer sk-user", "OpenAI-Beta": "assistants=v2"}
KEY = "sk-cli-model-key-0123456789"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    return {**env, **extra}


@pytest.mark.parametrize("command", COMMANDS, ids=["python-m", "oaii-server"])
def test_the_command_line_runs_on_a_model(command: list[str], fake_backend: FakeBackend) -> None:
    fake_backend.script(Text("From the command line."))
    argv = [
        *command,
        "--port",
        "0",
        "--model-base-url",
        fake_backend.url,
        "--model-map",
        "gpt-4o=fake-llama",
        "--model-map",
        "*=fake-other",
        "--model-timeout",
        "5",
    ]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(OAII_MODEL_API_KEY=KEY)
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[-1].strip()  # printed once listening
        assert url.startswith("http://127.0.0.1:")
        said = proc.stdout.readline()
        assert (
            said.strip()
            == f"runs are carried out by the model backend at {fake_backend.url}/chat/completions"
        )
        with httpx.Client(base_url=url, headers=HEADERS) as http:
            assistant = http.post("/assistants", json={"model": "gpt-4o"}).json()
            thread = http.post("/threads", json={"messages": [{"role": "user", "content": "Hi"}]}).json()
            run = http.post(f"/threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]}).json()
            while run["status"] in ("queued", "in_progress"):
                run = http.get(f"/threads/{thread['id']}/runs/{run['id']}").json()
            messages = http.get(f"/threads/{thread['id']}/messages", params={"order": "asc"}).json()["data"]
        assert run["status"] == "completed"
        assert messages[-1]["content"][0]["text"]["value"] == "From the command line."
        sent = fake_backend.requests[0]
        assert sent.headers["authorization"] == f"Bearer {KEY}" and sent.body["model"] == "fake-llama"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert KEY not in out + err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--model-api-key", KEY], "unrecognized arguments"),  # never on a command line
        (
            ["--model-base-url", "http://127.0.0.1:9/v1", "--model-map", "gpt-4o"],
            "--model-map takes NAME=MODEL",
        ),
        (["--model-base-url", "http://127.0.0.1:9/v1", "--model-map", "=x"], "--model-map takes NAME=MODEL"),
        (["--model-map", "a=b"], "--model-map and --model-timeout need --model-base-url"),
        (["--model-base-url", "ftp://127.0.0.1/v1"], "model_base_url must be an http:// or https:// URL"),
        (["--model-base-url", "http://127.0.0.1:9/v1", "--model-timeout", "0"], "model_timeout must be"),
    ],
)
def test_bad_model_options_are_refused(args: list[str], words: str) -> None:
    result = run_command(
        [sys.executable, "-m", "oaii.server", "--port", "0", *args], env=_env(OAII_MODEL_API_KEY=KEY)
    )
    assert result.returncode == 2 and words in result.stderr, result.stderr
    assert result.stdout == "" and KEY not in result.stderr.replace(f"--model-api-key {KEY}", "")
