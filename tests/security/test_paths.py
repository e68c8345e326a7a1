"""The path policy (site_builder/paths.py) and the build errors it gives: issue 12, findings 11,
12 and 15, and the issue's "A path policy in one place"."""
from __future__ import annotations

import pytest

from site_builder.paths import OutputClaims, case_duplicates, example_name, fold, path_problem, segment_problem

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
    ("..", "has a '..' segment, which leads out of its folder"),
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
    ("x.", "ends with a dot or a space ('x.'), which Windows drops"),
    ("x ", "ends with a dot or a space ('x '), which Windows drops"),
    (".git", "names '.git', git's own folder"),
    (".GIT", "names '.git', git's own folder"),
    ("a" * 201, "is longer than 200 bytes of UTF-8"),
    ("漢" * 67, "is longer than 200 bytes of UTF-8"),  # 201 bytes of UTF-8
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
    ("a/../../b", "has a '..' segment, which leads out of its folder"),
    ("./a", "has a '.' segment"),
    ("C:/Windows/x/", "starts with a Windows drive letter ('C:')"),
    ("notes\ndelete /etc/passwd", "contains a control character (U+000A)"),
    ("a/con/b", "uses 'con', a name Windows reserves"),
    ("a/b#c/", "contains '#', which URLs or Windows file names reserve"),
    ("/".join(["abcdefghi"] * 101), "is longer than 1000 bytes of UTF-8"),
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
    ("../../etc", True, "etc"),
    ("..-..-etc", False, "etc"),
    ("Report 2024.PDF", False, "report-2024.pdf"),
    ("v1.2", False, "v1.2"),
    ("#x", True, "x"),
    ("CON", True, "con-1"),
    ("a/b", True, "a-b"),
    ("..", False, "example"),
])
def test_suggestions_are_themselves_good(value, segment, fixed):
    assert example_name(value, segment) == fixed
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


# --- the policy applied by a build: every name a page derives, every output file ------------------

from pathlib import Path  # noqa: E402

from site_builder.build import build  # noqa: E402
from site_builder.errors import SiteError  # noqa: E402
from site_builder.model.config import load_config  # noqa: E402

from conftest import BASE_CONFIG, page, tree, write_site  # noqa: E402


def errors_of(root: Path) -> list[str]:
    with pytest.raises(SiteError) as e:
        build(load_config(root), jobs=1)
    return str(e.value).splitlines()


HOME = {"content/index.md": page("Home", "The real home page.")}


def test_finding_11_slug_with_a_hash_does_not_replace_the_home_page(site):
    """Finding 11: `slug: "#x"` silently replaced the home page (output_file() dropped
    everything after '#'). Now the slug is refused and the last good site stays."""
    root = site({**HOME, "content/b.md": page("B")})
    build(load_config(root), jobs=1)
    before = tree(root / "_site")
    (root / "content/a.md").write_text(page("Evil", "I am the home page now.", slug="#x"))
    assert errors_of(root) == ["content/a.md:3: slug '#x' contains '#', which URLs or Windows file names "
                               "reserve; a slug is one path segment, e.g. slug: x"]
    assert tree(root / "_site") == before
    assert "I am the home page now" not in (root / "_site/index.html").read_text()


@pytest.mark.parametrize("files,config,message", [
    ({"content/a.md": page("A", url="feed.xml", date="2024-01-01")}, {},  # dated: a site without dates has no feed
     "content/a.md:3: its output file feed.xml is also written by the generated feed.xml; "
     "rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="robots.txt")}, {},
     "content/a.md:3: its output file robots.txt is also written by the generated robots.txt; "
     "rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="sitemap.xml")}, {},
     "content/a.md:3: its output file sitemap.xml is also written by the generated sitemap.xml; "
     "rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url=".nojekyll")}, {},
     "content/a.md:3: its output file .nojekyll is also written by the generated .nojekyll; "
     "rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="CNAME")}, {"cname": "docs.example.org"},  # a url without '.' is a folder
     "content/a.md:3: its output file CNAME/index.html needs a folder CNAME, which the generated CNAME writes "
     "as a file; rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url=".site-builder.json")}, {},
     "content/a.md:3: its output file .site-builder.json is also written by site-builder's record of the "
     "output folder; rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="pagefind/pagefind.js")}, {"search": True},
     "content/a.md:3: its output file pagefind/pagefind.js is inside pagefind/, which the search index "
     "writes; rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="sitemap.xml/")}, {},
     "content/a.md:3: its output file sitemap.xml/index.html needs a folder sitemap.xml, which the generated "
     "sitemap.xml writes as a file; rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", date="2024-01-01"), "static/feed.xml": "<feed/>"}, {},
     "static/feed.xml: its output file feed.xml is also written by the generated feed.xml; rename one of them"),
    ({"content/posts/a.md": page("A", date="2024-01-01"), "content/posts/feed.xml": "<feed/>"}, {},  # a section's feed
     "content/posts/feed.xml: its output file posts/feed.xml is also written by the generated posts/feed.xml; "
     "rename one of them"),
    ({"content/a.md": page("A"), "content/robots.txt": "User-agent: *"}, {},
     "content/robots.txt: its output file robots.txt is also written by the generated robots.txt; rename one of them"),
    ({"content/a.md": page("A"), "content/img.png": b"png", "static/img.png": b"other png"}, {},
     "static/img.png: its output file img.png is also written by content/img.png; rename one of them"),
    ({"content/a.md": page("A"), "static/a/index.html": "<p>static</p>"}, {},
     "static/a/index.html: its output file a/index.html is also written by content/a.md; rename one of them"),
    ({"content/a.md": page("A", url="img.png/"), "content/img.png": b"png"}, {},
     "content/img.png: its output file img.png is a folder that content/a.md writes into; rename one of them"),
])
def test_finding_11_output_files_collide_not_urls(site, files, config, message):
    """Finding 11: collisions were checked on URLs, not output files, so `url: feed.xml`,
    `robots.txt` or `sitemap.xml` silently lost the page (or the generated file), and a static
    file could silently replace a page. Every output file is claimed once, before any write."""
    root = site(files, {**BASE_CONFIG, **config})
    assert errors_of(root) == [message]
    assert not (root / "_site").exists()


@pytest.mark.parametrize("files,message", [
    ({"content/a.md": page("A", url="C:/Windows/x/")},
     "content/a.md:3: url 'C:/Windows/x/' starts with a Windows drive letter ('C:'); use a path inside the "
     "site, e.g. url: c/windows/x/"),
    ({"content/a.md": page("A", slug="C:")},
     "content/a.md:3: slug 'C:' starts with a Windows drive letter ('C:'); a slug is one path segment, e.g. slug: c"),
    ({"content/a.md": page("A", slug="CON")},
     "content/a.md:3: slug 'CON' uses 'CON', a name Windows reserves; a slug is one path segment, e.g. slug: con-1"),
    ({"content/a.md": page("A", url="docs/lpt1.html")},
     "content/a.md:3: url 'docs/lpt1.html' uses 'lpt1', a name Windows reserves; use a path inside the site, "
     "e.g. url: docs/lpt1-1.html"),
    ({"content/a.md": page("A", slug="what?")},
     "content/a.md:3: slug 'what?' contains '?', which URLs or Windows file names reserve; a slug is one path "
     "segment, e.g. slug: what"),
    ({"content/a.md": page("A", slug='a"b')},
     "content/a.md:3: slug 'a\"b' contains '\"', which URLs or Windows file names reserve; a slug is one path "
     "segment, e.g. slug: a-b"),
    ({"content/a.md": page("A", url="a|b/")},
     "content/a.md:3: url 'a|b/' contains '|', which URLs or Windows file names reserve; use a path inside the "
     "site, e.g. url: a-b/"),
    ({"content/a.md": page("A", slug="v1.")},
     "content/a.md:3: slug 'v1.' ends with a dot or a space ('v1.'), which Windows drops; a slug is one path "
     "segment, e.g. slug: v1"),
    ({"content/a.md": page("A", url="notes\ndelete /etc/passwd")},
     "content/a.md:3: url 'notes\\ndelete /etc/passwd' contains a control character (U+000A); use a path "
     "inside the site, e.g. url: notes-delete/etc/passwd"),
    ({"content/a.md": page("A", url="a/./b/")},
     "content/a.md:3: url 'a/./b/' has a '.' segment; use a path inside the site, e.g. url: a/b/"),
    ({"content/a.md": page("A", url="a//b/")},
     "content/a.md:3: url 'a//b/' has an empty segment ('//'); use a path inside the site, e.g. url: a/b/"),
    ({"content/a.md": page("A", url="x/.git/config")},
     "content/a.md:3: url 'x/.git/config' names '.git', git's own folder; use a path inside the site, "
     "e.g. url: x/git/config"),
    ({"content/a.md": page("A", section="../../../tmp/x")},
     "content/a.md:3: section '../../../tmp/x' has a '..' segment, which leads out of its folder; a section is "
     "a folder of the site, e.g. section: tmp/x"),
    ({"content/a.md": page("A", section="guides\u2028x")},
     "content/a.md:3: section 'guides\\u2028x' contains a control character (U+2028); a section is a folder "
     "of the site, e.g. section: guides-x"),
    ({"content/a#b.md": page("A")},
     "content/a#b.md: the name 'a#b.md' contains '#', which URLs or Windows file names reserve; "
     "rename it, e.g. a-b.md"),
    ({"content/aux.md": page("A")},
     "content/aux.md: the name 'aux.md' uses 'aux', a name Windows reserves; rename it, e.g. aux-1.md"),
    ({"content/guides./a.md": page("A")},
     "content/guides.: the name 'guides.' ends with a dot or a space ('guides.'), which Windows drops; "
     "rename it, e.g. guides"),
    ({"content/a\nb.md": page("A")},
     "content/a\\nb.md: the name 'a\\nb.md' contains a control character (U+000A); rename it, e.g. a-b.md"),
    ({"content/c:d.png": b"png", "content/a.md": page("A")},
     "content/c:d.png: the name 'c:d.png' starts with a Windows drive letter ('c:'); rename it, e.g. c-d.png"),
    ({"static/files/nul.pdf": b"%PDF", "content/a.md": page("A")},
     "static/files/nul.pdf: the name 'nul.pdf' uses 'nul', a name Windows reserves; rename it, e.g. nul-1.pdf"),
    ({"content/a.md": page("A", figures=[{"id": '"><script>alert(1)</script>', "value": 1, "label": "x",
                                          "text": "x", "source": "a"}])},
     "content/a.md:4: figure id '\"><script>alert(1)</script>' contains '/'; e.g. id: script-alert-1-script"),
    ({"content/a.md": page("A", figures=[{"id": 'f1" onmouseover="x', "value": 1, "label": "x",
                                          "text": "x", "source": "a"}])},
     "content/a.md:4: figure id 'f1\" onmouseover=\"x' contains '\"', which URLs or Windows file names reserve; "
     "e.g. id: f1-onmouseover-x"),
])
def test_finding_12_names_are_checked_by_the_path_policy(site, files, message):
    """Finding 12: Windows drive letters and reserved characters (`C:/Windows/x/`, `slug: "C:"`)
    were accepted in url/slug; the issue's path policy applies to url, slug, section, every file
    name under content/ and static/, and figure ids, with the same reasons everywhere."""
    root = site(files)
    assert errors_of(root) == [message]


@pytest.mark.parametrize("files,message", [
    ({"content/guide.md": page("Guide"), "content/Guide.md": page("Guide again")},
     "content/guide.md: differs only in case from content/Guide.md, and macOS and Windows cannot hold both; "
     "rename one"),
    ({"content/Guides/a.md": page("A"), "content/guides/b.md": page("B")},
     "content/guides: differs only in case from content/Guides, and macOS and Windows cannot hold both; "
     "rename one"),
    ({"content/caf\u00e9.md": page("NFC"), "content/cafe\u0301.md": page("NFD")},
     "content/caf\u00e9.md: differs only in case from content/cafe\u0301.md, and macOS and Windows cannot "
     "hold both; rename one"),
    ({"content/a.md": page("A", slug="Guide"), "content/guide.md": page("guide")},
     "content/guide.md: its output folder guide and Guide, written by content/a.md, differ only in case "
     "(macOS and Windows hold them as one); rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A", url="Feed.xml", date="2024-01-01")},
     "content/a.md:3: its output file Feed.xml and feed.xml, written by the generated feed.xml, differ only in "
     "case (macOS and Windows hold them as one); rename one of them or give it a different url or slug"),
    ({"content/a.md": page("A"), "content/Logo.png": b"a", "static/logo.png": b"b"},
     "static/logo.png: its output file logo.png and Logo.png, written by content/Logo.png, differ only in case "
     "(macOS and Windows hold them as one); rename one of them"),
    ({"content/a.md": page("A", section="Notes"), "content/notes/b.md": page("B")},
     "content/notes/b.md: its output folder notes and Notes, written by the 'Notes' section list, differ only in "
     "case (macOS and Windows hold them as one); rename one of them or give it a different url or slug"),
])
def test_finding_15_case_only_collisions(site, files, message):
    """Finding 15: `guide.md` + `Guide.md` passed and collide on macOS and Windows; so do output
    paths that differ only in case (or Unicode normalisation), wherever they come from."""
    root = site(files)
    assert errors_of(root) == [message]


def test_unicode_names_are_fine(site):
    """The policy refuses what cannot be a file or URL everywhere, not what is not ASCII."""
    root = site({**HOME,
                 "content/广东.md": page("Guangdong", "[a](指南/入门.md) [b](café.md) ![m](图/地图.png)"),
                 "content/指南/入门.md": page("Intro", slug="新型工业化"),
                 "content/café.md": page("Café", url="café/menu/"),
                 "content/图/地图.png": b"png",
                 "content/한국어.md": page("Korean", section="문서/안내"),
                 "static/字体/font.woff2": b"font"})
    build(load_config(root), jobs=1)
    out = root / "_site"
    for rel in ["广东/index.html", "指南/新型工业化/index.html", "café/menu/index.html", "图/地图.png",
                "한국어/index.html", "문서/안내/index.html", "字体/font.woff2"]:
        assert (out / rel).is_file(), rel
    home = (out / "广东/index.html").read_text()
    assert 'href="/%E6%8C%87%E5%8D%97/%E6%96%B0%E5%9E%8B%E5%B7%A5%E4%B8%9A%E5%8C%96/"' in home


# --- the policy against a plain reading of its rules, on arbitrary names ---------------------------

import unicodedata  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

WINDOWS = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{p}{n}" for p in ("COM", "LPT") for n in "0123456789¹²³"}


def reference_ok(rel: str) -> bool:
    """The rules of the README, one by one, with no shortcut."""
    if rel == "":
        return True
    if rel.startswith("/") or len(rel.encode("utf-8", "surrogatepass")) > 1000:
        return False
    for seg in (rel[:-1] if rel.endswith("/") else rel).split("/"):
        if (seg in ("", ".", "..") or seg.casefold() == ".git" or seg.endswith((".", " "))
                or any(unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") or 0x202A <= ord(c) <= 0x202E
                       or 0x2066 <= ord(c) <= 0x2069 or c in '#?:*"<>|\\' for c in seg)
                or seg.split(".")[0].rstrip(" ").upper() in WINDOWS
                or len(seg.encode("utf-8", "surrogatepass")) > 200):
            return False
    return True


NAMES = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["a", "B", "/", ".", "..", " ", "con", "Lpt1", "com¹", ".git", ".GiT", "x.y", "#", ":", "C:",
                              "\n", "\u2028", "\u202e", "\udcff", "\u00a0", "\u200d", "漢", "é", "e\u0301", "|", "\\",
                              "a" * 120, "?", "*", '"', "<", ">", "\x7f", "\x85", "~", "%", "\t"]),
             max_size=10).map("".join))


@settings(max_examples=1500, deadline=None)
@given(NAMES)
def test_the_policy_agrees_with_its_rules(rel):
    """Issue 12's hypothesis test, for names: whatever the string (url, slug, section, file name,
    figure id), the policy accepts it exactly when every rule does; an accepted name stays
    inside its folder."""
    assert (path_problem(rel) is None) == reference_ok(rel)
    if path_problem(rel) is None:
        import posixpath
        assert not posixpath.normpath("out/" + rel).startswith("../") and "/../" not in "/" + rel
    if "/" not in rel:
        assert (segment_problem(rel) is None) == (rel != "" and reference_ok(rel))


# --- the property test: arbitrary names through a whole build ------------------------------

from htmlscan import scan_site  # noqa: E402

FIELDS = st.sampled_from(["url", "slug", "section", "file name", "folder name", "figure id", "static name"])


def _site_with(tmp: Path, field: str, value: str) -> Path:
    meta: dict = {}
    files: dict[str, str | bytes] = {}
    name = "a.md"
    if field in ("url", "slug", "section"):
        meta[field] = value
    elif field == "figure id":
        meta["figures"] = [{"id": value, "value": 1, "label": "x", "text": "only", "source": "src#p1",
                            "kind": "count", "display": "1", "unit": "x"}]
    elif field == "file name":
        name = value + ".md"
    elif field == "folder name":
        name = value + "/a.md"
    else:
        files["static/" + value] = b"static"
    files[f"content/{name}"] = page("A", "[src](sources/src.md)", **meta)
    files["content/sources/src.md"] = page("Src", "The only paragraph.\n{: #p1 }", seed="seeds/none.txt")
    return write_site(tmp, files)


@settings(max_examples=60, deadline=None)
@given(FIELDS, NAMES)
def test_arbitrary_names_stay_inside_the_output_folder(tmp_path_factory, field, value):
    """Issue 12's property test: an arbitrary string as url, slug, section, file or folder name,
    static file name or figure id either stops the build with one line naming the file, or
    every output file is inside _site/ and every page parses with nothing the input did not
    legitimately create."""
    if field in ("file name", "folder name", "static name"):
        # what a file system can hold at all (no '/', NUL or lone surrogate; not too long to create)
        if not value or "/" in value or "\x00" in value or value in (".", "..") or \
                len(value.encode("utf-8", "surrogatepass")) > 240 or \
                any("\ud800" <= c <= "\udfff" for c in value):
            return
    root = _site_with(tmp_path_factory.mktemp("s"), field, value)
    try:
        build(load_config(root), jobs=1)
    except SiteError as e:
        assert "\n" not in str(e) and str(e).startswith(("content/", "static/")), str(e)
        assert not (root / "_site").exists()
        return
    out = (root / "_site").resolve()
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out)
        rel = p.relative_to(out).as_posix()
        assert path_problem(rel) is None or rel.startswith("pagefind/"), rel  # every name passes the policy
    assert scan_site(out) == []
    outside = [p for p in root.iterdir() if p.name not in ("_site", "content", "static", "site.yaml", ".cache")]
    assert outside == []  # nothing written beside the site's own folders
