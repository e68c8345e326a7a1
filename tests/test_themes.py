"""Themes in any language (issue 13, item 5): keywords match at word boundaries in every script,
a theme lists keywords per language, common keywords cannot dominate, and ingest says where
each paragraph went and why."""
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.errors import SiteError
from site_builder.ingest.article import parse_article
from site_builder.ingest.classify import Classifier
from site_builder.ingest.pages import assign
from site_builder.model.config import Theme, load_config

from conftest import ROOT, SEED, run, write_site

ARTICLES = Path(__file__).parent / "articles"


def classifier(**keywords) -> Classifier:
    themes = [Theme("other", "Other")] + [Theme(t, t, keywords=tuple((k, 1.0) for k in ks))
                                          for t, ks in keywords.items()]
    return Classifier(tuple(themes), "other")


@pytest.mark.parametrize("text,theme", [
    ("广东新能源汽车产业快速发展。", "other"),          # 能源 inside 新能源: not the word 能源
    ("全省能源结构持续优化。", "energy"),
    ("能源是工业的基础。", "energy"),
])
def test_a_cjk_keyword_matches_whole_words_only(text, theme):
    assert classifier(energy=["能源"]).theme_of(text) == theme


def test_a_latin_keyword_matches_at_word_starts():
    c = classifier(digital=["data"])
    assert c.theme_of("The update was mandatory.") == "other"
    assert c.theme_of("Data centres and databases grew.") == "digital"


def test_keywords_per_language_and_the_old_forms(tmp_path):
    config = {"title": "T", "base_url": "https://example.org/", "themes": [
        {"id": "a", "title": "A", "keywords": {"en": {"digital": 3, "data": 1}, "zh": ["数字化", "数据"]}},
        {"id": "b", "title": "B", "keywords": ["green", "绿色"]},
        {"id": "c", "title": "C", "keywords": {"carbon": 2}}]}
    themes = load_config(write_site(tmp_path, {}, config)).themes
    assert [t.keywords for t in themes] == [
        (("digital", 3.0), ("data", 1.0), ("数字化", 1.0), ("数据", 1.0)), (("green", 1.0), ("绿色", 1.0)),
        (("carbon", 2.0),)]


def test_a_bad_language_code_is_a_line_error(tmp_path):
    text = ("title: T\nthemes:\n  - id: a\n    title: A\n    keywords:\n      english: [x]\n      zh: [y]\n")
    with pytest.raises(SiteError) as e:
        load_config(write_site(tmp_path, {"site.yaml": text}))
    assert str(e.value) == ("site.yaml:6: keywords: 'english' is not a language code (en, zh, zh-Hant…); "
                            "write  keywords: {en: [...], zh: [...]}  or one list of phrases")


STATS = ["Data from the statistics bureau showed that output in {} rose {} percent.",
         "Retail sales in {} grew {} percent, according to data released on Tuesday.",
         "Exports from {} rose {} percent, customs data showed."]
CITIES = ["Guangzhou", "Shenzhen", "Foshan", "Dongguan", "Zhuhai", "Huizhou", "Jiangmen"]


def test_a_common_keyword_cannot_pull_every_statistics_sentence():
    c = Classifier((Theme("overview", "Overview"),
                    Theme("digital", "Digital", keywords=(("digital", 3.0), ("data", 1.0))),
                    Theme("economy", "Economy", keywords=(("export", 2.0),))), "overview")
    stats = [s.format(city, 3 + i) for i, city in enumerate(CITIES) for s in STATS]
    digital = ["Digital transformation of factories sped up, with data platforms in every cluster.",
               "The digital economy now makes up a third of output."]
    c.fit(stats + digital)
    assert {c.theme_of(t) for t in stats if "Exports" not in t} == {"overview"}
    assert {c.theme_of(t) for t in stats if "Exports" in t} == {"economy"}
    assert [c.theme_of(t) for t in digital] == ["digital", "digital"]
    # 'data' is in 22 of the 23 paragraphs: its weight 1 becomes 0.25 / (22/23) = 0.26
    assert c.sort(stats[0]).explain() == "default theme: only common keywords (data 0.26)"


# --- the seed and its Chinese original sort alike --------------------------------------------

# hand-written: the first words of each English paragraph of the seed and of its Chinese version
PAIRS = [("Guangdong, a major industrial province", "作为我国工业大省"),
         ("Over the past 40 years of reform", "改革开放40年来"),
         ("In recent years, Guangdong has been working", "近年来，广东一手抓"),
         ("With a focus on innovation, Guangdong is accelerating", "广东坚持以创新为引领"),
         ("Furthermore, Guangdong has been strengthening", "此外，广东不断强链补链"),
         ("Digital transformation has also been", "数字化转型同样是"),
         ("Overall, Guangdong’s efforts", "总体来看")]


def themes_by_first_words(path: Path) -> dict[str, str]:
    config = load_config(ROOT)
    art = parse_article(path.read_bytes(), f"seeds/{path.name}")
    sorted_ = assign(art, Classifier(config.themes, config.default_theme))
    return {b.text: s.theme for b, s in zip(art.blocks, sorted_)}


def theme_of(found: dict[str, str], start: str) -> str:
    hits = [t for text, t in found.items() if text.startswith(start)]
    assert len(hits) == 1, f"no paragraph starts with {start!r}"
    return hits[0]


def test_the_chinese_original_of_the_seed_sorts_like_the_english_one():
    en, zh = themes_by_first_words(SEED), themes_by_first_words(ARTICLES / "guangdong-zh.txt")
    pairs = [(theme_of(en, e), theme_of(zh, z)) for e, z in PAIRS]
    assert [e for e, _ in pairs] == ["overview", "overview", "green-development", "innovation",
                                     "industrial-clusters", "digital-transformation", "overview"]
    assert [z for _, z in pairs] == [e for e, _ in pairs]


def test_ingest_says_where_each_paragraph_went_and_why(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "site.yaml").write_text((ROOT / "site.yaml").read_text())
    (root / "seeds").mkdir()
    (root / "seeds" / "zh.txt").write_bytes((ARTICLES / "guangdong-zh.txt").read_bytes())
    r = run("ingest", cwd=root)
    assert r.returncode == 0, r.stderr
    lines = [line.strip() for line in r.stdout.splitlines()]
    assert any(line.endswith("→ innovation (创新 4, 实验室 3, 关键核心技术 3, 科技成果 2, 新质生产力 2)") for line in lines)
    assert any(line.endswith("→ digital-transformation (数字化 9)") for line in lines)


def test_jieba_and_cn2an_load_only_for_chinese_text(tmp_path):
    child = ("import sys; from site_builder.commands.cli import main; code = main(sys.argv[1:]); "
             "print('loaded:', sorted(m for m in ('jieba', 'cn2an') if m in sys.modules))")
    for name, seed, loaded in (("en", SEED, "[]"), ("zh", ARTICLES / "guangdong-zh.txt", "['cn2an', 'jieba']")):
        root = write_site(tmp_path / name, {f"seeds/{seed.name}": seed.read_bytes()},
                          (ROOT / "site.yaml").read_text())
        out = subprocess.run([sys.executable, "-c", child, "-C", str(root), "ingest"], capture_output=True,
                             text=True, timeout=120).stdout
        assert out.splitlines()[-1] == f"loaded: {loaded}"
