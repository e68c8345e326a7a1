"""What decides whether a build has anything to do: the environment (site_builder's version and
own code, Python-Markdown's and Jinja's versions) and the signature of every input file.
A cache made in another environment is not used; an unchanged signature (not too close to
its scan: see ``state.RACY_NS``) means an unchanged file."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

import jinja2
import markdown

from .. import __version__
from ..fs import Signature, signatures
from ..model import theme
from ..model.config import Config

FORMAT = 3  # 3: JSON (2 was pickle, which runs code when a planted file is read)
VERSION = f"site_builder {__version__} cache {FORMAT} markdown {markdown.__version__} jinja2 {jinja2.__version__}"


PACKAGE = Path(__file__).resolve().parent.parent  # site_builder/


def code_hash() -> str:
    """site_builder's own code, every module of every subpackage (by name and content): a cache
    made by other code (a new release, a local edit, a module moved) is not reused."""
    h = hashlib.blake2b(digest_size=16)
    for p in sorted(PACKAGE.rglob("*.py")):
        h.update(p.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def scan_inputs(config: Config, extra: Iterable[Path] = ()) -> dict[str, Signature | None]:
    """The signature of every file a build may read: config, content, templates, static files
    and seeds (facts are checked against them); the walk and its ignore rules are ``fs.signatures``."""
    roots = [config.path, config.content_dir, config.static_dir, config.seeds_dir, *theme.template_dirs(config), *extra]
    return signatures(roots, (*config.roots(), theme.THEME_DIR.resolve()))
