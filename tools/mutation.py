"""A small mutation tester for oaii's client core (not part of the package, nor of `make test`).

    .venv/bin/python tools/mutation.py                       # the seven modules of issue 21
    .venv/bin/python tools/mutation.py _flow _retry --jobs 2 --report mutants.json
    .venv/bin/python tools/mutation.py _flow --show 12       # print mutant 12 of _flow as a diff

Why a script of our own: mutmut 3 rewrites the package into a ``mutants/`` copy with
trampolines, which does not fit a ``package-dir`` layout (``wrapper/oaii`` installed as
``oaii``); cosmic-ray runs the whole test command per mutant, and a pytest start here
costs seconds.  This one:

1. runs the chosen tests once under a line tracer that only looks at the target modules,
   recording which test runs which line (and how long each test takes);
2. makes mutants from each module's AST with a fixed set of operators (below);
3. runs each mutant in a forked child.  A statement in a function or method, or a
   module-level name: the parent has imported oaii and the test modules once, and the child
   swaps the mutated code in (the function's ``__code__``, or the name's new value wherever
   it was imported).  Anything else (a class-level field, a module-level statement that binds
   no name): a child forked before oaii was imported serves the mutated module from memory (an
   import hook).  Either way the child runs only the tests that run the mutated line (for a
   module-level name, the lines that use it; for a class-level field, every test that runs
   its module), those most specific to the mutated function first (``--max-tests`` keeps
   that many), stopping at the first failure.  Only pytest's "a test failed" is a kill, or a
   child that outlives ``--timeout`` (a hang); a test id not found is an error, not a kill.

Operators: a comparison flipped (``<`` and ``<=``, ``==`` and ``!=``, ``in`` and ``not in``,
``is`` and ``is not``); ``and``/``or`` swapped; a ``not`` dropped; an int or float constant
plus one; a string constant changed (not docstrings, not log messages); ``True``/``False``
swapped; one element dropped from a literal set, tuple or list of constants (a
``frozenset({...})`` included); ``min``/``max`` swapped; ``+``/``-``, ``*``/``/`` and
``//``/``/`` swapped; ``break``/``continue`` swapped; a ``raise`` or a call statement
replaced by ``pass``; a ``return X`` made ``return None``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib
import importlib.abc
import importlib.util
import json
import os
import signal
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wrapper" / "oaii"
DEFAULT_MODULES = ["_flow", "_settings", "_body", "_results", "_errors", "_keys", "_retry"]
# The tests that run the client in this process (the CLI's and the fork tests run other processes,
# which would never see an in-memory mutant).
# tests/transport too: the base URL's and the framing headers' refusals, for one, are tested there.
DEFAULT_TESTS = [
    str(p.relative_to(ROOT))
    for folder in ("client", "transport")
    for p in sorted((ROOT / "tests" / folder).glob("test_*.py"))
    if p.name not in ("test_cli.py", "test_cli_output.py", "test_process_state.py")
]
PRELOAD = [
    "pytest",
    "_pytest.python",
    "xdist",
    "pytest_timeout",
    "hypothesis",
    "httpx",
    "httpx_sse",
    "httptools",
    "attrs",
    "jsonschema",
    "jsonschema_rs",
    "fastjsonschema",
    "yaml",
    "oaii_openapi_client",
    "oaii_openapi_client.models",
    "oaii_openapi_client.api.assistants.create_run",
    "oaii_openapi_client.api.assistants.get_run",
    "asyncio",
    "email.utils",
    "urllib.parse",
]

# ------------------------------------------------------------------ mutants

_FLIP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div}
_LOG_METHODS = {"debug", "info", "warning", "error", "exception"}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Nodes not mutated: docstrings, log messages, annotations, f-string parts, __all__."""
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _LOG_METHODS and isinstance(node.func.value, ast.Name):
                skip.update(id(n) for arg in node.args for n in ast.walk(arg))
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in node.values)
        for annotation in _annotations(node):
            skip.update(id(n) for n in ast.walk(annotation))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            skip.update(id(n) for n in ast.walk(node))
    return skip


def _annotations(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.arg) and node.annotation is not None:
        yield node.annotation
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
        yield node.returns
    if isinstance(node, ast.AnnAssign):
        yield node.annotation
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "TypeAlias":
        yield node


def _is_type_checking(test: ast.AST) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _constant_collection(node: ast.AST) -> list[ast.expr] | None:
    if isinstance(node, ast.Set | ast.Tuple | ast.List) and len(node.elts) >= 2:
        if all(isinstance(e, ast.Constant) for e in node.elts):
            return node.elts
    return None


class Mutant:
    def __init__(self, index: int, line: int, what: str, apply: Any) -> None:
        self.index = index
        self.line = line
        self.what = what
        self.apply = apply  # (tree copy) -> None, mutates it in place


def mutants(source: str) -> list[Mutant]:
    """Every mutant of ``source``; each knows how to apply itself to a fresh copy of the tree."""
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    nodes = list(ast.walk(tree))
    position = {id(n): i for i, n in enumerate(nodes)}
    found: list[Mutant] = []

    def add(node: ast.AST, what: str, change: Any) -> None:
        where = position[id(node)]

        def apply(copy_tree: ast.AST) -> None:
            change(list(ast.walk(copy_tree))[where])

        found.append(Mutant(len(found), getattr(node, "lineno", 0), what, apply))

    for node in nodes:
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _FLIP:

                    def flip(n: ast.Compare, i: int = i) -> None:
                        n.ops[i] = _FLIP[type(n.ops[i])]()

                    add(node, f"{type(op).__name__} -> {_FLIP[type(op)].__name__}", flip)
        elif isinstance(node, ast.BoolOp):
            swap = ast.Or if isinstance(node.op, ast.And) else ast.And

            def boolop(n: ast.BoolOp, swap: Any = swap) -> None:
                n.op = swap()

            add(node, f"{type(node.op).__name__} -> {swap.__name__}", boolop)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(node, "not dropped", lambda n: _replace_with(n, n.operand))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP:

            def binop(n: ast.BinOp) -> None:
                n.op = _BINOP[type(n.op)]()

            add(node, f"{type(node.op).__name__} -> {_BINOP[type(node.op)].__name__}", binop)
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):

                def negate(n: ast.Constant) -> None:
                    n.value = not n.value

                add(node, f"{value} -> {not value}", negate)
            elif isinstance(value, int | float):

                def plus_one(n: ast.Constant) -> None:
                    n.value = n.value + 1

                add(node, f"{value!r} -> {value + 1!r}", plus_one)
            elif isinstance(value, str) and value:

                def text(n: ast.Constant) -> None:
                    n.value = "XX" + n.value + "XX"

                add(node, f"{value[:30]!r} -> 'XX...XX'", text)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("min", "max")
        ):
            other = "max" if node.func.id == "min" else "min"

            def minmax(n: ast.Call, other: str = other) -> None:
                n.func = ast.Name(id=other, ctx=ast.Load())

            add(node, f"{node.func.id} -> {other}", minmax)
        elif isinstance(node, ast.Break | ast.Continue):
            add(node, f"{type(node).__name__} swapped", _swap_break)
        elif isinstance(node, ast.Raise):
            add(node, "raise -> pass", _to_pass)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await):
            if not _is_log_call(node.value):
                add(node, "call statement -> pass", _to_pass)
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                add(node, "return X -> return None", _return_none)
        elements = _constant_collection(node)
        if elements is not None and id(node) not in skip:
            for i, element in enumerate(elements):

                def drop(n: Any, i: int = i) -> None:
                    del n.elts[i]

                add(node, f"element {ast.unparse(element)} dropped", drop)
    return found


def _is_log_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _LOG_METHODS
        and isinstance(node.func.value, ast.Name)
    )


def _replace_with(node: ast.AST, new: ast.AST) -> None:
    # Rewrite ``node`` in place as ``new`` (the parent keeps its reference).
    node.__class__ = new.__class__
    node.__dict__.clear()
    node.__dict__.update(copy.copy(new).__dict__)


def _to_pass(node: ast.AST) -> None:
    _replace_with(node, ast.Pass(lineno=getattr(node, "lineno", 0), col_offset=0))


def _swap_break(node: ast.AST) -> None:
    new = ast.Continue() if isinstance(node, ast.Break) else ast.Break()
    new.lineno, new.col_offset = node.lineno, node.col_offset  # type: ignore[attr-defined]
    _replace_with(node, new)


def _return_none(node: ast.Return) -> None:
    node.value = ast.Constant(value=None)


def mutated_source(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    mutant.apply(tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree)


# ------------------------------------------------------------------ which tests run which line


def _module_name(stem: str) -> str:
    return f"oaii.{stem}"


def coverage(
    modules: list[str], tests: list[str]
) -> tuple[dict[tuple[str, int], set[str]], dict[str, float]]:
    """(module, line) -> the tests that run it; and each test's duration. Run in a child."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 1
        try:
            result = _trace_tests(modules, tests)
            with os.fdopen(write, "w") as out:
                json.dump(result, out)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as inp:
        data = json.load(inp)
    os.waitpid(pid, 0)
    lines = {
        (m, int(line)): set(ids) for m, by_line in data["lines"].items() for line, ids in by_line.items()
    }
    return lines, data["durations"]


def _trace_tests(modules: list[str], tests: list[str]) -> dict[str, Any]:
    import threading

    import pytest

    files = {str(PACKAGE / f"{m}.py"): m for m in modules}
    lines: dict[str, dict[int, set[str]]] = {m: defaultdict(set) for m in modules}
    durations: dict[str, float] = {}
    current = ["<import>"]

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        module = files.get(frame.f_code.co_filename)
        if module is None:
            return None
        by_line = lines[module]
        test = current[0]

        def local(frame: Any, event: str, arg: Any) -> Any:
            if event == "line":
                by_line[frame.f_lineno].add(test)
            return local

        by_line[frame.f_lineno].add(test)
        return local

    class Recorder:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Any:
            current[0] = item.nodeid
            start = time.perf_counter()
            yield
            durations[item.nodeid] = time.perf_counter() - start
            current[0] = "<between>"

    sys.settrace(tracer)
    threading.settrace(tracer)
    # Every test, even after a failure (a test slowed by the tracer may time out): a test that
    # is not traced would never be chosen for a mutant.
    pytest.main(
        [*tests, "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-o", "timeout=120"], plugins=[Recorder()]
    )
    sys.settrace(None)
    threading.settrace(None)  # type: ignore[arg-type]
    return {
        "lines": {m: {str(k): sorted(v) for k, v in by_line.items()} for m, by_line in lines.items()},
        "durations": durations,
    }


def _bound_names(statement: ast.stmt) -> set[str]:
    """The names a module-level statement binds by assignment: what a swap can put in place."""
    names = {
        t.id
        for n in ast.walk(statement)
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    names |= {
        n.target.id
        for n in ast.walk(statement)
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    }
    return names


def _uses(tree: ast.Module, names: set[str]) -> set[int]:
    return {
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
    }


def tests_for(source: str, mutant: Mutant, module: str, lines: dict[tuple[str, int], set[str]]) -> set[str]:
    """The tests that run the mutated line (or, when no line event names it, any line of the
    innermost statement around it).  For a module-level statement: the tests that run a line
    using a name it binds, else every test that runs the module.  For a class-level field or
    default: every test that runs the module (the methods attrs or dataclasses generate from it
    run no line of the class, and a test may build the class without running any other)."""
    tree = ast.parse(source)
    noise = {"<import>", "<between>"}
    everyone = set().union(*(ids for (m, _), ids in lines.items() if m == module)) - noise

    def covering(numbers: set[int]) -> set[str]:
        return set().union(*(lines.get((module, n), set()) for n in numbers)) - noise

    top = next((s for s in tree.body if s.lineno <= mutant.line <= (s.end_lineno or s.lineno)), None)
    if top is not None and not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return covering(_uses(tree, _bound_names(top))) or everyone
    if isinstance(top, ast.ClassDef) and _enclosing(tree, mutant.line) is None:
        return everyone
    found = covering({mutant.line})
    if not found:
        around = [
            s
            for s in ast.walk(tree)
            if isinstance(s, ast.stmt) and s.lineno <= mutant.line <= (s.end_lineno or s.lineno)
        ]
        if around:
            inner = min(around, key=lambda s: (s.end_lineno or s.lineno) - s.lineno)
            found = covering(set(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1)))
    if not found and isinstance(top, ast.ClassDef):  # a method line no test reached
        found = covering(set(range(top.lineno, (top.end_lineno or top.lineno) + 1))) or everyone
    return found


def _ranked(
    tests: set[str],
    mutant: Mutant,
    module: str,
    source: str,
    lines: dict[tuple[str, int], set[str]],
    durations: dict[str, float],
) -> list[str]:
    """``tests``, the most specific to the mutant's neighbourhood first: a test scores 1/n for each
    line of the mutated statement's function it runs that n tests run (so a test that reaches a
    rarely taken branch near the mutant ranks high); ties go to the faster test.  Under
    ``--max-tests`` the tests that run are those most likely to notice."""
    tree = ast.parse(source)
    around = [
        s
        for s in ast.walk(tree)
        if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
        and s.lineno <= mutant.line <= (s.end_lineno or s.lineno)
    ]
    classes = [
        s
        for s in tree.body
        if isinstance(s, ast.ClassDef) and s.lineno <= mutant.line <= (s.end_lineno or s.lineno)
    ]
    if around:
        inner = min(around, key=lambda s: (s.end_lineno or s.lineno) - s.lineno)
        span = range(inner.lineno, (inner.end_lineno or inner.lineno) + 1)
    elif classes:  # a class-level field or default: what the class's methods do tells
        span = range(classes[0].lineno, (classes[0].end_lineno or classes[0].lineno) + 1)
    else:
        span = range(mutant.line, mutant.line + 1)
    score: dict[str, float] = defaultdict(float)
    for number in span:
        coverers = lines.get((module, number), set()) & tests
        for test in coverers:
            score[test] += 1 / len(coverers)
    return sorted(tests, key=lambda t: (-round(score[t], 6), durations.get(t, 9.0)))


# ------------------------------------------------------------------ running a mutant
#
# Fast path (a statement inside a function or method, or a module-level name): the runner has
# imported oaii and every test module once; a child forked from it swaps the mutated code in
# (a function's ``__code__`` and defaults, or a module-level value wherever it was imported),
# so that collection costs nothing.  Slow path (anything else, e.g. an attrs field's
# default): a child forked before oaii was imported serves the mutated module from memory.


def _enclosing(tree: ast.Module, line: int) -> tuple[str, ...] | None:
    """The path (class, function) of the outermost function around ``line``; () for a module-level
    statement that binds names; None for a class-level statement that is not in a method, or a
    module-level one that binds no name (say, a loop setting an attribute of each class: a swap
    would apply it to copies no test sees, so only a fresh import puts it in place)."""
    for statement in tree.body:
        if not statement.lineno <= line <= (statement.end_lineno or statement.lineno):
            continue
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            return (statement.name,)
        if isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    member.lineno <= line <= (member.end_lineno or member.lineno)
                ):
                    if any(d.lineno == line for d in member.decorator_list):
                        return None
                    return (statement.name, member.name)
            return None
        return () if _bound_names(statement) else None
    return ()


def _function(namespace: Any, path: tuple[str, ...]) -> Any:
    target = namespace[path[0]] if isinstance(namespace, dict) else getattr(namespace, path[0])
    if len(path) == 2:
        target = vars(target)[path[1]]
    if isinstance(target, staticmethod | classmethod):
        target = target.__func__
    if isinstance(target, property):
        target = target.fget
    return target


def _swap_in(module: str, source: str, mutant: Mutant, path: tuple[str, ...]) -> None:
    """In this (forked) process, make oaii.<module> behave as its mutant."""
    name = _module_name(module)
    original = sys.modules[name]
    mutated = mutated_source(source, mutant)
    namespace: dict[str, Any] = {"__name__": name, "__package__": "oaii", "__file__": original.__file__}
    exec(compile(mutated, original.__file__, "exec"), namespace)
    if path:
        old, new = _function(vars(original), path), _function(namespace, path)
        old.__code__ = new.__code__
        old.__defaults__ = new.__defaults__
        old.__kwdefaults__ = new.__kwdefaults__
        return
    tree = ast.parse(source)
    top = next(s for s in tree.body if s.lineno <= mutant.line <= (s.end_lineno or s.lineno))
    for bound in _bound_names(top):
        old_value, new_value = getattr(original, bound), namespace[bound]
        for other in list(sys.modules.values()):
            for attr, value in list(vars(other).items()) if hasattr(other, "__dict__") else []:
                if value is old_value:
                    setattr(other, attr, new_value)
                if callable(value) and getattr(value, "__defaults__", None):
                    if any(d is old_value for d in value.__defaults__):
                        value.__defaults__ = tuple(
                            new_value if d is old_value else d for d in value.__defaults__
                        )
                if isinstance(value, type) and other.__name__.startswith("oaii"):
                    for member in vars(value).values():
                        function = getattr(member, "__func__", member)
                        defaults = getattr(function, "__defaults__", None)
                        if defaults and any(d is old_value for d in defaults):
                            function.__defaults__ = tuple(
                                new_value if d is old_value else d for d in defaults
                            )


class _Serve(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, name: str, path: str, code: Any) -> None:
        self.name, self.path, self.code = name, path, code

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=self.path)

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        module.__file__ = self.path
        exec(self.code, module.__dict__)


class _Select:
    """Keeps only the chosen test items, in the order given."""

    def __init__(self, tests: list[str]) -> None:
        self.rank = {test: i for i, test in enumerate(tests)}

    def pytest_collection_modifyitems(self, items: list[Any]) -> None:
        items[:] = sorted((i for i in items if i.nodeid in self.rank), key=lambda i: self.rank[i.nodeid])


PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=", "--timeout", "20"]


def _child(module: str, source: str, mutant: Mutant, tests: list[str], fast: bool) -> int:
    """Run in a forked child: 0 if the tests pass with the mutant in place."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        if fast:
            path = _enclosing(ast.parse(source), mutant.line)
            assert path is not None
            _swap_in(module, source, mutant, path)
        else:
            path_name = str(PACKAGE / f"{module}.py")
            compiled = compile(mutated_source(source, mutant), path_name, "exec")
            sys.meta_path.insert(0, _Serve(_module_name(module), path_name, compiled))
        import pytest

        # Each test function by its node id without parameters, and the plugin keeps the chosen
        # items, in rank order: a parameter with "::" in it (an IPv6 URL) cannot be named on
        # pytest's command line.
        functions = list(dict.fromkeys(t.split("[", 1)[0] for t in tests))
        return int(pytest.main([*functions, *PYTEST_ARGS], plugins=[_Select(tests)]))
    except Exception:  # a mutant that cannot even be loaded is killed
        return 1


def run_all(
    jobs: list[tuple[str, str, Mutant, list[str]]], fast: bool, workers: int, timeout: float
) -> Iterator[tuple[str, Mutant, str, int]]:
    """(module, mutant, outcome, tests) for each job: killed, survived, timeout or no-tests."""
    queue = list(jobs)
    running: dict[int, tuple[str, Mutant, int, float]] = {}
    while queue or running:
        while queue and len(running) < workers:
            module, source, mutant, tests = queue.pop(0)
            if not tests:
                yield module, mutant, "no-tests", 0
                continue
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    os.setpgid(0, 0)
                    code = _child(module, source, mutant, tests, fast)
                finally:
                    os._exit(code)
            running[pid] = (module, mutant, len(tests), time.monotonic() + timeout)
        if not running:
            continue
        time.sleep(0.01)
        for pid, (module, mutant, count, end) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                del running[pid]
                code = os.waitstatus_to_exitcode(status)
                # pytest's exit codes: 0 passed, 1 a test failed; anything else (a test id not
                # found, no tests collected, an internal error) says nothing about the mutant.
                yield module, mutant, {0: "survived", 1: "killed"}.get(code, f"error {code}"), count
            elif time.monotonic() > end:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                del running[pid]
                yield module, mutant, "timeout", count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=DEFAULT_MODULES)
    parser.add_argument("--tests", nargs="*", default=DEFAULT_TESTS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--max-tests",
        type=int,
        default=0,
        help="run at most this many (the fastest) tests per mutant; 0: all",
    )
    parser.add_argument("--report", default="mutation-report.json")
    parser.add_argument("--show", type=int, help="print this mutant of the (one) module as a diff, and stop")
    parser.add_argument("--only", help="comma-separated mutant numbers to run (of the one module)")
    args = parser.parse_args(argv)

    sources = {m: (PACKAGE / f"{m}.py").read_text() for m in args.modules}
    if args.show is not None:
        import difflib

        (module,) = args.modules
        mutant = mutants(sources[module])[args.show]
        before = ast.unparse(ast.parse(sources[module])).splitlines()
        after = mutated_source(sources[module], mutant).splitlines()
        print(f"{module} #{mutant.index} line {mutant.line}: {mutant.what}")
        print("\n".join(difflib.unified_diff(before, after, lineterm="", n=1)))
        return 0

    sys.path.insert(0, str(ROOT))
    for name in PRELOAD:
        importlib.import_module(name)
    assert not any(name == "oaii" or name.startswith("oaii.") for name in sys.modules), "oaii preloaded"
    os.chdir(ROOT)

    started = time.monotonic()
    # Which test runs which line, kept while the modules and the tests are unchanged.
    import hashlib

    stamp = hashlib.sha256(Path(__file__).read_bytes())  # this tool too: how coverage is taken
    # The trace covers the seven modules and any others asked for, so that runs on one module at
    # a time share it.
    traced = sorted({*DEFAULT_MODULES, *args.modules})
    stamp.update(" ".join(traced).encode())
    for path in sorted(
        {*(PACKAGE / f"{m}.py" for m in traced), *(ROOT / t.split("::")[0] for t in args.tests)}
    ):
        stamp.update(str(path).encode() + path.read_bytes())
    cache = ROOT / ".mutation-coverage.json"
    cached = json.loads(cache.read_text()) if cache.exists() else {}
    if cached.get("stamp") == stamp.hexdigest():
        lines = {(m, int(n)): set(ids) for m, n, ids in cached["lines"]}
        durations = cached["durations"]
    else:
        lines, durations = coverage(traced, args.tests)
        rows = [[m, n, sorted(ids)] for (m, n), ids in lines.items()]
        cache.write_text(json.dumps({"stamp": stamp.hexdigest(), "lines": rows, "durations": durations}))
    print(f"coverage of {len(durations)} tests in {time.monotonic() - started:.0f}s", flush=True)

    work = []
    for module in args.modules:
        only = {int(i) for i in args.only.split(",")} if args.only else None
        for mutant in mutants(sources[module]):
            if only is not None and mutant.index not in only:
                continue
            chosen = _ranked(
                tests_for(sources[module], mutant, module, lines),
                mutant,
                module,
                sources[module],
                lines,
                durations,
            )
            work.append((module, mutant, chosen[: args.max_tests] if args.max_tests else chosen))
    print(f"{len(work)} mutants", flush=True)

    results: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def record(module: str, mutant: Mutant, outcome: str, tests: int) -> None:
        results[module].append(
            {
                "index": mutant.index,
                "line": mutant.line,
                "what": mutant.what,
                "outcome": outcome,
                "tests": tests,
            }
        )
        if outcome not in ("killed", "timeout"):
            print(f"  {module} #{mutant.index} line {mutant.line}: {mutant.what}: {outcome}", flush=True)
        done = sum(len(rows) for rows in results.values())
        if done % 25 == 0:
            print(f"{done}/{len(work)} done", flush=True)
            Path(args.report).write_text(json.dumps({"partial": True, "mutants": results}, indent=1))

    slow = [(m, sources[m], mu, t) for m, mu, t in work if _enclosing(ast.parse(sources[m]), mu.line) is None]
    fast = [
        (m, sources[m], mu, t) for m, mu, t in work if _enclosing(ast.parse(sources[m]), mu.line) is not None
    ]
    print(f"{len(fast)} swapped in a preloaded process, {len(slow)} imported afresh", flush=True)
    for outcome in run_all(slow, False, args.jobs, args.timeout):
        record(*outcome)
    # Now oaii and every test module, once, for the fast path.
    importlib.import_module("oaii")
    importlib.import_module("tests.conftest")
    for test in sorted({t.split("::")[0] for t in args.tests}):
        importlib.import_module(test.removesuffix(".py").replace("/", "."))
    for outcome in run_all(fast, True, args.jobs, args.timeout):
        record(*outcome)

    summary = {}
    for module in args.modules:
        rows = results[module]
        killed = sum(1 for r in rows if r["outcome"] in ("killed", "timeout"))
        summary[module] = {
            "mutants": len(rows),
            "killed": killed,
            "score": killed / len(rows) if rows else 1.0,
        }
        print(f"{module}: {killed}/{len(rows)} killed ({summary[module]['score']:.1%})")
    total = sum(s["mutants"] for s in summary.values())
    killed_all = sum(s["killed"] for s in summary.values())
    print(
        f"all: {killed_all}/{total} killed ({killed_all / max(total, 1):.1%}) in {time.monotonic() - started:.0f}s"
    )
    Path(args.report).write_text(json.dumps({"summary": summary, "mutants": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
