"""HTML built in Python, escaped by construction: every attribute value and every text child
goes through markupsafe's ``escape``; only ``Markup`` made by this module (or by the Markdown
converter's serializer) is inserted as it is. Nothing builds markup by formatting strings."""
from __future__ import annotations

import re
from typing import Union

from markupsafe import Markup, escape

# an attribute or element name as written by site_builder itself, never from content
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9:-]*\Z")
Value = Union[str, int, float, None]
Child = Union[str, Markup]


def _name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not an HTML name: {name!r}")
    return name


def attributes(attrs: dict[str, Value]) -> Markup:
    """`` a="v" b="w"`` (with its leading space): values escaped, None values left out."""
    return Markup("").join(Markup(' {}="{}"').format(Markup(_name(k)), v)
                           for k, v in attrs.items() if v is not None)


def tag(name: str, attrs: dict[str, Value] | None = None, *children: Child) -> Markup:
    """``<name attrs>children</name>``; text children are escaped, Markup children kept."""
    n = Markup(_name(name))
    return Markup("<{}{}>{}</{}>").format(n, attributes(attrs or {}), Markup("").join(map(escape, children)), n)


def empty(name: str, attrs: dict[str, Value] | None = None) -> Markup:
    """``<name attrs/>``: an SVG element without content."""
    return Markup("<{}{}/>").format(Markup(_name(name)), attributes(attrs or {}))
