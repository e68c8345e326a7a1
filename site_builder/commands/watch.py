"""The dev server's watcher: which files changed, a burst at a time.

With inotify (through watchfiles, i.e. Rust's ``notify``), the system says what changed and an
idle preview costs nothing. Where inotify cannot be had (not in this kernel, no instance left,
the watch limit reached: said in one log line) or ``--poll`` asks for it, the watcher compares
the files' signatures (``fs.signatures``, the walk the build's input scan makes) between polls.
Not watchfiles' own polling: it compares modification times in whole seconds, so a second
save within the same second would never be seen.

Either way, changes keep being collected while a rebuild runs (an edit made during it is
seen), a rename-over save is a change, and a burst (a checkout, a save-all) is one batch.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from watchfiles._rust_notify import RustNotify  # watchfiles' documented Rust backend (tests/test_watch.py)

from ..fs import Signature, changed, signatures

STEP = 0.05     # a burst ends when nothing new has changed for this long...
LIMIT = 1.5     # ...or this long after its first change, however busy the disk stays
TIMEOUT = 0.5   # how often the watched folders themselves are looked at (made, removed, replaced)
POLL = 0.025    # polling: the shortest pause between two walks (a large site's walk sets it)


@dataclass
class Coalescer:
    """Turns a burst of changes into one batch: wait until nothing has changed for ``quiet``
    seconds (but no longer than ``limit`` after the first change). inotify's bursts are
    coalesced the same way by watchfiles (``step`` and ``debounce``)."""
    quiet: float = STEP
    limit: float = LIMIT
    pending: set[str] = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0

    def add(self, paths: set[str], now: float) -> None:
        if paths:
            if not self.pending:
                self.first = now
            self.pending |= paths
            self.last = now

    def ready(self, now: float) -> set[str] | None:
        if self.pending and (now - self.last >= self.quiet or now - self.first >= self.limit):
            out, self.pending = self.pending, set()
            return out
        return None


def identity(path: Path) -> tuple[int, int] | None:
    """Which file or folder is at ``path`` now (a folder removed and made again is another)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


class Watcher:
    """Watches ``roots`` (folders, recursively, and files); ``wait`` returns the next burst."""

    def __init__(self, log: Callable[[str], None], polling: bool = False):
        self.log = log
        self.polling = polling
        self.roots: list[Path] = []
        self.allowed: tuple[Path, ...] = ()
        self.ids: dict[Path, tuple[int, int] | None] = {}
        self.notify: RustNotify | None = None
        self.snap: dict[str, Signature | None] = {}

    @property
    def mode(self) -> str:
        return "by polling" if self.polling else "with inotify"

    def arm(self, roots: list[Path], allowed: tuple[Path, ...]) -> None:
        """Watch ``roots`` from now on (those missing are looked for every ``TIMEOUT``): every
        change from here on is reported, also those made before the next ``wait``."""
        self.close()
        self.roots, self.allowed = roots, allowed
        if not self.polling:
            self.notify = self._inotify_for(roots)
        if self.polling:  # (the walk sees folders made, removed and replaced too)
            self.snap = signatures(roots, allowed)

    def _inotify_for(self, roots: list[Path]) -> RustNotify | None:
        """An inotify watch of ``roots`` (recursive), or None (and polling from now on)."""
        for _ in range(3):
            self.ids = {r: identity(r) for r in roots}
            try:
                notify = RustNotify([str(r) for r in roots if self.ids[r]], False, False, 0, True, False)
            except FileNotFoundError:
                continue  # a folder went away meanwhile: look again
            except (OSError, RuntimeError) as e:  # no inotify here, or no watch left
                self._fall_back(str(e))
                return None
            if repr(notify).startswith("RustNotify(Recommended("):
                return notify
            notify.close()  # watchfiles chose its own polling (an old kernel): ours sees more
            self._fall_back("the kernel has none")
            return None
        self._fall_back("the watched folders kept moving")
        return None

    def _fall_back(self, reason: str) -> None:
        self.polling = True
        reason = reason.split(" about ")[0].strip().rstrip(".")[:200]  # notify's message names every path
        self.log(f"watching by polling: inotify is not available ({reason}); an idle preview now costs CPU "
                 "(on Linux, raise fs.inotify.max_user_watches and restart)")

    def close(self) -> None:
        if self.notify is not None:
            self.notify.close()
            self.notify = None

    def wait(self, stop: threading.Event) -> set[str]:
        """The paths changed in the next burst, as strings; empty after ``TIMEOUT`` with no change
        (or once ``stop`` is set)."""
        return self._poll(stop) if self.polling else self._inotify(stop)

    def _inotify(self, stop: threading.Event) -> set[str]:
        assert self.notify is not None
        try:
            raw = self.notify.watch(int(LIMIT * 1000), int(STEP * 1000), int(TIMEOUT * 1000), stop)
        except RuntimeError as e:  # the backend's own error: it may have lost changes
            self.log(f"the file watcher stopped ({e}); watching again, and rebuilding in case a change was missed")
            self.arm(self.roots, self.allowed)
            return {str(r) for r in self.roots}
        changes = set() if isinstance(raw, str) else raw  # (a string: timeout, or stopped)
        batch = {path for _, path in changes}
        # A watched folder (or site.yaml) made, removed or saved over: its watch is on what was
        # there before, or on nothing. A new folder: notify watches it, but says nothing when no
        # watch is left for it. Watching everything again settles both (and falls back to polling).
        roots = {str(r) for r in self.roots}
        moved = {str(r) for r in self.roots if identity(r) != self.ids[r]}
        if moved or batch & roots or any(c == 1 and os.path.isdir(p) for c, p in changes):
            if not stop.is_set():
                self.arm(self.roots, self.allowed)
        return batch | moved

    def _poll(self, stop: threading.Event) -> set[str]:
        pending = Coalescer()
        until = time.monotonic() + TIMEOUT
        while not stop.is_set():
            t = time.monotonic()
            new = signatures(self.roots, self.allowed)
            now = time.monotonic()
            pending.add(changed(self.snap, new), now)
            self.snap = new
            batch = pending.ready(now)
            if batch:
                return batch
            if not pending.pending and now >= until:
                break
            stop.wait(max(POLL, 2 * (now - t)))  # a walk costs a stat per file: on a large site, poll less often
        return set()
