"""Full-text search: the Pagefind index, built over the finished output folder."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .errors import SiteError


def index_site(site_dir: Path) -> None:
    if importlib.util.find_spec("pagefind") is None:
        raise SiteError("site.yaml", None, "search needs Pagefind: pip install 'pagefind[extended]', "
                                           "or set  search: false  in site.yaml")
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise SiteError("site.yaml", None, "Pagefind could not index the site: "
                        + (detail[-1] if detail else f"exit {proc.returncode}"))
