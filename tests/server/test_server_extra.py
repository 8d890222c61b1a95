"""Packaging: the local server is the `server` extra (`pip install 'oaii[server]'`).

The client installs, imports and creates runs without it; the server, without it, says in
one line how to install it; the pytest plugin, registered wherever oaii is installed,
imports nothing heavy until its fixture is used.  "Without it" is a child process whose
path starts with a directory where every server-only module fails to import, as it does
in an environment without the extra.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HINT = "pip install 'oaii[server]'"


def server_only() -> list[str]:
    """The import names of the `server` extra's requirements, read from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [
        re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0] for req in project["optional-dependencies"]["server"]
    ]
    return [name.replace("-", "_") for name in names]


@pytest.fixture(scope="module")
def without_extra(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment for a child process in which the `server` extra is not installed."""
    blocked = tmp_path_factory.mktemp("no-server-extra")
    for name in server_only():
        (blocked / f"{name}.py").write_text(f"raise ImportError('{name} is not installed (test)')\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(blocked), env.get("PYTHONPATH")]))
    return env


@pytest.fixture(scope="module")
def server_process() -> Iterator[str]:
    """``python -m oaii.server --port 0`` in a process of its own (with the extra); its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "oaii.server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the socket listens
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:"), line
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_the_extra_is_what_only_the_server_imports() -> None:
    assert server_only() == ["jsonschema_rs"]  # pyproject.toml's `server` extra, read back
    result = run(
        f"import sys, oaii.server; print(sorted(m for m in sys.modules if m in {server_only()!r}))",
        dict(os.environ),
    )
    assert result.stdout.strip() == str(server_only()), result.stderr


def test_the_client_works_without_the_extra(without_extra: dict[str, str], server_process: str) -> None:
    # The thread and the assistant are made over plain HTTP, as any client would make them.
    code = (
        "import sys, httpx, oaii\n"
        f"url = {server_process!r}\n"
        "h = {'Authorization': 'Bearer sk-test', 'OpenAI-Beta': 'assistants=v2'}\n"
        "assistant = httpx.post(url + '/assistants', json={'model': 'gpt-4o'}, headers=h).json()['id']\n"
        "thread = httpx.post(url + '/threads', json={}, headers=h).json()['id']\n"
        "run = oaii.runs_create_run_request(thread, assistant, base_url=url, api_key='sk-test')\n"
        f"print(run.status, sorted(m for m in sys.modules if m.startswith('oaii.server') or m in {server_only()!r}))\n"
    )
    result = run(code, without_extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["queued", "[]"]


def test_the_blocked_modules_really_fail_to_import(without_extra: dict[str, str]) -> None:
    # The other tests here are only worth something if the child cannot import the extra.
    result = run("import oaii.server", without_extra)
    assert result.returncode == 1
    assert HINT in result.stderr.splitlines()[-1]
    assert "ServerExtraMissing" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    "argv",
    [
        [sys.executable, "-m", "oaii.server", "--port", "0"],
        [sys.executable, "-m", "oaii.cli", "server", "--port", "0"],
        [sys.executable, "-m", "oaii.demo"],  # what `make demo` runs
    ],
    ids=["python -m oaii.server", "oaii server", "make demo"],
)
def test_the_server_without_the_extra_says_how_to_install_it(
    without_extra: dict[str, str], argv: list[str]
) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, env=without_extra, timeout=60)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
    assert result.stderr.startswith("oaii: error: ")
    assert HINT in result.stderr


def test_the_pytest_plugin_imports_nothing_heavy(without_extra: dict[str, str]) -> None:
    """What every pytest start pays for the plugin: loading its entry point, pytest loaded."""
    code = (
        "import sys, pytest, importlib.metadata as md\n"
        "before = set(sys.modules)\n"
        "[ep.load() for ep in md.entry_points(group='pytest11') if ep.name == 'oaii']\n"
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('importlib')))\n"
    )
    result = run(code, without_extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['oaii', 'oaii._version', 'oaii.pytest_plugin']"


def test_the_fixture_without_the_extra_says_how_to_install_it(
    without_extra: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "test_user.py").write_text("def test_it(oaii_server):\n    pass\n")
    # schemathesis (a dev tool here) needs jsonschema_rs itself: a user without the extra has neither.
    options = ["-q", "-p", "no:cacheprovider", "-p", "no:schemathesis"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options, str(tmp_path / "test_user.py")],
        capture_output=True,
        text=True,
        env=without_extra,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert HINT in result.stdout


def test_import_oaii_loads_only_the_models_it_uses() -> None:
    """`import oaii` and a first call load the generated models they use, not every model in the
    generated package (which grows with the subset): a run's, a request's, and what they refer to."""
    code = (
        "import sys, oaii\n"
        "def models(): return {m.rsplit('.', 1)[-1] for m in sys.modules if m.startswith('oaii_openapi_client.models.')}\n"
        "print(len(models()))\n"
        "oaii.runs_create_run_request\n"
        "used = models()\n"
        "print('create_run_request' in used, 'run_object' in used, 'list_runs_response' in used)\n"
    )
    result = run(code, dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "True", "False", "False"]
