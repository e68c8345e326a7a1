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


_CHECKED: set[str] = set()   # names found good (site_builder's own few: each checked once)


def _name(name: str) -> str:
    if name not in _CHECKED:
        if not _NAME.match(name):
            raise ValueError(f"not an HTML name: {name!r}")
        _CHECKED.add(name)
    return name


def _attributes(attrs: dict[str, Value]) -> str:
    # str.join of escaped pieces, not Markup.format: the same text, and a 1,000-article site's
    # trend charts (tens of thousands of elements) spent most of a rebuild in string.Formatter
    return "".join([f' {_name(k)}="{escape(v)}"' for k, v in attrs.items() if v is not None])


def attributes(attrs: dict[str, Value]) -> Markup:
    """`` a="v" b="w"`` (with its leading space): values escaped, None values left out."""
    return Markup(_attributes(attrs))


def tag(name: str, attrs: dict[str, Value] | None = None, *children: Child) -> Markup:
    """``<name attrs>children</name>``; text children are escaped, Markup children kept (as
    ``escape`` keeps them, without a copy: a page's sidebar is 50 elements made this way)."""
    n = _name(name)
    inner = "".join([c if isinstance(c, Markup) else escape(c) for c in children])
    return Markup(f"<{n}{_attributes(attrs) if attrs else ''}>{inner}</{n}>")


def empty(name: str, attrs: dict[str, Value] | None = None) -> Markup:
    """``<name attrs/>``: an SVG element without content."""
    return Markup(f"<{_name(name)}{_attributes(attrs) if attrs else ''}/>")


def lang_if(value: Any, around: Any) -> Markup:
    """`` lang="value"`` on an element whose text is in another language than the text around it,
    else nothing: the templates' filter ``value|lang_if(around)`` (a filter, not a macro: it is on
    every page and every card of a list, and a macro call costs ten times as much)."""
    return attributes({"lang": value}) if value and value != around else Markup("")
