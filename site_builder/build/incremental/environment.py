"""The environment key, first of the hierarchy: what every output depends on besides the site's
files. A cache made in another environment is not used at all."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jinja2
import markdown
import pygments
import pymdownx

from ... import __version__
from ...model.config import Config
from ...model.environ import key_of_environment
from ...model.publish import Publishing

# 6: the pages as a base and a delta (base.py); 5: each page's '::: name' lines (Scan.directives); 4: publishing options and SITE_BUILDER_* in the
# environment; 3: JSON (2 was pickle, which runs code)
FORMAT = 6
VERSION = (f"site_builder {__version__} cache {FORMAT} markdown {markdown.__version__} jinja2 {jinja2.__version__} "
           f"pygments {pygments.__version__} pymdown-extensions {pymdownx.__version__}")

PACKAGE = Path(__file__).resolve().parent.parent.parent  # site_builder/


def code_hash() -> str:
    """site_builder's own code, every module of every subpackage (by name and content): a cache
    made by other code (a new release, a local edit, a module moved) is not reused."""
    h = hashlib.blake2b(digest_size=16)
    for p in sorted(PACKAGE.rglob("*.py")):
        h.update(p.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def environment_key(config: Config, publish: Publishing) -> tuple:
    """site_builder's version and code, its libraries' versions, and the build's options that change
    every page: the base URL, --drafts, SOURCE_DATE_EPOCH, --future, --expired, the SITE_BUILDER_*
    variables (site.yaml's keys set for this run) and the Markdown extensions."""
    drafts, future, expired = publish.flags()
    extensions = repr([(name, dict(options)) for name, options in config.markdown_extensions])
    return (VERSION, code_hash(), config.base_url, drafts, os.environ.get("SOURCE_DATE_EPOCH", ""), future, expired,
            key_of_environment(), extensions)
