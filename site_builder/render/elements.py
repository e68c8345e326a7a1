"""HTML built in Python, escaped by construction: every attribute value and every text child
goes through markupsafe's ``escape``; only ``Markup`` made by this module (or by the Markdown
converter's serializer) is inserted as it is. Nothing builds markup by formatting unescaped
strings: each piece joined below is a checked name or the result of ``escape``."""
from __future__ import annotations

import re
from typing import Any, Union

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
    # str.join of escaped pieces, not Markup.format: the same text, and a 1,000-article site's
    # trend charts (tens of thousands of elements) spent most of a rebuild in string.Formatter
    return Markup("".join([f' {_name(k)}="{escape(v)}"' for k, v in attrs.items() if v is not None]))


def tag(name: str, attrs: dict[str, Value] | None = None, *children: Child) -> Markup:
    """``<name attrs>children</name>``; text children are escaped, Markup children kept."""
    n = _name(name)
    return Markup(f"<{n}{attributes(attrs or {})}>{''.join([escape(c) for c in children])}</{n}>")


def empty(name: str, attrs: dict[str, Value] | None = None) -> Markup:
    """``<name attrs/>``: an SVG element without content."""
    return Markup(f"<{_name(name)}{attributes(attrs or {})}/>")


def lang_if(value: Any, around: Any) -> Markup:
    """`` lang="value"`` on an element whose text is in another language than the text around it,
    else nothing: the templates' filter ``value|lang_if(around)`` (a filter, not a macro: it is on
    every page and every card of a list, and a macro call costs ten times as much)."""
    return attributes({"lang": value}) if value and value != around else Markup("")
