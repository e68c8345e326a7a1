"""Full-text search: a Pagefind index of the finished pages, one bundle per shard (see
``render.shards``). A build re-indexes only the shards whose pages changed, one Pagefind process a
shard, one a core."""
from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import SiteError
from ..fs import digest, signature
from ..model.config import Config
from ..render.shards import bundle, shard_of
from .journal import stage_for, staged_name
from .pagefind import THREADS, failed
from .marker import MARKER_FILE
from .incremental.state import State

LAYOUT = 3  # of the bundles (render.shards): a change remakes every shard


def version() -> str:
    """What a shard's bundle depends on besides its pages."""
    import importlib.metadata  # here: it imports email, csv and zipfile, which a site without search never needs

    try:
        return f"layout {LAYOUT} pagefind {importlib.metadata.version('pagefind')}"
    except importlib.metadata.PackageNotFoundError:
        return f"layout {LAYOUT}"


@dataclass
class Indexed:
    """What the index phase did: the key each shard's bundle should have, those remade, and
    (after an earlier build of this folder) the keys the bundles already had."""
    plan: dict[int, list[str]]
    want: dict[int, str]
    remade: list[int]
    done: dict[int, str] | None

    def now(self) -> dict[int, str]:
        """The shards whose bundles are up to date once the stage is in place."""
        kept = {k: key for k, key in (self.done or {}).items() if k in self.want}
        return {**kept, **{k: self.want[k] for k in self.remade}}

    def staged(self, stage: Path) -> list[str]:
        """The files of the bundles remade, as the index phase wrote them into ``stage``."""
        from .output import inventory

        return [bundle(k) + f for k in self.remade for f in inventory(stage / bundle(k))[0]]


def index(out: Path, stage: Path, plan: dict[int, list[str]], keys: dict[str, str], done: dict[int, str] | None,
          now: bool, workers: int) -> Indexed:
    """The index phase: each shard's key (from its pages' output keys) and, unless not ``now``
    (the dev server indexes after the reload), the bundles of changed shards made in ``stage``
    from the staged pages and the unchanged ones in ``out``. ``done``: the shards' keys after the
    last build of this folder (None: it was not this one, so every bundle is made)."""
    v = version() if plan else ""
    want = {k: digest(v, [(f, keys[f]) for f in files]) for k, files in plan.items()}
    remade = [k for k, key in want.items() if done is None or done.get(k) != key
              or not (out / bundle(k)).is_dir()] if now else []
    if remade:
        index_shards(out, stage, [stage, out], plan, remade, workers)
    return Indexed(plan, want, remade, None if done is None else dict(done))


@functools.cache
def command() -> tuple[str, ...]:
    """How to start Pagefind: its binary itself when a binary package says where it is (what
    ``python -m pagefind`` would exec, without a Python start-up: about 0.1 s on this machine),
    else ``python -m pagefind``."""
    for name in ("pagefind_bin_extended", "pagefind_bin"):
        if importlib.util.find_spec(name) is not None:
            try:
                exe = importlib.import_module(name).get_executable()
            except (AttributeError, OSError):
                continue
            return (str(Path(exe).resolve()),)
    return (sys.executable, "-m", "pagefind")


def index_shards(out: Path, dest: Path, sources: list[Path], shards: dict[int, list[str]],
                 which: Iterable[int], threads: int = 2) -> None:
    """Index the shards in ``which`` into bundles in ``dest`` (a stage beside ``out``), each
    from its pages as the first of ``sources`` has them (the stage, then the output folder)."""
    if importlib.util.find_spec("pagefind") is None:
        raise SiteError("site.yaml", None, "search needs Pagefind: pip install 'pagefind[extended]', "
                                           "or set  search: false  in site.yaml")
    which = sorted(set(which))
    # one process per shard, as many at once as there are cores (Pagefind's own threads keep about
    # one core busy). Not its service mode (build/pagefind.py), which would start once for a few
    # shards: Pagefind 1.5.2's service left pagefind-entry.json empty in about one bundle in ten
    # on a busy machine, with or without DeleteIndex and after the process ended
    with ThreadPoolExecutor(max(1, min(threads, len(which)))) as pool:
        for _ in pool.map(lambda k: _index_one(out, dest, sources, k, shards[k]), which):
            pass


def _index_one(out: Path, dest: Path, sources: list[Path], shard: int, files: list[str]) -> None:
    # beside the output folder, named so that a later build removes it if this one is killed
    pages = stage_for(out, f"search{shard}pages")
    shutil.rmtree(pages, ignore_errors=True)
    try:
        _link_pages(pages, sources, files)
        proc = subprocess.run([*command(), "--site", str(pages), "--silent", "--output-path",
                               str(dest / bundle(shard))], capture_output=True, text=True,
                              env={**os.environ, **THREADS})
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise failed(detail[-1] if detail else f"exit {proc.returncode}")
        sort_languages(dest / bundle(shard) / "pagefind-entry.json")
    finally:
        shutil.rmtree(pages, ignore_errors=True)


def sort_languages(entry: Path) -> None:
    """Pagefind lists a bundle's languages in a different order from run to run: sorted here, in
    its own compact form, so a site in two languages builds byte for byte the same."""
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _link_pages(pages: Path, sources: list[Path], files: list[str]) -> None:
    """The shard's pages, at their own paths (so their URLs), as hard links: nothing copied. A
    stage may hold a page under its flat name (journal.staged_name)."""
    for rel in files:
        name = staged_name(rel)
        src = next((p for s in sources[:-1] for p in (s / name, s / rel) if p.is_file()), sources[-1] / rel)
        dest_page = pages / rel
        dest_page.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, dest_page)
        except OSError:
            shutil.copyfile(src, dest_page)


def stale(out: Path, state: State) -> list[int]:
    """Shards of the search index to (re)make."""
    return [k for k, key in state.search_want.items()
            if state.search.get(k) != key or not (out / bundle(k)).is_dir()]


def bundles_to_drop(plan: dict[int, list[str]], remade: Iterable[int]) -> Callable[[str], bool]:
    """Which output files a commit deletes for the search index: those of the bundles remade
    (the new ones replace them) and of shards that are gone."""
    remade = set(remade)

    def drop(rel: str) -> bool:
        k = shard_of(rel)
        return k is not None and (k in remade or k not in plan)
    return drop


def finish(config: Config, out: Path, state: State, workers: int | None = None) -> bool:
    """Bring the search index up to date with the pages in ``out`` (the dev server, after the
    browser has reloaded); True if any shard was remade. The bundles move in through the
    journal, like a build's files; the caller saves ``state``."""
    from .output import commit, inventory, write_error

    shards = stale(out, state)
    stage = stage_for(out, "index")
    try:
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir()
        index_shards(out, stage, [out], state.search_plan, shards, workers or os.cpu_count() or 1)
        commit(out, stage, sorted(inventory(stage)[0]), bundles_to_drop(state.search_plan, shards), False, config)
    except OSError as e:
        raise write_error(config, out, e) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    state.search = dict(state.search_want)
    state.pending = False
    state.marker = signature(out / MARKER_FILE)
    return bool(shards)
