#!/usr/bin/env python3
"""Benchmark: edit -> live-reload message, through the real dev server, at 10,000 pages.

    python bench/reload.py [PAGES] [--runs 7] [--poll] [--template] [--dir /dev/shm]      (make bench-reload)
                           [--corpus DIR] [--site DIR]

Makes PAGES pages with the shared corpus generator (../shared/bench/make_corpus.py from the
project's root; BENCH_SHARED overrides the folder), starts `site-builder serve --port 0` on them
(watching with inotify unless --poll), connects to its livereload WebSocket as a browser's
livereload.js does (hello, then info), and RUNS times appends a line to one page's Markdown file
(--template: adds an HTML comment inside the main block of the site's copy of the default theme's
page.html, so that every page is rendered again, as bench/peers/site_builder.sh's warm-template).
Each sample is the wall time from the write to the reload command reaching the socket; the page
is then fetched and must show the edit (the preview never lies). Also prints the server's own
log line for that rebuild. No browser: bench/reload_latency.py adds Chromium's reload on top.

CPU: the seconds of CPU (user + system) of the server and every process under it (its fork
server and render workers, and the children they have reaped), read from /proc: from the write
to the reload message, and to the end of the edit's work (the cache written in the background:
until the tree has used under 20 ms of CPU in 0.5 s). The machine is shared: CPU time is the
figure to compare, wall time is an upper bound; how long the server's processes were ready to
run but waited for a core (/proc/PID/task/*/schedstat, summed over processes) says how much
of the wall time was the machine's other load. The watcher is checked in /proc too: the
server's inotify watches are counted (its file descriptors on anon_inode:inotify).

--corpus DIR copies a content folder made by make_corpus.py (instead of making one); --site DIR
keeps the site (and its build cache) in DIR, made on first use, so that runs of one version of
the code after another start warm (give each version its own DIR).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import re
import shutil
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


def make_site(pages: int, root: Path, template: bool, corpus: Path | None = None) -> tuple[Path, Path, str]:
    """(site root, the file edited, the path of the page that shows the edit); a site already
    in ``root`` is kept as it is."""
    if not (root / "content").is_dir():
        root.mkdir(parents=True, exist_ok=True)
        if corpus is not None:
            shutil.copytree(corpus, root / "content")
        else:
            generator = SHARED / "make_corpus.py"
            if not generator.is_file():
                sys.exit(f"{generator} is missing (the shared bench harness; set BENCH_SHARED)")
            subprocess.run([sys.executable, str(generator), str(pages), str(root / "content"), "--seed", "1"],
                           check=True, capture_output=True)
        (root / "site.yaml").write_text("title: Bench\nbase_url: http://127.0.0.1:8000/\nsearch: false\n")
    mds = pages_of(root)
    md = mds[len(mds) // 2]
    rel = md.relative_to(root / "content").with_suffix("")
    if template:
        import site_builder
        theme = Path(site_builder.__file__).resolve().parent / "theme" / "page.html"
        text = theme.read_text()
        at = text.rfind("{% endblock")
        (root / "templates").mkdir(exist_ok=True)
        (root / "templates" / "page.html").write_text(text[:at] + "{# edits #}\n" + text[at:])
        md = root / "templates" / "page.html"
    elif (root / "templates").exists():
        shutil.rmtree(root / "templates")  # a template edit's run left it: the default theme again
    return root, md, f"{rel.as_posix()}/"


TICK = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> dict[int, int]:
    """``pid`` and every process under it, each with its CPU ticks (user + system, with the
    children it has waited for: a render pool's finished workers, reaped by the fork server)."""
    stats, children = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rpartition(b")")[2].split()
        except OSError:
            continue  # gone meanwhile (its parent has its time now)
        stats[int(entry)] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = {}, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            found[p] = stats[p]
            todo += children.get(p, [])
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and every process under it."""
    return sum(tree(pid).values()) / TICK


def waited(pid: int) -> float:
    """Seconds the threads of ``pid`` have been ready to run but waiting for a core (schedstat)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return total / 1e9


class Waits:
    """How long the server's processes waited for a core (the machine's other load) during an
    edit, sampled every 0.5 s on a thread (a worker that ends is counted up to its last sample)."""

    def __init__(self, pid: int):
        self.pid, self.first = pid, {p: waited(p) for p in tree(pid)}
        self.last = dict(self.first)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while True:
            for p in tree(self.pid):
                w = waited(p)
                self.first.setdefault(p, 0.0)  # a process born meanwhile: from 0
                self.last[p] = max(w, self.last.get(p, 0.0))
            if self.done.wait(0.5):
                return

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.last[p] - self.first[p] for p in self.last)


def inotify_watches(pid: int) -> int:
    """How many inotify watches the process holds (0: it is not watching with inotify)."""
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == "anon_inode:inotify":
                with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                    n += sum(line.startswith("inotify wd:") for line in f)
        except OSError:
            continue
    return n


def settle(pid: int, quiet: float = 0.02, every: float = 0.5, limit: float = 120) -> float:
    """The tree's CPU seconds once it has used less than ``quiet`` of them in ``every`` seconds."""
    deadline, last = time.monotonic() + limit, tree_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(every)
        now = tree_cpu(pid)
        if now - last < quiet:
            return now
        last = now
    return last


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
                  template: bool) -> list[tuple[float, float, float, float, str]]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    origin = f"http://127.0.0.1:{port}"
    ws = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": origin}))
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    hello = json.loads(await asyncio.wait_for(ws.read_message(), 60))
    assert hello["command"] == "hello", hello
    await ws.write_message(json.dumps({"command": "info", "url": url}))
    await asyncio.sleep(1)
    idle0 = settle(server.proc.pid)
    await asyncio.sleep(2)
    idle = tree_cpu(server.proc.pid) - idle0
    print(f"idle: {idle * 1000:.0f} ms of CPU in 2 s; {inotify_watches(server.proc.pid)} inotify watches",
          flush=True)
    original = md.read_text()
    samples = []
    try:
        for i in range(runs):
            marker = f"reload marker {i} {time.time_ns()}"
            c0 = settle(server.proc.pid)
            waits = Waits(server.proc.pid)
            t0 = time.perf_counter()
            md.write_text(original.replace("{# edits #}", f"<!-- {marker} -->") if template
                          else original + f"\n\n{marker}\n")
            message = json.loads(await asyncio.wait_for(ws.read_message(), 300))
            elapsed = time.perf_counter() - t0
            c1 = tree_cpu(server.proc.pid)
            wait = waits.stop()
            assert message["command"] == "reload", message
            built = server.wait_for(BUILT, 60).group(0)
            with urllib.request.urlopen(url, timeout=30) as r:
                if marker.encode() not in r.read():
                    sys.exit(f"run {i}: the reloaded page does not show the edit")
            c2 = settle(server.proc.pid)
            samples.append((elapsed, c1 - c0, c2 - c0, wait, built))
            print(f"run {i + 1}: {elapsed * 1000:.0f} ms wall, {c1 - c0:.2f} s CPU to the reload ({wait:.1f} s waited "
                  f"for a core), {c2 - c0:.2f} s CPU in all, load {os.getloadavg()[0]:.1f}  ({built})", flush=True)
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
    ap.add_argument("--corpus", type=Path, help="copy this content folder (made by make_corpus.py) instead of making one")
    ap.add_argument("--site", type=Path, help="keep the site (and its cache) in this folder, made on first use")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root, md, path = make_site(args.pages, args.site or Path(tmp) / "site", args.template, args.corpus)
        pages = len(pages_of(root))
        server = Server(root, args.poll)
        try:
            m = server.wait_for(r"at (http://127\.0\.0\.1:(\d+)/\S*) \(watching (with inotify|by polling);", 1800)
            url, port, mode = m.group(1), int(m.group(2)), m.group(3)
            print(f"{pages} pages, watching {mode}; editing {md.relative_to(root)}; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
            samples = asyncio.run(measure(server, port, md, url + path, args.runs, args.template))
        finally:
            server.stop()
    ms = sorted(s[0] * 1000 for s in samples)
    to_reload, in_all, wait = (statistics.median(s[k] for s in samples) for k in (1, 2, 3))
    what = "template edit" if args.template else "edit"
    print(f"{what} -> reload message, {pages} pages, {mode}: median {statistics.median(ms):.0f} ms "
          f"(min {ms[0]:.0f}, max {ms[-1]:.0f}, {len(ms)} runs); CPU of the server and its processes: median "
          f"{to_reload:.2f} s to the reload, {in_all:.2f} s in all; waiting for a core (the machine's other load, "
          f"summed over processes): median {wait:.1f} s")


if __name__ == "__main__":
    main()
