"""``nav:``, ``extra_css:`` and ``extra_js:`` of ``site.yaml`` as written, each entry with its line.

``nav:`` takes MkDocs' form: a list whose items are ``path.md`` (titled by the page),
``Title: path.md``, ``Title: https://…`` (a link out), ``Title: tags/`` (a page the site
generates) or ``Title: [ ...items ]`` (a section). The entries are read here; whether each
names a real page is checked with the site (``nav.build_nav``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import SiteError
from ..paths import printable
from .yamlfile import LineDict

_EXAMPLE = "e.g.  - Guides: [guides/install.md, guides/usage.md]"


@dataclass(frozen=True)
class NavEntry:
    """One item of ``nav:`` as written: a link (``target``) or a section (``children``)."""
    title: str          # '' where the page's own title is shown
    target: str         # 'guide/intro.md', 'https://…', 'tags/'; '' for a section
    line: int
    children: tuple["NavEntry", ...] = ()


def _nodes(text: str, key: str) -> yaml.Node | None:
    """The composed YAML node of a top-level key of site.yaml: nodes keep the line of every
    list item, which the loaded values do not (only mapping keys remember theirs)."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _line(node: yaml.Node | None, default: int) -> int:
    return node.start_mark.line + 1 if node is not None else default


def _item_nodes(node: yaml.Node | None, count: int) -> list[yaml.Node | None]:
    """The nodes of a sequence's ``count`` items (None each where the node is not a sequence)."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) == count:
        return list(node.value)
    return [None] * count


def _target(value: Any, where: str, line: int, title: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)) or not str(value).strip():
        raise SiteError(where, line, f"nav: '{printable(title)}' needs a page, a web address or a list of "
                                     f"entries, e.g.  - {title or 'Install'}: guides/install.md")
    return str(value).strip()


def _entries(value: list, node: yaml.Node | None, where: str, line: int) -> tuple[NavEntry, ...]:
    out: list[NavEntry] = []
    for item, item_node in zip(value, _item_nodes(node, len(value))):
        at = _line(item_node, line)
        if isinstance(item, LineDict):
            if len(item) != 1:
                raise SiteError(where, item.line or at, "nav: each entry is one  'Title: page.md'  or  "
                                f"'Section: [...]', not {len(item)} keys; {_EXAMPLE}")
            title, inner = next(iter(item.items()))
            at = item.line_of(title) or at
            title = str(title).strip() if title is not None and not isinstance(title, bool) else ""
            if not title:
                raise SiteError(where, at, f"nav: an entry needs a title before its ':'; {_EXAMPLE}")
            inner_node = item_node.value[0][1] if isinstance(item_node, yaml.MappingNode) else None
            if isinstance(inner, list):
                if not inner:
                    raise SiteError(where, at, f"nav: section '{printable(title)}' is empty; list its "
                                               "pages or remove it")
                out.append(NavEntry(title, "", at, _entries(inner, inner_node, where, at)))
            else:
                out.append(NavEntry(title, _target(inner, where, at, title), at))
        elif isinstance(item, (list, dict)) or item is None or isinstance(item, bool):
            raise SiteError(where, at, f"nav: each entry is  page.md,  'Title: page.md'  or  'Section: [...]'; "
                                       f"{_EXAMPLE}")
        else:
            out.append(NavEntry("", _target(item, where, at, ""), at))
    return tuple(out)


def parse_nav(value: list | None, data: LineDict, text: str, where: str) -> tuple[NavEntry, ...] | None:
    """The ``nav:`` entries, or None when site.yaml has none (the nav is then made from content/)."""
    if value is None:
        return None
    line = data.line_of("nav")
    if not value:
        raise SiteError(where, line, f"nav: is empty; list the pages, or remove it for a nav made from "
                                     f"content/; {_EXAMPLE}")
    return _entries(value, _nodes(text, "nav"), where, line)


def parse_files(value: list | None, data: LineDict, text: str, where: str, key: str) -> tuple[tuple[str, int], ...]:
    """``extra_css:`` / ``extra_js:``: (path or URL, line) for each item."""
    if not value:
        return ()
    line = data.line_of(key)
    out = []
    for item, node in zip(value, _item_nodes(_nodes(text, key), len(value))):
        at = _line(node, line)
        if not isinstance(item, str) or not item.strip():
            raise SiteError(where, at, f"{key}: each item is a file under static/ or a web address, "
                                       f"e.g.  {key}: [{'css/extra.css' if key == 'extra_css' else 'js/extra.js'}]")
        out.append((item.strip(), at))
    return tuple(out)
