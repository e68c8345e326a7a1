"""Issue 13, item 6: each article's language, on its pages and its paragraphs on shared pages;
dates written as its language writes them. Checked on the built HTML."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.commands.check import check_site
from site_builder.errors import SiteError
from site_builder.ingest import ingest
from site_builder.model.config import load_config
from site_builder.render.templates import format_date

from conftest import BASE_CONFIG, SEED, page, write_site

ARTICLES = Path(__file__).parent / "articles"


class _Lang(HTMLParser):
    """For each element with an id or a class: the language in force there (nearest lang=)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, dict, str]] = []   # (tag, attrs, language in force)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang", self.stack[-1][1] if self.stack else "")
        self.found.append((tag, a, lang))
        if tag not in ("meta", "link", "br", "img", "input", "hr"):
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass


def langs(html: str) -> _Lang:
    p = _Lang()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("mixed"), {
        "seeds/a-en.txt": SEED.read_bytes(),
        "seeds/b-zh.txt": (ARTICLES / "chinanews-ti.txt").read_bytes(),
    }, {**BASE_CONFIG, "themes": [{"id": "overview", "title": "Overview", "keywords": ["overall"]}]})
    cfg = load_config(root)
    ingest(cfg)
    build(cfg)
    return root


def _source(root: Path, part: str) -> str:
    return next(p for p in (root / "_site/sources").glob("*/index.html") if part in p.parent.name).read_text()


def test_a_chinese_article_page_says_zh_and_its_english_chrome_says_en(mixed_site):
    html = _source(mixed_site, "guang-dong")
    assert re.search(r'<html lang="zh">', html)
    p = langs(html)
    by_tag = {(t, a.get("class")): lang for t, a, lang in p.found}
    assert by_tag[("header", "site-header")] == "en" and by_tag[("footer", "site-footer")] == "en"
    assert by_tag[("p", "eyebrow")] == "en" and by_tag[("details", "cleaning")] == "en"
    paragraphs = [lang for t, a, lang in p.found if t == "p" and re.fullmatch(r"p\d+", a.get("id", ""))]
    assert paragraphs and set(paragraphs) == {"zh"}
    assert '<time datetime="2024-01-13">2024年1月13日</time>' in html
    assert '"inLanguage": "zh"' in html


def test_an_english_article_page_stays_en_with_english_dates(mixed_site):
    html = _source(mixed_site, "guangdong-accelerating")
    assert '<html lang="en">' in html
    # the only Chinese on it: the links to the other source article (under Related articles and in
    # the footer), marked as such
    link = next(m for m in re.findall(r'<a href="[^"]*" lang="zh">[^<]*', html) if "广东制造业" in m)
    assert re.findall(r'<[^>]* lang="zh"[^>]*>[^<]*', html) == [link, link]
    assert '<time datetime="2023-12-05">5 December 2023</time>' in html


def test_on_a_shared_theme_page_the_chinese_part_carries_lang_zh(mixed_site):
    html = (mixed_site / "_site/overview/index.html").read_text()
    assert '<html lang="en">' in html
    p = langs(html)
    parts = {a["id"]: lang for t, a, lang in p.found if t == "section" and "part" in (a.get("class") or "")}
    assert sorted(parts.values()) == ["en", "zh"]
    zh_part = next(k for k, v in parts.items() if v == "zh")
    # the English sentence inside the Chinese part is marked English again
    meta = [lang for t, a, lang in p.found if t == "p" and a.get("class") == "meta" and lang == "en"]
    assert meta and zh_part.startswith("guang-dong")
    # two articles: the theme page is a hub, each part's paragraphs are on the part's own page
    own = langs((mixed_site / f"_site/overview/{zh_part}/index.html").read_text())
    src = [lang for t, a, lang in own.found if t == "p" and (a.get("data-src") or "").startswith(zh_part)]
    assert src and set(src) == {"zh"}


def test_home_page_lists_the_chinese_source_with_lang_and_a_chinese_date(mixed_site):
    html = (mixed_site / "_site/index.html").read_text()
    assert re.search(r'<li lang="zh"><a href="[^"]*guang-dong[^"]*">广东制造业', html)
    assert "2024年1月13日" in html


def test_the_mixed_site_passes_check(mixed_site):
    assert check_site(load_config(mixed_site), mixed_site / "_site") == []


@pytest.mark.parametrize("lang,expected", [("zh", "2024年9月18日"), ("zh-Hant", "2024年9月18日"), ("ja", "2024年9月18日"),
                                           ("ko", "2024년 9월 18일"), ("en", "18 September 2024"), ("", "18 September 2024")])
def test_dates_in_the_form_of_the_language(lang, expected):
    import datetime as dt

    assert format_date(dt.date(2024, 9, 18), lang=lang) == expected


def test_a_bad_language_tag_in_front_matter_is_an_error_with_its_line(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": page("A", language='zh"><script>')})
    with pytest.raises(SiteError) as e:
        build(load_config(root))
    assert str(e.value) == ("content/a.md:3: language 'zh\"><script>' is not a BCP 47 language tag; write the "
                            "2- or 3-letter language code, with a script or region if needed, e.g. language: en, "
                            "zh-CN, pt-BR or sr-Latn")
