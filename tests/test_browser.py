"""What a person sees, in a real browser (Debian Chromium via Playwright): every page of the
seed site at / and under /repo/, desktop and phone: no console errors, no failed requests,
no horizontal scrolling, zero axe-core violations; navigation and provenance links land
where they should. Screenshots go to test-artifacts/screenshots/."""
import shutil
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import ROOT, serve_folder

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
SIZES = {"desktop": dict(viewport={"width": 1280, "height": 800}),
         "mobile": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                        device_scale_factor=2)}
BASES = {"root": ("http://127.0.0.1:8000/", "/"), "repo": ("https://example.github.io/repo/", "/repo/")}


@pytest.fixture(scope="session")
def sites(tmp_path_factory):
    """The committed seed site, built at / and at /repo/, each served on 127.0.0.1."""
    made, servers = {}, []
    for name, (base_url, base_path) in BASES.items():
        root = tmp_path_factory.mktemp(f"site-{name}")
        for d in ("content", "seeds"):
            shutil.copytree(ROOT / d, root / d)
        shutil.copy(ROOT / "site.yaml", root / "site.yaml")
        build(load_config(root, base_url=base_url))
        out = root / "_site"
        server, url = serve_folder(out, base_path)
        servers.append(server)
        made[name] = (out, url)
    yield made
    for server in servers:
        server.shutdown()


def page_urls(out: Path) -> list[str]:
    rels = []
    for f in sorted(out.rglob("*.html")):
        rel = f.relative_to(out).as_posix()
        if rel.startswith("pagefind/"):
            continue
        rels.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return rels


SEED_PAGES = ["", "404.html", "about/", "digital-transformation/", "green-development/", "industrial-clusters/",
              "industrial-clusters/figures/", "innovation/", "overview/", "overview/figures/", "search/", "sources/",
              "terms/",
              "sources/guangdong-accelerating-construction-strong-manufacturing/"]


def test_the_page_list_is_complete(sites):
    out, _ = sites["root"]
    assert sorted(page_urls(out)) == sorted(SEED_PAGES)


def visit(browser, url: str, size: str, **ctx_options):
    ctx = browser.new_context(**SIZES[size], **ctx_options)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 and
            not r.url.endswith("/404.html") else None)
    response = page.goto(url, wait_until="networkidle")
    return ctx, page, response, problems


@pytest.mark.parametrize("base", list(BASES))
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("rel", SEED_PAGES)
def test_every_page_renders_cleanly(browser, sites, base, size, rel):
    out, url = sites[base]
    ctx, page, response, problems = visit(browser, url + rel, size)
    try:
        assert response.status == (404 if rel == "404.html" else 200) or rel == "404.html"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"horizontal overflow of {overflow}px"
        assert page.locator("main h1").count() >= 1 or page.locator("h1").count() >= 1
        assert problems == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{base}-{(rel.strip('/') or 'home').replace('/', '_')}-{size}.png"),
                        full_page=True)
    finally:
        ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", SEED_PAGES)
def test_zero_axe_violations(browser, sites, rel, scheme):
    from axe_playwright_python.sync_playwright import Axe

    out, url = sites["repo"]
    ctx, page, _, _ = visit(browser, url + rel, "desktop", color_scheme=scheme)
    try:
        results = Axe().run(page)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
        assert violations == []
    finally:
        ctx.close()


def test_nav_marks_the_current_page_and_leads_to_each_theme(browser, sites):
    out, url = sites["repo"]
    ctx, page, _, problems = visit(browser, url, "desktop")
    try:
        nav = page.locator("nav.site-nav a")
        titles = nav.all_inner_texts()
        assert "Innovation" in titles and "Green development" in titles
        page.locator("nav.site-nav a", has_text="Innovation").click()
        page.wait_for_url(url + "innovation/")
        assert page.locator("main h1").inner_text() == "Innovation"
        assert page.locator('nav.site-nav a[aria-current="page"]').inner_text() == "Innovation"
        assert problems == []
    finally:
        ctx.close()


def test_provenance_marks_land_on_the_source_paragraph_and_back(browser, sites):
    out, url = sites["repo"]
    ctx, page, _, problems = visit(browser, url + "industrial-clusters/", "desktop")
    try:
        mark = page.locator("a.prov").first
        href = mark.get_attribute("href")
        assert href.startswith("/repo/sources/") and href.endswith("#p5")
        mark.click()
        page.wait_for_url("**/sources/**#p5")
        assert page.evaluate("document.querySelector(':target').id") == "p5"
        used = page.locator("#p5 .used-in a")
        assert used.inner_text() == "Industrial clusters and chains"
        used.click()
        page.wait_for_url("**/industrial-clusters/#*")
        target = page.evaluate("location.hash.slice(1)")
        assert page.locator(f"#{target}").get_attribute("data-src").endswith("#p5")
        assert problems == []
    finally:
        ctx.close()


def test_readable_without_javascript(browser, sites):
    out, url = sites["repo"]
    for rel in ("", "innovation/", "search/"):
        ctx, page, _, problems = visit(browser, url + rel, "mobile", java_script_enabled=False)
        try:
            assert page.locator("main").inner_text().strip()
            if rel == "search/":
                assert "Search needs JavaScript" in page.locator("main").inner_text()
        finally:
            ctx.close()
