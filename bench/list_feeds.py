"""The cost of the lists' feeds (issue 16): a plain site of 10 sections × N pages (half of them
dated, two of 50 tags each, weights 0–2), read once; then the section and tag feeds' entries and
all the generated files (sitemap and every feed), each the best of 5.

    .venv/bin/python bench/list_feeds.py [--pages-per-section 1000] [--dir /dev/shm/list-feeds]
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from site_builder.model.config import load_config
from site_builder.model.site import load_site
from site_builder.render import feeds
from site_builder.render.context import Renderer


def make_site(root: Path, per_section: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: B\nbase_url: https://example.org/\nsearch: false\npaginate: 10\n")
    for s in range(10):
        folder = root / "content" / f"s{s}"
        folder.mkdir()
        for i in range(per_section):
            date = f"date: 20{10 + i % 14}-{1 + i % 12:02d}-{1 + i % 28:02d}\n" if i % 2 else ""
            (folder / f"p{i}.md").write_text(f"---\ntitle: Page {s}-{i}\n{date}tags: [t{i % 50}, t{i * 7 % 50}]\n"
                                             f"weight: {i % 3}\n---\nText {i}.\n")


def best_of(n: int, run) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages-per-section", type=int, default=1000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/list-feeds-bench"))
    args = ap.parse_args()
    make_site(args.dir, args.pages_per_section)
    site = load_site(load_config(args.dir), jobs=2)
    renderer = Renderer(site)
    lists = feeds.list_feeds(site)
    entries = best_of(5, lambda: [feeds._dated(pages, site.page_link) for pages in lists.values()])
    files = best_of(5, lambda: feeds.site_files(site, renderer))
    print(f"{len(site.pages)} pages, {len(lists)} section and tag feeds: their entries {entries * 1000:.0f} ms; "
          f"sitemap and every feed {files * 1000:.0f} ms")


if __name__ == "__main__":
    main()
