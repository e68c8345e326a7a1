"""The unsafe-URL policy (model/urls.py) and the sanitiser (render/sanitise.py), one rule per
case, expectations written from the input. Fast: Markdown only, no site built, so `make mutate`
can run them against every mutant of these modules."""
from __future__ import annotations

import re

import pytest
from markdown.util import AMP_SUBSTITUTE

from site_builder.model.urls import UnsafeUrl, clean_rel, is_unsafe_target, unsafe_scheme
from site_builder.render.markdown import Converter
from site_builder.render.linking import PageHooks


@pytest.mark.parametrize("rel,expected", [
    ("a/b/", "a/b/"),
    ("a/b", "a/b"),
    ("/a/b/", "a/b/"),
    ("a/./b/", "a/b/"),
    ("a//b/", "a/b/"),
    ("./", ""),
    ("/", ""),                 # the home page: not "/"
    ("", ""),
    ("a/b/#top", "a/b/#top"),
    ("a:b/", "a:b/"),          # a colon inside a segment is a character of the path
    ("x/mailto:y", "x/mailto:y"),
    ("X-ray/Xx/", "X-ray/Xx/"),  # letters of any case are just letters
])
def test_clean_rel_normalises(rel, expected):
    assert clean_rel(rel) == expected


@pytest.mark.parametrize("rel", [
    "../a/", "a/../../b", "a\\b", "a\x00b", "//evil.example/x", "http://evil.example/",
    "https:\\\\evil.example", " javascript:alert(1)", "JavaScript:alert(1)", "vbscript:x", "data:text/html,x",
])
def test_clean_rel_refuses_what_leaves_the_site(rel):
    with pytest.raises(UnsafeUrl) as e:
        clean_rel(rel)
    assert str(e.value) == rel


@pytest.mark.parametrize("url,expected", [
    ("javascript:alert(1)", "javascript"),
    ("JAVASCRIPT:alert(1)", "javascript"),
    ("  vbscript:msgbox(1)", "vbscript"),
    ("data:image/svg+xml;base64,PHN2Zz4=", "data"),
    ("java\tscript:alert(1)", "javascript"),    # a browser skips tabs and newlines in a scheme
    ("java\nscript:alert(1)", "javascript"),
    ("\x01javascript:alert(1)", "javascript"),
    ("jav\x7fascript:x", "javascript"),
    ("https://example.org/", None),
    ("/a/javascript:x", None),
    ("notjavascript:x", None),
    ("mailto:a@example.org", None),
])
def test_unsafe_scheme(url, expected):
    assert unsafe_scheme(url) == expected


@pytest.mark.parametrize("target,expected", [
    ("&#106;avascript:alert(1)", True),                    # entities decoded as a browser does
    (f"{AMP_SUBSTITUTE}#106;avascript:alert(1)", True),    # Markdown's placeholder for '&'
    ("&#x64;ata:text/html,x", True),
    ("https://example.org/?a=1&b=2", False),
    ("b.md", False),
])
def test_is_unsafe_target(target, expected):
    assert is_unsafe_target(target) is expected


def _html(body: str, allow_html: bool = False) -> str:
    return Converter(allow_html).convert(body, PageHooks())[0]


def _attrs(html: str, tag: str) -> list[str]:
    """The attribute names of the first ``tag``, in order."""
    m = re.search(rf"<{tag}\b([^>]*)>", html)
    assert m, html
    return re.findall(r'\s([^\s=]+)="', m.group(1))


# written out by hand: the attributes a browser loads or follows as a URL
URL_ATTRIBUTES = ["srcset", "xlink:href", "action", "formaction", "poster", "data", "background", "cite",
                  "longdesc", "ping", "manifest", "codebase", "archive", "classid", "usemap", "lowsrc", "dynsrc",
                  "icon", "profile", "itemtype"]


@pytest.mark.parametrize("name", URL_ATTRIBUTES)
def test_every_url_attribute_loses_an_unsafe_url(name):
    html = _html(f'Text\n{{: {name}="javascript:window.pwned=1" class="k" }}')
    assert _attrs(html, "p") == ["class"]
    assert "javascript" not in html


@pytest.mark.parametrize("name", [n for n in URL_ATTRIBUTES if n != "formaction"])
def test_a_safe_url_attribute_is_kept(name):
    html = _html(f'Text\n{{: {name}="https://example.org/x" }}')
    assert f'{name}="https://example.org/x"' in html


@pytest.mark.parametrize("name", ["href", "src"])
def test_href_and_src_are_left_to_the_pages_hooks(name):
    """Links are resolved (or dropped) by the page's hooks, not by the attribute rule."""
    seen = []
    hooks = PageHooks(resolve=lambda target: seen.append(target) or "/resolved/")
    tag = "a" if name == "href" else "img"
    body = '[x](b.md){: title="t" }' if name == "href" else '![i](b.png){: title="t" }'
    html = Converter().convert(body, hooks)[0]
    assert seen == ["b.png" if name == "src" else "b.md"]
    assert f'{name}="/resolved/"' in html and tag in html


def test_a_link_the_hooks_refuse_loses_its_href():
    html = Converter().convert("[x](b.md)", PageHooks(resolve=lambda target: None))[0]
    assert html == "<p><a>x</a></p>"


def test_an_ampersand_in_a_link_reaches_the_hooks_as_written():
    seen = []
    Converter().convert("[x](b.md?a=1&b=2)", PageHooks(resolve=lambda t: seen.append(t) or t))
    assert seen == ["b.md?a=1&b=2"]


def test_srcset_with_one_unsafe_candidate_is_dropped():
    html = _html('![i](b.png){: srcset="a.png 1x, javascript:x 2x" }')
    assert "srcset" not in html
    html = _html('![i](b.png){: srcset="a.png 1x,c.png 2x" }')
    assert 'srcset="a.png 1x,c.png 2x"' in html


@pytest.mark.parametrize("name", ["onclick", "onmouseover", "ONLOAD", "style", "srcdoc", "formaction"])
def test_handlers_and_styles_are_removed(name):
    html = _html(f'Text\n{{: {name}="x()" class="k" }}')
    assert _attrs(html, "p") == ["class"]


@pytest.mark.parametrize("name", ["onclick", "style", "srcdoc"])
def test_allow_html_keeps_handlers_and_styles(name):
    html = _html(f'Text\n{{: {name}="x()" }}', allow_html=True)
    assert _attrs(html, "p") == [name]


@pytest.mark.parametrize("name", ["cite", "formaction"])
def test_allow_html_still_removes_unsafe_urls(name):
    html = _html(f'Text\n{{: {name}="javascript:x" }}', allow_html=True)
    assert _attrs(html, "p") == []


def test_attribute_names_are_folded_to_lower_case():
    html = _html('Text\n{: CLASS="k" Title="t" }')
    assert _attrs(html, "p") == ["class", "title"]


def test_a_capitalised_name_replaces_the_lower_case_one():
    html = _html('[x](b.md){: TITLE="mine" }\n', allow_html=False)
    assert _attrs(html, "a") == ["href", "title"] and 'title="mine"' in html
    html = _html('Text\n{: title="first" TITLE="second" }')
    assert 'title="second"' in html and "first" not in html
    html = _html('Text\n{: TITLE="first" title="second" }')
    assert 'title="first"' in html and "second" not in html  # Markdown's own names are lower case


# --- provenance marks, "used in" notes and lists split at a source paragraph (sanitise.py) ------

def _hooks() -> PageHooks:
    """A page citing the source 's' (paragraph n → id p-pn, its URL and label); 'x' is unknown.
    The page's own paragraph p3 is used by two theme pages."""
    def provenance(ref: str):
        slug, _, n = ref.partition("#")
        return (f"p-{n}", f"/sources/s/#{n}", "Source: s") if slug == "s" else None
    return PageHooks(provenance=provenance, usage={"p3": [("Theme A", "/a/"), ("Theme B", "/b/")]})


MARK1 = '<a aria-label="Source: s" class="prov" href="/sources/s/#p1">¶1</a>'
MARK2 = '<a aria-label="Source: s" class="prov" href="/sources/s/#p2">¶2</a>'


@pytest.mark.parametrize("body,expected", [
    ('Text one.\n{: data-src="s#p1" }', f'<p data-src="s#p1" id="p-p1">Text one.{MARK1}</p>'),
    ('Text.\n{: data-src="x#p1" }', '<p data-src="x#p1">Text.</p>'),   # an unknown source: no mark
    ('Text.\n{: id="keep" data-src="s#p2" }', f'<p data-src="s#p2" id="keep">Text.{MARK2}</p>'),
    ('Text.\n{: #p3 }', '<p id="p3">Text.<span class="used-in">Used in: <a href="/a/">Theme A</a>, '
                        '<a href="/b/">Theme B</a></span></p>'),
    ('Text.\n{: #p4 }', '<p id="p4">Text.</p>'),
    # a list whose second item starts another source paragraph: two lists, items tight
    ('- a\n{: data-src="s#p1" }\n\n- b\n{: data-src="s#p2" }',
     f'<ul>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">b{MARK2}</li>\n</ul>'),
    ('- a\n{: data-src="s#p1" }\n\n- b\n\n- c\n{: data-src="s#p2" }',
     f'<ul>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n<li>b</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">c{MARK2}</li>\n</ul>'),
    ('- a\n- b\n{: data-src="s#p1" }', f'<ul>\n<li>a</li>\n</ul>\n<ul><li data-src="s#p1" id="p-p1">b{MARK1}</li>\n</ul>'),
    ('- a\n\n- b', '<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>'),  # no source: left loose
])
def test_provenance_marks_used_in_notes_and_split_lists(body, expected):
    assert Converter().convert(body, _hooks())[0] == expected


MARK3 = '<a aria-label="Source: s" class="prov" href="/sources/s/#p3">¶3</a>'


@pytest.mark.parametrize("body,expected", [
    # three sources in one list, then a paragraph: three lists in order, the paragraph last
    ('- a\n{: data-src="s#p1" }\n\n- b\n{: data-src="s#p2" }\n\n- c\n{: data-src="s#p3" }\n\nAfter.',
     f'<ul>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">b{MARK2}</li>\n</ul>\n'
     f'<ul><li data-src="s#p3" id="p-p3">c{MARK3}</li>\n</ul>\n<p>After.</p>'),
    # four sources: each list ends where the next source starts
    ('- a\n{: data-src="s#p1" }\n\n- b\n{: data-src="s#p2" }\n\n- c\n{: data-src="s#p3" }\n\n- d\n\n'
     '- e\n{: data-src="s#p4" }',
     f'<ul>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">b{MARK2}</li>\n</ul>\n'
     f'<ul><li data-src="s#p3" id="p-p3">c{MARK3}</li>\n<li>d</li>\n</ul>\n'
     '<ul><li data-src="s#p4" id="p-p4">e<a aria-label="Source: s" class="prov" href="/sources/s/#p4">¶4</a></li>\n</ul>'),
    # numbered lists split the same way
    ('1. a\n{: data-src="s#p1" }\n\n2. b\n{: data-src="s#p2" }',
     f'<ol>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n</ol>\n'
     f'<ol><li data-src="s#p2" id="p-p2">b{MARK2}</li>\n</ol>'),
    # an item's inline markup stays when the item is made tight
    ('- a *b*\n{: data-src="s#p1" }\n\n- c\n{: data-src="s#p2" }',
     f'<ul>\n<li data-src="s#p1" id="p-p1">a <em>b</em>{MARK1}</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">c{MARK2}</li>\n</ul>'),
    # a list without sources before one with them: the second is still split
    ('- x\n- y\n\nText.\n\n- a\n{: data-src="s#p1" }\n\n- b\n{: data-src="s#p2" }',
     f'<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n<p>Text.</p>\n<ul>\n<li data-src="s#p1" id="p-p1">a{MARK1}</li>\n</ul>\n'
     f'<ul><li data-src="s#p2" id="p-p2">b{MARK2}</li>\n</ul>'),
])
def test_lists_split_at_every_source_paragraph_in_order(body, expected):
    def tags(html: str) -> str:  # white space between elements does not show
        return re.sub(r">\s+<", "><", html)
    assert tags(Converter().convert(body, _hooks())[0]) == tags(expected)


@pytest.mark.parametrize("body,target", [("[x](javascript:alert(1))", "javascript:alert(1)"),
                                         ("![i](javascript:alert(1))", "javascript:alert(1)")])
def test_an_unsafe_href_or_src_goes_to_the_hooks_which_report_it(body, target):
    """The page's hooks refuse it with the file and line (links.py); the attribute rule must not
    drop it silently first."""
    seen = []
    html = Converter().convert(body, PageHooks(resolve=lambda t: seen.append(t) and None))[0]
    assert seen == [target] and "javascript" not in html
