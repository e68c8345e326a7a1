"""Screenshots for the README: the home page on desktop and phone, light and dark; and a theme
hub and a later page of it, from a 100-article site made by tools/multisite.py.

    python docs/make_screenshots.py        (make screenshots)

Builds the site into a temporary folder, serves it on 127.0.0.1 and photographs it with
Debian's Chromium through Playwright (never a downloaded browser).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))

import multisite  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402

from site_builder.build import build  # noqa: E402
from site_builder.model.config import load_config  # noqa: E402

SHOTS = {"desktop": dict(viewport={"width": 1280, "height": 900}),
         "mobile": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build(load_config(ROOT), out=out, use_cache=False)
        server, url = serve_folder(out)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name, options in SHOTS.items():
                    for scheme in ("light", "dark"):
                        ctx = browser.new_context(**options, color_scheme=scheme)
                        page = ctx.new_page()
                        page.goto(url, wait_until="networkidle")
                        suffix = "" if scheme == "light" else "-dark"
                        target = ROOT / "docs" / f"screenshot-{name}{suffix}.png"
                        page.screenshot(path=str(target))
                        print(f"wrote {target.relative_to(ROOT)}")
                        ctx.close()
                browser.close()
        finally:
            server.shutdown()
        hub_shots(Path(tmp))


HUB_SHOTS = {"screenshot-hub.png": "overview/", "screenshot-hub-page-2.png": "overview/page/2/"}


def hub_shots(tmp: Path) -> None:
    """A theme hub of a 100-article site, and its second page (pager at the bottom)."""
    from playwright.sync_api import sync_playwright

    root = multisite.make_site(tmp / "hundred", 100, "mixed", search=False)
    build(load_config(root), use_cache=False)
    server, url = serve_folder(root / "_site")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            for name, rel in HUB_SHOTS.items():
                page.goto(url + rel, wait_until="networkidle")
                if rel != "overview/":  # the pager, where a reader meets it
                    page.locator("nav.pagination").scroll_into_view_if_needed()
                    page.evaluate("window.scrollBy(0, 250)")
                target = ROOT / "docs" / name
                page.screenshot(path=str(target))
                print(f"wrote {target.relative_to(ROOT)}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
