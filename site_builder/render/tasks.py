"""Task lists (pymdownx.tasklist) readable by a screen reader: each item's box and text in one
``<label>``, so the box is named by its task (axe: 'Form elements must have labels')."""
from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

_BLOCKS = frozenset(("ul", "ol", "p", "div", "pre", "blockquote", "table", "dl"))


class LabelTasks(Treeprocessor):
    """Runs after tasklist (25) has put the box at the start of the item's text, before the inline
    pass (20) reads that text."""

    def run(self, root: etree.Element) -> None:
        for li in root.iter("li"):
            if "task-list-item" not in (li.get("class") or "").split():
                continue
            first = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
            label = etree.Element("label")
            label.text, first.text = first.text, None
            while len(first) and first[0].tag not in _BLOCKS:  # (inline children, if any, go along)
                child = first[0]
                first.remove(child)
                label.append(child)
            first.insert(0, label)
