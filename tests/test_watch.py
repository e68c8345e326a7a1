"""The dev server's watcher (commands/watch.py) in this process, with inotify and by polling;
its fallback; and the guards on the libraries' internals the dev server builds on (watchfiles'
Rust backend, livereload's handler classes), with their pins in pyproject.toml."""
from __future__ import annotations

import importlib.metadata
import inspect
import os
import shutil
import threading
import time
import tomllib
from pathlib import Path

import pytest
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from packaging.requirements import Requirement
from watchfiles._rust_notify import RustNotify

from site_builder.commands import watch
from site_builder.commands.handlers import ReloadScript, ReloadSocket
from site_builder.commands.watch import Coalescer, Watcher
from site_builder.fs import changed, ignored, signatures

from conftest import ROOT

# --- coalescing (pure) -------------------------------------------------------------------------


def test_a_burst_of_changes_gives_one_batch():
    c = Coalescer(quiet=0.1, limit=2.0)
    assert c.ready(0.0) is None
    for i in range(50):  # a git checkout touching 50 files over half a second
        c.add({f"content/p{i}.md"}, 0.01 * i)
        assert c.ready(0.01 * i) is None
    batch = c.ready(0.49 + 0.15)
    assert batch == {f"content/p{i}.md" for i in range(50)}
    assert c.ready(1.0) is None


def test_a_never_ending_burst_is_cut_at_the_limit():
    c = Coalescer(quiet=0.1, limit=1.0)
    t = 0.0
    while c.ready(t) is None:
        c.add({"content/a.md"}, t)
        t += 0.05
    assert 1.0 <= t <= 1.1


# --- the stat-walk the polling watcher and the build's input scan share -------------------------

def test_signatures_see_edits_deletes_new_files_and_rename_over_saves(tmp_path):
    (tmp_path / "a.md").write_text("one")
    (tmp_path / "b.md").write_text("two")
    (tmp_path / "site.yaml").write_text("title: T")
    s1 = signatures([tmp_path / "site.yaml", tmp_path, tmp_path / "missing"], (tmp_path,))
    assert set(s1) == {str(tmp_path / n) for n in ("a.md", "b.md", "site.yaml", "missing")}
    assert s1[str(tmp_path / "missing")] is None
    (tmp_path / ".a.md.swp").write_text("editor junk")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/index").write_text("not the site's")
    (tmp_path / "tmp123").write_text("one")          # an editor's atomic save: same size, new inode
    os.replace(tmp_path / "tmp123", tmp_path / "a.md")
    (tmp_path / "b.md").unlink()
    (tmp_path / "c.md").write_text("new")
    s2 = signatures([tmp_path / "site.yaml", tmp_path, tmp_path / "missing"], (tmp_path,))
    assert {Path(p).name for p in changed(s1, s2)} == {"a.md", "b.md", "c.md"}


# --- the watcher, with inotify and by polling ------------------------------------------------------

class Watched:
    """A Watcher on ``root``'s site.yaml, content/ and templates/ (made or not), as serve arms it."""

    def __init__(self, root: Path, polling: bool):
        self.root, self.logs, self.stop = root, [], threading.Event()
        self.watcher = Watcher(self.logs.append, polling)
        self.watcher.arm([root / "site.yaml", root / "content", root / "templates"], (root,))

    def next(self, timeout: float = 20) -> set[str]:
        """The next batch that holds anything but ignored names, as paths relative to root."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = {Path(p).relative_to(self.root).as_posix() for p in self.watcher.wait(self.stop)}
            batch = {p for p in batch if not any(ignored(part) for part in p.split("/"))}
            if batch:
                return batch
        raise AssertionError("no change seen")

    def quiet(self, seconds: float = 0.6) -> set[str]:
        """Every path reported within ``seconds`` (ignored names dropped)."""
        seen: set[str] = set()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            seen |= {Path(p).relative_to(self.root).as_posix() for p in self.watcher.wait(self.stop)}
        return {p for p in seen if not any(ignored(part) for part in p.split("/"))}


@pytest.fixture(params=["inotify", "polling"])
def watched(request, tmp_path):
    root = tmp_path.resolve()
    (root / "content").mkdir()
    for n in "abcd":
        (root / f"content/{n}.md").write_text(f"page {n}")
    (root / "site.yaml").write_text("title: T\n")
    w = Watched(root, polling=request.param == "polling")
    assert w.watcher.polling is (request.param == "polling") and w.logs == []
    yield w
    w.stop.set()
    w.watcher.close()


def test_edits_atomic_saves_new_and_deleted_files_are_seen(watched):
    c = watched.root / "content"
    (c / "a.md").write_text("page a, edited")
    (c / ".b.md.tmp").write_text("page B")             # an atomic save: same size, renamed over
    os.replace(c / ".b.md.tmp", c / "b.md")
    (c / "e.md").write_text("new")
    (c / "d.md").unlink()
    (c / ".a.md.swp").write_text("junk")
    seen = watched.next()
    seen |= watched.quiet()
    assert seen == {"content/a.md", "content/b.md", "content/e.md", "content/d.md"}


def test_two_saves_in_the_same_second_are_both_seen(watched):
    """watchfiles' own polling compares modification times in whole seconds: not ours."""
    a = watched.root / "content/a.md"
    for text in ("first save", "2nd save!!"):  # the same size
        a.write_text(text)
        assert watched.next() == {"content/a.md"}


def test_an_edit_made_during_a_rebuild_is_seen(watched):
    c = watched.root / "content"
    (c / "a.md").write_text("page a, edited")
    assert watched.next() == {"content/a.md"}
    # the server rebuilds now, and does not wait: the edit is kept for the next wait
    (c / "b.md").write_text("page b, edited while building")
    time.sleep(0.3)
    assert watched.next() == {"content/b.md"}


def test_a_burst_is_one_batch(watched):
    c = watched.root / "content"
    for i in range(50):  # a checkout: 50 files written at once
        (c / f"new{i}.md").write_text("x")
    assert watched.next() == {f"content/new{i}.md" for i in range(50)}


def test_folders_made_later_or_replaced_are_watched(watched):
    """templates/ made after the watch started (it overrides the default theme), a new section,
    content/ removed and made again (a checkout): each is seen, and so is every later edit in it."""
    t = watched.root / "templates"
    t.mkdir()
    (t / "page.html").write_text("one")
    assert (watched.next() | watched.quiet()) & {"templates", "templates/page.html"}  # (inotify: the folder)
    (t / "page.html").write_text("two")
    assert watched.next() == {"templates/page.html"}
    (watched.root / "content/guides").mkdir()
    (watched.root / "content/guides/g.md").write_text("g")
    watched.quiet()
    (watched.root / "content/guides/g.md").write_text("g, edited")
    assert watched.next() == {"content/guides/g.md"}
    shutil.rmtree(watched.root / "content")
    (watched.root / "content").mkdir()
    (watched.root / "content/z.md").write_text("z")
    assert (watched.next() | watched.quiet()) & {"content", "content/z.md"}
    (watched.root / "content/z.md").write_text("z, edited")
    assert watched.next() == {"content/z.md"}


def test_site_yaml_saved_over_again_and_again_is_seen_each_time(watched):
    for n in range(3):
        (watched.root / ".site.yaml.tmp").write_text(f"title: T{n}\n")
        os.replace(watched.root / ".site.yaml.tmp", watched.root / "site.yaml")
        assert watched.next() == {"site.yaml"}
        watched.quiet(0.2)


# --- falling back to polling -------------------------------------------------------------------------

def test_out_of_inotify_watches_means_polling_said_in_one_line(tmp_path, monkeypatch):
    """What watchfiles raises when the watch limit is reached (tests/test_serve.py meets the real
    one): one log line, and changes are still seen, by polling."""
    def no_watch_left(paths, debug, force_polling, *args):
        if not force_polling:
            raise OSError('OS file watch limit reached. about ["/x"] (Error { kind: MaxFilesWatch, paths: ["/x"] })')
        return RustNotify(paths, debug, force_polling, *args)

    monkeypatch.setattr(watch, "RustNotify", no_watch_left)
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: T\n")
    w = Watched(tmp_path.resolve(), polling=False)
    assert w.watcher.polling and w.watcher.notify is None
    assert w.logs == ["watching by polling: inotify is not available (OS file watch limit reached); an idle "
                      "preview now costs CPU (on Linux, raise fs.inotify.max_user_watches and restart)"]
    (tmp_path / "content/a.md").write_text("a")
    assert w.next() == {"content/a.md"}
    assert len(w.logs) == 1


def test_watchfiles_own_polling_is_not_used(tmp_path, monkeypatch):
    """On a kernel without inotify watchfiles quietly polls, and misses saves: ours is used instead."""
    monkeypatch.setattr(watch, "RustNotify", lambda paths, debug, force_polling, *a: RustNotify(paths, debug, True, *a))
    (tmp_path / "content").mkdir()
    w = Watched(tmp_path.resolve(), polling=False)
    assert w.watcher.polling and w.watcher.notify is None
    assert w.logs[0].startswith("watching by polling: inotify is not available (the kernel has none); ")


# --- guards: the internals of watchfiles and livereload this code relies on -------------------------

def test_watchfiles_rust_backend_as_the_watcher_uses_it(tmp_path):
    """RustNotify(paths, debug, force_polling, poll_delay_ms, recursive, ignore_permission_denied);
    its repr names the backend; watch(debounce, step, timeout, stop) returns 'timeout', 'stop' or
    a set of (change, path) with 1 added, 2 modified, 3 deleted."""
    (tmp_path / "a.md").write_text("a")
    notify = RustNotify([str(tmp_path)], False, False, 0, True, True)
    assert repr(notify).startswith("RustNotify(Recommended(")
    assert notify.watch(100, 10, 50, None) == "timeout"
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "a.md").unlink()
    deadline = time.monotonic() + 10
    seen: set = set()
    while {(1, str(tmp_path / "b.md")), (3, str(tmp_path / "a.md"))} - seen and time.monotonic() < deadline:
        raw = notify.watch(1500, 50, 500, None)
        seen |= raw if isinstance(raw, set) else set()
    assert {(1, str(tmp_path / "b.md")), (3, str(tmp_path / "a.md"))} <= seen
    stop = threading.Event()
    stop.set()
    assert notify.watch(1500, 50, 500, stop) == "stop"
    notify.close()
    polled = RustNotify([str(tmp_path)], False, True, 100, True, True)
    assert repr(polled).startswith("RustNotify(Poll(")
    polled.close()
    with pytest.raises(FileNotFoundError):
        RustNotify([str(tmp_path / "missing")], False, False, 0, True, False)


class Waiter:
    """Stands in for a browser's WebSocket in livereload's ``waiters``."""

    def __init__(self):
        self.messages = []

    def write_message(self, message):
        self.messages.append(message)


def test_livereload_internals_the_dev_server_builds_on():
    """handlers.ReloadSocket subclasses livereload's LiveReloadHandler and sets its class attributes
    ``live_css`` and ``watcher``; serve calls ``reload_waiters(path)``, which writes the reload
    command to every handler in the shared class set ``waiters`` (the handshake in ``on_message``
    adds them; tests/test_serve.py drives it through a real socket). ReloadScript serves
    livereload's own client through LiveReloadJSHandler.get."""
    assert issubclass(ReloadSocket, LiveReloadHandler) and issubclass(ReloadScript, LiveReloadJSHandler)
    for name in ("waiters", "live_css", "watcher", "_last_reload_time"):
        assert name in vars(LiveReloadHandler), name
    assert isinstance(LiveReloadHandler.waiters, set) and ReloadSocket.waiters is LiveReloadHandler.waiters
    assert isinstance(inspect.getattr_static(LiveReloadHandler, "reload_waiters"), classmethod)
    assert list(inspect.signature(ReloadSocket.reload_waiters).parameters) == ["path"]
    assert "LiveReloadHandler.waiters.add(self)" in inspect.getsource(LiveReloadHandler.on_message)
    assert "vendors/livereload.js" in inspect.getsource(LiveReloadJSHandler.get)
    assert (Path(inspect.getfile(LiveReloadHandler)).parent / "vendors/livereload.js").is_file()
    waiter = Waiter()
    LiveReloadHandler.waiters.add(waiter)
    try:
        ReloadSocket.reload_waiters("*")
        ReloadSocket.reload_waiters("/style.css")
    finally:
        LiveReloadHandler.waiters.discard(waiter)
    assert waiter.messages == [{"command": "reload", "path": "*", "liveCSS": True, "liveImg": True},
                               {"command": "reload", "path": "/style.css", "liveCSS": True, "liveImg": True}]


@pytest.mark.parametrize("package", ["livereload", "watchfiles", "tornado"])
def test_the_installed_versions_are_the_pinned_ones(package):
    """The internals above are pinned: pyproject.toml bounds each package above and below."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    req = next(Requirement(d) for d in deps if Requirement(d).name == package)
    assert any(s.operator == "<" for s in req.specifier), f"{package} has no upper bound"
    assert importlib.metadata.version(package) in req.specifier
