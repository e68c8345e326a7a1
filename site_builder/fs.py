"""The file system, read and written the same way everywhere: file signatures and stable hashes
(what caches compare), text read and decoded, input folders walked with their ignore rules,
files written atomically, and what dead processes left behind.

Base layer: it knows nothing of sites or pages (a caller passes how a path is shown in
messages), so every stage may use it.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Iterator

from .errors import Collector, SiteError
from .paths import case_duplicates, example_name, link_problem, printable, segment_problem

Signature = tuple[int, int, int]  # (mtime_ns, size, inode): a save, even rename-over, changes it


def signature(path: Path | str) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def digest(*parts: Any) -> str:
    """A stable hash of plain data (str, bytes, numbers, None, tuples, lists, dicts)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# --- reading text ------------------------------------------------------------------------------

MAX_TEXT_BYTES = 10 * 1024 * 1024  # Python-Markdown needs ~3 s per MB: beyond this a page should be split


def decode_text(data: bytes, path: str) -> str:
    """UTF-8 text with a BOM stripped and newlines normalised; binary or invalid is an error."""
    if len(data) > MAX_TEXT_BYTES:
        raise SiteError(path, None, f"file is {len(data) / 1e6:.1f} MB; the limit is "
                                    f"{MAX_TEXT_BYTES // (1024 * 1024)} MB per file, split it into several files")
    if b"\x00" in data:
        raise SiteError(path, None, "binary data (a NUL byte), not text; "
                                    "only UTF-8 text files belong here")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SiteError(path, line, f"not valid UTF-8 (byte 0x{data[e.start]:02x}); "
                                    "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: Path | str, shown: str) -> bytes:
    """A file's bytes; one that cannot be read is an error naming it as ``shown``."""
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise SiteError(shown, None, f"cannot read: {e.strerror}") from None


def read_text(path: Path, shown: str) -> str:
    return decode_text(read_bytes(path, shown), shown)


# --- the one ignore rule, and walking input folders ---------------------------------------------

_IGNORED = re.compile(r"^\.|~$|^#.*#$|\.(?:swp|swx|tmp)$|\.tmp-|^__pycache__$")


def ignored(name: str) -> bool:
    """Whether a file or folder name is never part of a site, and never a reason to rebuild:
    hidden names (``.git``, ``.DS_Store``, site-builder's own ``.x.tmp-PID``), editors' backups and
    swap files (``x~``, ``#x#``, ``x.swp``, ``x.swx``, ``x.tmp``, ``x.tmp-N``) and ``__pycache__``.
    The one rule for content, static files, templates, seeds, the build's input scan and the dev
    server's watch (README, "Content")."""
    return _IGNORED.search(name) is not None


def walk_files(folder: Path, roots: tuple[Path, ...], shown: Callable[[str], str],
               errors: Collector) -> list[tuple[str, str]]:
    """Every file under ``folder`` as (path, posix path relative to it), sorted by the latter.
    Every name must pass the path policy (it becomes an output file); symbolic links are
    followed while they stay inside ``roots``; a loop is an error. Plain strings and scandir:
    this runs on every build (a Markdown file's path stays a string: most are never opened again).
    ``shown``: how a message names a path."""
    found: list[tuple[str, str]] = []
    if not folder.is_dir():
        return found
    seen: dict[str, str] = {}
    todo = [(str(folder), "")]
    while todo:
        parent, prefix = todo.pop()
        real = os.path.realpath(parent)
        if real in seen:
            errors.error(shown(parent), None, "symlink loop: this folder is the same as "
                         f"{seen[real]}; remove the link")
            continue
        seen[real] = shown(parent)
        try:
            entries = sorted(os.scandir(parent), key=lambda e: e.name)
        except OSError as e:
            errors.error(shown(parent), None, f"cannot read this folder: {e.strerror}")
            continue
        entries = [e for e in entries if not ignored(e.name)]
        subfolders = []
        for name, first in case_duplicates(e.name for e in entries):
            errors.error(shown(os.path.join(parent, name)), None, "differs only in case from "
                         f"{shown(os.path.join(parent, first))}, and macOS and Windows cannot "
                         "hold both; rename one")
        for entry in entries:
            problem = segment_problem(entry.name)
            if problem:
                errors.error(shown(entry.path), None, f"the name '{printable(entry.name)}' {problem}; "
                             f"rename it, e.g. {example_name(entry.name)}")
                continue
            if entry.is_symlink():
                problem = link_problem(entry.path, roots)
                if problem:
                    errors.error(shown(entry.path), None, problem)
                    continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                subfolders.append((entry.path, prefix + entry.name + "/"))
            elif not is_file:
                errors.error(shown(entry.path), None, "broken symbolic link (or a symlink loop); "
                             "remove it or point it at a file")
            else:
                found.append((entry.path, prefix + entry.name))
        todo.extend(reversed(subfolders))
    found.sort(key=lambda x: x[1])
    return found


def signatures(roots: Iterable[Path], allowed: tuple[Path, ...]) -> dict[str, Signature | None]:
    """The signature of every file a build may read under ``roots`` (a root that is a file: its
    own; one that is missing: None), skipping ignored names: what the build's input scan compares
    with the last build's, and what the dev server compares between polls when it cannot have
    inotify. Links are followed while they stay inside ``allowed``; one that leaves them, or leads
    round a loop, is recorded as itself (the build reports it)."""
    out: dict[str, Signature | None] = {}
    for root in dict.fromkeys(r.resolve() for r in roots):
        if not root.is_dir():
            out[str(root)] = signature(root)
            continue
        seen = {str(root)}
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            keep = []
            for d in dirnames:
                p = os.path.join(dirpath, d)
                if ignored(d):
                    continue
                if os.path.islink(p):
                    # never walk out of the project (the build reports the link) or round a loop
                    real = os.path.realpath(p)
                    if real in seen or link_problem(p, allowed):
                        out[p] = signature(p)
                        continue
                    seen.add(real)
                keep.append(d)
            dirnames[:] = keep
            for name in filenames:
                if not ignored(name):
                    p = os.path.join(dirpath, name)
                    out[p] = signature(p)
    return out


def changed(old: dict[str, Signature | None], new: dict[str, Signature | None]) -> set[str]:
    """The paths whose signature differs between two ``signatures`` (new, gone or saved over)."""
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


# --- writing, and what dead processes left ---------------------------------------------------

def write_atomic(path: Path, text: str | bytes) -> None:
    """Old or new, never half-written: write a temporary sibling, then rename over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)   # a fetched page, kept byte for byte
        else:
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (one we may not signal does)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def abandoned(paths: Iterable[Path], pid_of: Callable[[Path], int | None],
              busy: Collection[int] = ()) -> Iterator[Path]:
    """Those of ``paths`` that a process now gone left behind: ``pid_of`` reads the process id
    from a name (None: not a leftover); never this process's, nor those of ``busy``. The one
    rule for leftover temporaries and the build's stage and scratch folders."""
    me = os.getpid()
    for path in paths:
        pid = pid_of(path)
        if pid is not None and pid != me and pid not in busy and not alive(pid):
            yield path


def _temporary_pid(path: Path) -> int | None:
    pid = path.name.rsplit("-", 1)[-1]
    return int(pid) if pid.isdigit() else None


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files an interrupted ``write_atomic`` left (its process is gone): the files
    themselves are whole, old or new, because each was renamed into place."""
    for tmp in abandoned(folder.rglob(".*.tmp-*"), _temporary_pid):
        tmp.unlink(missing_ok=True)
