"""Quick passes (render/passes.py): Python-Markdown's whitespace, prettify and unescape passes doing
less work for the same result. Whole pages are compared with the stock passes in
test_extension_choice; here the whitespace pass alone, on texts made of what it changes."""
import markdown
from hypothesis import given, settings, strategies as st
from markdown.preprocessors import NormalizeWhitespace

from site_builder.render.passes import QuickWhitespace
from site_builder.render.markdown import Converter

TEXT = st.lists(st.sampled_from([" ", "  ", "\t", "\n", "\r\n", "\r", "x", "\x02", "\x03", "    code"]),
                max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_the_quick_whitespace_pass_gives_the_stock_lines(text):
    md = markdown.Markdown()
    lines = text.split("\n")
    assert QuickWhitespace(md).run(list(lines)) == NormalizeWhitespace(md).run(list(lines))


def test_lines_of_spaces_are_emptied_as_python_markdown_empties_them():
    """Written by hand: a run of spaces between two newlines goes (the first line's stays, as the
    stock pass keeps it), runs next to each other too, and a tab counts once expanded."""
    md = markdown.Markdown()
    assert QuickWhitespace(md).run(["  ", "a", "   ", "  ", "\t", "b  ", "  c"]) == \
        ["  ", "a", "", "", "", "b  ", "  c", "", ""]


def test_pages_with_lines_of_spaces_tabs_and_escapes_match_the_stock_passes():
    conv = Converter()
    for text in ("a\n   \n\tcode\n\n\\*x\\* &amp; \\`", "- a\n  \n- b\n\n> q\n>   \n> r", "x  \ny\n\n    \n    c"):
        assert conv.convert(text) == conv.convert(text, everything=True), text
