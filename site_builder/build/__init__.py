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
from typing import Callable

from ..errors import SiteError
from ..fs import digest, signature
from ..model.config import Config
from ..model.pages import static_files
from ..model.site import load_site
from ..model.urls import output_file
from ..render import feeds, shards
from ..render.context import Renderer, file_version
from ..render.keys import body_keys, quick_keys
from . import search
from .cache import Cache
from .inputs import VERSION, code_hash, scan_inputs
from .journal import stage_for
from .marker import MARKER_FILE
from .output import Folder, check_place, claim, commit, inventory, recover, replace, write_error
from .state import State
from .validate import check_outputs, check_templates
from .workers import Progress, render_routes


@dataclass
class BuildResult:
    out: Path
    pages: int
    seconds: float
    rendered: int = 0            # routes rendered this time (the rest came from the cache)
    up_to_date: bool = False
    warnings: list[SiteError] = field(default_factory=list)
    state: State | None = None  # what the next build can start from (the dev server keeps it)

    def summary(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0
        if self.up_to_date:
            return f"Site is up to date: {self.pages} pages, checked in {self.seconds:.2f} s"
        return (f"Built {self.pages} pages in {self.seconds:.2f} s ({rate:.0f} pages/s), "
                f"{self.pages - self.rendered} from cache")


# --- the build ---------------------------------------------------------------------------------

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
    quick = quick_keys(renderer, site, template_keys, state if intact else None)
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

    # the search index, in shards (see render/shards.py): the key of the pages each one is made from
    search_plan = renderer.search_plan
    search_done = dict(state.search) if intact else {}
    if cache and todo and previous:
        renderer.bodies = cache.get_bodies(body_keys(renderer, todo))
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
            cache.prune(lambda: body_keys(renderer, routes), len(site.pages))
        else:
            save(cache, new_state)
        cache.close()
        warnings = list(cache.warnings)
    pages = sum(1 for f in outputs if f.endswith(".html"))
    return BuildResult(out, pages, time.perf_counter() - t0, rendered=len(todo),
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
              or not (out / shards.bundle(k)).is_dir()] if search_now else []
    if remade:
        search.index_shards(out, stage, [stage, out], plan, remade, workers)
    if done is None:
        notes += replace(folder, stage, config)
        return {k: want[k] for k in remade}
    bundles = search.bundles_to_drop(plan, remade)
    commit(out, stage, sorted(inventory(stage)[0]),
           lambda f: f not in outputs and (shards.shard_of(f) is None or bundles(f)), folder.force, config)
    return {**{k: key for k, key in done.items() if k in want}, **{k: want[k] for k in remade}}


def state_links_warnings(state: State | None, page) -> list:  # noqa: ANN001
    """Warnings a page's links gave when they were resolved (kept so every build repeats them)."""
    if state is None:
        return []
    known = state.links.get(page.rel)
    return list(known[2]) if known and known[0] == page.digest else []
