"""The output folder's marker, ``.site-builder.json``: the list of every file the build wrote
there. It is what makes the folder the build's: a build deletes or overwrites only files it
lists, and ``deploy --no-build`` publishes only those (never the marker itself)."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Iterable

MARKER_FILE = ".site-builder.json"
FORMAT = 1
MAX_BYTES = 256 * 2**20
# the list last read or written, by path and (mtime, size, inode): the dev server reads the
# marker of a large site on every rebuild, and it changes only when the set of files does
_known: dict[str, tuple[tuple[int, int, int], list[str]]] = {}


def safe_rel(rel: object) -> bool:
    """A relative POSIX path that names something inside its folder: not absolute, no empty,
    '.' or '..' segment, no NUL, nothing inside a .git folder."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or rel[0] == "/":
        return False
    s = f"/{rel}/"  # (string searches: a marker lists every file of a large site)
    if "//" in s:
        return False
    return "/." not in s or not ("/./" in s or "/../" in s or "/.git/" in s.lower())


def read(path: Path) -> list[str] | None:
    """The files a marker file lists, sorted; None unless it is a valid marker (a regular file,
    not a link, every entry a relative path inside the folder)."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        sig = (st.st_mtime_ns, st.st_size, st.st_ino)
        known = _known.get(str(path))
        if known is not None and known[0] == sig:
            return list(known[1])
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "site-builder" or data.get("format") != FORMAT:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(safe_rel(f) and f != MARKER_FILE for f in files):
        return None
    files = sorted(set(files))
    _known[str(path)] = (sig, files)
    return list(files)


def remember(path: Path, files: list[str]) -> None:
    """``path`` is a marker just written with ``files``, sorted: the next read need not parse it."""
    try:
        st = os.lstat(path)
    except OSError:
        return
    _known[str(path)] = ((st.st_mtime_ns, st.st_size, st.st_ino), files)


def owned_files(out: Path) -> list[str] | None:
    """The files the last build wrote into ``out``: relative POSIX paths, sorted, without the
    marker itself. None when ``out`` has no valid marker."""
    return read(out / MARKER_FILE)


def encode(files: Iterable[str]) -> bytes:
    """A marker listing ``files``."""
    data = {"generator": "site-builder", "format": FORMAT, "files": sorted(set(files) - {MARKER_FILE})}
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode()
