"""Mutants of code inside functions, run in one warm pytest session.

Starting pytest, importing the package and collecting the tests costs more than most killed
mutants' tests do. So one host process (forked by run.py, the package imported from a slot)
collects the module's tests once; for each mutant it forks a child that swaps the mutated
function's code object into the live function (``f.__code__``: every module that imported the
function sees it, as with mutmut's trampolines) and runs that mutant's tests with pytest's own
runner, stopping at the first failure. Each child starts from the host's untouched state.

Only a mutant inside a function (or method) is run this way; a change of module-level code
(a table, a pattern) is in objects other modules may hold, so run.py runs those by rewriting
the file. A child that cannot swap the code exits with ``FALLBACK`` and so does run.py for it.
A survivor here is run again by run.py from the file: a test that runs ``python -m site_builder``
in a subprocess sees only the file.
"""
from __future__ import annotations

import ast
import builtins
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import FunctionType, ModuleType

FALLBACK = 5  # the child's exit code: this mutant could not be swapped in; run it from the file


def function_lines(source: str) -> set[int]:
    """The lines inside a function or method body (a mutant there is swapped in as code)."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _swap(old: object, new: object) -> int:
    """Put ``new``'s code into the function ``old``; the number of functions changed."""
    for attr in ("__func__", "__wrapped__"):  # staticmethod, classmethod; functools wrappers
        old, new = getattr(old, attr, old), getattr(new, attr, new)
    if isinstance(old, property) and isinstance(new, property):
        return sum(_swap(getattr(old, a), getattr(new, a)) for a in ("fget", "fset", "fdel")
                   if getattr(old, a) is not None)
    if not (isinstance(old, FunctionType) and isinstance(new, FunctionType)):
        return 0
    if old.__code__ == new.__code__ and old.__defaults__ == new.__defaults__:
        return 0
    old.__code__ = new.__code__  # ValueError when the free variables differ: the caller falls back
    old.__defaults__, old.__kwdefaults__ = new.__defaults__, new.__kwdefaults__
    return 1


def patch(module: ModuleType, source: str, scope: str) -> None:
    """Swap the functions of top-level ``scope`` (a function, or a class's methods) for those
    of ``source``; raises when nothing changed (the mutant would pass for a survivor)."""
    ns = {"__name__": module.__name__, "__package__": module.__package__, "__file__": module.__file__,
          "__builtins__": builtins}
    exec(compile(source, module.__file__ or "<mutant>", "exec"), ns)  # noqa: S102 - the mutant
    old, new = getattr(module, scope), ns[scope]
    if isinstance(old, type):
        changed = sum(_swap(value, vars(new).get(name)) for name, value in vars(old).items())
    else:
        changed = _swap(old, new)
    if changed != 1:
        raise ValueError(f"{scope}: {changed} functions changed")
    for value in vars(module).values():  # results cached by the unmutated code
        if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == module.__name__:
            value.cache_clear()


def _child(module: ModuleType, source: str, scope: str, tests: list[str], items: dict, report: Path) -> None:
    os.setpgid(0, 0)
    code = FALLBACK
    try:
        patch(module, source, scope)
        from _pytest.runner import runtestprotocol
        code = 3
        for nodeid in tests:
            item = items.get(nodeid)
            if item is None:
                continue  # not collected here (deselected): the file run decides
            if any(r.failed for r in runtestprotocol(item, nextitem=None, log=False)):
                report.write_text(nodeid)
                code = 1
                break
        else:
            code = 0
    finally:
        os._exit(code)


class Host:
    """A pytest plugin: instead of running the tests, runs each mutant (``jobs`` at a time)
    against its tests and writes {index: [exit code or None for a timeout, first failure, seconds]}."""

    def __init__(self, module: str, mutants: list[tuple[int, str, str, list[str]]], jobs: int, limit: float,
                 work: Path):
        self.module, self.mutants, self.jobs, self.limit, self.work = module, mutants, jobs, limit, work

    def pytest_runtestloop(self, session) -> bool:  # noqa: ANN001 - pytest's Session
        items = {item.nodeid: item for item in session.items}
        module = sys.modules[self.module]
        todo, running, done = list(self.mutants), {}, {}
        while todo or running:
            while todo and len(running) < self.jobs:
                index, source, scope, tests = todo.pop(0)
                pid = os.fork()
                if pid == 0:
                    _child(module, source, scope, tests, items, self.work / f"first-{index}")
                running[pid] = (index, time.monotonic())
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                for late, (index, started) in list(running.items()):
                    if time.monotonic() - started > self.limit:
                        _kill(late)
                        running.pop(late)
                        done[index] = [None, "", time.monotonic() - started]
                time.sleep(0.01)
                continue
            index, started = running.pop(pid)
            report = self.work / f"first-{index}"
            done[index] = [os.waitstatus_to_exitcode(status), report.read_text() if report.exists() else "",
                           time.monotonic() - started]
        (self.work / "warm.json").write_text(json.dumps(done))
        return True


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
