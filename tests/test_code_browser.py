"""Code, tables and Markdown extensions in a real browser (issue 16): the example site's writing
pages, light and dark, on a desktop and a phone: zero axe-core violations (colour contrast of every
highlighted token included), no horizontal overflow of the page however wide a table or a code line,
the wide table scrolling inside its own box, the highlighted line's background shown."""
import shutil

import pytest

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import ROOT, page, serve_folder, write_site

pytestmark = pytest.mark.browser
WRITING = ROOT / "tests" / "sites" / "handwritten" / "content" / "writing"
WIDE = page("Wide", "| " + " | ".join(f"column {i}" for i in range(14)) + " |\n|" + "---|" * 14 + "\n| "
            + " | ".join(f"value number {i}" for i in range(14)) + " |\n\n```python\nx = '"
            + "a long line of code " * 12 + "'\n```\n")
PAGES = ["writing/code/", "writing/markdown/", "wide/"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("code") / "site", {"content/wide.md": WIDE},
                      "title: Code\nbase_url: https://example.org/\nsearch: false\n"
                      "markdown_extensions: [pymdownx.details, pymdownx.mark]\n")
    shutil.copytree(WRITING, root / "content" / "writing")
    build(load_config(root))
    server, url = serve_folder(root / "_site")
    yield url
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", PAGES)
def test_zero_axe_violations_in_both_schemes(browser, served, rel, scheme):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    try:
        tab = ctx.new_page()
        tab.goto(served + rel, wait_until="networkidle")
        assert tab.locator(".codehilite, .md-table, .admonition").count() > 0
        results = Axe().run(tab)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert violations == []
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_wide_tables_and_code_scroll_in_their_box_not_the_page(browser, served, scheme):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                              color_scheme=scheme)
    try:
        tab = ctx.new_page()
        for rel in PAGES:
            tab.goto(served + rel, wait_until="networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{rel}: the page is {overflow}px wider than the phone"
        tab.goto(served + "wide/", wait_until="networkidle")
        assert tab.evaluate("(() => { const b = document.querySelector('.md-table');"
                            " return b.scrollWidth > b.clientWidth; })()")
        assert tab.evaluate("(() => { const p = document.querySelector('.codehilite');"
                            " return p.scrollWidth > p.clientWidth; })()")
    finally:
        ctx.close()


def test_marked_lines_have_their_own_background(browser, served):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    try:
        tab = ctx.new_page()
        tab.goto(served + "writing/code/", wait_until="networkidle")
        marked = tab.evaluate("getComputedStyle(document.querySelector('.codehilite .hll')).backgroundColor")
        plain = tab.evaluate("getComputedStyle(document.querySelector('.codehilite')).backgroundColor")
        assert marked == "rgb(253, 241, 207)" and plain == "rgb(242, 240, 234)"  # --mark, --surface
    finally:
        ctx.close()
