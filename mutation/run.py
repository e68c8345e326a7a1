"""make mutate: each mutant of the modules in targets.toml, run against the tests that cover the
module; a score per module and overall.

    .venv/bin/python mutation/run.py [MODULE ...] [--jobs N] [--list] [--min-score 90]

How it stays fast on two cores: this process imports pytest and the test suite's libraries once,
never site_builder; each mutant runs in a child forked from it, in a private copy of the package
(a "slot", one per job) where only the mutated module differs. A baseline run of the mapped
tests (browser tests left out) records which tests execute each line; a mutant is run against
those tests only (as mutmut does), or against every mapped test file when no test ran its line
in process (module-level code runs at import; the CLI tests run ``python -m site_builder`` in a
subprocess, which PYTHONPATH points at the slot as well), with ``-x``: a killed mutant stops at
its first failing test. A mutant survives when every test it ran passes; a child past its time
limit is killed (and so is the mutant: it hung). Equivalent mutants (targets.toml, each with
its reason) are not run and count neither way. Hypothesis runs derandomized: the same code
gives the same score. targets.toml naming a module, test file or name that is not there stops
the run before anything runs.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import py_compile
import shutil
import signal
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import Mutant, mutants, mutated_source  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "targets.toml"
# imported here once, so a forked child starts with them: the suite's libraries, not site_builder
PRELOAD = ("pytest", "hypothesis", "markdown", "jinja2", "yaml", "anyascii", "dateparser", "cn2an",
           "_pytest.pytester", "xml.etree.ElementTree", "html.parser", "sqlite3", "concurrent.futures",
           "multiprocessing")


@dataclass
class Target:
    module: str
    tests: list[str]
    only: list[str] = field(default_factory=list)   # top-level names to mutate (default: all)
    equivalent: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def mutants(self) -> list[Mutant]:
        found = mutants(self.module, (ROOT / self.module).read_text())
        return [m for m in found if not self.only or m.scope in self.only]


class ConfigError(SystemExit):
    """targets.toml names something that is not there (a module or test moved): say so, run nothing."""


def load_targets(path: Path = CONFIG, root: Path = ROOT) -> list[Target]:
    data = tomllib.loads(path.read_text())
    out = []
    for module, spec in data["modules"].items():
        eq = {(module, e["line"], e["mutation"]): e["reason"] for e in spec.get("equivalent", [])}
        target = Target(module, spec["tests"], spec.get("only", []), eq)
        check_target(target, path, root)
        out.append(target)
    return out


def check_target(t: Target, config: Path, root: Path = ROOT) -> None:
    """Fails loudly when the code moved under the list: a module, a test file, a name in
    ``only`` or an equivalent mutant that is no longer there would otherwise shrink the run
    (or count nothing) in silence."""
    where = config.name
    if not (root / t.module).is_file():
        raise ConfigError(f"{where}: {t.module} does not exist (moved or renamed?): update its entry")
    for test in t.tests:
        if not (root / test).is_file():
            raise ConfigError(f"{where}: {t.module}: test file {test} does not exist: update its entry")
    found = mutants(t.module, (root / t.module).read_text())
    scopes = {m.scope for m in found}
    missing = [name for name in t.only if name not in scopes]
    if missing:
        raise ConfigError(f"{where}: {t.module}: `only` names {', '.join(missing)}, which the module "
                          f"no longer defines (or has nothing to mutate in): update its entry")
    keys = {m.key for m in found}
    for key in t.equivalent:
        if key not in keys:
            raise ConfigError(f"{where}: {t.module}: the equivalent mutant `{key[1]}` [{key[2]}] matches "
                              f"no mutant any more: remove or update it")


# --- one child: the tests against one version of the package ------------------------------

class _First:
    """A pytest plugin: records the first failing test (the one that killed the mutant)."""

    def __init__(self, report: Path):
        self.report = report

    def pytest_runtest_logreport(self, report) -> None:  # noqa: ANN001 - pytest's TestReport
        if report.failed and not self.report.exists():
            self.report.write_text(report.nodeid)


class _Lines:
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


def _make_slot(root: Path) -> Path:
    slot = Path(tempfile.mkdtemp(prefix="slot-", dir=root))
    # symlinks=False: the package's theme link (../templates) is copied as the folder it names
    shutil.copytree(ROOT / "site_builder", slot / "site_builder", symlinks=False,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # byte code checked against the source's hash (not its time): the mutated module, rewritten
    # within the same second at the same size, is never taken for the compiled original
    compileall.compile_dir(slot, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    return slot


# --- the run -------------------------------------------------------------------------------

@dataclass
class Result:
    mutant: Mutant
    status: str        # killed | survived | timeout | error
    by: str = ""       # the first failing test
    seconds: float = 0.0


def _spawn(slot: Path, target: Target, source: str, plugin: object, args: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        _child(slot, target, source, plugin, args)
    return pid


def _wait(pid: int, limit: float) -> tuple[int | None, float]:
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


def baseline(target: Target, slot: Path, work: Path) -> tuple[dict[int, set[str]], float]:
    """The tests unmutated (they must pass), and for each line of the module the tests that ran it."""
    source = (ROOT / target.module).read_text()
    plugin = _Lines(str(slot / target.module))
    report = work / "lines.json"

    class Save(_Lines):
        def pytest_sessionfinish(self, session):  # noqa: ANN001, ANN201
            by_line: dict[int, list[str]] = {}
            for test, lines in self.lines.items():
                for n in lines:
                    by_line.setdefault(n, []).append(test)
            report.write_text(json.dumps({"lines": by_line, "seconds": self.seconds}))

    plugin = Save(plugin.filename)
    pid = _spawn(slot, target, mutated_source(source, -1), plugin, list(target.tests))
    code, seconds = _wait(pid, 1800)
    if code != 0:
        raise SystemExit(f"{target.module}: the mapped tests fail without any mutant (exit {code}): "
                         f"{' '.join(target.tests)}")
    saved = json.loads(report.read_text())
    lines = {int(k): set(v) for k, v in saved["lines"].items()}
    if not lines:
        # the tests imported the package from somewhere else than the slot: every mutant would survive
        raise SystemExit(f"{target.module}: no mapped test ran a line of the copy being mutated "
                         f"({slot / target.module}); is site_builder imported from elsewhere?")
    return lines, saved["seconds"], seconds


def run_target(target: Target, jobs: int, work: Path) -> list[Result]:
    source = (ROOT / target.module).read_text()
    slots = [_make_slot(work) for _ in range(jobs)]
    # line numbers of the mutated source (ast.unparse) differ from the file's: map them by walk
    lines, durations, clean = baseline(target, slots[0], work)
    unparsed_lines = _line_map(source)
    limit = max(60.0, 2 * clean)  # the clean run was traced: slower than any mutant's should be
    todo = [m for m in target.mutants() if m.key not in target.equivalent]
    results: list[Result] = []
    running: dict[int, tuple[Mutant, Path, float]] = {}
    free = list(slots)
    while todo or running:
        while todo and free:
            m = todo.pop(0)
            slot = free.pop()
            report = work / f"first-{m.index}"
            pid = _spawn(slot, target, mutated_source(source, m.index), _First(report),
                         ["-x", *_tests_for(m, lines, durations, unparsed_lines)])
            running[pid] = (m, slot, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG) if running else (0, 0)
        if pid == 0:
            _kill_late(running, limit, results, free, work)
            time.sleep(0.02)
            continue
        m, slot, started = running.pop(pid)
        free.append(slot)
        code = os.waitstatus_to_exitcode(status)
        report = work / f"first-{m.index}"
        by = report.read_text() if report.exists() else ""
        state = "survived" if code == 0 else "killed" if code in (1, 2) else "error"
        results.append(Result(m, state, by, time.monotonic() - started))
        _progress(results, len(results) + len(todo) + len(running))
    return results


def _tests_for(m: Mutant, lines: dict[int, set[str]], durations: dict[str, float], at: dict[int, int]) -> list[str]:
    """The tests to run against mutant ``m``, fastest first (with -x a killed mutant costs its
    quickest failing test): those that executed its line in the baseline, or every mapped test
    when none did in process (a line run at import time, or only by a ``python -m site_builder``
    subprocess)."""
    chosen = lines.get(at.get(m.index, -1)) or durations
    return sorted(chosen, key=lambda test: (round(durations.get(test, 0.0), 1), test))


def _kill_late(running: dict, limit: float, results: list[Result], free: list[Path], work: Path) -> None:
    now = time.monotonic()
    for pid, (m, slot, started) in list(running.items()):
        if now - started > limit:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            running.pop(pid)
            free.append(slot)
            results.append(Result(m, "timeout", "", now - started))


def _line_map(source: str) -> dict[int, int]:
    """Mutant index → the line of the unparsed (unmutated) module where it is: coverage is taken
    on that text, which is what the children import."""
    import ast

    from mutants import Mutator
    walker = Mutator()
    walker.visit(ast.parse(ast.unparse(ast.parse(source))))
    return {i: line for i, (line, _, _) in enumerate(walker.found)}


def _progress(results: list[Result], total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  {len(results)}/{total}", end="", file=sys.stderr, flush=True)


# --- the report ----------------------------------------------------------------------------

def score(results: list[Result]) -> tuple[int, int]:
    killed = sum(r.status != "survived" for r in results)
    return killed, len(results)


def report(by_module: dict[str, list[Result]], skipped: dict[str, int], seconds: float) -> list[str]:
    out = [f"{'module':<34} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'score':>6}"]
    for module, results in by_module.items():
        k, n = score(results)
        out.append(f"{module:<34} {n + skipped[module]:>7} {k:>6} {n - k:>8} {skipped[module]:>6} "
                   f"{100 * k / max(n, 1):>5.1f}%")
    k, n = (sum(score(r)[i] for r in by_module.values()) for i in (0, 1))
    out.append(f"{'overall':<34} {n + sum(skipped.values()):>7} {k:>6} {n - k:>8} {sum(skipped.values()):>6} "
               f"{100 * k / max(n, 1):>5.1f}%")
    out.append(f"({seconds / 60:.1f} minutes)")
    for module, results in by_module.items():
        for r in sorted(results, key=lambda r: r.mutant.line):
            if r.status == "survived":
                out.append(f"survived  {module}:{r.mutant.line}: {r.mutant.source}   [{r.mutant.mutation}]")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", help="paths as in targets.toml (default: all)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--min-score", type=float, default=90.0)
    ap.add_argument("--json", type=Path, help="write every result here")
    args = ap.parse_args(argv)
    os.chdir(ROOT)  # node ids are relative to it
    targets = load_targets()
    unknown = set(args.modules) - {t.module for t in targets}
    if unknown:
        raise ConfigError(f"not in {CONFIG.name}: {', '.join(sorted(unknown))}")
    targets = [t for t in targets if not args.modules or t.module in args.modules]
    if args.list:
        for t in targets:
            for m in t.mutants():
                note = "  (equivalent)" if m.key in t.equivalent else ""
                print(f"{m.module}:{m.line}: {m.source}   [{m.mutation}]{note}")
        return 0
    for name in PRELOAD:
        __import__(name)
    start = time.monotonic()
    by_module: dict[str, list[Result]] = {}
    skipped: dict[str, int] = {}
    (ROOT / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mutate-", dir=ROOT / ".cache") as tmp:
        for t in targets:
            began = time.monotonic()
            skipped[t.module] = sum(m.key in t.equivalent for m in t.mutants())
            by_module[t.module] = run_target(t, args.jobs, Path(tempfile.mkdtemp(dir=tmp)))
            k, n = score(by_module[t.module])
            print(f"{t.module}: {k}/{n} killed ({time.monotonic() - began:.0f} s)", file=sys.stderr, flush=True)
    lines = report(by_module, skipped, time.monotonic() - start)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps([dict(module=r.mutant.module, line=r.mutant.line, source=r.mutant.source,
                                              mutation=r.mutant.mutation, status=r.status, by=r.by,
                                              seconds=round(r.seconds, 2))
                                         for rs in by_module.values() for r in rs], indent=1))
    k, n = (sum(score(rs)[i] for rs in by_module.values()) for i in (0, 1))
    if 100 * k / max(n, 1) < args.min_score:
        print(f"overall score under {args.min_score:g}%: kill the survivors above with tests", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
