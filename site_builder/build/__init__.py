"""Build: read and validate everything, render only what changed (on all cores), then hand
the files to ``output`` to put in place safely."""
from __future__ import annotations

import gc
import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import feeds, search
from .cache import Cache, State, VERSION, code_hash, digest, scan_inputs, signature
from .config import Config
from .content import process_pool, static_files
from .errors import Collector, SiteError
from .frontmatter import suggest
from .journal import stage_for
from .marker import MARKER_FILE
from .output import NOJEKYLL, Folder, check_place, claim, commit, inventory, recover, replace, write_error
from .render import Renderer, file_version
from .site import Route, Site, load_site
from .templates import dependencies
from .paths import OutputClaims
from .urls import output_file

Progress = Callable[[int, int], None]
# names in the output folder that site-builder keeps for itself, besides the generated files
RESERVED = {".site-builder.json": "site-builder's record of the output folder"}


@dataclass
class BuildResult:
    out: Path
    pages: int
    seconds: float
    rendered: int = 0            # routes rendered this time (the rest came from the cache)
    up_to_date: bool = False
    files: list[str] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)
    state: State | None = None  # what the next build can start from (the dev server keeps it)

    def summary(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0
        if self.up_to_date:
            return f"Site is up to date: {self.pages} pages, checked in {self.seconds:.2f} s"
        return (f"Built {self.pages} pages in {self.seconds:.2f} s ({rate:.0f} pages/s), "
                f"{self.pages - self.rendered} from cache")


def check_templates(site: Site, renderer: Renderer) -> None:
    errors = Collector()
    known = set(renderer.env.list_templates())
    for r in site.routes.values():
        if r.template not in known:
            who = r.page or r.intro
            errors.error(who.shown if who else "templates", who.line("template") if who else None,
                         f"template '{r.template}' not found{suggest(r.template, known, 0.8)}; "
                         "create it in templates/ or fix the name")
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
        claims.append((search.FOLDER + "/", "the search index"))
    routes = list(site.routes.values())  # generated pages first, as build_routes made them
    first_route = len(claims)
    claims += [(output_file(r.url), r.owner) for r in routes]
    files = [*((rel, config.shown(p)) for p, rel in site.assets), *((rel, config.shown(p)) for rel, p in statics.items())]
    claims += files
    if claims == _CHECKED:
        return
    taken, errors = OutputClaims(), Collector()
    for i, (rel, owner) in enumerate(claims):
        problem = taken.claim(rel, owner)
        if problem is None:
            continue
        r = routes[i - first_route] if first_route <= i < first_route + len(routes) else None
        who = r and (r.page or next(iter(r.members), None) or r.intro)
        if r is None:
            errors.error(owner, None, f"{problem}; rename one of them")
        else:
            key = next((k for k in ("url", "slug") if who is not None and k in who.meta), "")
            errors.error(who.shown if who else owner, who.line(key) if who and key else None,
                         f"{problem}; rename one of them or give it a different url or slug")
    errors.raise_if_any()
    _CHECKED = claims


# --- rendering, in this process or in forked workers -------------------------------------------

_WORKER: Renderer | None = None  # set before forking: workers inherit the site, nothing is pickled
_BODIES: Cache | None = None     # where workers put the Markdown they rendered


def _render_batch(batch: list[tuple[str, str]]) -> tuple[int, dict[str, str], list[tuple[str, int | None, str]]]:
    """Render routes and write each to its destination. Returns how many were written, the
    route keys (when the build did not know them yet) and any errors."""
    r = _WORKER
    assert r is not None
    errors, done, keys = [], 0, {}
    for url, dest in batch:
        route = r.site.routes[url]
        try:
            if r.want_keys:
                keys[url] = r.route_key(route)
            data = r.render(route).encode()
        except SiteError as e:
            errors.append((e.path, e.line, e.message))
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as f:
            f.write(data)
        done += 1
    if _BODIES is not None:
        _BODIES.put_bodies(r.new_bodies)
    r.new_bodies = {}
    return done, keys, errors


def render_routes(renderer: Renderer, jobs: list[tuple[str, str]], workers: int, progress: Progress | None,
                  cache: Cache | None) -> dict[str, str]:
    """Render every (route url, destination) pair, on all cores for a large site. Returns the
    route keys the workers computed (when ``renderer.want_keys``)."""
    global _WORKER, _BODIES
    _WORKER, _BODIES = renderer, cache
    errors = Collector()
    keys: dict[str, str] = {}
    size = max(8, min(64, len(jobs) // (workers * 8) or 8))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    done = 0
    pool = process_pool(workers) if workers > 1 and len(jobs) >= 64 else None
    try:
        for n, found, errs in (pool.imap_unordered(_render_batch, batches) if pool else map(_render_batch, batches)):
            done += n
            keys.update(found)
            for e in errs:
                errors.error(*e)
            if progress:
                progress(done, len(jobs))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _WORKER, _BODIES = None, None
    errors.raise_if_any()
    return keys


# --- the build ---------------------------------------------------------------------------------

def _quick_keys(renderer: Renderer, site: Site, template_keys: dict[str, str],
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


def _body_keys(renderer: Renderer, routes: list[Route]) -> set[str]:
    pages = [p for r in routes for p in (r.page, r.intro, *(r.members if r.kind == "theme" else ())) if p]
    return {renderer.body_key(p) for p in pages}


def build(config: Config, out: Path | None = None, drafts: bool = False, jobs: int | None = None,
          use_cache: bool = True, progress: Progress | None = None, search_now: bool = True,
          state: State | None = None, save: Callable[[Cache, State], None] | None = None,
          force: bool = False) -> BuildResult:
    """Build the site into ``out``. The dev server passes the ``state`` the last build returned
    (instead of reading it from disk), a ``save`` that writes it in the background, and
    ``search_now=False`` so the browser can reload before the search index is remade.
    ``force`` takes over an output folder site-builder does not own (see output.claim)."""
    # A build makes many objects and almost no reference cycles, over a large heap (the cache
    # state of every page): the cycle collector's passes over that heap were a third of a
    # one-page rebuild at 10,000 pages, for nothing. It runs again once the build is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config, out, drafts, jobs, use_cache, progress, search_now, state, save, force)
    finally:
        if enabled:
            gc.enable()


def _build(config: Config, out: Path | None, drafts: bool, jobs: int | None, use_cache: bool,
           progress: Progress | None, search_now: bool, state: State | None,
           save: Callable[[Cache, State], None] | None, force: bool) -> BuildResult:
    t0 = time.perf_counter()
    out = (out or config.output_dir).resolve()
    check_place(out, config, "--out" if out != config.output_dir else config.shown(config.path))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        notes = recover(out, config)
    except OSError as e:
        raise write_error(config, out, e) from None
    folder = claim(out, config, force)
    workers = max(1, jobs or os.cpu_count() or 1)
    env = (VERSION, code_hash(), config.base_url, drafts, os.environ.get("SOURCE_DATE_EPOCH", ""))
    cache = Cache(config, out) if use_cache else None
    scanned_ns = time.time_ns()
    inputs = scan_inputs(config)
    summary = cache.load_inputs() if cache else None
    if summary is not None and summary.unchanged(env, inputs, signature(out / MARKER_FILE)):
        return BuildResult(out, summary.pages, time.perf_counter() - t0, up_to_date=True,
                           warnings=notes + [SiteError(*w) for w in summary.warnings])
    if state is None or state.env != env or state.out != str(out) or state.root != str(config.root):
        state = cache.load(env) if cache else None
    intact = state is not None and state.marker is not None and signature(out / MARKER_FILE) == state.marker

    site = load_site(config, drafts, previous=state, jobs=workers, signatures=inputs)
    statics = static_files(config)
    versions = {rel: file_version(path.read_bytes()) for rel, path in statics.items()
                if rel.endswith((".css", ".js", ".svg"))}
    renderer = Renderer(site, versions, state.templates if state else None)
    check_templates(site, renderer)
    routes = list(site.routes.values())
    previous = state.outputs if intact else {}
    template_keys = {name: renderer._template_key(name) for name in {r.template for r in routes}}
    quick = _quick_keys(renderer, site, template_keys, state if intact else None)
    keys: dict[str, str] = {}
    if previous:
        # A route whose quick key is unchanged keeps its key; a route whose template changed will be
        # rendered anyway (its key is computed by a worker, in parallel); the rest are hashed in full.
        todo = []
        for r in routes:
            f = output_file(r.url)
            if f in previous and state.quick.get(f) == quick[f]:
                keys[f] = previous[f]
            elif state.template_keys.get(r.template) != template_keys[r.template]:
                todo.append(r)
                continue
            else:
                keys[f] = renderer.route_key(r)
            if previous.get(f) != keys[f]:
                todo.append(r)
    else:
        todo = routes  # everything is rendered: the workers compute the keys as they go
    # sitemap and feed are made from the site's structure (front matter, routes) and config only
    extras_key = digest(renderer.structure_key(), repr(config), env)
    if intact and state.extras_key == extras_key:
        extras, extra_keys = {}, state.extras
    else:
        extras = feeds.site_files(site, renderer)
        extra_keys = {rel: digest(data) for rel, data in extras.items()}
    check_outputs(site, statics, extra_keys)
    copies = {rel: path for path, rel in site.assets}
    copies.update(statics)

    def copy_key(path: Path) -> str:
        sig = signature(path)
        trusted = state is not None and state.trusted(sig)
        return digest(str(path), sig if trusted else hashlib.sha256(path.read_bytes()).hexdigest())

    # the search index, in shards (see search.py): the key of the pages each one is made from
    search_plan = renderer.search_plan
    search_done = dict(state.search) if intact else {}
    if cache and todo and previous:
        renderer.bodies = cache.get_bodies(_body_keys(renderer, todo))
    renderer.want_keys = True
    stage = stage_for(out, "stage" if intact else "building")
    try:
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        found = render_routes(renderer, [(r.url, str(stage / output_file(r.url))) for r in todo],
                              workers, progress, cache)
        keys.update({output_file(url): key for url, key in found.items()})
        version = search.version()
        search_want = {k: digest(version, [(f, keys[f]) for f in files]) for k, files in search_plan.items()}
        outputs = {**keys, **{rel: copy_key(p) for rel, p in copies.items()}, **extra_keys}
        for rel, data in extras.items():
            if previous.get(rel) != outputs[rel]:
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                (stage / rel).write_bytes(data)
        for rel, path in copies.items():
            if previous.get(rel) != outputs[rel]:
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, stage / rel)
        search_done = _publish(config, folder, stage, outputs, search_plan, search_want,
                               search_done if intact else None, search_now, workers, notes)
    except OSError as e:
        shutil.rmtree(stage, ignore_errors=True)
        raise write_error(config, out, e) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise

    for p in site.pages:
        p.body = None  # rendered: the state keeps metadata only
    new_state = State(
        VERSION, str(config.root), str(out), env, inputs,
        pages={p.rel: (site.signatures.get(p.rel), p) for p in site.pages},
        links_key=site.links_key,
        links={p.rel: (p.digest, site.links.get(p.rel, {}),
                       site.link_warnings.get(p.rel) or state_links_warnings(state, p)) for p in site.pages},
        outputs=outputs, quick=quick, marker=signature(out / MARKER_FILE),
        search=search_done, search_want=search_want, search_plan=search_plan,
        warnings=[(w.path, w.line, w.message) for w in site.warnings], scanned_ns=scanned_ns,
        templates=renderer.index.info, template_keys=template_keys, extras_key=extras_key, extras=extra_keys,
        structure=renderer.structure_key())
    new_state.pending = bool(search.stale(out, new_state))
    warnings: list[SiteError] = []
    if cache:
        if save is None:
            cache.save(new_state)
            cache.prune(lambda: _body_keys(renderer, routes), len(site.pages))
        else:
            save(cache, new_state)
        cache.close()
        warnings = list(cache.warnings)
    pages = sum(1 for f in outputs if f.endswith(".html"))
    return BuildResult(out, pages, time.perf_counter() - t0, rendered=len(todo), files=sorted(outputs),
                       warnings=notes + warnings + site.warnings, state=new_state)


def _publish(config: Config, folder: Folder, stage: Path, outputs: dict[str, str], plan: dict[int, list[str]],
             want: dict[int, str], done: dict[int, str] | None, search_now: bool, workers: int,
             notes: list[SiteError]) -> dict[int, str]:
    """Index search into the stage, then put the staged files in place: the whole folder (a
    clean build, ``done`` None) or the changed files through the journal. The search index is
    made before anything moves in, so a kill leaves the old site or the new one. Returns the
    search shards whose bundles are now up to date."""
    out = folder.out
    remade = [k for k, key in want.items() if done is None or done.get(k) != key
              or not (out / search.bundle(k)).is_dir()] if search_now else []
    if remade:
        search.index_shards(out, stage, [stage, out], plan, remade, workers)
    if done is None:
        notes += replace(folder, stage, config)
        return {k: want[k] for k in remade}
    bundles = search.bundles_to_drop(plan, remade)
    commit(out, stage, sorted(inventory(stage)[0]),
           lambda f: f not in outputs and (search.shard_of(f) is None or bundles(f)), folder.force, config)
    return {**{k: key for k, key in done.items() if k in want}, **{k: want[k] for k in remade}}


def state_links_warnings(state: State | None, page) -> list:  # noqa: ANN001
    """Warnings a page's links gave when they were resolved (kept so every build repeats them)."""
    if state is None:
        return []
    known = state.links.get(page.rel)
    return list(known[2]) if known and known[0] == page.digest else []
