"""The Markdown tree processors, each alone on a tree written by hand, and in the order the
factory registers them (render/markdown.py): sanitise attributes, resolve links, provenance
marks, "Used in" notes, list splitting."""
import xml.etree.ElementTree as etree

import markdown
import pytest
from markdown.util import AMP_SUBSTITUTE

from site_builder.render.linking import PageHooks, ProvenanceMarks, ResolveLinks, SplitLists, UsedInNotes
from site_builder.render.markdown import Converter, SiteExtension, cites
from site_builder.render.sanitise import SanitiseAttributes, fold_names


def run(processor_class, html: str, ext: SiteExtension | None = None, **kw) -> str:
    """``html`` (one root element) through one tree processor, serialised again."""
    md = markdown.Markdown()
    # Markdown's '&' placeholder is not XML: written as '@AMP@' in the tree, then put back
    root = etree.fromstring(html.replace(AMP_SUBSTITUTE, "@AMP@"))
    for el in root.iter():
        for name, value in el.attrib.items():
            el.set(name, value.replace("@AMP@", AMP_SUBSTITUTE))
    proc = processor_class(md, ext, **kw) if ext is not None else processor_class(md, **kw)
    proc.run(root)
    return etree.tostring(root, encoding="unicode")


def ext_with(cites: bool = True, **hooks) -> SiteExtension:
    ext = SiteExtension(allow_html=False)
    ext.hooks, ext.cites = PageHooks(**hooks), cites
    return ext


# --- sanitise ------------------------------------------------------------------------------------

def test_names_fold_and_an_attribute_list_wins():
    """'{: HREF=x }' is href for a browser; in capitals it came from an attribute list, which
    replaces Markdown's own lower-case value, in whichever order they come."""
    for attrib in ({"href": "markdown", "HREF": "list"}, {"HREF": "list", "href": "markdown"}):
        fold_names(attrib)
        assert attrib == {"href": "list"}
    attrib = {"Title": "t", "ID": "i"}
    fold_names(attrib)
    assert attrib == {"title": "t", "id": "i"}


def test_the_sanitiser_removes_handlers_styles_and_unsafe_urls():
    html = ('<div><p ONCLICK="x()" style="color:red" title="ok">t</p>'
            '<img src="javascript:x" srcset="a.png 1x, javascript:alert(1) 2x" alt="a" />'
            '<video poster="java&#9;script:x" />'
            '<q cite="data:text/html,x">q</q><a href="https://example.org/" ping="/p">l</a>'
            '<iframe srcdoc="&lt;script&gt;" /></div>')
    assert run(SanitiseAttributes, html, allow_html=False) == (
        '<div><p title="ok">t</p>'
        '<img src="javascript:x" alt="a" />'   # src is the link resolver's (it drops this one)
        '<video />'                            # a tab inside the scheme: still javascript:
        '<q>q</q><a href="https://example.org/" ping="/p">l</a>'
        '<iframe /></div>')


def test_with_allow_html_handlers_and_styles_stay_but_unsafe_urls_go():
    html = '<div><p onclick="x()" style="color:red">t</p><video poster="vbscript:x" /></div>'
    assert run(SanitiseAttributes, html, allow_html=True) == \
        '<div><p onclick="x()" style="color:red">t</p><video /></div>'


def test_an_entity_written_in_markdown_hides_no_scheme():
    """Attribute values as Markdown keeps them: '&' is a placeholder, entities not decoded yet."""
    html = f'<div><video poster="&amp;#106;avascript:x" /><img alt="" lowsrc="{AMP_SUBSTITUTE}#x6a;avascript:y" /></div>'
    assert run(SanitiseAttributes, html, allow_html=False) == '<div><video /><img alt="" /></div>'


# --- links ---------------------------------------------------------------------------------------

def test_every_href_and_src_goes_through_the_page_resolver():
    seen = []

    def resolve(target):
        seen.append(target)
        return {"a.md": "/site/a/", "x?q=1&r=2": "/site/x/?q=1&r=2"}.get(target)

    html = (f'<div><a href="a.md">A</a><img src="gone.png" alt="" /><span href="a.md" />'
            f'<a href="x?q=1{AMP_SUBSTITUTE}r=2">X</a><p>no link</p></div>')
    assert run(ResolveLinks, html, ext_with(resolve=resolve)) == (
        '<div><a href="/site/a/">A</a><img alt="" /><span href="/site/a/" />'
        '<a href="/site/x/?q=1&amp;r=2">X</a><p>no link</p></div>')
    assert seen == ["a.md", "gone.png", "a.md", "x?q=1&r=2"]


def test_an_email_autolink_is_left_as_mailto_and_its_other_attributes_are_still_resolved():
    """Markdown writes <user@example.com> as entities ('&#109;&#97;…', 'mailto:user@…'): not a
    page, so never given to the resolver (which would drop it as a missing page); an attribute
    list's src on the same link still goes through it (and an unsafe one is dropped)."""
    seen = []

    def resolve(target):
        seen.append(target)
        return {"b.md": "/b/"}.get(target)  # what the site does not know is dropped

    text = 'Write to <user@example.com>{: src="javascript:alert(1)" } or [b](b.md).'
    html, _ = Converter().convert(text, PageHooks(resolve=resolve))
    mail = "".join(f"&#{ord(c)};" for c in "mailto:user@example.com")
    shown = "".join(f"&#{ord(c)};" for c in "user@example.com")
    assert html == f'<p>Write to <a href="{mail}">{shown}</a> or <a href="/b/">b</a>.</p>'
    assert seen == ["javascript:alert(1)", "b.md"]


def test_provenance_marks_link_a_cited_paragraph_to_its_source():
    def provenance(ref):
        return ("art-p3", "/sources/art/#p3", "Source: paragraph 3 of “Art”") if ref == "art#p3" else None

    html = ('<div><p data-src="art#p3">cited</p><p data-src="art#p3" id="mine">kept id</p>'
            '<p data-src="gone#p1">unknown source</p><p>plain</p></div>')
    assert run(ProvenanceMarks, html, ext_with(provenance=provenance)) == (
        '<div><p data-src="art#p3" id="art-p3">cited'
        '<a class="prov" href="/sources/art/#p3" aria-label="Source: paragraph 3 of “Art”">¶3</a></p>'
        '<p data-src="art#p3" id="mine">kept id'
        '<a class="prov" href="/sources/art/#p3" aria-label="Source: paragraph 3 of “Art”">¶3</a></p>'
        '<p data-src="gone#p1">unknown source</p><p>plain</p></div>')
    # a page that cites nothing is not walked
    assert run(ProvenanceMarks, html, ext_with(cites=False, provenance=provenance)) == html


def test_used_in_notes_name_the_pages_that_cite_a_paragraph():
    usage = {"p1": [("Energy", "/energy/"), ("Trade", "/trade/")], "p2": [("Energy", "/energy/")]}
    html = '<div><p id="p1">one</p><p id="p2">two</p><p id="p3">three</p><p>four</p></div>'
    assert run(UsedInNotes, html, ext_with(usage=usage)) == (
        '<div><p id="p1">one<span class="used-in">Used in: <a href="/energy/">Energy</a>, '
        '<a href="/trade/">Trade</a></span></p>'
        '<p id="p2">two<span class="used-in">Used in: <a href="/energy/">Energy</a></span></p>'
        '<p id="p3">three</p><p>four</p></div>')


def test_a_list_is_split_where_a_new_source_paragraph_starts():
    """Markdown joined two lists (a blank line between them) into one loose list: cut it again
    before the item with its own data-src, and make the items tight."""
    html = ('<div><ul><li><p data-src="a#p1">one</p></li><li><p>two</p></li>'
            '<li><p data-src="a#p2">three</p></li></ul><ol><li>plain</li></ol></div>')
    assert run(SplitLists, html, ext_with()) == (
        '<div><ul><li data-src="a#p1">one</li><li>two</li></ul>'
        '<ul><li data-src="a#p2">three</li></ul><ol><li>plain</li></ol></div>')
    assert run(SplitLists, html, ext_with(cites=False)) == html


def test_an_item_with_its_own_data_src_keeps_it():
    """Only an item without a data-src takes its paragraph's: one it has (set on the item
    itself) stays, and the list is cut before the next item that has one."""
    html = ('<div><ul><li data-src="a#p1"><p data-src="a#p9">one</p></li>'
            '<li><p data-src="a#p2">two</p></li></ul></div>')
    assert run(SplitLists, html, ext_with()) == (
        '<div><ul><li data-src="a#p1">one</li></ul><ul><li data-src="a#p2">two</li></ul></div>')


def test_a_page_cites_when_its_text_has_data_src_in_any_case():
    assert cites('Text\n{: data-src="a#p1" }') and cites('Text\n{: DATA-SRC="a#p1" }')
    assert not cites("Text about data sources.") and not cites("A {: .class } list")


# --- the order ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["plain", "| a |\n|---|\n| b |\n\n{: #x }\n\nnote[^1]\n\n[^1]: n"])
def test_the_processors_run_in_order_between_attribute_lists_and_the_toc(text):
    """attr_list sets the attributes, then: split lists, sanitise, resolve links, provenance marks,
    used-in notes; then toc reads the final ids."""
    md, _ = Converter().instance(text)
    order = ["attr_list", "split_lists", "sanitise", "resolve_links", "provenance", "used_in", "toc"]
    present = [name for name in order if name in md.treeprocessors]
    assert present == (order if "{" in text else order[1:])
    positions = [md.treeprocessors.get_index_for_name(name) for name in present]
    assert positions == sorted(positions)


def test_the_whole_chain_on_one_page():
    """Through the factory's converter: two lists Markdown joined, cut again; a handler dropped; each
    cited item marked; the first noted as used; a link resolved, an unsafe one and an unsafe
    attribute removed."""
    def resolve(target):
        return None if target.startswith("javascript:") else {"b.md": "/b/"}.get(target, target)

    def provenance(ref):
        para = ref.partition("#")[2]
        return (f"s-{para}", f"/s/#{para}", f"Source: paragraph {para[1:]} of “S”")

    text = ('- one\n{: data-src="s#p1" }\n\n- two [b](b.md)\n{: data-src="s#p2" ONCLICK="x" }\n\n'
            '[bad](javascript:alert(1)) ![i](img.png){: lowsrc="javascript:x" }')
    html, _ = Converter().convert(text, PageHooks(resolve=resolve, provenance=provenance,
                                                  usage={"s-p1": [("T", "/t/")]}))
    # (Markdown's serialiser writes attributes sorted, and HTML's void <img>)
    assert html == (
        '<ul>\n<li data-src="s#p1" id="s-p1">one<a aria-label="Source: paragraph 1 of “S”" class="prov" '
        'href="/s/#p1">¶1</a><span class="used-in">Used in: <a href="/t/">T</a></span></li>\n</ul>\n'
        '<ul><li data-src="s#p2" id="s-p2">two <a href="/b/">b</a><a aria-label="Source: paragraph 2 of “S”" '
        'class="prov" href="/s/#p2">¶2</a></li>\n</ul><p><a>bad</a> <img alt="i" src="img.png"></p>')


# --- one policy for rendering and check ----------------------------------------------------------

@pytest.mark.parametrize("name,value,unsafe", [
    ("srcset", "a.png 1x, javascript:alert(1) 2x", True),   # a list: each URL in it
    ("srcset", "a.png 1x, b.png 2x", False),
    ("ping", "/p vbscript:x", True),
    ("ping", "/p /q", False),
    ("archive", "lib/a.jar javascript:alert(1)", True),      # <object archive>: a list too
    ("archive", "lib/a.jar lib/b.jar", False),
    ("poster", "java\tscript:x", True),                     # a tab a browser skips inside a scheme
    ("poster", " JAVASCRIPT:x", True),
    ("poster", "https://example.org/javascript:x", False),  # not the scheme
    ("cite", "notes/javascript:x", False),
    ("lowsrc", "vbscript:x", True),
])
def test_the_sanitiser_and_check_apply_one_url_policy(name, value, unsafe):
    """The same attribute value is removed when rendering exactly when `check` reports it in a
    built page (urls.unsafe_attribute); data: differs on purpose (check allows an embedded one)."""
    from html import escape

    from site_builder.commands.check import _Page

    html = f'<div><video {name}="{escape(value)}" /></div>'
    rendered = run(SanitiseAttributes, html, allow_html=True)
    page = _Page()
    page.feed(html)
    reported = [msg for _, msg in page.problems if f"<video {name}>" in msg]
    assert (rendered == "<div><video /></div>") is unsafe
    assert bool(reported) is unsafe, reported
