"""Run Python commands as a user would, each in its own process, without paying a new
interpreter's start each time.

Why: a test that runs ``python block.py`` or the ``oaii`` command pays, before the first line of
the code under test, an interpreter's start and the imports of the libraries it uses (the
official SDK alone costs 0.6 s of CPU).  The suite runs a hundred such commands.  Here one
interpreter (the zygote) imports the third-party libraries once (never oaii: its import is part
of what each command tests), then forks a child per command.  The child starts with no names of
its own, sets ``sys.argv``, ``sys.path[0]``, the environment, the working directory and the three
standard streams as the command line would, runs the script, module or ``-c`` code as
``__main__``, and ends as an interpreter does (non-daemon threads joined, ``atexit`` run, the exit
code from ``SystemExit`` or 1 after an uncaught exception, with its traceback on stderr).

``ForkServer.run`` returns a ``subprocess.CompletedProcess`` like ``subprocess.run``; where
``os.fork`` or ``os.pidfd_open`` is missing it *is* ``subprocess.run``.  The zygote is
single-threaded (forking a threaded process is unsafe); it waits on the children's pidfds and
its request pipe with one selector.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

SUPPORTED = hasattr(os, "fork") and hasattr(os, "pidfd_open")

ZYGOTE = r'''
import importlib, json, os, selectors, signal, sys

for name in sys.argv[1:]:
    importlib.import_module(name)
replies = sys.stdout.buffer
selector = selectors.DefaultSelector()
# Requests are read from fd 0 itself: a buffered readline would take in every line that has
# arrived and return one, and the selector would not wake for the others.
selector.register(0, selectors.EVENT_READ, None)
unread = b""


def reply(**fields):
    replies.write(json.dumps(fields).encode() + b"\n")
    replies.flush()


def child(request):
    """In the fork: become the command, run it, and end as an interpreter ends."""
    import atexit, builtins, importlib.machinery, runpy, threading, types, zipfile

    for key in list(selector.get_map().values()):
        if key.data is not None:  # a sibling's pidfd: not this command's to hold
            os.close(key.fd)
    selector.close()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)  # the program starts with 0, 1 and 2 only
    # The streams as a new interpreter makes them: this one's own encodings and errors (same
    # locale), stderr line-buffered and backslash-escaping; __stdout__ and the rest are them too.
    stdin, stdout, stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__
    sys.stdin = sys.__stdin__ = open(0, encoding=stdin.encoding, errors=stdin.errors, closefd=False)
    sys.stdout = sys.__stdout__ = open(
        1, "w", encoding=stdout.encoding, errors=stdout.errors, closefd=False
    )
    sys.stderr = sys.__stderr__ = open(
        2, "w", buffering=1, encoding=stderr.encoding, errors="backslashreplace", closefd=False
    )
    kind, target, args = request["kind"], request["target"], request["args"]
    # The program's own __main__, kept to the end (runpy.run_path and run_module put the old one
    # back when the code returns: atexit and threads would meet this zygote's).
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    code, interrupted = 0, False
    try:
        if kind == "module":
            sys.argv = [target, *args]
            sys.path[0] = os.getcwd()
            runpy._run_module_as_main(target)  # what ``python -m`` calls
        elif kind == "code":
            sys.argv = ["-c", *args]
            sys.path[0] = ""
            main.__loader__ = importlib.machinery.BuiltinImporter
            exec(compile(target, "<string>", "exec", dont_inherit=True), main.__dict__)
        else:
            sys.argv = [target, *args]
            sys.path[0] = os.path.dirname(os.path.abspath(target))
            if os.path.isdir(target) or zipfile.is_zipfile(target):
                runpy.run_path(target, run_name="__main__")
            else:
                with open(target, "rb") as source:
                    program = source.read()
                main.__file__, main.__cached__ = target, None
                main.__loader__ = importlib.machinery.SourceFileLoader("__main__", target)
                exec(compile(program, target, "exec", dont_inherit=True), main.__dict__)
    except SystemExit as stop:
        if stop.code is None:
            code = 0
        elif isinstance(stop.code, int):
            code = stop.code
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException as error:
        # As the interpreter reports it: through sys.excepthook, from the program's own frames.
        interrupted = isinstance(error, KeyboardInterrupt)
        sys.excepthook(type(error), error, error.__traceback__.tb_next)
        code = 1
    try:
        threading._shutdown()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        if interrupted:  # an interpreter ended by Ctrl-C dies of SIGINT, for its caller to see
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        os._exit(code)


while selector.get_map():
    for key, _ in selector.select():
        if key.data is None:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                selector.unregister(0)
                continue
            *lines, unread = (unread + chunk).split(b"\n")
            for line in lines:
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    child(request)
                pidfd = os.pidfd_open(pid)
                selector.register(pidfd, selectors.EVENT_READ, (request["id"], pid))
                reply(id=request["id"], pid=pid)
        else:
            ident, pid = key.data
            selector.unregister(key.fd)
            os.close(key.fd)
            _, status = os.waitpid(pid, 0)
            reply(id=ident, returncode=os.waitstatus_to_exitcode(status))
'''


class ForkServer:
    """A zygote that has imported ``preload``, forking a child per ``run``; safe to share
    between threads.  ``close()`` ends it (children still running are killed)."""

    def __init__(self, preload: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        self._preload = preload
        self._lock = threading.Lock()
        self._pending: dict[int, tuple[Future[int], Future[int]]] = {}
        self._next = 0
        self._tmp = Path(tempfile.mkdtemp(prefix="oaii-forkserver-"))
        self._zygote: subprocess.Popen[bytes] | None = None
        if SUPPORTED:
            self._zygote = subprocess.Popen(
                [sys.executable, "-c", ZYGOTE, *preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
            self._reader = threading.Thread(target=self._read_replies, daemon=True)
            self._reader.start()

    def _read_replies(self) -> None:
        assert self._zygote is not None and self._zygote.stdout is not None
        for line in self._zygote.stdout:
            reply = json.loads(line)
            with self._lock:
                started, ended = self._pending[reply["id"]]
            if "pid" in reply:
                started.set_result(reply["pid"])
            else:
                ended.set_result(reply["returncode"])
        with self._lock:  # the zygote is gone: nothing more will end
            for started, ended in self._pending.values():
                for future in (started, ended):
                    if not future.done():
                        future.set_exception(RuntimeError("the fork server ended"))

    def run(
        self,
        argv: list[str],
        *,
        cwd: str | os.PathLike[str],
        env: dict[str, str],
        timeout: float,
    ) -> subprocess.CompletedProcess[str]:
        """``argv`` as for ``subprocess.run`` with ``sys.executable`` first: ``[python, "-m",
        module, ...]``, ``[python, "-c", code, ...]``, ``[python, script, ...]``, or
        ``[console_script, ...]`` (a Python script, such as an installed entry point)."""
        if self._zygote is None:
            return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
        words = argv[1:] if argv[0] == sys.executable else argv
        if words[0] == "-m":
            kind, target, args = "module", words[1], words[2:]
        elif words[0] == "-c":
            kind, target, args = "code", words[1], words[2:]
        else:
            kind, target, args = "script", words[0], words[1:]
        started: Future[int] = Future()
        ended: Future[int] = Future()
        with self._lock:
            ident = self._next
            self._next += 1
            self._pending[ident] = (started, ended)
        out, err = self._tmp / f"{ident}.out", self._tmp / f"{ident}.err"
        request = {
            "id": ident,
            "kind": kind,
            "target": str(target),
            "args": [str(a) for a in args],
            "cwd": os.fspath(cwd),
            "env": env,
            "stdout": str(out),
            "stderr": str(err),
        }
        assert self._zygote.stdin is not None
        with self._lock:
            self._zygote.stdin.write(json.dumps(request).encode() + b"\n")
            self._zygote.stdin.flush()
        pid = started.result(timeout)
        try:
            returncode = ended.result(timeout)
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            ended.result(10)
            raise subprocess.TimeoutExpired(argv, timeout) from None
        finally:
            with self._lock:
                del self._pending[ident]
        try:
            return subprocess.CompletedProcess(
                argv,
                returncode,
                out.read_text(encoding="utf-8", errors="replace"),
                err.read_text(encoding="utf-8", errors="replace"),
            )
        finally:
            out.unlink(missing_ok=True)
            err.unlink(missing_ok=True)

    def close(self) -> None:
        if self._zygote is not None:
            assert self._zygote.stdin is not None
            self._zygote.stdin.close()
            try:
                self._zygote.wait(10)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait(10)
            self._reader.join(10)
        for leftover in self._tmp.iterdir():
            leftover.unlink()
        self._tmp.rmdir()


_shared: dict[str, ForkServer] = {}  # at most one, made at first use
_shared_lock = threading.Lock()


def run_command(
    argv: list[str], *, env: dict[str, str], timeout: float = 60, cwd: str | os.PathLike[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run(argv, capture_output=True, text=True, ...)`` for a Python command, on
    this test process's shared fork server (it has imported httpx only; the session's end
    closes it: ``close_shared``)."""
    with _shared_lock:
        if not _shared:
            _shared["zygote"] = ForkServer(preload=("httpx",))
        forks = _shared["zygote"]
    return forks.run(argv, cwd=cwd if cwd is not None else os.getcwd(), env=env, timeout=timeout)


def close_shared() -> None:
    with _shared_lock:
        if _shared:
            _shared.pop("zygote").close()
