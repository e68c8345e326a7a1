"""Search: the Pagefind index is built with the site and works under /repo/ in a real browser."""
import shutil

import pytest

from site_builder.build import build
from site_builder.config import load_config

from conftest import ROOT, page, serve_folder, write_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    build(load_config(root, base_url="https://example.github.io/repo/"))
    server, url = serve_folder(root / "_site", "/repo/")
    yield root / "_site", url
    server.shutdown()


def test_typing_a_word_finds_the_page_and_the_result_leads_there(browser, searchable):
    out, url = searchable
    assert (out / "pagefind" / "pagefind.js").exists()
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        pg.goto(url + "search/")
        box = pg.locator("#search input")
        box.fill("laboratory")
        result = pg.locator(".pagefind-ui__result-link").first
        result.wait_for(timeout=15000)
        href = result.get_attribute("href")
        assert href.startswith("/repo/"), href
        result.click()
        pg.wait_for_url("**/repo/innovation/**")
        assert "laboratory" in pg.inner_text("main")
        assert errors == []
    finally:
        ctx.close()


def test_the_header_search_form_carries_the_query(browser, searchable):
    _, url = searchable
    ctx = browser.new_context()
    pg = ctx.new_page()
    try:
        pg.goto(url)
        pg.fill("#site-search", "blockchain")
        pg.press("#site-search", "Enter")
        pg.wait_for_url("**/repo/search/?q=blockchain")
        pg.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        assert "/repo/industrial-clusters/" in pg.locator(".pagefind-ui__result-link").first.get_attribute("href")
    finally:
        ctx.close()


def test_search_false_leaves_no_index_and_no_search_page(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": page("A")})  # BASE_CONFIG has search: false
    build(load_config(root))
    assert not (root / "_site/pagefind").exists() and not (root / "_site/search").exists()
    assert "site-search" not in (root / "_site/index.html").read_text()
