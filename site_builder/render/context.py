"""Routes → HTML strings: the ``Renderer`` builds each route's template context and renders it.
Pure: takes the validated Site, returns text; never touches disk, and knows nothing of caches.

A route is rendered in two steps, so that a build can decide from the first whether the second
is needed (``build.incremental``): ``frame`` makes the context without the route's Markdown
bodies (it is the route's key material: ``bodies_shown`` names the bodies that complete it), and
``fill`` puts the bodies in. ``render`` makes the HTML of a filled context."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Callable

from markupsafe import Markup

from ..errors import SiteError
from ..model.pages import Page, load_body
from ..model.routes import Route, is_hub
from ..model.site import Site
from ..model.urls import clean_rel, is_unsafe_target, part_id
from ..paths import slugify
from . import charts, lists, shards
from .feeds import newest_date
from .jsonld import jsonld
from .markdown import Converter
from .linking import PageHooks
from .provenance import Provenance
from .related import Related
from .templatedeps import TemplateIndex
from .templates import make_env, render, unfolded
from .navview import NavViews
from .summary import first_paragraph
from .themeview import ThemeViews
from .view import Card, Cards, Context, Meta, SiteView

GENERATOR = "site_builder"
NEWEST = 10        # articles listed on the home and About pages (the archive lists them all)
CREDITS = 3        # sources the footer names; more, and it links to the archive

Body = Callable[[Page], "tuple[str, list[dict]]"]  # a page's Markdown as HTML, and its table of contents


def bodies_shown(route: Route) -> list[Page]:
    """The pages whose Markdown a route shows, in the order ``fill`` puts them in."""
    return [p for p in (route.intro, route.page, *(route.members if route.kind == "theme" else ())) if p]


class Renderer:
    """The template context of each route, and its HTML."""

    def __init__(self, site: Site, asset_versions: dict[str, str] | None = None,
                 templates: dict | None = None):
        self.site = site
        self.config = site.config
        self.urls = site.urls
        self.env = make_env(site.config, self.urls)
        self.index = TemplateIndex(self.env, site.config, templates)
        self.md = Converter(site.config.allow_html, site.config.markdown_extensions)
        self.versions = asset_versions or {}
        self.env.globals["asset"], self.env.filters["asset"] = self.asset, unfolded(self.asset)
        self.cards = Cards(self._card, site.by_rel)  # made when first shown: a rebuild shows few
        self.prov = Provenance(site, self.urls)
        self.nav = NavViews(site.nav, self.urls, site.config.nav is not None)
        self._related: Related | None = None   # made when the first source page renders
        self.has_feed = newest_date(site) is not None  # feeds need a date (render/feeds.py)
        self.themes = ThemeViews(site, self.urls, self.cards, self.prov, self._route_card)
        self.search_plan = shards.site_plan(site) if self.config.search else {}
        self.site_view = self._site_view()

    def __reduce__(self) -> tuple:
        """Sent to a worker process as what it is made from: the site, asset versions, templates."""
        return (Renderer, (self.site, self.versions, self.index.info))

    # -- helpers ------------------------------------------------------------------
    def asset(self, rel: str) -> str:
        """URL of a static file, with a content hash so browsers never keep a stale copy."""
        v = self.versions.get(rel)
        return self.urls.url(rel) + (f"?v={v}" if v else "")

    def _extra(self, value: str) -> str:
        """An ``extra_css``/``extra_js`` item: a web address as written, a file under static/ as
        its URL (under the base path, with its version)."""
        return value if "://" in value or value.startswith("//") else self.asset(clean_rel(value))

    def _card(self, page: Page) -> Card:
        meta = page.meta
        return Card(page.title, self.urls.url(self.site.page_link(page)), page.date,
                    meta.get("summary", ""), page.kind, page.section, meta.get("language", ""),
                    meta.get("publisher") or meta.get("origin", ""), meta.get("original_url", ""))

    def summary(self, route: Route) -> str:
        page = route.page or route.intro
        own = page.meta.get("summary", "") if page else ""
        return own or (self.config.theme(route.key).summary if route.kind == "theme" else "")

    def _route_card(self, route: Route) -> Card:
        return Card(route.title, self.urls.url(route.url), None, self.summary(route), route.kind, "")

    def _site_view(self) -> SiteView:
        site, cfg = self.site, self.config
        firsts = [r for r in site.routes.values() if r.number == 1]  # a list once, not each of its pages
        themes = [dict(id=r.key, title=r.title, href=self.urls.url(r.url), url=r.url,
                       summary=self._route_card(r).summary, count=r.total or len(r.members))
                  for r in firsts if r.kind == "theme"]
        sections = [self._route_card(r) for r in firsts if r.kind == "section" and r.key != "sources"]
        sources = [self.cards[p.rel] for p in sorted(site.sources.values(),
                                                     key=lambda p: (p.when is None, p.when or 0), reverse=True)]
        # the newest few: every figure is on its theme's figures page
        figures = sorted((f for p in site.pages for f in p.meta.get("figures", [])),
                         key=self.prov.newest_first)[:cfg.theme_figures]
        figures = [self.prov.figure(f) for f in figures]
        terms = self.prov.terms()
        tags = [dict(name=r.title, href=self.urls.url(r.url), count=r.total or len(r.members))
                for r in firsts if r.kind == "tag"]
        return SiteView(dict(
            title=cfg.title, description=cfg.description, language=cfg.language,
            author=cfg.author, copyright=cfg.copyright, base_url=cfg.base_url,
            home=self.urls.url(""), themes=themes, sections=sections, sources=sources,
            newest=sources[:NEWEST], source_count=len(sources), archive=self.urls.url("sources/") if sources else "",
            credits=sources if len(sources) <= CREDITS else [],
            figures=figures, charts=charts.charts_for(figures), terms=terms, tags=tags, search=cfg.search, extra=dict(cfg.extra),
            search_index=[self.urls.url(shards.bundle(k)) for k in self.search_plan],
            nav=self.nav.header(),
            extra_css=[self._extra(v) for v, _ in cfg.extra_css], extra_js=[self._extra(v) for v, _ in cfg.extra_js],
            has_terms="terms/" in site.routes, has_tags="tags/" in site.routes, has_feed=self.has_feed,
            recent=[self.cards[p.rel] for p in sorted((p for p in site.pages if p.kind == "page"),
                    key=lambda p: (p.when is not None, p.when or 0), reverse=True)[:10]],
            generator=GENERATOR,
        ))

    def usage(self, page: Page) -> dict[str, list[tuple[str, str]]]:
        """For a source: where each of its paragraphs is cited (title and URL of each page)."""
        if page.kind != "source":
            return {}
        site = self.site
        return {para: [(u.title if u.kind != "part" else self.config.theme(u.theme).title,
                        self.urls.url(f"{site.page_link(u).partition('#')[0]}#{page.slug}-{para}"
                                      if u.kind == "part" else site.page_link(u)))
                       for u in users]
                for para, users in site.usage.get(page.slug, {}).items()}

    def convert(self, page: Page) -> tuple[str, list[dict]]:
        """The page's Markdown as HTML, and its table of contents."""
        links = self.site.links.get(page.rel, {})
        site = self.site

        def resolve(target: str) -> str | None:
            if target in links:
                return links[target]
            if is_unsafe_target(target):
                return None
            return site.resolve_late(page, target)  # a link the scan could not see (rare)

        def provenance(ref: str) -> tuple[str, str, str] | None:
            slug, _, para = ref.partition("#")
            src = site.sources.get(slug)
            if src is None:
                return None
            return (f"{slug}-{para}", self.urls.url(f"{src.url}#{para}"),
                    f"Source: paragraph {para[1:]} of “{src.title}”")

        try:
            return self.md.convert(load_body(page), PageHooks(resolve, provenance, self.usage(page)))
        except RecursionError:
            raise SiteError(page.shown, None, "Markdown nested too deeply to render; flatten the nested "
                                              "lists, quotes or emphasis") from None

    # -- routes -----------------------------------------------------------------------
    def frame(self, route: Route) -> Context:
        """The route's context without its Markdown bodies (see ``fill``)."""
        page = route.page
        meta = Meta(page.meta if page else (route.intro.meta if route.intro else {}))
        description = (meta.get("description") or meta.get("summary") or self._route_card(route).summary
                       or self.config.description or route.title)
        ctx = Context(kind=route.kind, title=route.title, url=route.url, href=self.urls.url(route.url),
                      permalink=self.urls.absolute(route.url), description=description,
                      language=meta.get("language") or self.config.language,
                      date=meta.get("date"), updated=meta.get("updated"), meta=meta,
                      summary=meta.get("summary", ""))
        if page:
            ctx.tags = [(t, self.urls.url(f"tags/{slugify(t)}/")) for t in meta.get("tags", [])]
            ctx.figures = [self.prov.figure(f) for f in meta.get("figures", [])]
            ctx.lists = [dict(x, source_href=self.prov.href(x["source"])) for x in meta.get("lists", [])]
        ctx.breadcrumbs = self._breadcrumbs(route)
        ctx.members = [self.cards[p.rel] for p in route.members] if route.kind not in ("theme", "figures", "trends") else []
        ctx.pager = lists.pager(route, self.urls)
        if route.kind == "section" and route.key == "sources":
            ctx.groups = lists.by_month(ctx.members, self.config.language)
        if route.kind in ("theme", "part") and self.has_feed:
            theme = self.config.theme(route.key)
            ctx.feeds = [(f"{theme.title} · {self.config.title}", self.urls.url(f"{theme.id}/feed.xml"))]
        elif route.kind in ("section", "tag") and self.has_feed:  # each list's feed, from all its pages
            ctx.feeds = [(f"{route.title} · {self.config.title}", self.urls.url(f"{route.first or route.url}feed.xml"))]
        if route.kind == "theme":
            self.themes.theme(route, ctx)
        elif route.kind == "part" and page is not None:
            ctx.parts = [self.themes.part(page, hub=False)]
            ctx.source = ctx.parts[0].source
        elif route.kind in ("figures", "trends"):
            self.themes.figures(route, ctx)
        elif route.kind == "source" and page is not None:
            ctx.related = self.related(page)
        elif route.kind == "alias":  # a redirect: where to, as a link and as the canonical address
            ctx.href, ctx.permalink = self.urls.url(route.key), self.urls.absolute(route.key)
        elif route.kind == "page" and page is not None:
            self.nav.page(page.rel, ctx, self.cards.__getitem__)
        ctx.jsonld = jsonld(route.kind, ctx, self.config, self.urls)
        return ctx

    def related_articles(self) -> Related:
        """The ranking of related articles, made when first asked for (by a source page, or by
        the incremental build's scope of one: ``build.incremental.scope``)."""
        if self._related is None:
            self._related = Related(self.site)
        return self._related

    def related(self, page: Page) -> list[dict]:
        """The articles related to a source, as its page lists them."""
        out = []
        for slug, themes, things in self.related_articles().of(page.slug):
            card = self.cards[self.site.sources[slug].rel]
            out.append(dict(card=card, themes=[self.config.theme(t).title for t in themes], things=things))
        return out

    def _breadcrumbs(self, route: Route) -> list[tuple[str, str]]:
        crumbs = [("Home", self.urls.url(""))]
        if route.kind == "home":
            return []
        parts = route.url.strip("/").split("/")[:-1]
        for i in range(len(parts)):
            up = self.site.routes.get("/".join(parts[: i + 1]) + "/")
            if up and up.kind != "alias":  # an old address is no place in the site
                crumbs.append((up.title, self.urls.url(up.url)))
        return crumbs

    def fill(self, ctx: Context, route: Route, body: Body) -> Context:
        """Put the route's Markdown bodies into its frame (``body``: each page's HTML and table of
        contents): the intro, the content, each part of a theme, and the table of contents."""
        toc: list[dict] = []
        if route.intro:
            html, toc = body(route.intro)
            ctx.intro = Markup(html)
        if route.page:
            html, toc = body(route.page)
            ctx.content = Markup(html)
        ctx.toc = list(toc)  # a copy: a theme's parts extend it, and ``body`` may hand out a cached list
        if route.kind == "theme" and not is_hub(route):  # a hub shows summaries, not the parts' text
            for part, page in zip(ctx.parts, route.members):  # ids under the part's anchor: see part_id
                html, toc = body(page)
                part.html = Markup(own_ids(html, part.anchor))
                ctx.toc.extend(_toc_under(toc, part.anchor))
        if not ctx.summary:
            ctx.summary = first_paragraph(ctx.intro or ctx.content)
        return ctx

    def render(self, route: Route, ctx: Context | None = None) -> str:
        """The route's HTML from its filled context (by default: made here, every body converted)."""
        if ctx is None:
            ctx = self.fill(self.frame(route), route, self.convert)
        return render(self.env, self.config, route.template,
                      {"site": self.site_view, "page": ctx, "config": self.config}, route.owner)


# the id attributes and in-page references Markdown and its extensions write (in double quotes);
# a cited paragraph's id (after its data-src: linking.ProvenanceMarks) is unique in the site already,
# and source pages link to it ("Used in")
_IDS = re.compile(r'(\sdata-src="[^"]*" id="[^"]*")|(\s(?:id|for|aria-labelledby|aria-describedby)="|\shref="#)([^"#\s]+)"')


def own_ids(html: str, anchor: str) -> str:
    """A part's HTML with its ids and the references to them under its anchor (``part_id``)."""
    return _IDS.sub(lambda m: m[1] or f'{m[2]}{part_id(anchor, m[3])}"', html)


def _toc_under(toc: list[dict], anchor: str) -> list[dict]:
    return [dict(t, id=part_id(anchor, t["id"]), children=_toc_under(t.get("children", []), anchor))
            for t in toc]


def file_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]
