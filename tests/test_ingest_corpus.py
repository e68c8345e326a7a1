"""Every article of the corpus (tests/articles/NAME.txt) against its hand-written expectations
(NAME.expect.yaml): title, dates, byline, dateline, origin, source note, kicker, language, what
became of each furniture line, and the body blocks in order. bench/ingest_quality.py prints the
same comparison as a table."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import ingest_quality as q  # noqa: E402

NAMES = q.names()


def test_the_corpus_has_every_shape():
    assert len(NAMES) >= 17 and all((q.ARTICLES / f"{n}.txt").exists() for n in NAMES)


@pytest.fixture(scope="module")
def config():
    return q._config()


@pytest.mark.parametrize("name", NAMES)
def test_article_against_its_expectations(name, config):
    r = q.evaluate(name, config)
    assert r.title[1] == r.title[0]
    assert r.date[1] == r.date[0]
    assert {k: g for k, (e, g) in r.meta.items()} == {k: e for k, (e, g) in r.meta.items()}
    assert [(line, got) for line, _, got in r.furniture] == [(line, exp) for line, exp, _ in r.furniture]
    assert r.left_in_body == []
    assert (r.lost, r.duplicated, r.extra) == ([], [], [])
    assert r.blocks_right == r.blocks_expected


def test_the_quality_table_meets_the_targets(config):
    lines = q.table([q.evaluate(n, config) for n in NAMES])
    text = "\n".join(lines)
    assert f"titles right          {len(NAMES)}/{len(NAMES)} (100%)" in text
    assert f"dates right           {len(NAMES)}/{len(NAMES)} (100%)" in text
    assert "furniture left in page bodies: 0" in text
    assert "lost 0, duplicated 0, extra 0" in text


# --- the rules behind the table, one by one ---------------------------------------------------

import datetime as dt  # noqa: E402

from site_builder.ingest import dates  # noqa: E402
from site_builder.ingest.article import parse_article, short_title  # noqa: E402


@pytest.mark.parametrize("expr,year,expected", [
    ("2024-09-18", None, dt.date(2024, 9, 18)),
    ("2023年03月21日", None, dt.date(2023, 3, 21)),
    ("Aug 23,2021", None, dt.date(2021, 8, 23)),
    ("04 06, 2021", None, dt.date(2021, 4, 6)),
    ("April 19, 2023", None, dt.date(2023, 4, 19)),
    ("18 September 2024", None, dt.date(2024, 9, 18)),
    ("06/06/2023", None, dt.date(2023, 6, 6)),
    ("August 16", None, None),                       # no year: no date, never a guessed one
    ("Jan. 15", None, None),
    ("1月13日", None, None),
    ("August 16", 2009, dt.date(2009, 8, 16)),       # the year another stamp of the article gives
    ("1月13日", 2024, dt.date(2024, 1, 13)),
    ("31 February 2024", None, None),
])
def test_dates_are_read_and_never_given_a_guessed_year(expr, year, expected):
    assert dates.read(expr, year) == expected


def test_a_yearless_stamp_takes_the_year_of_another_stamp_of_the_article():
    art = parse_article("Headline of the story\nUpdated: Aug 17 09:00\n\nA first paragraph of the story, "
                        "which goes on for a while.\n\nPublished: 2009-08-16\n".encode(), "s.txt")
    assert art.date == dt.date(2009, 8, 16)
    art = parse_article("Headline of the story\nUpdated: Aug 17 09:00\n\nA first paragraph of the story, "
                        "which goes on for a while.\n".encode(), "s.txt")
    assert art.date is None
    assert art.removed == [(2, "Updated: Aug 17 09:00", "date without a year")]


def test_a_dateline_after_deck_paragraphs_is_found():
    art = parse_article(b"Guangdong output rises\n\nThe province gained a lot this spring, officials said.\n\n"
                        b"Factories reopened early in the year, managers said.\n\n"
                        b"GUANGZHOU, April 5 (Xinhua) -- Output of the province rose 5 percent in March.\n", "s.txt")
    assert art.dateline == "GUANGZHOU, April 5 (Xinhua)"
    assert art.blocks[2].text == "Output of the province rose 5 percent in March."


@pytest.mark.parametrize("lead,title", [
    # a fallback title is whole clauses, never cut inside a phrase, never a dangling quote
    ("广东省工业和信息化厅13日透露，2023年广东规模以上工业增加值超过4万亿元，继续位居全国第一，新能源汽车产量达到253万辆。",
     "广东省工业和信息化厅13日透露，2023年广东规模以上工业增加值超过4万亿元"),
    ("广东在新一轮发展中提出“再造一个新广东，再创让世界刮目相看的新奇迹，持续推进制造强省建设与高质量发展”的目标。",
     "广东在新一轮发展中提出“再造一个新广东，再创让世界刮目相看的新奇迹，持续推进制造强省建设与高质量发展”的目标"),
    ("“广东制造业在新一轮发展中不断向上突围，走出一条以创新驱动的高质量发展之路，为全国提供样本",
     "广东制造业在新一轮发展中不断向上突围，走出一条以创新驱动的高质量发展之路，为全国提供样本"),
    ("从“三来一补”起步，广东走出一条从加工装配到自主创新的转型之路，正在构建一个现代化产业体系。",
     "从“三来一补”起步，广东走出一条从加工装配到自主创新的转型之路"),
    ("广东提出“再造一个新广东、再创让世界刮目相看的新奇迹、持续推进制造强省建设与高质量发展的目标与路径”。",
     "广东提出“再造一个新广东、再创让世界刮目相看的新奇迹、持续推进制造强省建设与高质量发展的目标与路径”"),
    ("Guangdong is accelerating the construction of a strong manufacturing province by improving industry.",
     "Guangdong is accelerating the construction of a strong manufacturing province by improving industry"),
    ("Guangdong, a major industrial province in China, is accelerating the construction of a strong manufacturing "
     "province by continuously improving the “intellectual content,” “green content,” and “gold content” of industry.",
     "Guangdong is accelerating the construction of a strong manufacturing province"),
])
def test_a_fallback_title_is_a_whole_phrase(lead, title):
    assert short_title(lead) == title


def test_a_lead_in_ending_with_a_colon_is_never_the_title():
    art = parse_article(b"A regional news report:\n\nThe province built 12 new plants this year, officials said.\n",
                        "s.txt")
    assert art.title == "The province built 12 new plants this year, officials said"


def test_the_language_from_the_script_agrees_with_a_language_identifier(config):
    """Our language rule (script, else the site's) checked against py3langid on every article."""
    langid = pytest.importorskip("py3langid")
    for name in NAMES:
        art, expect = q.load(name)
        text = " ".join(b.text for b in art.blocks if b.kind != "list")
        assert (art.language or config.language) == langid.classify(text)[0] == expect["language"], name


def test_figure_scores_count_right_wrong_and_invented_figures():
    wanted = [{"value": 241000, "unit": "robots", "kind": "count"}, {"value": 33.9, "unit": "%", "kind": "percent"},
              {"value": 8, "unit": "percentage points", "kind": "points"}]
    got = [{"value": 241000.0, "unit": "Robots", "kind": "count"},        # right
           {"value": 8, "unit": "%", "kind": "percent"},                  # a wrong kind for a real value
           {"value": 1, "unit": "条", "kind": "count"},                   # invented
           {"value": 33.9, "unit": "%", "kind": "percent"}]               # right
    assert q.score_figures(wanted, got) == (3, 4, 2, 1)
    assert q.score_figures([], []) == (0, 0, 0, 0)
