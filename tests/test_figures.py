"""Figures across articles (issue 15, items 2, 3 and 4's related articles): every figure card
and chart names the article it comes from; a theme page shows the newest few figures and its
figures page lists them all; trends are drawn only where two or more dated articles report the
same measure; related articles at the end of each source page. Expected values are written by
hand from the articles below."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BASE_CONFIG, ROOT, page, run, write_site

from site_builder.model.measures import measure, series

# slug: (title, date, theme, paragraph, figure) — the figure quotes the paragraph
GDP = dict(kind="money", unit="CNY")
RND = dict(kind="percent", unit="%")
ARTICLE_SET = {
    "a": ("Article A", "2022-03-01", "overview", "GDP reached 12.9 trillion yuan.",
          dict(GDP, label="GDP", value=12.9e12, text="12.9 trillion yuan", display="12.9 trillion yuan")),
    "b": ("Article B", "2023-03-01", "overview", "Gross domestic product reached 13.6 trillion yuan.",
          dict(GDP, label="gross domestic product", value=13.6e12, text="13.6 trillion yuan",
               display="13.6 trillion yuan")),
    "c": ("Article C", None, "overview", "GDP reached 14 trillion yuan.",  # undated: never in a trend
          dict(GDP, label="GDP", value=14e12, text="14 trillion yuan", display="14 trillion yuan")),
    "d": ("Article D", "2023-06-01", "overview", "GDP was 1.9 trillion dollars.",  # same label, other unit
          dict(kind="money", unit="USD", label="GDP", value=1.9e12, text="1.9 trillion dollars",
               display="1.9 trillion dollars")),
    "e": ("Article E", "2024-01-01", "overview", "R&D spending was 3.4 percent of GDP.",
          dict(RND, label="R&D spending as a share of GDP", value=3.4, text="3.4 percent", display="3.4%")),
    "f": ("Article F", "2024-06-01", "overview", "R&D spending rose 0.2 percent.",  # same unit, other kind
          dict(kind="change", unit="%", label="R&D spending as a share of GDP", value=0.2, text="0.2 percent",
               display="+0.2%")),
    "g": ("Article G", "2025-01-01", "overview", "Research spending was 3.5 percent of output.",
          dict(RND, label="research and development spending as share of GDP", value=3.5, text="3.5 percent",
               display="3.5%")),
    "h": ("Article H", "2021-01-01", "innovation", "The laboratory opened.", None),  # shares nothing
}


def article_files(articles: dict = ARTICLE_SET) -> dict[str, str]:
    files = {}
    for slug, (title, date, theme, para, fig) in articles.items():
        dated = {"date": date} if date else {}
        files[f"content/sources/{slug}.md"] = page(title, f"{para}\n{{: #p1 }}\n", seed="seeds/none.txt", **dated)
        meta = {"title": title, **dated}
        if fig:
            meta["figures"] = [dict(fig, id="f1", source=f"{slug}#p1")]
        files[f"content/{theme}/{slug}.md"] = ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"
                                               + f"{para}\n{{: data-src=\"{slug}#p1\" }}\n")
    return files


def build_and_check(root: Path) -> None:
    for args in (("build", "--strict"), ("check",)):
        r = run(*args, cwd=root)
        assert r.returncode == 0, f"{' '.join(args)}: {r.stdout[-3000:]}{r.stderr[-3000:]}"


def trend_tables(html: str) -> list[list[tuple[str, str, str]]]:
    """Each trend chart's data table: (date, value, href of the article's paragraph) per row."""
    out = []
    for fig in re.findall(r'<figure class="chart chart-trend".*?</figure>', html, re.S):
        body = fig[fig.index("<tbody>"):]
        out.append(re.findall(r'<time datetime="([^"]+)">[^<]*</time></td><td>([^<]*)</td><td><a href="([^"]+)"',
                              body))
    return out


# -- trends --------------------------------------------------------------------------------------

def fig(slug: str, date: str | None, **kw) -> dict:
    import datetime as dt
    f = dict(GDP, label="GDP", value=1.0, text="1 yuan", display="1 yuan", source=f"{slug}#p1",
             date=dt.date.fromisoformat(date) if date else None)
    return {**f, **kw}


TREND_CASES = {
    "two dated articles, one measure": ([fig("a", "2022-01-01"), fig("b", "2023-01-01")], [["a", "b"]]),
    "spellings of one name": ([fig("a", "2022-01-01", label="the gross domestic product"),
                               fig("b", "2023-01-01", label="GDP")], [["a", "b"]]),
    "a qualifier in brackets is kept": ([fig("a", "2022-01-01", label="GDP (constant prices)"),
                                         fig("b", "2023-01-01", label="GDP")], []),
    "R&D share of GDP, two spellings": (
        [fig("a", "2022-01-01", **RND, label="R&D spending as a share of GDP"),
         fig("b", "2021-01-01", **RND, label="research and development spending as share of GDP")], [["b", "a"]]),
    "same label, different unit": ([fig("a", "2022-01-01"), fig("b", "2023-01-01", unit="USD")], []),
    "same unit, different kind": ([fig("a", "2022-01-01", **RND), fig("b", "2023-01-01", kind="change", unit="%")],
                                  []),
    "one of two undated": ([fig("a", "2022-01-01"), fig("b", None)], []),
    "undated third point left out": ([fig("a", "2022-01-01"), fig("b", None), fig("c", "2024-01-01")],
                                     [["a", "c"]]),
    "two articles of one date": ([fig("a", "2022-01-01"), fig("b", "2022-01-01")], []),
    "one article twice": ([fig("a", "2022-01-01"), fig("a", "2023-01-01")], []),
    "labels that differ": ([fig("a", "2022-01-01", label="Exports"), fig("b", "2023-01-01", label="Imports")], []),
    "a span is no measure": ([fig("a", "2022-01-01", kind="span", unit="years", label="reform"),
                              fig("b", "2023-01-01", kind="span", unit="years", label="reform")], []),
    "a bare noun names no measure": (
        [fig("a", "2022-01-01", kind="count", unit="vehicles", label="new energy vehicles",
             text="99,000 new energy vehicles", display="99,000"),
         fig("b", "2023-01-01", kind="count", unit="vehicles", label="new energy vehicles",
             text="58,000 new energy vehicles", display="58,000")], []),
}


@pytest.mark.parametrize("name", TREND_CASES)
def test_a_series_needs_two_dated_points_of_one_measure(name):
    figures, want = TREND_CASES[name]
    got = [[p["source"].partition("#")[0] for p in s.points] for s in series(figures)]
    assert got == want


def test_the_number_is_not_part_of_the_measure():
    a = fig("a", "2022-01-01", label="Exports rose to 1.22 trillion yuan (about 170 billion dollars) in Q1",
            text="1.22 trillion yuan (about 170 billion dollars)")
    b = fig("b", "2023-01-01", label="exports rose to 1.4 trillion yuan in Q1", text="1.4 trillion yuan")
    assert measure(a) == measure(b) == ("money", "CNY", "exports rose to in q1")


def test_trend_charts_only_where_dated_articles_share_a_measure(tmp_path):
    root = write_site(tmp_path / "site", article_files())
    build_and_check(root)
    html = (root / "_site/overview/index.html").read_text()
    # newest first: the R&D share (E 2024, G 2025), then GDP (A 2022, B 2023); C undated, D in USD,
    # F a change: none of them in a trend
    assert trend_tables(html) == [
        [("2024-01-01", "3.4%", "/sources/e/#p1"), ("2025-01-01", "3.5%", "/sources/g/#p1")],
        [("2022-03-01", "12.9 trillion yuan", "/sources/a/#p1"), ("2023-03-01", "13.6 trillion yuan", "/sources/b/#p1")]]
    points = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)" class="chart-point">', html)
    assert points == [("/sources/e/#p1", "3.4%, 1 January 2024, in “Article E”"),
                      ("/sources/g/#p1", "3.5%, 1 January 2025, in “Article G”"),
                      ("/sources/a/#p1", "12.9 trillion yuan, 1 March 2022, in “Article A”"),
                      ("/sources/b/#p1", "13.6 trillion yuan, 1 March 2023, in “Article B”")]
    assert 'role="group" aria-labelledby="trend-' in html
    assert "<title id=\"trend-" in html and "<desc id=\"trend-" in html
    assert "trend" not in (root / "_site/innovation/index.html").read_text()  # one article: no trend
    assert '<a href="/overview/trends/">All 2 trends of this theme</a>' in html
    assert not (root / "_site/innovation/trends").exists()


def test_no_trend_from_near_misses_alone(tmp_path):
    near = {k: ARTICLE_SET[k] for k in ("a", "c", "d", "e", "f")}  # GDP once dated; R&D as two kinds
    root = write_site(tmp_path / "site", article_files(near))
    build_and_check(root)
    html = (root / "_site/overview/index.html").read_text()
    assert trend_tables(html) == [] and 'id="trends"' not in html
    assert not (root / "_site/overview/trends").exists()


# -- figures name their source; bounded theme pages; the figures page ---------------------------

def test_a_theme_page_shows_the_newest_figures_and_the_figures_page_all(tmp_path):
    config = dict(BASE_CONFIG, theme_figures=3)
    root = write_site(tmp_path / "site", article_files(), config)
    build_and_check(root)
    theme = (root / "_site/overview/index.html").read_text()
    cards = re.findall(r'<p class="figure-source">From <a href="([^"]+)">([^<]+)</a>, (.*?)</p>', theme)
    assert cards == [("/sources/g/", "Article G", '<time datetime="2025-01-01">1 January 2025</time>'),
                     ("/sources/f/", "Article F", '<time datetime="2024-06-01">1 June 2024</time>'),
                     ("/sources/e/", "Article E", '<time datetime="2024-01-01">1 January 2024</time>')]
    assert "The 3 newest of 7 figures." in theme
    assert '<a href="/overview/figures/">All 7 figures of this theme, as a table</a>' in theme
    table = (root / "_site/overview/figures/index.html").read_text()
    rows = re.findall(r"<tr>\s*<td data-value=\"[^\"]*\">([^<]+)</td>.*?<a href=\"([^\"]+)\">([^<]+)</a></td>\s*"
                      r"<td data-value=\"([^\"]*)\">", table, re.S)
    assert rows == [("3.5%", "/sources/g/#p1", "Article G", "2025-01-01"),
                    ("+0.2%", "/sources/f/#p1", "Article F", "2024-06-01"),
                    ("3.4%", "/sources/e/#p1", "Article E", "2024-01-01"),
                    ("1.9 trillion dollars", "/sources/d/#p1", "Article D", "2023-06-01"),
                    ("13.6 trillion yuan", "/sources/b/#p1", "Article B", "2023-03-01"),
                    ("12.9 trillion yuan", "/sources/a/#p1", "Article A", "2022-03-01"),
                    ("14 trillion yuan", "/sources/c/#p1", "Article C", "")]
    assert '<th scope="col" data-sort="date" aria-sort="descending">Date</th>' in table
    assert '<a href="/overview/trends/">2 trends across articles, drawn</a>' in table
    assert len(trend_tables((root / "_site/overview/trends/index.html").read_text())) == 2
    assert not (root / "_site/innovation/figures").exists()  # a theme without figures has no figures page


def test_theme_figures_must_be_positive(tmp_path):
    root = write_site(tmp_path / "site", {}, "title: T\ntheme_figures: 0\n")
    r = run("build", cwd=root)
    assert (r.returncode, r.stderr.strip()) == (1, "site.yaml:2: theme_figures must be at least 1, not 0; "
                                                   "e.g. theme_figures: 12")


def twelve_articles(root: Path, base_url: str = "https://example.org/") -> Path:
    """The repo's generated 12-article site (tools/multisite.py: English and Chinese, dated and
    undated), without search."""
    sys.path.insert(0, str(ROOT / "tools"))
    from multisite import make_site

    make_site(root, 12, "mixed", base_url=base_url)
    (root / "site.yaml").write_text((root / "site.yaml").read_text().replace("search: true", "search: false"))
    return root


def test_every_figure_card_and_chart_names_its_article(tmp_path):
    root = twelve_articles(tmp_path / "site")
    build_and_check(root)
    out = root / "_site"
    titles = {}  # source page URL -> its title, read from the page itself
    for src in (out / "sources").glob("*/index.html"):
        h1 = re.search(r"<h1>(.*?)</h1>", src.read_text(), re.S).group(1)
        titles[f"/sources/{src.parent.name}/"] = h1
    assert len(titles) == 12
    cards = charts = 0
    for path in out.rglob("*.html"):
        html = path.read_text()
        for card in re.findall(r'<li class="figure-card">.*?</li>', html, re.S):
            cards += 1
            quote = re.search(r'<p class="figure-quote"><a href="([^"#]+)#p\d+"', card).group(1)
            src = re.search(r'<p class="figure-source">From <a href="([^"]+)"[^>]*>([^<]+)</a>, (<time|undated)', card)
            assert src and src.group(1) == quote and titles[src.group(1)] == src.group(2), (path, card)
        for chart in re.findall(r'<figure class="chart .*?</figure>', html, re.S):
            charts += 1
            if "chart-trend" in chart:
                continue
            link = re.search(r'<p class="chart-source">From <a href="([^"#]+)#p\d+"[^>]*>([^<]+)</a>', chart)
            assert link and titles[link.group(1)] == link.group(2), (path, chart[-600:])
            title = re.search(r'<span class="chart-title">([^<]+)</span>', chart).group(1)
            assert re.search(r"[^\W\d_]", title), title  # says what is measured, not only a number
    assert cards > 20 and charts >= 3  # not vacuous: the articles have figures and charts on several pages


def test_a_twelve_article_site_builds_under_a_sub_path(tmp_path):
    root = twelve_articles(tmp_path / "site", base_url="https://example.github.io/repo/")
    build_and_check(root)
    table = (root / "_site/overview/figures/index.html").read_text()
    hrefs = [h for h in re.findall(r'href="([^"]+)"', table) if h.startswith("/")]
    assert hrefs and all(h.startswith("/repo/") for h in hrefs)


def many_figures(n: int) -> dict[str, str]:
    """Two dated articles in one theme, each reporting the same ``n`` measures: 2n figures, n trends."""
    files = {}
    for slug, date, scale in (("x", "2022-01-01", 1), ("y", "2023-01-01", 2)):
        para = "; ".join(f"measure {k} was {k * scale} yuan" for k in range(1, n + 1)) + "."
        files[f"content/sources/{slug}.md"] = page(f"Article {slug.upper()}", f"{para}\n{{: #p1 }}\n",
                                                   seed="seeds/none.txt", date=date)
        figs = [dict(GDP, id=f"f{k}", label=f"measure {k}", value=float(k * scale), text=f"{k * scale} yuan",
                     display=f"{k * scale} yuan", source=f"{slug}#p1") for k in range(1, n + 1)]
        meta = {"title": f"Article {slug.upper()}", "date": date, "figures": figs}
        files[f"content/overview/{slug}.md"] = ("---\n" + yaml.safe_dump(meta) + "---\n"
                                                + f"{para}\n{{: data-src=\"{slug}#p1\" }}\n")
    return files


def test_figures_and_trends_pages_are_paginated_under_a_sub_path(tmp_path):
    # 51 measures in two articles: 102 figures (100 a page), 51 trends (12 a page, 3 on the theme page)
    root = write_site(tmp_path / "site", many_figures(51), dict(BASE_CONFIG, base_url="https://example.org/repo/"))
    build_and_check(root)  # check: every pager link leads to a page that exists
    out = root / "_site/overview"
    rows = lambda html: html.count("<tr>\n        <td data-value")  # noqa: E731
    first, second = (out / "figures/index.html").read_text(), (out / "figures/page/2/index.html").read_text()
    assert (rows(first), rows(second)) == (100, 2)
    assert '<a rel="next" href="/repo/overview/figures/page/2/">' in first and 'rel="prev"' not in first
    assert '<a rel="prev" href="/repo/overview/figures/">' in second and 'rel="next"' not in second
    assert '<link rel="canonical" href="https://example.org/repo/overview/figures/page/2/">' in second
    assert not (out / "figures/page/3").exists()
    charts = [(out / "trends" / (f"page/{n}/" if n > 1 else "") / "index.html").read_text().count("chart-trend")
              for n in range(1, 6)]
    assert charts == [12, 12, 12, 12, 3] and not (out / "trends/page/6").exists()
    theme = (out / "index.html").read_text()
    assert theme.count('class="chart chart-trend"') == 3
    assert '<a href="/repo/overview/trends/">All 51 trends of this theme</a>' in theme


# -- related articles -----------------------------------------------------------------------------

def related(html: str) -> list[tuple[str, str]]:
    if 'id="related-title"' not in html:
        return []
    section = html[html.index('id="related-title"'):]
    section = section[:section.index("</section>")]
    return re.findall(r'<li><a href="([^"]+)">[^<]*</a>.*?<p class="meta">(.*?)</p>', section, re.S)


def test_related_articles_rank_by_what_they_share(tmp_path):
    root = write_site(tmp_path / "site", article_files())
    build_and_check(root)
    out = root / "_site/sources"
    # A reports GDP in CNY, as B (dated, nearer) and C (undated) do: 3 + 1 for the shared theme;
    # D, E, F share only the theme (1 each), nearest date first; G (1 too) is cut by the bound of 5;
    # H shares nothing
    theme = "shares the theme Overview"
    assert related((out / "a/index.html").read_text()) == [
        ("/sources/b/", f"Also reports or quotes <span>“GDP”</span>; {theme}"),
        ("/sources/c/", f"Also reports or quotes <span>“GDP”</span>; {theme}"),
        ("/sources/d/", "Shares the theme Overview"), ("/sources/e/", "Shares the theme Overview"),
        ("/sources/f/", "Shares the theme Overview")]
    assert related((out / "h/index.html").read_text()) == []


def test_an_undated_articles_ties_go_to_the_undated_nearest_by_name(tmp_path):
    # eight undated articles u1..u8 and three dated ones, sharing only the theme (1 point each):
    # u4's nearest are u3 and u5 (one place away by name), u2 and u6, then u1 before u7 (by name);
    # never the newest dated ones, so a newer article leaves u4's page as it was
    theme = lambda slug, date=None: (f"Article {slug}", date, "overview", "The plant opened.", None)  # noqa: E731
    articles = {**{f"u{k}": theme(f"u{k}") for k in range(1, 9)},
                **{f"d{k}": theme(f"d{k}", f"2024-0{k}-01") for k in range(1, 4)}}
    root = write_site(tmp_path / "site", article_files(articles))
    build_and_check(root)
    page_u4 = root / "_site/sources/u4/index.html"
    before = page_u4.read_text()
    assert [href for href, _ in related(before)] == [f"/sources/u{k}/" for k in (3, 5, 2, 6, 1)]
    write_site(root, article_files({"d9": theme("d9", "2025-01-01")}))
    build_and_check(root)
    assert page_u4.read_text() == before
    assert [href for href, _ in related((root / "_site/sources/d9/index.html").read_text())] == [
        "/sources/d3/", "/sources/d2/", "/sources/d1/", "/sources/u1/", "/sources/u2/"]


# -- in a real browser ----------------------------------------------------------------------------

@pytest.mark.browser
def test_the_figures_table_sorts_with_javascript_and_reads_without(browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    from conftest import serve_folder

    root = write_site(tmp_path / "site", article_files(), dict(BASE_CONFIG, base_url="https://example.org/repo/"))
    build_and_check(root)
    server, url = serve_folder(root / "_site", "/repo/")
    articles = lambda pg: pg.locator("table.figure-table tbody td:nth-child(4)").all_inner_texts()  # noqa: E731
    try:
        for scheme in ("light", "dark"):  # axe: the table, its sort buttons and the trend charts
            ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
            pg = ctx.new_page()
            for rel in ("overview/figures/", "overview/trends/", "overview/"):
                pg.goto(url + rel, wait_until="networkidle")
                violations = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                              for v in Axe().run(pg).response["violations"]]
                assert violations == [], rel
            ctx.close()
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = ctx.new_page()
        pg.goto(url + "overview/figures/", wait_until="networkidle")
        newest_first = ["Article G", "Article F", "Article E", "Article D", "Article B", "Article A", "Article C"]
        assert articles(pg) == newest_first
        value = pg.locator("table.figure-table th", has_text="Value")
        value.locator("button").click()  # smallest first: 0.2, 3.4, 3.5, then the trillions
        assert value.get_attribute("aria-sort") == "ascending"
        assert pg.locator('th[aria-sort]').count() == 1
        assert articles(pg) == ["Article F", "Article E", "Article G", "Article D", "Article A", "Article B",
                                "Article C"]
        value.locator("button").click()
        assert value.get_attribute("aria-sort") == "descending"
        assert articles(pg)[0] == "Article C"
        pg.locator("table.figure-table th", has_text="Date").locator("button").click()  # oldest first; undated last
        assert articles(pg) == ["Article A", "Article B", "Article D", "Article E", "Article F", "Article G",
                                "Article C"]
        pg.locator("table.figure-table th", has_text="Date").locator("button").press("Enter")  # by keyboard: newest first
        assert articles(pg) == newest_first
        pg.goto(url + "overview/trends/", wait_until="networkidle")
        point = pg.locator(".chart-trend a.chart-point").first
        point.click()
        pg.wait_for_url("**/repo/sources/e/#p1")
        ctx.close()
        ctx = browser.new_context(java_script_enabled=False)
        pg = ctx.new_page()
        pg.goto(url + "overview/figures/")
        assert articles(pg) == newest_first and pg.locator("table.figure-table button").count() == 0
        ctx.close()
    finally:
        server.shutdown()


def test_a_long_trend_draws_an_even_sample_with_its_ends_and_links_to_every_point(tmp_path):
    # twelve dated articles report GDP (1..12 yuan, one a month of 2020): a chart draws 10 points,
    # the first and the newest among them, and says where all twelve are
    articles = {f"a{k:02d}": (f"Article {k}", f"2020-{k:02d}-01", "overview", f"GDP was {k} yuan.",
                              dict(GDP, label="GDP", value=float(k), text=f"{k} yuan", display=f"{k} yuan"))
                for k in range(1, 13)}
    root = write_site(tmp_path / "site", article_files(articles), BASE_CONFIG)
    build_and_check(root)
    for rel in ("overview/index.html", "overview/trends/index.html"):
        html = (root / "_site" / rel).read_text()
        [table] = trend_tables(html)
        # round(i * 11 / 9) for i in 0..9: articles 1, 2, 3, 5, 6, 7, 8, 10, 11, 12
        assert [value for _, value, _ in table] == [f"{k} yuan" for k in (1, 2, 3, 5, 6, 7, 8, 10, 11, 12)]
        assert table[0] == ("2020-01-01", "1 yuan", "/sources/a01/#p1")
        assert table[-1] == ("2020-12-01", "12 yuan", "/sources/a12/#p1")
        assert html.count('class="chart-point"') == 10
        assert "GDP, as 12 articles reported it, 1 January 2020 to 1 December 2020" in html
        assert ('<p class="chart-source">Drawn: 10 of the 12 reports, the first and the newest among them. '
                'All of them are in <a href="/overview/figures/">the theme&#39;s figures table</a>.</p>') in html
    table = (root / "_site/overview/figures/index.html").read_text()
    assert all(f'href="/sources/a{k:02d}/#p1"' in table for k in range(1, 13))


def test_a_trend_of_ten_points_is_drawn_whole():
    from site_builder.render.charts import spread
    assert spread(tuple(range(10))) == tuple(range(10))
    assert spread(tuple(range(11))) == (0, 1, 2, 3, 4, 6, 7, 8, 9, 10)  # round(i * 10 / 9)
    assert spread(tuple(range(2))) == (0, 1)
