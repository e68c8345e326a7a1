"""``site-builder serve``: a preview that never lies.

Wraps the ``livereload`` package (its WebSocket protocol and browser client) with what its own
Server lacks: coalesced change detection that sees atomic saves, rebuilds off the event loop, a
reload only after a successful build, and any build error — a bug too — shown as an overlay on
every page while the watcher keeps going. What a request may get, and from whom, is in
``handlers``.
"""
from __future__ import annotations

import errno
import gc
import logging
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from ..errors import SiteError, format_warning
from ..fs import Snapshot, changed, ignored, snapshot
from ..model.config import Config, load_config
from .handlers import Guard, ReloadScript, ReloadSocket, SiteHandler, State

logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 in a preview is not news


# --- watching (the stat-walk itself is fs.snapshot) ---------------------------------------


@dataclass
class Coalescer:
    """Turns a burst of changes into one rebuild: wait until nothing has changed for
    ``quiet`` seconds (but no longer than ``limit`` after the first change)."""
    quiet: float = 0.05
    limit: float = 1.5
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


# --- the server ------------------------------------------------------------------------------

def internal_error(e: Exception, config: Config, paths: set[str] | None) -> str:
    """The overlay's text for a bug met while building: what, where in the code, after which edit."""
    frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
    where = f" (at {'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno})" if frame else ""
    edited = sorted(config.shown(p) for p in paths or ())
    after = f"\nafter a change to {', '.join(edited[:3])}{' …' if len(edited) > 3 else ''}" if edited else ""
    return (f"internal error: {type(e).__name__}: {e}{where}{after}\n"
            "This is a bug in site-builder (the terminal shows the traceback; please report it). "
            "Undo or change the edit to go on: the preview rebuilds on every save.")


class DevServer:
    def __init__(self, root: Path, host: str, port: int, log: Callable[[str], None] = print):
        self.root = root
        self.host, self.port = host, port
        self.state = State()
        self.log = log
        self.stop = threading.Event()
        self.index_lock = threading.Lock()
        self.save_lock = threading.Lock()
        self.builds_since_full_gc = 0
        self.last_build = None  # the last build's cache State: the next build starts from it, not from disk
        self.loop: ioloop.IOLoop | None = None
        self.config = load_config(root)
        self.out = self.config.output_dir
        self.base_path = urlsplit(self.config.base_url).path

    def watched(self) -> list[Path]:
        c = self.config
        paths = [c.path, c.content_dir, c.templates_dir, c.static_dir, c.seeds_dir]
        return [p for p in dict.fromkeys(paths) if p.exists() and p != self.out]

    def rebuild(self, paths: set[str] | None = None) -> bool:
        from ..build import build
        from ..ingest import ingest

        t0 = time.perf_counter()
        try:
            self.config = load_config(self.root)
            seeds = sorted(Path(p) for p in (paths or ()) if Path(p).is_relative_to(self.config.seeds_dir)
                           and Path(p).exists() and not ignored(Path(p).name))
            if seeds or paths is None:
                for line in ingest(self.config, seeds or None):
                    if line.lstrip().startswith(("wrote", "removed", "skipped", "orphaned", "kept")):
                        self.log(line.strip())
            result = build(self.config, out=self.out, search_now=False, state=self.last_build, save=self._save)
            self.last_build = result.state
            for w in result.warnings:
                self.log(format_warning(w))
        except SiteError as e:
            self.log(str(e))
            self._failed(str(e))
            return False
        except Exception as e:  # a bug: the preview says so, and the watcher goes on
            self.last_build = None  # the next build starts from the saved state, not from what this one touched
            self.log(f"site-builder: internal error: {type(e).__name__}: {e} (please report it)\n"
                     f"{traceback.format_exc().rstrip()}")
            self._failed(internal_error(e, self.config, paths))
            return False
        with self.state.lock:
            self.state.error = None
        what = f"{len(paths)} changed file{'s' * (len(paths) != 1)}" if paths else "start"
        self.log(f"Built {result.pages} pages in {time.perf_counter() - t0:.2f} s ({what}), "
                 f"{result.rendered} rendered")
        self._reload()
        if self.config.search:
            threading.Thread(target=self._index, name="search-index", daemon=True).start()
        self._collect()
        return True

    def _failed(self, message: str) -> None:
        with self.state.lock:
            self.state.error = message
        self._reload()

    def _collect(self) -> None:
        """Free the cycles the build left, after the reload. The heap that survives is frozen
        (gc.freeze), so the next pass looks only at the next build's objects: 60 ms instead of
        250 ms at 10,000 pages, a pause that would otherwise fall on the reloading browser's
        requests. Every 50 builds, one full pass frees what was frozen and has died since."""
        self.builds_since_full_gc += 1
        if self.builds_since_full_gc >= 50:
            self.builds_since_full_gc = 0
            gc.unfreeze()
        gc.collect()
        gc.freeze()

    def _save(self, cache, state) -> None:  # noqa: ANN001
        """Write the build cache after the reload, not before it."""
        def write() -> None:
            with self.save_lock:
                cache.save(state)
        threading.Thread(target=write, name="save-cache", daemon=False).start()

    def _index(self) -> None:
        """The search index follows a reload, so a large site's reload need not wait for it.
        It works from the last build's state in memory: reading it back from disk would hold
        the interpreter (unpickling) long enough to delay the next edit's rebuild by seconds."""
        from ..build.cache import Cache
        from ..build.search import finish

        with self.index_lock:
            state = self.last_build
            if state is None or not state.pending:
                return
            try:
                finish(self.config, self.out, state)
            except SiteError as e:
                self.log(str(e))
                return
            except Exception as e:  # a bug: the site is served without a fresh index
                self.log(f"site-builder: internal error while indexing for search: {type(e).__name__}: {e} "
                         f"(please report it)\n{traceback.format_exc().rstrip()}")
                return
            if state is self.last_build:  # (a newer build saves its own state)
                self._save(Cache(self.config, self.out), state)

    def _reload(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def watch(self, snap: Snapshot, interval: float = 0.025) -> None:
        """Poll for changes (stat only), coalesce bursts, rebuild once per burst. The snapshot
        a rebuild starts from stays the reference, so an edit made during a rebuild is seen
        (``snap``: the files as the first build found them)."""
        paths = self.watched()
        pending = Coalescer()
        while not self.stop.is_set():
            t = now = time.monotonic()
            try:
                new = snapshot(paths, ignored)
                now = time.monotonic()
                pending.add(changed(snap, new), now)
                snap = new
                batch = pending.ready(now)
                if batch:
                    self.rebuild(batch)
                    paths = self.watched()  # site.yaml may have moved folders
            except Exception:  # (rebuild reports its own) the watcher outlives anything: say it, go on
                self.log(f"site-builder: internal error while watching (please report it)\n{traceback.format_exc()}")
            # polling costs a stat per file: on a large site, poll less often
            self.stop.wait(max(interval, 2 * (now - t)))

    def app(self) -> web.Application:
        # livereload's handler logs its watcher's last path; ours does the watching, so it gets
        # a bare livereload Watcher that never runs, only for that attribute
        LiveReloadHandler.watcher = Watcher()
        LiveReloadHandler.live_css = True
        script = f'<script src="/livereload.js?port={self.port}"></script>'
        guard = Guard(self.host, self.port)
        return web.Application([
            (r"/livereload", ReloadSocket, dict(guard=guard)),
            (r"/livereload\.js", ReloadScript, dict(guard=guard)),
            (r".*", SiteHandler, dict(out=self.out, base_path=self.base_path, state=self.state, script=script,
                                      guard=guard)),
        ])

    def run(self, open_browser: bool = False) -> int:
        from tornado.httpserver import HTTPServer
        from tornado.netutil import bind_sockets

        try:
            sockets = bind_sockets(self.port, self.host, reuse_port=False, backlog=1024)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise SiteError(f"port {self.port}", None, "already in use; stop the other server, or "
                                "use --port 0 to pick a free port") from None
            raise SiteError(f"{self.host}:{self.port}", None, f"cannot listen: {e.strerror}") from None
        self.port = sockets[0].getsockname()[1]
        server = None
        try:
            if self.host not in ("127.0.0.1", "localhost", "::1"):
                self.log(f"warning: serving on {self.host}: other machines on the network can see this preview")
            from ..build.output import settle

            for w in settle(self.out, self.config):  # a killed build's journal: finished before serving
                self.log(format_warning(w))
            start = snapshot(self.watched(), ignored)  # before the first build: an edit during it is seen
            self.rebuild(None)
            self.loop = ioloop.IOLoop.current()
            # From here Ctrl-C stops the loop instead of raising wherever the main thread happens to be
            signal.signal(signal.SIGINT, lambda *_: self.loop.add_callback_from_signal(self.loop.stop))
            server = HTTPServer(self.app())
            server.add_sockets(sockets)
            url = f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '::') else self.host}:{self.port}{self.base_path}"
            self.log(f"Serving {self.config.shown(self.out)}/ at {url} (Ctrl-C to stop)")
            threading.Thread(target=self.watch, args=(start,), name="watch", daemon=True).start()
            if open_browser:
                import webbrowser

                threading.Timer(0.5, webbrowser.open, [url]).start()
            self.loop.start()
        except KeyboardInterrupt:
            pass  # Ctrl-C during the first build
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.stop.set()
            if server is not None:
                server.stop()
            for s in sockets:
                s.close()
        self.log("Stopped.")
        return 0


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    return DevServer(config.root, host, port).run(open_browser)
