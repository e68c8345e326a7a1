"""What templates see of the nav: ``site.nav`` (the header's tree), and of each content page its
section (``page.sidebar``), its neighbours in nav order (``page.prev``/``page.next``) and the
sections it is in (``page.nav_trail``)."""
from __future__ import annotations

from typing import Any, Callable

from ..model.nav import Nav, NavNode
from ..model.urls import Urls
from .view import Card, Context

SIDEBAR_MAX = 50   # links a sidebar shows: in a larger section, the 50 around the page, and a link to all


def node_view(node: NavNode, urls: Urls, deep: bool = True) -> dict[str, Any]:
    """One nav item for templates: ``title``, ``url`` (site-relative, compared with ``page.url``; None
    for a section without a page and for a link out), ``href``, ``external``, ``section``, ``key``
    and ``children`` (``deep=False``: a subsection's own items left out)."""
    href = node.external or (urls.url(node.url) if node.url is not None else None)
    return dict(title=node.title, url=node.url if not node.external else None, href=href,
                external=bool(node.external), section=node.section, key=node.key,
                children=[node_view(c, urls, deep) for c in node.children] if deep or not node.section else [])


def site_nav(nav: Nav, urls: Urls) -> list[dict[str, Any]]:
    return [node_view(n, urls) for n in nav.header]


def page_nav(nav: Nav, rel: str, ctx: Context, urls: Urls, card: Callable[[str], Card], configured: bool) -> None:
    """A content page's sidebar, prev/next and nav trail, from its place in the nav (none when
    ``nav:`` leaves it out)."""
    order = nav.order
    position = nav.position.get(rel)
    if position is None:
        return
    ctx.prev = card(order[position - 1]) if position > 0 else None
    ctx.next = card(order[position + 1]) if position + 1 < len(order) else None
    ctx.nav_trail = list(nav.trail[rel])
    home = nav.home.get(rel)
    if home is None:
        return
    # a section made from content/ shows its subsections as links (their pages are theirs)
    children, total = home.children, len(home.children)
    if total > SIDEBAR_MAX:  # (windowed before any view is made: a section may have thousands)
        here = nav.place[rel]
        start = max(0, min(here - SIDEBAR_MAX // 2, total - SIDEBAR_MAX))
        children = children[start:start + SIDEBAR_MAX]
    ctx.sidebar = dict(title=home.title, href=urls.url(home.url) if home.url is not None else None,
                       url=home.url, links=[node_view(c, urls, deep=configured) for c in children], total=total)
