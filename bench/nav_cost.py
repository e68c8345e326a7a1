"""bench/nav_cost.py SITE: the cost of issue 16's per-page nav (sidebar, prev/next, trail) in the template row's work: frame, route key and
template render of every content page, with and without NavViews.page (CPU, one process, after a warm-up pass)."""
import sys, time, gc
from pathlib import Path
gc.disable()
from site_builder.model.config import load_config
from site_builder.model.publish import Publishing
from site_builder.build.gather import gather
from site_builder.build.incremental.keys import Keys
from site_builder.build.incremental.cache import Cache
from site_builder.fs import digest
config = load_config(Path(sys.argv[1]).resolve())
state = Cache(config, config.output_dir.resolve()).load(None)
g = gather(config, None, Publishing(), 1, False, state, False)
r = g.renderer
routes = [x for x in g.site.routes.values() if x.kind == "page"]
bodies = {}
def body(p):
    return ("<p>x</p>", [])
def run(label):
    keys = Keys(r, digest(g.env))
    pt = time.process_time
    t0 = pt(); frames = [r.frame(x) for x in routes]; t1 = pt()
    ks = [keys.route(x, f) for x, f in zip(routes, frames)]; t2 = pt()
    html = [r.render(x, r.fill(f, x, body)) for x, f in zip(routes, frames)]; t3 = pt()
    size = sum(len(h.encode()) for h in html) / 2**20
    print(f"{label}: frame {t1-t0:.3f} s, route key {t2-t1:.3f} s, fill+render {t3-t2:.3f} s, {size:.1f} MiB of HTML ({len(routes)} pages, bodies stubbed)")
run("warm-up")
run("with the nav")
orig = r.nav.page
r.nav.page = lambda *a, **k: None
run("without")
r.nav.page = orig
run("with the nav")
