"""Content written for other tools builds without hand-editing (issue 16): titles from front
matter, else the first `# Heading`, else the file name; YAML, TOML and MkDocs meta-data front
matter; unknown keys kept with a warning; README.md as a folder's index; clashes named by file;
and the bugs found importing real docs trees (e-mail autolinks, anchors, the cache after a warning)."""
import re

import pytest

from conftest import page, run, write_site
from test_cache import age
from site_builder.build import build
from site_builder.errors import SiteError, format_warning
from site_builder.model.config import load_config


def built(root, **kw):
    return build(load_config(root), **kw)


def warnings_of(result) -> list[str]:
    return [format_warning(w) for w in result.warnings]


def errors_of(root, **kw) -> list[str]:
    with pytest.raises(SiteError) as e:
        built(root, **kw)
    return str(e.value).splitlines()


def h1s(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def title_tag(html: str) -> str:
    return re.search(r"<title>(.*?) · ", html).group(1)


@pytest.mark.parametrize("text,title,headings", [
    # front matter wins; a body heading repeating it is not shown twice
    ("---\ntitle: Getting started\n---\n# Getting started\n\nText.\n", "Getting started", ["Getting started"]),
    # the text's only level-1 heading is the page's heading, even when the title says it otherwise
    # (Python-Markdown's docs): not shown under the title
    ("---\ntitle: Abbreviations Extension\n---\nAbbreviations\n=============\n\nText.\n```\n# code\n```\n",
     "Abbreviations Extension", ["Abbreviations Extension"]),
    # one of several level-1 headings is a part of the text: kept under the title
    ("---\ntitle: Authors\n---\n# Primary authors\n\nA.\n\n# Other contributors\n\nB.\n", "Authors",
     ["Authors", "Primary authors", "Other contributors"]),
    # no title: the first `# Heading`, shown once, its Markdown removed
    ("\n# The `mkdocs.yml` *file*\n\nText.\n", "The mkdocs.yml file", ["The mkdocs.yml file"]),
    ("Release notes\n=============\n\nText.\n", "Release notes", ["Release notes"]),
    # a heading after the first paragraph is not the page's title: the file name is
    ("Text first.\n\n# Later heading\n", "Change log", ["Change log", "Later heading"]),
    ("## Only a level-2 heading\n", "Change log", ["Change log"]),
    ("", "Change log", ["Change log"]),
])
def test_title_from_front_matter_else_first_heading_else_file_name(site, text, title, headings):
    root = site({"content/guides/change_log.md": text})
    built(root)
    html = (root / "_site/guides/change_log/index.html").read_text()
    assert title_tag(html) == title
    assert h1s(html) == headings


def test_a_title_from_the_heading_keeps_line_numbers(site):
    root = site({"content/a.md": "# Heading\n\n[x](missing.md)\n"})
    assert errors_of(root) == ["content/a.md:3: broken link: missing.md (no page content/missing.md)"]


def test_toml_front_matter(site):
    root = site({"content/posts/hello.md": '+++\ntitle = "Hello"\ndate = 2024-05-01\ntags = ["news", "go"]\n'
                                           'categories = ["x"]\n[extra]\nmood = "fine"\n+++\nBody text.\n'})
    result = built(root)
    assert warnings_of(result) == [
        "content/posts/hello.md:5: warning: front-matter key 'categories' is not one site_builder uses; "
        "it is kept in page.meta for templates"]
    html = (root / "_site/posts/hello/index.html").read_text()
    assert title_tag(html) == "Hello" and "Body text." in html and "+++" not in html
    assert '2024-05-01' in html
    assert (root / "_site/tags/news/index.html").exists() and (root / "_site/tags/go/index.html").exists()


@pytest.mark.parametrize("text,message", [
    ('+++\ntitle = "Hello\n+++\n', "content/a.md:2: invalid TOML: Illegal character '\\n' (column 15)"),
    ('+++\ntitle = "Hello"\ndate = 2024-13-45\n+++\n',
     "content/a.md:3: '2024-13-45' is not a valid date (the month must be 1 to 12); write a real date as "
     "YYYY-MM-DD, or put it in quotes if it is text"),
    ('+++\ntitle = "Hello"\nweight = "high"\n+++\n', "content/a.md:3: 'weight' must be a whole number, not a string"),
    ('+++\ntitle = "Hello"\n', "content/a.md:1: front matter starts here but is never closed; add a line with +++ after it"),
])
def test_toml_errors_name_the_line(site, text, message):
    assert errors_of(site({"content/a.md": text})) == [message]


def test_mkdocs_meta_data(site):
    root = site({"content/docs/meta.md": "Title:   Meta-Data Extension\ntoc_depth: 2\nTags: a, b c\n"
                                         "Summary: a summary that goes on\n    on a second line\n\nBody.\n"})
    result = built(root)
    assert warnings_of(result) == [
        "content/docs/meta.md:2: warning: front-matter key 'toc_depth' is not one site_builder uses; "
        "it is kept in page.meta for templates"]
    html = (root / "_site/docs/meta/index.html").read_text()
    assert title_tag(html) == "Meta-Data Extension"
    assert '<meta name="description" content="a summary that goes on on a second line">' in html
    assert "toc_depth" not in html and "<p>Body.</p>" in html
    assert (root / "_site/tags/a/index.html").exists() and (root / "_site/tags/b-c/index.html").exists()


@pytest.mark.parametrize("text", [
    "Note: this is a paragraph, not meta-data.\n\nMore.\n",           # no key site_builder knows
    "Title: looks like meta-data\nbut this line is not\n\nMore.\n",  # a line that is not `key: value`
    "Summary: fine\nsee http://example.org\n",
])
def test_a_first_paragraph_is_not_taken_for_meta_data(site, text):
    root = site({"content/notes.md": text})
    result = built(root)
    html = (root / "_site/notes/index.html").read_text()
    assert title_tag(html) == "Notes"
    first = text.split("\n")[0]
    assert first.split(": ")[1] in html and result.warnings == []


def test_meta_data_keys_match_known_keys_in_any_case(site):
    root = site({"content/a.md": "Title: A\nPublishDate: 2099-01-01\n\nText.\n"})
    result = built(root)
    assert result.warnings == [] and not (root / "_site/a/index.html").exists()  # published in 2099


def test_meta_data_values_are_checked_with_their_line(site):
    root = site({"content/a.md": "title: A\ndraft: perhaps\n\nText.\n"})
    assert errors_of(root) == ["content/a.md:2: 'draft' must be true or false, not a string"]
    root = site({"content/a.md": "title: A\ndate: 2024-13-45\n\nText.\n"})
    assert errors_of(root) == ["content/a.md:2: '2024-13-45' is not a valid date (the month must be 1 to 12); "
                               "write a real date as YYYY-MM-DD, or put it in quotes if it is text"]


def test_unknown_keys_are_kept_in_page_meta_with_a_warning(site):
    files = {"content/a.md": page("A", hide=["navigation"], titel="typo"),
             "templates/page.html": "{% extends 'base.html' %}{% block main %}"
                                    "<p id='hide'>{{ page.meta.hide|join(',') }}</p>{% endblock %}"}
    root = site(files)
    result = built(root)
    assert warnings_of(result) == [
        "content/a.md:3: warning: front-matter key 'hide' is not one site_builder uses; it is kept in page.meta "
        "for templates",
        "content/a.md:5: warning: front-matter key 'titel' is not one site_builder uses (did you mean 'title'?); "
        "it is kept in page.meta for templates"]
    assert "<p id='hide'>navigation</p>" in (root / "_site/a/index.html").read_text()


def test_strict_makes_a_warning_an_error_before_anything_is_written(site):
    root = site({"content/a.md": page("A", toc_depth=2)})
    assert errors_of(root, strict=True) == [
        "content/a.md:3: front-matter key 'toc_depth' is not one site_builder uses; it is kept in page.meta "
        "for templates (an error with --strict)"]
    assert not (root / "_site").exists()
    built(root)  # without --strict it builds, and the next --strict build (up to date) still fails
    assert len(errors_of(root, strict=True)) == 1
    r = run("build", "--strict", cwd=root)
    assert r.returncode == 1 and r.stderr.endswith("(an error with --strict)\n")


def test_known_keys_keep_their_types(site):
    root = site({"content/a.md": page("A", weight="heavy")})
    assert errors_of(root) == ["content/a.md:3: 'weight' must be a whole number, not a string"]


def test_readme_is_a_folders_index(site):
    root = site({"content/guide/README.md": "# The guide\n\nStart here: [install](install.md).\n",
                 "content/guide/install.md": page("Install"),
                 "content/README.md": page("Welcome", "Home text.")})
    built(root)
    guide = (root / "_site/guide/index.html").read_text()
    assert "Start here:" in guide and 'href="/guide/install/"' in guide
    assert not (root / "_site/guide/README").exists()
    assert "Home text." in (root / "_site/index.html").read_text()


def test_readme_and_index_in_one_folder_is_an_error_naming_both(site):
    root = site({"content/guide/README.md": page("Guide"), "content/guide/index.md": page("Guide")})
    assert errors_of(root) == [
        "content/guide/README.md: this folder has an index page already, content/guide/index.md; a README.md is "
        "the index of a folder without one: remove one of them, or rename the README (e.g. about.md)"]


def test_a_folder_clashing_with_a_generated_page_is_named_by_its_files(site, tmp_path):
    root = site({"content/tags/news.md": page("News", tags=["a"]), "content/tags/more.md": page("More")})
    assert errors_of(root) == [
        "content/tags/more.md: this page is in the folder content/tags/ (and 1 more), whose list page would be "
        "/tags/, the URL of the tag index; rename the folder (e.g. content/tags-pages/), or give its pages "
        "another 'section:'"]
    # the About page credits a site's source articles: there, an about/ folder clashes with it
    root = write_site(tmp_path / "articles", {"content/about/team.md": page("Team"),
                                              "content/sources/art.md": page("Art", seed="art.txt")})
    assert errors_of(root) == [
        "content/about/team.md: this page is in the folder content/about/, whose list page would be /about/, the "
        "URL of the About page; rename the folder (e.g. content/about-pages/), or give its pages another 'section:'"]


def test_an_about_folder_of_a_site_without_articles_is_its_about_section(site):
    root = site({"content/about/team.md": page("Team"), "content/about/index.md": page("About us", "We are few.")})
    built(root)
    assert "We are few." in (root / "_site/about/index.html").read_text()


# --- bugs ------------------------------------------------------------------------------------------


def test_an_email_autolink_is_a_mailto_link_not_a_broken_link(site):
    root = site({"content/a.md": page("A", "Write to <user@example.com> or <mailto:b@example.org>.")})
    result = built(root)
    assert result.warnings == []
    html = (root / "_site/a/index.html").read_text()
    hrefs = re.findall(r'<a href="(&#109;[^"]*)"', html)
    import html as h
    assert [h.unescape(x) for x in hrefs] == ["mailto:user@example.com", "mailto:b@example.org"]
    assert run("check", cwd=root).returncode == 0


def test_missing_anchors_are_warned_at_the_source_line_on_every_build(site):
    root = site({"content/a.md": page("A", "## Part one\n\n[ok](b.md#section-b) [ok](#part-one)\n\n"
                                            "[x](b.md#nope) and [y](#nope)\n\n[z](/b/#gone)"),
                 "content/b.md": page("B", "## Section B\n\nText.")})
    expected = [
        "content/a.md:8: warning: missing anchor: b.md#nope (no heading or id 'nope' on /b/); "
        "link to one of its headings' ids",
        "content/a.md:8: warning: missing anchor: #nope (no heading or id 'nope' on /a/); "
        "link to one of its headings' ids",
        "content/a.md:10: warning: missing anchor: /b/#gone (no heading or id 'gone' on /b/); "
        "link to one of its headings' ids"]
    assert warnings_of(built(root)) == expected
    assert warnings_of(built(root)) == expected  # up to date: repeated
    # the target changes, the linking page does not: checked against the new page
    (root / "content/b.md").write_text(page("B", "## Section B\n\n## Nope\n\n## Gone\n"))
    assert warnings_of(built(root)) == [expected[1]]
    assert len(errors_of(root, strict=True)) == 1


def test_a_code_span_over_two_lines_is_code_not_a_link(site):
    """Python-Markdown's docs (extensions/fenced_code_blocks.md:185): "...link to the code block
    with `" and, on the next line, "[link](#example)`." -- one code span: no link, no warning. A
    span ends with its paragraph (a blank line) and never leaves a heading."""
    root = site({"content/a.md": page("A", "The block's link is `\n[link](#example)` in code, so is `[x](gone.md)`.\n\n"
                                            "# A heading with a ` alone\n[a](#nope1) after it `\n\n"
                                            "An open ` here\n\ndoes not close: [b](#nope2) `")})
    missing = "content/a.md:{}: warning: missing anchor: #{} (no heading or id '{}' on /a/); link to one of its headings' ids"
    assert warnings_of(built(root)) == [missing.format(8, "nope1", "nope1"), missing.format(12, "nope2", "nope2")]
    html = (root / "_site/a/index.html").read_text()
    assert "<code>[link](#example)</code>" in html and 'href="#nope1"' in html and 'href="#nope2"' in html


def test_a_warning_leaves_the_build_cache_readable(site):
    root = site({"content/a.md": page("A", "[x](#nope)", toc_depth=2), "content/b.md": page("B")})
    first = built(root)
    assert len(first.warnings) == 2
    # a body-only edit (a new page would change every page's nav, and none would be reused)
    (root / "content/b.md").write_text(page("B", "Other words."))
    second = built(root)
    assert not any("unreadable" in str(w) for w in second.warnings)
    assert second.reused >= 1 and len(second.warnings) == 2


def test_an_impossible_date_is_one_line_with_the_file(site):
    root = site({"content/a.md": "---\ntitle: A\ndate: 2024-13-45\n---\nText.\n"})
    r = run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "content/a.md:3: '2024-13-45' is not a valid date (the month must be "
                                           "1 to 12); write a real date as YYYY-MM-DD, or put it in quotes if it is text\n")


def test_a_sentence_starting_with_a_reference_is_not_a_link_definition(site):
    # MkDocs' deploying-your-docs.md:11: "[types of GitHub Pages sites]: Project Pages sites, and ..."
    root = site({"content/a.md": page("A", "See [the types]: Project pages, and others.\n\n"
                                            "[the types]: https://example.org/types\n"
                                            "[gone]: missing.md \"A title\"")})
    assert errors_of(root) == ["content/a.md:7: broken link: missing.md (no page content/missing.md)"]
    root = site({"content/a.md": page("A", "[the types]: Project pages, and others.")})
    assert built(root).warnings == []


def test_a_folder_with_only_a_readme_is_a_leaf_bundle_like_one_with_only_an_index(site):
    root = site({"content/guide/solo/README.md": "# Solo\n\n![map](map.png)\n", "content/guide/solo/map.png": b"png",
                 "content/guide/other.md": page("Other")})
    built(root)
    guide = (root / "_site/guide/index.html").read_text()
    assert 'href="/guide/solo/"' in guide and 'href="/guide/other/"' in guide  # listed in its parent's section
    solo = (root / "_site/guide/solo/index.html").read_text()
    assert title_tag(solo) == "Solo" and 'src="/guide/solo/map.png"' in solo


def test_footnote_ids_are_stock_python_markdowns_so_links_to_them_from_mkdocs_work(site):
    """MkDocs (Python-Markdown's footnotes, stock options) gives [^note] the ids fn:note and
    fnref:note (fnref2:note for a second reference); content written there links to them."""
    root = site({"content/a.md": page("A", "Text[^note] and again[^note].\n\n[^note]: A note."),
                 "content/b.md": page("B", "[The note](a.md#fn:note), [where it is cited](a.md#fnref2:note).")})
    result = built(root)
    assert warnings_of(result) == []              # both anchors exist on /a/
    html = (root / "_site/a/index.html").read_text()
    assert '<sup id="fnref:note"><a class="footnote-ref" href="#fn:note">1</a></sup>' in html
    assert '<sup id="fnref2:note"><a class="footnote-ref" href="#fn:note">1</a></sup>' in html
    assert '<li id="fn:note">' in html
    assert '<a class="footnote-backref" href="#fnref:note"' in html and 'href="#fnref2:note"' in html
    b = (root / "_site/b/index.html").read_text()
    assert '<a href="/a/#fn:note">The note</a>' in b
    r = run("check", cwd=root)   # every id once on a page, every anchor found
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_lines_for_mkdocs_plugins_are_shown_as_text_with_a_warning_on_every_build(site):
    """MkDocs without the mkdocstrings plugin shows '::: package.module' as a paragraph, silently;
    site_builder does the same and says so, at the line (one warning a page: an API page holds
    dozens), on a warm build (from the cache) too; mkdocs-click's '::: mkdocs-click' and
    pymdownx.blocks' '/// name' and pymdownx.snippets' '--8<-- "file"' are named as such."""
    text = ("---\ntitle: API\n---\nIntro.\n\n::: markdown.extensions.toc\n    options:\n      show_source: false\n\n"
            "```\n::: in.a.code.block\n```\n\n## ::: markdown.Markdown\n\n::: {.note}\nA Pandoc div.\n:::\n")
    root = site({"content/api.md": text, "content/other.md": page("Other"),
                 "content/one.md": "# One\n\n::: markdown.util\n",
                 "content/cli.md": "# CLI\n\n::: mkdocs-click\n    :module: mkdocs.__main__\n",
                 "content/blocks.md": "# Blocks\n\n/// html | div.result\n*x*\n///\n\n```\n/// note\n```\n\n"
                                      "/// details | More\nText.\n///\n",
                 "content/snip.md": 'Before.\n\n--8<-- "CONTRIBUTING.md"\n'})
    age(root)   # (a file saved within the last two seconds is read again, never lent from the cache)
    does_not_run = ", which site_builder does not run; "
    api = "mkdocstrings' syntax (API documentation generated from source code by a MkDocs plugin)"
    expected = [
        "content/api.md:6: warning: '::: markdown.extensions.toc' and 1 more such line (to line 14) are " + api +
        does_not_run + "they are shown as text: write that documentation out, or remove them",
        "content/blocks.md:3: warning: '/// html | div.result' and 1 more such line (to line 11) are "
        "pymdownx.blocks' syntax (a generic block, '/// name | title' ... '///'), which site_builder does not "
        "support; they are shown as text: write the block in Markdown (an admonition, details, or HTML with "
        "allow_html), or remove them",
        "content/cli.md:3: warning: '::: mkdocs-click' is the mkdocs-click extension's syntax (a command-line "
        "reference generated from the program's code)" + does_not_run +
        "the line is shown as text: write that documentation out, or remove the line",
        "content/one.md:3: warning: '::: markdown.util' is " + api + does_not_run +
        "the line is shown as text: write that documentation out, or remove the line",
        "content/snip.md:3: warning: '--8<-- \"CONTRIBUTING.md\"' is pymdownx.snippets' syntax (another file's text "
        "included here), which site_builder does not run: it could copy any file of the disk into a page; the line "
        "is shown as text: copy the text in, or remove the line"]
    assert warnings_of(built(root)) == expected
    html = (root / "_site/api/index.html").read_text()
    assert "<p>::: markdown.extensions.toc\n    options:\n      show_source: false</p>" in html
    assert "<code>::: in.a.code.block\n</code>" in html
    assert "<p>/// html | div.result\n<em>x</em>\n///</p>" in (root / "_site/blocks/index.html").read_text()
    assert warnings_of(built(root)) == expected       # nothing changed: the last build's warnings
    (root / "content/other.md").write_text(page("Other", "Changed."))
    assert warnings_of(built(root)) == expected       # another page changed: the others' scans from the cache
    assert errors_of(root, strict=True) == [w.replace("warning: ", "") + " (an error with --strict)" for w in expected]
