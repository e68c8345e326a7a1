"""Navigation (issue 16): ``nav:`` in site.yaml in MkDocs' form, every entry checked; otherwise a
nav made from content/ (top-level pages, sections nested as their folders); each content page's
section sidebar and prev/next links in nav order; ``extra_css``/``extra_js``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model.config import load_config
from site_builder.render.navview import SIDEBAR_MAX

from conftest import page

HEAD = "title: Docs\nbase_url: https://example.org/repo/\nsearch: false\n"
PAGES = {
    "content/index.md": page("Welcome", "The home page."),
    "content/about-us.md": page("About us", "Who we are."),
    "content/changelog.md": page("Changelog", "What changed.", weight=5),
    "content/guides/install.md": page("Install", "Get it.", weight=1, tags=["setup"]),
    "content/guides/usage.md": page("Usage", "Use it.", weight=2),
    "content/guides/faq.md": page("FAQ", "Questions."),
    "content/guides/advanced/tuning.md": page("Tuning", "Make it fast."),
    "content/guides/advanced/caching.md": page("Caching", "Keep it."),
    "content/blog/old.md": page("Old news", "Before.", date="2024-01-05"),
    "content/blog/new.md": page("New news", "After.", date="2024-03-01"),
}


def make(site, files: dict, config: str = HEAD) -> Path:
    root = site({**files, "site.yaml": config})
    build(load_config(root))
    return root / "_site"


def errors(site, files: dict, config: str) -> list[str]:
    root = site({**files, "site.yaml": config})
    with pytest.raises(SiteError) as e:
        build(load_config(root))
    return str(e.value).splitlines()


def html(out: Path, rel: str) -> str:
    return (out / rel / "index.html").read_text(encoding="utf-8")


def region(text: str, start: str) -> str:
    """The element opening with ``start`` (a <nav …>), up to its </nav>."""
    at = text.index(start)
    return text[at:text.index("</nav>", at)]


def links(fragment: str) -> list[tuple[str, str]]:
    """(text, href) of each link, '*' after the text of the one marked aria-current."""
    return [(m[3] + ("*" if m[2] else ""), m[1]) for m in
            re.finditer(r'<a href="([^"]*)"( aria-current="page")?[^>]*>([^<]*)</a>', fragment)]


def pager(text: str) -> dict[str, str]:
    """rel -> href of the page's prev/next links."""
    if 'class="pager page-pager"' not in text:
        return {}
    nav = region(text, '<nav class="pager page-pager"')
    return {m[1]: m[2] for m in re.finditer(r'rel="(prev|next)" href="([^"]*)"', nav)}


# --- made from content/ ------------------------------------------------------------------------

def test_the_automatic_nav_lists_top_level_pages_and_nests_sections(site):
    """Top-level pages by weight, then title (unweighted after weighted, as in Hugo); each
    section a group holding its page and its subsections, not flattened into one row."""
    out = make(site, PAGES)
    nav = region(html(out, "about-us"), '<nav class="site-nav"')
    assert links(nav) == [("Changelog", "/repo/changelog/"), ("About us*", "/repo/about-us/"),
                          ("Blog", "/repo/blog/"), ("Guides", "/repo/guides/"),
                          ("Advanced", "/repo/guides/advanced/")]
    # a section with subsections opens on them; one without is a link
    assert "<summary>Guides</summary>" in nav and "<summary>Blog</summary>" not in nav
    guides = nav[nav.index("<summary>Guides</summary>"):]
    assert links(guides) == [("Guides", "/repo/guides/"), ("Advanced", "/repo/guides/advanced/")]
    # the header does not list every page of a section: that is the sidebar's job
    assert "/repo/guides/install/" not in nav


def test_the_current_section_is_marked_in_the_header(site):
    out = make(site, PAGES)
    nav = region(html(out, "guides/advanced/tuning"), '<nav class="site-nav"')
    assert re.search(r'<li class="nav-group current">\s*<details>\s*<summary>Guides</summary>', nav)
    nav = region(html(out, "about-us"), '<nav class="site-nav"')
    assert re.search(r'<li class="nav-group">\s*<details>\s*<summary>Guides</summary>', nav)


def test_prev_and_next_follow_the_nav_order(site):
    """Top-level pages, then each section's pages (by weight, then title; a dated section newest
    first) and its subsections, depth first."""
    out = make(site, PAGES)
    order = ["changelog", "about-us", "blog/new", "blog/old", "guides/install", "guides/usage",
             "guides/faq", "guides/advanced/caching", "guides/advanced/tuning"]
    for i, rel in enumerate(order):
        want = {}
        if i > 0:
            want["prev"] = f"/repo/{order[i - 1]}/"
        if i + 1 < len(order):
            want["next"] = f"/repo/{order[i + 1]}/"
        assert pager(html(out, rel)) == want, rel
    text = html(out, "guides/usage")
    assert '<span>Previous</span> Install</a>' in text and '<span>Next</span> FAQ</a>' in text


def test_the_sidebar_lists_the_pages_of_the_current_section(site):
    out = make(site, PAGES)
    side = region(html(out, "guides/usage"), '<nav class="section-nav"')
    assert 'aria-label="Section: Guides"' in side
    assert links(side) == [("Guides", "/repo/guides/"), ("Install", "/repo/guides/install/"),
                           ("Usage*", "/repo/guides/usage/"), ("FAQ", "/repo/guides/faq/"),
                           ("Advanced", "/repo/guides/advanced/")]
    side = region(html(out, "guides/advanced/tuning"), '<nav class="section-nav"')
    assert links(side) == [("Advanced", "/repo/guides/advanced/"), ("Caching", "/repo/guides/advanced/caching/"),
                           ("Tuning*", "/repo/guides/advanced/tuning/")]
    # a top-level page has no section
    assert 'class="section-nav"' not in html(out, "about-us")


def test_a_large_section_shows_the_pages_around_the_current_one(site):
    """A section of thousands of pages would put thousands of links on each of them: the sidebar
    shows SIDEBAR_MAX around the page and links to the section's list of all."""
    n = SIDEBAR_MAX + 30
    files = {f"content/notes/n{i:03}.md": page(f"Note {i:03}", "Text.") for i in range(n)}
    out = make(site, files)
    side = region(html(out, "notes/n060"), '<nav class="section-nav"')
    shown = [t for t, _ in links(side)][1:-1]  # the section's title first, 'All …' last
    assert len(shown) == SIDEBAR_MAX
    assert shown[0] == "Note 030" and shown[-1] == "Note 079" and "Note 060*" in shown
    assert links(side)[-1] == (f"All {n} in Notes", "/repo/notes/")
    side = region(html(out, "notes/n002"), '<nav class="section-nav"')
    assert [t for t, _ in links(side)][1] == "Note 000"


# --- nav: in site.yaml -----------------------------------------------------------------------

NAV = HEAD + """nav:
  - about-us.md
  - Getting started:
      - Install it: guides/install.md
      - guides/usage.md
      - More:
          - guides/advanced/tuning.md#setup
  - Tags: tags/
  - Source code: https://git.example.org/docs
"""


def test_a_configured_nav_is_shown_as_written(site):
    out = make(site, PAGES, NAV)
    nav = region(html(out, "guides/usage"), '<nav class="site-nav"')
    assert links(nav) == [("About us", "/repo/about-us/"), ("Install it", "/repo/guides/install/"),
                          ("Usage*", "/repo/guides/usage/"), ("Tuning", "/repo/guides/advanced/tuning/#setup"),
                          ("Tags", "/repo/tags/"), ("Source code", "https://git.example.org/docs")]
    assert "<summary>Getting started</summary>" in nav
    assert '<span class="nav-label">More</span>' in nav
    assert 'href="https://git.example.org/docs" rel="external"' in nav


def test_a_configured_nav_orders_prev_next_and_makes_the_sidebar(site):
    out = make(site, PAGES, NAV)
    assert pager(html(out, "about-us")) == {"next": "/repo/guides/install/"}
    assert pager(html(out, "guides/usage")) == {"prev": "/repo/guides/install/",
                                                "next": "/repo/guides/advanced/tuning/"}
    assert pager(html(out, "guides/advanced/tuning")) == {"prev": "/repo/guides/usage/"}
    # pages the nav leaves out have neither
    assert pager(html(out, "guides/faq")) == {} and 'class="section-nav"' not in html(out, "guides/faq")
    side = region(html(out, "guides/usage"), '<nav class="section-nav"')
    assert 'aria-label="Section: Getting started"' in side
    assert links(side) == [("Install it", "/repo/guides/install/"), ("Usage*", "/repo/guides/usage/"),
                           ("Tuning", "/repo/guides/advanced/tuning/#setup")]
    side = region(html(out, "guides/advanced/tuning"), '<nav class="section-nav"')
    assert 'aria-label="Section: More"' in side


def test_a_draft_named_in_the_nav_is_left_out_until_published(site):
    files = {**PAGES, "content/guides/usage.md": page("Usage", "Use it.", draft=True)}
    out = make(site, files, NAV)
    assert "/repo/guides/usage/" not in html(out, "about-us")
    assert pager(html(out, "guides/install")) == {"prev": "/repo/about-us/", "next": "/repo/guides/advanced/tuning/"}


@pytest.mark.parametrize("nav,message", [
    ("  - about-us.md\n  - guides/instal.md\n",
     "site.yaml:6: nav: no page content/guides/instal.md (did you mean 'guides/install.md'?); fix the path "
     "(relative to content/) or create the page"),
    ("  - Guides:\n      - Start: reference/api.md\n",
     "site.yaml:6: nav: no page content/reference/api.md; fix the path (relative to content/) or "
     "create the page"),
    ("  - ../secrets.md\n",
     "site.yaml:5: nav: '../secrets.md' leaves content/; name a page inside it, e.g. guides/install.md"),
    ("  - https://example.com/\n",
     "site.yaml:5: nav: a link out of the site needs a title, e.g.  - Source code: https://example.com/"),
    ("  - Evil: javascript:alert(1)\n",
     "site.yaml:5: nav: 'javascript:alert(1)' is not a web address; links out of the site start with "
     "https://, http:// or mailto:"),
    ("  - Tags: tagz/\n",
     "site.yaml:5: nav: 'tagz/' is neither a page in content/ (a .md file) nor a page the site makes "
     "(did you mean 'tags/'?); write the page's file, e.g. guides/install.md, or a web address"),
    ("  - Empty: []\n",
     "site.yaml:5: nav: section 'Empty' is empty; list its pages or remove it"),
    ("  - {A: about-us.md, B: changelog.md}\n",
     "site.yaml:5: nav: each entry is one  'Title: page.md'  or  'Section: [...]', not 2 keys; "
     "e.g.  - Guides: [guides/install.md, guides/usage.md]"),
    ("  - Nothing:\n",
     "site.yaml:5: nav: 'Nothing' needs a page, a web address or a list of entries, e.g.  - Nothing: "
     "guides/install.md"),
    ("  - [a.md]\n",
     "site.yaml:5: nav: each entry is  page.md,  'Title: page.md'  or  'Section: [...]'; "
     "e.g.  - Guides: [guides/install.md, guides/usage.md]"),
])
def test_every_nav_entry_is_checked(site, nav, message):
    assert errors(site, PAGES, HEAD + "nav:\n" + nav) == [message]


def test_an_empty_nav_is_an_error(site):
    assert errors(site, PAGES, HEAD + "nav: []\n") == [
        "site.yaml:4: nav: is empty; list the pages, or remove it for a nav made from content/; "
        "e.g.  - Guides: [guides/install.md, guides/usage.md]"]


# --- extra_css, extra_js ---------------------------------------------------------------------

def test_extra_css_and_js_are_linked_under_the_base_path(site):
    config = HEAD + ("extra_css:\n  - css/extra.css\n  - https://cdn.example.org/font.css\n"
                     "extra_js: [js/extra.js]\n")
    out = make(site, {**PAGES, "static/css/extra.css": "body{color:red}", "static/js/extra.js": "1;"}, config)
    for rel in ("", "about-us", "guides", "tags") if (out / "tags").exists() else ("", "about-us", "guides"):
        text = html(out, rel)
        css = re.findall(r'<link rel="stylesheet" href="([^"]*)"', text)
        assert css[1:] == [css[1], "https://cdn.example.org/font.css"], rel
        assert re.fullmatch(r"/repo/css/extra\.css\?v=[0-9a-f]{10}", css[1])
        assert re.search(r'<script src="/repo/js/extra\.js\?v=[0-9a-f]{10}"></script>\s*</body>', text)
    assert (out / "css/extra.css").read_text() == "body{color:red}"


@pytest.mark.parametrize("config,message", [
    ("extra_css:\n  - css/a.css\n  - css/missing.css\n",
     "site.yaml:6: extra_css: no file static/css/missing.css; put the file there or fix the path"),
    ("extra_js: [../../etc/passwd]\n", "site.yaml:4: extra_js: '../../etc/passwd' must be a file under static/, e.g. js/extra.js"),
    ("extra_js:\n  - javascript:alert(1)\n",
     "site.yaml:5: extra_js: 'javascript:alert(1)' is neither a file under static/ nor a web address (https://…)"),
    ("extra_css: [3]\n", "site.yaml:4: extra_css: each item is a file under static/ or a web address, "
                         "e.g.  extra_css: [css/extra.css]"),
])
def test_extra_files_are_checked(site, config, message):
    assert errors(site, {**PAGES, "static/css/a.css": "a{}"}, HEAD + config) == [message]


def test_a_warm_build_updates_the_neighbours_and_the_nav(site):
    """A page's new title is in its neighbours' prev/next links and sidebars on the next build
    (from the cache for the rest), and a new ``nav:`` in site.yaml changes every page."""
    root = site({**PAGES, "site.yaml": HEAD})
    build(load_config(root))
    (root / "content/guides/usage.md").write_text(page("Using it", "Use it.", weight=2), encoding="utf-8")
    build(load_config(root))
    out = root / "_site"
    assert '<span>Next</span> Using it</a>' in html(out, "guides/install")
    assert ("Using it", "/repo/guides/usage/") in links(region(html(out, "guides/faq"), '<nav class="section-nav"'))
    (root / "site.yaml").write_text(NAV, encoding="utf-8")
    build(load_config(root))
    assert links(region(html(out, "changelog"), '<nav class="site-nav"'))[0] == ("About us", "/repo/about-us/")
    assert pager(html(out, "changelog")) == {}
