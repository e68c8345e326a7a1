"""Markdown tables made safe and readable: column alignment as a class (the tables extension writes
``style="text-align: center;"``, which the sanitiser removes with every other style), and each table
in a region that scrolls sideways on a narrow screen instead of widening the page."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

_ALIGN = re.compile(r"text-align: (left|center|right);?\Z")


class ShapeTables(Treeprocessor):
    """Runs after attr_list (8) and before the sanitiser (7)."""

    def run(self, root: etree.Element) -> None:
        left = sum(1 for _ in root.iter("table"))
        if left:
            left -= self._wrap(root)
        if left:  # a table in a list or a quotation: the whole tree, as it is before wrapping
            for parent in list(root.iter()):
                if parent.get("class") != "md-table":  # (a box made by the first pass)
                    self._wrap(parent)

    def _wrap(self, parent: etree.Element) -> int:
        found = 0
        for i, child in enumerate(parent):
            if child.tag == "table":
                found += 1
                self._align(child)
                # focusable: a keyboard can scroll it (axe: scrollable-region-focusable)
                box = etree.Element("div", {"class": "md-table", "tabindex": "0"})
                box.append(child)
                box.tail, child.tail = child.tail, None
                parent[i] = box
        return found

    @staticmethod
    def _align(table: etree.Element) -> None:
        for cell in table.iter():
            m = _ALIGN.match(cell.get("style", "")) if cell.tag in ("th", "td") else None
            if m:
                del cell.attrib["style"]
                cell.set("class", f"{cell.get('class', '')} align-{m.group(1)}".strip())
