#!/usr/bin/env python3
"""Our dev server's rebuild after a one-page edit, as it reports it, side by side with
peers/hugo_server_rebuild.sh (Hugo's own "Total in" figure):

    python bench/serve_rebuild.py WORK_DIR [--edits 7] [--port 13132]

WORK_DIR: a project made by bench/peers/site_builder.sh. Starts `site-builder serve` there,
waits for its first build, then EDITS times appends one line to one page (the first in sort
order, as Hugo's script does), one second apart, and reads the server's log line for that
rebuild: "Built N pages in X s (content: 1 file changed (content/x.md)), R rendered". Prints each
figure, the median, and the time from the write to that log line (which adds the watcher's
inotify wait and its 50 ms wait for a burst of saves to end)."""
from __future__ import annotations

import argparse
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

LINE = re.compile(r"Built (\d+) pages in ([\d.]+) s \((.*?)\), (\d+) rendered")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work", type=Path)
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--port", type=int, default=13132)
    ap.add_argument("--python", default=os.environ.get("SB_PYTHON", sys.executable))
    a = ap.parse_args()
    work = a.work.resolve()
    page = sorted((work / "content").rglob("*.md"))[0]
    proc = subprocess.Popen([a.python, "-m", "site_builder", "serve", "--port", str(a.port)], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    threading.Thread(target=lambda: [lines.put((time.perf_counter(), ln)) for ln in proc.stdout],
                     daemon=True).start()

    def next_build(timeout: float) -> tuple[float, re.Match[str]]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                at, ln = lines.get(timeout=0.5)
            except queue.Empty:
                if proc.poll() is not None:
                    break
                continue
            m = LINE.search(ln)
            if m:
                return at, m
        raise SystemExit(f"site-builder serve gave no build line (exit {proc.poll()})")

    try:
        _, first = next_build(3600)
        print(f"initial build (server): {first.group(0)}")
        own, seen = [], []
        for k in range(a.edits):
            time.sleep(1)
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\nEdited {time.time_ns()}.\n")
            wrote = time.perf_counter()
            at, m = next_build(600)
            own.append(float(m.group(2)) * 1000)
            seen.append((at - wrote) * 1000)
            print(f"edit {k + 1}: {m.group(0)}; write to log line {seen[-1]:.0f} ms")
        print(f"rebuild after one-page edit, ms (server-reported): n={len(own)} min={min(own):.0f} "
              f"median={statistics.median(own):.0f} max={max(own):.0f}; write to log line: "
              f"median={statistics.median(seen):.0f} max={max(seen):.0f}")
    finally:
        proc.terminate()
        proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
