"""What templates see of a theme's pages: its place among the themes (``page.prev``/``page.next``),
its parts (whole, or on a hub their summaries and links), and its figures and trends, a page at
a time on its figures and trends pages. A theme's charts are drawn once a build."""
from __future__ import annotations

from typing import Callable

from markupsafe import Markup

from ..model.pages import Page
from ..model.routes import FIGURE_ROWS, TRENDS_PER_PAGE, Route, is_hub
from ..model.site import Site
from ..model.urls import Urls
from . import charts
from .provenance import Provenance
from .view import Card, Cards, Context, Part

THEME_TRENDS = 3   # trend charts on a theme page; its trends page has them all


class ThemeViews:
    """The theme, part, figures and trends routes' share of their context (``Renderer.frame``)."""

    def __init__(self, site: Site, urls: Urls, cards: Cards, prov: Provenance,
                 route_card: Callable[[Route], Card]):
        self.site, self.config, self.urls = site, site.config, urls
        self.cards, self.prov, self.route_card = cards, prov, route_card
        # a theme's charts, the same on every page of its hub: drawn once a build, not once a page
        self._drawn: dict[tuple, list[Markup]] = {}

    def theme(self, route: Route, ctx: Context) -> None:
        themes = [r for r in self.site.routes.values() if r.kind == "theme" and r.number == 1]
        i = themes.index(self.site.routes[route.first or route.url])
        ctx.prev = self.route_card(themes[i - 1]) if i > 0 else None
        ctx.next = self.route_card(themes[i + 1]) if i + 1 < len(themes) else None
        ctx.description = self.route_card(route).summary or ctx.description
        hub = is_hub(route)
        for part in route.members:
            ctx.parts.append(self.part(part, hub))
            if not hub:  # a hub's parts show their lists on their own pages
                ctx.lists.extend(dict(x, source_href=self.prov.href(x["source"])) for x in part.meta.get("lists", []))
        self.figures(route, ctx)
        if ctx.parts and not ctx.date:
            ctx.date = max((p.source.date for p in ctx.parts if p.source and p.source.date), default=None)

    def part(self, part: Page, hub: bool) -> Part:
        """An article's part of a theme: whole, or on a hub its summary and a link to its own page."""
        slug = part.scan.refs[0][0].partition("#")[0] if part.scan.refs else ""
        src = self.site.sources.get(slug)
        return Part(part.slug, part.title, self.cards[src.rel] if src else None, Markup(""),  # see Renderer.fill
                    part.meta.get("figures", []), part.meta.get("lists", []), part.meta.get("language", ""),
                    href=self.urls.url(part.url) if hub else "", summary=part.meta.get("summary", "") if hub else "",
                    date=part.date)

    def figures(self, route: Route, ctx: Context) -> None:
        """A theme's figures and trends (theme-wide, also on a hub's later pages): on the theme
        page the newest few, on its figures and trends pages all of them, a page at a time."""
        figures, found = self.prov.theme_figures(route.key)
        n = route.number
        ctx.figure_count, ctx.trend_count = len(figures), len(found)
        ctx.figures_href = self.urls.url(f"{route.key}/figures/")
        ctx.trends_href = self.urls.url(f"{route.key}/trends/") if found else ""
        if route.kind == "figures":
            ctx.figures = figures[(n - 1) * FIGURE_ROWS:n * FIGURE_ROWS]
        elif route.kind == "trends":
            ctx.trends = self._draw(("trends", route.key, n), lambda: charts.trends(
                found[(n - 1) * TRENDS_PER_PAGE:n * TRENDS_PER_PAGE], ctx.figures_href))
        else:
            ctx.figures = figures[:self.config.theme_figures]
            ctx.charts = self._draw(("charts", route.key), lambda: charts.charts_for(ctx.figures))
            ctx.trends = self._draw(("theme", route.key), lambda: charts.trends(found[:THEME_TRENDS], ctx.figures_href))

    def _draw(self, key: tuple, draw: Callable[[], list[Markup]]) -> list[Markup]:
        """Charts drawn once a build (``key``: what they show); a copy of the list for each page."""
        drawn = self._drawn.get(key)
        if drawn is None:
            drawn = self._drawn[key] = draw()
        return list(drawn)
