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


def test_page_toc_survives_the_workers_and_the_body_cache(site):
    """What the dev server does: workers kept from one build to the next (they keep the site), a
    template edit (every body from the body cache, none converted), then a page edit: every page
    shows its own headings each time, the edited one its new ones."""
    from site_builder.processes import Kept

    template = "{% for h in page.toc %}{{ h.id }}[{% for c in h.children %}{{ c.id }}{% endfor %}] {% endfor %}"
    pages = {f"content/p{n:02}.md": page(f"P{n}", f"Intro.\n\n## Part {n}\n\n### Step {n}\n\nText.") for n in range(70)}
    root = site({**pages, "content/plain.md": page("Plain", "No headings."), "templates/page.html": template},
                {**BASE_CONFIG, "themes": []})

    def tocs() -> dict[str, str]:
        return {p.parent.name: p.read_text().strip() for p in (root / "_site").glob("p[0-9]*/index.html")}

    expected = {f"p{n:02}": f"part-{n}[step-{n}]" for n in range(70)}
    kept = Kept(2)
    try:
        first = build(load_config(root), jobs=2, kept=kept)
        assert (first.converted, tocs()) == (71, expected)
        (root / "templates/page.html").write_text(template + "\n")
        again = build(load_config(root), jobs=2, kept=kept)
        assert (again.converted, again.cached, tocs()) == (0, 71, expected)
        (root / "content/p07.md").write_text(page("P7", "## Renamed\n\nText."))
        edited = build(load_config(root), jobs=2, kept=kept)
        assert edited.converted == 1 and tocs() == {**expected, "p07": "renamed[]"}
    finally:
        kept.close()
    assert (root / "_site/plain/index.html").read_text().strip() == ""


def test_page_toc_never_comes_from_a_build_with_other_markdown_extensions(site, tmp_path):
    """The body cache is one table for every output folder: a body converted with other Markdown
    extensions (here 'toc_depth: 1', into another folder) came back in the next build of _site,
    whose state was intact, and page.toc was empty (the bodies' key did not hold the extensions)."""
    template = "{% for h in page.toc %}{{ h.id }}[{% for c in h.children %}{{ c.id }}{% endfor %}] {% endfor %}"
    root = site({"content/a.md": page("A", "Intro.\n\n## Install it\n\n### On Linux\n\nText."),
                 "templates/page.html": template}, {**BASE_CONFIG, "themes": []})
    build(load_config(root))
    assert (root / "_site/a/index.html").read_text().strip() == "install-it[on-linux]"
    plain = (root / "site.yaml").read_text()
    (root / "site.yaml").write_text(plain + "markdown_extensions:\n  - toc:\n      toc_depth: 1\n")
    build(load_config(root), out=tmp_path / "other")
    assert (tmp_path / "other/a/index.html").read_text().strip() == ""     # no level-1 heading
    (root / "site.yaml").write_text(plain)
    (root / "templates/page.html").write_text(template + "\n<!-- v2 -->")  # the page again, its body from the cache
    result = build(load_config(root))
    assert result.converted == 0
    assert (root / "_site/a/index.html").read_text().split("<!--")[0].strip() == "install-it[on-linux]"


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
