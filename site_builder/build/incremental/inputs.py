"""The inputs key: the signature of every file a build may read. An unchanged signature (not
too close to its scan: see ``incremental.state.RACY_NS``) means an unchanged file."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ...fs import Signature, signatures
from ...model import theme
from ...model.config import Config


def scan_inputs(config: Config, extra: Iterable[Path] = ()) -> dict[str, Signature | None]:
    """The signature of every file a build may read: config, content, templates, static files
    and seeds (facts are checked against them); the walk and its ignore rules are ``fs.signatures``."""
    roots = [config.path, config.content_dir, config.static_dir, config.seeds_dir, *theme.template_dirs(config), *extra]
    return signatures(roots, (*config.roots(), theme.THEME_DIR.resolve()))
