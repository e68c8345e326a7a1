"""The toc extension's tree processor, which gives every heading its id and the page its table of
contents (``toc_tokens``): without the HTML table of contents nobody reads (``Toc``), and, for the
pages the converter makes (``QuickToc``), without serialising a plain heading and running every
postprocessor over it, to find nothing to change. The same ids and tokens (a property test compares
with ``Toc`` on every page), in less time."""
from __future__ import annotations

import functools
import hashlib
import html
import inspect
import re
import xml.etree.ElementTree as etree

from markdown.extensions.footnotes import FootnotePostprocessor
from markdown.extensions.md_in_html import MarkdownInHTMLPostprocessor
from markdown.extensions.toc import (TocExtension, TocTreeprocessor, escape_cdata, nest_toc_tokens,
                                     remove_fnrefs, render_inner_html, run_postprocessors, strip_tags,
                                     unescape, unique)
from markdown.postprocessors import AndSubstitutePostprocessor, RawHtmlPostprocessor
from markdown.serializers import to_html_string, to_xhtml_string

from .codeblocks import StashGuard

# TocTreeprocessor.run as QuickToc.run copies it (Python-Markdown 3.11): another one, and the stock
# processor runs (tests/test_pins.py fails, to say so)
RUN_DIGEST = "75af906d7e4cef01"
# postprocessors that change only text with a placeholder (STX...ETX) or an '&' (StashGuard rewrites
# the stash, not the text, and the page's own run does it anyway)
PLAIN_POSTPROCESSORS = (RawHtmlPostprocessor, MarkdownInHTMLPostprocessor, AndSubstitutePostprocessor,
                        FootnotePostprocessor, StashGuard)
_SPECIAL = re.compile("[&<>\x02\x03]")  # what serialising or a postprocessor could change in a text
_H = ("h", "H")


class Toc(TocTreeprocessor):
    """The toc extension, minus the HTML table of contents nobody reads (site_builder uses
    ``toc_tokens``): it is only built where a page has a ``[TOC]`` marker to replace."""

    def build_toc_div(self, toc_list: list) -> etree.Element:
        return super().build_toc_div(toc_list) if self.marker else etree.Element("div")


class QuickToc(Toc):
    """``Toc``, whose heading of plain text (no element or attribute in it, none of ``& < >`` or
    Markdown's placeholders) is its own HTML, stripped: Python-Markdown serialises the heading and
    runs every postprocessor over it (``render_inner_html``). Any other heading, or a Markdown with
    another postprocessor or serialiser, is done as Python-Markdown does it."""

    def run(self, doc: etree.Element) -> None:
        if not self._plain_text_is_html():
            return super().run(doc)
        used_ids = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        id_counters: dict[str, int] = {}
        toc_tokens = []
        match = self.header_rgx.match
        for el in doc.iter():
            tag = el.tag
            if not (isinstance(tag, str) and tag[:1] in _H and match(tag)):
                continue
            self.set_level(el)
            text = el.text
            if el.attrib or len(el) or (text and _SPECIAL.search(text)):
                self._heading(el, used_ids, id_counters, toc_tokens)
                continue
            innerhtml = text.strip() if text else ""
            name = " ".join(innerhtml.split())  # (strip_tags of a text without '<')
            ident = el.attrib["id"] = unique(self.slugify(name, self.sep), used_ids, id_counters)
            if self.toc_top <= int(el.tag[-1]) <= self.toc_bottom:
                toc_tokens.append({"level": int(el.tag[-1]), "id": unescape(ident) if "\x02" in ident else ident,
                                   "name": name, "html": innerhtml, "data-toc-label": ""})
            self._links(el)
        self._finish(doc, toc_tokens)

    def _plain_text_is_html(self) -> bool:
        md = self.md
        return (md.serializer in (to_html_string, to_xhtml_string)
                and all(type(pp) in PLAIN_POSTPROCESSORS for pp in md.postprocessors))

    # -- TocTreeprocessor.run's own steps, as it does them ---------------------------------------
    def _heading(self, el: etree.Element, used_ids: set[str], id_counters: dict[str, int],
                 toc_tokens: list[dict]) -> None:
        innerhtml = render_inner_html(remove_fnrefs(el), self.md)
        name = strip_tags(innerhtml)
        # Do not override pre-existing ids
        if "id" not in el.attrib:
            el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, id_counters)
        data_toc_label = ''
        if 'data-toc-label' in el.attrib:
            data_toc_label = run_postprocessors(unescape(el.attrib['data-toc-label']), self.md)
            # Overwrite name with sanitized value of `data-toc-label`.
            name = escape_cdata(strip_tags(data_toc_label))
            # Remove the data-toc-label attribute as it is no longer needed
            del el.attrib['data-toc-label']
        if int(el.tag[-1]) >= self.toc_top and int(el.tag[-1]) <= self.toc_bottom:
            toc_tokens.append({'level': int(el.tag[-1]), 'id': unescape(el.attrib["id"]), 'name': name,
                               'html': innerhtml, 'data-toc-label': data_toc_label})
        self._links(el)

    def _links(self, el: etree.Element) -> None:
        if self.use_anchors:
            self.add_anchor(el, el.attrib["id"])
        if self.use_permalinks not in [False, None]:
            self.add_permalink(el, el.attrib["id"])

    def _finish(self, doc: etree.Element, toc_tokens: list[dict]) -> None:
        toc_tokens = nest_toc_tokens(toc_tokens)
        div = self.build_toc_div(toc_tokens)
        if self.marker:
            self.replace_marker(doc, div)
        # serialize and attach to markdown instance.
        toc = self.md.serializer(div)
        if len(div):  # (PLAIN_POSTPROCESSORS change nothing in an empty '<div></div>')
            for pp in self.md.postprocessors:
                toc = pp.run(toc)
        self.md.toc_tokens = toc_tokens
        self.md.toc = toc


class TocWithoutDiv(TocExtension):
    """The toc extension with ``Toc``."""
    TreeProcessorClass = Toc


class QuickTocExtension(TocExtension):
    """The toc extension with ``QuickToc`` (``quick_toc_works``)."""
    TreeProcessorClass = QuickToc


@functools.lru_cache(maxsize=None)
def quick_toc_works() -> bool:
    """Whether Python-Markdown's TocTreeprocessor.run is the one QuickToc.run copies."""
    return hashlib.sha256(inspect.getsource(TocTreeprocessor.run).encode()).hexdigest()[:16] == RUN_DIGEST
