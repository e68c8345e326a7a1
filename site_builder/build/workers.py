"""Rendering routes, in this process or in forked workers: they inherit the renderer (the whole
site, nothing pickled), render their batch of routes straight to their files in the stage, and
store the Markdown they converted in the body cache."""
from __future__ import annotations

import os
from typing import Callable

from ..errors import Collector, SiteError
from ..model.pages import process_pool
from ..render.context import Renderer
from .cache import Cache

Progress = Callable[[int, int], None]


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
