"""Screenshots of the home page for the README: desktop and phone, light and dark.

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


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
