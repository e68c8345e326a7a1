"""Property tests (hypothesis): parsers never fail unexpectedly; slugs and URLs stay in bounds."""
import posixpath
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.errors import SiteError
from site_builder.fs import decode_text
from site_builder.model.frontmatter import parse_front_matter
from site_builder.model.urls import UnsafeUrl, Urls, clean_rel, output_file
from site_builder.paths import path_problem
from site_builder.paths import slugify

YAMLISH = st.lists(st.sampled_from(["---", "\n", "title: x", "title:", " ", "\t", "- a", "[", "]", "{", "}", ":",
                                    "'", '"', "&a", "*a", "!!python/object:os.system", "%YAML 1.1", "? x",
                                    "date: 2024-13-45", "\ufeff", "\r\n", "#", "|", ">", "tags: [a, b"]),
                   max_size=40).map("".join)
ANY_TEXT = st.text(max_size=300)


@settings(max_examples=400, deadline=None)
@given(st.one_of(YAMLISH, ANY_TEXT, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_front_matter_parser_never_fails_unexpectedly(text):
    try:
        meta, body, line = parse_front_matter(text, "content/x.md")
    except SiteError as e:
        assert str(e).startswith("content/x.md")
        assert "\n" not in str(e)
        return
    assert isinstance(meta, dict) and isinstance(body, str) and line >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_never_fails_unexpectedly(data):
    try:
        text = decode_text(data, "content/x.md")
    except SiteError:
        return
    assert "\r" not in text and not text.startswith("\ufeff")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200), st.booleans())
def test_slugs_are_safe(text, short):
    slug = slugify(text, short=short)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|untitled", slug), slug
    assert "/" not in slug and "\\" not in slug and ".." not in slug and len(slug) <= 60


def test_slugs_are_stable_and_readable():
    assert slugify("Guangdong’s “new” industrialization") == "guangdongs-new-industrialization"
    assert slugify("广东加快推进新型工业化") == slugify("广东加快推进新型工业化") == "guang-dong-jia-kuai-tui-jin-xin-xing-gong-ye-hua"
    assert slugify("../../etc/passwd") == "etc-passwd" and slugify("") == "untitled"


BASES = st.sampled_from(["https://user.github.io/repo/", "https://example.org/", "http://127.0.0.1:8000/a/b/"])
RELS = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(["..", ".", "a", "b/", "/", "\\", "%2e%2e", "#x", "?q",
                                                                  "//evil.org", "http:", "\x00", "%00", "~", " "]),
                                                 max_size=12).map("".join))


@settings(max_examples=600, deadline=None)
@given(BASES, RELS)
def test_urls_never_leave_the_base_path(base, rel):
    urls = Urls(base)
    try:
        url = urls.url(rel)
    except UnsafeUrl:
        return
    path = url.split("#")[0].split("?")[0]
    assert url.startswith(urls.base_path)
    assert posixpath.normpath(path + "x").startswith(urls.base_path.rstrip("/"))
    assert ".." not in path.split("/")
    assert urls.absolute(rel).startswith(base)
    try:
        out = output_file(clean_rel(rel))
    except UnsafeUrl:  # a name the path policy refuses is never made into some other file
        assert path_problem(clean_rel(rel)) is not None
        return
    assert not out.startswith("/") and ".." not in out.split("/") and path_problem(out) is None


MARKDOWNISH = st.lists(st.sampled_from(["# H\n", "## Sub\n", "text ", "*em* ", "**b** ", "`code` ", "[l](x.md) ",
                                        "| a | b |\n|---|---|\n| 1 | 2 |\n", "\\|", "x[^1]\n\n[^1]: note\n", "{: #i }",
                                        "```\ncode\n```\n", "~~~\nx\n~~~\n", "- item\n", "1. one\n", "> q\n", "\n\n",
                                        "<b>", "&amp;", "    indented\n", "Term\n{: .c }\n", "|", "{", "[^",
                                        "![i](y.png) ", "[r]\n\n[r]: z.md\n", "[r] ", "<http://a.b> ", "<a@b.c> ",
                                        "a  \n", "a\t\n", "a \r\n", "\r", "\\*", "_u_ ", "__s__ ", "&copy; ", "&",
                                        "[TOC]\n", "\t", "<", "!", "_", "*",
                                        # the default extensions beyond Python-Markdown's core (issue 16)
                                        "!!! note\n    body\n", "!!! warning \"T\"\n", "Term\n:   def\n", ": ",
                                        "*[HTML]: Hyper Text\n", "HTML ", "- [ ] todo\n", "- [x] done\n", "[ ]",
                                        "~~gone~~ ", "~", "```python hl_lines=\"1\"\nx = 1\n```\n", "    a = 1\n",
                                        "| a |\n|:-:|\n| b |\n", '<div markdown="1">*x*</div>\n', "markdown"]),
                      max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH, st.booleans())
def test_per_page_extension_choice_never_changes_the_output(text, allow_html):
    from site_builder.render.markdown import Converter

    assert Converter(allow_html).convert(text) == Converter(allow_html).convert(text, everything=True)


LEADS = st.lists(st.sampled_from([" ", "  ", "\t", ">", "> ", "- ", "* ", "+ ", "1. ", "10) "]), min_size=30, max_size=130)


@settings(max_examples=300, deadline=None)
@given(LEADS, st.sampled_from(["x", "", "  y", "\n"]))
@example(["\t"] * 51, "x")        # 102 levels in 51 characters: the densest lead
@example([">"] * 101, "x")
@example(["- "] * 101, "x")
def test_the_nesting_prefilter_never_hides_a_line_over_the_limit(lead, rest):
    import re
    from unittest import mock

    from site_builder.model import scan

    text = "para\n\n" + "".join(lead) + rest + "\nafter\n"
    fast = scan.scan_body(text, 1).deepest
    with mock.patch.object(scan, "_DEEP", re.compile("")):  # matches everything: no filter
        slow = scan.scan_body(text, 1).deepest
    assert (fast[0] > scan.MAX_NESTING) == (slow[0] > scan.MAX_NESTING)
    if slow[0] > scan.MAX_NESTING:
        assert fast == slow
