"""make mutate: each mutant of the modules in targets.toml, run against the tests that cover the
module; a score per module and overall.

    .venv/bin/python mutation/run.py [MODULE ...] [--jobs N] [--list] [--min-score 90]

How it stays fast on two cores: this process imports pytest and the test suite's libraries once,
never site_builder; children are forked from it and use a private copy of the package (a
"slot", child.py). A baseline run of the mapped tests (browser tests left out) records which
tests execute each line, and how long each takes; a mutant is run against the tests that ran
its line (as mutmut does; every mapped test when none did in process: module-level code runs at
import, the CLI tests run ``python -m site_builder`` in a subprocess), fastest first, stopping at
the first failure. A mutant inside a function is swapped into one warm pytest session as code
(warm.py); the others, and every survivor of the warm run, are written into the slot's file and
run in a fresh pytest (PYTHONPATH points subprocesses at the slot too). A mutant survives when
every test it ran passes; a child past its time limit is killed (and so is the mutant: it
hung). Equivalent mutants (targets.toml, each with its reason) are not run and count neither
way. Hypothesis runs derandomized: the same code gives the same score. targets.toml naming a
module, test file or name that is not there stops the run before anything runs.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import Mutant, mutants, mutated_source  # noqa: E402
from report import report, score  # noqa: E402
from targets import CONFIG, ConfigError, Target, load_targets  # noqa: E402, F401 (ConfigError: for tests)
from child import First, Lines, make_slot, spawn, wait  # noqa: E402
from warm import Host, function_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# imported here once, so a forked child starts with them: the suite's libraries, not site_builder
PRELOAD = ("pytest", "hypothesis", "markdown", "jinja2", "yaml", "anyascii", "dateparser", "cn2an",
           "_pytest.pytester", "xml.etree.ElementTree", "html.parser", "sqlite3", "concurrent.futures",
           "multiprocessing")


# --- the run -------------------------------------------------------------------------------

@dataclass
class Result:
    mutant: Mutant
    status: str        # killed | survived | timeout | error
    by: str = ""       # the first failing test
    seconds: float = 0.0


def baseline(target: Target, slot: Path, work: Path) -> tuple[dict[int, set[str]], float]:
    """The tests unmutated (they must pass), and for each line of the module the tests that ran it."""
    source = (ROOT / target.module).read_text()
    plugin = Lines(str(slot / target.module))
    report = work / "lines.json"

    class Save(Lines):
        def pytest_sessionfinish(self, session):  # noqa: ANN001, ANN201
            by_line: dict[int, list[str]] = {}
            for test, lines in self.lines.items():
                for n in lines:
                    by_line.setdefault(n, []).append(test)
            report.write_text(json.dumps({"lines": by_line, "seconds": self.seconds}))

    plugin = Save(plugin.filename)
    pid = spawn(slot, target, mutated_source(source, -1), plugin, list(target.tests))
    code, seconds = wait(pid, 1800)
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
    slots = [make_slot(work) for _ in range(jobs)]
    # line numbers of the mutated source (ast.unparse) differ from the file's: map them by walk
    lines, durations, clean = baseline(target, slots[0], work)
    at = _line_map(source)
    limit = max(60.0, 2 * clean)  # the clean run was traced: slower than any mutant's should be
    todo = [m for m in target.mutants() if m.key not in target.equivalent]
    inside = function_lines(source)
    warm = [m for m in todo if m.line in inside]
    results = _run_warm(target, source, warm, slots[0], jobs, limit, work, lines, durations, at)
    # import-time code, what could not be swapped in, and every warm survivor (a subprocess
    # test sees only the file): from the file
    done = {r.mutant.index for r in results}
    cold = [m for m in todo if m.index not in done]
    return results + _run_files(target, source, cold, slots, limit, work, lines, durations, at)


def _run_warm(target: Target, source: str, todo: list[Mutant], slot: Path, jobs: int, limit: float, work: Path,
              lines: dict[int, set[str]], durations: dict[str, float], at: dict[int, int]) -> list[Result]:
    """The mutants inside functions, in one warm pytest session (warm.py): the killed and the
    timed out; the rest is left for the file run."""
    if not todo:
        return []
    host_work = Path(tempfile.mkdtemp(dir=work))
    plan = [(m.index, mutated_source(source, m.index), m.scope, _tests_for(m, lines, durations, at)) for m in todo]
    name = target.module.removesuffix(".py").replace("/", ".")
    host = Host(name, plan, jobs, limit, host_work)
    pid = spawn(slot, target, mutated_source(source, -1), host, list(target.tests))
    code, _ = wait(pid, limit * (len(todo) / jobs + 2))
    saved = host_work / "warm.json"
    if code != 0 or not saved.exists():
        print(f"{target.module}: the warm run failed (exit {code}); running every mutant from the file",
              file=sys.stderr)
        return []
    out = []
    by_index = {m.index: m for m in todo}
    for index, (status, by, seconds) in json.loads(saved.read_text()).items():
        state = "timeout" if status is None else "killed" if status == 1 else ""
        if state:
            out.append(Result(by_index[int(index)], state, by, seconds))
    return out


def _run_files(target: Target, source: str, todo: list[Mutant], slots: list[Path], limit: float, work: Path,
               lines: dict[int, set[str]], durations: dict[str, float], at: dict[int, int]) -> list[Result]:
    """Each mutant written into a slot's copy of the module, in a fresh pytest."""
    todo = list(todo)
    results: list[Result] = []
    running: dict[int, tuple[Mutant, Path, float]] = {}
    free = list(slots)
    while todo or running:
        while todo and free:
            m = todo.pop(0)
            slot = free.pop()
            report = work / f"first-{m.index}"
            pid = spawn(slot, target, mutated_source(source, m.index), First(report),
                         ["-x", *_tests_for(m, lines, durations, at)])
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
