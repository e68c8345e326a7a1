"""CPU of reading a page (the gather phase's per-page work) and of its parts, per page, over the
first N pages of a site: read_page whole, the front matter, the YAML alone, the link pre-scan and
its code blanking. Best of 5 passes, this process only.

    python bench/read_cpu.py SITE [N]      e.g. a corpus from ../shared/bench/make_corpus.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from site_builder.fs import decode_text
from site_builder.model.config import load_config
from site_builder.model.frontmatter import parse_front_matter, split_front_matter
from site_builder.model.pages import FIELDS, read_page
from site_builder.model.scan import scan_body, without_code
from site_builder.model.yamlfile import load_yaml


def main() -> None:
    root, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    config = load_config(root)
    files = sorted((root / "content").rglob("*.md"))[:count]
    texts = [(p, decode_text(p.read_bytes(), str(p))) for p in files]
    splits = [split_front_matter(t, str(p), FIELDS) for p, t in texts]

    def best(work) -> float:  # noqa: ANN001
        times = []
        for _ in range(5):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times) / len(texts) * 1e6

    rows = {
        "read_page": lambda: [read_page(p, p.relative_to(root / "content").as_posix(), config) for p, _ in texts],
        "front matter": lambda: [parse_front_matter(t, str(p), FIELDS) for p, t in texts],
        "YAML": lambda: [load_yaml(s[1], "x", 2) for s in splits if s[0] == "yaml"],
        "pre-scan": lambda: [scan_body(s[3], s[4]) for s in splits],
        "code blanked": lambda: [without_code(s[3]) for s in splits],
    }
    for name, work in rows.items():
        print(f"{name:<13} {best(work):7.1f} us a page")


if __name__ == "__main__":
    main()
