"""Full-text search: the Pagefind index, built over the finished output folder."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import SiteError


def index_site(site_dir: Path, threads: int = 2, swap: bool = False) -> None:
    """Index ``site_dir`` into ``site_dir/pagefind``. With ``swap``, the new index is written
    beside the site and swapped in, so the live folder never holds half an index."""
    if importlib.util.find_spec("pagefind") is None:
        raise SiteError("site.yaml", None, "search needs Pagefind: pip install 'pagefind[extended]', "
                                           "or set  search: false  in site.yaml")
    target = site_dir.with_name(f".{site_dir.name}.search-{os.getpid()}") if swap else site_dir / "pagefind"
    shutil.rmtree(target, ignore_errors=True)
    # Pagefind's thread pools default to far more threads than this machine has cores; on a
    # 2-core VM that made it 2-4x slower (futex contention), so they are sized to the machine.
    env = {**os.environ, "TOKIO_WORKER_THREADS": str(threads), "RAYON_NUM_THREADS": str(threads)}
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent",
                           "--output-path", str(target)], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise SiteError("site.yaml", None, "Pagefind could not index the site: "
                        + (detail[-1] if detail else f"exit {proc.returncode}"))
    if swap:
        from .output import swap_in

        swap_in(target, site_dir / "pagefind")
