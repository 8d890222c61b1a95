"""What every benchmark part shares: the server in its own process, the request, the statistics."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

KEY = "sk-bench"
ASSISTANT = "asst_bench"
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "OpenAI-Beta": "assistants=v2",
    "Content-Type": "application/json",
}
FIELDS: dict[str, Any] = {
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "metadata": {"bench": "yes"},
}
BODY = json.dumps({"assistant_id": ASSISTANT, **FIELDS}).encode()
READY_TIMEOUT = 20.0


@contextmanager
def server_process() -> Iterator[str]:
    """``python -m oaii.server --port 0`` in a process of its own; yields its base URL once it accepts.

    The server prints its URL after binding; a TCP connect then proves it accepts
    (polled against a deadline, no fixed sleep)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "oaii.server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the server exited before listening (code {proc.wait()})")
        url = line.rsplit(" ", 1)[-1].strip()
        port = int(url.rsplit(":", 1)[1].split("/", 1)[0])
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the benchmark server did not accept connections") from None
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Stat:
    """Median and range (min-max) of repeated measurements."""

    def __init__(self, values: Sequence[float]) -> None:
        if not values:
            raise ValueError("no measurements")
        self.values = list(values)
        self.median = statistics.median(values)
        self.low = min(values)
        self.high = max(values)

    def us(self) -> str:
        return f"{self.median * 1e6:.0f} ({self.low * 1e6:.0f}-{self.high * 1e6:.0f})"

    def ms(self) -> str:
        return f"{self.median * 1e3:.0f} ({self.low * 1e3:.0f}-{self.high * 1e3:.0f})"

    def x(self) -> str:
        return f"{self.median:.2f}x ({self.low:.2f}-{self.high:.2f})"


def ratios(top: Sequence[float], bottom: Sequence[float]) -> Stat:
    """Round-by-round ratios: the variants took turns, so each pair shares the same drift."""
    return Stat([a / b for a, b in zip(top, bottom, strict=True)])


def rotated(names: Sequence[str], turn: int) -> list[str]:
    """The order of a round: rotated each round, so no variant always runs right after another."""
    k = turn % len(names)
    return [*names[k:], *names[:k]]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine_line() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(
        f"{name} {version(name)}"
        for name in ("oaii", "httpx", "httpcore", "openai", "aiohttp", "httpx-aiohttp")
    )
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {cpu_model()}, nproc {cores} · "
        f"{platform.python_implementation()} {platform.python_version()} · {versions}"
    )


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
