"""Each page is converted with only the extensions its text can use (render/markdown.py's TRIGGERS:
text an extension's syntax cannot do without): the HTML and the table of contents (so every anchor)
are those of the full set, on real pages (the hand-written site, the seed site, Python-Markdown's and
MkDocs' docs trees when their snapshots are here), every extension's fixtures, and generated mixes of
the syntaxes, with the default extensions and with every supported one (options that widen what an
extension acts on included)."""
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from site_builder.model.extensions import parse_extensions
from site_builder.render.markdown import Converter

from conftest import ROOT
from test_docs_trees import MARKDOWN, MKDOCS, SNAPSHOTS
from test_extensions import EXTENSIONS
from test_highlight_cache import TEXTS as CODE_TEXTS

CONFIGS = {
    "default": None,
    "every": [{"pymdownx.highlight": {"linenums": True, "line_anchors": "L"}}, "pymdownx.superfences",
              "pymdownx.inlinehilite", "pymdownx.details", "pymdownx.caret", "pymdownx.mark", "pymdownx.keys",
              "smarty", "pymdownx.betterem", "pymdownx.smartsymbols", "pymdownx.saneheaders",
              {"abbr": {"glossary": {"HTML": "Hyper Text Markup Language"}}}, {"toc": {"permalink": True}}],
    "indented": [{"pymdownx.superfences": {"disable_indented_code_blocks": True}}, "nl2br", "legacy_em",
                 {"footnotes": {"BACKLINK_TEXT": "back"}}],
}


def _snapshot_pages(snapshot: tuple[str, str]) -> list[str]:
    git_dir, commit = SNAPSHOTS / snapshot[0], snapshot[1]
    archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", commit, "docs"], capture_output=True)
    if not git_dir.is_dir() or archive.returncode != 0:
        return []
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        return [tar.extractfile(m).read().decode() for m in tar.getmembers() if m.name.endswith(".md")]


def corpus() -> list[str]:
    files = sorted((ROOT / "tests/sites/handwritten").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md"))
    texts = [f.read_text() for f in files]
    texts += [t for row in EXTENSIONS for t in (row[1], row[3])] + CODE_TEXTS
    return texts + _snapshot_pages(MARKDOWN) + _snapshot_pages(MKDOCS)


def test_the_corpus_is_what_it_says():
    texts = corpus()
    assert len([t for t in texts if "!!! " in t]) >= 3 and len(texts) >= 60
    if SNAPSHOTS.is_dir():  # (both trees: 19 and 37 pages)
        assert len(texts) >= 60 + 19 + 37


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("allow_html", [False, True])
def test_per_page_choice_gives_the_full_sets_html_and_toc_on_real_pages(config, allow_html):
    converter = Converter(allow_html, parse_extensions(CONFIGS[config], "site.yaml", 1))
    for text in corpus():
        assert converter.convert(text) == converter.convert(text, everything=True), text[:300]


PIECES = st.sampled_from([
    "# H\n", "## Sub {: #sub }\n", "text ", "*em* ", "[l](x.md) ", "`code` ", "`#!python a = 1` ", "\n\n",
    "    indented = 1\n", "\tindented\n", "```python\nx = 1\n```\n", "~~~\nx\n~~~\n", "- item\n",
    "- item\n\n    ```js\n    var a;\n    ```\n", "!!! note\n    body\n", "??? note \"T\"\n    body\n",
    "Term\n:   def\n", "*[HTML]: Hyper Text\n", "HTML ", "- [ ] todo\n", "~~gone~~ ", "^^ins^^ ", "==mark== ",
    "++ctrl+c++ ", '"quoted" -- (c) ', "x[^1]\n\n[^1]: note\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "[TOC]\n",
    '<div markdown="1">*x*</div>\n', "line  \nbreak\n", "a_b_c ", "__s__ ", "+ plus\n", "* star\n", "1. one\n",
    "> quote\n", "---\n", "* * *\n", "_  _  _\n", "Title\n===\n", "Sub\n---\n", "# H #\n", "[r]:z.md\n", "[r] ",
    '[s]: <y.md> "T"\n', "[^1]:x\n",
    # headings the quick toc leaves to Python-Markdown (markup, entities, escapes, a label) and plain ones
    "## Q & A <b>x</b>\n", "## Fish & chips\n", "## 1 > 0\n", "## `code` *em* [l](x.md)\n", "## a \\* b &amp;\n",
    "## H\n", "### H_1\n",
    '## L {: data-toc-label="Short" }\n', "##\n",
    # links the quick ones leave to Python-Markdown (nested brackets, parentheses, titles, <url>) and simple ones
    '[a [b] c](d.md "t") ', "![i](p.png) ", "[p](a(b).md) ", "[q](<a b.md>) ", "[u]( x.md 'T' ) ", '[w](x.md"y) ',
    "[v]( y.md ) ", "![j][r] ", "[x](", "[y] (z.md) "])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), st.sampled_from(list(CONFIGS)), st.booleans())
def test_per_page_choice_gives_the_full_sets_output_on_mixes_of_the_syntaxes(text, config, allow_html):
    converter = Converter(allow_html, parse_extensions(CONFIGS[config], "site.yaml", 1))
    assert converter.convert(text) == converter.convert(text, everything=True)


@pytest.mark.parametrize("options, note", [({}, "note"), ({"UNIQUE_IDS": True}, "1-note")])
def test_a_pages_footnote_ids_do_not_depend_on_the_pages_converted_before(options, note):
    """Python-Markdown numbers UNIQUE_IDS by the pages its instance converted: a page's footnote ids
    differed between a clean build and a warm one that converted it alone. By default the ids are
    stock Python-Markdown's (and so MkDocs'): fn:note, without a number."""
    text = "Text[^note].\n\n[^note]: A note."
    converter = Converter(extensions=parse_extensions([{"footnotes": options}], "site.yaml", 1))
    first = converter.convert(text)
    for _ in range(3):
        converter.convert("Other[^x].\n\n[^x]: Another note.")
    assert converter.convert(text) == first
    assert f'<li id="fn:{note}">' in first[0] and f'href="#fn:{note}"' in first[0]
    assert f'<sup id="fnref:{note}">' in first[0] and f'href="#fnref:{note}"' in first[0]


def test_a_mark_is_looked_for_only_in_a_text_with_its_rarest_character():
    """Choosing a page's extensions looks for each mark ('!!!', '[^', '```'...) in the whole text;
    one character is found at the speed of memory, a longer mark ten times slower, so a mark is
    looked for only where its rarest character is."""
    class Watched(str):
        def __contains__(self, item: str) -> bool:
            asked.append(item)
            return super().__contains__(item)

    asked: list[str] = []
    conv = Converter()
    conv.instance(Watched("Plain"))
    assert asked and all(len(item) == 1 for item in asked), asked
    asked.clear()
    assert conv.instance(Watched("A note[^1] and a fence\n```\nx\n```")) == conv.instance("x[^1] ```")
    assert "[^" in asked and "```" in asked and "!!!" not in asked
