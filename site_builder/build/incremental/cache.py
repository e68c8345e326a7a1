"""The build cache under ``.cache/``: what the last build read, rendered and wrote, so the next
build does only the work that changed.

It cannot change the output: a rendered body is stored under a hash of everything it was
made from, and an output file is reused only when the hash of all its inputs is the same.
A cache that is corrupt, from another version or from another site is ignored with a warning;
a cache that cannot be written is a warning too (never silence: a cache that is never filled
would only show as slow builds).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterable

from ...errors import SiteError
from ...fs import digest, write_atomic
from ...model.config import Config
from . import jsondata as j
from .environment import VERSION
from .jsondata import Unreadable
from .state import Inputs, State, dump_inputs, dump_state, load_inputs, load_state, state_header


class Cache:
    def __init__(self, config: Config, out: Path):
        self.dir = config.cache_dir / "site-builder"
        self.state_path = self.dir / f"state-{digest(str(out))[:12]}.json"
        self.inputs_path = self.dir / f"inputs-{digest(str(out))[:12]}.json"
        self.bodies_path = self.dir / "bodies.sqlite"
        self.config, self.out = config, out
        self.warnings: list[SiteError] = []
        self._bodies: tuple[Bodies | None] | None = None  # made ready once per build

    def _warn(self, path: Path, why: str) -> None:
        self.warnings.append(SiteError(self.config.shown(path), None, f"{why}; ignoring the cache "
                                       "(it is rebuilt as the site builds)"))

    def load(self, env: tuple | None) -> State | None:
        try:
            data = self.state_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            self._warn(self.state_path, "the build cache is unreadable (corrupt?)")
            return None
        try:
            found = state_header(data)
            if found["version"] != VERSION:
                self._warn(self.state_path, "the build cache is from another version of site-builder")
                return None
            if found["root"] != str(self.config.root) or found["out"] != str(self.out):
                self._warn(self.state_path, "the build cache belongs to another site")
                return None
            state = load_state(found, str(self.config.content_dir))
        except Unreadable:
            self._warn(self.state_path, "the build cache is unreadable (corrupt?)")
            return None
        # another base_url or --drafts: a clean slate (env None: whatever the last build was)
        return state if env is None or state.env == env else None

    def load_inputs(self) -> Inputs | None:
        try:
            return load_inputs(self.inputs_path.read_bytes(), VERSION)
        except (OSError, Unreadable):  # missing or damaged: the full state is read (and checked) instead
            return None

    def save(self, state: State) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self.inputs_path.unlink(missing_ok=True)  # never a summary newer than its state
            try:
                data = dump_state(state)
            except (TypeError, ValueError, RecursionError) as e:  # a value JSON cannot hold: no cache
                self.state_path.unlink(missing_ok=True)
                self.warnings.append(SiteError(self.config.shown(self.state_path), None,
                                               f"the build cache could not be saved ({e}); the next build "
                                               "reads every page again"))
                return
            write_atomic(self.state_path, data)
            write_atomic(self.inputs_path, dump_inputs(state))  # (after its state: never newer)
            for old in (self.state_path, self.inputs_path):  # format 2's pickles: never read again
                old.with_suffix(".pickle").unlink(missing_ok=True)
        except OSError as e:  # a cache is an optimisation: never fail a build over it, but say so
            self.warnings.append(SiteError(self.config.shown(self.state_path), None, "the build cache could "
                                           f"not be saved ({e.strerror}); the next build reads every page again"))

    # --- rendered Markdown bodies --------------------------------------------------------------
    def bodies(self) -> Bodies | None:
        """The rendered-Markdown table, made ready for this version (rows of another are dropped)
        before workers open it; None, with a warning, when it is unusable (it is then removed,
        and the workers start a new one)."""
        if self._bodies is None:
            self._bodies = (self._ready(),)
        return self._bodies[0]

    def _ready(self) -> Bodies | None:
        store = Bodies(self.bodies_path, self.config.shown(self.bodies_path))
        try:
            db = store.connect()
            row = db.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
            elif row[0] != VERSION:
                db.execute("DELETE FROM body")
                db.execute("UPDATE meta SET v = ? WHERE k = 'version'", (VERSION,))
            db.commit()
            return store
        except (sqlite3.Error, OSError):
            self._warn(self.bodies_path, "the rendered-Markdown cache is unreadable (corrupt?)")
            try:
                for suffix in ("", "-wal", "-shm"):  # a stale log would be replayed into a new table
                    Path(f"{self.bodies_path}{suffix}").unlink(missing_ok=True)
            except OSError:
                pass
            return None
        finally:
            store.close()  # no connection may cross a fork: each process opens its own

    def prune(self, store: Bodies, keep: Callable[[], set[str]], pages: int) -> None:
        """Forget bodies no page uses any more, once they clearly outnumber the pages."""
        try:
            db = store.connect()
            count = db.execute("SELECT count(*) FROM body").fetchone()[0]
            if count <= max(64, 2 * pages):
                return
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keep()])
            db.execute("DELETE FROM body WHERE key NOT IN (SELECT key FROM keep)")
            db.commit()
        except sqlite3.Error as e:
            self.warnings.append(store.problem("could not be pruned", e))
        finally:
            store.close()


class Bodies:
    """Rendered Markdown bodies by body key (SQLite). Any process may open one: a worker opens
    its own connection. Problems are kept in ``warnings``, never raised: a cache only saves time."""

    def __init__(self, path: Path, shown: str):
        self.path, self.shown = path, shown
        self.warnings: list[SiteError] = []
        self._db: sqlite3.Connection | None = None

    def __reduce__(self) -> tuple:
        return (Bodies, (self.path, self.shown))  # to a worker: where the table is, not a connection

    def connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60)  # several workers write at once
            try:
                db.execute("PRAGMA journal_mode=WAL")  # writers never block readers
                db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT, toc TEXT)")
                db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                db.commit()
            except sqlite3.Error:
                db.close()
                raise
            self._db = db
        return self._db

    def problem(self, what: str, e: Exception) -> SiteError:
        return SiteError(self.shown, None, f"the rendered-Markdown cache {what} ({e}); the pages it "
                                           "would have saved are converted again")

    def get(self, keys: Iterable[str]) -> dict[str, tuple[str, list]]:
        found: dict[str, tuple[str, list]] = {}
        keys = list(keys)
        try:
            db = self.connect()
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = db.execute(f"SELECT key, html, toc FROM body WHERE key IN ({','.join('?' * len(chunk))})",
                                  chunk)
                for key, html, toc in rows:
                    if type(html) is not str:
                        raise Unreadable("not HTML")
                    found[key] = (html, load_toc(toc))
        except (sqlite3.Error, Unreadable, OSError):
            self.warnings.append(SiteError(self.shown, None, "the rendered-Markdown cache is unreadable "
                                           "(corrupt?); ignoring the cache (it is rebuilt as the site builds)"))
            return {}
        return found

    def put(self, items: dict[str, tuple[str, list]]) -> None:
        if not items:
            return
        try:
            db = self.connect()
            with db:
                db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?, ?)",
                               [(k, html, dump_toc(toc)) for k, (html, toc) in items.items()])
        except (sqlite3.Error, OSError) as e:
            self.warnings.append(self.problem("could not be written", e))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


# --- the table of contents of a rendered body ------------------------------------------------------

def dump_toc(toc: list[dict]) -> str:
    return json.dumps(toc, ensure_ascii=True, separators=(",", ":"))


def _check_toc(items: Any, depth: int = 0) -> list[dict]:
    if depth > 6:
        raise Unreadable("not a table of contents")
    for item in j.only(items, dict):
        for k, v in item.items():
            if k == "children":
                _check_toc(v, depth + 1)
            elif not (type(v) is str or type(v) is int):
                raise Unreadable("not a table of contents entry")
    return items


def load_toc(text: Any) -> list[dict]:
    try:
        return _check_toc(json.loads(j.text(text)))
    except (ValueError, RecursionError) as e:
        raise Unreadable(str(e)) from None
