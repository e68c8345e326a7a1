"""Many articles on one site (issue 13, item 7): any site that builds also passes `check` —
term ids, figure ids and anchors stay unique across articles, and a term quoted by several
articles is one entry that lists every article using it."""
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED, run, write_site

ARTICLES = Path(__file__).parent / "articles"

DONGGUAN = """Dongguan looks back

Background

Dongguan grew on the “三来一补” model of processing trade, and the “intellectual content” of its firms rose.

Laboratories

The city opened 3 laboratories, with 2 of them run by universities.
"""
SHENZHEN = """Shenzhen remembers

Background

Shenzhen also started with “三来一补” factories; its “Intellectual Content” grew as well.

Laboratories

The city opened 5 laboratories, with 4 of them run by firms.
"""


def build_and_check(root: Path, strict: bool = True) -> str:
    for args in (("ingest",), ("build", "--strict") if strict else ("build",), ("check",)):
        r = run(*args, cwd=root)
        assert r.returncode == 0, f"{' '.join(args)}: {r.stdout[-3000:]}{r.stderr[-3000:]}"
    return r.stdout


def test_a_term_quoted_by_two_articles_is_one_entry_listing_both(tmp_path):
    root = write_site(tmp_path / "site", {"seeds/dongguan.txt": DONGGUAN, "seeds/shenzhen.txt": SHENZHEN})
    assert build_and_check(root) == "No problems found in _site/\n"
    html = (root / "_site/terms/index.html").read_text()
    entries = re.findall(r'<dt id="([^"]+)">([^<]+)</dt>\s*<dd>(.*?)</dd>', html, re.S)
    assert [(i, t) for i, t, _ in entries] == [("term-intellectual-content", "intellectual content"),
                                               ("term-san-lai-yi-bu", "三来一补")]
    for _, _, dd in entries:  # each entry links to both articles' paragraphs
        assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', dd) == [
            ("/sources/dongguan-looks-back/#p2", "Dongguan looks back"),
            ("/sources/shenzhen-remembers/#p2", "Shenzhen remembers")]


def test_terms_that_slug_alike_get_distinct_ids(tmp_path):
    a = "A note on “made in China”\n\nThe plan called it “made in China” then.\n"
    b = "Another note\n\nThe term “made-in-China” was used too.\n"
    root = write_site(tmp_path / "site", {"seeds/a.txt": a, "seeds/b.txt": b})
    assert build_and_check(root) == "No problems found in _site/\n"
    ids = re.findall(r'<dt id="([^"]+)">', (root / "_site/terms/index.html").read_text())
    assert ids == ["term-made-in-china", "term-made-in-china-2"]


def fixtures() -> dict[str, list[Path]]:
    """Every multi-article fixture: sets of articles that a site may well hold together."""
    samples = sorted(p for p in ARTICLES.glob("*.txt"))
    sets = {"seed and every article in tests/articles": [SEED, *samples],
            "the sample articles without the seed": samples}
    zh = ARTICLES / "guangdong-zh.txt"
    if zh.exists():
        sets["the seed and its Chinese original"] = [SEED, zh]
    return sets


@pytest.mark.parametrize("name", sorted(fixtures()))
def test_every_multi_article_fixture_builds_and_passes_check(name, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    text = (root / "site.yaml").read_text().replace("search: true", "search: false")
    (root / "site.yaml").write_text(text)
    (root / "seeds").mkdir()
    for path in fixtures()[name]:
        shutil.copy(path, root / "seeds" / path.name)
    # adversarial.txt's javascript: and data: links are dropped with a warning, which --strict
    # makes an error: these sites are built without it, and checked
    assert build_and_check(root, strict=False) == "No problems found in _site/\n"
