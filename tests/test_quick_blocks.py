"""Quick block tests (render/blocks.py): Python-Markdown's own block processors, whose test first
looks for a text their syntax cannot do without; registered in the same places, on every page the
converter makes (the output is compared with the stock processors' in test_extension_choice)."""
import markdown
import pytest

from site_builder.render.blocks import QUICK, quicken
from site_builder.render.markdown import Converter

NAMES = ("empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist", "ulist", "quote",
         "reference", "paragraph", "admonition", "deflist")


@pytest.mark.parametrize("extensions", [[], ["sane_lists", "tables", "admonition", "def_list"]])
def test_the_quick_processors_take_the_stock_ones_places(extensions):
    stock, quick = markdown.Markdown(extensions=extensions), markdown.Markdown(extensions=extensions)
    quicken(quick)
    before, after = stock.parser.blockprocessors, quick.parser.blockprocessors
    for name in NAMES:
        if name in before:
            assert after.get_index_for_name(name) == before.get_index_for_name(name), name
            assert isinstance(after[name], type(before[name])), name
    for name in QUICK:
        assert type(after[name]) in [q for _, q, _ in QUICK[name]], name


def test_every_page_is_parsed_with_the_quick_processors():
    """A Python-Markdown that renamed or moved a processor would silently parse with the stock
    ones: this fails instead."""
    conv = Converter()
    for text in ("Plain text.", "# H\n\n| a |\n|---|\n| b |\n\n- x\n\n1. y\n\n> q\n\n---", "!!! note\n    n"):
        md, _ = conv.instance(text)
        for name in QUICK:
            assert type(md.parser.blockprocessors[name]) in [q for _, q, _ in QUICK[name]], (name, text)
    md, _ = conv.instance("Plain text.", everything=True)  # the reference: Python-Markdown's own
    assert not any(type(md.parser.blockprocessors[name]) in [q for _, q, _ in QUICK[name]] for name in QUICK)


@pytest.mark.parametrize("extensions", [[], ["sane_lists"]])
def test_the_quick_list_tests_take_the_lists_the_stock_ones_take(extensions):
    """Numbered and bulleted lists, with the stock list processors and with sane_lists' (the quick
    ones share their tests between the two), parse as Python-Markdown's own processors parse them."""
    stock, quick = markdown.Markdown(extensions=extensions), markdown.Markdown(extensions=extensions)
    quicken(quick)
    assert quick.convert("1. one\n2. two") == "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"
    assert quick.reset().convert("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    for text in ("1. one\n2. two", "   3. three", "- a\n- b", "* a", "+ a", "1. one\n- a", "- a\n\n2. two",
                 "A paragraph - not a list", "2024. A year", "-1 is a number", "*emphasis*"):
        assert quick.reset().convert(text) == stock.reset().convert(text), text
