"""bench/render_parts.py SITE [ROUNDS]: the render phase's parts for every content page of a built site,
in this process, as a render worker does them (CPU seconds): frame (of which the per-page nav,
NavViews.page), body keys, route key, body-cache reads, fill, template render, encoding. "first":
with new views, as in a worker's first batches (each section's nav items, their <li>s and digests,
the neighbours' cards are made then); "again": the same views once more (keys made anew).
Medians of ROUNDS (default 3). Bodies come from the site's body cache (build the site first). Run it
for two versions of site_builder, each on its own site, in turn."""
from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

from site_builder.build.gather import gather
from site_builder.build.incremental.cache import Cache
from site_builder.build.incremental.keys import Keys
from site_builder.fs import digest
from site_builder.model.config import load_config
from site_builder.model.publish import Publishing
from site_builder.render.context import Renderer, bodies_shown

gc.disable()  # as in a build
config = load_config(Path(sys.argv[1]).resolve())
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
cache = Cache(config, config.output_dir.resolve())
g = gather(config, None, Publishing(), 1, False, cache.load(None), False)
site = g.site
routes = [r for r in site.routes.values() if r.kind == "page"]
store = cache.bodies()
pt = time.process_time


def parts(r: Renderer) -> dict[str, float]:
    keys, nav, spent = Keys(r, digest(g.env)), r.nav.page, [0.0]

    def timed_nav(*args) -> None:
        t = pt()
        nav(*args)
        spent[0] += pt() - t

    r.nav.page = timed_nav
    t0 = pt(); frames = [r.frame(x) for x in routes]; t1 = pt()
    body_keys = {keys.body(p) for x in routes for p in bodies_shown(x)}; t2 = pt()
    [keys.route(x, f) for x, f in zip(routes, frames)]; t3 = pt()
    cached = store.get(body_keys); t4 = pt()
    filled = [r.fill(f, x, lambda p: cached.get(keys.body(p)) or r.convert(p)) for x, f in zip(routes, frames)]
    t5 = pt(); html = [r.render(x, f) for x, f in zip(routes, filled)]; t6 = pt()
    [h.encode() for h in html]; t7 = pt()
    r.nav.page = nav
    return {"frame": t1 - t0, "(nav)": spent[0], "body keys": t2 - t1, "route key": t3 - t2,
            "body cache": t4 - t3, "fill": t5 - t4, "render": t6 - t5, "encode": t7 - t6}


runs: dict[str, list[dict[str, float]]] = {"first": [], "again": []}
for _ in range(rounds):
    r = Renderer(site, g.renderer.versions, g.renderer.index.info)
    runs["first"].append(parts(r))
    runs["again"].append(parts(r))
for label, done in runs.items():
    med = {k: statistics.median(run[k] for run in done) for k in done[0]}
    total = sum(v for k, v in med.items() if k != "(nav)")
    print(f"{label}: " + ", ".join(f"{k} {v:.3f}" for k, v in med.items()) + f"; total {total:.3f} s ({len(routes)} pages)")
