"""The write phase: the stage completed with the generated and copied files that changed, put in
place of the output folder (``output``: swapped in whole, or moved in through the journal), and
the state saved for the next build."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SiteError
from ..fs import signature
from ..render import shards
from . import search
from .gather import Gathered
from .incremental import Cache, State
from .incremental.decide import Plan, body_keys, remember
from .marker import MARKER_FILE
from .output import commit, inventory, replace
from .search import Indexed


@dataclass
class Written:
    """The site in place: its output keys, and the state the next build starts from."""
    outputs: dict[str, str]    # output file -> output key
    state: State
    warnings: list[SiteError]

    @property
    def pages(self) -> int:
        return sum(1 for f in self.outputs if f.endswith(".html"))


def write(g: Gathered, p: Plan, rendered: dict[str, str], staged: list[str], idx: Indexed, stage: Path,
          save: Callable[[Cache, State], None] | None) -> Written:
    """``rendered``: the route key of every candidate (the kept routes' are in the plan);
    ``staged``: the files the render phase wrote into ``stage``."""
    outputs = {**p.kept, **rendered, **p.copy_keys, **p.extra_keys}
    previous = g.state.outputs if g.intact and g.state else {}
    staged = staged + idx.staged(stage)
    for rel, data in p.extras.items():
        if previous.get(rel) != outputs[rel]:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            (stage / rel).write_bytes(data)
            staged.append(rel)
    for rel, path in p.copies.items():
        if previous.get(rel) != outputs[rel]:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, stage / rel)
            staged.append(rel)
    warnings = _put_in_place(g, stage, outputs, idx, staged)
    for page in g.site.pages:
        page.body = None  # rendered: the state keeps metadata only
    state = remember(g.config, g.out, g.env, g.inputs, g.scanned_ns, g.site, g.state, g.renderer, p, outputs,
                     idx.now(), idx.want, signature(g.out / MARKER_FILE))
    state.pending = bool(search.stale(g.out, state))
    if g.cache:
        if save is None:
            g.cache.save(state)
            store = g.cache.bodies()
            if store is not None:
                g.cache.prune(store, lambda: body_keys(p.keys, list(g.site.routes.values())), len(g.site.pages))
        else:
            save(g.cache, state)
        warnings += g.cache.warnings
    return Written(outputs, state, warnings)


def _put_in_place(g: Gathered, stage: Path, outputs: dict[str, str], idx: Indexed,
                  staged: list[str]) -> list[SiteError]:
    """The whole stage in place of the output folder (a clean build), or the staged files moved
    in through the journal, with the files no longer made (and the search bundles remade) deleted.
    The journal moves the files each phase says it staged (a walk of a stage of 10,000 folders
    took 0.2 s); a file staged and not said would stay behind in the stage: it is moved in all
    the same, after the others, rather than lost."""
    if idx.done is None:
        return replace(g.folder, stage, g.config)
    bundles = search.bundles_to_drop(idx.plan, idx.remade)
    commit(g.out, stage, sorted(staged),
           lambda f: f not in outputs and (shards.shard_of(f) is None or bundles(f)), g.folder.force, g.config)
    if stage.exists():  # (a page's flat name back to its path: no output path holds a ':')
        left = sorted(f.replace(":", "/") for f in inventory(stage)[0])
        if left:
            commit(g.out, stage, left, lambda f: False, g.folder.force, g.config)
        shutil.rmtree(stage, ignore_errors=True)  # empty folders, if anything
    return []
