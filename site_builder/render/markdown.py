"""Markdown: scanning a body for links and provenance (with lines), and the one factory
that builds the Python-Markdown converter used by tests and builds alike."""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AMP_SUBSTITUTE, AtomicString

from .complexity import too_complex


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# the target of an inline link or image, found from its "](": the link text does not matter here
_TARGET = re.compile(r"\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_ATTR = re.compile(r"\{:?([^{}\n]*)\}\s*$")
_DATA_SRC = re.compile(r'data-src="([^"]*)"')
_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
_MARKERS = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?=\s|$)")
MAX_NESTING = 100  # Python-Markdown slows down sharply, then overflows the stack, past a few hundred
_DEEP = re.compile(r"\n[ \t>*+\-0-9.)]{%d}" % (MAX_NESTING // 2))


@dataclass
class Scan:
    """What a body refers to, with the line of each reference in the file."""
    links: list[tuple[str, int]] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)   # provenance: 'article#p3'
    ids: list[tuple[str, int]] = field(default_factory=list)    # explicit {: #id }
    deepest: tuple[int, int] = (0, 0)   # (nesting levels, line), for lines nested over MAX_NESTING // 2
    too_complex: tuple[int, str] | None = None  # (line, message): see complexity.py


_FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_INDENTED_CODE = re.compile(r"(?:\A|\n\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z))+)")
_SIMPLE_SPANS = re.compile(r"`[^`\n]+`")
_CODE_SPANS = re.compile(r"(`+)(?:(?!\1)[^\n])+?\1")
_LINE_ATTR = re.compile(r"\{:?([^{}\n]*)\}[ \t]*$", re.M)
_NESTED_LINE = re.compile(r"^(?=[ \t>]|[-*+]\s|\d{1,9}[.)]\s)([ \t>]*)((?:(?:[-*+]|\d{1,9}[.)])(?=\s)[ \t]*)*)", re.M)
_NOT_NEWLINE = re.compile("[^\n]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_REF_DEFS = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]|$)", re.M)


def scan_body(body: str, first_line: int, allow_html: bool = False) -> Scan:
    """Links, provenance references, explicit ids, nesting depth and whether the body is too
    complex to render (``complexity``), each with its line in the file. Whole-text regexes (no
    per-line loop): this runs over every page of a large site."""
    scan = Scan()
    # blank out code (fenced, indented, spans) so nothing inside it counts, keeping offsets
    def blank(m: re.Match[str]) -> str:
        return _NOT_NEWLINE.sub(" ", m.group(0))

    def blank_code(m: re.Match[str]) -> str:
        # an indented block after a list item is the item's content, not code. The line before
        # is found from the match backwards: slicing from the start made long pages quadratic
        end = m.start()
        while end and text[end - 1] == "\n":
            end -= 1
        before = text[text.rfind("\n", 0, end) + 1:end]
        return m.group(0) if before[:1] in (" ", "\t") or _LIST_ITEM.match(before) else blank(m)

    text = body
    if "```" in text or "~~~" in text:
        text = _FENCED.sub(blank, text)
    if "\n    " in text or "\n\t" in text:
        text = _INDENTED_CODE.sub(blank_code, text)
    if "`" in text:  # a span is on one line: blank it in place
        spans = _CODE_SPANS if "``" in text else _SIMPLE_SPANS
        text = spans.sub(lambda m: " " * len(m.group(0)), text)
    counted = [0, first_line]  # (offset, its line): each pass asks in increasing order, so
                               # counting on from the last answer keeps a pass linear

    def line_of(pos: int) -> int:
        if pos < counted[0]:
            counted[:] = [0, first_line]
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    if "](" in text:
        scan.links += [(m.group(1), line_of(m.start())) for m in _TARGET.finditer(text) if m.group(1)]
    if "]:" in text:
        scan.links += [(m.group(1), line_of(m.start())) for m in _REF_DEFS.finditer(text)]
        scan.links.sort(key=lambda x: x[1])
    if "{" in text:
        for m in _LINE_ATTR.finditer(text):
            n = line_of(m.start())
            scan.refs += [(src, n) for src in _DATA_SRC.findall(m.group(1))]
            scan.ids += [(ident, n) for ident in _ID.findall(m.group(1))]
    found = too_complex(body, allow_html)
    if found:
        scan.too_complex = (line_of(found[0]), found[1])
    # a line nested deeper than MAX_NESTING has over MAX_NESTING / 2 characters of indentation,
    # quotes and list markers before its text (a tab counts at most 2 levels): most pages have none
    for m in _NESTED_LINE.finditer(body) if _DEEP.search("\n" + body) else ():
        lead, markers = m.group(1), m.group(2)
        if not lead and not markers:
            continue
        expanded = lead.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        depth = indent // 2 + lead.count(">") + len(_MARKERS.findall(markers))
        if depth > scan.deepest[0]:
            scan.deepest = (depth, line_of(m.start()))
    return scan


_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_scheme(url: str) -> str | None:
    """``javascript``, ``vbscript`` or ``data`` when a browser reads this URL (an attribute's value,
    entities already decoded) with that scheme: they run code or hide content. The one policy for
    rendering and for ``check``. Control and space characters, which a browser skips inside a
    scheme (``java\tscript:``), are removed first."""
    m = _BAD_SCHEME.match(_IGNORED_IN_SCHEME.sub("", url))
    return m.group(1).lower() if m else None


def is_unsafe_target(target: str) -> bool:
    """A link target as written in Markdown, entities decoded as a browser would
    (``&#106;avascript:``), has an unsafe scheme: never link it."""
    return unsafe_scheme(html.unescape(target.replace(AMP_SUBSTITUTE, "&"))) is not None


@dataclass
class PageHooks:
    """Per-page answers the tree processor needs; set before each conversion."""
    resolve: Callable[[str], str | None] = lambda target: target
    provenance: Callable[[str], tuple[str, str, str] | None] = lambda ref: None  # -> (id, url, label)
    usage: dict[str, list[tuple[str, str]]] = field(default_factory=dict)        # id -> [(title, url)]


# attributes whose value a browser loads or follows as a URL (HTML and SVG, current and legacy)
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "xlink:href", "action", "formaction", "poster", "data",
                            "background", "cite", "longdesc", "ping", "manifest", "codebase", "archive",
                            "classid", "usemap", "lowsrc", "dynsrc", "icon", "profile", "itemtype"})
_SCRIPTED = ("style", "srcdoc", "formaction")  # beside on*: CSS, a whole document, a form's target
_URL_PARTS = re.compile(r"[\s,]+")


def _sanitize(el: etree.Element, allow_html: bool) -> None:
    """Attribute names as a browser reads them (ASCII case folded: ``{: HREF=... }`` is ``href``),
    then without handlers and styles (unless ``allow_html``) and without unsafe URLs."""
    attrib = el.attrib
    if any(name != name.lower() for name in attrib):
        folded: dict[str, str | None] = {}
        for name, value in attrib.items():
            low = name.lower()
            # Markdown's own names are lower case: one in capitals came from an attribute list
            # and replaces Markdown's, as a lower-case one does
            if low not in folded or low != name:
                folded[low] = value
        attrib.clear()
        attrib.update(folded)
    for name in list(attrib):
        value = attrib[name]
        if not allow_html and (name.startswith("on") or name in _SCRIPTED):
            del attrib[name]
        elif name in URL_ATTRIBUTES and name not in ("href", "src") and value and \
                any(is_unsafe_target(part) for part in _URL_PARTS.split(value)):
            del attrib[name]  # href and src are resolved (or dropped) by the page's hooks


class _SiteTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, ext: "SiteExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        hooks = self.ext.hooks
        if self.ext.provenance:
            self._split_lists(root)
        for el in list(root.iter()):
            if not el.attrib:  # most elements: nothing to rewrite, sanitize or mark
                continue
            _sanitize(el, self.ext.allow_html)
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is None:
                    continue
                # Markdown keeps '&' as a placeholder until it serialises; links are matched as written
                new = hooks.resolve(value.replace(AMP_SUBSTITUTE, "&"))
                if new is None:
                    del el.attrib[attr]
                else:
                    el.set(attr, new)
            ref = el.get("data-src")
            if ref is not None:
                self._mark(el, ref, hooks)
            ident = el.get("id")
            if ident and ident in hooks.usage:
                self._used_in(el, hooks.usage[ident])

    @staticmethod
    def _split_lists(root: etree.Element) -> None:
        """Markdown joins two lists separated only by a blank line (and makes the items loose);
        where an item starts a new source paragraph (its own data-src), split it into a list
        of its own and make the items tight again."""
        for parent in list(root.iter()):
            for lst in [c for c in parent if c.tag in ("ul", "ol")]:
                items = list(lst)
                for li in items:
                    inner = li[0] if len(li) and li[0].tag == "p" else None
                    if inner is not None and inner.get("data-src") and not li.get("data-src"):
                        li.set("data-src", inner.attrib.pop("data-src"))
                cuts = [j for j, li in enumerate(items) if j and li.get("data-src")]
                if not cuts:
                    continue
                for li in items:
                    if len(li) == 1 and li[0].tag == "p" and not (li.text or "").strip():
                        p = li[0]
                        li.remove(p)
                        li.text = p.text
                        li.extend(list(p))
                pos = list(parent).index(lst)
                for k, start in enumerate(cuts):
                    stop = cuts[k + 1] if k + 1 < len(cuts) else len(items)
                    new = etree.Element(lst.tag)
                    for li in items[start:stop]:
                        lst.remove(li)
                        new.append(li)
                    pos += 1
                    parent.insert(pos, new)

    @staticmethod
    def _mark(el: etree.Element, ref: str, hooks: PageHooks) -> None:
        found = hooks.provenance(ref)
        if not found:
            return
        ident, url, label = found
        el.set("id", el.get("id") or ident)
        mark = etree.SubElement(el, "a", {"class": "prov", "href": url, "aria-label": label})
        mark.text = "¶" + ref.rpartition("#p")[2]

    @staticmethod
    def _used_in(el: etree.Element, uses: list[tuple[str, str]]) -> None:
        box = etree.SubElement(el, "span", {"class": "used-in"})
        box.text = "Used in: "
        for i, (title, url) in enumerate(uses):
            a = etree.SubElement(box, "a", {"href": url})
            a.text = title
            if i < len(uses) - 1:
                a.tail = ", "


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
        md.treeprocessors.register(_SiteTreeprocessor(md, self), "site_builder", 7)


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
