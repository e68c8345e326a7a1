"""Worker processes (site_builder/processes.py): a process that runs other threads never forks
(a lock another thread holds would stay locked in the child forever); workers get their input
as an explicit payload, and give the same output however they were started."""
import os
import subprocess
import sys
import time
from pathlib import Path

import site_builder
from site_builder.build import build
from site_builder.model.config import load_config
from site_builder.processes import Kept

from conftest import page, tree, write_site

START_METHOD = """
import threading
from site_builder.processes import start_method
print(start_method())
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
print(start_method())
stop.set()
"""


def test_fork_only_while_this_is_the_only_thread():
    r = subprocess.run([sys.executable, "-c", START_METHOD], capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == ["fork", "forkserver"], r.stderr


NO_FORK = """
import os, sys, threading
from pathlib import Path
from site_builder.build import build
from site_builder.model.config import load_config

def refuse():
    raise AssertionError("os.fork() called while another thread runs")

os.fork = refuse  # what the multiprocessing fork start method calls (a fork server is a new program)
stop = threading.Event()
t = threading.Thread(target=stop.wait)  # as the dev server's web server, indexer and cache writer
t.start()
try:
    result = build(load_config(Path(sys.argv[1])), out=Path(sys.argv[2]), jobs=2)
    print(result.rendered)
finally:
    stop.set()
"""


def test_a_process_with_threads_renders_on_workers_it_did_not_fork(tmp_path):
    """Reading (256 pages or more) and rendering (64 routes or more) both use worker processes."""
    files = {f"content/s{i % 3}/p{i}.md": page(f"P{i}", f"Text [next](p{(i + 3) % 300}.md) *{i}*.", date="2024-01-01")
             for i in range(300)}
    root = write_site(tmp_path / "site", files)
    r = subprocess.run([sys.executable, "-c", NO_FORK, str(root), str(tmp_path / "threaded")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    # 300 pages; 3 sections of 100 pages, 10 a page (paginate's default) so 10 list pages each;
    # home, about and 404 (the site has no tags)
    assert r.stdout.split() == ["333"]
    build(load_config(root), out=tmp_path / "serial", jobs=1, use_cache=False)
    assert tree(tmp_path / "threaded") == tree(tmp_path / "serial")


def test_kept_workers_keep_the_site_for_a_template_edit_and_take_the_new_one_after_a_page_edit(tmp_path):
    """The dev server's workers (processes.Kept) live from one build to the next: a template
    edit sends them the templates but not the site again; an edit of a page's title (shown on
    list pages, so every route renders again) sends the new site. Each build's output is what a
    clean build in one process makes."""
    theme = (Path(site_builder.__file__).resolve().parent / "theme" / "page.html").read_text()
    at = theme.rfind("{% endblock")

    def template(words: str) -> str:
        return theme[:at] + f"<!-- {words} -->\n" + theme[at:]

    files = {f"content/s{i % 3}/p{i}.md": page(f"P{i}", f"Text [next](p{(i + 3) % 300}.md) *{i}*.", date="2024-01-01")
             for i in range(300)}
    root = write_site(tmp_path / "site", {**files, "templates/page.html": template("first")})
    for path in root.rglob("*.md"):  # written an hour ago: a build trusts their signatures
        os.utime(path, (time.time() - 3600,) * 2)
    out = tmp_path / "kept"
    kept = Kept(2)
    try:
        first = build(load_config(root), out=out, jobs=2, kept=kept)
        assert (first.rendered, kept.sent) == (333, 1)
        # a template edit; then a page's new title with another template edit (every page again)
        edits = [{"templates/page.html": template("second")},
                 {"templates/page.html": template("third"), "content/s0/p0.md": page("Renamed", "Text.")}]
        for n, edit in enumerate(edits, start=1):
            for rel, text in edit.items():
                (root / rel).write_text(text)
            result = build(load_config(root), out=out, jobs=2, kept=kept, state=first.state)
            assert result.rendered >= 300 and kept.sent == n  # the site again only when it changed
            build(load_config(root), out=tmp_path / "serial", jobs=1, use_cache=False)
            assert tree(out) == tree(tmp_path / "serial")
            first = result
        assert "<!-- third -->" in (out / "s1/p1/index.html").read_text()
        assert "<title>Renamed" in (out / "s0/p0/index.html").read_text()
    finally:
        kept.close()


def _nothing(payload: object) -> None:
    pass


def _collector(item: int) -> tuple[bool, bool]:
    """In a kept worker: is the cycle collector on, and does it look at the kept object?"""
    import gc

    from site_builder.processes import _seen
    kept = _seen["kept"]
    return gc.isenabled(), any(o is kept for o in gc.get_objects())  # a frozen object is in none of its generations


def test_kept_workers_collect_cycles_between_builds_and_never_look_at_the_site_again():
    """A kept worker's site (10,000 objects here) is frozen when it arrives, and the cycle
    collector runs once as each build begins, not during it: its passes were a tenth of a kept
    worker's CPU in a template edit at 10,000 pages."""
    site = [{"page": i} for i in range(10_000)]
    kept = Kept(2)
    try:
        for _ in range(2):  # the second build on the same workers
            assert set(kept.imap(_nothing, {"site": site}, site, _collector, range(8))) == {(False, False)}
        assert kept.sent == 1
    finally:
        kept.close()
