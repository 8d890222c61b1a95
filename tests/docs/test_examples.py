"""Every Python block in README.md, api.md, CONTRIBUTING.md and docs/*.md runs as written, in CI.

Each block runs alone, in a process of its own, against ``python -m oaii.server``
started here, with the quick start's two variables exported (``OAII_BASE_URL`` pointing at it,
``OAII_API_KEY=sk-local``) and no other OpenAI/oaii variable: so no block can lean on another's
names or leftovers.  A block holding ``>>>`` lines runs as a doctest, one that defines
``test_...`` functions runs under pytest (the oaii_server fixture comes from the plugin), any
other as a script.  A fence whose info string is ``python no-run`` is shown, not run (say why in
the text around it); blocks in other languages (``sh``, ``console``) are not run.

The blocks run concurrently (they are independent by construction), started when the first test
asks for its result; each test waits for its own.  Each process is forked from an interpreter
that has imported the official SDK, httpx and pytest, never oaii (tests/_forkserver.py): the
same code run as ``python block.py`` would run, without paying those imports 36 times.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from .._forkserver import ForkServer
from ..conftest import metadata_limits, spec_has

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
BLOCK_TIMEOUT = 60


def documents() -> list[Path]:
    names = [
        ROOT / "README.md",
        ROOT / "api.md",
        ROOT / "CONTRIBUTING.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ]
    return [p for p in names if p.is_file()]


@dataclass(frozen=True)
class Block:
    path: str  # relative to the project
    line: int
    info: str
    code: str

    @property
    def kind(self) -> str:
        words = self.info.split()
        if not words or words[0] != "python":
            return "other"
        if "no-run" in words[1:]:
            return "no-run"
        if re.search(r"^>>> ", self.code, re.MULTILINE):
            return "doctest"
        if re.search(r"^(async )?def test_", self.code, re.MULTILINE):
            return "pytest"
        return "script"

    @property
    def needs(self) -> list[str]:
        """What the block shows of the spec (``needs=tool:file_search,limit:metadata`` in its
        fence): on a spec without it (a regeneration from an older upstream) the block is skipped."""
        words = [w for w in self.info.split() if w.startswith("needs=")]
        return [n for w in words for n in w.removeprefix("needs=").split(",") if n]

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(str(path.relative_to(ROOT)), line, match["info"].strip(), match["code"]))
    return found


RUNNABLE = [b for b in blocks() if b.kind in ("script", "doctest", "pytest")]


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "oaii.server", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the socket listens
        url = line.rsplit(" ", 1)[-1].strip()
        assert url.startswith("http://127.0.0.1:"), f"the server said {line!r}"
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OAII_", "OPENAI_"))}
    env.update(OAII_BASE_URL=url, OAII_API_KEY="sk-local", PYTHONDONTWRITEBYTECODE="1")
    return env


DOCTEST = (
    "import doctest, sys\n"
    "failed, tried = doctest.testfile(sys.argv[1], module_relative=False, optionflags=doctest.ELLIPSIS)\n"
    "sys.exit(1 if failed or not tried else 0)\n"
)


def run_block(block: Block, url: str, workdir: Path, forks: ForkServer) -> subprocess.CompletedProcess[str]:
    workdir.mkdir(parents=True)
    if block.kind == "doctest":
        (workdir / "block.txt").write_text(block.code, encoding="utf-8")
        argv = [sys.executable, "-c", DOCTEST, "block.txt"]
    elif block.kind == "pytest":
        (workdir / "test_block.py").write_text(block.code, encoding="utf-8")
        # Without this project's dev-only plugins (schemathesis alone costs 1.5 s of CPU a start):
        # a reader's environment has pytest and oaii's plugin, not them.
        dev_only = ["-p", "no:schemathesis", "-p", "no:hypothesispytest"]
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *dev_only, "test_block.py"]
    else:
        (workdir / "block.py").write_text(block.code, encoding="utf-8")
        argv = [sys.executable, "block.py"]
    return forks.run(argv, cwd=workdir, env=environment(url), timeout=BLOCK_TIMEOUT)


@pytest.fixture(scope="module")
def results(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future]]:
    base = tmp_path_factory.mktemp("blocks")
    forks = ForkServer(preload=("openai", "httpx", "pytest", "doctest"), env=environment(server_url))
    try:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 2)) as pool:
            futures = {
                b.id: pool.submit(run_block, b, server_url, base / f"{i:03d}", forks)
                for i, b in enumerate(RUNNABLE)
            }
            yield futures
    finally:
        forks.close()


def _spec_lacks(need: str) -> bool:
    if need == "limit:metadata":  # the spec caps metadata (pairs, key and value lengths)
        try:
            metadata_limits()
        except pytest.skip.Exception:
            return True
        return False
    return not spec_has(need)


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.id for b in RUNNABLE])
def test_block_runs_as_written(block: Block, results: dict[str, Future]) -> None:
    if lacking := [need for need in block.needs if _spec_lacks(need)]:
        pytest.skip(f"{block.id} shows what the vendored spec lacks: {', '.join(lacking)}")
    result = results[block.id].result()
    assert result.returncode == 0, (
        f"{block.id} ({block.kind}) exited {result.returncode}\n"
        f"--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
    )


def test_the_readme_is_short_and_its_blocks_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("\n") <= 300
    kinds = [b.kind for b in blocks() if b.path == "README.md"]
    assert kinds.count("script") >= 5 and "doctest" in kinds and "pytest" in kinds
    # A block not run is rare, and always says so in its fence.
    assert kinds.count("no-run") <= 2


def test_the_runner_tells_kinds_apart() -> None:
    def kind(info: str, code: str) -> str:
        return Block("x.md", 1, info, code).kind

    assert kind("python", "print(1)\n") == "script"
    assert kind("python", ">>> 1 + 1\n2\n") == "doctest"
    assert kind("python", "def test_x():\n    pass\n") == "pytest"
    assert kind("python no-run", "print(1)\n") == "no-run"
    assert kind("sh", "make test\n") == "other"
    assert kind("console", "$ oaii server\n") == "other"


LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)#\s]+)")


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_name_files_that_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    missing = []
    for target in LINK.findall(text):
        resolved = (path.parent / target).resolve()
        if not resolved.exists():
            missing.append(target)
    assert missing == []


def test_the_quick_start_reaches_the_runs_reply(results: dict[str, Future]) -> None:
    """The README's first Python block is the whole flow: the run completes, and the message it
    wrote on the thread is the assistant's reply."""
    quick_start = next(b for b in RUNNABLE if b.path == "README.md")
    result = results[quick_start.id].result()
    assert result.returncode == 0, result.stderr[-3000:]
    status_line, reply_line = result.stdout.splitlines()[:2]
    assert status_line.startswith("run_") and status_line.endswith(" completed")
    assert reply_line.startswith("assistant ") and len(reply_line) > len("assistant ")
