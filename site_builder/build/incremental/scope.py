"""The part of the site's structure one route shows: its quick key's stand-in for the whole
structure key, so that a new article makes candidates of the routes it can change (the lists it
joins, its theme's hub, figures and trends, the articles it is related to) and not of all.

Only the routes of articles are scoped — a theme's pages (hub, figures, trends), an article's
source page and each of its parts: a 1,000-article site is mostly these, and what each shows of
other pages is known (``Renderer.frame``). Every other route (home, sections, tags, terms, a
hand-written page and its navigation…) keeps the whole structure key.

A route's scope holds, for every page it may show (its own, its members, and for a theme's pages
all of the theme's parts, whose figures and trends they draw), the page's facts (place, title,
date, front matter, links as resolved, where it is linked from); for every article those pages
cite, the facts of all pages citing it (its source page, its parts, and any page quoting it: a
figure's whole, a paragraph's users); the routes it names (its own, its breadcrumbs, the
theme list on a theme page); the related articles of a source page, ranked."""
from __future__ import annotations

from ...fs import digest
from ...model.pages import Page
from ...model.routes import Route
from ...render.context import Renderer, bodies_shown

SCOPED = ("source", "part", "theme", "figures", "trends")


def _cited(page: Page) -> set[str]:
    """The articles (source slugs) a page cites or quotes: in its text, figures, terms and lists."""
    meta = page.meta
    refs = {ref for ref, _ in page.scan.refs}
    refs.update(x["source"] for k in ("figures", "terms", "lists") for x in meta.get(k, [])
                if isinstance(x, dict) and isinstance(x.get("source"), str))
    return {ref.partition("#")[0] for ref in refs}


class Scopes:
    """The scope key of each route of one build (memoised: a theme's and an article's facts are
    shared by many routes)."""

    def __init__(self, renderer: Renderer):
        self.renderer, self.site = renderer, renderer.site
        self._facts: dict[str, tuple] = {}
        self._cites: dict[str, set[str]] = {}
        self._articles: dict[str, str] = {}
        self._themes: dict[str, str] = {}
        self._family: dict[str, list[Page]] | None = None
        self._parts: dict[str, list[Page]] = {}
        self._theme_list: str | None = None

    def key(self, route: Route) -> str | None:
        """The route's scope key; None when the route is not scoped (it takes the structure key)."""
        if route.kind not in SCOPED:
            return None
        # a figures or trends page's members are its theme's parts: in ``_theme``, as the page uses them
        drawn = route.kind in ("figures", "trends")
        shown = [*bodies_shown(route), *(() if drawn else route.members)]
        extra: list = [self.renderer.has_feed, self._crumbs(route)]
        if route.kind in ("theme", "figures", "trends"):
            extra.append(self._theme(route.key))
        if route.kind == "theme":
            extra.append(self._theme_routes())
        if route.kind == "source" and route.page is not None:
            extra.append(self._related(route.page))
        cited = sorted({s for p in shown for s in self._cited(p)} | {p.slug for p in shown if p.kind == "source"})
        return digest(_route_fact(route, drawn), [self._fact(p) for p in shown], [self._article(s) for s in cited],
                      extra)

    def _cited(self, page: Page) -> set[str]:
        found = self._cites.get(page.rel)
        if found is None:
            found = self._cites[page.rel] = _cited(page)
        return found

    def _fact(self, page: Page) -> tuple:
        """What any page shows of this one: its place, title, date, front matter, its first article
        (a part's source), its links as they resolve, and its link (a part's changes with its hub)."""
        fact = self._facts.get(page.rel)
        if fact is None:
            refs = page.scan.refs
            fact = self._facts[page.rel] = (
                page.rel, page.kind, page.theme, page.section, page.url, self.site.page_link(page), page.title,
                page.date, page.meta_digest, page.meta.get("updated"), refs[0][0].partition("#")[0] if refs else "",
                sorted(self.site.links.get(page.rel, {}).items(), key=str))
        return fact

    def _article(self, slug: str) -> str:
        """An article as other pages show it: the facts of every page citing or quoting it."""
        key = self._articles.get(slug)
        if key is None:
            if self._family is None:
                self._family = {}
                for p in self.site.pages:
                    for s in self._cited(p) | ({p.slug} if p.kind == "source" else set()):
                        self._family.setdefault(s, []).append(p)
            key = self._articles[slug] = digest(slug, [self._fact(p) for p in self._family.get(slug, [])])
        return key

    def _theme(self, theme: str) -> str:
        """A theme's figures and trends: all its parts, and the articles they cite."""
        key = self._themes.get(theme)
        if key is None:
            if not self._parts:
                for p in self.site.pages:
                    if p.kind == "part":
                        self._parts.setdefault(p.theme, []).append(p)
            parts = self._parts.get(theme, [])
            cited = sorted({s for p in parts for s in self._cited(p)})
            key = self._themes[theme] = digest(theme, [self._fact(p) for p in parts], [self._article(s) for s in cited])
        return key

    def _theme_routes(self) -> str:
        """The themes a theme page names (the previous and next): each one's first page and intro."""
        if self._theme_list is None:
            firsts = [r for r in self.site.routes.values() if r.kind == "theme" and r.number == 1]
            self._theme_list = digest([(r.url, r.title, r.key, [self._fact(p) for p in (r.page, r.intro) if p])
                                       for r in firsts])
        return self._theme_list

    def _crumbs(self, route: Route) -> list:
        parts = route.url.strip("/").split("/")[:-1]
        ups = (self.site.routes.get("/".join(parts[: i + 1]) + "/") for i in range(len(parts)))
        return [(up.url, up.kind, up.title) if up else None for up in ups]

    def _related(self, page: Page) -> list:
        """A source page's related articles, as ranked (each one's card is in its article's facts)."""
        return [(slug, themes, things, self._article(slug))
                for slug, themes, things in self.renderer.related_articles().of(page.slug)]


def _route_fact(route: Route, drawn: bool = False) -> tuple:
    return (route.url, route.kind, route.title, route.template, route.key, route.number, route.pages,
            route.first, route.total, [] if drawn else [p.rel for p in route.members])
