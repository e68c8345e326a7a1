"""What templates see (issue 16): ``page.toc``, ``page.summary``, ``page.meta`` (a missing key is
false, not an error), and an undefined variable reported at the template's line and the page
being rendered."""
from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model.config import load_config
from site_builder.render.summary import MAX_SUMMARY

from conftest import BASE_CONFIG, page


def render_pages(site, template: str, pages: dict[str, str]) -> dict[str, str]:
    """Each page (content rel -> text) rendered by ``template`` as its page.html: rel -> output."""
    root = site({**pages, "templates/page.html": template}, {**BASE_CONFIG, "themes": []})
    build(load_config(root))
    return {rel: (root / "_site" / rel[len("content/"):-3] / "index.html").read_text(encoding="utf-8").strip()
            for rel in pages}


def test_page_toc_lists_the_headings_nested(site):
    template = ("{% for h in page.toc %}{{ h.level }} {{ h.name }} #{{ h.id }}"
                "[{% for c in h.children %}{{ c.level }} {{ c.name }} #{{ c.id }}{% endfor %}]\n{% endfor %}")
    out = render_pages(site, template, {
        "content/a.md": page("A", "Intro.\n\n## Install it\n\nText.\n\n### On Linux\n\nMore.\n\n## Use *it*\n\nEnd."),
        "content/b.md": page("B", "No headings.")})
    assert out["content/a.md"] == "2 Install it #install-it[3 On Linux #on-linux]\n2 Use it #use-it[]"
    assert out["content/b.md"] == ""


def test_page_summary_is_the_front_matter_s_else_the_first_paragraph(site):
    long = " ".join(f"word{i}" for i in range(100))
    out = render_pages(site, "[{{ page.summary }}]", {
        "content/own.md": page("Own", "The text.", summary="Said in the front matter."),
        "content/first.md": page("First", "# Title\n\nThe *first* paragraph, with [a link](own.md) and a note[^1].\n\n"
                                           "The second.\n\n[^1]: The note."),
        "content/code.md": page("Code", "```\ncode first\n```\n\n> quoted <b>\n\nThen & text."),
        "content/long.md": page("Long", long),
        "content/none.md": page("None", "## Only a heading"),
    })
    assert out["content/own.md"] == "[Said in the front matter.]"
    assert out["content/first.md"] == "[The first paragraph, with a link and a note.]"
    # the quote's paragraph is the first <p>: text of a blockquote counts, escaped by the template
    assert out["content/code.md"] == "[quoted &lt;b&gt;]"
    cut = long[:MAX_SUMMARY].rsplit(" ", 1)[0]
    assert out["content/long.md"] == f"[{cut}…]" and len(cut) <= MAX_SUMMARY
    assert out["content/none.md"] == "[]"


def test_page_meta_has_every_key_and_a_missing_one_is_false(site):
    template = ("{% if page.meta.kicker %}kicker={{ page.meta.kicker }}{% else %}no kicker{% endif %};"
                "[{{ page.meta.byline }}];{{ 'deep' if page.meta.extra.social.x else 'not deep' }};"
                "{{ page.meta.title }};{{ page.meta['weight'] if page.meta.weight is defined else 'no weight' }}")
    out = render_pages(site, template, {
        "content/a.md": page("A", kicker="News", weight=3, extra={"social": {"x": "@a"}}),
        "content/b.md": page("B")})
    assert out["content/a.md"] == "kicker=News;[];deep;A;3"
    assert out["content/b.md"] == "no kicker;[];not deep;B;no weight"


@pytest.mark.parametrize("template,message", [
    ("x\n\n{% if page.title == 'B' %}{{ nope }}{% endif %}",
     "templates/page.html:3: 'nope' is undefined; templates see 'page', 'site' and 'config' (rendering content/b.md)"),
    ("{{ site.titel }}",  # every page fails there: one line, for the first page by name
     "templates/page.html:1: this mapping has no key 'titel' (did you mean 'title'?); templates see 'page', 'site' "
     "and 'config' (rendering content/a.md, and 2 other pages)"),
])
def test_an_undefined_variable_names_the_template_line_and_the_page(site, template, message):
    with pytest.raises(SiteError) as e:
        render_pages(site, template, {"content/a.md": page("A"), "content/b.md": page("B"), "content/c.md": page("C")})
    assert str(e.value) == message
