"""What templates see of a page: ``page`` is a ``Context``, lists show ``Card``s, a theme page's
articles are ``Part``s."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import jinja2
from markupsafe import Markup

from ..model.pages import Page


@dataclass(frozen=True)
class Card:
    """What a list shows of a page."""
    title: str
    href: str
    date: Any
    summary: str
    kind: str
    section: str
    language: str = ""            # the page's own language, when it has one
    publisher: str = ""           # a source article's: who published the original, and where it is
    original: str = ""

    def __repr__(self) -> str:
        """The dataclass's repr, made once: a card is in every list that shows its page, and a list
        route's key holds the repr of each of its cards (up to 1,000 a page, on every tag page)."""
        made = self.__dict__.get("_repr")
        if made is None:
            made = f"Card({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in fields(self))})"
            object.__setattr__(self, "_repr", made)
        return made


@dataclass
class Part:
    """One article's paragraphs on a theme page."""
    anchor: str
    title: str
    source: Card | None
    html: Markup
    figures: list[dict]
    lists: list[dict]
    language: str = ""            # the article's language, when not the site's
    href: str = ""                # on a hub: the part's own page (it shows its summary, not its text)
    summary: str = ""
    date: Any = None


@dataclass(frozen=True, slots=True)
class NavItem:
    """An item of ``site.nav`` or of a page's sidebar (attributes, not a mapping: a template reads
    them for every link of every page, and an attribute is Jinja's first, fastest lookup)."""
    title: str
    url: str | None               # site-relative, compared with page.url; None: no page of this site
    href: str | None              # as a link writes it; None for a section without a page
    external: bool = False        # a link out of the site
    section: bool = False
    key: str = ""                 # its place in the nav ('2.1'), as page.nav_trail lists it
    children: tuple["NavItem", ...] = ()


@dataclass(frozen=True)
class Sidebar:
    """``page.sidebar``: a content page's section in the nav, as a template reads it."""
    title: str
    href: str | None              # None: a section without a page of its own
    url: str | None
    total: int                    # the section's items; ``links`` has at most SIDEBAR_MAX of them
    links: list[NavItem] = field(repr=False)
    html: Markup = field(repr=False)   # their ``<li>``s, the page's own marked current
    # What ``links`` and ``html`` are made from, in the route key (``repr``) instead of them: their
    # repr was four fifths of a content page's key (50 items of a large section on every page).
    window: str = ""


class SiteView(dict):
    """``site`` in templates: a mapping whose keys are also its attributes. Jinja looks up
    ``site.title`` as an attribute first and then as a key: on a plain dict each lookup raised
    and caught an AttributeError (1.5 us instead of 0.1), some 25 times on every page. Made once
    per build and never changed."""

    def __init__(self, items: dict[str, Any]):
        super().__init__(items)
        self.__dict__.update(items)


class Meta(dict):
    """``page.meta``: every key of the front matter. A key the page does not have reads as
    undefined, which is false and prints as nothing (``{% if page.meta.x %}`` works on every page),
    while an undefined *variable* stays an error. Python code reads it as the plain dict it is."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # copy, pickle and Jinja look for special names: not keys
            raise AttributeError(name)
        return self[name] if name in self else jinja2.ChainableUndefined(obj=self, name=name)


@dataclass
class Context:
    """``page`` in templates."""
    kind: str
    title: str
    url: str                       # site-relative, for comparisons (aria-current)
    href: str
    permalink: str
    description: str
    language: str = ""            # of the page's text: its own, else the site's
    date: Any = None
    updated: Any = None
    content: Markup = Markup("")
    intro: Markup = Markup("")
    toc: list[dict] = field(default_factory=list)
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    prev: Card | None = None
    next: Card | None = None
    members: list[Card] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    lists: list[dict] = field(default_factory=list)
    charts: list[Markup] = field(default_factory=list)
    trends: list[Markup] = field(default_factory=list)     # measures several articles report
    figure_count: int = 0          # a theme's figures, of which ``figures`` shows the newest
    figures_href: str = ""         # the page listing them all
    trend_count: int = 0           # a theme's trends, of which ``trends`` shows some
    trends_href: str = ""          # the pages showing them all
    pager: dict[str, Any] | None = None   # a list's pages: number, pages, prev, next, links
    related: list[dict] = field(default_factory=list)      # a source's related articles
    meta: Meta = field(default_factory=Meta)
    summary: str = ""              # the front matter's summary, else the text's first paragraph
    sidebar: Sidebar | None = None   # a content page's section in the nav
    nav_trail: list[str] = field(default_factory=list)    # keys of the nav sections the page is in
    source: Card | None = None
    groups: list[tuple[str, list[Card]]] = field(default_factory=list)   # the archive: by month
    feeds: list[tuple[str, str]] = field(default_factory=list)          # (title, href) of its Atom feeds
    jsonld: list[dict] = field(default_factory=list)   # schema.org, written with |tojson


class Cards(dict):
    """Page rel -> Card, each made on first use."""

    def __init__(self, make: Any, pages: dict[str, Page]):
        super().__init__()
        self.make, self.pages = make, pages

    def __missing__(self, rel: str) -> Card:
        card = self[rel] = self.make(self.pages[rel])
        return card
