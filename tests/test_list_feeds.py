"""Lists and feeds of a plain site (issue 16: no articles, no themes): every section and tag list
paginated with rel prev/next and canonical URLs under a sub-path; an Atom feed per section and per
tag beside the site's, linked from the list's pages; undated pages left out of every feed."""
import re
import xml.etree.ElementTree as ET

import feedparser

from conftest import page, run, write_site

PLAIN = """title: Plain
base_url: https://example.org/repo/
search: false
paginate: 2
"""
ATOM = "{http://www.w3.org/2005/Atom}"
FILES = {
    "content/posts/a.md": page("Alpha", date="2024-01-05", tags=["boats"], summary="About Alpha."),
    "content/posts/b.md": page("Bravo", tags=["boats"]),                                    # undated
    "content/posts/c.md": page("Charlie", date="2024-03-01", updated="2024-04-02"),
    "content/posts/d.md": page("Delta", date="2023-07-30", tags=["boats"]),
    "content/posts/e.md": page("Echo"),                                                       # undated
    "content/docs/install.md": page("Install", tags=["setup"]),                               # undated
    "content/docs/usage.md": page("Usage"),                                                   # undated
}


def build(root):
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stdout + r.stderr
    return root / "_site"


def cards(html: str) -> list[str]:
    """The titles of a list page's cards, in order."""
    ul = re.search(r'<ul class="card-list">.*?</ul>', html, re.S).group(0)
    return re.findall(r'<li[^>]*>\s*<a href="[^"]+">([^<]+)</a>', ul)


def head(path) -> str:
    return path.read_text().split("</head>")[0]


def feed(path) -> ET.Element:
    """The feed, checked for what RFC 4287 requires of a feed and of each entry."""
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for el in (root, *root.iter(f"{ATOM}entry")):
        for child in ("id", "title", "updated"):
            assert len(el.findall(f"{ATOM}{child}")) == 1, (child, path)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", el.find(f"{ATOM}updated").text)
    assert root.find(f"{ATOM}author/{ATOM}name").text
    return root


def entries(root: ET.Element) -> list[tuple[str, str, str]]:
    return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}updated").text[:10])
            for e in root.iter(f"{ATOM}entry")]


def test_every_list_of_a_plain_site_paginates_under_a_sub_path(tmp_path):
    root = write_site(tmp_path / "s", FILES, PLAIN)
    out = build(root)
    # posts: weightless, so the dated newest first (Charlie, Alpha, Delta), then the undated by title
    pages = {1: "posts/index.html", 2: "posts/page/2/index.html", 3: "posts/page/3/index.html"}
    got = {n: cards((out / f).read_text()) for n, f in pages.items()}
    assert got == {1: ["Charlie", "Alpha"], 2: ["Delta", "Bravo"], 3: ["Echo"]}
    two = head(out / pages[2])
    assert '<link rel="canonical" href="https://example.org/repo/posts/page/2/">' in two
    assert '<link rel="prev" href="/repo/posts/">' in two and '<link rel="next" href="/repo/posts/page/3/">' in two
    assert 'rel="prev"' not in head(out / pages[1]) and 'rel="next"' not in head(out / pages[3])
    tag = [cards((out / f).read_text()) for f in ("tags/boats/index.html", "tags/boats/page/2/index.html")]
    assert tag == [["Alpha", "Delta"], ["Bravo"]]
    assert '<link rel="prev" href="/repo/tags/boats/">' in head(out / "tags/boats/page/2/index.html")
    assert not (out / "docs/page/2").exists()      # two pages: one page of the list
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text())
    for url in ("posts/page/2/", "posts/page/3/", "tags/boats/page/2/"):
        assert f"https://example.org/repo/{url}" in locs
    r = run("check", cwd=root)
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_each_section_and_tag_has_its_feed_without_undated_pages(tmp_path):
    out = build(write_site(tmp_path / "s", FILES, PLAIN))
    posts = feed(out / "posts/feed.xml")
    assert entries(posts) == [("Charlie", "https://example.org/repo/posts/c/", "2024-04-02"),   # its updated:
                              ("Alpha", "https://example.org/repo/posts/a/", "2024-01-05"),     # newest first,
                              ("Delta", "https://example.org/repo/posts/d/", "2023-07-30")]     # all its pages
    assert posts.find(f"{ATOM}updated").text == "2024-04-02T00:00:00Z"       # its newest entry
    assert posts.find(f"{ATOM}title").text == "Posts · Plain"
    assert posts.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/repo/posts/feed.xml"
    assert posts.find(f"{ATOM}link[@rel='alternate']").get("href") == "https://example.org/repo/posts/"
    assert posts.find(f"{ATOM}id").text == "https://example.org/repo/posts/"
    assert [e.findtext(f"{ATOM}summary") for e in posts.iter(f"{ATOM}entry")] == [None, "About Alpha.", None]
    boats = feed(out / "tags/boats/feed.xml")
    assert [t for t, *_ in entries(boats)] == ["Alpha", "Delta"]
    assert boats.find(f"{ATOM}updated").text == "2024-01-05T00:00:00Z"     # its newest, not the site's
    assert boats.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/repo/tags/boats/feed.xml"
    for undated in ("docs/feed.xml", "tags/setup/feed.xml"):   # no dated page: valid, empty, the site's newest date
        empty = feed(out / undated)
        assert entries(empty) == [] and empty.find(f"{ATOM}updated").text == "2024-04-02T00:00:00Z"
    site = feed(out / "feed.xml")
    assert [t for t, *_ in entries(site)] == ["Charlie", "Alpha", "Delta"]
    for f in out.rglob("*.xml"):
        assert "1970" not in f.read_text(), f
    link = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    for html, title, href in [("posts/index.html", "Posts · Plain", "/repo/posts/feed.xml"),
                              ("posts/page/3/index.html", "Posts · Plain", "/repo/posts/feed.xml"),
                              ("tags/boats/page/2/index.html", "boats · Plain", "/repo/tags/boats/feed.xml"),
                              ("docs/index.html", "Docs · Plain", "/repo/docs/feed.xml")]:
        assert link.format(title, href) in head(out / html), html
    assert link.format("Plain", "/repo/feed.xml") in head(out / "posts/a/index.html")
    assert "/repo/posts/feed.xml" not in head(out / "posts/a/index.html")   # a list's feed, on the list


def test_a_site_without_a_single_date_has_no_feed_rather_than_a_made_up_date(tmp_path):
    files = {k: v for k, v in FILES.items() if "date" not in v}
    root = write_site(tmp_path / "s", files, PLAIN)
    out = build(root)
    assert (out / "sitemap.xml").exists() and not list(out.rglob("feed.xml"))
    for html in out.rglob("*.html"):
        assert "application/atom+xml" not in html.read_text() and "Atom feed" not in html.read_text(), html
    r = run("check", cwd=root)
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")
    (root / "content/docs/usage.md").write_text(page("Usage", date="2024-02-03"))
    out = build(root)   # warm: one date, and every feed is there
    assert feed(out / "feed.xml").find(f"{ATOM}updated").text == "2024-02-03T00:00:00Z"
    assert entries(feed(out / "posts/feed.xml")) == []
    assert '<a href="/repo/feed.xml">Atom feed</a>' in (out / "posts/b/index.html").read_text()


def test_check_reads_every_feed(tmp_path):
    root = write_site(tmp_path / "s", FILES, PLAIN)
    out = build(root)
    boats = out / "tags/boats/feed.xml"
    boats.write_text(boats.read_text().replace("https://example.org/repo/posts/d/", "https://example.org/repo/posts/gone/"))
    r = run("check", cwd=root)
    line = next(n for n, text in enumerate(boats.read_text().splitlines(), 1) if "/posts/gone/" in text)
    assert r.returncode == 1
    assert f"_site/tags/boats/feed.xml:{line}: broken link: https://example.org/repo/posts/gone/" in r.stdout + r.stderr


def test_a_date_with_an_offset_keeps_its_moment(tmp_path):
    """'2024-03-01T23:30:00-05:00' is 04:30 UTC on 2 March. It is shown as the day it names (1 March,
    as Hugo shows a date in its own offset), and lists and feeds order and date it by its moment,
    with its offset, as Hugo keeps it (the day alone put it 28.5 hours early, after a page of 01:00
    UTC on 2 March)."""
    files = {"content/posts/late.md": "---\ntitle: Late\ndate: 2024-03-01T23:30:00-05:00\n---\nText.\n",
             "content/posts/early.md": '---\ntitle: Early\ndate: "2024-03-02T01:00:00Z"\n---\nText.\n',
             "content/posts/day.md": "+++\ntitle = 'Day'\ndate = 2024-03-01\n+++\nText.\n"}
    out = build(write_site(tmp_path / "s", files, "title: Plain\nbase_url: https://example.org/repo/\nsearch: false\n"))
    assert cards((out / "posts/index.html").read_text()) == ["Late", "Early", "Day"]   # newest first
    late = (out / "posts/late/index.html").read_text()
    assert '<time datetime="2024-03-01T23:30:00-05:00">1 March 2024</time>' in late
    assert '<meta property="article:published_time" content="2024-03-01T23:30:00-05:00">' in late
    posts = ET.parse(out / "posts/feed.xml").getroot()
    assert [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated")) for e in posts.iter(f"{ATOM}entry")] == [
        ("Late", "2024-03-01T23:30:00-05:00"), ("Early", "2024-03-02T01:00:00Z"), ("Day", "2024-03-01T00:00:00Z")]
    assert posts.findtext(f"{ATOM}updated") == "2024-03-01T23:30:00-05:00"
    parsed = feedparser.parse((out / "posts/feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries[0].updated_parsed[:5] == (2024, 3, 2, 4, 30)   # in UTC
    assert "<lastmod>2024-03-01T23:30:00-05:00</lastmod>" in (out / "sitemap.xml").read_text()


def test_feed_text_and_attributes_are_escaped_as_xml_sax_saxutils_does():
    """feeds.x and feeds.xa are xml.sax.saxutils' escape and quoteattr written out (that module
    imports urllib.request, email and ssl into every build): the same text for every character
    they treat, and for the quote choice of an attribute."""
    from xml.sax.saxutils import escape, quoteattr

    from site_builder.render.feeds import x, xa

    assert x('a & b < c > d "e" \'f\'') == 'a &amp; b &lt; c &gt; d "e" \'f\''
    assert xa('say "hi"') == "'say \"hi\"'"
    assert xa('it\'s "x"') == '"it\'s &quot;x&quot;"'
    assert xa("tab\there\nline\rend") == '"tab&#9;here&#10;line&#13;end"'
    assert x("nul\x00 and \ufffe dropped") == "nul and  dropped"
    samples = ["", "plain", "&amp;", "<&>", '"', "'", "'\"", "a\tb\nc\rd", "é 中文 &lt;", "&&<<>>\"\"''\n\n"]
    samples += [a + b for a in samples for b in samples]
    for text in samples:
        assert x(text) == escape(text), text
        assert xa(text) == quoteattr(text), text
