"""Markdown trees against the "too complex to render" limits (site_builder/model/complexity.py).

    .venv/bin/python bench/markdown_limits.py DIR [DIR...]

Reads every *.md / *.markdown file under each DIR (front matter split off as a build does),
and prints, for each limit, the largest page value and how far below the limit it is, then
any page the build would refuse. The limits were checked this way against the documentation
of Python-Markdown, MkDocs, Hugo, Material for MkDocs, the Rust book, Jekyll and Babel
(fetched from GitHub): every page passes, the closest at 1/31 of its limit."""
from __future__ import annotations

import os
import sys
import time

from site_builder.errors import SiteError
from site_builder.model.complexity import estimates
from site_builder.model.frontmatter import split_front_matter
from site_builder.model.scan import scan_body


def main(dirs: list[str]) -> int:
    worst: dict[str, tuple[int, int, str]] = {}
    refused, pages, scan_seconds = [], 0, 0.0
    for top in dirs:
        for folder, _, names in sorted(os.walk(top)):
            for name in sorted(n for n in names if n.endswith((".md", ".markdown"))):
                path = os.path.join(folder, name)
                try:
                    text = open(path, encoding="utf-8").read().replace("\r\n", "\n")
                    body = split_front_matter(text, path)[2]
                except (OSError, UnicodeDecodeError, SiteError):
                    continue
                pages += 1
                start = time.perf_counter()
                scan = scan_body(body, 1, allow_html=True)
                scan_seconds += time.perf_counter() - start
                if scan.too_complex:
                    refused.append(f"{path}:{scan.too_complex[0]}: {scan.too_complex[1]}")
                for key, (value, limit) in estimates(body).items():
                    if value >= worst.get(key, (-1, 0, ""))[0]:
                        worst[key] = (value, limit, path)
    print(f"{pages} pages, pre-scan {scan_seconds:.2f} s in all (allow_html on: every estimate runs)")
    for key, (value, limit, path) in worst.items():
        print(f"  {key:20} largest {value:>14,}  limit {limit:>14,}  ({limit / max(value, 1):,.0f}x)  {path}")
    print(f"refused: {len(refused)}", *refused, sep="\n  ")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
