"""The output folder: owned by the build, replaced safely.

The build owns the folder it writes: a marker in it, ``.site-builder.json``, lists every file
the build wrote, and the build deletes or overwrites nothing else. A folder that is not empty
and has no marker, or that holds ``.git``, is refused unless ``--force``, which takes it over
but never touches ``.git``. The folder is never inside a folder the build reads, and never
holds the cache.

Nothing is written into it until every page has rendered and the search index is made. A
first or clean build renders into a new folder beside it and swaps it in with one atomic
rename. A later build writes the files that changed beside it and moves them in through a
journal (``journal.py``) that whoever looks at the folder next finishes if the build was
killed. Either way a failed build leaves the previous output as it was.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SiteError
from ..model import theme
from ..model.config import Config
from ..render.feeds import NOJEKYLL
from . import journal, marker
from .marker import MARKER_FILE, encode as marker_bytes, owned_files
# One change of the output folder at a time in this process: the dev server indexes search
# in a thread while the next edit's build may be ready to move its files in.
_LOCK = threading.Lock()


def inventory(folder: Path) -> tuple[set[str], bool]:
    """Every file (and symbolic link) under ``folder``, relative; and whether a .git is there,
    which is never looked into. (os.scandir with the relative names built as it goes: os.walk
    and a relpath per folder took 2.5 times as long over 10,000 folders.)"""
    found: set[str] = set()
    git = False
    todo = [(str(folder), "")]
    while todo:
        path, prefix = todo.pop()
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    name = entry.name
                    if name.lower() == ".git":
                        git = True
                        continue
                    try:
                        real_dir = entry.is_dir(follow_symlinks=False)
                    except OSError:
                        real_dir = False
                    if real_dir:
                        todo.append((entry.path, prefix + name + "/"))
                    else:
                        found.add(prefix + name)  # a link is an entry like a file, never followed
        except OSError:
            continue  # gone or unreadable: as os.walk, which this replaced
    return found, git


# --- where the output may go, and whose it is -----------------------------------------------

@dataclass
class Folder:
    """The output folder as the build found it."""
    out: Path
    force: bool = False
    legacy: bool = False  # an older site-builder's (.nojekyll, no marker): checked before the swap


def check_place(out: Path, config: Config, where: str) -> None:
    """Refuse an output folder that would replace or sit inside a folder the build reads, or hold
    the cache. ``where`` names what chose it (``--out`` or site.yaml)."""
    shown = config.shown(out) or "."
    if out.exists() and not out.is_dir():
        raise SiteError(where, None, f"output path {shown} exists and is not a folder; remove it or choose another")
    inputs = [config.content_dir, config.templates_dir, config.seeds_dir, config.static_dir, theme.THEME_DIR.resolve()]
    for d in [config.root, *inputs]:
        if out == d or d.is_relative_to(out):
            raise SiteError(where, None, f"output folder {shown}/ would replace {config.shown(d) or '.'}/; "
                                         "choose another folder")
    for d in inputs:
        if out.is_relative_to(d):
            raise SiteError(where, None, f"output folder {shown}/ is inside {config.shown(d)}/, which the build "
                                         "reads: every build would copy the last one into itself; choose a "
                                         "folder outside it, e.g. _site")
    if config.cache_dir == out or config.cache_dir.is_relative_to(out):
        raise SiteError(where, None, f"the cache folder {config.shown(config.cache_dir)}/ is inside output folder "
                                     f"{shown}/ and would be published; choose another output folder or cache_dir")


def claim(out: Path, config: Config, force: bool) -> Folder:
    """Whether the build may write ``out``: it is missing, empty or the build's own; else one
    error saying what to do (``--force`` takes it over)."""
    shown = config.shown(out) or "."
    if not out.is_dir() or not any(out.iterdir()):
        return Folder(out, force)
    if force:
        return Folder(out, force)
    if os.path.lexists(out / ".git"):
        raise SiteError(shown, None, "the output folder is a git repository (it has .git): a build replaces "
                                     "what is in it. Publish with 'site-builder deploy', choose another output "
                                     "folder, or build --force to take it over (files the build does not write "
                                     "are deleted; .git is never touched)")
    if owned_files(out) is not None:
        return Folder(out, force)
    if (out / NOJEKYLL).is_file():
        return Folder(out, force, legacy=True)
    raise SiteError(shown, None, f"the output folder is not empty and was not made by site-builder (no "
                                 f"{MARKER_FILE}); empty it, choose another output folder, or build --force "
                                 "to take it over (files the build does not write are deleted; .git is kept)")


# --- putting a new site in place -------------------------------------------------------------

def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    return fn(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0  # AT_FDCWD, RENAME_EXCHANGE


def swap_in(new: Path, out: Path) -> None:
    if not out.exists():
        os.rename(new, out)
    elif exchange(new, out):
        shutil.rmtree(new)  # now holds the previous version
    else:
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        os.rename(new, out)
        shutil.rmtree(old, ignore_errors=True)


def replace(folder: Folder, stage: Path, config: Config) -> list[SiteError]:
    """Put the whole site in ``stage`` in place of the output folder; warnings to show. The
    old folder is swapped out only when everything in it is the build's (no .git, nothing
    added by hand); otherwise the files move in through the journal and the rest stays."""
    out, shown = folder.out, config.shown(folder.out) or "."
    new, _ = inventory(stage)
    with _LOCK:
        present, git = inventory(out) if out.is_dir() else (set(), False)
        present.discard(MARKER_FILE)
        listed = owned_files(out) if present or git else []
        if listed is None and folder.legacy and not folder.force:
            theirs = sorted(f for f in present - new if not f.split("/")[0] == "pagefind")
            if theirs:
                raise SiteError(shown, None, f"this folder was built by an older site-builder (it has {NOJEKYLL} "
                                f"but no {MARKER_FILE}) and holds {len(theirs)} file(s) this build does not write, "
                                f"e.g. {theirs[0]}; move them out, or build --force once to take the folder over "
                                "(deleting them)")
            listed = sorted(present)
        if listed is not None and not git and present <= set(listed):
            (stage / MARKER_FILE).write_bytes(marker_bytes(new))
            swap_in(stage, out)
            marker.remember(out / MARKER_FILE, sorted(new))
            return []
        warnings = []
        if listed is None:  # --force: everything in the folder becomes the build's, but .git
            listed = sorted(present)
            warnings.append(SiteError(shown, None, f"took over this folder (--force): {len(present - new)} file(s) "
                                                   "site-builder did not write are deleted" + ("; .git is kept"
                                                                                                if git else "")))
        _commit(out, stage, sorted(new), lambda f: True, set(listed), folder.force, config, recorded=not warnings)
        return warnings


def commit(out: Path, stage: Path, moved: list[str], drop: Callable[[str], bool], force: bool,
           config: Config) -> None:
    """Move the files ``moved`` (staged in ``stage``) into the output folder and delete the
    files the marker lists that ``drop`` says are gone, through the journal; the marker is
    updated with them."""
    with _LOCK:
        listed = owned_files(out)
        if listed is None:
            raise SiteError(config.shown(out) or ".", None, f"{MARKER_FILE} is missing or damaged (changed during "
                                                            "the build?); build again")
        _commit(out, stage, moved, drop, set(listed), force, config, recorded=True)


def _commit(out: Path, stage: Path, moved: list[str], drop: Callable[[str], bool], listed: set[str],
            force: bool, config: Config, recorded: bool) -> None:
    """``recorded``: the marker on disk lists ``listed`` already."""
    fresh = [f for f in moved if f not in listed and os.path.lexists(out / f)]
    if fresh and not force:
        raise SiteError(config.shown(out / fresh[0]), None, "this file was not written by site-builder and "
                        "the build would overwrite it; move it out of the output folder, or build --force")
    listed.update(fresh)
    if fresh or not recorded:
        # what the journal may delete or overwrite is on record before it runs
        (stage / MARKER_FILE).write_bytes(marker_bytes(listed))
        os.replace(stage / MARKER_FILE, out / MARKER_FILE)
        marker.remember(out / MARKER_FILE, sorted(listed))
    moving = set(moved)
    delete = sorted(f for f in listed if f not in moving and drop(f))
    files = (listed - set(delete)) | moving
    if files == listed:  # the same files (an edit): the marker stays as it is
        if moved:
            journal.run(out, stage, moved, [], marker=False)
        else:
            with contextlib.suppress(OSError):
                os.rmdir(stage)  # not empty: a file staged and not in ``moved``, for the caller
        return
    final = sorted(files)
    (stage / MARKER_FILE).write_bytes(marker_bytes(final))
    journal.run(out, stage, moved, delete, marker=True)
    marker.remember(out / MARKER_FILE, final)


# --- what a killed build left -------------------------------------------------------------------

def recover(out: Path, config: Config, wait: float = 0.0) -> list[SiteError]:
    """Finish the journals of builds that died (or discard them, with a warning, when they are not
    sound), and remove their temporary folders. With ``wait``, a journal a live build holds is
    waited for, then refused: a reader must not look at a folder half moved."""
    warnings: list[SiteError] = []
    busy: set[int] = set()
    names = journal.leftovers(out)
    for path in sorted(out.parent.glob(f".{out.name}.journal-*")):
        m = names.fullmatch(path.name)
        if m is None or m.group(1) != "journal":
            continue
        fd = None
        try:
            fd = journal.lock(path, wait)
            if fd is None:
                if wait:
                    raise SiteError(config.shown(out) or ".", None, "a build is moving files into this folder; "
                                                                    "run this again when it has finished")
                busy.add(int(m.group(2)))
                continue
            with _LOCK:
                listed = owned_files(out)
                journal.apply(journal.load(path, out, None if listed is None else set(listed)), out)
        except FileNotFoundError:
            continue
        except journal.BadJournal as e:
            journal.discard(path)
            warnings.append(SiteError(config.shown(path), None, f"discarded this build journal: {e}; nothing "
                                                                "in it was done"))
        finally:
            if fd is not None:
                os.close(fd)
    journal.sweep(out, busy)
    return warnings


def settle(out: Path, config: Config) -> list[SiteError]:
    """Before reading a built site (check, deploy, serve): finish what a killed build left."""
    try:
        return recover(out, config, wait=30.0)
    except OSError as e:
        raise write_error(config, out, e) from None


def write_error(config: Config, out: Path, e: OSError) -> SiteError:
    what = "No space left on device; free some space" if e.errno == errno.ENOSPC else e.strerror
    return SiteError(config.shown(out), None, f"cannot write the site: {what}. The previous site is unchanged")
