"""The build journal: how a later build moves its files into the output folder, so that a
kill at any moment leaves the old site or the new one.

A build writes what changed into a stage folder beside the output (``._site.stage-PID``),
then the journal (``._site.journal-PID``): one JSON object naming the stage and every file to
move in and to delete, relative to those two folders (JSON: a newline or any other character
in a file name cannot split an entry; a page is staged under its flat name, ``staged_name``).
It holds a lock on the journal while it applies it.
Whoever finds the journal of a process that died (the next build, ``check``, ``deploy``,
``serve``) verifies all of it before doing anything, then applies it again (every step is
idempotent), or, when anything is off, discards it with a warning: every path relative and
inside its folder with no symbolic link on the way, the stage a sibling of the output with
the name this build gives it, every file deleted or overwritten one the output folder's
marker lists (a file the build wrote). The marker moves in last: once it is in, the rest is.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import fcntl

from ..fs import abandoned
from .marker import MARKER_FILE, read as read_marker, safe_rel

FORMAT = 2  # 2: a file may be staged under its flat name (``staged_name``); 1: each at its own path
KINDS = ("stage", "building", "index")  # the stage folders a journal may name
MAX_BYTES = 256 * 2**20


class BadJournal(Exception):
    """A journal that must not be applied: the reason is in the message."""


@dataclass
class Journal:
    path: Path
    stage: Path
    move: list[str]
    delete: list[str]
    marker: bool  # the stage holds the output folder's new marker, moved in last
    flat: bool = False  # a file may be staged under its flat name (format 2)


def path_for(out: Path, pid: int | None = None) -> Path:
    return out.with_name(f".{out.name}.journal-{os.getpid() if pid is None else pid}")


def stage_for(out: Path, kind: str, pid: int | None = None) -> Path:
    return out.with_name(f".{out.name}.{kind}-{os.getpid() if pid is None else pid}")


def staged_name(rel: str) -> str:
    """Where a build that moves its files in through the journal stages a page: in the stage's
    top folder, its path with ':' for '/' (no output path holds a ':'), so that no folder is made,
    then emptied and removed, a page; a path too long for one name is staged as it is."""
    flat = rel.replace("/", ":")
    return flat if len(flat.encode()) <= 240 else rel


def leftovers(out: Path) -> re.Pattern[str]:
    """The names of everything a build makes beside ``out``; group 1 is the kind, 2 the pid."""
    return re.compile(rf"\.{re.escape(out.name)}\.(journal|{'|'.join(KINDS)}|old|search\d+(?:pages)?)-(\d+)")


class _Dirs:
    """Whether a relative path reaches its file through real folders only (no symbolic link on
    the way out of the folder), with one lstat per folder however many files it holds."""

    def __init__(self, root: Path):
        self.root, self.seen = str(root), {"": True}

    def ok(self, rel: str) -> bool:
        return self._dir(rel.rpartition("/")[0])

    def _dir(self, d: str) -> bool:
        known = self.seen.get(d)
        if known is None:
            known = self._dir(d.rpartition("/")[0])
            if known:
                try:
                    known = not stat.S_ISLNK(os.lstat(os.path.join(self.root, d)).st_mode)
                except OSError:
                    known = True  # not there yet: made by this move
            self.seen[d] = known
        return known


# --- writing and applying -----------------------------------------------------------------

def run(out: Path, stage: Path, move: list[str], delete: list[str], marker: bool) -> None:
    """Record the moves and deletions, then carry them out (the marker, staged in ``stage``
    when ``marker``, moves in last). The journal is locked until it is gone: a reader waits,
    never meddles."""
    path = path_for(out)
    body = json.dumps({"site-builder-journal": FORMAT, "stage": stage.name, "move": move, "delete": delete,
                       "marker": marker})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = (body + "\n").encode()
        while data:
            data = data[os.write(fd, data):]
        apply(Journal(path, stage, move, delete, marker, flat=True), out, strays=True)
    finally:
        os.close(fd)


def apply(j: Journal, out: Path, strays: bool = False) -> None:
    """Move the staged files into place, delete the removed ones, move the marker in, then drop
    the journal and the stage. Idempotent: a run killed at any point is finished by another.
    ``strays``: a stage that holds more than the journal moved is left for the caller (the build
    moves such a file in too); else it is removed."""
    dirs = _Dirs(out)
    bad = next((rel for rel in j.move + j.delete if not dirs.ok(rel)), None)
    if bad is not None:  # (a stage is the build's own: nothing in it is a link)
        raise BadJournal(f"'{bad}' leads through a symbolic link")
    root, src_root, nested = str(out), str(j.stage), []
    for rel in j.move:
        # plain strings and one rename per file: after a template change this moves every page
        dst, name = os.path.join(root, rel), staged_name(rel) if j.flat else rel
        if name == rel or not _move(os.path.join(src_root, name), dst):
            _move(os.path.join(src_root, rel), dst)  # (staged at its own path: a generated file, a bundle)
            nested.append(rel)
    for rel in j.delete:
        target = os.path.join(root, rel)
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        parent = os.path.dirname(target)
        while parent != root:  # folders the deletion emptied
            try:
                os.rmdir(parent)
            except OSError:
                break
            parent = os.path.dirname(parent)
    if j.marker and os.path.lexists(j.stage / MARKER_FILE):
        os.replace(j.stage / MARKER_FILE, out / MARKER_FILE)
    j.path.unlink(missing_ok=True)
    if not _emptied(j.stage, nested) and not strays:
        shutil.rmtree(j.stage, ignore_errors=True)


def _move(src: str, dst: str) -> bool:
    """False when ``src`` is not there (moved already, by the run this one resumes; or staged elsewhere)."""
    try:
        os.replace(src, dst)
    except FileNotFoundError:
        if not os.path.exists(src):
            return False
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.replace(src, dst)
    return True


def _emptied(stage: Path, moved: list[str]) -> bool:
    """Remove the folders of the stage the moves emptied, deepest first, and the stage: one rmdir
    each (shutil.rmtree opens, lists and checks each of 10,000 folders); False when something
    is left in it."""
    folders: set[str] = set()
    for rel in moved:
        d = rel.rpartition("/")[0]
        while d and d not in folders:
            folders.add(d)
            d = d.rpartition("/")[0]
    root = str(stage)
    for d in sorted(folders, key=len, reverse=True):  # a folder's name is longer than its parent's
        try:
            os.rmdir(os.path.join(root, d))
        except OSError:
            pass  # not empty: a stray, found below
    try:
        os.rmdir(stage)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True


# --- what a killed build left --------------------------------------------------------------

def load(path: Path, out: Path, listed: set[str] | None) -> Journal:
    """A journal found beside ``out``, verified before anything is done with it. ``listed``:
    the files the output folder's marker lists (None: it has no valid marker)."""
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        raise BadJournal("it is not a regular file")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise BadJournal("it belongs to another user")
    if st.st_size > MAX_BYTES:
        raise BadJournal("it is too large")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except ValueError:
        raise BadJournal("it is incomplete or not a journal of this version of site-builder") from None
    if not isinstance(data, dict) or set(data) != {"site-builder-journal", "stage", "move", "delete", "marker"} \
            or data["site-builder-journal"] not in (1, FORMAT) or not isinstance(data["marker"], bool):
        raise BadJournal("it is not a journal of this version of site-builder")
    pid = path.name.rpartition("-")[2]
    if data["stage"] not in {stage_for(out, k, int(pid)).name for k in KINDS}:
        raise BadJournal(f"its stage {data['stage']!r} is not a folder this build makes beside {out.name}")
    move, delete = data["move"], data["delete"]
    if not isinstance(move, list) or not isinstance(delete, list):
        raise BadJournal("its entries are not lists")
    bad = next((rel for rel in move + delete if not safe_rel(rel) or rel == MARKER_FILE), None)
    if bad is not None:
        raise BadJournal(f"{bad!r} is not a path inside the output folder")
    stage = out.with_name(data["stage"])
    try:
        sst = stage.lstat()
    except FileNotFoundError:
        raise BadJournal(f"its stage {stage.name} is missing") from None
    if not stat.S_ISDIR(sst.st_mode) or (hasattr(os, "geteuid") and sst.st_uid != os.geteuid()):
        raise BadJournal(f"its stage {stage.name} is not a folder of this user")
    if data["marker"]:
        if not os.path.lexists(stage / MARKER_FILE):
            return Journal(path, stage, [], [], False)  # applied but for the clean-up, or never a build's
        if read_marker(stage / MARKER_FILE) is None:
            raise BadJournal(f"its {MARKER_FILE} is not valid")
    elif delete:  # a journal that keeps the marker changes no file's ownership
        raise BadJournal(f"it would remove {delete[0]} but keep {MARKER_FILE} as it is")
    dirs, staged = _Dirs(out), _Dirs(stage)
    bad = next((rel for rel in move + delete if not dirs.ok(rel)), None) or \
        next((rel for rel in move if not staged.ok(rel)), None)
    if bad is not None:
        raise BadJournal(f"'{bad}' leads through a symbolic link")
    if listed is None:
        raise BadJournal(f"{out.name} has no valid {MARKER_FILE}")
    flat = data["site-builder-journal"] == FORMAT
    bad = next((rel for rel in delete if rel not in listed), None) or \
        next((rel for rel in move if rel not in listed and os.path.lexists(out / rel)
              and (os.path.lexists(stage / rel) or flat and os.path.lexists(stage / staged_name(rel)))),
             None)  # (not moved yet: else a resumed move)
    if bad is not None:
        raise BadJournal(f"it would remove or overwrite {bad}, which site-builder did not write")
    if not data["marker"]:
        bad = next((rel for rel in move if rel not in listed), None)
        if bad is not None:
            raise BadJournal(f"it would add {bad} but keep {MARKER_FILE} as it is")
    return Journal(path, stage, move, delete, data["marker"], flat)


def lock(path: Path, wait: float = 0.0) -> int | None:
    """An open descriptor of the journal, locked: its process is gone. None while a live
    process holds it (after waiting up to ``wait`` seconds). The lock, not the pid in the
    name, tells: a pid can be reused, and a planted name can be any pid."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise
    except OSError:
        raise BadJournal("it is not a regular file") from None
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(0.05)


def discard(path: Path) -> None:
    """Remove a journal that is not applied; a folder of that name is left alone."""
    try:
        if not stat.S_ISDIR(path.lstat().st_mode):
            path.unlink()
    except OSError:
        pass


def sweep(out: Path, busy: set[int]) -> None:
    """Remove the stage and scratch folders of builds that are gone (never following a link);
    ``busy``: pids whose journal a live process holds."""
    names = leftovers(out)

    def pid_of(p: Path) -> int | None:
        m = names.fullmatch(p.name)
        return None if m is None or m.group(1) == "journal" else int(m.group(2))

    for p in abandoned(out.parent.glob(f".{out.name}.*-*"), pid_of, busy):
        try:
            st = p.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode) and (not hasattr(os, "geteuid") or st.st_uid == os.geteuid()):
            shutil.rmtree(p, ignore_errors=True)
