"""The link pre-scan's faster forms (model/scan.py) find exactly what the regexes they replace
found, and the code-span pass takes linear time. The old regexes are written out here as the
reference; generated texts of the characters that matter are read both ways."""
from __future__ import annotations

import re
import time

from hypothesis import given, settings, strategies as st

from site_builder.model import scan

OLD_TARGET = re.compile(r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)")
OLD_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
OLD_CODE_SPANS = re.compile(r"(`+)(?:(?!\1)[^\n])+?\1")


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def old_without_code(text: str) -> str:
    """scan.without_code as it was, with the old regexes for fences and spans. (Indented code is
    found as Python-Markdown makes it since the old regex missed code at the start and after a
    line of spaces: tests/test_scan_code.py checks that part against Python-Markdown itself.)"""
    if "```" in text or "~~~" in text:
        text = OLD_FENCED.sub(scan._blank, text)
    if "\n    " in text or "\n\t" in text or text[:1] in (" ", "\t"):
        lead = "\n\nx" if scan._SPACES_LINE.match(text) else "\n\n"
        text = scan._blank_indented(lead + text, 0)[len(lead):]
    if "`" in text:
        text = (OLD_CODE_SPANS if "``" in text else scan._SIMPLE_SPANS).sub(_spaces, text)
    if "`" in text:
        text = scan._LONG_SPANS.sub(lambda m: m.group(0) if scan._in_heading(text, m.start()) else scan._blank(m), text)
    return text


backticks = st.text(alphabet="```a \n", max_size=40)
markdown = st.lists(st.sampled_from(["`", "``", "```", "~~~", "    ", "\t", "\n", "\n\n", " ", "a", "- ", "1. ",
                                     "# ", "> ", "](", "(", ")", "<", ">", "x.md", "[", "]"]), max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(backticks)
def test_code_spans_are_those_the_old_regex_found(text):
    assert scan._code_spans(text) == OLD_CODE_SPANS.sub(_spaces, text)


@settings(max_examples=1500, deadline=None)
@given(markdown)
def test_code_is_blanked_as_before(text):
    assert scan.without_code(text) == old_without_code(text)


@settings(max_examples=1500, deadline=None)
@given(markdown)
def test_link_targets_are_found_as_before(text):
    assert [(m.start(), m.group(1)) for m in scan._TARGET.finditer(text)] == \
        [(m.start(), m.group(1)) for m in OLD_TARGET.finditer(text)]


def test_examples_of_each_kind_of_code():
    """Hand-picked cases, each blanked as before (and the cases say what 'before' was)."""
    cases = {
        "``a`` b `` c": " " * 5 + " b `` c",            # the third run has nothing to close it
        "```a`` b": " " * 6 + " b",                      # three open, two close: the longest later run
        "`` `a` ``\nx": " " * 9 + "\nx",                  # single backticks inside a double span
        "````` ``` `` ` x": " " * 9 + " `" + " " * 3 + " x",  # 5 closes on 3; then `` on ` from its 2nd
        "```\ncode [a](b.md)\n```\n[c](d.md)": "   \n" + " " * 14 + "\n   \n[c](d.md)",
        "    [a](b.md)\n    x\n\ntext": " " * 13 + "\n     \n\ntext",   # indented code at the very start
        "\n    [a](b.md)": "\n" + " " * 13,              # after a blank first line: code too
        "    [a](b.md)": " " * 13,                       # (no '\n    ' in the text: looked for all the same)
        "- item\n\n    [a](b.md)": "- item\n\n    [a](b.md)",  # a list item's paragraph, not code
    }
    for text, expected in cases.items():
        assert scan.without_code(text) == old_without_code(text) == expected, text


def test_a_long_run_of_backticks_is_scanned_in_linear_time():
    """The old code-span regex took hours on one line of a few thousand backticks (each one a start,
    each shorter length a try, each to the line's end), and the fence regex 22 s on 200,000 of them
    without a newline (each shorter fence tried to the line's end); these take well under a second."""
    for text in ("`" * 300_000 + " a", "```" + "`" * 300_000 + " a\n", "``" + "`" * 100_000 + " a ``", " ".join("`" * k for k in range(600, 0, -1)),
                 ("`` " * 50_000) + "`", "a``b`" * 40_000):
        start = time.process_time()
        scan.scan_body(text, 1)
        assert time.process_time() - start < 10, text[:20]
