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
from ..render.templatedeps import dependencies
from ..render.templates import missing_template


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
    routes = list(site.routes.values())  # generated pages first, as build_routes made them
    folders = {output_file(r.url).rpartition("/")[0]: r for r in routes}
    folders.pop("", None)  # the site's root files are the site's, not the home or 404 page's
    extras = list(dict.fromkeys(extras))
    # a list's own feed (blog/feed.xml) is claimed with the list's page, after the site's files,
    # so that a collision names the content file that made the list
    own = [(rel, folders[rel.rpartition("/")[0]]) for rel in extras if rel.rpartition("/")[0] in folders]
    claims = [(rel, RESERVED.get(rel) or f"the generated {rel}", None)
              for rel in dict.fromkeys([*(e for e in extras if e.rpartition("/")[0] not in folders), NOJEKYLL, *RESERVED])]
    if config.search:
        claims.append((shards.FOLDER + "/", "the search index", None))
    claims += [(output_file(r.url), r.owner, r) for r in routes]
    claims += [(rel, f"the generated {rel}", r) for rel, r in own]
    claims += [*((rel, config.shown(p), None) for p, rel in site.assets),
               *((rel, config.shown(p), None) for rel, p in statics.items())]
    names = [(rel, owner) for rel, owner, _ in claims]
    if names == _CHECKED:
        return
    taken, errors = OutputClaims(), Collector()
    for rel, owner, r in claims:
        problem = taken.claim(rel, owner)
        if problem is None:
            continue
        who = r and (r.page or next(iter(r.members), None) or r.intro)
        if r is None:
            errors.error(owner, None, f"{problem}; rename one of them")
        else:
            keys = ("aliases",) if r.kind == "alias" else ("url", "slug")
            key = next((k for k in keys if who is not None and k in who.meta), "")
            errors.error(who.shown if who else owner, who.line(key) if who and key else None,
                         f"{problem}; rename one of them or give it a different url or slug")
    errors.raise_if_any()
    _CHECKED = names
