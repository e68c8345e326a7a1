"""The render phase's cheap paths give the same HTML as the plain ones: ``site`` read as
attributes without a miss (render/view.py SiteView), elements made without escaping Markup
again or checking a name twice (render/elements.py), ``url`` and ``asset`` as filters that are
worked out when a page is rendered (render/templates.py unfolded)."""
from __future__ import annotations

import re

import jinja2
import pytest
from markupsafe import Markup

from site_builder.build import build
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


def test_a_filter_of_a_constant_follows_the_base_url_and_the_asset_version(site):
    """``'about/'|url`` and ``'x.css'|asset`` are worked out when a page is rendered, not when its
    template is compiled: the compiled template is kept from one build to the next (Jinja's
    bytecode cache), and it kept the first base path and the first version of the file."""
    root = site({"site.yaml": "title: T\nbase_url: https://example.org/a/\nsearch: false\n",
                 "content/hi.md": page("Hi", "Text."), "static/x.css": "a{}",
                 "templates/page.html": "{% extends 'base.html' %}{% block main %}"
                                        "<a id=\"t\" href=\"{{ 'about/'|url }}\" data-css=\"{{ 'x.css'|asset }}\" "
                                        "data-abs=\"{{ 'tags/'|abs_url }}\">About</a>{% endblock %}"})
    out = root / "_site/hi/index.html"

    def link() -> str:
        return re.search(r'<a id="t" [^>]*>', out.read_text(encoding="utf-8"))[0]

    build(load_config(root))
    first = link()
    assert re.fullmatch(r'<a id="t" href="/a/about/" data-css="/a/x\.css\?v=[0-9a-f]{10}" '
                        r'data-abs="https://example\.org/a/tags/">', first)
    build(load_config(root, base_url="https://example.net/b/"))
    assert link() == first.replace("/a/", "/b/").replace("example.org", "example.net")
    (root / "static/x.css").write_text("b{}", encoding="utf-8")
    build(load_config(root, base_url="https://example.net/b/"))
    assert link() != first.replace("/a/", "/b/").replace("example.org", "example.net")
    assert link().startswith('<a id="t" href="/b/about/" data-css="/b/x.css?v=')


def test_the_default_theme_calls_no_function_on_a_page(site):
    """url and asset as filters in the default theme: Jinja calls a filter directly, a function
    through Context.call (2-3 us a call, eight times a page)."""
    root = site({"site.yaml": "title: T\nbase_url: https://example.org/a/\nsearch: true\n",
                 "content/guides/hi.md": page("Hi", "Text.", tags=["x"], date="2024-01-02")})
    renderer = Renderer(load_site(load_config(root)))
    calls = []
    jinja_call = jinja2.runtime.Context.call

    def counting(self, obj, *args, **kwargs):
        calls.append(args)
        return jinja_call(self, obj, *args, **kwargs)

    jinja2.runtime.Context.call = counting
    try:
        html = renderer.render(renderer.site.routes["guides/hi/"])
    finally:
        jinja2.runtime.Context.call = jinja_call
    assert '<a href="/a/about/">About this site</a>' in html and 'action="/a/search/"' in html
    assert calls == []
