"""What templates see of the nav: ``site.nav`` (the header's tree), and of each content page its
section (``page.sidebar``), its neighbours in nav order (``page.prev``/``page.next``) and the
sections it is in (``page.nav_trail``)."""
from __future__ import annotations

import hashlib
from typing import Callable

from markupsafe import Markup

from ..model.nav import Nav, NavNode
from ..model.urls import Urls
from .elements import tag
from .view import Card, Context, NavItem, Sidebar

SIDEBAR_MAX = 50   # links a sidebar shows: in a larger section, the 50 around the page, and a link to all


class NavViews:
    """The nav's items as templates see them, each made once (a section's items appear in the
    sidebar of each of its pages)."""

    def __init__(self, nav: Nav, urls: Urls, configured: bool):
        self.nav, self.urls = nav, urls
        self.deep = configured   # a section made from content/ shows its subsections as links only
        self._made: dict[tuple[int, bool], NavItem] = {}
        self._html: dict[tuple[int, bool], Markup] = {}   # (id(item), current) -> its <li>
        self._sections: dict[int, tuple[list[NavItem], list[Markup], list[str]]] = {}  # see _section

    def item(self, node: NavNode, deep: bool = True) -> NavItem:
        """``deep=False``: a subsection without its own items."""
        made = self._made.get((id(node), deep))
        if made is None:
            href = node.external or (self.urls.url(node.url) if node.url is not None else None)
            children = tuple(self.item(c, deep) for c in node.children) if deep or not node.section else ()
            made = self._made[(id(node), deep)] = NavItem(
                node.title, node.url if not node.external else None, href, bool(node.external), node.section,
                node.key, children)
        return made

    def li(self, item: NavItem, current: bool = False) -> Markup:
        """An item's ``<li>``, its subsection's items nested; ``current``: its link is to this page.
        Made once per item, in Python: a sidebar is up to 50 links on each of thousands of pages,
        which the template engine makes several times slower."""
        made = self._html.get((id(item), current))
        if made is None:
            if item.href is None:
                inner = tag("span", {"class": "nav-label"}, item.title)
            elif item.external:
                inner = tag("a", {"href": item.href, "rel": "external"}, item.title)
            else:
                inner = tag("a", {"href": item.href, "aria-current": "page" if current else None}, item.title)
            if item.children:
                made = tag("li", None, inner, tag("ul", None, *(self.li(c) for c in item.children)))
            else:
                made = tag("li", None, inner)
            self._html[(id(item), current)] = made
        return made

    def header(self) -> list[NavItem]:
        return [self.item(n) for n in self.nav.header]

    def page(self, rel: str, ctx: Context, card: Callable[[str], Card]) -> None:
        """A content page's sidebar, prev/next and nav trail, from its place in the nav (none when
        ``nav:`` leaves it out)."""
        nav = self.nav
        position = nav.position.get(rel)
        if position is None:
            return
        ctx.prev = card(nav.order[position - 1]) if position > 0 else None
        ctx.next = card(nav.order[position + 1]) if position + 1 < len(nav.order) else None
        ctx.nav_trail = list(nav.trail[rel])
        home = nav.home.get(rel)
        if home is None:
            return
        items, lis, keys = self._section(home)
        total, start, place = len(items), 0, nav.place[rel]
        if total > SIDEBAR_MAX:  # (a section may have thousands of pages)
            start = max(0, min(place - SIDEBAR_MAX // 2, total - SIDEBAR_MAX))
        end = min(start + SIDEBAR_MAX, total)
        window = keys[start:end]
        if "" in window:  # (a loop over the 50 only when one is missing: most pages have them all)
            for i in range(start, end):
                if not keys[i]:  # made when a page first shows the item: a rebuild shows few
                    keys[i], lis[i] = _digest(repr(items[i])), self.li(items[i])
            window = keys[start:end]
        # the section's list, with this page's item swapped for its current form
        html = Markup("".join(lis[start:end]).replace(lis[place], self.li(items[place], True), 1))
        ctx.sidebar = Sidebar(home.title, self.urls.url(home.url) if home.url is not None else None, home.url,
                              total, items[start:end], html, f"{start} {place} {' '.join(window)}")

    def _section(self, home: NavNode) -> tuple[list[NavItem], list[Markup], list[str]]:
        """A section's items, with room for the ``<li>`` and the digest of each (see ``page``)."""
        made = self._sections.get(id(home))
        if made is None:
            items = [self.item(c, self.deep) for c in home.children]
            made = self._sections[id(home)] = (items, [Markup("")] * len(items), [""] * len(items))
        return made


def _digest(text: str) -> str:
    """An item's repr hashed as it is (``fs.digest`` would quote it again first)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
