"""The Markdown tree processors that link a page into the site, each with one job (registered in
this order by ``markdown.SiteExtension``, after the sanitiser): split the lists Markdown joined
across source paragraphs, resolve every link through the page's hooks, mark cited paragraphs with
their source, note on a source's paragraphs the pages that use them."""
from __future__ import annotations

import html
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

if TYPE_CHECKING:
    from .markdown import SiteExtension


@dataclass
class PageHooks:
    """Per-page answers the tree processors need; set before each conversion."""
    resolve: Callable[[str], str | None] = lambda target: target
    provenance: Callable[[str], tuple[str, str, str] | None] = lambda ref: None  # -> (id, url, label)
    usage: dict[str, list[tuple[str, str]]] = field(default_factory=dict)        # id -> [(title, url)]


class _PageProcessor(Treeprocessor):
    """A tree processor that reads the page's hooks from the extension (set per page)."""

    def __init__(self, md: markdown.Markdown, ext: "SiteExtension"):
        super().__init__(md)
        self.ext = ext


class SplitLists(_PageProcessor):
    """Markdown joins two lists separated only by a blank line (and makes the items loose);
    where an item starts a new source paragraph (its own data-src), split it into a list of its
    own and make the items tight again. Only on a page that cites."""

    def run(self, root: etree.Element) -> None:
        if not self.ext.cites:
            return
        for parent in list(root.iter()):
            for lst in [c for c in parent if c.tag in ("ul", "ol")]:
                items = list(lst)
                for li in items:
                    inner = li[0] if len(li) and li[0].tag == "p" else None
                    if inner is not None and inner.get("data-src") and not li.get("data-src"):
                        li.set("data-src", inner.attrib.pop("data-src"))
                cuts = [j for j, li in enumerate(items) if j and li.get("data-src")]
                if cuts:
                    _tighten(items)
                    _cut(parent, lst, items, cuts)


def _tighten(items: list[etree.Element]) -> None:
    for li in items:
        if len(li) == 1 and li[0].tag == "p" and not (li.text or "").strip():
            p = li[0]
            li.remove(p)
            li.text = p.text
            li.extend(list(p))


def _cut(parent: etree.Element, lst: etree.Element, items: list[etree.Element], cuts: list[int]) -> None:
    pos = list(parent).index(lst)
    for k, start in enumerate(cuts):
        stop = cuts[k + 1] if k + 1 < len(cuts) else len(items)
        new = etree.Element(lst.tag)
        for li in items[start:stop]:
            lst.remove(li)
            new.append(li)
        pos += 1
        parent.insert(pos, new)


class ResolveLinks(_PageProcessor):
    """Every ``href`` and ``src`` through the page's resolver: a URL of the site, or dropped."""

    def run(self, root: etree.Element) -> None:
        resolve = self.ext.hooks.resolve
        for el in root.iter():
            if not el.attrib:  # most elements
                continue
            for attr in ("href", "src"):
                value = el.get(attr)
                if value is None:
                    continue
                # Markdown keeps '&' as a placeholder until it serialises; links are matched as written
                value = value.replace(AMP_SUBSTITUTE, "&")
                if value.startswith("&#") and html.unescape(value).lower().startswith("mailto:"):
                    continue  # an e-mail autolink, <user@example.com>, written as entities: not a page
                new = resolve(value)
                if new is None:
                    del el.attrib[attr]
                else:
                    el.set(attr, new)


class ProvenanceMarks(_PageProcessor):
    """A paragraph with ``data-src`` gets the source paragraph's id (unless it has one) and a ¶
    link to it. Only on a page that cites."""

    def run(self, root: etree.Element) -> None:
        if not self.ext.cites:
            return
        provenance = self.ext.hooks.provenance
        for el in list(root.iter()):
            ref = el.get("data-src")
            found = provenance(ref) if ref is not None else None
            if not found:
                continue
            ident, url, label = found
            el.set("id", el.get("id") or ident)
            mark = etree.SubElement(el, "a", {"class": "prov", "href": url, "aria-label": label})
            mark.text = "¶" + ref.rpartition("#p")[2]


class UsedInNotes(_PageProcessor):
    """On a source page: each paragraph some page cites says which ("Used in: A, B")."""

    def run(self, root: etree.Element) -> None:
        usage = self.ext.hooks.usage
        if not usage:
            return
        for el in list(root.iter()):
            ident = el.get("id")
            if not ident or ident not in usage:
                continue
            uses = usage[ident]
            box = etree.SubElement(el, "span", {"class": "used-in"})
            box.text = "Used in: "
            for i, (title, url) in enumerate(uses):
                a = etree.SubElement(box, "a", {"href": url})
                a.text = title
                if i < len(uses) - 1:
                    a.tail = ", "
