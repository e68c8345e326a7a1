"""Shared test helpers: sites are built in tmp_path from dicts of files."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "guangdong-new-industrialization-2023-12-05.txt"

BASE_CONFIG = {
    "title": "Test site",
    "description": "A site for tests.",
    "base_url": "https://example.org/",
    "search": False,
    "themes": [
        {"id": "overview", "title": "Overview", "summary": "The big picture.", "keywords": ["overall"]},
        {"id": "innovation", "title": "Innovation", "summary": "New ideas.", "keywords": ["innovation", "laboratory"]},
    ],
}


def write_site(root: Path, files: dict[str, str | bytes], config: dict | str | None = None) -> Path:
    """Write a site: ``files`` maps paths (relative to root) to text or bytes."""
    root.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = BASE_CONFIG
    if "site.yaml" not in files:
        text = config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        (root / "site.yaml").write_text(text, encoding="utf-8")
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            p.write_bytes(data)
        else:
            p.write_text(data, encoding="utf-8")
    return root


def page(title: str = "A page", body: str = "Some text.", **meta: object) -> str:
    fm = yaml.safe_dump({"title": title, **meta}, sort_keys=False, allow_unicode=True)
    return f"---\n{fm}---\n{body}\n"


def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a separate process."""
    e = {**os.environ, **(env or {})}
    e.pop("SOURCE_DATE_EPOCH", None) if env is None else None
    return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, timeout=timeout)


def tree(path: Path) -> dict[str, str]:
    """Every file under ``path`` → sha256: a tree compared byte for byte."""
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path):
    """``site(files, config=None)`` → a site root in tmp_path."""
    def make(files: dict[str, str | bytes] | None = None, config: dict | str | None = None) -> Path:
        return write_site(tmp_path / "site", files or {}, config)
    return make


# --- serving a built site like GitHub Pages, and a real browser ------------------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def serve_folder(out: Path, base_path: str = "/"):
    """Serve ``out`` under ``base_path`` on 127.0.0.1 (404.html for misses, like GitHub Pages),
    with the dev server's own path resolution. Returns (server, base URL); call server.shutdown()."""
    import mimetypes
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from site_builder.commands.handlers import resolve_request

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            kind, value = resolve_request(out, base_path, self.path)
            if kind == "redirect":
                self.send_response(302)
                self.send_header("Location", str(value))
                self.end_headers()
                return
            status, path = (200, value) if kind == "file" else (404, out / "404.html")
            body = path.read_bytes() if path.is_file() else b"not found"
            self.send_response(status)
            self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base_path}"


def have_chromium() -> bool:
    return Path(CHROMIUM).exists()


@pytest.fixture(scope="session")
def browser():
    if not have_chromium():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
