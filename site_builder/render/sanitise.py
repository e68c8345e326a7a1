"""The Markdown tree processor that makes a page's HTML safe and links it into the site: attribute
names folded as a browser reads them, event handlers, styles and unsafe URLs removed (the policy
is ``urls.unsafe_scheme``), every link resolved through the page's hooks, provenance marks on
cited paragraphs, and "used in" notes on a source's paragraphs."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..model.urls import URL_ATTRIBUTES, is_unsafe_target

if TYPE_CHECKING:
    from .markdown import SiteExtension


@dataclass
class PageHooks:
    """Per-page answers the tree processor needs; set before each conversion."""
    resolve: Callable[[str], str | None] = lambda target: target
    provenance: Callable[[str], tuple[str, str, str] | None] = lambda ref: None  # -> (id, url, label)
    usage: dict[str, list[tuple[str, str]]] = field(default_factory=dict)        # id -> [(title, url)]


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


class SiteTreeprocessor(Treeprocessor):
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
