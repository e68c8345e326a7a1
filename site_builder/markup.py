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
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

EXTENSIONS = ["tables", "toc", "attr_list", "footnotes", "sane_lists", "fenced_code"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK = re.compile(r"(!?)\[(?:[^\[\]\\]|\\.|\[[^\]]*\])*\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_ATTR = re.compile(r"\{:?([^{}\n]*)\}\s*$")
_DATA_SRC = re.compile(r'data-src="([^"]*)"')
_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
_MARKERS = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?=\s|$)")
MAX_NESTING = 100  # Python-Markdown slows down sharply, then overflows the stack, past a few hundred


@dataclass
class Scan:
    """What a body refers to, with the line of each reference in the file."""
    links: list[tuple[str, int]] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)   # provenance: 'article#p3'
    ids: list[tuple[str, int]] = field(default_factory=list)    # explicit {: #id }
    deepest: tuple[int, int] = (0, 0)                           # (nesting levels, line)


def scan_body(body: str, first_line: int) -> Scan:
    scan = Scan()
    fence = None
    for n, line in enumerate(body.split("\n"), first_line):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        stripped = line.lstrip(" \t>")
        if stripped is not line:
            lead = line[: len(line) - len(stripped)].expandtabs(4)
            indent = len(lead) - len(lead.lstrip(" "))
            depth = indent // 2 + lead.count(">") + len(_MARKERS.findall(stripped[:2000]))
            if depth > scan.deepest[0]:
                scan.deepest = (depth, n)
        elif line[:1] in "-*+0123456789":
            depth = len(re.match(r"(?:(?:[-*+]|\d{1,9}[.)])\s+)*", line).group(0).split())
            if depth > scan.deepest[0]:
                scan.deepest = (depth, n)
        if line.startswith(("    ", "\t")) and not line.strip().startswith(("{:", "-", "*", "+")):
            continue  # an indented code block, or a list continuation we need not scan
        text = _CODE_SPAN.sub("", line)
        for lm in _LINK.finditer(text):
            if lm.group(2):
                scan.links.append((lm.group(2), n))
        rm = _REF_DEF.match(text)
        if rm:
            scan.links.append((rm.group(1), n))
        am = _ATTR.search(text)
        if am:
            for src in _DATA_SRC.findall(am.group(1)):
                scan.refs.append((src, n))
            for ident in _ID.findall(am.group(1)):
                scan.ids.append((ident, n))
    return scan


_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def is_unsafe_target(target: str) -> bool:
    """``javascript:``, ``vbscript:`` and ``data:`` URLs run code or hide content: never link them.
    Checked as a browser reads them: entities decoded (``&#106;avascript:``), and the control
    and space characters it skips inside a scheme (``java&#x09;script:``) removed."""
    plain = html.unescape(target.replace(AMP_SUBSTITUTE, "&"))
    return bool(_BAD_SCHEME.match(_IGNORED_IN_SCHEME.sub("", plain)))


@dataclass
class PageHooks:
    """Per-page answers the tree processor needs; set before each conversion."""
    resolve: Callable[[str], str | None] = lambda target: target
    provenance: Callable[[str], tuple[str, str, str] | None] = lambda ref: None  # -> (id, url, label)
    usage: dict[str, list[tuple[str, str]]] = field(default_factory=dict)        # id -> [(title, url)]


class _SiteTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, ext: "SiteExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        hooks = self.ext.hooks
        self._split_lists(root)
        for el in list(root.iter()):
            if not self.ext.allow_html:
                for attr in list(el.attrib):
                    if attr.lower().startswith("on") or attr.lower() in ("style", "srcdoc", "formaction"):
                        del el.attrib[attr]
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


class SiteExtension(Extension):
    def __init__(self, allow_html: bool):
        super().__init__()
        self.allow_html = allow_html
        self.hooks = PageHooks()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if not self.allow_html:
            # Raw HTML becomes visible text: content can never inject markup or script.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        # after attr_list (8) has set attributes, before toc (5) reads headings
        md.treeprocessors.register(_SiteTreeprocessor(md, self), "site_builder", 7)


class Converter:
    """One configured Python-Markdown instance, reset between pages."""

    def __init__(self, allow_html: bool = False):
        self.ext = SiteExtension(allow_html)
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, self.ext],
            extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
                               "footnotes": {"UNIQUE_IDS": True}},
            output_format="html",
        )

    def convert(self, text: str, hooks: PageHooks | None = None) -> tuple[str, list[dict]]:
        """(HTML, table-of-contents tokens) for one page body. Raises RecursionError on
        nesting too deep for Python-Markdown (callers name the file)."""
        self.md.reset()
        self.ext.hooks = hooks or PageHooks()
        try:
            html = self.md.convert(text)
        finally:
            self.md.reset()  # a failed conversion must not leave state for the next page
        return html, list(getattr(self.md, "toc_tokens", []))
