"""The keys below the inputs (structure, template, quick, route, body), memoised for one build.
Each is a hash (``fs.digest``) of what it stands for; the rules they obey are in this package's
docstring."""
from __future__ import annotations

import hashlib

from ...fs import digest
from ...model.pages import Page
from ...model.routes import Route
from ...render.context import Renderer, bodies_shown
from ...render.templatedeps import closure, dependencies, site_attributes
from ...render.view import Context
from .scope import Scopes


class Keys:
    """The keys of one build of one site (``renderer``: its site, templates and views)."""

    def __init__(self, renderer: Renderer, env: str, templates: dict[str, str] | None = None,
                 structure: str | None = None):
        self.renderer, self.site, self.config = renderer, renderer.site, renderer.config
        self.env = env  # the environment key's digest: site_builder's code, the Markdown extensions...
        self._templates: dict[str, str] = dict(templates or {})
        self._structure = structure
        self._bodies: dict[str, str] = {}
        self._scopes = Scopes(renderer)

    def __reduce__(self) -> tuple:
        """Sent to a worker process with the template and structure keys made so far."""
        return (Keys, (self.renderer, self.env, self._templates, self._structure))

    def structure(self) -> str:
        """Everything about the site a page can show of *other* pages: every page's place and
        front matter, the article each theme part is from (its first citation: a source page
        lists related articles by the themes they feed), its updated date (from git, it is not in the
        front matter), the routes, and the URLs links resolve to. A body-only edit that cites the
        same article first keeps it."""
        if self._structure is None:
            site = self.site
            self._structure = digest(
                [(p.rel, p.kind, p.theme, p.url, p.meta_digest, p.scan.refs[0][0].partition("#")[0]
                  if p.kind == "part" and p.scan.refs else "", p.meta.get("updated")) for p in site.pages],
                [(r.url, r.kind, r.title, r.template, r.key) for r in site.routes.values()], site.links_key)
        return self._structure

    def template(self, name: str) -> str:
        """A template, with everything it extends, includes or imports; what it reads of ``site``
        (all of it when it uses ``site`` as a whole); the config; the static files' versions."""
        key = self._templates.get(name)
        if key is None:
            r = self.renderer
            names = closure(dependencies(r.env, self.config, [name], r.index), name)
            sources = [r.index.entry(n)[0] for n in names]
            attrs = site_attributes(r.index, names)
            view = r.site_view if attrs is None else {a: r.site_view.get(a) for a in sorted(attrs)}
            key = digest(sources, repr(view), repr(self.config), sorted(r.versions.items()))
            self._templates[name] = key
        return key

    def quick(self, route: Route) -> str:
        """A cheap stand-in for the route key: it hashes, more coarsely, everything the route key
        depends on (the central rule), without making the route's context."""
        own = [p.digest for p in bodies_shown(route)]
        if route.page is not None and route.page.kind == "source":
            own += sorted(u.digest for users in self.site.usage.get(route.page.slug, {}).values() for u in users)
        # an article's routes hold the part of the structure they show (``scope``), the others all of it
        structure = self._scopes.key(route) or self.structure()
        return digest(self.template(route.template), structure, route.url, route.kind, own)

    def route(self, route: Route, frame: Context) -> str:
        """Everything a route's output is made from: its template key, its context (``frame``,
        made to be rendered: the same context, not a second one) and the key of each body it shows."""
        # hashed as it is, not through ``digest``: the repr of a tuple holding the context's repr
        # (4 KB on a content page) quoted it all again. The keys are hex of one length, the repr last.
        h = hashlib.blake2b(digest_size=16)
        h.update(" ".join([self.template(route.template), *(self.body(p) for p in bodies_shown(route))]).encode())
        h.update(b"\n")
        h.update(repr(frame).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def body(self, page: Page) -> str:
        """Everything a rendered body depends on: the environment (one body table serves every
        output folder, each with its own environment: a body converted with other Markdown
        extensions must not come back), the file, how its links resolve, the title and URL of each
        source it cites and, for a source, where its paragraphs are cited."""
        key = self._bodies.get(page.rel)
        if key is None:
            sources = self.site.sources
            refs = sorted({ref.partition("#")[0] for ref, _ in page.scan.refs})
            cited = [(s, sources[s].title, sources[s].url) for s in refs if s in sources]
            key = digest(self.env, page.digest, self.config.allow_html, self.config.base_url,
                         sorted(self.site.links.get(page.rel, {}).items()), cited,  # (unique targets: no URL compared)
                         self.renderer.usage(page))
            self._bodies[page.rel] = key
        return key
