"""Routes: every output page of the site, generated (home, themes, sections, tags…) or made
from a content page, each URL made by exactly one owner; and each page's role (part, source,
intro, page), which its place decides."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable

from ..errors import Collector
from ..paths import example_name, path_problem, printable, segment_problem, slugify
from .bundles import folder_of as _folder, leaf_indexes
from .config import Config
from .frontmatter import suggest_sorted
from .measures import series
from .pages import Page

FIGURE_ROWS = 100      # rows of a theme's figures table on one page
TRENDS_PER_PAGE = 12   # trend charts on one page of a theme's trends


@dataclass
class Route:
    """One output page: generated (home, theme, section, tag…) or a content page."""
    url: str
    kind: str                # home theme figures trends section tags tag about terms search 404 page source alias
    title: str
    template: str
    page: Page | None = None     # the content page it renders (page, source)
    intro: Page | None = None    # a content page at this URL that introduces it
    key: str = ""                # theme id, section path or tag slug
    members: list[Page] = field(default_factory=list)
    owner: str = ""              # how an error names what made it: 'content/a.md', 'the home page'
    number: int = 1              # a list's page: this one's number, how many there are, page 1's URL
    pages: int = 1
    first: str = ""
    total: int = 0               # a paginated list's items on all its pages


def pager_url(first: str, number: int) -> str:
    """Page ``number`` of the list at ``first``: page 1 is the list itself, then ``<list>/page/N/``."""
    return first if number == 1 else f"{first}page/{number}/"


def _add_pages(add: Callable[[Route, str], None], route: Route, who: str, count: int, size: int) -> None:
    """A list of ``count`` items that are not pages (figures, trends), ``size`` a page."""
    route.first, route.pages = route.url, max(1, -(-count // size))
    for n in range(1, route.pages + 1):
        add(route if n == 1 else dataclasses.replace(route, url=pager_url(route.url, n), number=n),
            who if n == 1 else f"{who} (page {n})")


def list_order(pages: list[Page]) -> list[Page]:
    """The order of section and tag lists, as Hugo's: by ``weight`` (a page without one, or with 0,
    after the weighted), then dated pages newest first and the undated after them in the order
    they were ingested (by seed), then by title."""
    def key(p: Page) -> tuple:
        weight = p.meta.get("weight", 0)
        return (weight == 0, weight, -(p.when or -math.inf), p.meta.get("seed", ""), p.title, p.rel)
    return sorted(pages, key=key)


def humanise(name: str) -> str:
    """A folder's name as a title, as MkDocs makes it: 'change_log' → 'Change log', 'API-v2' kept."""
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _is_index(page: Page) -> bool:
    """The page is its folder's index (``index.md``, ``_index.md``): it lives at the folder's URL."""
    folder = _folder(page.rel)
    return bool(folder) and page.url == folder + "/"


def assign_sections(pages: list[Page]) -> None:
    """Each page's section: its folder, or ``section:``. A *leaf bundle* (``bundles``) is a page of
    its parent folder's section, as in Hugo; with other pages under it the folder is a section (a
    branch), which its index introduces."""
    leaves = leaf_indexes(pages)
    for page in pages:
        if "section" in page.meta:
            continue  # read_page set it
        folder = _folder(page.rel)
        page.section = _folder(folder) if page.rel in leaves else folder


def is_hub(route: Route) -> bool:
    """A theme page of several articles: it lists their parts, each on its own page."""
    return route.kind == "theme" and (route.pages > 1 or len(route.members) > 1)


def _hub_order(parts: list[Page], seeds: dict[str, str]) -> list[Page]:
    """A theme's parts: dated articles newest first, then undated ones in ingest order."""
    dated = sorted((p for p in parts if p.date), key=lambda p: (-(p.when or 0), p.rel))
    return dated + sorted((p for p in parts if not p.date), key=lambda p: (seeds.get(p.slug, "~"), p.rel))


def _add_list(add: Callable[[Route, str], None], route: Route, who: str, size: int) -> None:
    """The one pagination of every list (theme hub, section, tag): ``size`` members a page."""
    members, route.first, route.total = route.members, route.url, len(route.members)
    route.pages = max(1, -(-len(members) // size))
    for n in range(1, route.pages + 1):
        page = route if n == 1 else dataclasses.replace(route, url=pager_url(route.url, n), intro=None, number=n)
        page.members = members[(n - 1) * size: n * size]
        add(page, who if n == 1 else f"{who} (page {n})")


def assign_kinds(pages: list[Page], config: Config, errors: Collector) -> None:
    assign_sections(pages)
    theme_ids = {t.id for t in config.themes}
    for page in pages:
        top = page.rel.split("/", 1)[0] if "/" in page.rel else ""
        theme = page.meta.get("theme", "")
        if theme and theme not in theme_ids:
            errors.error(page.shown, page.line("theme"), f"unknown theme '{theme}'"
                         f"{suggest_sorted(theme, theme_ids)}; themes are set in site.yaml")
        if "seed" in page.meta:
            page.kind = "source"
        elif top in theme_ids and page.rel.count("/") == 1 and page.slug not in ("index", "_index", "README"):
            page.kind, page.theme = "part", top
            if theme and theme != top:
                errors.error(page.shown, page.line("theme"), f"this page is in the '{top}' theme "
                             f"folder but says theme: {theme}; move it or remove the line")
        else:
            page.theme = theme or (top if top in theme_ids else "")


def build_routes(config: Config, pages: list[Page], errors: Collector) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    owner: dict[str, str] = {}

    def add(route: Route, who: str) -> None:
        if route.url in routes:
            other = routes[route.url]
            folder = route if route.kind == "section" else other if other.kind == "section" else None
            if folder is not None:  # name the files that made the folder, not the generated list
                _folder_clash(folder, owner[route.url] if folder is route else who, config, errors)
            else:
                errors.error(who, 1, f"URL /{route.url} is also produced by {owner[route.url]}; "
                             "rename one of them or give it a different slug")
            return
        routes[route.url] = route
        owner[route.url] = route.owner = who

    add(Route("", "home", config.title, "index.html"), "the home page")
    add(Route("404.html", "404", "Page not found", "404.html"), "the 404 page")
    if any(p.kind == "source" for p in pages) or not any(p.section.split("/")[0] == "about" for p in pages):
        # a site of hand-written pages may have its own about/ folder (MkDocs' docs do): it wins
        add(Route("about/", "about", "About this site", "about.html"), "the About page")
    if config.search:
        add(Route("search/", "search", "Search", "search.html"), "the search page")
    _theme_routes(config, pages, add)
    if any(p.meta.get("terms") for p in pages):
        add(Route("terms/", "terms", "Key terms", "terms.html"), "the Key terms page")
    _list_routes(config, pages, errors, add)
    for page in pages:
        if page.kind == "part":
            continue
        if page.url in routes and routes[page.url].page is None and page.kind != "source":
            route = routes[page.url]
            if route.intro is not None:
                errors.error(page.shown, 1, f"URL /{page.url} is also produced by {route.intro.shown}; "
                             "rename one of them or give it a different slug")
            route.intro = page
            page.kind = "intro"
            continue
        add(Route(page.url, page.kind, page.title, page.meta.get("template")
                  or ("source.html" if page.kind == "source" else "page.html"), page=page), page.shown)
    _alias_routes(pages, routes, errors, add)
    return routes


def _theme_routes(config: Config, pages: list[Page], add: Callable[[Route, str], None]) -> None:
    """Each theme's routes: its page (a hub's pages, and each part on its own page), its figures
    pages and its trends pages."""
    parts = [p for p in pages if p.kind == "part"]
    dated = {p.slug: p.date for p in pages if p.kind == "source"}  # a figure's date is its article's
    seeds = {p.slug: p.meta["seed"] for p in pages if p.kind == "source"}
    for theme in config.themes:
        members = [p for p in parts if p.theme == theme.id]
        if len(members) == 1:  # one article: the theme page shows its part whole
            add(Route(f"{theme.id}/", "theme", theme.title, "theme.html", key=theme.id, members=members),
                f"the '{theme.id}' theme page")
        elif members:  # a hub: each part on its own page, the theme's pages list them
            _add_list(add, Route(f"{theme.id}/", "theme", theme.title, "theme.html", key=theme.id,
                                 members=_hub_order(members, seeds)), f"the '{theme.id}' theme page", config.paginate)
            for part in members:
                add(Route(part.url, "part", part.title, part.meta.get("template") or "part.html",
                          page=part, key=theme.id), part.shown)
        # read before the facts check: an entry may not be a mapping, or lack its source
        figures = [dict(f, date=dated.get(f["source"].partition("#")[0])) for p in members
                   for f in p.meta.get("figures", []) if isinstance(f, dict) and isinstance(f.get("source"), str)]
        if figures:
            _add_pages(add, Route(f"{theme.id}/figures/", "figures", f"{theme.title}: every figure", "figures.html",
                                  key=theme.id, members=members), f"the '{theme.id}' figures page",
                       len(figures), FIGURE_ROWS)
        trends = len(series(figures))
        if trends:
            _add_pages(add, Route(f"{theme.id}/trends/", "trends", f"{theme.title}: trends across articles",
                                  "trends.html", key=theme.id, members=members), f"the '{theme.id}' trends page",
                       trends, TRENDS_PER_PAGE)


def alias_url(page: Page, alias: str) -> tuple[str, str | None]:
    """An alias as a site URL and why it cannot be one (the path policy's answer), Hugo's way:
    '/old/' from the site's root, 'old/' from the page's folder; 'old' is the folder 'old/',
    'old.html' a file."""
    alias = alias.strip()
    folder = page.rel.rsplit("/", 1)[0] + "/" if "/" in page.rel else ""
    url = alias[1:] if alias.startswith("/") else folder + alias
    if url and not url.endswith("/") and "." not in url.rsplit("/", 1)[-1]:
        url += "/"
    return url, ("is the site's home page" if url == "" else path_problem(url))


def _alias_routes(pages: list[Page], routes: dict[str, Route], errors: Collector,
                  add: Callable[[Route, str], None]) -> None:
    """A redirect page at each of a page's ``aliases``: its old addresses (listed nowhere)."""
    for page in pages:
        for alias in page.meta.get("aliases", []):
            url, problem = alias_url(page, alias)
            line = page.line("aliases")
            if problem:
                errors.error(page.shown, line, f"alias '{printable(alias)}' {problem}; an alias is a path of "
                             f"the site, e.g. aliases: [/{example_name(alias.strip('/') or 'old-page') + '/'}]")
            elif url in routes:
                taken = routes[url]
                what = taken.page.shown if taken.page else (taken.members[0].shown + "'s alias" if taken.kind
                                                            == "alias" else taken.owner)
                errors.error(page.shown, line, f"alias '{printable(alias)}' is the URL /{url} of {what}; "
                             "remove the alias, or move one of the pages")
            else:
                add(Route(url, "alias", page.title, "alias.html", key=page_link(routes, page), members=[page]),
                    f"{page.shown} (alias {printable(alias)})")


def page_link(routes: dict[str, Route], page: Page) -> str:
    """Site-relative URL of a content page (a part lives on its theme page, or on its own page
    when the theme has several articles)."""
    if page.kind == "part":
        own = routes.get(page.url)
        return page.url if own is not None and own.page is page else f"{page.theme}/#{page.slug}"
    return page.url


def _folder_clash(section: Route, other: str, config: Config, errors: Collector) -> None:
    """A folder of content/ whose section list would take the URL of a generated page (the
    About page for content/about/): reported at the pages in it."""
    names = [p.shown for p in sorted(section.members, key=lambda p: p.rel)]
    folder = config.shown(config.content_dir / section.key) + "/"
    more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
    errors.error(names[0] if names else folder, None, f"this page is in the folder {folder}{more}, whose list "
                 f"page would be /{section.url}, the URL of {other}; rename the folder (e.g. "
                 f"{folder.rstrip('/')}-pages/), or give its pages another 'section:'")


def _list_routes(config: Config, pages: list[Page], errors: Collector, add: Callable[[Route, str], None]) -> None:
    """A list page for each section and each tag, and the tag index."""
    sections: dict[str, list[Page]] = {}
    tags: dict[str, list[Page]] = {}
    names: dict[str, str] = {}
    slugs: dict[str, tuple[str, str | None]] = {}  # tag -> (its slug, why it cannot be a folder): once a tag
    for page in pages:
        for tag in page.meta.get("tags", []):
            known = slugs.get(tag)
            if known is None:
                known = slugs[tag] = (slugify(tag), segment_problem(slugify(tag)))
            slug, problem = known
            if problem:  # 'CON' → tags/con/, which Windows cannot hold
                errors.error(page.shown, page.line("tags"), f"tag '{printable(tag)}' makes the URL "
                             f"/tags/{slug}/, whose name {problem}; use another word")
            names.setdefault(slug, tag)
    intros = {p.url: p for p in pages if _is_index(p)}
    for page in list_order(pages):  # sorted once: every list below is in this order
        if page.kind in ("page", "source") and page.section and page.url != page.section + "/":
            sections.setdefault(page.section, []).append(page)  # never a section's own intro
        for tag in page.meta.get("tags", []):
            tags.setdefault(slugs[tag][0], []).append(page)
    for section, members in sorted(sections.items()):
        intro = intros.get(section + "/")
        title = intro.title if intro is not None else humanise(section.rsplit("/", 1)[-1])
        _add_list(add, Route(f"{section}/", "section", title, "list.html", key=section, members=members),
                  f"the '{section}' section list", config.paginate)
    if tags:
        add(Route("tags/", "tags", "Tags", "tags.html"), "the tag index")
        for slug, members in sorted(tags.items()):
            _add_list(add, Route(f"tags/{slug}/", "tag", f"{names[slug]}", "list.html", key=slug, members=members),
                      f"the tag page for '{names[slug]}'", config.paginate)
