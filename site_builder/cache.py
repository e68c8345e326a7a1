"""The build cache under ``.cache/``: what the last build read, rendered and wrote, so the next
build does only the work that changed.

It cannot change the output: a rendered body is stored under a hash of everything it was
made from, and an output file is reused only when the hash of all its inputs is the same.
A cache that is corrupt, from another version or from another site is ignored with a warning.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
import markdown

from . import __version__
from .config import Config
from .errors import SiteError
from .paths import link_problem

FORMAT = 2
VERSION = f"site_builder {__version__} cache {FORMAT} markdown {markdown.__version__} jinja2 {jinja2.__version__}"
PACKAGE = Path(__file__).resolve().parent

Signature = tuple[int, int, int]  # (mtime_ns, size, inode): a save, even rename-over, changes it
# A file changed in the same clock tick as the scan that recorded it can keep its signature
# (same size, same inode, same coarse mtime). Like git's "racy" entries, signatures this close
# to their scan are not trusted: those files are compared by content instead.
RACY_NS = 2_000_000_000


def code_hash() -> str:
    """site_builder's own code: a cache made by other code (a new release, a local edit) is not reused."""
    h = hashlib.blake2b(digest_size=16)
    for p in sorted(PACKAGE.glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()


def digest(*parts: Any) -> str:
    """A stable hash of plain data (str, bytes, numbers, None, tuples, lists, dicts)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def signature(path: Path | str) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def scan_inputs(config: Config, extra: Iterable[Path] = ()) -> dict[str, Signature | None]:
    """The signature of every file a build may read: config, content, templates, static files
    and seeds (facts are checked against them)."""
    from .templates import THEME_DIR, template_dirs

    out: dict[str, Signature | None] = {str(config.path): signature(config.path)}
    roots = [config.content_dir, config.static_dir, config.seeds_dir, *template_dirs(config), *extra]
    allowed = (*config.roots(), THEME_DIR.resolve())
    for root in dict.fromkeys(r.resolve() for r in roots):
        if not root.is_dir():
            out[str(root)] = None
            continue
        seen = {str(root)}
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            keep = []
            for d in dirnames:
                p = os.path.join(dirpath, d)
                if d == "__pycache__":
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
                p = os.path.join(dirpath, name)
                out[p] = signature(p)
    return out


@dataclass
class State:
    """What one build of one output folder left behind."""
    version: str
    root: str
    out: str
    env: tuple
    inputs: dict[str, Signature | None] = field(default_factory=dict)
    pages: dict[str, tuple[Signature | None, Any]] = field(default_factory=dict)  # rel -> (sig, Page)
    links_key: str = ""                                    # the site's URLs when links were resolved
    links: dict[str, tuple[str, dict]] = field(default_factory=dict)  # rel -> (page digest, resolved)
    outputs: dict[str, str] = field(default_factory=dict)  # output file -> key of its inputs
    quick: dict[str, str] = field(default_factory=dict)    # output file -> quick key (see Renderer.quick_key)
    marker: Signature | None = None                         # out/.site-builder.json as this build left it
    search: dict[int, str] = field(default_factory=dict)      # search shard -> key of the pages it was made from
    search_want: dict[int, str] = field(default_factory=dict)  # ... and the key it should have now
    search_plan: dict[int, list[str]] = field(default_factory=dict)  # search shard -> its pages
    warnings: list[tuple] = field(default_factory=list)     # (path, line, message), repeated when up to date
    pending: bool = False                                   # the search index still has to be made
    scanned_ns: int = 0                                     # wall clock just before the inputs were scanned
    templates: dict[str, tuple] = field(default_factory=dict)  # name -> (source hash, references, site reads)
    template_keys: dict[str, str] = field(default_factory=dict)  # name -> key of its closure and site reads
    structure: str = ""                                      # Renderer.structure_key of this build
    extras_key: str = ""                                     # what sitemap, feed... were made from
    extras: dict[str, str] = field(default_factory=dict)    # ... and their output keys

    def trusted(self, sig: Signature | None) -> bool:
        """Whether an unchanged signature proves an unchanged file."""
        return sig is not None and sig[0] < self.scanned_ns - RACY_NS


@dataclass
class Inputs:
    """The small part of a State that says whether anything changed: read on its own, so a
    build with nothing to do does not load every page's metadata."""
    env: tuple
    inputs: dict[str, Signature | None]
    marker: Signature | None
    scanned_ns: int
    pending: bool
    pages: int
    warnings: list[tuple]

    def unchanged(self, env: tuple, inputs: dict[str, Signature | None], marker: Signature | None) -> bool:
        trusted = self.scanned_ns - RACY_NS
        return (self.env == env and self.inputs == inputs and self.marker == marker and marker is not None
                and not self.pending and all(sig is None or sig[0] < trusted for sig in inputs.values()))


class Cache:
    def __init__(self, config: Config, out: Path):
        self.dir = config.cache_dir / "site-builder"
        self.state_path = self.dir / f"state-{digest(str(out))[:12]}.pickle"
        self.inputs_path = self.dir / f"inputs-{digest(str(out))[:12]}.pickle"
        self.bodies_path = self.dir / "bodies.sqlite"
        self.config, self.out = config, out
        self.warnings: list[SiteError] = []
        self._db: sqlite3.Connection | None = None

    def _warn(self, path: Path, why: str) -> None:
        self.warnings.append(SiteError(self.config.shown(path), None, f"{why}; ignoring the cache "
                                       "(it is rebuilt as the site builds)"))

    def load(self, env: tuple | None) -> State | None:
        try:
            with open(self.state_path, "rb") as f:
                state = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # anything a damaged file can raise while unpickling
            self._warn(self.state_path, "the build cache is unreadable (corrupt?)")
            return None
        if not isinstance(state, State) or state.version != VERSION:
            self._warn(self.state_path, "the build cache is from another version of site-builder")
            return None
        if state.root != str(self.config.root) or state.out != str(self.out):
            self._warn(self.state_path, "the build cache belongs to another site")
            return None
        # another base_url or --drafts: a clean slate (env None: whatever the last build was)
        return state if env is None or state.env == env else None

    def load_inputs(self) -> Inputs | None:
        try:
            with open(self.inputs_path, "rb") as f:
                found = pickle.load(f)
        except Exception:  # missing or damaged: the full state is read (and checked) instead
            return None
        return found if isinstance(found, Inputs) else None

    def save(self, state: State) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = self.state_path.with_name(self.state_path.name + f".tmp-{os.getpid()}")
            self.inputs_path.unlink(missing_ok=True)  # never a summary newer than its state
            with open(tmp, "wb") as f:
                pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.state_path)
            summary = Inputs(state.env, state.inputs, state.marker, state.scanned_ns, state.pending,
                             sum(1 for o in state.outputs if o.endswith(".html")), state.warnings)
            with open(tmp, "wb") as f:
                pickle.dump(summary, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.inputs_path)
        except OSError:
            pass  # a cache is an optimisation: never fail a build over it

    # --- rendered Markdown bodies --------------------------------------------------------------
    def _bodies(self) -> sqlite3.Connection | None:
        if self._db is None:
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.bodies_path)
                self._db.execute("PRAGMA journal_mode=WAL")  # workers write while this connection reads
                self._db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT, toc BLOB)")
                self._db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                row = self._db.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
                if row is None:
                    self._db.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
                elif row[0] != VERSION:
                    self._db.execute("DELETE FROM body")
                    self._db.execute("UPDATE meta SET v = ? WHERE k = 'version'", (VERSION,))
                self._db.commit()
            except sqlite3.Error:
                self._warn(self.bodies_path, "the rendered-Markdown cache is unreadable (corrupt?)")
                self._db = None
                try:
                    self.bodies_path.unlink(missing_ok=True)
                except OSError:
                    pass
        return self._db

    def get_bodies(self, keys: Iterable[str]) -> dict[str, tuple[str, list]]:
        db, found = self._bodies(), {}
        if db is None:
            return found
        keys = list(keys)
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = db.execute(f"SELECT key, html, toc FROM body WHERE key IN ({','.join('?' * len(chunk))})",
                                  chunk)
                for key, html, toc in rows:
                    found[key] = (html, pickle.loads(toc))
        except (sqlite3.Error, pickle.UnpicklingError, EOFError):
            self._warn(self.bodies_path, "the rendered-Markdown cache is unreadable (corrupt?)")
            return {}
        return found

    def put_bodies(self, items: dict[str, tuple[str, list]]) -> None:
        """Store rendered bodies. Safe from any process (a forked worker opens its own connection)."""
        if not items:
            return
        try:
            db = sqlite3.connect(self.bodies_path, timeout=60)
            with db:
                db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?, ?)",
                               [(k, html, pickle.dumps(toc)) for k, (html, toc) in items.items()])
            db.close()
        except sqlite3.Error:
            pass  # a cache is an optimisation

    def prune(self, keep: Callable[[], set[str]], pages: int) -> None:
        """Forget bodies no page uses any more, once they clearly outnumber the pages."""
        db = self._bodies()
        if db is None:
            return
        try:
            count = db.execute("SELECT count(*) FROM body").fetchone()[0]
            if count <= max(64, 2 * pages):
                return
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(k,) for k in keep()])
            db.execute("DELETE FROM body WHERE key NOT IN (SELECT key FROM keep)")
            db.commit()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
