"""The path policy (site_builder/paths.py) and the build errors it gives: issue 12, findings 11,
12 and 15, and the issue's "A path policy in one place"."""
from __future__ import annotations

import pytest

from site_builder.paths import OutputClaims, case_duplicates, fold, path_problem, segment_problem, suggest

BAD_SEGMENTS = [
    ("", "is empty"),
    ("a\nb", "contains a control character (U+000A)"),
    ("a\rb", "contains a control character (U+000D)"),
    ("a\x00b", "contains a control character (U+0000)"),
    ("a\x7fb", "contains a control character (U+007F)"),
    ("a\x85b", "contains a control character (U+0085)"),
    ("a\u2028b", "contains a control character (U+2028)"),
    ("a\u2029b", "contains a control character (U+2029)"),
    ("a\u202eb", "contains a control character (U+202E)"),  # right-to-left override: spoofs names
    ("a\udcffb", "contains bytes that are not UTF-8"),        # how Python reads a non-UTF-8 file name
    ("a/b", "contains '/'"),
    ("C:", "starts with a Windows drive letter ('C:')"),
    ("c:windows", "starts with a Windows drive letter ('c:')"),
    ("ab:c", "contains ':', which URLs or Windows file names reserve"),
    ("#x", "contains '#', which URLs or Windows file names reserve"),
    ("a?b", "contains '?', which URLs or Windows file names reserve"),
    ("a*b", "contains '*', which URLs or Windows file names reserve"),
    ('a"b', "contains '\"', which URLs or Windows file names reserve"),
    ("a<b", "contains '<', which URLs or Windows file names reserve"),
    ("a>b", "contains '>', which URLs or Windows file names reserve"),
    ("a|b", "contains '|', which URLs or Windows file names reserve"),
    ("a\\b", "contains '\\', which URLs or Windows file names reserve"),
    (".", "has a '.' segment"),
    ("..", "has a '..' segment"),
    ("CON", "uses 'CON', a name Windows reserves"),
    ("con", "uses 'con', a name Windows reserves"),
    ("Nul.html", "uses 'Nul', a name Windows reserves"),
    ("aux.tar.gz", "uses 'aux', a name Windows reserves"),
    ("PRN", "uses 'PRN', a name Windows reserves"),
    ("com1", "uses 'com1', a name Windows reserves"),
    ("COM9.md", "uses 'COM9', a name Windows reserves"),
    ("LPT1", "uses 'LPT1', a name Windows reserves"),
    ("lpt9.txt", "uses 'lpt9', a name Windows reserves"),
    ("CON .txt", "uses 'CON ', a name Windows reserves"),
    ("x.", "has a name ending in a dot or a space ('x.'), which Windows drops"),
    ("x ", "has a name ending in a dot or a space ('x '), which Windows drops"),
    (".git", "names '.git', git's own folder"),
    (".GIT", "names '.git', git's own folder"),
    ("a" * 201, "has a name longer than 200 bytes"),
    ("漢" * 67, "has a name longer than 200 bytes"),  # 201 bytes of UTF-8
]


@pytest.mark.parametrize("name,reason", BAD_SEGMENTS)
def test_bad_segments_are_refused_with_their_reason(name, reason):
    """Findings 12 (drive letters, reserved names and characters) and 1/6's root cause
    (control characters in names)."""
    assert segment_problem(name) == reason


GOOD_SEGMENTS = ["about", "a-b_c", "report.pdf", "v1.2", "console", "auxiliary", "com10", "lpt", "nul-page",
                 "guangdong-new-industrialization", "广东", "新型工业化", "café", "Ünïcödé", "한국어", "日本語のページ",
                 "emoji-🙂", "a b", "(draft)", "it's", "a&b", "a+b", "~tilde", ".well-known", "a.git",
                 "a" * 200, "漢" * 66, "100%"]


@pytest.mark.parametrize("name", GOOD_SEGMENTS)
def test_good_segments_are_accepted(name):
    assert segment_problem(name) is None


@pytest.mark.parametrize("rel,reason", [
    ("a//b", "has an empty segment ('//')"),
    ("/a", "starts with '/'"),
    ("a/../../b", "has a '..' segment"),
    ("./a", "has a '.' segment"),
    ("C:/Windows/x/", "starts with a Windows drive letter ('C:')"),
    ("notes\ndelete /etc/passwd", "contains a control character (U+000A)"),
    ("a/con/b", "uses 'con', a name Windows reserves"),
    ("a/b#c/", "contains '#', which URLs or Windows file names reserve"),
    ("/".join(["abcdefghi"] * 101), "is longer than 1000 bytes"),
])
def test_bad_paths(rel, reason):
    assert path_problem(rel) == reason


@pytest.mark.parametrize("rel", ["", "a", "a/", "a/b/c/", "guides/intro/", "feed.xml", "广东/新型/", "files/r.pdf"])
def test_good_paths(rel):
    assert path_problem(rel) is None


@pytest.mark.parametrize("value,segment,fixed", [
    ("C:/Windows/x/", False, "c/windows/x/"),
    ("a#b.md", False, "a-b.md"),
    ("../x", True, "x"),
    ("#x", True, "x"),
    ("CON", True, "con-1"),
    ("a/b", True, "a-b"),
    ("..", False, "example"),
])
def test_suggestions_are_themselves_good(value, segment, fixed):
    assert suggest(value, segment) == fixed
    assert path_problem(fixed) is None


def test_fold_ignores_case_and_unicode_normalisation():
    assert fold("Guide/Index.html") == fold("guide/index.html")
    assert fold("caf\u00e9") == fold("cafe\u0301") == fold("CAF\u00c9")
    assert fold("a") != fold("b")


def test_case_duplicates_name_the_first_spelling():
    assert case_duplicates(["guide.md", "a.md", "Guide.md", "GUIDE.md"]) == [
        ("Guide.md", "guide.md"), ("GUIDE.md", "guide.md")]


def test_output_claims():
    """Finding 11 at the level of the policy: output files, not URLs, collide."""
    claims = OutputClaims()
    for rel, owner in [("index.html", "the home page"), ("feed.xml", "the Atom feed"),
                       ("pagefind/", "the search index"), ("guide/index.html", "content/guide.md"),
                       ("img/a.png", "content/img/a.png")]:
        assert claims.claim(rel, owner) is None
    assert claims.claim("feed.xml", "content/f.md") == "its output file feed.xml is also written by the Atom feed"
    assert claims.claim("pagefind/x/index.html", "content/p.md") == \
        "its output file pagefind/x/index.html is inside pagefind/, which the search index writes"
    assert claims.claim("Guide/index.html", "content/Guide.md") == \
        "its output folder Guide and guide, written by content/guide.md, differ only in case (macOS and Windows hold them as one)"
    assert claims.claim("IMG/b.png", "static/IMG/b.png") == \
        "its output folder IMG and img, written by content/img/a.png, differ only in case (macOS and Windows hold them as one)"
    assert claims.claim("feed.xml/index.html", "content/x.md") == \
        "its output file feed.xml/index.html needs a folder feed.xml, which the Atom feed writes as a file"
    assert claims.claim("guide", "static/guide") == "its output file guide is a folder that content/guide.md writes into"
    assert claims.claim("img/b.png", "static/img/b.png") is None  # two files in one folder: fine
    assert claims.claim("img/B.png", "static/img/B.png") == \
        "its output file img/B.png and img/b.png, written by static/img/b.png, differ only in case (macOS and Windows hold them as one)"
