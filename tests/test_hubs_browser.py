"""The pager and the hubs of a generated 30-article site (tools/multisite.py) in a real browser,
under /repo/: the pager is visible and reachable by keyboard, its links lead page to page, the
current page is announced, no page overflows a phone's width, and axe finds nothing."""
import sys

import pytest

from conftest import ROOT, run, serve_folder

sys.path.insert(0, str(ROOT / "tools"))
import multisite  # noqa: E402

pytestmark = pytest.mark.browser
PAGES = ["overview/", "overview/page/2/", "sources/", "sources/page/3/", "", "overview/figures/page/2/",
         "overview/guangdong-accelerating-construction-strong-manufacturing/",          # a part's own page
         "industrial-clusters/guang-dong-zhi-zao-ye-xiang-xin-er-xing-xin-zhi-sheng-chan/"]  # a Chinese one
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = multisite.make_site(tmp_path_factory.mktemp("hub") / "site", 30, "mixed",
                               base_url="https://example.github.io/repo/", search=False)
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    server, url = serve_folder(root / "_site", "/repo/")
    yield root / "_site", url
    server.shutdown()


def test_the_pager_leads_from_page_to_page_by_keyboard(browser, hub):
    _, url = hub
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    try:
        page.goto(url + "overview/")
        nav = page.get_by_role("navigation", name="Pages of this list")
        assert nav.is_visible() and "Page 1 of" in nav.inner_text()
        # a screen reader hears "Page 1", marked as the current page
        assert nav.get_by_role("link", name="Page 1", exact=True).get_attribute("aria-current") == "page"
        assert nav.get_by_role("link", name="Page 2", exact=True).get_attribute("aria-current") is None
        older = nav.get_by_role("link", name="Older → (page 2)")
        older.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(url + "overview/page/2/")
        nav = page.get_by_role("navigation", name="Pages of this list")
        assert "Page 2 of" in nav.inner_text()
        nav.get_by_role("link", name="← Newer (page 1)").click()
        page.wait_for_url(url + "overview/")
        first = page.locator("section.part-card h2 a").first
        title = first.inner_text()
        first.click()
        assert page.locator("h1").inner_text() == title          # the part's own page
    finally:
        ctx.close()


@pytest.mark.parametrize("rel", PAGES)
def test_hub_pages_fit_a_phone_and_have_no_axe_violations(browser, hub, rel):
    from axe_playwright_python.sync_playwright import Axe

    _, url = hub
    for options in (PHONE, dict(viewport={"width": 1280, "height": 800}, color_scheme="dark")):
        ctx = browser.new_context(**options)
        page = ctx.new_page()
        try:
            assert page.goto(url + rel).status == 200
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"horizontal overflow of {overflow}px"
            violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(page).response["violations"]]
            assert violations == []
        finally:
            ctx.close()


# Every element's right edge, as far as it passes the viewport (whole page) or its chart's card
# (content box: inside the padding), in CSS pixels.
_OVERFLOWS = """() => {
  const W = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > W + 0.5) out.push([e.tagName, e.className.baseVal ?? e.className, Math.round(r.right - W)]);
  }
  for (const card of document.querySelectorAll('.chart')) {
    const cs = getComputedStyle(card), r = card.getBoundingClientRect();
    const inner = r.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
    for (const e of card.querySelectorAll('*')) {
      const right = e.getBoundingClientRect().right;
      if (right > inner + 0.5) out.push([card.id, e.tagName, Math.round(right - inner)]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("rel", ["overview/trends/", "industrial-clusters/trends/", "overview/"])
def test_charts_and_their_tables_fit_their_cards_from_360px_to_desktop(browser, hub, rel):
    """A trend's table (date, value, article) and a chart's labels stay inside the chart's card at a
    360px phone and on a desktop's three-column grid: a value that would not wrap ("≈ 31 billion
    yuan") pushed the 100-article site's overview/trends/page/3/ 1px past a 390px phone."""
    _, url = hub
    for width in (360, 390, 1280):
        ctx = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 400, has_touch=width < 400)
        page = ctx.new_page()
        try:
            assert page.goto(url + rel).status == 200
            assert page.locator(".chart").count() >= 1
            assert page.evaluate(_OVERFLOWS) == [], f"{rel} at {width}px"
        finally:
            ctx.close()
