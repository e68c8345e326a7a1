"""Markdown: the one factory that builds the Python-Markdown converter used by tests and builds
alike. Its extension registers, through Python-Markdown's public registry, the fast inline pass
(``inline``, when its guard allows) and single-purpose tree processors: the sanitiser
(``sanitise``), then list splitting, link resolution, provenance marks and "used in" notes
(``linking``), between ``attr_list``, which sets attributes, and ``toc``, which reads ids."""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode

from .inline import FastInlineProcessor, fast_inline_problem
from .linking import PageHooks, ProvenanceMarks, ResolveLinks, SplitLists, UsedInNotes
from .sanitise import SanitiseAttributes


class SiteExtension(Extension):
    def __init__(self, allow_html: bool, fast: bool = True):
        super().__init__()
        self.allow_html = allow_html
        self.fast = fast
        self.hooks = PageHooks()
        self.cites = True  # the page may cite source paragraphs (data-src)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if not self.allow_html:
            # Raw HTML becomes visible text: content can never inject markup or script.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        if self.fast and fast_inline_problem() is None:  # else Python-Markdown's own pass
            md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
        # after attr_list (8) has set attributes, before toc (5) reads the final ids
        reg = md.treeprocessors.register
        reg(SplitLists(md, self), "split_lists", 7.5)
        reg(SanitiseAttributes(md, self.allow_html), "sanitise", 7)
        reg(ResolveLinks(md, self), "resolve_links", 6.8)
        reg(ProvenanceMarks(md, self), "provenance", 6.6)
        reg(UsedInNotes(md, self), "used_in", 6.4)


def cites(text: str) -> bool:
    """Whether a page's Markdown may cite source paragraphs (a data-src attribute, any case)."""
    # (an attribute comes from an attribute list or raw HTML: without '{' or '<' there is none)
    return "data-src" in text or (("{" in text or "<" in text) and "data-src" in text.lower())


class _Toc(TocTreeprocessor):
    """The toc extension, minus the HTML table of contents nobody reads (site_builder uses
    ``toc_tokens``): it is only built where a page has a ``[TOC]`` marker to replace."""

    def build_toc_div(self, toc_list: list) -> etree.Element:
        return super().build_toc_div(toc_list) if self.marker else etree.Element("div")


class _TocExtension(TocExtension):
    TreeProcessorClass = _Toc


class Converter:
    """Python-Markdown configured for site_builder, reset between pages.

    An extension that cannot act on a page (no '|' for tables, no '{' for attribute lists,
    no '[^' for footnotes, no fence for fenced code) changes nothing in its output but still
    costs time on every block, so each page is converted by an instance with just the
    extensions its text can use. ``everything=True`` is the stock configuration (every
    extension, Python-Markdown's own inline pass): a property test checks both agree."""

    OPTIONAL = (("tables", "|"), ("attr_list", "{"), ("footnotes", "[^"), ("fenced_code", "```", "~~~"),
                ("marker", "[TOC]"))

    def __init__(self, allow_html: bool = False):
        self.allow_html = allow_html
        self._made: dict[tuple[bool, ...], tuple[markdown.Markdown, SiteExtension]] = {}

    def instance(self, text: str, everything: bool = False) -> tuple[markdown.Markdown, SiteExtension]:
        needs = tuple(everything or any(mark in text for mark in marks) for _, *marks in self.OPTIONAL)
        key = (*needs, everything)
        made = self._made.get(key)
        if made is None:
            ext = SiteExtension(self.allow_html, fast=not everything)
            names = [name for (name, *_), on in zip(self.OPTIONAL[:-1], needs) if on]
            toc = _TocExtension(slugify=slugify_unicode, toc_depth="2-3", marker="[TOC]" if needs[-1] else "")
            md = markdown.Markdown(extensions=[toc, "sane_lists", *names, ext],
                                   extension_configs={"footnotes": {"UNIQUE_IDS": True}}, output_format="html")
            made = self._made[key] = (md, ext)
        return made

    def convert(self, text: str, hooks: PageHooks | None = None, everything: bool = False) -> tuple[str, list[dict]]:
        """(HTML, table-of-contents tokens) for one page body. Raises RecursionError on
        nesting too deep for Python-Markdown (callers name the file)."""
        md, ext = self.instance(text, everything)
        md.reset()
        ext.hooks = hooks or PageHooks()
        ext.cites = cites(text)
        try:
            html = md.convert(text)
            toc = list(getattr(md, "toc_tokens", []))  # (read before reset() empties it)
        finally:
            md.reset()  # a failed conversion must not leave state for the next page
        return html, toc
