"""The site's navigation: a tree of links, from ``nav:`` in site.yaml (every entry checked against
the site) or made from content/ (the themes, the top-level pages, the sections nested as their
folders are). From the same tree: the header's nav, each page's section (its sidebar) and the
order of prev/next links."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from ..errors import Collector
from ..paths import printable
from .config import CONFIG_NAME
from .frontmatter import suggest_sorted
from .navconfig import NavEntry
from .pages import Page
from .urls import SCHEME, UnsafeUrl, clean_rel, unsafe_scheme

if TYPE_CHECKING:
    from .site import Site

_LINK_SCHEMES = ("http", "https", "mailto")


@dataclass
class NavNode:
    """One item of the nav: a link (to a page, a generated page or a web address) or a section."""
    title: str
    url: str | None = None      # site-relative ('' is the home page); None: no page of this site
    external: str = ""          # a web address
    rel: str = ""               # the content page linked
    section: bool = False
    children: list["NavNode"] = field(default_factory=list)
    key: str = ""               # its place in the tree ('2.1'): a page's nav_trail lists its sections'


@dataclass
class Nav:
    header: list[NavNode]                                   # what every page's header shows
    order: list[str] = field(default_factory=list)          # content pages (rel) in nav order: prev/next
    home: dict[str, NavNode] = field(default_factory=dict)  # page rel -> the section it is in (its sidebar)
    trail: dict[str, tuple[str, ...]] = field(default_factory=dict)  # page rel -> keys of its sections
    position: dict[str, int] = field(default_factory=dict)  # page rel -> its index in ``order``
    place: dict[str, int] = field(default_factory=dict)     # page rel -> its index in its section


def build_nav(site: "Site", known: set[str], errors: Collector) -> Nav:
    """The nav of ``site``; ``known``: every .md under content/, published or not (a draft named in
    ``nav:`` is left out of this build, not an error)."""
    if site.config.nav is not None:
        tree = [n for n in (_resolve(e, site, known, errors) for e in site.config.nav) if n is not None]
    else:
        tree = _automatic(site)
    _number(tree, "")
    nav = Nav(tree if site.config.nav is not None else [_sections_only(n) for n in tree])
    for node, parents, index in _walk(tree, ()):
        if node.rel and node.rel not in nav.position:  # a page listed twice: its first place
            nav.position[node.rel] = len(nav.order)
            nav.order.append(node.rel)
            nav.trail[node.rel] = tuple(p.key for p in parents)
            if parents:
                nav.home[node.rel], nav.place[node.rel] = parents[-1], index
    return nav


def _walk(nodes: list[NavNode], parents: tuple[NavNode, ...]) -> Iterator[tuple[NavNode, tuple[NavNode, ...], int]]:
    for i, node in enumerate(nodes):
        yield node, parents, i
        yield from _walk(node.children, (*parents, node))


def _number(nodes: list[NavNode], prefix: str) -> None:
    for i, node in enumerate(nodes, 1):
        node.key = f"{prefix}{i}"
        _number(node.children, f"{node.key}.")


def _sections_only(node: NavNode) -> NavNode:
    """A section as the header shows it in a nav made from content/: its subsections, not its pages
    (those are in the section's sidebar: a section of thousands of pages stays one link)."""
    if not node.section:
        return node
    return NavNode(node.title, node.url, section=True, key=node.key,
                   children=[_sections_only(c) for c in node.children if c.section])


# --- nav: in site.yaml ---------------------------------------------------------------------

def _resolve(entry: NavEntry, site: "Site", known: set[str], errors: Collector) -> NavNode | None:
    if entry.children:
        children = [n for n in (_resolve(e, site, known, errors) for e in entry.children) if n is not None]
        return NavNode(entry.title, section=True, children=children) if children else None
    target = entry.target
    where = (CONFIG_NAME, entry.line)
    if SCHEME.match(target) or target.startswith("//"):
        scheme = target.partition(":")[0].lower()
        if scheme not in _LINK_SCHEMES or unsafe_scheme(target):
            errors.error(*where, f"nav: '{printable(target)}' is not a web address; links out of the site "
                                 "start with https://, http:// or mailto:")
        elif not entry.title:
            errors.error(*where, f"nav: a link out of the site needs a title, e.g.  - Source code: {printable(target)}")
        else:
            return NavNode(entry.title, external=target)
        return None
    path, hashmark, fragment = target.partition("#")
    try:
        rel = clean_rel(path[2:] if path.startswith("./") else path)
    except UnsafeUrl:
        errors.error(*where, f"nav: '{printable(target)}' leaves content/; name a page inside it, e.g. guides/install.md")
        return None
    if rel.endswith(".md"):
        return _page_node(entry, rel, hashmark + fragment, site, known, errors)
    route = site.routes.get(rel) or site.routes.get(rel + "/")
    if route is None:
        errors.error(*where, f"nav: '{printable(target)}' is neither a page in content/ (a .md file) nor a page "
                             f"the site makes{suggest_sorted(rel, site.routes)}; write the page's file, e.g. "
                             "guides/install.md, or a web address")
        return None
    return NavNode(entry.title or route.title, url=route.url + hashmark + fragment)


def _page_node(entry: NavEntry, rel: str, fragment: str, site: "Site", known: set[str],
               errors: Collector) -> NavNode | None:
    page = site.by_rel.get(rel)
    if page is None:
        if rel not in known:
            errors.error(CONFIG_NAME, entry.line, f"nav: no page content/{printable(rel)}"
                         f"{suggest_sorted(rel, site.by_rel)}; fix the path (relative to content/) or "
                         "create the page")
        return None  # a draft (or a page not published in this build): left out
    url = site.page_link(page)
    return NavNode(entry.title or page.title, url=url + fragment if "#" not in url else url, rel=page.rel)


# --- made from content/ -----------------------------------------------------------------------

def _sort_key(weight: int | None, title: str, when: float | None, by_date: bool, name: str) -> tuple:
    """A section's pages first, then its subsections (as MkDocs orders files and folders); each
    by weight (as in Hugo, one without a weight after those with one), then by title, or in a
    section of dated pages by weight, then newest first. ``name`` (file or folder) settles ties:
    the same order every build."""
    newest = -when if by_date and when is not None else 0
    return (name.endswith(".md") is False, weight is None, weight or 0, newest, title.casefold(), title, name)


def _automatic(site: "Site") -> list[NavNode]:
    routes = site.routes
    themes = [NavNode(r.title, url=r.url) for r in routes.values() if r.kind == "theme" and r.number == 1]
    tree: dict[str, list[Page]] = {}         # section path -> its pages
    for page in site.pages:
        if page.kind == "page" and page.url:
            tree.setdefault(page.section, []).append(page)
            parts = page.section.split("/") if page.section else []
            for i in range(len(parts)):      # every folder above it is a section too
                tree.setdefault("/".join(parts[:i]), [])
    return themes + _group(site, "", tree)


def _group(site: "Site", section: str, tree: dict[str, list[Page]]) -> list[NavNode]:
    """A section's pages and subsections, in order."""
    pages = tree.get(section, [])
    by_date = bool(pages) and all(p.date for p in pages)
    items: list[tuple[tuple, NavNode]] = [
        (_sort_key(p.meta.get("weight"), p.title, p.when, by_date, p.rel), NavNode(p.title, url=p.url, rel=p.rel))
        for p in pages]
    prefix = section + "/" if section else ""
    for sub in (s for s in tree if s.startswith(prefix) and s and "/" not in s[len(prefix):]):
        route = site.routes.get(sub + "/")
        title = route.title if route else sub.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").capitalize()
        intro = route.intro if route else None
        weight = intro.meta.get("weight") if intro else None
        node = NavNode(title, url=route.url if route else None, section=True, children=_group(site, sub, tree))
        items.append((_sort_key(weight, title, None, by_date, sub), node))
    items.sort(key=lambda item: item[0])
    return [node for _, node in items]
