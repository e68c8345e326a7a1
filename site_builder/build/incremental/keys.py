"""Every key of incremental rendering, in one place: what a rendered body, a route's output
and the site's structure are made from, as hashes (``fs.digest``). The renderer has these
methods through ``RouteKeys``; ``quick_keys`` decides which routes' keys a build must compute.

The rule that makes a warm build cheap: a route whose quick key is unchanged has an unchanged
route key (the quick key hashes, more coarsely, everything the route key depends on).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..fs import digest
from ..model.pages import Page
from ..model.routes import Route
from ..model.site import Site
from ..model.urls import output_file
from .templates import closure, dependencies, site_attributes

if TYPE_CHECKING:
    from ..build.state import State  # the saved state of the last build: data only
    from .context import Renderer


class RouteKeys:
    """The keys a ``Renderer`` computes (it owns the caches they use: ``_body_keys``,
    ``_route_hash``, ``_structure``, and ``keys_only``, under which a body stands for itself by
    its key so that ``context`` yields a route's key material instead of HTML)."""

    def body_key(self, page: Page) -> str:
        """A hash of everything a rendered body depends on: the file, how its links resolve,
        the source paragraphs it cites and, for a source, where its paragraphs are used."""
        key = self._body_keys.get(page.rel)
        if key is None:
            refs = sorted({ref.partition("#")[0] for ref, _ in page.scan.refs})
            cited = [(s, self.site.sources[s].title, self.site.sources[s].url) for s in refs if s in self.site.sources]
            key = digest(page.digest, self.config.allow_html, self.config.base_url,
                         sorted(self.site.links.get(page.rel, {}).items(), key=str), cited, self._usage(page))
            self._body_keys[page.rel] = key
        return key

    def structure_key(self) -> str:
        """Everything about the site a page can show of *other* pages: every page's place and
        front matter, the routes, and the URLs links resolve to. A body-only edit keeps it."""
        if self._structure is None:
            site = self.site
            self._structure = digest(
                [(p.rel, p.kind, p.theme, p.url, p.meta_digest) for p in site.pages],
                [(r.url, r.kind, r.title, r.template, r.key) for r in site.routes.values()], site.links_key)
        return self._structure

    def quick_key(self, route: Route) -> str:
        """A cheap stand-in for ``route_key``: if it has not changed, neither has the route key
        (it hashes everything the route key depends on, only more coarsely)."""
        own = [p.digest for p in (route.page, route.intro) if p]
        if route.kind == "theme":
            own += [p.digest for p in route.members]
        if route.page is not None and route.page.kind == "source":
            own += sorted(u.digest for users in self.site.usage.get(route.page.slug, {}).values() for u in users)
        return digest(self._template_key(route.template), self.structure_key(), route.url, route.kind, own)

    def route_key(self, route: Route) -> str:
        """A hash of everything this route's output is made from: its template and what the
        template reads of ``site``, the config, asset versions, and its own context (with each
        Markdown body standing in by its key)."""
        self.keys_only = True
        try:
            ctx = self.context(route)
        finally:
            self.keys_only = False
        return digest(self._template_key(route.template), repr(ctx))

    def _template_key(self, name: str) -> str:
        key = self._route_hash.get(name)
        if key is None:
            names = closure(dependencies(self.env, self.config, [name], self.index), name)
            sources = [self.index.entry(n)[0] for n in names]
            attrs = site_attributes(self.index, names)
            view = self.site_view if attrs is None else {a: self.site_view.get(a) for a in sorted(attrs)}
            key = digest(sources, repr(view), repr(self.config), sorted(self.versions.items()))
            self._route_hash[name] = key
        return key


def quick_keys(renderer: Renderer, site: Site, template_keys: dict[str, str],
               state: State | None) -> dict[str, str]:
    """Every route's quick key. When the site's structure and templates are as the last build
    left them, only routes showing a page read anew (its body changed) can have a new one."""
    routes = site.routes.values()
    if state is None or state.structure != renderer.structure_key() or state.template_keys != template_keys:
        return {output_file(r.url): renderer.quick_key(r) for r in routes}
    quick, fresh = dict(state.quick), site.fresh
    # a source shows where its paragraphs are cited: by a changed page, now or before the change
    cited = {ref.partition("#")[0] for rel in fresh
             for p in (site.by_rel.get(rel), state.pages.get(rel, (None, None))[1]) if p is not None
             for ref, _ in p.scan.refs}
    for r in routes:
        shown = [r.page, r.intro, *(r.members if r.kind == "theme" else ())]
        if any(p is not None and p.rel in fresh for p in shown) or (
                r.page is not None and r.page.kind == "source" and r.page.slug in cited):
            quick[output_file(r.url)] = renderer.quick_key(r)
    return quick


def body_keys(renderer: Renderer, routes: list[Route]) -> set[str]:
    """The body keys of every page these routes show."""
    pages = [p for r in routes for p in (r.page, r.intro, *(r.members if r.kind == "theme" else ())) if p]
    return {renderer.body_key(p) for p in pages}
