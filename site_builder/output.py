"""The output folder, replaced safely.

Nothing is written into it until every page has rendered. A first (or clean) build renders into
a new folder beside it and swaps it in with one atomic rename. A later build writes the files
that changed beside it, records the moves in a journal, then moves them in; if the process dies
during those moves, the next build finishes them. Either way a failed build leaves the previous
output as it was.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from pathlib import Path

from .config import Config
from .errors import SiteError

MARKER = ".nojekyll"  # always written: GitHub Pages must not run Jekyll, and it marks our output


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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> None:
    """Finish or discard what a killed build left beside the output folder."""
    for journal in sorted(out.parent.glob(f".{out.name}.journal-*")):
        pid = journal.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            apply_journal(journal, out)
    for p in out.parent.glob(f".{out.name}.*-*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def apply_journal(journal: Path, out: Path) -> None:
    """Move staged files into place, delete removed ones, then drop the journal. Idempotent."""
    lines = journal.read_text(encoding="utf-8").split("\n")
    if not lines or lines[-1] != "end":
        journal.unlink()  # not complete: the moves never started; the staged files are discarded
        return
    stage = Path(lines[0])
    for line in lines[1:-1]:
        op, rel = line.split(" ", 1)
        if op == "move":
            # plain strings and one rename per file: after a template change this moves every page
            src, dst = os.path.join(stage, rel), os.path.join(out, rel)
            try:
                os.replace(src, dst)
            except FileNotFoundError:
                if os.path.exists(src):  # else: moved already, by the run this one resumes
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    os.replace(src, dst)
        elif op == "delete":
            target = out / rel
            target.unlink(missing_ok=True)
            for parent in target.parents:
                if parent == out or not parent.is_dir() or any(parent.iterdir()):
                    break
                parent.rmdir()
    journal.unlink()
    shutil.rmtree(stage, ignore_errors=True)


def check_output_folder(out: Path, config: Config) -> None:
    if out.exists() and not out.is_dir():
        raise SiteError(config.shown(out), None, "output path exists and is not a folder; "
                                                 "remove it or choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(config.shown(out), None, "output folder exists and was not made by "
                                                 "site-builder (no .nojekyll); empty it or choose another --out")
    for d in (config.content_dir, config.templates_dir, config.seeds_dir, config.static_dir, config.root):
        if out == d or d.is_relative_to(out):
            raise SiteError(config.shown(out), None, f"output folder would replace {config.shown(d) or '.'}; "
                                                     "choose another --out")


def write_error(config: Config, out: Path, e: OSError) -> SiteError:
    what = "No space left on device; free some space" if e.errno == errno.ENOSPC else e.strerror
    return SiteError(config.shown(out), None, f"cannot write the site: {what}. The previous site is unchanged")
