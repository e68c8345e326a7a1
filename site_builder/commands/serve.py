"""``site-builder serve``: a preview that never lies.

Wraps the ``livereload`` package (its WebSocket protocol and browser client) with what its own
Server lacks: a watcher (inotify, ``watch``) whose every burst of changes is sorted by kind into
a named rebuild (``changes``), rebuilds off the event loop, a reload only after a successful
build, and any build error — a bug too — shown as an overlay on every page while the watcher
keeps going. What a request may get, and from whom, is in ``handlers``.
"""
from __future__ import annotations

import errno
import gc
import logging
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from tornado import ioloop, web

from ..errors import SiteError, format_warning
from ..model.config import Config, load_config
from ..processes import Kept
from .changes import Folders, Plan, Step, classify
from .handlers import Guard, ReloadScript, ReloadSocket, SiteHandler, State
from .watch import Watcher

logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 in a preview is not news


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
    def __init__(self, root: Path, host: str, port: int, log: Callable[[str], None] = print,
                 polling: bool = False, drafts: bool = False, future: bool = False, expired: bool = False):
        self.root = root
        self.publish = {"drafts": drafts, "future": future, "expired": expired}  # build()'s own options
        self.host, self.port = host, port
        self.state = State()
        self.log = log
        self.stop = threading.Event()
        self.index_lock = threading.Lock()
        self.save_lock = threading.Lock()
        self.unsaved = None  # (cache, state) of a build, until the browser has been told to reload
        self.builds_since_full_gc = 0
        self.last_build = None  # the last build's cache State: the next build starts from it, not from disk
        self.loop: ioloop.IOLoop | None = None
        self.config = load_config(root)
        self.config_failed = False  # the last reading of site.yaml failed: every rebuild reads it again
        self.folders = Folders.of(self.config)
        self.watcher = Watcher(log, polling)
        # render workers kept from one build to the next: they keep the site, which a template
        # edit leaves as it was, instead of being sent all of it again (see processes.Kept)
        self.workers = Kept(os.cpu_count() or 1)
        self.out = self.config.output_dir
        self.base_path = urlsplit(self.config.base_url).path

    def rebuild(self, plan: Plan | None = None) -> bool:
        """Carry out ``plan``'s steps (None: the first build, which ingests every seed), reload
        the browser if the build succeeded, show the error on every page if not."""
        from ..build import build

        steps = plan.steps if plan else (Step.INGEST, Step.BUILD)
        t0 = time.perf_counter()
        try:
            done = self._prepare(plan, steps)
            result = build(self.config, out=self.out, search_now=False, state=self.last_build, save=self._defer_save,
                           kept=self.workers, **self.publish)
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
            self._failed(internal_error(e, self.config, plan.paths() if plan else None))
            return False
        with self.state.lock:
            self.state.error = None
        # "Built N pages in X s (what changed → what was done), R rendered": the command line's
        # words, which bench/serve_rebuild.py reads
        what = plan.describe(self.config.shown) if plan else "start"
        self.log(f"Built {result.pages} pages in {time.perf_counter() - t0:.2f} s "
                 f"({what}{' → ' + ', '.join(done) if done else ''}), {result.rendered} rendered")
        self._reload()
        self._save_deferred()
        if self.config.search:
            threading.Thread(target=self._index, name="search-index", daemon=True).start()
        self._collect()
        return True

    def _prepare(self, plan: Plan | None, steps: tuple[Step, ...]) -> list[str]:
        """The steps before the build (see ``changes.STEPS``); what was done, for the log line."""
        from ..ingest import ingest

        done = []
        if Step.RELOAD_CONFIG in steps or self.config_failed:
            self.config_failed = True
            self.config = load_config(self.root)
            self.config_failed = False
            done.append("reloaded site.yaml")
        if Step.REWATCH in steps:
            self.folders = Folders.of(self.config)
            self.watcher.arm(self.folders.roots(), self.folders.allowed)  # before the build reads anything
            done.append("watching its folders again")
            if self.config.output_dir != self.out:
                self.log(f"output_dir changed: this preview still builds into and serves "
                         f"{self.config.shown(self.out)}/; restart it to use {self.config.shown(self.config.output_dir)}/")
        if Step.INGEST in steps:
            seeds = [Path(p) for p in plan.seeds] if plan else []
            everything = not plan or any(p.is_dir() for p in seeds)  # the first build, or a folder made or moved
            files = None if everything else [p for p in seeds if p.is_file()]
            if files != []:
                for line in ingest(self.config, files):
                    if line.lstrip().startswith(("wrote", "removed", "skipped", "orphaned", "kept")):
                        self.log(line.strip())
                done.append("ingested every seed" if files is None else
                            f"ingested {len(files)} seed{'s' * (len(files) != 1)}")
        return done

    def _failed(self, message: str) -> None:
        with self.state.lock:
            self.state.error = message
        self._reload()
        self._save_deferred()

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

    def _defer_save(self, cache, state) -> None:  # noqa: ANN001
        """The build's cache, written once the browser has been told to reload (``_save_deferred``)."""
        self.unsaved = (cache, state)

    def _save_deferred(self) -> None:
        if self.unsaved is not None:
            self._save(*self.unsaved)
            self.unsaved = None

    def _save(self, cache, state) -> None:  # noqa: ANN001
        """Write the build cache on a thread of its own."""
        def write() -> None:
            with self.save_lock:
                cache.save(state)
        threading.Thread(target=write, name="save-cache", daemon=False).start()

    def _index(self) -> None:
        """The search index follows a reload, so a large site's reload need not wait for it.
        It works from the last build's state in memory: reading it back from disk would hold
        the interpreter (unpickling) long enough to delay the next edit's rebuild by seconds."""
        from ..build.incremental import Cache
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
        """Tell every page to reload, and wait (a moment at most) until the server has: saving the
        cache and collecting garbage hold the interpreter, and would hold the message back."""
        if self.loop is not None:
            sent = threading.Event()

            def send() -> None:
                ReloadSocket.reload_waiters("*")
                sent.set()

            self.loop.add_callback(send)
            sent.wait(2)

    def watch(self) -> None:
        """Wait for a burst of changes, sort it by kind, carry out its plan; until stopped. The
        watcher keeps collecting changes during a rebuild, so an edit made meanwhile is seen."""
        while not self.stop.is_set():
            try:
                plan = classify(self.watcher.wait(self.stop), self.folders)
                if plan is not None and not self.stop.is_set():
                    self.rebuild(plan)
            except Exception:  # (rebuild reports its own) the watcher outlives anything: say it, go on
                self.log(f"site-builder: internal error while watching (please report it)\n{traceback.format_exc()}")
                self.stop.wait(0.5)
        self.watcher.close()

    def app(self) -> web.Application:
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
            # watching starts before the first build: an edit made during it is seen
            self.watcher.arm(self.folders.roots(), self.folders.allowed)
            self.rebuild(None)
            self.loop = ioloop.IOLoop.current()
            # From here Ctrl-C stops the loop instead of raising wherever the main thread happens to be
            signal.signal(signal.SIGINT, lambda *_: self.loop.add_callback_from_signal(self.loop.stop))
            server = HTTPServer(self.app())
            server.add_sockets(sockets)
            url = f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '::') else self.host}:{self.port}{self.base_path}"
            self.log(f"Serving {self.config.shown(self.out)}/ at {url} (watching {self.watcher.mode}; Ctrl-C to stop)")
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
            self.workers.close()
        self.log("Stopped.")
        return 0


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          polling: bool = False, drafts: bool = False, future: bool = False, expired: bool = False) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    return DevServer(config.root, host, port, polling=polling, drafts=drafts, future=future,
                     expired=expired).run(open_browser)
