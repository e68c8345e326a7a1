"""The dev server's HTTP side: which file a request gets (only files inside the output folder,
links followed), which requests are answered at all (``Host`` and the live-reload WebSocket's
``Origin``: a web page must not reach the preview through DNS rebinding), and the error overlay
every HTML page carries while a build is failing.

Built on the ``livereload`` package's handlers (its WebSocket protocol and browser client); the
checks it lacks are ours, in ``ReloadSocket`` and ``ReloadScript``.
"""
from __future__ import annotations

import html
import ipaddress
import mimetypes
import posixpath
import re
import socket
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web

from ..paths import inside

MAX_PATH = 4096  # bytes of a request path: longer is no file of a site (PATH_MAX), answered 414


def _inside_file(root: Path, path: Path) -> Path | None:
    """``path`` when it is a file whose real location is inside ``root``, else None."""
    try:
        return path if path.is_file() and inside(root, path) else None
    except (OSError, ValueError):  # a name too long, or not one at all
        return None


def resolve_request(out: Path, base_path: str, raw_path: str) -> tuple[str, Path | str | None]:
    """Map a request path to ('file', path) | ('redirect', url) | ('missing', None) | ('too-long', None).

    Only files inside ``out`` are ever returned: '..' (plain or encoded), backslashes,
    NUL bytes and symlinks leading outside are refused, for the file asked for as for the
    ``index.html`` of a folder and the ``x.html`` that answers ``x``."""
    path = urlsplit(raw_path).path
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH:
        return "too-long", None
    if not path.startswith(base_path):
        if path.rstrip("/") + "/" == base_path or path in ("", "/"):
            return "redirect", base_path
        return "missing", None
    rel = unquote(path[len(base_path):])
    if "\x00" in rel or "\\" in rel or any(seg == ".." for seg in rel.split("/")):
        return "missing", None
    norm = posixpath.normpath("/" + rel).lstrip("/")
    target = (out / norm) if norm not in ("", ".") else out
    try:
        is_dir = target.is_dir() and inside(out, target)
    except (OSError, ValueError):
        return "missing", None
    if is_dir:
        if not path.endswith("/"):
            return "redirect", path + "/"
        found = _inside_file(out, target / "index.html")
    else:  # GitHub Pages serves /x as x.html
        found = _inside_file(out, target) or _inside_file(out, target.with_name(target.name + ".html"))
    return ("file", found) if found else ("missing", None)


def allowed_hosts(host: str) -> set[str]:
    """The names a browser may use for this preview (IP addresses are always fine: DNS rebinding
    needs a name the attacker's DNS answers for). Bound to every interface, the machine's names too."""
    names = {"localhost", host.strip("[]").lower()}
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names


_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::([0-9]{1,5}))?", re.I)


def host_allowed(header: str | None, names: set[str], port: int) -> bool:
    """Whether a request's ``Host`` header names this preview: an allowed name or any IP address,
    with this server's port (or none)."""
    m = _HOST.fullmatch(header or "")
    if m is None or (m.group(2) is not None and int(m.group(2)) != port):
        return False
    name = m.group(1).strip("[]").lower()
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def origin_allowed(origin: str, host: str | None) -> bool:
    """The live-reload WebSocket: only from a page of this preview (same scheme, name and port)."""
    parts = urlsplit(origin)
    return parts.scheme == "http" and host is not None and parts.netloc.lower() == host.lower()


OVERLAY = ('<div id="site-builder-error" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;'
           'margin:0;padding:1rem 1.25rem;background:#7a1020;color:#fff;font:15px/1.5 ui-monospace,monospace;'
           'white-space:pre-wrap;box-shadow:0 -4px 16px rgba(0,0,0,.35)"><strong>Build failed — showing the last '
           'good site.</strong>\n{message}</div>')


class State:
    """What the server knows: the last build error (None when the site is good)."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.lock = threading.Lock()


def inject(body: bytes, state: State, script: str) -> bytes:
    extra = script
    if state.error:
        extra += OVERLAY.format(message=html.escape(state.error))
    marker = b"</body>"
    i = body.rfind(marker)
    return body[:i] + extra.encode() + body[i:] if i != -1 else body + extra.encode()


class Guard:
    """What every handler checks first: the request is for this preview (see ``host_allowed``)."""

    def __init__(self, host: str, port: int):
        self.names, self.port = allowed_hosts(host), port

    def refuses(self, handler: web.RequestHandler) -> bool:
        """Answer 400 (and True) when the ``Host`` header names another site."""
        if host_allowed(handler.request.headers.get("Host"), self.names, self.port):
            return False
        handler.set_status(400)
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.finish(f"This preview answers only to {', '.join(sorted(self.names))} or an IP address, on "
                       f"port {self.port}: a web page could otherwise read it through DNS rebinding. "
                       "Start it with --host NAME to be reached as NAME.\n")
        return True


class SiteHandler(web.RequestHandler):
    out: Path
    base_path: str
    state: State
    script: str
    guard: Guard

    def initialize(self, out: Path, base_path: str, state: State, script: str, guard: Guard) -> None:
        self.out, self.base_path, self.state, self.script, self.guard = out, base_path, state, script, guard

    def prepare(self) -> None:
        self.guard.refuses(self)

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
        if kind == "too-long":
            self.set_status(414)
            self.finish(b"URI too long")
            return
        status, path = (200, value) if kind == "file" else (404, _inside_file(self.out, self.out / "404.html"))
        if not isinstance(path, Path):
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


class _NoWatcher:
    """What ``LiveReloadHandler.reload_waiters`` logs as the changed file (``watcher.filepath``):
    livereload expects its own watcher there; the dev server does its own watching."""
    filepath = None


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket, for pages of this preview only (its own accepts any Origin).
    ``ReloadSocket.reload_waiters(path)`` tells every page that shook hands to reload. Built on
    livereload's internals (its class attributes below, ``waiters`` and the handshake in
    ``on_message``): pinned in pyproject.toml, guarded by tests/test_watch.py."""
    guard: Guard
    live_css = True  # a stylesheet's path reloads only that stylesheet ("*": the whole page)
    watcher = _NoWatcher()

    def initialize(self, guard: Guard) -> None:
        self.guard = guard

    def prepare(self) -> None:
        # checked here, not only in check_origin: tornado (6.5+) skips that for some requests
        origin = self.request.headers.get("Origin")
        if not self.guard.refuses(self) and origin is not None and not self.check_origin(origin):
            self.set_status(403)
            self.finish("This live-reload connection is for pages of this preview only.\n")

    def check_origin(self, origin: str) -> bool:
        return origin_allowed(origin, self.request.headers.get("Host"))


class ReloadScript(LiveReloadJSHandler):
    """livereload's browser client, for this preview only."""
    guard: Guard

    def initialize(self, guard: Guard) -> None:
        self.guard = guard

    def prepare(self) -> None:
        self.guard.refuses(self)
