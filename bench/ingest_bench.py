"""Benchmark: ingest N articles the size of the seed (default 1,000), whole process.

    python bench/ingest_bench.py [N] [--runs R]

Writes N variants of the seed article (different titles, dates and numbers, so no two are
alike) into a temporary site, then times `site-builder ingest` as a user runs it.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "guangdong-new-industrialization-2023-12-05.txt"
REGIONS = ["Guangdong", "Jiangsu", "Zhejiang", "Shandong", "Fujian", "Hubei", "Sichuan", "Henan", "Anhui", "Hunan"]


def variant(text: str, i: int, rng: random.Random) -> str:
    region = REGIONS[i % len(REGIONS)]
    out = text.replace("Guangdong", region).replace("2023-12-05", f"20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}")
    for n in ("31", "15", "40"):
        out = out.replace(f" {n} ", f" {rng.randint(2, 99)} ", 1)
    return f"{region} report number {i}\n\n" + out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", help="where to make the temporary site (e.g. /dev/shm to leave the disk out)")
    args = ap.parse_args()
    rng = random.Random(1)
    text = SEED.read_text(encoding="utf-8")
    times = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            site = Path(tmp)
            shutil.copy(ROOT / "site.yaml", site / "site.yaml")
            (site / "seeds").mkdir()
            for i in range(args.n):
                (site / "seeds" / f"article-{i:05d}.txt").write_text(variant(text, i, rng), encoding="utf-8")
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "site_builder", "-C", str(site), "ingest"],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            if proc.returncode != 0:
                sys.exit(proc.stderr)
            pages = sum(1 for _ in (site / "content").rglob("*.md"))
        print(f"run {run + 1}: {args.n} articles -> {pages} pages in {times[-1]:.2f} s "
              f"(cpu {cpu:.2f} s: user {r1.ru_utime - r0.ru_utime:.2f}, sys {r1.ru_stime - r0.ru_stime:.2f})")
    print(f"ingest of {args.n} seed-sized articles: median {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f}), {args.n / statistics.median(times):.0f} articles/s")


if __name__ == "__main__":
    main()
