"""Benchmark: edit → browser reload finished, through the real dev server and Chromium.

    python bench/reload_latency.py seed [--edits 30]
    python bench/reload_latency.py corpus --pages 1000 [--edits 30] [--search off]

Copies the site to a temporary folder, starts `site-builder serve --port 0`, opens a page in
Debian's Chromium (Playwright), then edits that page's Markdown file again and again. Each
sample is the wall time from the write to the `load` event of the reloaded page (which then
must show the edit). Prints the distribution.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_site(kind: str, pages: int, where: Path, search: bool) -> tuple[Path, str, Path]:
    """(site root, page path under the base, the Markdown file behind that page)."""
    root = where / "site"
    root.mkdir()
    if kind == "seed":
        for d in ("content", "seeds"):
            shutil.copytree(ROOT / d, root / d)
        text = (ROOT / "site.yaml").read_text()
        (root / "site.yaml").write_text(text.replace("search: true", f"search: {'true' if search else 'false'}"))
        return root, "innovation/", next((root / "content/innovation").glob("*.md"))
    subprocess.run([sys.executable, str(CORPUS), str(pages), str(root / "content"), "--seed", "1"], check=True,
                   capture_output=True)
    (root / "site.yaml").write_text(f"title: Bench\nbase_url: http://127.0.0.1:8000/\nsearch: "
                                    f"{'true' if search else 'false'}\n")
    md = sorted((root / "content/guides").glob("*.md"))[0]
    return root, f"guides/{md.stem}/", md


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", choices=["seed", "corpus"])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--search", choices=["on", "off"], default="on")
    ap.add_argument("--dir", help="where to put the temporary site (default: the system's temp folder)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root, path, md = make_site(args.site, args.pages, Path(tmp), args.search == "on")
        server = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--port", "0"], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
        url = None
        while url is None:
            line = server.stdout.readline()
            if not line:
                sys.exit("the server did not start")
            m = re.search(r"at (http://\S+) ", line)
            url = m.group(1) if m else None
        samples = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS)
                page = browser.new_page()
                page.goto(url + path)
                page.wait_for_function("window.LiveReload !== undefined")
                time.sleep(2)  # let the first search index finish
                original = md.read_text()
                for i in range(args.edits):
                    marker = f"latency marker {i} {time.time_ns()}"
                    with page.expect_navigation(wait_until="load", timeout=30000):
                        t0 = time.perf_counter()
                        md.write_text(original + f"\n\n{marker}\n")
                    samples.append(time.perf_counter() - t0)
                    if marker not in page.inner_text("body"):
                        page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=5000)
                        print(f"edit {i}: a reload came before the one showing the edit", file=sys.stderr)
                    time.sleep(0.3)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    ms = sorted(s * 1000 for s in samples)
    q = statistics.quantiles(ms, n=20)
    print(f"{args.site}{' ' + str(args.pages) + ' pages' if args.site == 'corpus' else ''}, search {args.search}: "
          f"{len(ms)} edits, edit -> reload finished: min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, "
          f"p90 {q[17]:.0f} ms, p95 {q[18]:.0f} ms, max {ms[-1]:.0f} ms")


if __name__ == "__main__":
    main()
