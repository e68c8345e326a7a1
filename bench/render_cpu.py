"""CPU time a page of the render phase costs, in this process: frame + fill + render of the first N
content pages (their Markdown converted once and reused, so the template and context work shows),
and the Markdown conversion apart. CPU time, not wall time: a busy machine changes it little.

    python bench/render_cpu.py SITE [N]      e.g. a corpus from ../shared/bench/make_corpus.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from site_builder.model.config import load_config
from site_builder.model.site import load_site
from site_builder.render.context import Renderer


def main() -> None:
    root, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 400
    renderer = Renderer(load_site(load_config(root)))
    routes = [r for r in renderer.site.routes.values() if r.kind == "page"][:count]
    bodies: dict[str, tuple[str, list]] = {}

    def body(page):
        if page.rel not in bodies:
            bodies[page.rel] = renderer.convert(page)
        return bodies[page.rel]

    best = float("inf")
    for _ in range(6):  # the first run fills the caches; the best of the rest
        start = time.process_time()
        for r in routes:
            renderer.render(r, renderer.fill(renderer.frame(r), r, body))
        best = min(best, (time.process_time() - start) / len(routes))
    start = time.process_time()
    for r in routes:
        renderer.convert(r.page)
    convert = (time.process_time() - start) / len(routes)
    print(f"{len(routes)} pages: frame+fill+render {best * 1e6:.0f} us a page (Markdown reused), "
          f"Markdown conversion {convert * 1e6:.0f} us a page")


if __name__ == "__main__":
    main()
