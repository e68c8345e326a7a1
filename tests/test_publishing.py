"""Feeds, sitemap, robots, metadata and escaping in every output context."""
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, ROOT, page, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def seed_repo(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("pub")
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    (root / "site.yaml").write_text((ROOT / "site.yaml").read_text().replace("search: true", "search: false"))
    build(load_config(root, base_url="https://user.github.io/repo/"))
    return root / "_site"


def test_sitemap_lists_every_page_with_absolute_urls_and_lastmod(seed_repo):
    tree = ET.parse(seed_repo / "sitemap.xml")
    locs = [u.find(f"{SM}loc").text for u in tree.getroot()]
    assert locs and all(u.startswith("https://user.github.io/repo/") for u in locs)
    html_pages = {p.relative_to(seed_repo).as_posix() for p in seed_repo.rglob("index.html")}
    in_map = {u[len("https://user.github.io/repo/"):] + "index.html" for u in locs}
    assert in_map == html_pages
    lastmods = {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod") for u in tree.getroot()}
    assert lastmods["https://user.github.io/repo/innovation/"].text == "2023-12-05"


def test_atom_feed_is_valid_and_has_an_entry_per_article_and_theme(seed_repo):
    feed = ET.parse(seed_repo / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    self_link = [l for l in feed.findall(f"{ATOM}link") if l.get("rel") == "self"][0]
    assert self_link.get("href") == "https://user.github.io/repo/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    urls = sorted(e.find(f"{ATOM}id").text for e in entries)
    themes = [f"https://user.github.io/repo/{t.id}/" for t in load_config(ROOT).themes]
    assert set(themes) <= set(urls)
    assert any("/sources/" in u for u in urls) and len(urls) == len(themes) + 1
    for e in entries:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", e.find(f"{ATOM}updated").text)
        assert e.find(f"{ATOM}title").text


def test_robots_points_to_the_sitemap(seed_repo):
    assert (seed_repo / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://user.github.io/repo/sitemap.xml\n")


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.jsonld, self._in_ld, self.lang = {}, {}, [], False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta":
            self.meta[a.get("name") or a.get("property")] = a.get("content")
        if tag == "link":
            self.links[a.get("rel")] = a.get("href")
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld.append(json.loads(data))
            self._in_ld = False


def test_every_page_has_canonical_description_og_twitter_and_json_ld(seed_repo):
    for f in seed_repo.rglob("*.html"):
        h = Head()
        h.feed(f.read_text())
        rel = f.relative_to(seed_repo).as_posix()
        assert h.lang == "en", rel
        assert h.meta.get("description"), rel
        assert h.links["canonical"].startswith("https://user.github.io/repo/"), rel
        assert h.links["icon"].startswith("/repo/favicon.svg"), rel
        for key in ("og:title", "og:description", "og:url", "og:type", "twitter:card"):
            assert h.meta.get(key), (rel, key)
        assert h.jsonld[0]["@type"] == "WebSite", rel
    h = Head()
    h.feed(next((seed_repo / "sources").glob("*/index.html")).read_text())
    article = h.jsonld[1]
    assert article["@type"] == "NewsArticle" and article["datePublished"] == "2023-12-05"


def test_favicon_is_svg(seed_repo):
    assert (seed_repo / "favicon.svg").read_text().startswith("<svg")


NASTY = 'A </script><script>alert(1)</script> "quoted" & <b>bold</b> ]]>'


def test_titles_and_summaries_are_escaped_in_every_context(tmp_path):
    cfg = {**BASE_CONFIG, "title": NASTY, "description": NASTY}
    root = write_site(tmp_path / "s", {"content/a.md": page(NASTY, "Body.", summary=NASTY, date="2024-01-01",
                                                          tags=[NASTY])}, cfg)
    build(load_config(root))
    out = root / "_site"
    for f in out.rglob("*.html"):
        html = f.read_text()
        assert "<script>alert(1)" not in html, f
        assert "<b>bold</b>" not in html, f
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            data = json.loads(block)  # a </script> in a title did not break out
            assert NASTY in (data.get("name"), data.get("headline"))
    for name in ("feed.xml", "sitemap.xml"):
        ET.parse(out / name)  # still well-formed XML
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.find(f"{ATOM}title").text == NASTY
