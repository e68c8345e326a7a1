"""``build()``: the site in five named, timed phases, each a function returning a small dataclass.

1. gather (``gather.py``): the site read and validated as a whole, and the last build's state;
   or "up to date", when no input changed.
2. plan (``incremental``): which routes may have changed; which files to copy or generate.
3. render (``workers.py``): those routes, on all cores, into a stage folder beside the output;
   then every link's ``#fragment`` checked against the page it leads to (``anchors.py``).
4. index (``search.py``): the search index of the pages that changed, into the stage.
5. write (``write.py``): the stage completed and put in place (``output``), the state saved.

Nothing is written into the output folder before the write phase, and the search index is made
before it (not after, as a list of phases might suggest) so that a failed or killed build leaves
the last good site, index and all.
"""
from __future__ import annotations

import contextlib
import gc
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from ..errors import SiteError, SiteErrors
from ..model.config import Config
from ..model.publish import Publishing
from ..model.urls import output_file
from .gather import Gathered, UpToDate, gather
from .incremental import Cache, State
from .journal import stage_for
from .output import write_error

if TYPE_CHECKING:
    from ..processes import Kept
    from .incremental.decide import Plan
    from .workers import Progress, Rendered

T = TypeVar("T")


@dataclass
class BuildResult:
    out: Path
    pages: int
    seconds: float
    rendered: int = 0            # routes rendered this time
    checked: int = 0             # routes whose context was made to compare keys (the plan's candidates)
    reused: int = 0              # HTML pages made by a route and not rendered: from the cache
    up_to_date: bool = False
    warnings: list[SiteError] = field(default_factory=list)
    state: State | None = None  # what the next build can start from (the dev server keeps it)
    converted: int = 0           # Markdown bodies converted
    cached: int = 0              # Markdown bodies found in the body cache (not converted)
    phases: list[tuple[str, float]] = field(default_factory=list)  # (phase, seconds), in order

    def summary(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0
        if self.up_to_date:
            return f"Site is up to date: {self.pages} pages, checked in {self.seconds:.2f} s"
        return (f"Built {self.pages} pages in {self.seconds:.2f} s ({rate:.0f} pages/s), "
                f"{self.reused} from cache")

    def timings(self) -> list[str]:
        """One line per phase (``--verbose``)."""
        return [f"  {name:<7} {seconds:6.2f} s" for name, seconds in self.phases]


class Clock:
    """Times each phase of a build."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.phases: list[tuple[str, float]] = []

    def run(self, name: str, phase: Callable[..., T], *args: Any) -> T:
        t = time.perf_counter()
        try:
            return phase(*args)
        finally:
            self.phases.append((name, time.perf_counter() - t))

    def seconds(self) -> float:
        return time.perf_counter() - self.start


def build(config: Config, out: Path | None = None, drafts: bool = False, jobs: int | None = None,
          use_cache: bool = True, progress: Progress | None = None, search_now: bool = True,
          state: State | None = None, save: Callable[[Cache, State], None] | None = None,
          force: bool = False, future: bool = False, expired: bool = False,
          strict: bool = False, kept: Kept | None = None) -> BuildResult:
    """Build the site into ``out``. The dev server passes the ``state`` the last build returned
    (instead of reading it from disk), a ``save`` that writes it in the background, and
    ``search_now=False`` so the browser can reload before the search index is remade.
    ``force`` takes over an output folder site-builder does not own (see output.claim).
    ``drafts``, ``future``, ``expired``: also publish those pages (see model.publish).
    ``strict``: a warning about the site's content is an error, raised before anything is written.
    ``kept``: the dev server's worker processes, kept from one build to the next (see ``processes``)."""
    # A build makes many objects and almost no reference cycles, over a large heap (the cache
    # state of every page): the cycle collector's passes over that heap were a third of a
    # one-page rebuild at 10,000 pages, for nothing. It runs again once the build is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        clock = Clock()
        g = clock.run("gather", gather, config, out, Publishing(drafts, future, expired), jobs, use_cache, state, force)
        if isinstance(g, UpToDate):
            _strict(strict, g.content_warnings)
            return BuildResult(g.out, g.pages, clock.seconds(), up_to_date=True, warnings=g.warnings,
                               phases=clock.phases)
        # the other phases' modules, only when there is something to build (see gather)
        from .anchors import check_anchors
        from .search import index
        from .workers import render
        from .write import write

        _strict(strict, g.site.warnings)
        p = clock.run("plan", _plan, g)
        moved_in = g.intact and g.state is not None  # the files move in through the journal (else: swapped in)
        with _staged(g) as stage:
            r = clock.run("render", render, g.renderer, p, stage, g.cache, g.intact, g.workers, progress,
                          kept, moved_in)
            g.site.warnings += clock.run("anchors", check_anchors, g.site, stage, g.out)
            _strict(strict, g.site.warnings)
            i = clock.run("index", index, g.out, stage, g.renderer.search_plan, {**p.kept, **r.keys},
                          g.state.search if moved_in and g.state else None, search_now, g.workers)
            w = clock.run("write", write, g, p, r.keys, r.files, i, stage, save)
        return BuildResult(g.out, w.pages, clock.seconds(), rendered=r.rendered, checked=r.checked,
                           reused=_reused(g, r),
                           warnings=g.notes + w.warnings + r.warnings + g.site.warnings, state=w.state,
                           converted=r.converted, cached=r.cached, phases=clock.phases)
    finally:
        if enabled:
            gc.enable()


def _strict(strict: bool, warnings: list[SiteError]) -> None:
    if strict and warnings:
        raise SiteErrors([SiteError(w.path, w.line, f"{w.message} (an error with --strict)") for w in warnings])


def _reused(g: Gathered, r: Rendered) -> int:
    """HTML pages from the cache: those of routes not rendered (not ``pages - rendered``: a route
    may make a .txt file, and a static .html file is copied, not rendered)."""
    return sum(1 for url in g.site.routes if output_file(url).endswith(".html")) - r.pages


def _plan(g: Gathered) -> Plan:
    """The incremental plan, and the outputs it names checked for collisions."""
    from .incremental.decide import plan
    from .validate import check_outputs

    p = plan(g.site, g.renderer, g.env, g.state, g.intact, g.statics)
    check_outputs(g.site, g.statics, p.extra_keys)
    return p


@contextlib.contextmanager
def _staged(g: Gathered) -> Iterator[Path]:
    """The stage folder beside the output, where the new files are made; removed if the build fails."""
    stage = stage_for(g.out, "stage" if g.intact else "building")
    try:
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        yield stage
    except OSError as e:
        shutil.rmtree(stage, ignore_errors=True)
        raise write_error(g.config, g.out, e) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
