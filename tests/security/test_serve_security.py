"""The dev server under attack and under bugs: issue 12, findings 10 and 17.

Finding 10: a rebuild that raised anything but a SiteError killed the watcher thread (no overlay,
no rebuild ever again). Finding 17: any ``Host`` was answered (DNS rebinding), the live-reload
WebSocket took any ``Origin``, a 60,000-character path gave 500 and a traceback, and the ``x`` ->
``x.html`` fallback served a link to a file outside the output folder. All through a real
``site-builder serve`` process on 127.0.0.1, over HTTP (and the overlay in Chromium)."""
from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import page, write_site

# content/boom.txt makes every build raise a RuntimeError (a stand-in for any bug)
SITECUSTOMIZE = """
import site_builder.model.site as site

_load_site = site.load_site


def load_site(config, *args, **kwargs):
    if (config.content_dir / "boom.txt").exists():
        raise RuntimeError("an injected bug")
    return _load_site(config, *args, **kwargs)


site.load_site = load_site
"""


class Server:
    """``site-builder serve --port 0`` in ``root``, its output read line by line."""

    def __init__(self, root: Path, env: dict | None = None):
        self.proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--port", "0"], cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        self.lines: list[str] = []
        self.url = self.wait_for(r"at (http://127\.0\.0\.1:\d+/\S*)").group(1)
        self.port = int(re.search(r":(\d+)/", self.url).group(1))

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            if m := re.search(pattern, line):
                return m
        raise AssertionError(f"the server never printed {pattern!r}:\n{''.join(self.lines)}")

    def stop(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=30)
        return self.proc.returncode, "".join(self.lines) + out


def request(port: int, path: str = "/", host: str | None = "127.0.0.1:{port}", headers: dict | None = None,
            version: str = "1.1") -> tuple[int, dict[str, str], bytes]:
    """One raw request (no client library normalises it first): status, headers, body."""
    lines = [f"GET {path} HTTP/{version}"]
    if host is not None:
        lines.append(f"Host: {host.format(port=port)}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()] + ["Connection: close", "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall("\r\n".join(lines).encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
            if b"101 Switching Protocols" in data and b"\r\n\r\n" in data:
                break  # a WebSocket stays open
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    fields = dict(h.split(": ", 1) for h in header_lines if ": " in h)
    return int(status_line.split(" ", 2)[1]), {k.lower(): v for k, v in fields.items()}, body


def overlay(port: int, path: str) -> str | None:
    """The error overlay's text on a page, or None."""
    status, _, body = request(port, path)
    m = re.search(rb'<div id="site-builder-error"[^>]*>(.*?)</div>', body, re.S)
    return m.group(1).decode() if m else None


def wait_until(check, timeout: float = 60, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def blog(tmp_path):
    return write_site(tmp_path / "site", {
        "content/a.md": page("Alpha", "Alpha words.", date="2024-01-01"),
        "content/b.md": page("Beta", "Beta words.", date="2024-01-02"),
    })


# --- finding 10: a bug in a rebuild --------------------------------------------------------------

def test_a_bug_in_a_rebuild_is_shown_and_the_watcher_goes_on(blog):
    """Finding 10: ``date: 2024-02-30`` raised a ValueError in the watcher thread, which died: no
    overlay, and no rebuild ever again. Now every page shows the error (naming the file edited),
    and fixing the file clears it and shows the fix."""
    server = Server(blog)
    try:
        assert overlay(server.port, "/a/") is None
        (blog / "content/a.md").write_text("---\ntitle: Alpha\ndate: 2024-02-30\n---\nAlpha words.\n")
        shown = wait_until(lambda: overlay(server.port, "/a/"), what="the overlay")
        assert "content/a.md" in shown
        assert overlay(server.port, "/") == shown and overlay(server.port, "/b/") == shown  # every page
        assert b"Alpha words." in request(server.port, "/a/")[2]  # over the last good site
        (blog / "content/a.md").write_text(page("Alpha", "Alpha fixed.", date="2024-02-29"))
        wait_until(lambda: b"Alpha fixed." in request(server.port, "/a/")[2], what="the fix")
        # the fixed page is in place a moment before the build returns and the error is cleared
        wait_until(lambda: overlay(server.port, "/a/") is None, timeout=10, what="the overlay to go")
        assert overlay(server.port, "/") is None
    finally:
        code, output = server.stop()
    assert code == 0, output


def test_any_exception_in_a_rebuild_is_shown_logged_and_survived(blog, tmp_path):
    """Finding 10, whatever the bug: an exception injected into the build (a RuntimeError from
    load_site while content/boom.txt exists) is shown in the overlay with its type, message and
    the file whose change set it off, logged with its traceback, and survived — twice."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE)
    server = Server(blog, env={"PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")])})
    try:
        for n in (1, 2):
            (blog / "content/boom.txt").write_text("boom")
            shown = wait_until(lambda: overlay(server.port, "/b/"), what="the overlay")
            assert shown.startswith("<strong>Build failed — showing the last good site.</strong>\n"
                                    "internal error: RuntimeError: an injected bug (at ")
            assert "after a change to content/boom.txt\n" in shown
            server.wait_for(r"internal error: RuntimeError: an injected bug")
            server.wait_for(r'File ".*", line \d+, in load_site')  # the traceback, in the terminal
            (blog / "content/boom.txt").unlink()
            (blog / "content/b.md").write_text(page("Beta", f"Beta, take {n}.", date="2024-01-02"))
            wait_until(lambda: f"Beta, take {n}.".encode() in request(server.port, "/b/")[2], what="the fix")
            # the fixed page is in place a moment before the build returns and the error is cleared
            wait_until(lambda: overlay(server.port, "/b/") is None, timeout=10, what="the overlay to go")
    finally:
        code, output = server.stop()
    assert code == 0, output


@pytest.mark.browser
def test_the_overlay_comes_and_goes_in_a_real_browser(browser, blog):
    """Finding 10 in Chromium: a bad date shows the overlay on the open page without a manual
    reload; the fix removes it and shows the new text."""
    server = Server(blog)
    ctx = browser.new_context()
    tab = ctx.new_page()
    try:
        tab.goto(server.url + "a/")
        tab.wait_for_function("window.LiveReload !== undefined")
        (blog / "content/a.md").write_text("---\ntitle: Alpha\ndate: 2024-02-30\n---\nAlpha words.\n")
        tab.wait_for_selector("#site-builder-error", timeout=30000)
        assert "content/a.md" in tab.inner_text("#site-builder-error")
        (blog / "content/a.md").write_text(page("Alpha", "Alpha in the browser.", date="2024-02-29"))
        tab.wait_for_selector("#site-builder-error", state="detached", timeout=30000)
        tab.wait_for_function("document.body.innerText.includes('Alpha in the browser.')", timeout=30000)
    finally:
        ctx.close()
        code, output = server.stop()
    assert code == 0, output


# --- finding 17: who may ask, and for what ---------------------------------------------------------

@pytest.fixture
def served(blog, tmp_path):
    (tmp_path / "secret.txt").write_text("THE SECRET")
    server = Server(blog)
    yield server, blog / "_site", tmp_path / "secret.txt"
    code, output = server.stop()
    assert code == 0 and "Traceback" not in output, output


def test_only_requests_for_this_preview_are_answered(served):
    """Finding 17: any Host header was answered, so a web page on a domain rebound to 127.0.0.1
    could read the preview. Only this machine's names (or an IP address), on this port, are."""
    server, _, _ = served
    for host in ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}", "127.0.0.1"]:
        assert request(server.port, "/a/", host=host)[0] == 200, host
    for host in ["evil.example:{port}", "evil.example", "localhost.evil.example:{port}", "127.0.0.1.nip.io:{port}",
                 "127.0.0.1:1", "", "evil.example@127.0.0.1:{port}", "127.0.0.1:{port}/x"]:
        status, _, body = request(server.port, "/a/", host=host)
        assert status == 400 and b"Alpha" not in body, host
    assert request(server.port, "/a/", host=None, version="1.0")[0] == 400
    assert request(server.port, "/livereload.js", host="evil.example:{port}")[0] == 400
    assert request(server.port, "/livereload.js")[0] == 200


def websocket(port: int, origin: str | None, host: str = "127.0.0.1:{port}") -> int:
    key = base64.b64encode(os.urandom(16)).decode()
    headers = {"Upgrade": "websocket", "Sec-WebSocket-Key": key, "Sec-WebSocket-Version": "13"}
    if origin is not None:
        headers["Origin"] = origin.format(port=port)
    lines = [f"GET /livereload HTTP/1.1", f"Host: {host.format(port=port)}", "Connection: Upgrade",
             *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall("\r\n".join(lines).encode())
        data = b""
        while b"\r\n\r\n" not in data and (chunk := s.recv(65536)):
            data += chunk
    return int(data.split(b" ", 2)[1])


def test_the_live_reload_socket_is_for_pages_of_this_preview_only(served):
    """Finding 17: livereload's WebSocket accepted any Origin (it lets any page know when you save,
    and talk to the server). Only this preview's own pages may open it."""
    server, _, _ = served
    assert websocket(server.port, "http://127.0.0.1:{port}") == 101
    assert websocket(server.port, "http://localhost:{port}", host="localhost:{port}") == 101
    for origin in ["http://evil.example", "http://evil.example:{port}", "null", "https://127.0.0.1:{port}",
                   "http://127.0.0.1:1", "http://localhost:{port}"]:
        assert websocket(server.port, origin) == 403, origin
    assert websocket(server.port, "http://evil.example:{port}", host="evil.example:{port}") == 400


def test_a_very_long_path_is_a_clean_answer(served):
    """Finding 17: a 60,000-character path gave 500 and a logged traceback (ENAMETOOLONG)."""
    server, _, _ = served
    for path in ["/" + "a" * 60_000, "/" + "a/" * 30_000, "/" + "%61" * 20_000, "/" + "a" * 300 + "/",
                 "/" + "a" * 3000]:
        status, _, _ = request(server.port, path)
        assert status in (404, 414), (path[:20], status)
    assert request(server.port, "/a/")[0] == 200


def test_no_link_out_of_the_output_folder_is_served(served):
    """Finding 17: ``/leak`` is answered with ``leak.html`` like GitHub Pages, but that fallback
    skipped the symlink check every other file had: a link to a file outside the output folder
    was served. Neither it, nor a folder's index.html, nor 404.html may be such a link."""
    server, out, secret = served
    (out / "leak.html").symlink_to(secret)
    (out / "linked").mkdir()
    (out / "linked/index.html").symlink_to(secret)
    (out / "404.html").unlink()
    (out / "404.html").symlink_to(secret)
    (out / "inside.html").symlink_to(out / "a/index.html")  # a link inside the output is fine
    for path in ["/leak", "/leak.html", "/linked/", "/linked/index.html", "/nothing-here"]:
        status, _, body = request(server.port, path)
        assert status == 404 and b"THE SECRET" not in body, path
    status, _, body = request(server.port, "/inside")
    assert status == 200 and b"Alpha words." in body


def test_a_server_bound_to_every_interface_answers_its_own_names():
    """``--host 0.0.0.0`` is for other machines: they may use this machine's name, or any IP."""
    from site_builder.commands.handlers import allowed_hosts, host_allowed

    names = allowed_hosts("0.0.0.0")
    assert socket.gethostname().lower() in names
    assert host_allowed(f"{socket.gethostname()}:8000", names, 8000)
    assert host_allowed("192.168.1.20:8000", names, 8000)
    assert not host_allowed("evil.example:8000", names, 8000)
    assert host_allowed("preview.lan:8000", allowed_hosts("preview.lan"), 8000)
