"""The build engine, on small sites written into tmp_path."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, run, tree


def make_build(root: Path, **kw):
    return build(load_config(root, base_url=kw.pop("base_url", None)), **kw)


def errors_of(root: Path, **kw) -> list[str]:
    with pytest.raises(SiteError) as e:
        make_build(root, **kw)
    return str(e.value).splitlines()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src", "action") and v is not None:
                self.urls.append(v)


def internal_links(out: Path) -> dict[str, list[str]]:
    found = {}
    for f in out.rglob("*.html"):
        p = Links()
        p.feed(f.read_text())
        found[f.relative_to(out).as_posix()] = [u for u in p.urls if not re.match(r"^(https?:|mailto:|#)", u)]
    return found


def test_pretty_urls_sections_and_tags(site):
    root = site({
        "content/about-us.md": page("About us", tags=["News"]),
        "content/guides/first.md": page("First guide", date="2024-01-02", tags=["news", "howto"]),
        "content/guides/second.md": page("Second guide", date="2024-02-03"),
        "content/index.md": page("Welcome", "Hello **home**."),
    })
    result = make_build(root)
    out = root / "_site"
    for f in ["index.html", "about-us/index.html", "guides/first/index.html", "guides/index.html",
              "tags/index.html", "tags/news/index.html", "tags/howto/index.html", "404.html",
              "about/index.html", "sitemap.xml", "feed.xml", "robots.txt", ".nojekyll", "style.css"]:
        assert (out / f).is_file(), f
    assert "<strong>home</strong>" in (out / "index.html").read_text()
    listing = (out / "guides/index.html").read_text()
    assert listing.index("Second guide") < listing.index("First guide")  # newest first
    assert result.pages == sum(1 for _ in out.rglob("*.html"))


def test_two_builds_are_byte_identical(site, tmp_path):
    root = site({"content/a.md": page("A", "[b](b.md)", date="2024-01-01"), "content/b.md": page("B")})
    cfg = load_config(root)
    build(cfg, out=tmp_path / "one")
    build(cfg, out=tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_failed_build_leaves_previous_site_intact(site):
    root = site({"content/a.md": page("A"), "content/b.md": page("B")})
    make_build(root)
    before = tree(root / "_site")
    (root / "content/b.md").write_text("---\ntitle: [broken\n---\n")
    assert errors_of(root) == ["content/b.md:2: a [ list is never closed; add the closing ]"]
    assert tree(root / "_site") == before
    assert not [p for p in root.iterdir() if ".building-" in p.name]


def test_deleted_pages_do_not_survive(site):
    root = site({"content/a.md": page("A"), "content/b.md": page("B")})
    make_build(root)
    (root / "content/b.md").unlink()
    make_build(root)
    assert not (root / "_site/b").exists()
    assert (root / "_site/a/index.html").exists()


def test_sub_path_base_url_keeps_every_link_under_it(site):
    root = site({
        "content/a.md": page("A", "See [b](b.md#x), ![pic](img.png) and [root](/b/).", tags=["t"]),
        "content/b.md": page("B", "## X {: #x }"),
        "content/img.png": b"\x89PNG fake",
        "content/innovation/part.md": page("Part", "An innovation paragraph."),
    })
    make_build(root, base_url="https://user.github.io/repo/")
    links = internal_links(root / "_site")
    assert links and all(urls for urls in links.values())
    bad = {f: [u for u in urls if not u.startswith("/repo/")] for f, urls in links.items()}
    assert not any(bad.values()), bad
    a = (root / "_site/a/index.html").read_text()
    assert 'href="/repo/b/#x"' in a and 'src="/repo/img.png"' in a and 'href="/repo/b/"' in a
    assert (root / "_site/img.png").read_bytes() == b"\x89PNG fake"
    sitemap = (root / "_site/sitemap.xml").read_text()
    assert "<loc>https://user.github.io/repo/a/</loc>" in sitemap


def test_md_link_to_a_theme_part_goes_to_the_theme_page(site):
    root = site({"content/a.md": page("A", "[lab](innovation/lab.md)"),
                 "content/innovation/lab.md": page("Lab", "A laboratory.")})
    make_build(root)
    assert 'href="/innovation/#lab"' in (root / "_site/a/index.html").read_text()
    assert 'id="lab"' in (root / "_site/innovation/index.html").read_text()


@pytest.mark.parametrize("files,message", [
    ({"content/a.md": page("A", "x\n\n[b](missing.md)")},
     "content/a.md:6: broken link: missing.md (no page content/missing.md)"),
    ({"content/a.md": page("A", "![x](nope.png)")},
     "content/a.md:4: broken link: nope.png (no file content/nope.png); link to a .md page or to a file in content/ or static/"),
    ({"content/a.md": page("A", "[x](/nowhere/)")},
     "content/a.md:4: broken link: /nowhere/ is not a page or file of this site"),
    ({"content/a.md": page("A", slug="b"), "content/b.md": page("B")},
     "content/b.md:1: URL /b/ is also produced by content/a.md; rename one of them or give it a different slug"),
    ({"content/a.md": page("A", slug="../x")},
     "content/a.md:3: slug '../x' contains '/'; a slug is one path segment, e.g. slug: x"),
    ({"content/a.md": page("A", url="../../etc/")},
     "content/a.md:3: url '../../etc/' has a '..' segment, which leads out of its folder; use a path inside the site, e.g. url: etc/"),
    ({"content/a.md": page("A", url="/etc/passwd")},
     "content/a.md:3: url '/etc/passwd' must be relative to the site root, without a leading slash or scheme (e.g. url: etc/passwd/)"),
    ({"content/a.md": page("A", theme="inovation")},
     "content/a.md:3: unknown theme 'inovation' (did you mean 'innovation'?); themes are set in site.yaml"),
    ({"content/a.md": page("A", tags={"a": 1})},
     "content/a.md:3: 'tags' must be a list of strings, not a mapping"),
    ({"content/a.md": "---\ntitle:\n  - x\n  - y\n---\n"},
     "content/a.md:2: 'title' must be a string, not a list"),
])
def test_content_errors(site, files, message):
    assert errors_of(site(files)) == [message]


def test_every_problem_is_reported_once(site):
    root = site({"content/a.md": page("A", "[x](x.md)"), "content/b.md": page("B", "[y](y.md)")})
    assert errors_of(root) == ["content/a.md:4: broken link: x.md (no page content/x.md)",
                               "content/b.md:4: broken link: y.md (no page content/y.md)"]


def test_the_same_broken_link_in_two_pages_of_a_folder_is_reported_at_each(site):
    """Pages of one folder share their resolved links (a memo), but never a problem: each page
    that has it is told, at its own line."""
    root = site({"content/a.md": page("A", "[x](x.md)"), "content/b.md": page("B", "Text.\n\n[x](x.md)")})
    assert errors_of(root) == ["content/a.md:4: broken link: x.md (no page content/x.md)",
                               "content/b.md:6: broken link: x.md (no page content/x.md)"]


def test_drafts_only_with_drafts(site):
    root = site({"content/a.md": page("A", draft=True)})
    make_build(root)
    assert not (root / "_site/a").exists()
    make_build(root, drafts=True)
    assert (root / "_site/a/index.html").exists()


def test_static_files_nojekyll_and_cname(site):
    cfg = {**BASE_CONFIG, "cname": "docs.example.org"}
    root = site({"static/files/report.pdf": b"%PDF", "content/a.md": page("A", "[r](/files/report.pdf)")}, cfg)
    make_build(root)
    out = root / "_site"
    assert (out / "files/report.pdf").read_bytes() == b"%PDF"
    assert (out / "CNAME").read_text() == "docs.example.org\n"
    assert (out / ".nojekyll").exists()


def test_raw_html_is_escaped_and_script_links_dropped(site):
    root = site({"content/a.md": page("A", "<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
                                          "<b onclick=x>b</b>\n{: onclick=\"alert(2)\" }")})
    result = make_build(root)
    html = (root / "_site/a/index.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html and "<b onclick" not in html and 'onclick="alert(2)"' not in html
    assert [str(w) for w in result.warnings] == [
        "content/a.md:6: link to 'javascript:alert(1)' dropped: javascript:, vbscript: and data: links are not allowed"]


def test_allow_html(site):
    root = site({"content/a.md": page("A", "<div class=\"note\">kept</div>")}, {**BASE_CONFIG, "allow_html": True})
    make_build(root)
    assert '<div class="note">kept</div>' in (root / "_site/a/index.html").read_text()


@pytest.mark.parametrize("templates,message", [
    ({"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ page.title }\n{% endblock %}"},
     "templates/page.html:3: unexpected '}' in: {{ page.title }"),
    ({"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ page.titel }}\n{% endblock %}"},
     "templates/page.html:3: page has no attribute 'titel' (did you mean 'title'?); templates see 'page', 'site' and "
     "'config' (rendering content/a.md)"),
    ({"templates/page.html": "{% include 'nav.html' %}"},
     "templates/page.html:1: template 'nav.html' not found; create it in templates/ or fix the name"),
    ({"templates/page.html": "{% include 'a.html' %}", "templates/a.html": "x\n{% include 'b.html' %}",
      "templates/b.html": "{% include 'a.html' %}"},
     "templates/b.html:1: include loop: a.html → b.html → a.html; remove one of these includes"),
    # not Jinja's own errors: an operator or a filter failing on the values it was given
    ({"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ page.title | int + \"x\" }}\n{% endblock %}"},
     "templates/page.html:3: TypeError: unsupported operand type(s) for +: 'int' and 'str', in: "
     "{{ page.title | int + \"x\" }}; fix this line of the template (rendering content/a.md)"),
    ({"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n<p>\n{{ 1/0 }}</p>\n{% endblock %}"},
     "templates/page.html:4: ZeroDivisionError: division by zero, in: {{ 1/0 }}</p>; fix this line of the template "
     "(rendering content/a.md)"),
    ({"templates/page.html": "{{ page.title | round }}"},
     "templates/page.html:1: TypeError: type str doesn't define __round__ method, in: {{ page.title | round }}; "
     "fix this line of the template (rendering content/a.md)"),
])
def test_template_errors(site, templates, message):
    root = site({"content/a.md": page("A"), **templates})
    assert errors_of(root) == [message]


def test_a_template_failing_on_a_value_is_a_user_error_exit_1(site):
    root = site({"content/a.md": page("A"), "content/b.md": page("B"),
                 "templates/page.html": "{% extends 'base.html' %}\n{% block main %}{{ (page.title | length) / 0 }}{% endblock %}"})
    r = run("build", cwd=root)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("templates/page.html:2: ZeroDivisionError: division by zero, in: {% block main %}"
                        "{{ (page.title | length) / 0 }}{% endblock %}; fix this line of the template "
                        "(rendering content/a.md, and 1 other page)\n")


def test_missing_page_template(site):
    root = site({"content/a.md": page("A", template="fancy.html")})
    assert errors_of(root) == ["content/a.md:3: template 'fancy.html' not found; create it in templates/ or fix the name"]


def test_refuses_to_replace_a_folder_it_did_not_make(site, tmp_path):
    root = site({"content/a.md": page("A")})
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious/thesis.txt").write_text("years of work")
    with pytest.raises(SiteError) as e:
        build(load_config(root), out=tmp_path / "precious")
    assert "was not made by site-builder" in str(e.value)
    assert (tmp_path / "precious/thesis.txt").read_text() == "years of work"
