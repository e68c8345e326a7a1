"""What a build checks before it writes anything, beyond the site itself: every template a route
names exists (and parses), and no two outputs collide."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import Collector
from ..model.site import Site
from ..model.urls import output_file
from ..paths import OutputClaims
from ..render import shards
from ..render.context import Renderer
from ..render.feeds import NOJEKYLL
from ..render.templates import dependencies, missing_template


# names in the output folder that site-builder keeps for itself, besides the generated files
RESERVED = {".site-builder.json": "site-builder's record of the output folder"}


def check_templates(site: Site, renderer: Renderer) -> None:
    errors = Collector()
    known = set(renderer.env.list_templates())
    for r in site.routes.values():
        if r.template not in known:
            who = r.page or r.intro
            errors.error(who.shown if who else "templates", who.line("template") if who else None,
                         missing_template(r.template, known))
    errors.raise_if_any()
    dependencies(renderer.env, site.config, sorted({r.template for r in site.routes.values()}), renderer.index)


_CHECKED: list[tuple[str, str]] = []  # the outputs the last check passed (the dev server builds again and again)


def check_outputs(site: Site, statics: dict[str, Path], extras: Iterable[str]) -> None:
    """Every file the build will write, checked for collisions before the first is written:
    two writers of one file (a page at url: feed.xml), a file where another needs a folder,
    or names that differ only in case (one file on macOS and Windows)."""
    global _CHECKED
    config = site.config
    claims = [(rel, RESERVED.get(rel) or f"the generated {rel}") for rel in dict.fromkeys([*extras, NOJEKYLL, *RESERVED])]
    if config.search:
        claims.append((shards.FOLDER + "/", "the search index"))
    routes = list(site.routes.values())  # generated pages first, as build_routes made them
    first_route = len(claims)
    claims += [(output_file(r.url), r.owner) for r in routes]
    files = [*((rel, config.shown(p)) for p, rel in site.assets), *((rel, config.shown(p)) for rel, p in statics.items())]
    claims += files
    if claims == _CHECKED:
        return
    taken, errors = OutputClaims(), Collector()
    folders = {output_file(r.url).rpartition("/")[0]: r for r in routes if r.url != "/"}
    for i, (rel, owner) in enumerate(claims):
        problem = taken.claim(rel, owner)
        if problem is None:
            continue
        r = routes[i - first_route] if first_route <= i < first_route + len(routes) else None
        if r is None and i < first_route:  # a list's own feed (blog/feed.xml) is named by the list's page
            r = folders.get(rel.rpartition("/")[0])
        who = r and (r.page or next(iter(r.members), None) or r.intro)
        if r is None:
            errors.error(owner, None, f"{problem}; rename one of them")
        else:
            keys = ("aliases",) if r.kind == "alias" else ("url", "slug")
            key = next((k for k in keys if who is not None and k in who.meta), "")
            errors.error(who.shown if who else owner, who.line(key) if who and key else None,
                         f"{problem}; rename one of them or give it a different url or slug")
    errors.raise_if_any()
    _CHECKED = claims
