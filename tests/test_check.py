"""``check``: each kind of defect planted in a hand-written site, the exact messages;
the real seed site and the CLI."""
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.commands import check as check_module
from site_builder.commands.check import check_site
from site_builder.model.config import load_config

from conftest import ROOT, page, run, write_site

BASE = "https://u.github.io/repo/"


def doc(body: str = "", *, title: str = "<title>T</title>", lang: str = ' lang="en"',
        meta: str = '<meta name="description" content="D">') -> str:
    """A page whose body starts on line 8: line 2 is <html>, 4 the title, 5 the description."""
    return (f"<!doctype html>\n<html{lang}>\n<head>\n{title}\n{meta}\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


CLEAN = {
    "index.html": doc(
        '<a href="/repo/a/">a</a> <a href="a/#sec">sec</a> <a href="/repo/a/#sec">sec</a>'
        ' <a href="#top">top</a> <a href="#">#</a> <a href="#here" id="here">here</a>\n'
        '<a href="/repo/a">a, redirected</a> <a href="/repo/page">page.html</a> <a href="page.html">page</a>'
        ' <a href="https://u.github.io/repo/a/">absolute</a> <a href="https://u.github.io/repo">home</a>'
        ' <a href="/repo/caf%C3%A9/">café</a> <a href="a/#caf%C3%A9">anchor</a>\n'
        '<link rel="stylesheet" href="style.css?v=123"> <script src="/repo/app.js"></script>'
        ' <img src="img.png" srcset="img.png 1x, /repo/img.png 2x" alt="">'
        ' <img src="data:image/png;base64,AAAA" srcset="data:image/png;base64,A,B 2x" alt="dot">\n'
        '<a href="https://example.com/x/">other host</a> <a href="//cdn.example.com/x.js">cdn</a>'
        ' <a href="https://u.github.io/other/">another project</a> <a href="mailto:a@b.c">mail</a>'
        ' <a href="tel:+1">tel</a> <a name="old">old</a> <a href="#old">old</a>\n'
        '<form action="/repo/search/" method="get"></form> <form action="/post" method="post"></form>'
        ' <video src="v.mp4" poster="img.png"></video>\n'
        '<svg><title>a chart</title></svg> <p id="x">x</p> <a href="pagefind/x.js">pf</a>\n'
        """<script>let s = '<p><a href="/repo/nope/"></p>';</script> <style>a::after{content:"<p>"}</style>"""),
    "upper.html": '<!DOCTYPE html>\n<HTML LANG="en"><HEAD><TITLE>T</TITLE>\n'
                  '<META NAME="Description" CONTENT="D"></HEAD><BODY><IMG SRC="img.png" ALT=""></BODY></HTML>\n',
    "a/index.html": doc('<h2 id="sec">Section</h2> <h2 id="café">Café</h2> <a href="../">up</a>'),
    "café/index.html": doc("café"),
    "page.html": doc('<a href="a/">a</a>'),
    "search/index.html": doc("search"),
    "404.html": doc('<a href="/repo/">home</a> <main id="main">skip</main>', meta=""),
    "pagefind/x.js": "", "pagefind/broken.html": "<a href=/nowhere/>", "style.css": "", "app.js": "",
    "img.png": "", "v.mp4": "",
    "sitemap.xml": '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                   "  <url><loc>https://u.github.io/repo/</loc></url>\n"
                   "  <url><loc>https://u.github.io/repo/a/</loc></url>\n</urlset>\n",
    "feed.xml": '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                '  <link rel="self" href="https://u.github.io/repo/feed.xml"/>\n'
                '  <entry><link href="https://u.github.io/repo/a/#sec"/></entry>\n</feed>\n',
}


def check(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """The messages for a site folder made of CLEAN with ``files`` written over it."""
    (tmp_path / "site.yaml").write_text(f"title: T\nbase_url: {BASE}\n")
    out = tmp_path / "_site"
    for rel, text in {**CLEAN, **files}.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    return [str(e) for e in check_site(load_config(tmp_path), out)]


def test_a_clean_site_has_no_problems(tmp_path):
    assert check(tmp_path, {}) == []


DEFECTS = {
    "broken href": (
        {"index.html": doc('<a href="/repo/missing/">x</a>\n<a href="/repo/gone">y</a>')},
        ["_site/index.html:8: broken link: /repo/missing/ (no file missing/index.html)",
         "_site/index.html:9: broken link: /repo/gone (no file gone, gone.html or gone/index.html)"]),
    "broken relative href": (
        {"a/index.html": doc('<h2 id="sec">S</h2> <h2 id="café">C</h2> <link rel="stylesheet" href="../missing.css?v=1">')},
        ["_site/a/index.html:8: broken link: ../missing.css?v=1 (no file missing.css)"]),
    "broken absolute href": (
        {"index.html": doc('<a href="https://u.github.io/repo/nope/">x</a>')},
        ["_site/index.html:8: broken link: https://u.github.io/repo/nope/ (no file nope/index.html)"]),
    "broken src": (
        {"index.html": doc('<img src="pic.png" alt="">\n<script src="/repo/x.js"></script>')},
        ["_site/index.html:8: broken link: pic.png (no file pic.png)",
         "_site/index.html:9: broken link: /repo/x.js (no file x.js)"]),
    "broken srcset candidate": (
        {"index.html": doc('<picture><source srcset="img.png 1x,big.png 2x">\n'
                           '<img src="img.png" srcset="img.png 480w, /repo/huge.png 960w" alt=""></picture>')},
        ["_site/index.html:8: broken link: big.png (no file big.png)",
         "_site/index.html:9: broken link: /repo/huge.png (no file huge.png)"]),
    "broken poster and GET form action": (
        {"index.html": doc('<video src="v.mp4" poster="/repo/p.jpg"></video>\n'
                           '<form action="/repo/find/"></form> <form method="POST" action="/repo/post/"></form>')},
        ["_site/index.html:8: broken link: /repo/p.jpg (no file p.jpg)",
         "_site/index.html:9: broken link: /repo/find/ (no file find/index.html)"]),
    "missing anchor on another page": (
        {"index.html": doc('<a href="a/#nope">x</a>\n<a href="/repo/a/#caf%C3%A9s">y</a>')},
        ['_site/index.html:8: missing anchor: a/#nope (no id="nope" in a/index.html)',
         '_site/index.html:9: missing anchor: /repo/a/#caf%C3%A9s (no id="cafés" in a/index.html)']),
    "missing anchor on the same page": (
        {"index.html": doc('<a href="#nope">x</a>')},
        ['_site/index.html:8: missing anchor: #nope (no id="nope" in index.html)']),
    "root-relative link outside the base path": (
        {"index.html": doc('<a href="/about/">x</a>\n<a href="../../up/">y</a>'),
         "about/index.html": doc("about")},
        ["_site/index.html:8: link /about/ is outside the base path /repo/",
         "_site/index.html:9: link ../../up/ is outside the base path /repo/"]),
    "duplicate id": (
        {"index.html": doc('<p id="x">a</p>\n<svg><g id="x"></g></svg>')},
        ['_site/index.html:9: duplicate id "x" (first on line 8)']),
    "missing title": (
        {"index.html": doc("x", title="")},
        ["_site/index.html:2: page has no <title>"]),
    "empty title": (
        {"index.html": doc("<svg><title>chart</title></svg>", title="<title> </title>")},
        ["_site/index.html:4: <title> is empty"]),
    "missing lang": (
        {"index.html": doc("x", lang="")},
        ["_site/index.html:2: <html> has no lang attribute"]),
    "missing description": (
        {"index.html": doc("x", meta=""), "a/index.html": doc('<p id="sec">', meta='<meta name="description">')},
        ["_site/a/index.html:5: meta description is empty",
         "_site/index.html:2: page has no meta description"]),
    "404 page needs title and lang": (
        {"404.html": doc("x", title="", lang="", meta="")},
        ["_site/404.html:2: page has no <title>", "_site/404.html:2: <html> has no lang attribute"]),
    "404 page with a relative link": (
        {"404.html": doc('<a href="a/">a</a>\n<a href="/repo/nope/">b</a>', meta="")},
        ["_site/404.html:8: relative link a/ breaks when 404.html is served for a missing page "
         "in a subfolder; use a root-relative URL",
         "_site/404.html:9: broken link: /repo/nope/ (no file nope/index.html)"]),
    "img without alt": (
        {"index.html": doc('<img src="img.png">\n<p><img></p>')},
        ["_site/index.html:8: <img> has no alt attribute", "_site/index.html:9: <img> has no alt attribute"]),
    "javascript: link": (
        {"index.html": doc('<a href="JavaScript:void(0)">x</a>')},
        ["_site/index.html:8: javascript: URL in <a href>: javascript:, vbscript: and data: links are not allowed"]),
    "javascript: src and formaction": (
        {"index.html": doc('<img src="javascript:x" alt="a">\n<button formaction="vbscript:x">b</button>')},
        ["_site/index.html:8: javascript: URL in <img src>: javascript:, vbscript: and data: links are not allowed",
         "_site/index.html:9: vbscript: URL in <button formaction>: javascript:, vbscript: and data: links are not "
         "allowed"]),
    "bad sitemap loc": (
        {"sitemap.xml": '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        "  <url><loc>/repo/a/</loc></url>\n"
                        "  <url><loc>https://u.github.io/repo/gone/</loc></url>\n"
                        "  <url><loc>http://u.github.io/repo/a/</loc></url>\n</urlset>\n"},
        ["_site/sitemap.xml:3: <loc> /repo/a/ is not under https://u.github.io/repo/",
         "_site/sitemap.xml:4: broken link: https://u.github.io/repo/gone/ (no file gone/index.html)",
         "_site/sitemap.xml:5: <loc> http://u.github.io/repo/a/ is not under https://u.github.io/repo/"]),
    "bad feed link": (
        {"feed.xml": '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                     '  <entry><link href="https://u.github.io/repo/a/#gone"/></entry>\n'
                     '  <entry><link href="/x/"/></entry>\n</feed>\n'},
        ['_site/feed.xml:3: missing anchor: https://u.github.io/repo/a/#gone (no id="gone" in a/index.html)',
         "_site/feed.xml:4: link /x/ is outside the base path /repo/"]),
    "malformed sitemap": (
        {"sitemap.xml": '<?xml version="1.0"?>\n<urlset>\n<url><loc>x</url>\n</urlset>\n'},
        ["_site/sitemap.xml:3: not well-formed XML: mismatched tag"]),
}


@pytest.mark.parametrize("files, expected", DEFECTS.values(), ids=DEFECTS.keys())
def test_each_defect_is_one_exact_message(tmp_path, files, expected):
    assert check(tmp_path, files) == expected


def test_a_page_the_parser_gives_up_on_is_a_problem_not_a_crash(tmp_path):
    page = doc("<p>\n<![foo[ x ]]>")
    messages = check(tmp_path, {"index.html": page})
    # Python 3.11's HTMLParser gives up on an unknown <![…]> section (an AssertionError); a later
    # one may read on: then the page is fine. Which one this Python has is asked of it directly.
    try:
        HTMLParser().feed(page)
        gives_up = False
    except AssertionError:
        gives_up = True
    if gives_up:
        assert len(messages) == 1 and messages[0].startswith("_site/index.html:9: cannot parse the page: ")
    else:
        assert messages == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="parses in parallel only with two cores or more")
def test_a_big_site_parses_in_parallel_with_the_same_messages(tmp_path, monkeypatch):
    pools = []

    class Pool(check_module.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(check_module, "_PARALLEL_FROM", 2)
    monkeypatch.setattr(check_module, "ProcessPoolExecutor", Pool)
    for name in ("broken href", "missing anchor on another page", "missing description", "bad sitemap loc"):
        files, expected = DEFECTS[name]
        (tmp_path / name).mkdir()
        assert check(tmp_path / name, files) == expected
    assert len(pools) == 4


@pytest.fixture(scope="module")
def seed_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("seed")
    text = (ROOT / "site.yaml").read_text().replace("search: true", "search: false")
    assert "search: false" in text
    (root / "site.yaml").write_text(text)
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root


@pytest.mark.parametrize("base_url", [BASE, "http://127.0.0.1:8000/"])
def test_the_real_seed_site_is_clean(seed_root, tmp_path, base_url):
    config = load_config(seed_root, base_url=base_url)
    out = build(config, out=tmp_path / "out").out
    assert len(list(out.rglob("*.html"))) > 5
    assert [str(e) for e in check_site(config, out)] == []


def test_cli_check_clean_then_broken(tmp_path):
    root = write_site(tmp_path / "site", {"content/a.md": page("A")})
    assert run("build", cwd=root).returncode == 0
    r = run("check", cwd=root)
    assert (r.returncode, r.stdout, r.stderr) == (0, "No problems found in _site/\n", "")

    (root / "_site/extra.html").write_text(doc('<a href="/gone/">x</a>\n<img src="/a/">'))
    r = run("check", cwd=root)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.splitlines() == [
        "_site/extra.html:8: broken link: /gone/ (no file gone/index.html)",
        "_site/extra.html:9: <img> has no alt attribute",
        "2 problems in _site/",
    ]


def test_build_strict_fails_on_a_template_that_writes_a_broken_link(tmp_path):
    template = ('{% extends "base.html" %}\n{% block main %}<a href="{{ url(\'nowhere/\') }}">x</a>'
                "{% endblock %}\n")
    root = write_site(tmp_path / "site", {"content/a.md": page("A"), "templates/page.html": template})
    assert run("build", cwd=root).returncode == 0  # without --strict the build succeeds
    r = run("build", "--strict", cwd=root)
    assert r.returncode == 1
    assert re.fullmatch(r"_site/a/index\.html:\d+: broken link: /nowhere/ \(no file nowhere/index\.html\)\n"
                        r"1 problem in _site/\n", r.stderr), r.stderr
