"""Benchmark (issue 15): a 1,000-article site from tools/multisite.py — clean build with search,
then one article added (ingested, then built warm) — the way a newsroom's site grows.

    python bench/multisite_bench.py [--articles 1000] [--runs 3] [--dir /dev/shm] [--keep]

Prints the timings and writes them to docs/benchmarks-multisite.md. Targets: clean build under
30 s on two cores with search, adding one article under 2 s (the build after its ingest).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import multisite  # noqa: E402

import site_builder  # noqa: E402


CPU: dict[tuple[str, ...], float] = {}  # CPU seconds (user + system, with its processes) of each command


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def sb(site: Path, *args: str) -> tuple[float, str]:
    t0, c0 = time.perf_counter(), _cpu()
    r = subprocess.run([sys.executable, "-m", "site_builder", "-C", str(site), *args],
                       capture_output=True, text=True)
    took = time.perf_counter() - t0
    CPU[args] = _cpu() - c0  # a machine shared with other work stretches the seconds, not this
    if r.returncode != 0:
        sys.exit(f"site-builder {' '.join(args)} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return took, (r.stdout + r.stderr).strip().splitlines()[-1] if (r.stdout + r.stderr).strip() else ""


def one_run(base: Path, n: int, jobs: str) -> dict[str, float | str]:
    site = multisite.make_site(base / "site", n, "mixed", ingest=False)
    ingest_s, _ = sb(site, "ingest")
    pages = sum(1 for _ in (site / "content").rglob("*.md"))
    # --future: a build leaves future-dated pages out unless asked, and the benchmark measures
    # the whole site (tools/multisite.py dates none after 2025; a site made otherwise may)
    clean_s, clean_line = sb(site, "build", "--future", "--clean", "--jobs", jobs)
    clean_cpu = CPU[("build", "--future", "--clean", "--jobs", jobs)]
    html = sum(1 for _ in (site / "_site").rglob("*.html"))
    largest = max(p.stat().st_size for p in (site / "_site").rglob("*.html"))
    sb(site, "build", "--future", "--jobs", jobs)  # --clean reads no cache: the first build after it settles the state
    nothing_s, _ = sb(site, "build", "--future", "--jobs", jobs)
    # one more article: the next one the generator would make, dated after every other
    seeds = site / "seeds"
    text_dir = Path(tempfile.mkdtemp(dir=base))
    new = multisite.make_seeds(text_dir, n + 1, "dated")[-1]
    added = seeds / f"{n:04d}-added.txt"
    shutil.copy(new, added)
    add_ingest_s, _ = sb(site, "ingest", str(added))
    add_build_s, add_line = sb(site, "build", "--future", "--jobs", jobs)
    return dict(articles=n, content=pages, html=html, largest=largest, ingest=ingest_s, clean=clean_s,
                clean_line=clean_line, nothing=nothing_s, add_ingest=add_ingest_s, add_build=add_build_s,
                add_line=add_line, clean_cpu=clean_cpu, add_cpu=CPU[("build", "--future", "--jobs", jobs)])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", default=str(os.cpu_count() or 2))
    ap.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/ as it is")
    args = ap.parse_args()
    # site_builder's bytecode, as an installed package has it (pip compiles it) and as a first run
    # leaves it: without it, where PYTHONDONTWRITEBYTECODE is set, every command compiles the
    # hundred-odd modules it imports again (about 0.09 s of each warm build on the machine of
    # docs/benchmarks-multisite.md)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(site_builder.__file__).parent)], check=True)
    runs, load = [], os.getloadavg()[0]
    for i in range(args.runs):
        base = Path(tempfile.mkdtemp(prefix="multisite-bench-", dir=args.dir))
        try:
            runs.append(one_run(base, args.articles, args.jobs))
        finally:
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
        r = runs[-1]
        print(f"run {i + 1}: {r['articles']} articles → {r['html']} HTML pages: clean build {r['clean']:.2f} s, "
              f"nothing changed {r['nothing']:.2f} s, one article added {r['add_build']:.2f} s "
              f"(its ingest {r['add_ingest']:.2f} s); largest page {r['largest'] / 1000:.1f} KB", flush=True)
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("ingest", "clean", "nothing", "add_ingest", "add_build", "clean_cpu", "add_cpu")}
    last = runs[-1]
    table = "\n".join([
        f"# {args.articles}-article site (tools/multisite.py, mixed dates)",
        "",
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · `--jobs {args.jobs}`, search on, "
        f"median of {len(runs)} runs on {args.dir or 'the default temporary folder'}; load average "
        f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (other work on the machine stretches "
        "the seconds; the CPU seconds, of the command and its processes, much less)",
        "",
        f"`python bench/multisite_bench.py --articles {args.articles} --runs {args.runs}`",
        "",
        "| | seconds | target |",
        "|---|---:|---|",
        f"| ingest {args.articles} articles ({last['content']} content pages) | {med['ingest']:.2f} | |",
        f"| clean build, search on ({last['html']} HTML pages) | {med['clean']:.2f} | < 30 s |",
        f"| ... its CPU seconds | {med['clean_cpu']:.2f} | |",
        f"| nothing changed | {med['nothing']:.2f} | |",
        f"| one article added: `ingest FILE` | {med['add_ingest']:.2f} | |",
        f"| one article added: `build` (warm) | {med['add_build']:.2f} | < 2 s |",
        f"| ... its CPU seconds | {med['add_cpu']:.2f} | |",
        "",
        f"Largest HTML page: {last['largest'] / 1000:.1f} KB. Build lines: `{last['clean_line']}` · `{last['add_line']}`",
        "",
    ])
    print(table)
    if not args.no_write:
        (ROOT / "docs" / "benchmarks-multisite.md").write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
