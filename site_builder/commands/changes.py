"""What a change means to the dev server, as Zola's ``serve`` decides it: each changed path is
sorted into a kind (site.yaml, seeds, templates, static files, content; anything else, such as
the output folder, the cache or an editor's swap file, is ignored), and the kinds found make a
``Plan``: the named steps of the rebuild. Pure: paths and folders in, a plan out.

Every step ends in the same incremental build, which compares every input with the last build
and renders only what changed; the kinds decide what happens before it (reload ``site.yaml``
and watch its folders again, ingest the seeds that changed) and what the log says."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..fs import ignored
from ..model import theme
from ..model.config import Config


class Kind(enum.Enum):
    """What changed, in the order a rebuild deals with it."""
    CONFIG = "config"
    SEEDS = "seeds"
    TEMPLATES = "templates"
    STATIC = "static"
    CONTENT = "content"


class Step(enum.Enum):
    """The named parts of a rebuild (each ``Kind`` asks for some: ``STEPS``)."""
    RELOAD_CONFIG = "reload site.yaml"
    REWATCH = "watch its folders again"   # site.yaml may have moved them (or been saved over)
    INGEST = "ingest the changed seeds"
    BUILD = "build"                      # incremental: renders what the change reaches


STEPS: dict[Kind, tuple[Step, ...]] = {
    Kind.CONFIG: (Step.RELOAD_CONFIG, Step.REWATCH, Step.BUILD),  # every page depends on site.yaml
    Kind.SEEDS: (Step.INGEST, Step.BUILD),
    Kind.TEMPLATES: (Step.BUILD,),   # the pages whose templates changed
    Kind.STATIC: (Step.BUILD,),      # the files copied, and the pages whose asset versions changed
    Kind.CONTENT: (Step.BUILD,),     # the pages that changed, and those that list or link them
}


@dataclass(frozen=True)
class Folders:
    """Where each kind of file lives (resolved: the watcher reports resolved paths)."""
    config: Path
    seeds: Path
    templates: tuple[Path, ...]   # the site's, then the default theme
    static: tuple[Path, ...]      # the site's static/ and each template folder's static/
    content: Path
    outputs: tuple[Path, ...]     # the output and cache folders: written by builds, never a change
    allowed: tuple[Path, ...]     # where a symbolic link inside them may lead (the build's own rule)

    @classmethod
    def of(cls, config: Config) -> Folders:
        # the site's templates/ even before it exists: made later, it overrides the default theme
        templates = tuple(dict.fromkeys(d.resolve() for d in (config.templates_dir, *theme.template_dirs(config))))
        return cls(config=config.path.resolve(), seeds=config.seeds_dir.resolve(), templates=templates,
                   static=(config.static_dir.resolve(), *(t / "static" for t in templates)),
                   content=config.content_dir.resolve(),
                   outputs=(config.output_dir.resolve(), config.cache_dir.resolve()),
                   allowed=(*config.roots(), theme.THEME_DIR.resolve()))

    def roots(self) -> list[Path]:
        """What to watch: site.yaml and each input folder, none inside another."""
        folders = list(dict.fromkeys([self.content, self.seeds, *self.templates, self.static[0]]))
        return [self.config, *(f for f in folders if not any(f != o and f.is_relative_to(o) for o in folders))]


def kind_of(path: str, folders: Folders) -> Kind | None:
    """The kind of a changed path: that of the innermost folder holding it; None for a path
    outside them all, inside the output or cache folder, or with an ignored name on the way."""
    p = Path(path)
    if p == folders.config:
        return Kind.CONFIG
    if any(p.is_relative_to(o) for o in folders.outputs):
        return None
    places = [(folders.seeds, Kind.SEEDS), *((t, Kind.TEMPLATES) for t in folders.templates),
              *((s, Kind.STATIC) for s in folders.static), (folders.content, Kind.CONTENT)]
    inside = [(len(d.parts), d, kind) for d, kind in places if p.is_relative_to(d)]
    if not inside:
        return None
    _, folder, kind = max(inside, key=lambda x: x[0])
    return None if any(ignored(part) for part in p.relative_to(folder).parts) else kind


@dataclass(frozen=True)
class Plan:
    """A burst of changes sorted by kind (kinds in ``Kind`` order, paths sorted)."""
    changed: dict[Kind, tuple[str, ...]]

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(s for s in Step if any(s in STEPS[k] for k in self.changed))

    @property
    def seeds(self) -> tuple[str, ...]:
        return self.changed.get(Kind.SEEDS, ())

    def paths(self) -> list[str]:
        return [p for ps in self.changed.values() for p in ps]

    def describe(self, shown: Callable[[str], str]) -> str:
        """'content: 1 file changed (content/a.md)'; 'config: 1 file, content: 2 files changed'."""
        parts = [f"{k.value}: {len(ps)} file{'s' * (len(ps) != 1)}" for k, ps in self.changed.items()]
        only = self.paths()
        return ", ".join(parts) + " changed" + (f" ({shown(only[0])})" if len(only) == 1 else "")


def classify(paths: Iterable[str], folders: Folders) -> Plan | None:
    """The plan for a burst of changed paths; None when none of them matters."""
    found: dict[Kind, set[str]] = {}
    for path in paths:
        kind = kind_of(path, folders)
        if kind is not None:
            found.setdefault(kind, set()).add(path)
    if not found:
        return None
    return Plan({k: tuple(sorted(found[k])) for k in Kind if k in found})
