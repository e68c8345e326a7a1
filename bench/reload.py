#!/usr/bin/env python3
"""Benchmark: edit -> live-reload message, through the real dev server, at 10,000 pages.

    python bench/reload.py [PAGES] [--runs 7] [--poll] [--template] [--dir /dev/shm]      (make bench-reload)

Makes PAGES pages with the shared corpus generator (../shared/bench/make_corpus.py from the
project's root; BENCH_SHARED overrides the folder), starts `site-builder serve --port 0` on them
(watching with inotify unless --poll), connects to its livereload WebSocket as a browser's
livereload.js does (hello, then info), and RUNS times appends a line to one page's Markdown file
(--template: adds an HTML comment inside the main block of the site's copy of the default theme's
page.html, so that every page is rendered again, as bench/peers/site_builder.sh's warm-template).
Each sample is the wall time from the write to the reload command reaching the socket; the page
is then fetched and must show the edit (the preview never lies). Also prints the server's own
log line for that rebuild. No browser: bench/reload_latency.py adds Chromium's reload on top.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BENCH_SHARED", ROOT.parent / "shared" / "bench"))
BUILT = re.compile(r"^Built (\d+) pages in ([\d.]+) s \((.*)\), (\d+) rendered$")


def make_site(pages: int, where: Path, template: bool) -> tuple[Path, Path, str]:
    """(site root, the file edited, the path of the page that shows the edit)."""
    root = where / "site"
    root.mkdir()
    corpus = SHARED / "make_corpus.py"
    if not corpus.is_file():
        sys.exit(f"{corpus} is missing (the shared bench harness; set BENCH_SHARED)")
    subprocess.run([sys.executable, str(corpus), str(pages), str(root / "content"), "--seed", "1"], check=True,
                   capture_output=True)
    (root / "site.yaml").write_text("title: Bench\nbase_url: http://127.0.0.1:8000/\nsearch: false\n")
    mds = pages_of(root)
    md = mds[len(mds) // 2]
    rel = md.relative_to(root / "content").with_suffix("")
    if template:
        import site_builder
        theme = Path(site_builder.__file__).resolve().parent / "theme" / "page.html"
        text = theme.read_text()
        at = text.rfind("{% endblock")
        (root / "templates").mkdir()
        (root / "templates" / "page.html").write_text(text[:at] + "{# edits #}\n" + text[at:])
        md = root / "templates" / "page.html"
    return root, md, f"{rel.as_posix()}/"


def pages_of(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


class Server:
    """``site-builder serve --port 0`` in ``root``; its output read on a thread of its own."""

    def __init__(self, root: Path, poll: bool):
        self.proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--port", "0",
                                      *(["--poll"] if poll else [])], cwd=root, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.proc.stdout],
                         daemon=True).start()

    def wait_for(self, pattern: re.Pattern[str] | str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if m := re.search(pattern, line):
                return m
            if self.proc.poll() is not None and self.lines.empty():
                break
        sys.exit(f"the server never printed {pattern!r}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


async def measure(server: Server, port: int, md: Path, url: str, runs: int,
                  template: bool) -> list[tuple[float, str]]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    origin = f"http://127.0.0.1:{port}"
    ws = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": origin}))
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    hello = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert hello["command"] == "hello", hello
    await ws.write_message(json.dumps({"command": "info", "url": url}))
    await asyncio.sleep(1)
    original = md.read_text()
    samples = []
    try:
        for i in range(runs):
            marker = f"reload marker {i} {time.time_ns()}"
            t0 = time.perf_counter()
            md.write_text(original.replace("{# edits #}", f"<!-- {marker} -->") if template
                          else original + f"\n\n{marker}\n")
            message = json.loads(await asyncio.wait_for(ws.read_message(), 300))
            elapsed = time.perf_counter() - t0
            assert message["command"] == "reload", message
            built = server.wait_for(BUILT, 60).group(0)
            with urllib.request.urlopen(url, timeout=30) as r:
                if marker.encode() not in r.read():
                    sys.exit(f"run {i}: the reloaded page does not show the edit")
            samples.append((elapsed, built))
            print(f"run {i + 1}: {elapsed * 1000:.0f} ms  ({built})", flush=True)
            await asyncio.sleep(1.5)
    finally:
        md.write_text(original)
        ws.close()
    return samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", type=int, nargs="?", default=10000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--poll", action="store_true", help="watch by polling (the fallback) instead of inotify")
    ap.add_argument("--template", action="store_true", help="edit a template (every page rebuilt), not a page")
    ap.add_argument("--dir", help="where to put the temporary site (default: the system's temp folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root, md, path = make_site(args.pages, Path(tmp), args.template)
        server = Server(root, args.poll)
        try:
            m = server.wait_for(r"at (http://127\.0\.0\.1:(\d+)/\S*) \(watching (with inotify|by polling);", 1800)
            url, port, mode = m.group(1), int(m.group(2)), m.group(3)
            print(f"{len(pages_of(root))} pages, watching {mode}; editing {md.relative_to(root)}", flush=True)
            samples = asyncio.run(measure(server, port, md, url + path, args.runs, args.template))
        finally:
            server.stop()
    ms = sorted(s * 1000 for s, _ in samples)
    what = "template edit" if args.template else "edit"
    print(f"{what} -> reload message, {args.pages} pages, {mode}: median {statistics.median(ms):.0f} ms "
          f"(min {ms[0]:.0f}, max {ms[-1]:.0f}, {len(ms)} runs)")


if __name__ == "__main__":
    main()
