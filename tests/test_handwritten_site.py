"""The hand-written example site (tests/sites/handwritten/): a Hugo or MkDocs user's site, no
articles, using every general-purpose feature. Built with --strict (no warnings allowed), then
checked, then read as a visitor would. Each feature adds its pages to the site and its
assertions here (expected text written by hand from the site's files)."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run

SITE = ROOT / "tests" / "sites" / "handwritten"
BASE = "https://example.org/handwritten/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("handwritten") / "site"
    shutil.copytree(SITE, project)
    out = project / "_site"
    r = run("-C", str(project), "build", "--strict", "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr.lower(), r.stderr
    return out


def test_the_site_builds_strictly_and_passes_check(built: Path) -> None:
    r = run("-C", str(built.parent), "check", "--out", str(built), "--base-url", BASE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No problems found" in r.stdout


def test_a_guide_page_shows_its_title_and_headings(built: Path) -> None:
    html = (built / "guides" / "first-steps" / "index.html").read_text(encoding="utf-8")
    assert html.count("<h1") == 1
    assert ">First steps</h1>" in html
    assert ">Install</h2>" in html and ">Build</h2>" in html


def test_the_section_page_lists_its_pages(built: Path) -> None:
    html = (built / "guides" / "index.html").read_text(encoding="utf-8")
    assert 'href="/handwritten/guides/first-steps/"' in html


# --- sections, bundles, lists and feeds (content/blog/) --------------------------------------

def _cards(html: str) -> list[str]:
    ul = re.search(r'<ul class="card-list">.*?</ul>', html, re.S)
    return re.findall(r'<li[^>]*>\s*<a href="[^"]+">([^<]+)</a>', ul.group(0)) if ul else []


def _head(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("</head>")[0]


def test_the_blog_section_is_titled_by_its_index_and_ordered_by_weight_then_date(built: Path) -> None:
    one = (built / "blog" / "index.html").read_text(encoding="utf-8")
    two = (built / "blog" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert ">Field notes</h1>" in one and "The pinned note comes first, then the newest." in one
    # weight 1 first, then newest first, the undated last; four a page; never the intro itself
    assert _cards(one) == ["Read this first", "Spring tides", "A harbour walk", "Winter storms"]
    assert _cards(two) == ["About these notes"]
    assert '<link rel="next" href="/handwritten/blog/page/2/">' in _head(built / "blog" / "index.html")
    assert '<link rel="canonical" href="https://example.org/handwritten/blog/page/2/">' in two


def test_the_harbour_walk_is_a_leaf_bundle_with_its_image(built: Path) -> None:
    html = (built / "blog" / "harbour-walk" / "index.html").read_text(encoding="utf-8")
    assert ">A harbour walk</h1>" in html and 'class="card-list"' not in html
    assert '<img alt="A sketch of the harbour wall above the water" src="/handwritten/blog/harbour-walk/harbour.png"' in html
    assert (built / "blog" / "harbour-walk" / "harbour.png").read_bytes() == \
        (SITE / "content" / "blog" / "harbour-walk" / "harbour.png").read_bytes()
    assert '<a href="/handwritten/blog/spring-tides/">the spring tides</a>' in html


def test_the_blog_and_each_tag_have_feeds_without_undated_pages(built: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"

    def titles(rel: str) -> list[str]:
        return [e.findtext(f"{atom}title") for e in ET.parse(built / rel).getroot().iter(f"{atom}entry")]
    assert titles("blog/feed.xml") == ["Spring tides", "A harbour walk", "Winter storms"]
    assert titles("tags/walks/feed.xml") == ["Spring tides", "A harbour walk"]
    assert titles("tags/tides/feed.xml") == ["Spring tides", "Winter storms"]
    assert ET.parse(built / "tags/tides/feed.xml").getroot().findtext(f"{atom}updated") == "2026-03-05T00:00:00Z"
    for feed in built.rglob("feed.xml"):
        assert "1970" not in feed.read_text(encoding="utf-8"), feed
    for page in ("blog/index.html", "blog/page/2/index.html"):
        assert ('<link rel="alternate" type="application/atom+xml" title="Field notes · Handwritten example" '
                'href="/handwritten/blog/feed.xml">') in _head(built / page)

# --- Hugo conveniences: aliases, drafts, future and expired pages, archetypes -----------------

def test_an_old_address_redirects_to_the_moved_post(built: Path) -> None:
    for old in ("version-2", "news/version-two"):
        html = (built / old / "index.html").read_text(encoding="utf-8")
        assert '<meta http-equiv="refresh" content="0; url=/handwritten/news/renamed-post/">' in html
        assert '<link rel="canonical" href="https://example.org/handwritten/news/renamed-post/">' in html
        assert '<meta name="robots" content="noindex">' in html
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "news/renamed-post/" in sitemap and "version-2" not in sitemap and "version-two" not in sitemap
    assert "version-2" not in (built / "news" / "index.html").read_text(encoding="utf-8")


def test_draft_future_and_expired_pages_are_not_published(built: Path) -> None:
    listing = (built / "news" / "index.html").read_text(encoding="utf-8")
    assert "Version 2 is out" in listing
    for slug, title in (("coming-soon", "Version 3 announcement"), ("old-offer", "Spring offer"),
                        ("unfinished", "Half-written notes")):
        assert not (built / "news" / slug).exists()
        assert title not in listing
        assert slug not in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_future_expired_and_drafts_with_their_flags(tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(SITE, project)
    r = run("-C", str(project), "build", "--future", "--expired", "--drafts")
    assert r.returncode == 0, r.stderr
    for slug in ("coming-soon", "old-offer", "unfinished"):
        assert (project / "_site" / "news" / slug / "index.html").is_file()


def test_new_page_uses_the_sections_archetype(tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(SITE, project)
    r = run("-C", str(project), "new", "page", "content/news/release-notes.md")
    assert (r.returncode, r.stdout) == (0, "Created content/news/release-notes.md from archetypes/news.md\n")
    text = (project / "content/news/release-notes.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Release notes"\ndate: ')
    assert "summary: One sentence about Release notes.\ndraft: true\n---\nWrite the news here.\n" in text



# --- imported content (content/imported/) ------------------------------------------------

def test_imported_pages_build_unchanged(built: Path) -> None:
    """content/imported/: a README.md index, a page titled by its # heading, TOML and MkDocs meta-data."""
    index = (built / "imported" / "index.html").read_text(encoding="utf-8")
    assert "<code>README.md</code> is its index" in index
    assert 'href="/handwritten/imported/mkdocs-meta/#what-it-shows"' in index
    heading = (built / "imported" / "titled-by-heading" / "index.html").read_text(encoding="utf-8")
    assert "<title>Titled by its heading · Handwritten example</title>" in heading
    assert heading.count("<h1") == 1 and ">Titled by its heading</h1>" in heading
    hugo = (built / "imported" / "hugo-post" / "index.html").read_text(encoding="utf-8")
    assert ">A Hugo post</h1>" in hugo and 'datetime="2026-02-01"' in hugo and "+++" not in hugo
    meta = (built / "imported" / "mkdocs-meta" / "index.html").read_text(encoding="utf-8")
    assert ">A page with MkDocs meta-data</h1>" in meta
    assert '<meta name="description" content="Key: value lines at the top, without fences.">' in meta
    assert "<p>Note: this first paragraph is text" in meta and "Title:" not in meta


# --- code, tables and Markdown extensions (content/writing/) -------------------------------------

def test_code_is_highlighted_with_marked_lines_and_line_numbers(built: Path) -> None:
    html = (built / "writing" / "code" / "index.html").read_text(encoding="utf-8")
    assert '<div class="codehilite" tabindex="0"><table class="codehilitetable">' in html
    assert '<span class="normal">1</span>' in html and '<span class="normal">5</span>' in html
    # lines 2 and 3 of the Python block are marked, and only they
    assert html.count('<span class="hll">') == 2
    assert '<span class="hll">    <span class="n">message</span>' in html
    assert '<span class="k">def</span><span class="w"> </span><span class="nf">greet</span>' in html
    assert '<span class="nb">echo</span>' not in html and '<span class="w"> </span>-m<span class="w"> </span>venv' in html
    assert "style=" not in html and "hl_lines" not in html


def test_a_table_keeps_its_column_alignment(built: Path) -> None:
    html = (built / "writing" / "code" / "index.html").read_text(encoding="utf-8")
    assert '<div class="md-table" tabindex="0"><table>' in html
    assert '<th class="align-left">Tool</th>\n<th class="align-center">Language</th>\n' \
           '<th class="align-right">Pages a second</th>' in html
    assert '<td class="align-left">Hugo</td>\n<td class="align-center">Go</td>\n<td class="align-right">1500</td>' in html


def test_markdown_extensions_render(built: Path) -> None:
    html = (built / "writing" / "markdown" / "index.html").read_text(encoding="utf-8")
    assert ('<div class="admonition note">\n<p class="admonition-title">Before you publish</p>\n'
            '<p>Run <code>site-builder check</code> on the built site.</p>\n</div>') in html
    assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in html
    assert '<dt>Front matter</dt>\n<dd>The YAML block between two <code>---</code> lines at the top of a page.</dd>' in html
    assert '<abbr title="HyperText Markup Language">HTML</abbr>' in html
    # each box labelled by its task (axe: form elements must have labels)
    assert '<li class="task-list-item"><label><input type="checkbox" disabled checked/> Write the page</label></li>' in html
    assert '<li class="task-list-item"><label><input type="checkbox" disabled/> Publish it</label></li>' in html
    assert "The build is <del>slow</del> fast enough" in html
    assert '<div class="footnote">' in html and "See the benchmarks in the README." in html
    assert '<details class="tip">\n<summary>Collapsed by default</summary>' in html   # markdown_extensions
    assert "<mark>marked</mark>" in html
