"""The sanitiser: the Markdown tree processor that makes a page's attributes safe. Names are folded
as a browser reads them, event handlers, styles and scripted attributes removed (unless
``allow_html``), and every URL attribute with an unsafe scheme removed; the policy is
``urls.unsafe_attribute``, the one ``check`` applies to the built site. ``href`` and ``src`` are
left to the link resolver (``linking.ResolveLinks``), which drops an unsafe one."""
from __future__ import annotations

import html
import xml.etree.ElementTree as etree

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from ..model.urls import URL_ATTRIBUTES, unsafe_attribute

_SCRIPTED = ("style", "srcdoc", "formaction")  # beside on*: CSS, a whole document, a form's target


def fold_names(attrib: dict[str, str]) -> None:
    """Attribute names as a browser reads them (ASCII case folded: ``{: HREF=... }`` is ``href``).
    Markdown's own names are lower case: one in capitals came from an attribute list and replaces
    Markdown's, as a lower-case one does."""
    folded: dict[str, str] = {}
    for name, value in attrib.items():
        low = name.lower()
        if low not in folded or low != name:
            folded[low] = value
    attrib.clear()
    attrib.update(folded)


def _unsafe(name: str, value: str) -> bool:
    # the value as Markdown keeps it: '&' is a placeholder, and entities are decoded by the browser
    return unsafe_attribute(name, html.unescape(value.replace(AMP_SUBSTITUTE, "&"))) is not None


class SanitiseAttributes(Treeprocessor):
    def __init__(self, md: markdown.Markdown, allow_html: bool):
        super().__init__(md)
        self.allow_html = allow_html

    def run(self, root: etree.Element) -> None:
        allow_html = self.allow_html
        for el in root.iter():
            attrib = el.attrib
            if not attrib:  # most elements
                continue
            if any(name != name.lower() for name in attrib):
                fold_names(attrib)
            for name in list(attrib):
                if not allow_html and (name.startswith("on") or name in _SCRIPTED):
                    del attrib[name]
                elif name in URL_ATTRIBUTES and name not in ("href", "src") and _unsafe(name, attrib[name]):
                    del attrib[name]
