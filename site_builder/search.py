"""Full-text search: a Pagefind index of the finished pages, in shards.

Pagefind holds every page it indexes in memory (about 0.3 MB a page) and has no incremental
mode, so one index of a 10,000-page site needs about 3 GB and is remade whole for a one-word
edit. The pages are therefore split by a hash of their path into shards of at most
SHARD_PAGES, each its own Pagefind bundle (``pagefind/0/``, ``pagefind/1/``...) that the search
page merges in the browser (Pagefind's ``mergeIndex``). A build re-indexes only the shards
whose pages changed, several at a time, each in a process of bounded size."""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from .cache import Cache, State
from .config import Config
from .errors import SiteError

SHARD_PAGES = 1000
LAYOUT = 1  # of the bundles below: a change remakes every shard
FOLDER = "pagefind"
UNINDEXED = ("404", "search")  # route kinds whose pages are not search results


def plan(files: Iterable[str]) -> dict[int, list[str]]:
    """Page files (relative to the output folder) by shard. The shard count is a power of two,
    so when a growing site doubles it, shard k's pages go to shard k or k + the old count."""
    files = sorted(files)
    count = 1
    while len(files) > count * SHARD_PAGES:
        count *= 2
    shards: dict[int, list[str]] = {}
    for f in files:
        k = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big") % count
        shards.setdefault(k, []).append(f)
    return dict(sorted(shards.items()))


def version() -> str:
    """What a shard's bundle depends on besides its pages."""
    try:
        return f"layout {LAYOUT} pagefind {importlib.metadata.version('pagefind')}"
    except importlib.metadata.PackageNotFoundError:
        return f"layout {LAYOUT}"


def bundle(shard: int) -> str:
    """Where a shard's bundle goes, relative to the output folder."""
    return f"{FOLDER}/{shard}/"


def index_shards(site_dir: Path, shards: dict[int, list[str]], which: Iterable[int], threads: int = 2) -> None:
    """Index the shards in ``which`` from the pages in ``site_dir``, each swapped into place when
    done (a reader never sees half a bundle), and remove the bundles of shards that are gone."""
    if importlib.util.find_spec("pagefind") is None:
        raise SiteError("site.yaml", None, "search needs Pagefind: pip install 'pagefind[extended]', "
                                           "or set  search: false  in site.yaml")
    which = sorted(set(which))
    # One process per shard, as many at once as there are cores: Pagefind's own threads keep
    # about one core busy, and separate processes keep each one's memory to its shard's.
    with ThreadPoolExecutor(max(1, min(threads, len(which) or 1))) as pool:
        for _ in pool.map(lambda k: _index_one(site_dir, k, shards[k]), which):
            pass
    root = site_dir / FOLDER
    for old in (root.iterdir() if root.is_dir() else ()):
        if not (old.name.isdigit() and int(old.name) in shards):
            shutil.rmtree(old) if old.is_dir() else old.unlink()


def _index_one(site_dir: Path, shard: int, files: list[str]) -> None:
    from .output import swap_in

    # beside the output folder, named so that output.recover() removes them if this is killed
    pages = site_dir.with_name(f".{site_dir.name}.search{shard}pages-{os.getpid()}")
    target = site_dir.with_name(f".{site_dir.name}.search{shard}-{os.getpid()}")
    for d in (pages, target):
        shutil.rmtree(d, ignore_errors=True)
    try:
        # the shard's pages, at their own paths (so their URLs), as hard links: nothing copied
        for rel in files:
            dest = pages / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / rel, dest)
            except OSError:
                shutil.copyfile(site_dir / rel, dest)
        # Pagefind's thread pools default to far more threads than a small machine has cores
        # (on 2 cores that made it 2-4x slower, from futex contention)
        env = {**os.environ, "TOKIO_WORKER_THREADS": "1", "RAYON_NUM_THREADS": "1"}
        proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(pages), "--silent",
                               "--output-path", str(target)], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise SiteError("site.yaml", None, "Pagefind could not index the site: "
                            + (detail[-1] if detail else f"exit {proc.returncode}"))
        (site_dir / FOLDER).mkdir(exist_ok=True)
        swap_in(target, site_dir / bundle(shard))
    finally:
        shutil.rmtree(pages, ignore_errors=True)
        shutil.rmtree(target, ignore_errors=True)


def todo(out: Path, state: State) -> list[int]:
    """Shards of the search index to (re)make; -1 stands for bundles of shards that are gone."""
    stale = [k for k, key in state.search_want.items()
             if state.search.get(k) != key or not (out / bundle(k)).is_dir()]
    folder = out / FOLDER
    if folder.is_dir() and any(d.name not in {str(k) for k in state.search_want} for d in folder.iterdir()):
        stale.append(-1)
    return stale


def finish(config: Config, out: Path, state: State | None = None, cache: Cache | None = None,
           workers: int | None = None, save: bool = True) -> bool:
    """Bring the search index up to date with the pages in ``out``; True if any shard was remade.
    Without ``state``, the one the last build saved (the CLI); ``save=False`` leaves saving the
    updated state to the caller (the dev server, which keeps it in memory)."""
    cache = cache or Cache(config, out)
    if state is None:
        state = cache.load(None)
        if state is None or not state.pending:
            return False
    shards = [k for k in todo(out, state) if k >= 0]
    index_shards(out, state.search_plan, shards, workers or os.cpu_count() or 1)
    if not state.search_want and (out / FOLDER).is_dir():
        shutil.rmtree(out / FOLDER)
    state.search = dict(state.search_want)
    state.pending = False
    if save:
        cache.save(state)
    return bool(shards)
