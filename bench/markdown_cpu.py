"""CPU time a page of the Markdown conversion alone (Renderer.convert, with link resolution), the
first N content pages of a site, converted once to fill the caches a long build fills too
(highlighted blocks), then ROUNDS times; prints the best and the median round. With --profile FILE,
one more round under cProfile, saved to FILE (read it with pstats).

    python bench/markdown_cpu.py SITE [N] [--rounds R] [--profile FILE]
"""
from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from pathlib import Path

from site_builder.model.config import load_config
from site_builder.model.site import load_site
from site_builder.render.context import Renderer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("count", type=int, nargs="?", default=500)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile")
    args = ap.parse_args()
    renderer = Renderer(load_site(load_config(args.site)))
    pages = [r.page for r in renderer.site.routes.values() if r.kind == "page"][: args.count]
    for page in pages:  # fills the caches
        renderer.convert(page)
    rounds = []
    for _ in range(args.rounds):
        start = time.process_time()
        for page in pages:
            renderer.convert(page)
        rounds.append((time.process_time() - start) / len(pages))
    print(f"{len(pages)} pages: Markdown conversion best {min(rounds) * 1e6:.0f} us a page, "
          f"median {statistics.median(rounds) * 1e6:.0f} us ({args.rounds} rounds)")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for page in pages:
            renderer.convert(page)
        prof.disable()
        prof.dump_stats(args.profile)


if __name__ == "__main__":
    main()
