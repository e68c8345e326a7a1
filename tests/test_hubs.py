"""Lists of many (issue 15): one pagination for every list (theme hubs, sections, tags, the
sources archive), theme pages as hubs with each article's part on its own page, per-theme
feeds, and the budgets of a 100-article site made by tools/multisite.py."""
import re
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, page, run, write_site

sys.path.insert(0, str(ROOT / "tools"))
import multisite  # noqa: E402

CONFIG = """title: Many
base_url: https://example.org/repo/
search: false
paginate: 2
themes:
  - {id: innovation, title: Innovation, keywords: [innovation]}
"""
ATOM = "{http://www.w3.org/2005/Atom}"


def part(title: str, date: str | None = None) -> str:
    return page(title, f"Text of {title}.", summary=f"About {title}.", **({"date": date} if date else {}))


PARTS = {  # five articles' parts on one theme: three dated, two not
    "content/innovation/a.md": part("Alpha", "2024-01-05"),
    "content/innovation/b.md": part("Beta"),
    "content/innovation/c.md": part("Gamma", "2024-03-01"),
    "content/innovation/d.md": part("Delta", "2023-07-30"),
    "content/innovation/e.md": part("Epsilon"),
}


def build(root, *extra):
    r = run("build", *extra, cwd=root)
    assert r.returncode == 0, r.stdout + r.stderr
    return root / "_site"


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 id="[^"]+-title"><a href="[^"]+">([^<]+)</a></h2>', html)


def test_a_hub_lists_newest_first_then_undated_pages_of_two_under_a_sub_path(tmp_path):
    root = write_site(tmp_path / "s", PARTS, CONFIG)
    out = build(root)
    one, two, three = ((out / f).read_text() for f in (
        "innovation/index.html", "innovation/page/2/index.html", "innovation/page/3/index.html"))
    assert titles(one) == ["Gamma", "Alpha"]        # 2024-03-01, 2024-01-05
    assert titles(two) == ["Delta", "Beta"]         # 2023-07-30, then the undated in file order
    assert titles(three) == ["Epsilon"]
    assert not (out / "innovation/page/1").exists()  # page 1 is the list itself
    assert '<span class="undated">Undated</span>' in two and "Undated" not in one
    assert '<a href="/repo/innovation/b/">Beta</a>' in two     # each part on its own page
    assert "Text of Beta." in (out / "innovation/b/index.html").read_text()
    assert "Text of Beta." not in two                           # the hub shows its summary
    assert "About Beta." in two
    assert '<link rel="canonical" href="https://example.org/repo/innovation/page/2/">' in two
    assert '<link rel="prev" href="/repo/innovation/">' in two
    assert '<link rel="next" href="/repo/innovation/page/3/">' in two
    assert 'rel="prev"' not in one.split("</head>")[0] and '<link rel="next" href="/repo/innovation/page/2/">' in one
    assert 'rel="next"' not in three.split("</head>")[0]
    nav = re.search(r'<nav class="pagination" aria-label="Pages of this list".*?</nav>', two, re.S).group(0)
    assert "Page 2 of 3" in nav and re.search(r'href="/repo/innovation/page/2/" aria-current="page"', nav)
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text())
    for url in ("innovation/", "innovation/page/2/", "innovation/page/3/", "innovation/b/"):
        assert f"https://example.org/repo/{url}" in locs
    home = (out / "index.html").read_text()
    assert '<p class="theme-count">5 articles</p>' in home           # all pages' parts, not page 1's
    assert re.findall(r'<li><a href="([^"]+)"[^>]*>Innovation</a></li>', home) == ["/repo/innovation/"]  # nav: once
    r = run("check", cwd=root)
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_one_article_keeps_the_theme_page_whole_with_no_pager(tmp_path):
    root = write_site(tmp_path / "s", {"content/innovation/a.md": part("Alpha", "2024-01-05")}, CONFIG)
    out = build(root)
    html = (out / "innovation/index.html").read_text()
    assert "Text of Alpha." in html and 'class="pagination"' not in html
    assert not (out / "innovation/a").exists() and not (out / "innovation/page").exists()


def test_a_whole_theme_page_keeps_each_parts_ids_its_own(tmp_path):
    """The theme's intro and its one article's part, converted apart, on one page: the part's
    ids (headings, footnotes) and the links to them are under its anchor, so none is repeated and
    a link to ``a.md#background`` from anywhere reaches the part's heading, not the intro's."""
    files = {
        "content/innovation/index.md": page("Innovation", "Intro.\n\n## Background\n\nOld.[^1]\n\n[^1]: An intro note."),
        "content/innovation/a.md": page("Alpha", "## Background\n\nNew.[^1] [Up](#background)\n\n## Method\n\n[^1]: A part note."),
        "content/other.md": page("Other", "[There](innovation/a.md#background), [how](innovation/a.md#method), "
                                  "[gone](innovation/a.md#nowhere)."),
    }
    root = write_site(tmp_path / "s", files, CONFIG)
    result = run("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("missing anchor") == 1
    assert "content/other.md:4: warning: missing anchor: innovation/a.md#nowhere" in result.stderr
    html = (root / "_site/innovation/index.html").read_text()
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert sorted(i for i in ids if ids.count(i) > 1) == []
    for intro in ('<h2 id="background">', '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">'):
        assert intro in html
    for own in ('<h2 id="a--background">', '<sup id="a--fnref:1"><a class="footnote-ref" href="#a--fn:1">',
                '<li id="a--fn:1">', 'href="#a--fnref:1"', '<a href="#a--background">Up</a>'):
        assert own in html
    other = (root / "_site/other/index.html").read_text()
    assert '<a href="/repo/innovation/#a--background">There</a>' in other
    assert '<a href="/repo/innovation/#a--method">how</a>' in other
    checked = run("check", cwd=root).stderr  # no "duplicate id"; the one missing anchor, as it was rendered
    assert checked.endswith("missing anchor: /repo/innovation/#a--nowhere (no id=\"a--nowhere\" in "
                            "innovation/index.html)\n1 problem in _site/\n"), checked


def test_sections_and_tags_paginate_the_same_way(tmp_path):
    files = {f"content/notes/n{i}.md": page(f"Note {i}", tags=["x"], date=f"2024-01-{10 + i}") for i in range(5)}
    out = build(write_site(tmp_path / "s", files, CONFIG))
    for base in ("notes/", "tags/x/"):
        got = [re.findall(r'<li>\s*<a href="[^"]+">(Note \d)</a>', (out / base / f).read_text())
               for f in ("index.html", "page/2/index.html", "page/3/index.html")]
        assert got == [["Note 4", "Note 3"], ["Note 2", "Note 1"], ["Note 0"]]


def test_the_sources_archive_groups_by_month_newest_first_the_undated_last(tmp_path):
    def source(title, date=None):
        return page(title, "Para.", seed=f"seeds/{title}.txt", **({"date": date} if date else {}))
    files = {"content/sources/a.md": source("a", "2024-03-09"), "content/sources/b.md": source("b", "2024-03-01"),
             "content/sources/c.md": source("c", "2023-11-20"), "content/sources/d.md": source("d")}
    out = build(write_site(tmp_path / "s", files, CONFIG.replace("paginate: 2", "paginate: 3")))
    one = (out / "sources/index.html").read_text()
    assert re.findall(r'<h2 id="month-\d+">([^<]+)</h2>', one) == ["March 2024", "November 2023"]
    two = (out / "sources/page/2/index.html").read_text()
    assert re.findall(r'<h2 id="month-\d+">([^<]+)</h2>', two) == ["Undated"]


def test_each_theme_has_its_feed_and_no_feed_has_an_undated_entry(tmp_path):
    out = build(write_site(tmp_path / "s", PARTS, CONFIG))
    feed = ET.parse(out / "innovation/feed.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == ["Gamma", "Alpha", "Delta"]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/repo/innovation/feed.xml"
    assert [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")][0] == \
        "https://example.org/repo/innovation/c/"
    site_feed = (out / "feed.xml").read_text()
    assert "1970" not in site_feed and "Beta" not in site_feed and "Epsilon" not in site_feed
    head = (out / "innovation/page/2/index.html").read_text().split("</head>")[0]
    assert ('<link rel="alternate" type="application/atom+xml" title="Innovation · Many" '
            'href="/repo/innovation/feed.xml">') in head


@pytest.mark.parametrize("value, message", [
    ("0", "site.yaml:3: paginate is 0: it is how many items a page of a list shows, from 1 to 1000; e.g. paginate: 10"),
    ("many", "site.yaml:3: 'paginate' must be a whole number"),
])
def test_paginate_is_checked(tmp_path, value, message):
    root = write_site(tmp_path / "s", {}, f"title: T\nsearch: false\npaginate: {value}\n")
    r = run("build", cwd=root)
    assert (r.returncode, r.stderr.strip().splitlines()[-1][:len(message)]) == (1, message)


def test_an_unknown_pagination_key_is_an_error(tmp_path):
    root = write_site(tmp_path / "s", {}, "title: T\npaginate_by: 5\n")
    r = run("build", cwd=root)
    assert "site.yaml:2: unknown site.yaml key 'paginate_by' (did you mean 'paginate'?)" in r.stderr


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    root = multisite.make_site(tmp_path_factory.mktemp("m") / "site", 100, "mixed",
                               base_url="https://example.org/repo/")
    return root, build(root)


def test_a_hundred_article_site_keeps_every_page_under_100_kb(hundred):
    _, out = hundred
    sizes = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*.html")}
    assert len(sizes) > 250
    assert max(sizes.values()) < 100_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_every_prev_and_next_of_a_hundred_article_site_resolves_and_check_passes(hundred):
    root, out = hundred
    links = 0
    for p in out.rglob("*.html"):
        for href in re.findall(r'<link rel="(?:prev|next)" href="([^"]+)">', p.read_text()):
            assert href.startswith("/repo/") and (out / href[len("/repo/"):] / "index.html").is_file(), (p, href)
            links += 1
    assert links > 20
    # the figures table is a list like any other: the figures of ten articles a page
    assert (out / "overview/figures/page/2/index.html").is_file()
    r = run("check", "--base-url", "https://example.org/repo/", cwd=root)
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_adding_an_article_warm_gives_the_site_a_clean_build_gives(tmp_path):
    """Every page of every list shifts when a newer article arrives: the warm build must see it."""
    from conftest import tree

    root = write_site(tmp_path / "s", PARTS, CONFIG)
    build(root)
    (root / "content/innovation/z.md").write_text(part("Zeta", "2024-05-01"), encoding="utf-8")
    r = run("build", cwd=root)
    assert r.returncode == 0 and "from cache" in r.stdout + r.stderr
    warm = tree(root / "_site")
    build(root, "--clean")
    assert tree(root / "_site") == warm
    assert titles((root / "_site/innovation/page/3/index.html").read_text()) == ["Beta", "Epsilon"]
