"""The gather phase: where the site goes, whether anything changed at all, and — if something
did — the whole site read and validated, with the state the last build left."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from ..errors import SiteError
from ..fs import signature
from ..model.config import Config
from ..model.publish import Publishing
from .gitinfo import git_dates, git_inputs
from .incremental import Cache, State, environment_key, scan_inputs
from .marker import MARKER_FILE
from .output import Folder, check_place, claim, recover, write_error

if TYPE_CHECKING:
    from ..model.site import Site
    from ..render.context import Renderer


@dataclass
class UpToDate:
    """Nothing changed since the last build: its output stands."""
    out: Path
    pages: int
    warnings: list[SiteError]
    content_warnings: list[SiteError]   # of those, the site's (not a killed build's notes)


@dataclass
class Gathered:
    """The site, valid as a whole, and what the last build of this output folder left."""
    config: Config
    folder: Folder
    workers: int
    env: tuple                        # the environment key (incremental.environment)
    cache: Cache | None
    inputs: dict                      # the inputs key: every input file's signature
    scanned_ns: int                   # when the inputs were scanned
    notes: list[SiteError]            # warnings met before the build (a killed build's journal)
    state: State | None               # the last build's, in this environment
    intact: bool                      # the output folder is the one ``state`` describes
    site: Site
    statics: dict[str, Path]          # static files: output name -> source
    renderer: Renderer

    @property
    def out(self) -> Path:
        return self.folder.out


def gather(config: Config, out: Path | None, publish: Publishing, jobs: int | None, use_cache: bool,
           state: State | None, force: bool) -> Gathered | UpToDate:
    """Read and validate everything; nothing is written yet (but a killed build's leftovers are
    finished or removed). ``state``: the last build's, kept in memory by the dev server."""
    folder, notes = _place(config, out, force)
    out = folder.out
    env = environment_key(config, publish)
    # --clean reads nothing from the cache but fills it, so the next build is incremental again
    cache = Cache(config, out)
    scanned_ns = time.time_ns()
    inputs = scan_inputs(config, git_inputs(config))
    summary = cache.load_inputs() if use_cache else None
    if summary is not None and summary.unchanged(env, inputs, signature(out / MARKER_FILE),
                                                             publish.now_ns()):
        content = [SiteError(*w) for w in summary.warnings]
        return UpToDate(out, summary.pages, notes + content, content)
    # Only now the modules that read and render a site (Jinja's compiler, Markdown's extensions...):
    # an up-to-date site is checked without them, in half the time (tests/test_cache.py)
    from ..model.pages import static_files
    from ..model.site import load_site
    from ..render.context import Renderer, file_version
    from .validate import check_templates

    if state is None or state.env != env or state.out != str(out) or state.root != str(config.root):
        state = cache.load(env) if use_cache else None
    intact = state is not None and state.marker is not None and signature(out / MARKER_FILE) == state.marker
    workers = max(1, jobs or os.cpu_count() or 1)
    site = load_site(config, publish, previous=state, jobs=workers, signatures=inputs)
    notes += git_dates(config, site.pages)
    statics = static_files(config)
    versions = {rel: file_version(path.read_bytes()) for rel, path in statics.items()
                if rel.endswith((".css", ".js", ".svg"))}
    renderer = Renderer(site, versions, state.templates if state else None)
    check_templates(site, renderer)
    return Gathered(config, folder, workers, env, cache, inputs, scanned_ns, notes, state, intact, site,
                    statics, renderer)


def _place(config: Config, out: Path | None, force: bool) -> tuple[Folder, list[SiteError]]:
    """The output folder, checked (never inside an input, never someone else's unless ``force``),
    after finishing what a killed build left beside it."""
    out = (out or config.output_dir).resolve()
    check_place(out, config, "--out" if out != config.output_dir else config.shown(config.path))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        notes = recover(out, config)
    except OSError as e:
        raise write_error(config, out, e) from None
    return claim(out, config, force), notes
