"""The render phase: the plan's candidate routes, in this process or in worker processes.

Each route is made from one context: its frame (``Renderer.frame``) gives its route key; a
route whose key is its output's already is not rendered; the others get their Markdown bodies
(from the body cache, or converted and then put in it) and are written to the stage. A worker
gets everything it needs as one explicit ``Payload`` when it starts (see ``processes``)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import Collector, SiteError
from ..model.pages import Page
from ..model.urls import output_file
from ..processes import Kept, pool
from ..render.context import Renderer, bodies_shown
from ..render.templates import one_per_template_line
from .incremental import Bodies, Cache
from .incremental.decide import Plan
from .incremental.keys import Keys
from .journal import staged_name

Progress = Callable[[int, int], None]
Job = tuple[str, str, "str | None"]  # (route URL, its output file, the key of its last output)


@dataclass
class Payload:
    """All a worker works from."""
    renderer: Renderer
    keys: Keys
    bodies: Bodies | None   # the body cache: converted bodies go in
    reuse: bool             # ... and cached ones may come out (the output folder is the cache's)
    stage: str              # where the output files are written
    flat: bool              # ... each under its flat name (journal.staged_name), not at its own path


@dataclass
class Done:
    """What a batch of routes gave."""
    keys: dict[str, str] = field(default_factory=dict)   # route URL -> route key
    files: list[str] = field(default_factory=list)      # the output files written into the stage
    checked: int = 0       # routes of the batch
    written: int = 0
    pages: int = 0         # ... of which HTML pages
    converted: int = 0     # Markdown bodies converted
    cached: int = 0        # ... and found in the body cache
    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)


@dataclass
class Rendered:
    """What the render phase gave: the route key of every candidate, by output file."""
    keys: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # written into the stage: the write phase moves them in
    checked: int = 0       # candidates whose key is known (or that failed)
    rendered: int = 0
    pages: int = 0         # routes rendered that are HTML pages (a page may have url: notes.txt)
    converted: int = 0     # Markdown bodies converted
    cached: int = 0        # ... and found in the body cache
    warnings: list[SiteError] = field(default_factory=list)

    def add(self, done: Done, errors: Collector) -> None:
        self.keys.update((output_file(url), key) for url, key in done.keys.items())
        self.files += done.files
        self.checked += done.checked
        self.rendered += done.written
        self.pages += done.pages
        self.converted += done.converted
        self.cached += done.cached
        for e in done.errors:
            errors.add(e)
        self.warnings += [w for w in done.warnings if str(w) not in map(str, self.warnings)]


class Worker:
    """Renders batches of routes from one payload (in a worker process, or in this one)."""

    def __init__(self, payload: Payload):
        self.renderer, self.keys, self.store, self.reuse = payload.renderer, payload.keys, payload.bodies, payload.reuse
        self.stage, self.flat = payload.stage, payload.flat

    def run(self, batch: list[Job]) -> Done:
        r, done, todo = self.renderer, Done(checked=len(batch)), []
        for url, rel, last in batch:
            route = r.site.routes[url]
            try:
                frame = r.frame(route)
                key = self.keys.route(route, frame)
            except SiteError as e:
                done.errors.append(e)
                continue
            done.keys[url] = key
            if key != last:
                todo.append((route, frame, rel))
        wanted = {self.keys.body(p) for route, _, _ in todo for p in bodies_shown(route)}
        cached = self.store.get(wanted) if self.store is not None and self.reuse and wanted else {}
        new: dict[str, tuple[str, list]] = {}

        def body(page: Page) -> tuple[str, list]:
            key = self.keys.body(page)
            found = cached.get(key) or new.get(key)
            if found is None:
                found = new[key] = r.convert(page)
            return found

        for route, frame, rel in todo:
            try:
                data = r.render(route, r.fill(frame, route, body)).encode()
            except SiteError as e:
                done.errors.append(e)
                continue
            _write(self.stage, staged_name(rel) if self.flat else rel, data)
            done.files.append(rel)  # reported: the write phase need not walk the stage to find it
            done.written += 1
            done.pages += rel.endswith(".html")
        done.converted, done.cached = len(new), len(cached)
        if self.store is not None:
            self.store.put(new)
            done.warnings, self.store.warnings = self.store.warnings, []
        return done


def _write(stage: str, name: str, data: bytes) -> None:
    path = os.path.join(stage, name)
    if "/" in name:  # (a flat name is in the stage's top folder)
        folder = os.path.dirname(path)
        try:  # one system call for the usual case, a page's own folder (os.makedirs: a stat, then this)
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


_THIS: Worker | None = None  # in a worker process only: made by ``_begin`` from the payload it was sent


def _begin(payload: Payload) -> None:
    global _THIS
    if _THIS is not None and _THIS.store is not None:  # a kept worker's last build
        _THIS.store.close()
    _THIS = Worker(payload)


def _run(batch: list[Job]) -> Done:
    assert _THIS is not None
    return _THIS.run(batch)


def render(renderer: Renderer, plan: Plan, stage: Path, cache: Cache | None, reuse: bool, workers: int,
           progress: Progress | None, kept: Kept | None = None, flat: bool = False) -> Rendered:
    """Render the plan's candidates into ``stage``, on all cores for a large site (on the
    workers ``kept``, when given: they keep the site from the last build that used them).
    ``flat``: the stage's files move in through the journal, each staged under its flat name."""
    jobs = [(url, output_file(url), last) for url, last in plan.candidates]
    payload = Payload(renderer, plan.keys, cache.bodies() if cache else None, reuse, str(stage), flat)
    size = max(8, min(64, len(jobs) // (workers * 8) or 8))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    out, errors = Rendered(), Collector()

    def tally(done: Done) -> None:
        out.add(done, errors)
        if progress:
            progress(out.checked, len(jobs))

    if workers < 2 or len(jobs) < 64:
        worker = Worker(payload)
        try:
            for batch in batches:
                tally(worker.run(batch))
        finally:
            if worker.store is not None:
                worker.store.close()
    elif kept is not None:
        try:
            for done in kept.imap(_begin, payload, renderer.site, _run, batches):
                tally(done)
        except BaseException:
            kept.close()  # no batch of this build goes on writing into a stage that is gone
            raise
    else:
        with pool(workers, _begin, payload) as procs:
            for done in procs.imap_unordered(_run, batches):
                tally(done)
    errors.errors = one_per_template_line(errors.errors)
    errors.raise_if_any()
    return out
