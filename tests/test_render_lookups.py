"""The render phase's cheap paths give the same HTML as the plain ones: ``site`` read as
attributes without a miss (render/view.py SiteView), elements made without escaping Markup
again or checking a name twice (render/elements.py)."""
from __future__ import annotations

import pytest
from markupsafe import Markup

from site_builder.model.config import load_config
from site_builder.model.site import load_site
from site_builder.render.context import Renderer
from site_builder.render.elements import empty, tag

from conftest import page


def test_a_content_page_reads_site_without_a_missed_attribute(site):
    """Jinja reads ``site.title`` as an attribute first, then as a key: every read of a plain
    dict missed (an AttributeError raised and caught, 15 times the cost of a hit)."""
    root = site({"site.yaml": "title: Docs & more\nbase_url: https://example.org/\nsearch: true\n",
                 "content/guides/install.md": page("Install", "Get it.", tags=["setup"]),
                 "content/guides/usage.md": page("Usage", "Use it."),
                 "content/blog/new.md": page("New", "News.", date="2024-03-01")})
    renderer = Renderer(load_site(load_config(root)))
    view = renderer.site_view
    for key, value in view.items():
        assert getattr(view, key) is value, key
    env, missed = renderer.env, []
    lookup = env.getattr

    def counting(obj, attribute):
        try:
            getattr(obj, attribute)
        except AttributeError:
            missed.append((type(obj).__name__, attribute))
        return lookup(obj, attribute)

    env.getattr = counting
    html = renderer.render(renderer.site.routes["guides/usage/"])
    assert "<title>Usage · Docs &amp; more</title>" in html and 'aria-label="Section: Guides"' in html
    assert missed == []


def test_an_element_escapes_text_and_keeps_markup():
    li = tag("li", None, tag("a", {"href": '/a"b/?x=1&y=2', "aria-current": None, "rel": "external"}, "A <b>"),
             Markup("<ul><li>x</li></ul>"), "&")
    assert li == ('<li><a href="/a&#34;b/?x=1&amp;y=2" rel="external">A &lt;b&gt;</a>'
                  '<ul><li>x</li></ul>&amp;</li>')
    assert type(li) is Markup
    assert tag("p") == "<p></p>" and tag("p", {}, 3) == "<p>3</p>"
    assert empty("rect", {"width": 2, "title": "<'>"}) == '<rect width="2" title="&lt;&#39;&gt;"/>'


@pytest.mark.parametrize("name", ["a onclick", "li>", "", "1x"])
def test_a_bad_name_is_refused_every_time(name):
    tag("a")  # a good name, checked once
    for _ in range(2):  # refused, and not remembered as checked
        with pytest.raises(ValueError, match="not an HTML name"):
            tag(name)
        with pytest.raises(ValueError, match="not an HTML name"):
            tag("a", {name: "x"})
