"""``aliases:``: a page's old addresses become redirect pages, under a sub-path base URL too,
listed nowhere (sitemap, feeds, search, lists); an alias that is another page's address is an
error naming both files."""
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import BASE_CONFIG

POST = "---\ntitle: New <name>\ndate: 2024-01-01\ntags: [t]\naliases: [/old/, old-name, /legacy.html]\n---\nHello.\n"
CONFIG = {**BASE_CONFIG, "base_url": "https://example.org/sub/", "search": True}


def _errors(root: Path) -> list[str]:
    with pytest.raises(SiteError) as e:
        build(load_config(root))
    return str(e.value).splitlines()


def test_redirect_pages_under_a_sub_path(site):
    root = site({"content/posts/new.md": POST}, CONFIG)
    build(load_config(root))
    out = root / "_site"
    for f in ("old/index.html", "posts/old-name/index.html", "legacy.html"):
        html = (out / f).read_text()
        assert '<meta http-equiv="refresh" content="0; url=/sub/posts/new/">' in html, f
        assert '<link rel="canonical" href="https://example.org/sub/posts/new/">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert '<a href="/sub/posts/new/">https://example.org/sub/posts/new/</a>' in html
        assert "<h1>New &lt;name&gt;</h1>" in html  # the title through the one escaping


def test_redirect_pages_are_listed_nowhere(site):
    root = site({"content/posts/new.md": POST, "content/posts/other.md": "---\ntitle: Other\n---\n[n](/old/)\n"},
                CONFIG)
    result = build(load_config(root))
    out = root / "_site"
    indexed = [f for files in result.state.search_plan.values() for f in files]
    assert "posts/new/index.html" in indexed and "old/index.html" not in indexed and "legacy.html" not in indexed
    assert "old" not in (out / "sitemap.xml").read_text() and "legacy" not in (out / "sitemap.xml").read_text()
    for f in ("feed.xml", "index.html", "posts/index.html", "tags/t/index.html"):
        text = (out / f).read_text()
        assert "/old/" not in text and "old-name" not in text and "legacy" not in text, f
    # a link to an old address still works: it reaches the redirect
    assert 'href="/sub/old/"' in (out / "posts/other/index.html").read_text()


def test_alias_clashing_with_a_page_names_both_files(site):
    root = site({"content/posts/new.md": POST, "content/old.md": "---\ntitle: Old\n---\nx\n"}, CONFIG)
    assert _errors(root) == ["content/posts/new.md:5: alias '/old/' is the URL /old/ of content/old.md; "
                             "remove the alias, or move one of the pages"]


def test_two_pages_with_one_alias(site):
    root = site({"content/a.md": "---\ntitle: A\naliases: [/x/]\n---\n",
                 "content/b.md": "---\ntitle: B\naliases:\n  - /x\n---\n"}, CONFIG)
    assert _errors(root) == ["content/b.md:3: alias '/x' is the URL /x/ of content/a.md's alias; "
                             "remove the alias, or move one of the pages"]


def test_alias_clashing_with_a_static_file(site):
    root = site({"content/a.md": "---\ntitle: A\naliases: [/robots.html]\n---\n", "static/robots.html": "x"}, CONFIG)
    assert _errors(root) == ["static/robots.html: its output file robots.html is also written by "
                             "content/a.md (alias /robots.html); rename one of them"]


@pytest.mark.parametrize("alias, problem", [
    ("../../etc/", "'../../etc/' has a '..' segment, which leads out of its folder"),
    ("/", "'/' is the site's home page"),
    ("/a/b?c/", "'/a/b?c/' contains '?'"),
])
def test_alias_goes_through_the_path_policy(site, alias, problem):
    root = site({"content/posts/a.md": f"---\ntitle: A\naliases: ['{alias}']\n---\n"}, CONFIG)
    [error] = _errors(root)
    assert error.startswith(f"content/posts/a.md:3: alias {problem}"), error


def test_an_unpublished_page_has_no_redirects(site):
    root = site({"content/a.md": "---\ntitle: A\ndraft: true\naliases: [/x/]\n---\n"}, CONFIG)
    build(load_config(root))
    assert not (root / "_site/x").exists()
    build(load_config(root), drafts=True)
    assert (root / "_site/x/index.html").is_file()
