"""The fork server the docs' blocks and the command-line tests run on (tests/_forkserver.py)
gives what a new interpreter gives: each program is run both ways and the results compared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .._forkserver import SUPPORTED, ForkServer

SCRIPT = (
    "import os, sys, threading\n"
    "print(sys.argv[1:], os.path.basename(sys.path[0]), os.path.basename(os.getcwd()), __name__)\n"
    "print(os.environ.get('ONLY_HERE'), 'PATH' in os.environ, sys.stdin.read() == '')\n"
    "threading.Thread(target=lambda: print('a thread ends before the process')).start()\n"
    "import atexit; atexit.register(print, 'atexit ran')\n"
)

PROGRAMS = {
    "script": (["{dir}/prog.py", "a", "b"], SCRIPT),
    "exit-code": (["{dir}/prog.py"], "import sys; sys.exit(7)\n"),
    "exit-text": (["{dir}/prog.py"], "raise SystemExit('gone: a reason')\n"),
    "exit-none": (["{dir}/prog.py"], "raise SystemExit\n"),
    "uncaught": (["{dir}/prog.py"], "print('before'); {}['missing']\n"),
    "code": (["-c", "import sys; print(sys.argv, __name__); sys.stderr.write('e')", "x"], ""),
    "module": (["-m", "json.tool", "{dir}/data.json"], ""),
    "pickles-main": (
        ["{dir}/prog.py"],
        "import pickle\nclass A: pass\nprint(type(pickle.loads(pickle.dumps(A()))))\n",
    ),
    # __main__ is still the program's while atexit runs (runpy's is put back when it returns)
    "main-at-exit": (
        ["{dir}/prog.py"],
        "import atexit, pickle\nclass A: pass\natexit.register(lambda: print(type(pickle.loads(pickle.dumps(A())))))\n",
    ),
    "main-at-exit-module": (
        ["-m", "prog"],
        "import atexit, sys\natexit.register(lambda: print(sys.modules['__main__'].x))\nx = 1\n",
    ),
    # stderr is line-buffered and backslash-escapes what it cannot encode; stdout's errors are the
    # interpreter's own for its locale
    "stderr-before-os-exit": (
        ["{dir}/prog.py"],
        "import os, sys; sys.stderr.write('said\\n'); os._exit(3)\n",
    ),
    "stream-settings": (
        ["{dir}/prog.py"],
        "import sys\nfor s in (sys.stdout, sys.stderr): print(s.encoding, s.errors, s.line_buffering)\n",
    ),
    "unencodable-stderr": (["{dir}/prog.py"], "import sys; sys.stderr.write('\\udcff\\n')\n"),
    "excepthook": (
        ["{dir}/prog.py"],
        "import sys\nsys.excepthook = lambda *e: print('hooked', e[0].__name__, file=sys.stderr)\nraise ValueError\n",
    ),
    "interrupted": (["{dir}/prog.py"], "raise KeyboardInterrupt\n"),  # dies of SIGINT, as Python does
    "open-fds": (["{dir}/prog.py"], "import os; print(sorted(map(int, os.listdir('/proc/self/fd'))))\n"),
}


@pytest.fixture(scope="module")
def forks() -> Iterator[ForkServer]:
    server = ForkServer(preload=("json",))
    yield server
    server.close()


@pytest.mark.skipif(
    not SUPPORTED, reason="os.fork or os.pidfd_open missing: the fork server is subprocess.run"
)
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_a_forked_run_is_a_new_interpreters_run(forks: ForkServer, tmp_path: Path, name: str) -> None:
    argv, source = PROGRAMS[name]
    (tmp_path / "prog.py").write_text(source)
    (tmp_path / "data.json").write_text('{"b": 1}')
    argv = [sys.executable, *(a.replace("{dir}", str(tmp_path)) for a in argv)]
    env = {"PATH": os.environ["PATH"], "ONLY_HERE": "yes"}
    expected = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    got = forks.run(argv, cwd=tmp_path, env=env, timeout=30)
    assert (got.returncode, got.stdout) == (expected.returncode, expected.stdout)
    # A traceback's frames differ (the fork server's own frame is in it); its last line does not.
    assert got.stderr.splitlines()[-1:] == expected.stderr.splitlines()[-1:]


@pytest.mark.skipif(
    not SUPPORTED, reason="os.fork or os.pidfd_open missing: the fork server is subprocess.run"
)
def test_a_run_past_its_timeout_is_killed(forks: ForkServer, tmp_path: Path) -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        forks.run([sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path, env={}, timeout=0.2)
    after = forks.run([sys.executable, "-c", "print('still serving')"], cwd=tmp_path, env={}, timeout=30)
    assert after.stdout == "still serving\n"


@pytest.mark.skipif(
    not SUPPORTED, reason="os.fork or os.pidfd_open missing: the fork server is subprocess.run"
)
def test_requests_that_arrive_together_all_run(tmp_path: Path) -> None:
    """Threads share one fork server: requests written while the zygote is busy (here: stopped)
    reach it in one read, and each of them runs."""
    forks = ForkServer()
    try:
        assert forks._zygote is not None
        os.kill(forks._zygote.pid, signal.SIGSTOP)
        with ThreadPoolExecutor(4) as pool:
            runs = [
                pool.submit(
                    forks.run, [sys.executable, "-c", f"print({i})"], cwd=tmp_path, env={}, timeout=10
                )
                for i in range(4)
            ]
            deadline = time.monotonic() + 10
            while len(forks._pending) < 4:  # poll: each is written once it is pending
                assert time.monotonic() < deadline
                time.sleep(0.001)
            os.kill(forks._zygote.pid, signal.SIGCONT)
            assert [run.result().stdout for run in runs] == [f"{i}\n" for i in range(4)]
    finally:
        forks.close()
