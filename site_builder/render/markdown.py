"""Markdown: the one factory that builds the Python-Markdown converter used by tests and builds
alike, and its fast inline pass (the tree processor that sanitises and links is ``sanitise``)."""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

from .sanitise import PageHooks, SiteTreeprocessor


# Python-Markdown's inline patterns, each with the text it cannot match without
PATTERNS = (("backtick", "`"), ("escape", "\\"), ("footnote", "[^"), ("reference", "["), ("link", "["),
            ("short_reference", "["), ("image_link", "!["), ("image_reference", "!["),
            ("short_image_ref", "!["), ("autolink", "<"), ("automail", "<"), ("html", "<"),
            ("linebreak", "  \n"), ("entity", "&"), ("em_strong", "*", "_"))


class _InlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass, trying on each piece of text only the patterns that can
    match it: most text has no '[', '`' or '<', and each pattern tried costs a Python call.
    The same output (a property test), in about two thirds of the time."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        reg = self.inlinePatterns
        self._needs: list[tuple[str, str] | None] = [None] * len(reg)  # None: always try
        for name, *marks in PATTERNS:
            if name in reg:  # (a, b): a text with neither cannot match
                self._needs[reg.get_index_for_name(name)] = (marks[0], marks[-1])
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        # InlineProcessor.__handleInline, with the check on each pattern's trigger text added
        if not isinstance(data, AtomicString):
            apply, patterns, needs = self._InlineProcessor__applyPattern, self.inlinePatterns, self._needs
            start, count = 0, len(patterns)
            while patternIndex < count:
                marks = needs[patternIndex]
                # after a match only the rest of the text (from start) is searched: searching all of
                # it again after each match made a long paragraph quadratic ('in' is the fast case)
                if marks is not None and ((marks[0] not in data and marks[1] not in data) if not start else
                                          (data.find(marks[0], start) < 0 and data.find(marks[1], start) < 0)):
                    patternIndex, start = patternIndex + 1, 0
                    continue
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


class SiteExtension(Extension):
    def __init__(self, allow_html: bool, fast: bool = True):
        super().__init__()
        self.allow_html = allow_html
        self.fast = fast
        self.hooks = PageHooks()
        self.provenance = True  # the page may cite source paragraphs (data-src)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if not self.allow_html:
            # Raw HTML becomes visible text: content can never inject markup or script.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        if self.fast and hasattr(InlineProcessor, "_InlineProcessor__applyPattern"):  # else the stock pass
            md.treeprocessors.register(_InlineProcessor(md), "inline", 20)
        # after attr_list (8) has set attributes, before toc (5) reads headings
        md.treeprocessors.register(SiteTreeprocessor(md, self), "site_builder", 7)


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
        ext.provenance = "data-src" in text
        try:
            html = md.convert(text)
        finally:
            md.reset()  # a failed conversion must not leave state for the next page
        return html, list(getattr(md, "toc_tokens", []))
