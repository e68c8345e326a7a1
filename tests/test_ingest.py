"""Ingestion: articles of many shapes, facts with their exact words, fidelity, hand edits."""
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from unicodedata import category

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.ingest import ingest
from site_builder.ingest.article import parse_article
from site_builder.ingest.classify import Classifier
from site_builder.ingest.extract import terms_in
from site_builder.ingest.pages import md_text, plan
from site_builder.model.config import load_config
from site_builder.model.frontmatter import parse_front_matter
from site_builder.paths import slugify
from site_builder.render.markdown import Converter

from conftest import BASE_CONFIG, ROOT, SEED, write_site

ARTICLES = Path(__file__).parent / "articles"


def parse(name: str):
    return parse_article((ARTICLES / name).read_bytes(), f"seeds/{name}")


# --- cleaning and structure, per article shape ----------------------------------------------

# (the article shapes are checked against hand-written expectations in test_ingest_corpus.py)


def test_seed_date_header_glued_to_the_first_paragraph():
    a = parse_article(SEED.read_bytes(), "seeds/x.txt")
    assert a.date.isoformat() == "2023-12-05"
    assert a.blocks[0].text.startswith("Guangdong, a major industrial province")
    assert a.title == "Guangdong is accelerating the construction of a strong manufacturing province"
    assert a.title_from == "lead sentence"


def test_captions_are_kept_as_captions():
    assert parse("scraped-lowercase.txt").captions == [
        "a worker assembles a drone at a factory in shenzhen, guangdong province. [photo/xinhua]"]


def test_crlf_bom_and_no_blank_lines():
    a = parse_article(b"\xef\xbb\xbfTitle here\r\nFirst line.\r\nSecond line.\r\n", "s.txt")
    assert a.title == "Title here" and [b.text for b in a.blocks] == ["First line.", "Second line."]


@pytest.mark.parametrize("data,message", [
    (b"", "seeds/a.txt: empty file: there is no article text to ingest"),
    (b"  \n\n \t\n", "seeds/a.txt: empty file: there is no article text to ingest"),
    (b"ok\xff\xfe", "seeds/a.txt: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
    (b"GIF89a\x00\x01", "seeds/a.txt: binary data (a NUL byte), not text; only UTF-8 text files belong here"),
    (b"Share this: Facebook\nX\n", "seeds/a.txt: no article text left after removing boilerplate (2 lines removed); nothing written"),
])
def test_unusable_input(data, message):
    with pytest.raises(SiteError) as e:
        parse_article(data, "seeds/a.txt")
    assert str(e.value) == message


# --- figures, lists, terms --------------------------------------------------------------------

# figures and named lists: tests/test_extract.py

@pytest.mark.parametrize("text,terms", [
    ("improving the “intellectual content,” “green content,” and “gold content” of industry.",
     ["intellectual content", "green content", "gold content"]),
    ('"This is a long quotation of many words here," said Li. "And more words follow here."', []),
    ('Critics call it the "hydrogen first" plan.', ["hydrogen first"]),
    ("培育了“专精特新”企业。", ["专精特新"]),
])
def test_quoted_terms(text, terms):
    assert [t["term"] for t in terms_in(text, "a#p1")] == terms


def test_chinese_title_gets_a_readable_ascii_slug():
    assert slugify("广东加快推进新型工业化", short=True) == "guang-dong-jia-kuai-tui-jin-xin-xing-gong-ye-hua"


# --- fidelity: every cleaned paragraph exactly once, shown literally ----------------------------

class _Blocks(HTMLParser):
    """Text of each element carrying data-src (a list: all its items), provenance marks left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.current: list | None = None
        self.depth = 0
        self.skip = 0
        self.in_list: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("class") == "prov":
            self.skip += 1
            return
        if tag in ("ul", "ol"):
            self.in_list = []
        if tag == "li" and self.in_list is not None:
            self.in_list.append(["", a.get("data-src")])
        if "data-src" in a and tag != "li":
            self.current = [a["data-src"], ""]
            self.depth = 1
        elif self.current is not None:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.skip and tag == "a":
            self.skip -= 1
            return
        if tag in ("ul", "ol") and self.in_list is not None:
            src = self.in_list[0][1] if self.in_list else None
            if src:
                self.found.append((src, "\n".join(t.strip() for t, _ in self.in_list)))
            self.in_list = None
        if self.current is not None:
            self.depth -= 1
            if self.depth == 0:
                self.found.append((self.current[0], self.current[1].strip()))
                self.current = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_list is not None and self.in_list:
            self.in_list[-1][0] += data
        elif self.current is not None:
            self.current[1] += data


CONFIG = None


def _config(tmp: Path):
    write_site(tmp, {}, BASE_CONFIG)
    return load_config(tmp)


def rendered_blocks(pages: dict[str, str]) -> list[tuple[str, str]]:
    conv = Converter()
    found = []
    for rel, text in sorted(pages.items()):
        if rel.startswith("sources/"):
            continue
        _, body, _ = parse_front_matter(text, rel)
        html, _ = conv.convert(body)
        p = _Blocks()
        p.feed(html)
        found += p.found
    return found


def check_fidelity(data: bytes, config) -> None:
    try:
        art = parse_article(data, "seeds/x.txt")
    except SiteError as e:
        # only a file with no article in it may be refused, and the message says which case
        text = data.decode("utf-8", "replace")
        if b"\0" in data:
            assert e.message == "binary data (a NUL byte), not text; only UTF-8 text files belong here"
        elif not text.strip():
            assert e.message == "empty file: there is no article text to ingest"
        else:  # every line with a visible character was boilerplate or metadata (a date), and is counted
            visible = [line for line in text.splitlines() if any(category(c)[0] not in "CZ" for c in line)]
            m = re.fullmatch(r"no article text left after removing boilerplate \((\d+) lines removed\); "
                             r"nothing written", e.message)
            assert m, e.message
            assert int(m.group(1)) <= len(visible), (e.message, visible)
        return
    planned = plan(art, "x", "seeds/x.txt", config, Classifier(config.themes, config.default_theme))
    got = rendered_blocks(planned.pages)
    expected = [(f"x#{b.id}", b.text) for b in art.blocks]
    assert sorted(got) == sorted(expected)                      # each block once, text exact
    assert len({src for src, _ in got}) == len(art.blocks)


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_fidelity_on_every_sample(name, tmp_path):
    check_fidelity((ARTICLES / name).read_bytes(), _config(tmp_path))


def test_fidelity_on_the_seed(tmp_path):
    check_fidelity(SEED.read_bytes(), _config(tmp_path))


def test_the_seed_pages_hold_the_raw_seed_text_exactly(tmp_path):
    """Fidelity against the seed file itself, not the parser's reading of it: its paragraphs are
    blank-line separated; by hand, the first starts with the stamp ' date 2023-12-05 ' (it becomes
    the page's date) and the last two, 'Share this: Facebook' and 'X', are a share widget. Every
    other paragraph reaches the pages once, word for word."""
    raw = SEED.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    assert paragraphs[0].startswith("date 2023-12-05 Guangdong, a major industrial province")
    assert paragraphs[-2:] == ["Share this: Facebook", "X"]
    expected = [paragraphs[0].removeprefix("date 2023-12-05 ")] + paragraphs[1:-2]
    assert len(expected) == 7
    config = _config(tmp_path)
    art = parse_article(SEED.read_bytes(), "seeds/x.txt")
    planned = plan(art, "x", "seeds/x.txt", config, Classifier(config.themes, config.default_theme))
    got = rendered_blocks(planned.pages)
    assert sorted(text for _, text in got) == sorted(expected)
    assert sorted(src for src, _ in got) == [f"x#p{i}" for i in range(1, 8)]


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
_MARKUPY = st.lists(st.sampled_from(["<script>", "*x*", "# x", "[a](javascript:x)", "{{ x }}", "{% x %}",
                                     "&amp;", "\n", "\n\n", "- ", "1. ", "> ", "`", "|", "{: #id }", "~~~",
                                     "  ", "\t", "“q”", "Share this:", "date 2024-01-02 ", "”", "\\"]),
                    max_size=30).map("".join)


@settings(max_examples=int(__import__("os").environ.get("FIDELITY_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(_TEXT, _MARKUPY, st.lists(st.one_of(_TEXT, _MARKUPY), max_size=6).map("\n".join)))
def test_fidelity_property(text, tmp_path):
    """For any text: ingest never raises unexpectedly, and the paragraphs across the produced
    pages are exactly the cleaned source paragraphs — nothing lost, duplicated or invented."""
    global CONFIG
    CONFIG = CONFIG or _config(tmp_path / "cfg")
    check_fidelity(text.encode("utf-8", "surrogatepass"), CONFIG)


@pytest.mark.parametrize("text", ["<script>x</script>", "*x*", "# x", "[a](javascript:alert(1))", "{{ x }}",
                                  "{% x %}", "&amp;", "1. x", "---", "| a | b |", "~~~", "a\\b", "{: .x }"])
def test_md_text_renders_literally(text):
    html, _ = Converter().convert(md_text(text))
    p = _Blocks()
    p.feed(f'<p data-src="s">{html.removeprefix("<p>").removesuffix("</p>")}</p>')
    assert p.found == [("s", text)]


def test_markup_in_an_article_shows_literally_on_the_built_site(tmp_path):
    root = write_site(tmp_path / "s", {"seeds/a.txt": (ARTICLES / "adversarial.txt").read_text()})
    cfg = load_config(root)
    ingest(cfg)
    build(cfg)
    html = "".join(p.read_text() for p in (root / "_site").rglob("*.html"))
    assert "<script>alert" not in html and "javascript:alert" not in html.replace("[a link](javascript:alert(1))", "")
    assert "&lt;script&gt;alert(&#34;headline&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(\"headline\")" in html
    assert "{{ config }}" in html and "{% raw %}" in html and "*really*" in html and "&amp;amp;" in html
    assert "<em>really</em>" not in html and "<b>bold</b>" not in html


# --- many articles, hand edits, orphans --------------------------------------------------------

def _site_with(tmp_path, seeds: dict[str, bytes]):
    root = write_site(tmp_path / "s", {}, (ROOT / "site.yaml").read_text().replace("search: true", "search: false"))
    for name, data in seeds.items():
        (root / "seeds").mkdir(exist_ok=True)
        (root / "seeds" / name).write_bytes(data)
    return root, load_config(root)


def test_rerun_rewrites_nothing_and_respects_hand_edits(tmp_path):
    root, cfg = _site_with(tmp_path, {"g.txt": SEED.read_bytes()})
    ingest(cfg)
    pages = sorted((root / "content").rglob("*.md"))
    stamps = {p: p.stat().st_mtime_ns for p in pages}
    report = ingest(cfg)
    assert all(p.stat().st_mtime_ns == stamps[p] for p in pages)
    assert sum(line.strip().startswith("unchanged") for line in report) == len(pages)
    edited = root / "content/innovation" / pages[0].name
    edited.write_text(edited.read_text().replace("With a focus on innovation", "With a focus on INNOVATION"))
    report = ingest(cfg)
    assert any("skipped content/innovation/" in line and "edited by hand" in line for line in report)
    assert "INNOVATION" in edited.read_text()
    ingest(cfg, force=True)
    assert "INNOVATION" not in edited.read_text()


def test_deleted_seed_leaves_orphans_until_force(tmp_path):
    root, cfg = _site_with(tmp_path, {"g.txt": SEED.read_bytes()})
    ingest(cfg)
    (root / "seeds/g.txt").unlink()
    (root / "seeds/other.txt").write_bytes((ARTICLES / "dateline-quotes.txt").read_bytes())
    report = ingest(cfg)
    orphans = [line for line in report if line.startswith("orphaned")]
    assert len(orphans) == 6 and all("ingest --force removes it" in line for line in orphans)
    ingest(cfg, force=True)
    assert not list((root / "content").rglob("guangdong-*.md"))


def test_theme_pages_list_articles_newest_first(tmp_path):
    root, cfg = _site_with(tmp_path, {"g.txt": SEED.read_bytes(),
                                      "b.txt": (ARTICLES / "dateline-quotes.txt").read_bytes()})
    ingest(cfg)
    build(cfg)
    srcs = sorted(p.parent.name for p in (root / "_site/sources").glob("*/index.html"))
    assert srcs == ["bavaria-doubles-down-hydrogen", "guangdong-accelerating-construction-strong-manufacturing"]
    overview = (root / "_site/overview/index.html").read_text()
    assert "guangdong-accelerating" in overview
    html = (root / "_site/green-development/index.html").read_text()
    # issue 15: newest first (Bavaria, 2026-03-09, before Guangdong, 2023-12-05), each linking its part
    assert html.index('href="/green-development/bavaria-doubles-down-hydrogen/"') < \
        html.index('href="/green-development/guangdong-accelerating-construction-strong-manufacturing/"')


def test_a_hand_edited_figure_that_drifts_from_the_source_is_a_build_error(tmp_path):
    root, cfg = _site_with(tmp_path, {"g.txt": SEED.read_bytes()})
    ingest(cfg)
    part = next((root / "content/industrial-clusters").glob("*.md"))
    part.write_text(part.read_text().replace("text: ten strategic pillar industry clusters",
                                             "text: twelve strategic pillar industry clusters"))
    with pytest.raises(SiteError) as e:
        build(cfg)
    line = part.read_text().split("\n").index("  text: twelve strategic pillar industry clusters") + 1
    assert str(e.value) == (f"content/industrial-clusters/{part.name}:{line}: 'twelve strategic pillar industry "
                            "clusters' does not occur in the source article guangdong-accelerating-construction-"
                            "strong-manufacturing; quote the source exactly or run 'site-builder ingest --force'")


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_new_site_ingests_and_builds_every_shape(name, tmp_path):
    from site_builder.commands.new import new_site

    target = tmp_path / "x"
    new_site(target, articles=True)
    shutil.copy(ARTICLES / name, target / "seeds" / name)
    text = (target / "site.yaml").read_text().replace("search: true", "search: false")
    (target / "site.yaml").write_text(text)
    cfg = load_config(target)
    ingest(cfg)
    build(cfg)
    assert list((target / "_site/sources").glob("*/index.html"))


def test_in_text_headings_never_skip_a_level(tmp_path):
    """An article's sub-headings are h2 under the source page's h1 and h3 under the article's h2
    on a theme page (the audit found h1 → h3 on source pages: axe heading-order, vnu)."""
    from site_builder.build import build
    from site_builder.ingest import ingest
    from site_builder.model.config import load_config

    root = write_site(tmp_path / "s", {"seeds/blog.txt": (ARTICLES / "blog-sourcing-map.txt").read_text()})
    config = load_config(root)
    ingest(config)
    build(config)
    for html in (root / "_site").rglob("index.html"):
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html.read_text())]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{html.relative_to(root)}: h{before} then h{after} ({levels})"
    source = next((root / "_site/sources").glob("*/index.html")).read_text()
    assert re.search(r'<h2 id="p\d+">Which Provinces Are Growing the Fastest\?', source)
