"""The generator of multi-article sites (tools/multisite.py, issue 15): every article of the
corpus, as a follow-up and with or without a date, still reads as its expectation says, so the
generated sites are realistic; and a generated site is made by ingesting, and builds."""
import datetime as dt
import sys

import pytest
import yaml

from conftest import ROOT, run

sys.path.insert(0, str(ROOT / "tools"))
import multisite  # noqa: E402

from site_builder.ingest.article import parse_article  # noqa: E402

DAY = dt.date(2021, 6, 3)


def expected_title(name: str, copy: int) -> str:
    if name == "seed":
        return ("Guangdong is accelerating the construction of a strong manufacturing province" if copy == 0
                else f"Guangdong manufacturing update {copy}")
    expect = yaml.safe_load((multisite.CORPUS / f"{name}.expect.yaml").read_text(encoding="utf-8"))
    title = expect["title"]
    if copy == 2:  # amounts in a headline grow by 7% a copy: 7.0 × 1.14 = 7.98, 34.4 × 1.14 = 39.216
        title = title.replace("7.0%", "8.0%").replace("34.4%", "39.2%")
    if not copy:
        return title
    return f"{title}·续{copy}" if expect["language"] == "zh" else f"{title} — follow-up {copy}"


@pytest.mark.parametrize("name", [n for n, _, _ in multisite.corpus()])
def test_every_follow_up_keeps_its_headline_and_gets_the_date_it_is_given(name):
    text, expect = next((t, e) for n, t, e in multisite.corpus() if n == name)
    for copy in (0, 2):
        for day in (DAY, None):
            article = parse_article(multisite.variant(text, expect, copy, day).encode(), f"seeds/{name}.txt")
            assert (article.title, article.date) == (expected_title(name, copy), day)


def test_dates_mixed_leave_every_third_article_undated():
    days = multisite.dates_for(6, "mixed")
    assert [d is None for d in days] == [False, False, True, False, False, True]
    assert days[0] == dt.date(2019, 1, 7) and days[1] == dt.date(2019, 1, 18)
    assert multisite.dates_for(3, "undated") == [None, None, None]
    assert multisite.dates_for(1, "dated") == [dt.date(2023, 12, 5)]   # the demo seed's own


def test_a_thousand_articles_are_all_dated_in_the_past():
    # 2,550 days from 2019-01-07 to 2025-12-31: two days apart for 1,000 articles (nine would end
    # in 2043, and a page dated in the future is not built), nine apart still for 283
    days = multisite.dates_for(1001, "dated")
    assert days[1] - days[0] == dt.timedelta(days=2 + 2) and max(days) <= dt.date(2025, 12, 31)
    assert days[-1] == dt.date(2019, 1, 7) + dt.timedelta(days=2 * 1000 + 7000 % 5)
    assert multisite.dates_for(283, "dated")[1] == dt.date(2019, 1, 18)


def test_a_generated_site_is_ingested_and_builds(tmp_path):
    root = multisite.make_site(tmp_path / "site", 12, "mixed")
    sources = sorted((root / "content/sources").glob("*.md"))
    assert len(sources) == 12
    dated = [p for p in sources if "\ndate: " in p.read_text(encoding="utf-8")]
    assert len(dated) == 8                    # articles 2, 5, 8 and 11 have no date
    assert any("language: zh" in p.read_text(encoding="utf-8") for p in sources)
    for args in (("build", "--strict"), ("check",)):
        r = run(*args, cwd=root)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
