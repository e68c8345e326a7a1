"""Markdown: the one factory that builds the Python-Markdown converter used by tests and builds
alike, with the site's extensions (``markdown_extensions``, model/extensions.py). Its own extension
registers, through Python-Markdown's public registry, the fast inline pass (``inline``, when its
guard allows), quick block tests (``blocks``) and single-purpose tree processors: table shaping
(``tables``), the sanitiser (``sanitise``), then list splitting, link resolution, provenance marks and "used in" notes
(``linking``), between ``attr_list``, which sets attributes, and ``toc``, which reads ids; and the
stash guard (``codeblocks``), which checks what extensions stash as HTML."""
from __future__ import annotations

import importlib
import re
from typing import Any, Mapping

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import slugify_unicode

from ..model.extensions import DEFAULTS, Extensions
from .blocks import quicken, quicken_parser
from .codeblocks import SafeFencedCode, StashGuard
from .highlight import CachedCodeHilite, CachedHighlightExtension
from .inline import FastInlineProcessor, fast_inline_problem, quicken_links
from .linking import PageHooks, ProvenanceMarks, ResolveLinks, SplitLists, UsedInNotes
from .passes import quicken_passes
from .sanitise import SanitiseAttributes
from .tables import ShapeTables
from .tasks import LabelTasks
from .toc import QuickTocExtension, TocWithoutDiv, quick_toc_works


class SiteExtension(Extension):
    def __init__(self, allow_html: bool, fast: bool = True, tables: bool = False, tasks: bool = False):
        super().__init__()
        self.allow_html = allow_html
        self.fast = fast
        self.tables = tables
        self.tasks = tasks
        self.hooks = PageHooks()
        self.cites = True  # the page may cite source paragraphs (data-src)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if not self.allow_html:
            # Raw HTML becomes visible text: content can never inject markup or script.
            md.preprocessors.deregister("html_block", strict=False)
            md.inlinePatterns.deregister("html")
        # what extensions stash is checked (unless allow_html) before it goes back into the page
        md.postprocessors.register(StashGuard(md, sanitise=not self.allow_html), "stash_guard", 31)
        if self.fast and fast_inline_problem() is None:  # else Python-Markdown's own pass
            md.treeprocessors.register(FastInlineProcessor(md), "inline", 20)
        if self.fast:
            quicken(md)  # (block tests that look for their syntax's text first)
            quicken_parser(md)  # (the block processors listed once a chunk, not once a block)
            quicken_links(md)  # (links that look for the simple case first)
            quicken_passes(md)  # (whitespace, prettify and unescape passes doing less)
        # after attr_list (8) has set attributes, before toc (5) reads the final ids
        reg = md.treeprocessors.register
        if self.tables:
            reg(ShapeTables(md), "shape_tables", 7.8)
        if self.tasks:
            reg(LabelTasks(md), "label_tasks", 24)
        reg(SplitLists(md, self), "split_lists", 7.5)
        reg(SanitiseAttributes(md, self.allow_html), "sanitise", 7)
        reg(ResolveLinks(md, self), "resolve_links", 6.8)
        reg(ProvenanceMarks(md, self), "provenance", 6.6)
        reg(UsedInNotes(md, self), "used_in", 6.4)


def cites(text: str) -> bool:
    """Whether a page's Markdown may cite source paragraphs (a data-src attribute, any case)."""
    # (an attribute comes from an attribute list or raw HTML: without '{' or '<' there is none)
    return "data-src" in text or (("{" in text or "<" in text) and "data-src" in text.lower())


class _Footnotes(FootnoteExtension):
    """footnotes with stock ids (``fn:note``, ``fnref:note``: what MkDocs and Python-Markdown make,
    unique on a page), and with ``UNIQUE_IDS: true`` in site.yaml (``fn:1-note``) ids that are the
    same whatever was converted before: Python-Markdown numbers those by the pages its instance
    converted, so a page's ids depended on the pages a build process had converted before it (a
    warm build's differed from a clean build's, the per-page choice's from the full set's)."""

    def reset(self) -> None:
        super().reset()
        self.unique_prefix = 1


_CODE = ("```", "~~~", "    ", "\t")  # a fence or an indented block
# the text without which an extension changes nothing on a page (a string it must contain, or a
# pattern it must match); an extension not named here is used on every page
TRIGGERS: dict[str, tuple[str, ...] | re.Pattern] = {
    "tables": ("|",), "attr_list": ("{",), "footnotes": ("[^",), "fenced_code": ("```", "~~~"),
    "codehilite": _CODE, "abbr": ("*[",), "admonition": ("!!!",), "def_list": (": ",),
    "md_in_html": re.compile("markdown", re.I), "pymdownx.tasklist": ("[ ]", "[x]", "[X]"),
    # (superfences also takes over indented blocks: with disable_indented_code_blocks they are text)
    "pymdownx.details": ("???",), "pymdownx.superfences": _CODE, "pymdownx.highlight": _CODE,
    "pymdownx.inlinehilite": ("`",), "pymdownx.caret": ("^",), "pymdownx.mark": ("==",),
    "pymdownx.keys": ("++",), "pymdownx.tilde": ("~",), "marker": ("[TOC]",),
}
# options site_builder sets, which site.yaml may change
_OWN: dict[str, dict[str, Any]] = {"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}}


# characters, most often found in Markdown prose first: a mark is looked for only in a text that
# has its rarest character (unlisted ones are rarest)
_OFTEN = " etaoinsrhldcumfpgwybvk.,-*[]()/:`ETAOINSRHLDCUMFPGWYBVK0123456789'\"#_!\n"


def _rarest(mark: str) -> str:
    return max(mark, key=lambda c: _OFTEN.find(c) if c in _OFTEN else len(_OFTEN))


_HIGHLIGHTERS = ("pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite")


def _trigger(name: str, options: Mapping[str, Any]) -> tuple[str, ...] | re.Pattern | None:
    if name == "abbr" and options.get("glossary"):  # abbreviations defined in site.yaml: any page
        return None
    return TRIGGERS.get(name)


def _extension(name: str, options: Mapping[str, Any], marker: bool, fast: bool) -> Extension | str:
    if name == "toc":
        toc = QuickTocExtension if fast and quick_toc_works() else TocWithoutDiv
        return toc(**{**_OWN["toc"], **options, "marker": "[TOC]" if marker else ""})
    if name == "fenced_code":
        return SafeFencedCode(**options)
    if name == "footnotes":
        return _Footnotes(**options)
    if name == "codehilite":
        return CachedCodeHilite(**options)
    if name == "pymdownx.highlight":
        return CachedHighlightExtension(**options)
    return stock_extension(name, {**_OWN.get(name, {}), **options})


def stock_extension(name: str, options: Mapping[str, Any]) -> Extension:
    """The extension Python-Markdown makes of ``name`` (``Markdown.build_extension``), without
    its look through every installed package's entry points (importlib.metadata: 0.025 s of CPU a
    process, for the one page of a warm build): a short name is one of Python-Markdown's own, whose
    entry point is its module's extension class (``makeExtension`` makes it); a dotted one a module
    with ``makeExtension``. tests/test_pins.py checks that every supported name gives the class
    Python-Markdown's entry points name."""
    module = importlib.import_module(name if "." in name else f"markdown.extensions.{name}")
    return module.makeExtension(**options)


def _with_highlighter(chosen: list, configured: Mapping[str, Any] | None) -> list:
    """``chosen``, with pymdownx.highlight (the cached one) before superfences and inlinehilite when
    either is used: they highlight with the first one registered, or else register a stock one
    (disabled: its defaults) themselves."""
    rest = [(name, opts) for name, opts in chosen if name != "pymdownx.highlight"]
    at = next((i for i, (name, _) in enumerate(rest) if name in _HIGHLIGHTERS), None)
    if at is None:  # (pymdownx.highlight alone, or none of them)
        return chosen
    return [*rest[:at], ("pymdownx.highlight", configured if configured is not None else {"_enabled": False}),
            *rest[at:]]


class Converter:
    """Python-Markdown configured for site_builder, reset between pages.

    An extension that cannot act on a page (no '|' for tables, no '{' for attribute lists,
    no '[^' for footnotes, no fence for fenced code: TRIGGERS) changes nothing in its output but
    still costs time on every block, so each page is converted by an instance with just the
    extensions its text can use. ``everything=True`` is the stock configuration (every
    extension, Python-Markdown's own inline pass): a property test checks both agree."""

    def __init__(self, allow_html: bool = False, extensions: Extensions = DEFAULTS):
        self.allow_html = allow_html
        # md_in_html acts on raw HTML only, which is text without allow_html
        self.extensions = tuple(e for e in extensions if allow_html or e[0] != "md_in_html")
        self.optional = [(name, _trigger(name, opts)) for name, opts in self.extensions] + [("marker", TRIGGERS["marker"])]
        # each text looked for once a page, however many extensions it triggers
        self.marks = sorted({m for _, marks in self.optional if isinstance(marks, tuple) for m in marks})
        self._probes = [(mark, _rarest(mark)) for mark in self.marks]
        self._made: dict[tuple[bool, ...], tuple[markdown.Markdown, SiteExtension]] = {}

    def instance(self, text: str, everything: bool = False) -> tuple[markdown.Markdown, SiteExtension]:
        if everything:
            needs = (True,) * len(self.optional)
        else:
            # (a character is looked for at the speed of memory, a longer text ten times slower)
            found = {mark for mark, char in self._probes
                     if char in text and (mark == char or mark in text)}
            needs = tuple(marks is None or (not found.isdisjoint(marks) if isinstance(marks, tuple)
                                            else marks.search(text) is not None) for _, marks in self.optional)
        key = (*needs, everything)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(needs, everything)
        return made

    def _make(self, needs: tuple[bool, ...], everything: bool) -> tuple[markdown.Markdown, SiteExtension]:
        chosen = [(name, opts) for (name, opts), on in zip(self.extensions, needs) if on]
        if not any(name == "toc" for name, _ in chosen):  # (ids and the page's toc come from it)
            chosen.insert(0, ("toc", {}))
        chosen = _with_highlighter(chosen, dict(self.extensions).get("pymdownx.highlight"))
        names = {name for name, _ in chosen}
        ext = SiteExtension(self.allow_html, fast=not everything, tables="tables" in names,
                            tasks="pymdownx.tasklist" in names)
        md = markdown.Markdown(
            extensions=[*(_extension(name, opts, needs[-1], not everything) for name, opts in chosen), ext],
            output_format="html")
        return md, ext

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
