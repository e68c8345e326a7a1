"""A real ``site-builder serve`` process sees every kind of change and rebuilds for it, with
inotify and by polling (``--poll``); it falls back to polling, saying so in one line, where
inotify cannot be had (a user namespace whose limits say so: the machine's are not touched);
and the browser is told to reload through livereload's own protocol."""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import subprocess

import pytest

from site_builder.model import theme

from conftest import page, write_site
from test_serve import Server, get

REBUILT = r"^Built \d+ pages in [\d.]+ s \((.*)\), \d+ rendered$"


class Watching(Server):
    """``Server`` with a way to wait for the next rebuild's log line."""

    def rebuilt(self) -> str:
        """What the next rebuild's log line says changed and was done: 'Built 3 pages in 0.05 s
        (content: 1 file changed (content/a.md)), 1 rendered' -> 'content: 1 file changed (content/a.md)'."""
        return self.wait_for(REBUILT).group(1)


def unshared(limit: str, value: int) -> tuple[str, ...]:
    """A command prefix: run in a user namespace of its own whose inotify ``limit`` is ``value``."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "sh", "-c",
                            f"echo {value} > /proc/sys/user/{limit}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no user namespace to lower {limit} in: {probe.stderr.decode().strip()}")
    return ("unshare", "--user", "--map-root-user", "sh", "-c",
            f'echo {value} > /proc/sys/user/{limit} && exec "$0" "$@"')


@pytest.fixture
def blog(tmp_path):
    return write_site(tmp_path / "site", {
        "content/a.md": page("Alpha", "Alpha words."),
        "content/b.md": page("Beta", "Beta words."),
        "static/notes.txt": "first notes",
    })


@pytest.mark.parametrize("mode", ["inotify", "poll"])
def test_every_kind_of_change_is_seen_and_rebuilt(blog, mode):
    server = Watching(blog, *(["--poll"] if mode == "poll" else []))
    c = blog / "content"
    try:
        assert f"(watching {'by polling' if mode == 'poll' else 'with inotify'}; Ctrl-C to stop)" in server.lines[-1]
        # content: an edit, an editor's atomic save (a temporary file renamed over), a new file, a deletion
        (c / "a.md").write_text(page("Alpha", "Alpha edited."))
        assert server.rebuilt() == "content: 1 file changed (content/a.md)"
        assert b"Alpha edited." in get(server.url + "a/")[1]
        (c / ".a.md.tmp").write_text(page("Alpha", "Alpha saved atomically."))
        os.replace(c / ".a.md.tmp", c / "a.md")
        assert server.rebuilt() == "content: 1 file changed (content/a.md)"
        assert b"Alpha saved atomically." in get(server.url + "a/")[1]
        (c / "c.md").write_text(page("Gamma", "Gamma words."))
        assert server.rebuilt() == "content: 1 file changed (content/c.md)"
        assert get(server.url + "c/")[0] == 200
        (c / "b.md").unlink()
        assert server.rebuilt() == "content: 1 file changed (content/b.md)"
        assert get(server.url + "b/")[0] == 404
        # editors' files, the output folder and the cache are no reason to rebuild: the next
        # rebuild is the next real edit's
        for junk in [c / ".a.md.swp", c / "a.md~", c / "#a.md#", c / ".#a.md", blog / "_site/planted.html",
                     blog / "_site/a/index.html", blog / ".cache/planted"]:
            junk.write_text("junk")
        (c / "c.md").write_text(page("Gamma", "Gamma edited after the junk."))
        assert server.rebuilt() == "content: 1 file changed (content/c.md)"
        # a static file
        (blog / "static/notes.txt").write_text("second notes")
        assert server.rebuilt() == "static: 1 file changed (static/notes.txt)"
        assert get(server.url + "notes.txt")[1] == b"second notes"
        # a template, in templates/ made while serving (it overrides the default theme's)
        (blog / "templates").mkdir()
        (blog / "templates/page.html").write_text(
            "{% extends 'base.html' %}{% block main %}<p>MARK-1 {{ page.title }}</p>{{ page.content }}{% endblock %}")
        assert server.rebuilt().startswith("templates: ")
        assert b"MARK-1 Alpha" in get(server.url + "a/")[1]
        (blog / "templates/page.html").write_text(
            "{% extends 'base.html' %}{% block main %}<p>MARK-2 {{ page.title }}</p>{{ page.content }}{% endblock %}")
        assert server.rebuilt() == "templates: 1 file changed (templates/page.html)"
        assert b"MARK-2 Alpha" in get(server.url + "a/")[1]
        # site.yaml moves the content folder: the new one is watched, the old one no longer matters
        (blog / "pages").mkdir()
        (blog / "pages/a.md").write_text(page("Alpha", "Alpha moved."))
        (blog / "pages/d.md").write_text(page("Delta", "Delta."))
        (blog / "site.yaml").write_text((blog / "site.yaml").read_text() + "content_dir: pages\n")
        assert server.rebuilt() == ("config: 1 file changed (site.yaml) → reloaded site.yaml, "
                                    "watching its folders again")
        assert b"Alpha moved." in get(server.url + "a/")[1] and get(server.url + "c/")[0] == 404
        (blog / "pages/d.md").write_text(page("Delta", "Delta edited."))
        assert server.rebuilt() == "content: 1 file changed (pages/d.md)"
        assert b"Delta edited." in get(server.url + "d/")[1]
        (c / "c.md").write_text(page("Gamma", "Gamma, no longer part of the site."))
        (blog / "pages/a.md").write_text(page("Alpha", "Alpha, last edit."))
        assert server.rebuilt() == "content: 1 file changed (pages/a.md)"
    finally:
        code, output = server.stop()
    assert code == 0 and "Traceback" not in output and "internal error" not in output, output


@pytest.mark.parametrize("limit,value,reason", [
    ("max_inotify_watches", 1, "OS file watch limit reached"),
    ("max_inotify_instances", 0, "Error creating recommended watcher: Too many open files (os error 24)"),
])
def test_without_inotify_the_server_polls_and_says_so(blog, limit, value, reason):
    server = Watching(blog, prefix=unshared(limit, value))
    try:
        said = [line for line in server.lines if "inotify" in line]
        assert said == [f"watching by polling: inotify is not available ({reason}); an idle preview now costs CPU "
                        "(on Linux, raise fs.inotify.max_user_watches and restart)\n"]
        assert "(watching by polling; Ctrl-C to stop)" in server.lines[-1]
        (blog / "content/a.md").write_text(page("Alpha", "Alpha, polled."))
        assert server.rebuilt() == "content: 1 file changed (content/a.md)"
        assert b"Alpha, polled." in get(server.url + "a/")[1]
    finally:
        code, output = server.stop()
    assert code == 0 and "Traceback" not in output, output


def test_running_out_of_watches_while_serving_means_polling(blog):
    """Exactly as many watches as the folders need at the start: a new section needs one more,
    which notify does not say; the watcher finds out, says so and polls, and sees the new pages."""
    folders = [blog / "content", blog / "static", theme.THEME_DIR]
    needed = 1 + sum(1 + sum(len(dirs) for _, dirs, _ in os.walk(f, followlinks=True)) for f in folders)
    server = Watching(blog, prefix=unshared("max_inotify_watches", needed))
    try:
        assert "(watching with inotify; Ctrl-C to stop)" in server.lines[-1]
        (blog / "content/guides").mkdir()
        (blog / "content/guides/g.md").write_text(page("Guide", "Guide words."))
        server.wait_for(r"^watching by polling: inotify is not available \(OS file watch limit reached\)")
        server.rebuilt()
        assert get(server.url + "guides/g/")[0] == 200
        (blog / "content/guides/g.md").write_text(page("Guide", "Guide, edited."))
        assert server.rebuilt() == "content: 1 file changed (content/guides/g.md)"
        assert b"Guide, edited." in get(server.url + "guides/g/")[1]
    finally:
        code, output = server.stop()
    assert code == 0 and "Traceback" not in output, output


def test_the_browser_is_told_to_reload_through_livereloads_protocol(blog):
    """livereload's handshake (hello, then info) makes a socket one of its ``waiters``; a rebuild
    sends each the reload command. What a browser's livereload.js does, without the browser."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    server = Watching(blog)

    async def talk() -> list[dict]:
        origin = f"http://127.0.0.1:{server.port}"
        ws = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload",
                                                 headers={"Origin": origin}))
        await ws.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        hello = json.loads(await asyncio.wait_for(ws.read_message(), 30))
        await ws.write_message(json.dumps({"command": "info", "url": origin + "/a/"}))
        await asyncio.sleep(0.5)  # (the info message has no answer)
        (blog / "content/a.md").write_text(page("Alpha", "Alpha, reloaded."))
        reload = json.loads(await asyncio.wait_for(ws.read_message(), 60))
        ws.close()
        return [hello, reload]

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as thread:  # (a browser test's loop may run in this one)
            hello, reload = thread.submit(asyncio.run, talk()).result()
        assert hello["command"] == "hello" and "http://livereload.com/protocols/official-7" in hello["protocols"]
        assert reload == {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
    finally:
        code, output = server.stop()
    assert code == 0, output
