"""Where templates come from: the site's ``templates/`` first, then the default theme shipped
inside the package (``THEME_DIR``), which fills in whatever the site does not define. Read as
``theme.THEME_DIR`` (not imported by name) so that a test can point it elsewhere."""
from __future__ import annotations

from pathlib import Path

from .config import Config

# site_builder/theme is a symbolic link to the repository's templates/: the demo site's templates
# are the default theme, and the wheel ships them (pyproject.toml's package-data follows the link)
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"


def template_dirs(config: Config) -> list[Path]:
    """The site's templates first; the default theme fills in whatever they do not define."""
    dirs = [config.templates_dir] if config.templates_dir.is_dir() else []
    if THEME_DIR.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(THEME_DIR)
    return dirs
