"""The link pre-scan (model/scan.py) skips exactly the indented code Python-Markdown makes: a link
inside code is text, not a link to check, and a link in a list item's indented paragraph is a link.
Expected targets are written by hand from Markdown's rules; each case is also converted by
Python-Markdown, the reference the scan must agree with."""
from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings, strategies as st

from site_builder.model.scan import scan_body

from conftest import page, run

CASES = [
    # (body, the link targets that are links, not code)
    ("    [a](b.md)", []),                           # code at the very start of the body
    ("\n    [a](b.md)", []),                         # ... after a blank first line
    ("\t[a](b.md)\ntext", []),                       # a tab indents as much as four spaces
    ("  \n    [a](b.md)", ["b.md"]),                 # a first line of two spaces is a paragraph's line
    ("    \n    [a](b.md)", []),                     # ... of four, code
    ("x\n    [a](b.md)", ["b.md"]),                  # right after a paragraph's line: its lazy line
    ("Para\n  \n    [a](b.md)", []),                 # a line of spaces is a blank line
    ("x\n\n    a\n\n    [b](c.md)", []),             # one code block over a blank line
    ("x\n\n    a\n\n  \n\n\t[b](c.md)\n", []),       # ... over several, some of spaces
    ("# H\n    [a](b.md)", []),                      # a heading ends its block: code
    ("## H ##\n\t[a](b.md)", []),
    ("#hashtag\n    [a](b.md)", []),                 # (Python-Markdown's '#' needs no space)
    ("H\n===\n    [a](b.md)", []),                   # a setext heading
    ("***\n    [a](b.md)", []),                      # a rule
    ("- item\n\n    [a](b.md)", ["b.md"]),           # a list item's indented paragraph: a link
    ("- item\n\n\n    [a](b.md)", ["b.md"]),
    ("1. one\nlazy\n\n    [a](b.md)", ["b.md"]),     # the item's lazy line keeps the list open
    ("# H\n- item\n\n    [a](b.md)", ["b.md"]),      # a list right under a heading
    ("- item\n\n    a\n\n\t[b](c.md)", ["c.md"]),    # the item's second indented paragraph
    ("- item\n\nPara\n\n    [a](b.md)", []),         # a paragraph closes the list: code
    ("x\n[e](f.md)\n1. one\n\n    [a](b.md)", ["f.md"]),  # '1. one' after a paragraph's line is text
    ("> q\n\n    [a](b.md)", []),                    # after a quote: code
    ("  y\n\n\t[a](b.md)", []),                      # after a paragraph indented two spaces: code
    ("x\n\n      [a](b.md)\n  y", []),               # six spaces: code, with two of them in it
    ("    x\n1. one\n\n    [a](b.md)", ["b.md"]),  # a list right after a code block
    ("  y\n    [a](b.md)\n    \n\t[c](d.md)", ["b.md"]),  # a lazy line, a blank line, then code
    ("[a](b.md)\n\n    [c](d.md)\n[e](f.md)", ["b.md", "f.md"]),  # code ends at a line less indented
    ("    - x\n\n    [a](b.md)", []),               # four spaces in, '- x' is code, not a list
    ("- item\n\n        [a](b.md)", []),            # code in a list item: eight spaces
    ("- item\n\n    [a](b.md)\n\n        [c](d.md)\n\n    [e](f.md)", ["b.md", "f.md"]),
    ("1. Step\n\n    ```\n    f = fs[0](cb)\n    ```", []),  # a fence in an item: code all the same
    ("- a\n\n    - b\n\n            [c](d.md)\n\n        [e](f.md)", ["f.md"]),  # an item in an item
]


def markdown_links(text: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', markdown.markdown(text, extensions=["sane_lists", "fenced_code"]))


@pytest.mark.parametrize("body,links", CASES)
def test_links_in_indented_code_are_skipped_as_python_markdown_makes_code(body, links):
    assert markdown_links(body) == links  # the expectation is Markdown's
    assert [t for t, _ in scan_body(body, 1).links] == links


LINES = ["    [a](b.md)", "\t[c](d.md)", "[e](f.md)", "", "", "  ", "    ", "- item", "1. one", "x",
         "      [g](h.md)", "  y", "> q", "        [i](j.md)"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=7).map("\n".join))
def test_the_scan_finds_the_links_python_markdown_makes(body):
    """Generated bodies of the lines that decide what is code. Left out, where the scan and Markdown
    still differ: a heading or a rule inside a list item's content, a list right under an item's
    line with no blank line between (the cases above have headings, rules and nested items)."""
    assert sorted(t for t, _ in scan_body(body, 1).links) == sorted(markdown_links(body))


def test_a_page_starting_with_indented_code_builds(site):
    """A link inside code is not checked: these pages failed with 'broken link' before."""
    root = site({
        "content/a.md": page("A", "    [a](missing.md)"),
        "content/b.md": page("B", "\n    [b](missing.md)"),
        "content/c.md": page("C", "Para\n  \n    [c](missing.md)"),
        "content/d.md": page("D", "- item\n\n    [d](missing.md)"),   # a list item's text: checked
        "content/e.md": page("E", "1. Step\n\n    ```python\n    f = fs[0](cb)\n    ```"),
    })
    r = run("build", cwd=root)
    assert r.returncode == 1
    assert "content/d.md:6: broken link: missing.md (no page content/missing.md)" in r.stderr
    assert r.stderr.count("broken link") == 1


def test_long_runs_of_blank_and_indented_lines_are_scanned_in_linear_time():
    """A run of blank lines was once read again from each of its lines (200,000 lines of four spaces
    took 430 s); each of these takes well under a second."""
    import time
    for body in ("    \n" * 200_000 + "x", ("    " * 1000 + "\n") * 1000, " \n" * 300_000 + "    x",
                 "x\n    y\n\n" * 50_000, "- a\n\n    b\n" * 50_000, ("  y\n" * 1000 + "\n    z\n") * 100,
                 "".join("    " * k + "- a\n\n" for k in range(300)) + "    " * 300 + "[x](y.md)"):  # items in items
        start = time.process_time()
        scan_body(body, 1)
        assert time.process_time() - start < 10, body[:20]
