"""The plan of a build: which routes are candidates, which files to copy or generate, and what
the build leaves for the next (the rules are this package's docstring)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ...fs import Signature, digest, signature
from ...model.config import Config
from ...model.pages import Page
from ...model.routes import Route
from ...model.site import Site
from ...model.urls import output_file
from ...render import feeds
from ...render.context import Renderer, bodies_shown
from .environment import VERSION
from .keys import Keys
from .state import State


@dataclass
class Plan:
    """What the build must do, and the keys it knows already."""
    keys: Keys
    template_keys: dict[str, str]                # template name -> key
    quick: dict[str, str]                        # output file -> quick key
    kept: dict[str, str]                         # output file -> route key, of routes kept as they are
    candidates: list[tuple[str, str | None]]     # (route URL, its output's last key): see rule 2
    extras_key: str
    extras: dict[str, bytes]                     # generated files to write (none when unchanged)
    extra_keys: dict[str, str]                   # generated file -> output key
    copies: dict[str, Path]                      # output file -> the file copied there
    copy_keys: dict[str, str]


def plan(site: Site, renderer: Renderer, env: tuple, state: State | None, intact: bool,
         statics: dict[str, Path]) -> Plan:
    """Decide, from the last build's state, which routes are candidates and which files to copy
    or generate, with their keys."""
    keys = Keys(renderer, digest(env))
    routes = list(site.routes.values())
    template_keys = {name: keys.template(name) for name in {r.template for r in routes}}
    last = state if intact else None
    quick = _quick_keys(keys, site, template_keys, last)
    previous = last.outputs if last else {}
    kept: dict[str, str] = {}
    candidates: list[tuple[str, str | None]] = []
    for r in routes:
        f = output_file(r.url)
        if last and f in previous and last.quick.get(f) == quick[f]:
            kept[f] = previous[f]  # rule 1
        else:
            candidates.append((r.url, previous.get(f)))
    extras_key = digest(keys.structure(), repr(site.config), env)
    if last and last.extras_key == extras_key:
        extras, extra_keys = {}, last.extras
    else:
        extras = feeds.site_files(site, renderer)
        extra_keys = {rel: digest(data) for rel, data in extras.items()}
    copies = {rel: path for path, rel in site.assets}
    copies.update(statics)
    copy_keys = {rel: _copy_key(path, state) for rel, path in copies.items()}
    return Plan(keys, template_keys, quick, kept, candidates, extras_key, extras, extra_keys, copies, copy_keys)


def _copy_key(path: Path, state: State | None) -> str:
    """A copied file's output key: its path and its signature if trusted, else its content."""
    sig = signature(path)
    trusted = state is not None and state.trusted(sig)
    return digest(str(path), sig if trusted else hashlib.sha256(path.read_bytes()).hexdigest())


def _quick_keys(keys: Keys, site: Site, template_keys: dict[str, str], last: State | None) -> dict[str, str]:
    """Every route's quick key. When the structure and the templates are as the last build left
    them, only a route showing a page read anew (its file changed) can have a new one."""
    routes = site.routes.values()
    if last is None or last.structure != keys.structure() or last.template_keys != template_keys:
        return {output_file(r.url): keys.quick(r) for r in routes}
    quick, fresh = dict(last.quick), site.fresh
    # a source shows where its paragraphs are cited: by a changed page, now or before the change
    cited = {ref.partition("#")[0] for rel in fresh
             for p in (site.by_rel.get(rel), last.pages.get(rel, (None, None))[1]) if p is not None
             for ref, _ in p.scan.refs}
    for r in routes:
        if any(p.rel in fresh for p in bodies_shown(r)) or (
                r.page is not None and r.page.kind == "source" and r.page.slug in cited):
            quick[output_file(r.url)] = keys.quick(r)
    return quick


def remember(config: Config, out: Path, env: tuple, inputs: dict, scanned_ns: int, site: Site,
             last: State | None, renderer: Renderer, p: Plan, outputs: dict[str, str], search: dict[int, str],
             search_want: dict[int, str], marker: Signature | None) -> State:
    """What this build leaves for the next: every key above, the pages as read (metadata only),
    how their links resolved, the outputs and their keys."""
    return State(
        VERSION, str(config.root), str(out), env, inputs,
        pages={page.rel: (site.signatures.get(page.rel), page) for page in site.pages},
        links_key=site.links_key,
        links={page.rel: (page.digest, site.links.get(page.rel, {}),
                          site.link_warnings.get(page.rel) or _link_warnings(last, page)) for page in site.pages},
        outputs=outputs, quick=p.quick, marker=marker, search=search, search_want=search_want,
        search_plan=renderer.search_plan, warnings=[(w.path, w.line, w.message) for w in site.warnings],
        scanned_ns=scanned_ns, templates=renderer.index.info, template_keys=p.template_keys,
        extras_key=p.extras_key, extras=p.extra_keys, structure=p.keys.structure(), until_ns=site.next_change,
        base=last.base if last else None)


def _link_warnings(last: State | None, page: Page) -> list:
    """Warnings a page's links gave when they were resolved (kept so every build repeats them)."""
    if last is None:
        return []
    known = last.links.get(page.rel)
    return list(known[2]) if known and known[0] == page.digest else []


def body_keys(keys: Keys, routes: list[Route]) -> set[str]:
    """The body keys of every page these routes show (the bodies the cache keeps)."""
    return {keys.body(p) for r in routes for p in bodies_shown(r)}
