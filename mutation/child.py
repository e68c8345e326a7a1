"""One child process: pytest against one version of the package, in a slot (a private copy of
site_builder where only the mutated module differs); the plugins that record what it did."""
from __future__ import annotations

import compileall
import os
import py_compile
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from targets import Target

ROOT = Path(__file__).resolve().parent.parent


class First:
    """A pytest plugin: records the first failing test (the one that killed the mutant)."""

    def __init__(self, report: Path):
        self.report = report

    def pytest_runtest_logreport(self, report) -> None:  # noqa: ANN001 - pytest's TestReport
        if report.failed and not self.report.exists():
            self.report.write_text(report.nodeid)


class Lines:
    """A pytest plugin: which lines of ``filename`` each test executed (this process only)."""

    def __init__(self, filename: str):
        self.filename, self.test, self.lines = filename, "", {}
        self.seconds: dict[str, float] = {}  # every test that ran, and its time
        self.started = 0.0

    def _trace(self, frame, event, arg):  # noqa: ANN001, ANN202 - sys.settrace's signature
        if frame.f_code.co_filename != self.filename:
            return None
        hits = self.lines.setdefault(self.test, set())

        def local(frame, event, arg):  # noqa: ANN001, ANN202
            if event == "line":
                hits.add(frame.f_lineno)
            return local
        return local

    def pytest_runtest_protocol(self, item, nextitem):  # noqa: ANN001, ANN201
        import threading
        self.test = item.nodeid
        self.started = time.monotonic()
        sys.settrace(self._trace)
        threading.settrace(self._trace)

    def pytest_runtest_teardown(self, item):  # noqa: ANN001, ANN201
        sys.settrace(None)

    def pytest_runtest_logfinish(self, nodeid, location):  # noqa: ANN001, ANN201
        self.seconds[nodeid] = time.monotonic() - self.started


def _child(slot: Path, target: Target, source: str, plugin: object, args: list[str]) -> None:
    """In the forked child: the slot's module replaced by ``source``, then pytest ``args``
    (test files or node ids); never returns."""
    os.setpgid(0, 0)  # its subprocesses are killed with it
    code = 3
    try:
        dst = slot / target.module
        dst.write_text(source)
        sys.path.insert(0, str(slot))
        os.environ["PYTHONPATH"] = str(slot) + os.pathsep + os.environ.get("PYTHONPATH", "")
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        import hypothesis
        hypothesis.settings.register_profile("mutate", database=None, derandomize=True, deadline=None,
                                             print_blob=False)
        hypothesis.settings.load_profile("mutate")
        import pytest
        # browser tests are left out: Chromium per mutant is too slow, and what they check of
        # these modules (no script runs) the HTML-level tests check too
        code = pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly",
                            "-m", "not browser", "--rootdir", str(ROOT), *args], plugins=[plugin])
    finally:
        os._exit(int(code))


def make_slot(root: Path) -> Path:
    slot = Path(tempfile.mkdtemp(prefix="slot-", dir=root))
    # symlinks=False: the package's theme link (../templates) is copied as the folder it names
    shutil.copytree(ROOT / "site_builder", slot / "site_builder", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # byte code checked against the source's hash (not its time): the mutated module, rewritten
    # within the same second at the same size, is never taken for the compiled original
    compileall.compile_dir(slot, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    return slot



def spawn(slot: Path, target: Target, source: str, plugin: object, args: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        _child(slot, target, source, plugin, args)
    return pid


def wait(pid: int, limit: float) -> tuple[int | None, float]:
    """The child's exit code (None: killed at ``limit`` seconds) and its time."""
    start = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), time.monotonic() - start
        if time.monotonic() - start > limit:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, time.monotonic() - start
        time.sleep(0.02)


