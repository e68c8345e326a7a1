"""``site-builder serve``: a preview that never lies.

Wraps the ``livereload`` package (its WebSocket protocol and browser client) with what
its own Server lacks: coalesced change detection that sees atomic saves, rebuilds off
the event loop, a reload only after a successful build, the build error shown as an
overlay on every page, the site served under the path of base_url, and no file outside
the output folder ever served.
"""
from __future__ import annotations

import errno
import gc
import logging
import html
import mimetypes
import os
import posixpath
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from .config import Config, load_config
from .errors import SiteError

logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 in a preview is not news

Snapshot = dict[str, tuple[int, int, int]]


# --- watching: pure pieces first ---------------------------------------------------------

def snapshot(paths: list[Path], ignore: Callable[[str], bool]) -> Snapshot:
    """(mtime_ns, size, inode) of every file under ``paths``: a rename-over save changes the inode."""
    snap: Snapshot = {}
    for root in paths:
        if root.is_file():
            st = root.stat()
            snap[str(root)] = (st.st_mtime_ns, st.st_size, st.st_ino)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not ignore(d)]
            for name in filenames:
                if ignore(name):
                    continue
                p = os.path.join(dirpath, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                snap[p] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return snap


def changed(old: Snapshot, new: Snapshot) -> set[str]:
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


def editor_junk(name: str) -> bool:
    """Editors' swap, backup and temporary files, and hidden folders: never a reason to rebuild."""
    return (name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or
            (name.startswith("#") and name.endswith("#")) or name == "__pycache__" or ".tmp-" in name)


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


# --- serving -------------------------------------------------------------------------------

def resolve_request(out: Path, base_path: str, raw_path: str) -> tuple[str, Path | str | None]:
    """Map a request path to ('file', path) | ('redirect', url) | ('missing', None).

    Only files inside ``out`` are ever returned: '..' (plain or encoded), backslashes,
    NUL bytes and symlinks leading outside are refused."""
    path = urlsplit(raw_path).path
    if not path.startswith(base_path):
        if path.rstrip("/") + "/" == base_path or path in ("", "/"):
            return "redirect", base_path
        return "missing", None
    rel = unquote(path[len(base_path):])
    if "\x00" in rel or "\\" in rel or any(seg == ".." for seg in rel.split("/")):
        return "missing", None
    norm = posixpath.normpath("/" + rel).lstrip("/")
    target = (out / norm) if norm not in ("", ".") else out
    root = out.resolve()
    try:
        real = target.resolve()
    except (OSError, RuntimeError):
        return "missing", None
    if real != root and not real.is_relative_to(root):
        return "missing", None
    if real.is_dir():
        if not path.endswith("/"):
            return "redirect", path + "/"
        index = real / "index.html"
        return ("file", index) if index.is_file() else ("missing", None)
    if real.is_file():
        return "file", real
    html_twin = real.with_name(real.name + ".html")  # GitHub Pages serves /x as x.html
    return ("file", html_twin) if html_twin.is_file() else ("missing", None)


OVERLAY = ('<div id="site-builder-error" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;'
           'margin:0;padding:1rem 1.25rem;background:#7a1020;color:#fff;font:15px/1.5 ui-monospace,monospace;'
           'white-space:pre-wrap;box-shadow:0 -4px 16px rgba(0,0,0,.35)"><strong>Build failed — showing the last '
           'good site.</strong>\n{message}</div>')


class State:
    """What the server knows: the last build error (None when the site is good)."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.builds = 0
        self.lock = threading.Lock()


def inject(body: bytes, state: State, script: str) -> bytes:
    extra = script
    if state.error:
        extra += OVERLAY.format(message=html.escape(state.error))
    marker = b"</body>"
    i = body.rfind(marker)
    return body[:i] + extra.encode() + body[i:] if i != -1 else body + extra.encode()


class SiteHandler(web.RequestHandler):
    out: Path
    base_path: str
    state: State
    script: str

    def initialize(self, out: Path, base_path: str, state: State, script: str) -> None:
        self.out, self.base_path, self.state, self.script = out, base_path, state, script

    def compute_etag(self) -> None:
        return None

    def get(self) -> None:
        self._serve(head=False)

    def head(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        kind, value = resolve_request(self.out, self.base_path, self.request.path)
        self.set_header("Cache-Control", "no-store")
        if kind == "redirect":
            self.redirect(str(value), permanent=False)
            return
        status, path = (200, value) if kind == "file" else (404, self.out / "404.html")
        if not isinstance(path, Path) or not path.is_file():
            status, body, ctype = 404, b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>", "text/html"
        else:
            try:
                body = path.read_bytes()
            except OSError:
                status, body = 404, b"Not found"
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = inject(body, self.state, self.script)
            ctype += "; charset=utf-8"
        self.set_status(status)
        self.set_header("Content-Type", ctype)
        if not head:
            self.write(body)


# --- the server ------------------------------------------------------------------------------

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
        from .build import build
        from .ingest import ingest

        t0 = time.perf_counter()
        try:
            self.config = load_config(self.root)
            seeds = sorted(Path(p) for p in (paths or ()) if Path(p).is_relative_to(self.config.seeds_dir)
                           and Path(p).exists() and not editor_junk(Path(p).name))
            if seeds or paths is None:
                for line in ingest(self.config, seeds or None):
                    if line.lstrip().startswith(("wrote", "removed", "skipped", "orphaned", "kept")):
                        self.log(line.strip())
            result = build(self.config, out=self.out, search_now=False, state=self.last_build, save=self._save)
            self.last_build = result.state
            for w in result.warnings:
                self.log(f"{w.path}:{w.line}: warning: {w.message}" if w.line else f"{w.path}: warning: {w.message}")
        except SiteError as e:
            with self.state.lock:
                self.state.error = str(e)
            self.log(str(e))
            self._reload()
            return False
        with self.state.lock:
            self.state.error = None
            self.state.builds += 1
        what = f"{len(paths)} changed file{'s' * (len(paths) != 1)}" if paths else "start"
        self.log(f"Built {result.pages} pages in {time.perf_counter() - t0:.2f} s ({what}), "
                 f"{result.rendered} rendered")
        self._reload()
        if self.config.search:
            threading.Thread(target=self._index, name="search-index", daemon=True).start()
        self._collect()
        return True

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
        from .cache import Cache
        from .search import finish

        with self.index_lock:
            state = self.last_build
            if state is None or not state.pending:
                return
            try:
                finish(self.config, self.out, state)
            except SiteError as e:
                self.log(str(e))
                return
            if state is self.last_build:  # (a newer build saves its own state)
                self._save(Cache(self.config, self.out), state)

    def _reload(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    def watch(self, interval: float = 0.025) -> None:
        """Poll for changes (stat only), coalesce bursts, rebuild once per burst. The snapshot
        a rebuild starts from stays the reference, so an edit made during a rebuild is seen."""
        paths = self.watched()
        snap = snapshot(paths, editor_junk)
        pending = Coalescer()
        while not self.stop.is_set():
            t = time.monotonic()
            new = snapshot(paths, editor_junk)
            now = time.monotonic()
            pending.add(changed(snap, new), now)
            snap = new
            batch = pending.ready(now)
            if batch:
                self.rebuild(batch)
                paths = self.watched()  # site.yaml may have moved folders
            # polling costs a stat per file: on a large site, poll less often
            self.stop.wait(max(interval, 2 * (now - t)))

    def app(self) -> web.Application:
        # livereload's handler logs its watcher's last path; ours does the watching, so it gets
        # a bare livereload Watcher that never runs, only for that attribute
        LiveReloadHandler.watcher = Watcher()
        LiveReloadHandler.live_css = True
        script = f'<script src="/livereload.js?port={self.port}"></script>'
        return web.Application([
            (r"/livereload", LiveReloadHandler),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r".*", SiteHandler, dict(out=self.out, base_path=self.base_path, state=self.state, script=script)),
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
            from .output import settle

            for w in settle(self.out, self.config):  # a killed build's journal: finished before serving
                self.log(f"{w.path}: warning: {w.message}")
            self.rebuild(None)
            self.loop = ioloop.IOLoop.current()
            # From here Ctrl-C stops the loop instead of raising wherever the main thread happens to be
            signal.signal(signal.SIGINT, lambda *_: self.loop.add_callback_from_signal(self.loop.stop))
            server = HTTPServer(self.app())
            server.add_sockets(sockets)
            url = f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '::') else self.host}:{self.port}{self.base_path}"
            self.log(f"Serving {self.config.shown(self.out)}/ at {url} (Ctrl-C to stop)")
            threading.Thread(target=self.watch, name="watch", daemon=True).start()
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
