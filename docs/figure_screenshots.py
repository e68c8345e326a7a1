"""Screenshots of the figures table and a trend chart for the README (make screenshots).

    python docs/figure_screenshots.py

Makes a 60-article site with tools/multisite.py (follow-ups of the corpus articles, so some
measures are reported at several dates), builds it, serves it on 127.0.0.1 and photographs the
Overview theme's figures table and its first trend chart with Debian's Chromium.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402
from multisite import make_site  # noqa: E402

from site_builder.build import build  # noqa: E402
from site_builder.model.config import load_config  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp) / "site", 60, "mixed", extra_config="")
        (root / "site.yaml").write_text((root / "site.yaml").read_text().replace("search: true", "search: false"))
        build(load_config(root), use_cache=False)
        server, url = serve_folder(root / "_site")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(url + "overview/figures/", wait_until="networkidle")
                shot(page, page.locator("table.figure-table"), "screenshot-figures-table.png", height=620)
                for rel in ["overview/trends/"] + [f"overview/trends/page/{n}/" for n in range(2, 10)]:
                    page.goto(url + rel, wait_until="networkidle")
                    gdp = page.locator(".chart-trend", has_text="GDP")  # values that change over time
                    if gdp.count():
                        shot(page, gdp.first, "screenshot-trend.png")
                        break
                ctx.close()
                browser.close()
        finally:
            server.shutdown()


def shot(page, locator, name: str, height: int | None = None) -> None:
    """The element, or its top ``height`` pixels."""
    target = ROOT / "docs" / name
    box = locator.bounding_box()
    clip = dict(box, height=min(box["height"], height)) if height else None
    locator.scroll_into_view_if_needed()
    if clip:
        page.screenshot(path=str(target), full_page=True, clip=clip)
    else:
        locator.screenshot(path=str(target))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
