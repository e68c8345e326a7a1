"""Faults: a build killed with SIGKILL, a full disk, an unwritable output folder, an
interrupted ingest. Nothing is lost: the previous site stays as it was, the next run succeeds."""
import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, ROOT, page, run, tree, write_site


def big_site(root: Path, n: int = 400) -> None:
    """Enough pages that a build takes a moment: time to kill it in the middle."""
    body = "\n\n".join(f"## Part {k}\n\nSome *words* here and more words, enough to take a moment to render."
                        for k in range(8))
    write_site(root, {f"content/s{i % 4}/p{i}.md": page(f"Page {i}", body, date=f"2024-01-{1 + i % 28:02d}")
                      for i in range(n)})


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_kill_9_during_a_build_leaves_the_previous_site_intact(tmp_path, delay):
    root = write_site(tmp_path / "s", {})
    big_site(root)
    assert run("build", cwd=root).returncode == 0
    before = tree(root / "_site")
    (root / "templates").mkdir()
    (root / "templates/page.html").write_text("{% extends 'base.html' %}{% block main %}<article><h1>{{ page.title }}"
                                              "</h1>{{ page.content }}</article>{% endblock %}")
    clean = tmp_path / "clean"
    build(load_config(root), out=clean, use_cache=False)
    new = tree(clean)
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build"], cwd=root, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers
    proc.wait()
    after = tree(root / "_site")
    if not [p for p in root.iterdir() if ".journal-" in p.name]:
        # killed before the final moves (nothing touched) or after them (all done): never a mix
        assert after in (before, new)
    r = run("build", cwd=root)  # finishes (or discards) what was left, then builds
    assert r.returncode == 0, r.stderr
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]
    assert tree(root / "_site") == new


def test_kill_9_during_a_first_build_then_the_next_succeeds(tmp_path):
    root = write_site(tmp_path / "s", {})
    big_site(root)
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build"], cwd=root, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.8)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (root / "_site").exists() or (root / "_site/.nojekyll").exists()
    assert run("build", cwd=root).returncode == 0
    assert (root / "_site/index.html").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]


@contextlib.contextmanager
def small_disk(path: Path, size: str = "1m", readonly: bool = False):
    """A real tmpfs of ``size`` mounted at ``path`` (root only); yields False where mounting is
    not allowed, and the caller simulates the fault instead."""
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if readonly else "")
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True).returncode == 0
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_full_disk_is_a_clear_error_and_nothing_is_lost(tmp_path, monkeypatch):
    root = write_site(tmp_path / "s", {"content/a.md": page("A", "Small.")})
    disk = tmp_path / "disk"
    with small_disk(disk, "1m") as real:
        out = disk / "_site"
        build(load_config(root), out=out)
        before = tree(out)
        (root / "content/big.md").write_text(page("Big", "word " * 400_000))  # ~2 MB of HTML: does not fit
        if not real:
            real_open = open

            def full(file, mode="r", *a, **k):
                if "w" in mode and "._site." in str(file):
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real_open(file, mode, *a, **k)
            monkeypatch.setattr("builtins.open", full)
        with pytest.raises(SiteError) as e:
            build(load_config(root), out=out, jobs=1)
        assert str(e.value).endswith("cannot write the site: No space left on device; free some space. "
                                     "The previous site is unchanged")
        assert tree(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["_site"]  # temporary files removed


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    root = write_site(tmp_path / "s", {"content/a.md": page("A")})
    ro = tmp_path / "ro"
    with small_disk(ro, "1m", readonly=True) as real:
        if not real:  # as root, permissions do not stop writes: simulate a read-only file system
            real_mkdir = Path.mkdir

            def refuse(self, *a, **k):
                if str(self).startswith(str(ro)):
                    raise OSError(errno.EROFS, "Read-only file system")
                return real_mkdir(self, *a, **k)
            monkeypatch.setattr(Path, "mkdir", refuse)
        with pytest.raises(SiteError) as e:
            build(load_config(root), out=ro / "_site")
    assert str(e.value).endswith("cannot write the site: Read-only file system. The previous site is unchanged")


def test_cli_reports_a_full_disk_in_one_line(tmp_path):
    root = write_site(tmp_path / "s", {"content/a.md": page("A", "word " * 400_000)})
    disk = tmp_path / "disk"
    with small_disk(disk, "1m") as real:
        if not real:
            pytest.skip("mounting a small tmpfs needs root (the in-process test above simulates it)")
        r = run("build", "--out", str(disk / "_site"), cwd=root)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "No space left on device" in r.stderr


def test_interrupted_ingest_leaves_every_page_old_or_new(tmp_path):
    articles = sorted((Path(__file__).parent / "articles").glob("*.txt"))
    seed = (ROOT / "seeds" / "guangdong-new-industrialization-2023-12-05.txt").read_text()
    root = write_site(tmp_path / "s", {f"seeds/a{i:02d}.txt": seed.replace("Guangdong", f"Region{i}")
                                       for i in range(40)},
                      (ROOT / "site.yaml").read_text().replace("search: true", "search: false"))
    assert run("ingest", cwd=root).returncode == 0
    old = {p.relative_to(root).as_posix(): p.read_text() for p in (root / "content").rglob("*.md")}
    for i in range(40):  # every page changes
        (root / f"seeds/a{i:02d}.txt").write_text(seed.replace("Guangdong", f"Region{i}").replace("ten ", "eleven "))
    expected_new = tmp_path / "new"
    shutil.copytree(root, expected_new)
    assert run("ingest", cwd=expected_new).returncode == 0
    new = {p.relative_to(expected_new).as_posix(): p.read_text() for p in (expected_new / "content").rglob("*.md")}
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "ingest"], cwd=root, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until some, but not all, pages are new
        now = {p.relative_to(root).as_posix(): p.read_text() for p in (root / "content").rglob("*.md")}
        if any(now.get(k) == v and old.get(k) != v for k, v in new.items()):
            break
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for p in (root / "content").rglob("*.md"):
        rel = p.relative_to(root).as_posix()
        assert p.read_text() in (old.get(rel), new.get(rel)), rel  # never half-written
    assert run("ingest", cwd=root).returncode == 0  # and the next run finishes the job
    assert {p.relative_to(root).as_posix(): p.read_text() for p in (root / "content").rglob("*.md")} == new
    assert not list((root / "content").rglob(".*.tmp-*"))


# --- the swap of a whole new site for the old one ------------------------------------------------

SWAP_KILLER = """
import os, sys
from site_builder.build import output
from site_builder.commands.cli import run

mode, out = sys.argv.pop(1), os.path.realpath("_site")
exchange, rename = output.exchange, os.rename

def die():
    os._exit(9)  # as a kill -9 would: nothing after it runs

if mode == "before":
    output.exchange = lambda a, b: die()
elif mode == "after":
    output.exchange = lambda a, b: exchange(a, b) and die()
else:  # any rename from or onto the output folder: the old site is moved away, or another is moved in
    os.rename = lambda a, b: die() if out in (os.path.realpath(a), os.path.realpath(b)) else rename(a, b)
run()
"""


@pytest.mark.parametrize("mode", ["before", "after", "rename"])
def test_a_build_killed_at_the_swap_leaves_a_whole_site(tmp_path, mode):
    """A clean build puts its new site in place by swapping two folders in one step (renameat2
    RENAME_EXCHANGE). Killed just before the swap: the old site, whole; just after: the new one.
    A swap done as two renames (or a delete and a rename) leaves no site at all if killed in
    between ("rename" kills at the first rename that touches the output folder)."""
    root = write_site(tmp_path / "s", {f"content/notes/n{i}.md": page(f"Note {i}", f"Text {i}.") for i in range(5)})
    assert run("build", cwd=root).returncode == 0
    before = tree(root / "_site")
    (root / "content/notes/n1.md").write_text(page("Note one", "New text."))
    build(load_config(root), out=tmp_path / "clean", use_cache=False)
    new = tree(tmp_path / "clean")
    assert new != before
    r = subprocess.run([sys.executable, "-c", SWAP_KILLER, mode, "build", "--clean"], cwd=root,
                       capture_output=True, text=True, timeout=120)
    assert tree(root / "_site") == (before if mode == "before" else new)
    assert r.returncode == (0 if mode == "rename" else 9), r.stderr  # the swap happened (and was not a rename)
    assert run("build", cwd=root).returncode == 0  # removes what the killed build left beside the site
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]
    assert tree(root / "_site") == new


def test_a_failed_swap_leaves_the_last_site(tmp_path, monkeypatch):
    """The swap itself fails (the file system refuses it): a one-line error, the old site whole,
    no stage left beside it."""
    from site_builder.build import output

    root = write_site(tmp_path / "s", {"content/a.md": page("A", "Old.")})
    build(load_config(root))
    before = tree(root / "_site")
    (root / "content/a.md").write_text(page("A", "New."))

    def refuse(a, b):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(output, "exchange", refuse)
    with pytest.raises(SiteError) as e:
        build(load_config(root), use_cache=False)
    assert str(e.value) == "_site: cannot write the site: Input/output error. The previous site is unchanged"
    assert tree(root / "_site") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]
