"""Navigation on the hand-written example site (tests/sites/handwritten/), as a reader meets it:
the nav made from its folders, and the same site with a ``nav:`` in site.yaml; its section
sidebar, prev/next links and ``extra_css``/``extra_js``; in a real browser, on a phone too."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run, serve_folder

SITE = ROOT / "tests" / "sites" / "handwritten"
BASE = "https://example.org/handwritten/"
NAV = """
nav:
  - Guides:
      - guides/first-steps.md
      - Advanced:
          - Theming the site: guides/advanced/theming.md
          - guides/advanced/deploying.md
  - contact.md
  - Tags: tags/
  - Python-Markdown: https://python-markdown.github.io/
"""


def build_variant(tmp: Path, nav: str) -> Path:
    project = tmp / "site"
    shutil.copytree(SITE, project)
    with (project / "site.yaml").open("a", encoding="utf-8") as f:
        f.write(nav)
    out = project / "_site"
    r = run("-C", str(project), "build", "--strict", "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stderr
    r = run("-C", str(project), "check", "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {"auto": build_variant(tmp_path_factory.mktemp("auto"), ""),
            "nav": build_variant(tmp_path_factory.mktemp("nav"), NAV)}


def read(out: Path, rel: str) -> str:
    return (out / rel / "index.html").read_text(encoding="utf-8")


def between(text: str, start: str, end: str = "</nav>") -> str:
    at = text.index(start)
    return text[at:text.index(end, at)]


def texts(fragment: str) -> list[str]:
    """The text of each link, '*' after the current page's."""
    return [m[2] + ("*" if m[1] else "") for m in re.finditer(r'<a href="[^"]*"( aria-current="page")?[^>]*>([^<]*)</a>', fragment)]


def test_the_folders_make_the_nav(sites):
    out = sites["auto"]
    nav = between(read(out, "guides/advanced/theming"), '<nav class="site-nav"')
    assert "Contact" in texts(nav)                       # a top-level page
    assert "<summary>Guides</summary>" in nav            # a section holding a section: not flattened
    guides = nav[nav.index("<summary>Guides</summary>"):]
    assert texts(guides)[:2] == ["Guides", "Advanced"]
    assert 'class="nav-group current"' in nav
    side = between(read(out, "guides/advanced/theming"), '<nav class="section-nav"')
    assert texts(side) == ["Advanced", "Theming*", "Deploying"]
    theming, deploying = read(out, "guides/advanced/theming"), read(out, "guides/advanced/deploying")
    assert 'rel="next" href="/handwritten/guides/advanced/deploying/"><span>Next</span> Deploying</a>' in theming
    assert 'rel="prev" href="/handwritten/guides/advanced/theming/"><span>Previous</span> Theming</a>' in deploying


def test_a_configured_nav_is_what_the_reader_sees(sites):
    out = sites["nav"]
    nav = between(read(out, "contact"), '<nav class="site-nav"')
    assert texts(nav) == ["First steps", "Theming the site", "Deploying", "Contact*", "Tags", "Python-Markdown"]
    assert '<span class="nav-label">Advanced</span>' in nav
    side = between(read(out, "guides/advanced/deploying"), '<nav class="section-nav"')
    assert 'aria-label="Section: Advanced"' in side and texts(side) == ["Theming the site", "Deploying*"]
    pager = between(read(out, "guides/advanced/deploying"), '<nav class="pager page-pager"')
    assert re.findall(r'rel="(\w+)" href="([^"]*)"', pager) == [
        ("prev", "/handwritten/guides/advanced/theming/"), ("next", "/handwritten/contact/")]


def test_extra_css_and_js_are_on_every_page(sites):
    for out in sites.values():
        for path in out.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            if "<head>" not in text or 'http-equiv="refresh"' in text:  # a redirect page (aliases:)
                continue
            assert re.search(r'<link rel="stylesheet" href="/handwritten/css/handwritten\.css\?v=\w+">', text), path
            assert re.search(r'<script src="/handwritten/js/handwritten\.js\?v=\w+"></script>', text), path


@pytest.fixture(scope="module")
def served(sites):
    made = {name: serve_folder(out, "/handwritten/") for name, out in sites.items()}
    yield {name: url for name, (_, url) in made.items()}
    for server, _ in made.values():
        server.shutdown()


PHONE = dict(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["auto", "nav"])
def test_on_a_phone_the_nav_opens_and_leads_to_a_page_without_overflow(browser, served, variant):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(r.url))
    try:
        page.goto(served[variant] + "contact/", wait_until="networkidle")
        width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(width) <= 0
        page.locator("nav.site-nav summary", has_text="Guides").click()
        assert page.evaluate(width) <= 0                 # the open section wraps, it does not widen the page
        link = page.locator("nav.site-nav details a", has_text="Advanced" if variant == "auto" else "Deploying")
        assert link.is_visible()
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate(width) <= 0
        if variant == "nav":
            assert page.locator('nav.section-nav a[aria-current="page"]').inner_text() == "Deploying"
            page.locator("nav.page-pager a[rel=prev]").click()
            page.wait_for_url(served[variant] + "guides/advanced/theming/")
        assert page.evaluate("document.documentElement.dataset.extraJs") == "loaded"
        assert page.evaluate("getComputedStyle(document.querySelector('main h1')).letterSpacing") in ("0px", "normal")
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_nav_and_sidebar_have_no_axe_violations(browser, served, scheme):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = ctx.new_page()
    try:
        page.goto(served["nav"] + "guides/advanced/theming/", wait_until="networkidle")
        page.locator("nav.site-nav summary", has_text="Guides").click()   # axe sees the open panel too
        box = page.locator("nav.site-nav details > ul").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280
        results = Axe().run(page)
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]] == []
    finally:
        ctx.close()
