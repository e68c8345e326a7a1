"""CPU of the build cache's state in one process, gc off as a build runs it: loading the saved
state of SITE's output folder (parse, decode and check), then saving it with one page's row
changed (what a warm build with one page edited does). Five rounds; min and median, s of CPU.

    python bench/state_cpu.py SITE     e.g. the 10,000-page site of bench/peers/site_builder.sh
"""
from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

from site_builder.build.incremental.cache import Cache
from site_builder.build.incremental.state import dump_state, load_state, state_header
from site_builder.model.config import load_config


def main(site: Path) -> None:
    config = load_config(site.resolve())
    data = Cache(config, config.output_dir).state_path.read_bytes()
    gc.disable()
    loads, saves = [], []
    for _ in range(5):
        start = time.process_time()
        state = load_state(state_header(data), str(config.content_dir))
        loaded = time.process_time()
        rel, (_, page) = next(iter(state.pages.items()))
        state.pages[rel] = ((1, 2, 3), page)  # another signature: this row differs
        before = time.process_time()
        dump_state(state)
        saves.append(time.process_time() - before)
        loads.append(loaded - start)
    for name, times in (("load", loads), ("save", saves)):
        print(f"{name} min {min(times):.3f} median {statistics.median(times):.3f} s of CPU")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
