"""The Guangdong site from the committed seed: one page per theme, the golden facts."""
import re
import shutil

import pytest
import yaml

from site_builder.build import build
from site_builder.ingest import ingest
from site_builder.model.config import load_config

from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    (root / "seeds").mkdir()
    shutil.copy(SEED, root / "seeds" / SEED.name)
    text = (root / "site.yaml").read_text().replace("search: true", "search: false")
    (root / "site.yaml").write_text(text)
    config = load_config(root)
    report = ingest(config)
    result = build(config)
    return root, report, result


def test_one_page_per_theme(seed_site):
    root, _, _ = seed_site
    config = load_config(root)
    for theme in config.themes:
        assert (root / "_site" / theme.id / "index.html").is_file(), theme.id
    assert len(list((root / "_site/sources").glob("*/index.html"))) == 1


def test_committed_content_matches_a_fresh_ingest(seed_site):
    root, _, _ = seed_site
    fresh = {p.relative_to(root / "content").as_posix(): p.read_text() for p in (root / "content").rglob("*.md")}
    committed = {p.relative_to(ROOT / "content").as_posix(): p.read_text() for p in (ROOT / "content").rglob("*.md")}
    assert fresh == committed


def test_golden_figures_lists_and_terms(seed_site):
    root, _, _ = seed_site
    figures, lists, terms = [], [], []
    for p in (root / "content").rglob("*.md"):
        meta = yaml.safe_load(p.read_text().split("---\n")[1])
        figures += meta.get("figures", [])
        lists += meta.get("lists", [])
        terms += meta.get("terms", [])
    by_text = {f["text"]: f for f in figures}
    assert {f["value"] for f in figures} == {40, 31, 15, 0.125, 10}
    assert by_text["all 31 manufacturing categories"]["value"] == 31
    assert by_text["15 of them ranking first in the country"]["of"] == by_text["all 31 manufacturing categories"]["id"]
    assert by_text["about 1/8 of the country’s industrial scale"]["display"] == "≈ 1/8"
    assert by_text["Over the past 40 years of reform and opening up"]["unit"] == "years"
    assert by_text["ten strategic pillar industry clusters"]["value"] == 10
    assert by_text["ten strategic emerging industry clusters"]["value"] == 10
    assert {tuple(x["items"]) for x in lists} == {
        ("new generation electronic information", "smart home appliances", "automobile industry"),
        ("blockchain", "quantum information")}
    assert [t["term"] for t in terms] == ["intellectual content", "green content", "gold content"]


def test_every_paragraph_once_with_a_provenance_link(seed_site):
    root, _, _ = seed_site
    src = next((root / "_site/sources").glob("*/index.html")).read_text()
    paragraphs = re.findall(r'<p id="(p\d+)">', src)
    assert paragraphs == [f"p{i}" for i in range(1, 8)]
    used = []
    for theme in load_config(root).themes:
        html = (root / "_site" / theme.id / "index.html").read_text()
        used += re.findall(r'data-src="[^"]+#(p\d+)"', html)
        assert re.search(r'class="prov" href="/sources/[^"]+/#p\d+"', html)
    assert sorted(used, key=lambda p: int(p[1:])) == paragraphs


def test_report_names_what_was_dropped(seed_site):
    _, report, _ = seed_site
    text = "\n".join(report)
    assert "dropped line 15: “Share this: Facebook” (share widget)" in text
    assert "dropped line 17: “X” (share widget)" in text
    assert "moved date into metadata: “date 2023-12-05” (line 1)" in text
