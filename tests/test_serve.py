"""The dev server: safe paths and incremental rebuilds without sockets; then the real server on
127.0.0.1: every kind of change seen (with inotify, and by polling), driven by Chromium too.
Coalescing and the watcher in this process: tests/test_watch.py; the classifier: test_changes.py."""
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.commands.handlers import resolve_request
from site_builder.model.config import load_config
from site_builder.model.urls import Urls
from site_builder.render.templatedeps import TemplateIndex, site_attributes
from site_builder.render.templates import make_env

from conftest import ROOT, page, write_site


# --- without sockets ----------------------------------------------------------------------------

@pytest.fixture
def served(tmp_path):
    out = tmp_path / "out"
    (out / "innovation").mkdir(parents=True)
    (out / "innovation/index.html").write_text("theme")
    (out / "empty").mkdir()
    (out / "404.html").write_text("nf")
    (tmp_path / "secret.txt").write_text("secret")
    (out / "escape").symlink_to(tmp_path / "secret.txt")
    (out / "escape-dir").symlink_to(tmp_path)
    return out


@pytest.mark.parametrize("path,expected", [
    ("/repo/innovation/", ("file", "innovation/index.html")),
    ("/repo/innovation", ("redirect", "/repo/innovation/")),
    ("/", ("redirect", "/repo/")),
    ("/repo", ("redirect", "/repo/")),
    ("/repo/empty/", ("missing", None)),              # no directory listings
    ("/repo/../secret.txt", ("missing", None)),
    ("/repo/%2e%2e/secret.txt", ("missing", None)),
    ("/repo/%2E%2E%2Fsecret.txt", ("missing", None)),
    ("/repo/innovation/..%2f..%2fsecret.txt", ("missing", None)),
    ("/repo/..\\secret.txt", ("missing", None)),
    ("/repo/%5c..%5csecret.txt", ("missing", None)),
    ("/repo/innovation%00/index.html", ("missing", None)),
    ("/repo//etc/passwd", ("missing", None)),
    ("/repo/escape", ("missing", None)),              # a symlink that leads outside
    ("/repo/escape-dir/secret.txt", ("missing", None)),
    ("/other/innovation/", ("missing", None)),        # outside the base path
])
def test_only_files_inside_the_output_are_served(served, path, expected):
    kind, value = resolve_request(served, "/repo/", path)
    assert (kind, value if not isinstance(value, Path) else value.relative_to(served.resolve()).as_posix()) == expected


def test_site_attributes_read_by_templates(tmp_path):
    root = write_site(tmp_path, {"templates/a.html": "{{ site.title }} {% for t in site.themes %}{{ t }}{% endfor %}",
                                 "templates/b.html": "{{ site['nav'] }}", "templates/c.html": "{% set s = site %}{{ s }}"})
    config = load_config(root)
    index = TemplateIndex(make_env(config, Urls(config.base_url)), config)
    assert site_attributes(index, ["a.html", "b.html"]) == {"title", "themes", "nav"}
    assert site_attributes(index, ["c.html"]) is None  # `site` as a whole: a page depends on all of it


def test_a_template_change_re_renders_only_the_pages_that_use_it(tmp_path):
    root = write_site(tmp_path, {"content/a.md": page("A", tags=["x"]), "content/b.md": page("B", tags=["x"])})
    build(load_config(root))
    (root / "templates").mkdir()
    (root / "templates/tags.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1>All tags</h1>{% endblock %}")
    result = build(load_config(root))
    assert result.rendered == 1 and "All tags" in (root / "_site/tags/index.html").read_text()
    (root / "site.yaml").write_text((root / "site.yaml").read_text().replace("Test site", "Other"))
    assert build(load_config(root)).rendered == result.pages  # site.yaml: everything


def threads_now() -> int:
    """This process's threads as the kernel counts them (a Rust library's too)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Threads:"))


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: builds start no workers")
def test_the_dev_servers_builds_never_fork_a_process_running_threads(tmp_path, monkeypatch):
    """Forking copies only the thread that forks: a lock another thread holds at that moment stays
    locked in the child for ever. The dev server runs other threads (the inotify watcher's, tornado's
    loop, the search indexer): its builds must start their workers without forking it (issue 14)."""
    import multiprocessing.pool

    from site_builder.commands.serve import DevServer

    root = write_site(tmp_path, {f"content/p{i:03}.md": page(f"Page {i}") for i in range(300)})
    forks, pools = [], []
    fork, pool_init = os.fork, multiprocessing.pool.Pool.__init__

    def counted_fork():
        forks.append(threads_now())  # (before the fork: the child's list is its own)
        return fork()

    def counted_pool(self, *args, **kwargs):
        pools.append(threads_now())
        pool_init(self, *args, **kwargs)

    monkeypatch.setattr(os, "fork", counted_fork)
    monkeypatch.setattr(multiprocessing.pool.Pool, "__init__", counted_pool)
    server = DevServer(root, "127.0.0.1", 0, log=lambda line: None)
    server.watcher.arm(server.folders.roots(), server.folders.allowed)  # as serve does: its thread runs
    try:
        assert server.rebuild(None)  # the first build: 300 pages, read and rendered on every core
    finally:
        server.watcher.close()
    assert pools and min(pools) > 1  # workers were started, from a process running other threads
    assert [n for n in forks if n > 1] == []
    assert (root / "_site/p299/index.html").is_file()


# --- the real server ------------------------------------------------------------------------------

class Server:
    """``site-builder serve --port 0`` in ``root``; its output read line by line by a thread of
    its own, so that waiting for a line that never comes fails after the timeout, never hangs."""

    def __init__(self, root: Path, *args: str, prefix: tuple[str, ...] = ()):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([*prefix, sys.executable, "-m", "site_builder", "serve", "--port", "0", *args],
                                     cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.unread: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self.wait_for(r"at (http://127\.0\.0\.1:\d+/\S*)").group(1)
        self.port = int(re.search(r":(\d+)/", self.url).group(1))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.unread.put(line)
        self.unread.put(None)  # the server's output ended

    def wait_for(self, pattern: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.unread.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self.unread.put(None)
                break
            self.lines.append(line)
            m = re.search(pattern, line)
            if m:
                return m
        raise AssertionError(f"server never printed {pattern!r}: {''.join(self.lines)}")

    def stop(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=10)
        while not self.unread.empty() and (line := self.unread.get_nowait()) is not None:
            self.lines.append(line)  # what it printed before it stopped
        return self.proc.returncode, "".join(self.lines)


@pytest.fixture
def seed_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    (root / "site.yaml").write_text((ROOT / "site.yaml").read_text().replace("search: true", "search: false"))
    return root


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """A request whose path no client library normalises first."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[-1]


def test_traversal_is_refused_by_the_running_server(seed_site):
    server = Server(seed_site)
    try:
        for path in ["/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E/site.yaml", "/..%2fsite.yaml",
                     "/%2e%2e%2fsite.yaml", "/..\\site.yaml", "/%00site.yaml", "/content/../../site.yaml"]:
            status, body = raw_get(server.port, path)
            assert status in (400, 404), path
            assert b"base_url" not in body, path
        assert get(server.url)[0] == 200
        status, body = get(server.url + "innovation/")
        assert status == 200 and b'<script src="/livereload.js' in body
        assert b"livereload" not in (seed_site / "_site/innovation/index.html").read_bytes()  # only when served
    finally:
        code, output = server.stop()
    assert code == 0 and "Traceback" not in output


def test_ctrl_c_exits_0_and_frees_the_port(seed_site):
    server = Server(seed_site)
    port = server.port
    code, output = server.stop()
    assert code == 0 and "Traceback" not in output and "Stopped." in output
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free again


def test_a_port_in_use_is_one_clear_line(seed_site):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "site_builder", "serve", "--port", str(port)], cwd=seed_site,
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr == f"port {port}: already in use; stop the other server, or use --port 0 to pick a free port\n"


@pytest.mark.browser
def test_live_reload_overlay_and_deletes_in_a_real_browser(browser, seed_site):
    server = Server(seed_site)
    ctx = browser.new_context()
    page_ = ctx.new_page()
    try:
        part = next((seed_site / "content/innovation").glob("*.md"))
        page_.goto(server.url + "innovation/")
        page_.wait_for_function("window.LiveReload !== undefined")
        # 1. an edit shows up with no manual reload
        text = part.read_text()
        part.write_text(text.replace("With a focus on innovation", "With a LIVE focus on innovation"))
        page_.wait_for_function("document.body.innerText.includes('With a LIVE focus')", timeout=15000)
        # 2. an editor's save: write a temporary file, then rename it over the page
        tmp = part.with_name(".~" + part.name)
        tmp.write_text(part.read_text().replace("LIVE", "RENAMED"))
        os.replace(tmp, part)
        page_.wait_for_function("document.body.innerText.includes('With a RENAMED focus')", timeout=15000)
        # 3. a broken front matter: the overlay names file and line, the last good page stays
        good = part.read_text()
        part.write_text(good.replace("title: ", "title: [", 1))
        page_.wait_for_selector("#site-builder-error", timeout=15000)
        overlay = page_.inner_text("#site-builder-error")
        assert f"content/innovation/{part.name}:2:" in overlay
        assert "With a RENAMED focus" in page_.inner_text("main")
        # 4. the fix clears it
        part.write_text(good)
        page_.wait_for_selector("#site-builder-error", state="detached", timeout=15000)
        # 5. a deleted page 404s after the rebuild
        digital = next((seed_site / "content/digital-transformation").glob("*.md"))
        digital.unlink()
        server.wait_for(r"^Built \d+ pages in [\d.]+ s \(content: 1 file changed \(content/digital-transformation/")
        deadline = time.monotonic() + 10
        while get(server.url + "digital-transformation/")[0] != 404 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert get(server.url + "digital-transformation/")[0] == 404
    finally:
        ctx.close()
        code, output = server.stop()
    assert code == 0 and "Traceback" not in output
