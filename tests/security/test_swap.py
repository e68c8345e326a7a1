"""The output swap itself (build/output.py): a new site replaces the old one in one atomic
exchange, never delete-then-rename while an exchange is possible, and a crash at any point
leaves one whole site in place."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from site_builder.build import output

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")


def _site(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_exchange_swaps_two_folders(tmp_path):
    a = _site(tmp_path / "a", {"index.html": "A", "x/index.html": "AX"})
    b = _site(tmp_path / "b", {"index.html": "B"})
    assert output.exchange(a, b) is True
    assert _files(a) == {"index.html": "B"}
    assert _files(b) == {"index.html": "A", "x/index.html": "AX"}


def test_exchange_with_a_missing_path_fails_and_changes_nothing(tmp_path):
    a = _site(tmp_path / "a", {"index.html": "A"})
    assert output.exchange(a, tmp_path / "missing") is False
    assert _files(a) == {"index.html": "A"} and not (tmp_path / "missing").exists()


def test_swap_in_exchanges_and_never_leaves_the_folder_missing(tmp_path, monkeypatch):
    out = _site(tmp_path / "_site", {"index.html": "old", "gone/index.html": "old"})
    new = _site(tmp_path / ".stage", {"index.html": "new"})
    renames = []
    monkeypatch.setattr(output.os, "rename", lambda *a: renames.append(a))
    output.swap_in(new, out)
    assert renames == []                      # one exchange: no moment without _site
    assert _files(out) == {"index.html": "new"}
    assert not new.exists()                   # it held the old site, now removed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_swap_in_without_an_old_folder_renames(tmp_path):
    new = _site(tmp_path / ".stage", {"index.html": "new"})
    output.swap_in(new, tmp_path / "_site")
    assert _files(tmp_path / "_site") == {"index.html": "new"} and not new.exists()


def test_swap_in_falls_back_to_two_renames_without_renameat2(tmp_path, monkeypatch):
    out = _site(tmp_path / "_site", {"index.html": "old"})
    new = _site(tmp_path / ".stage", {"index.html": "new"})
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    output.swap_in(new, out)
    assert _files(out) == {"index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]  # the old copy removed


def test_a_crash_right_after_the_exchange_leaves_the_new_site_whole(tmp_path, monkeypatch):
    """The process dies after the exchange, before the old copy is removed: _site is the new
    site, whole; what is left is the old copy under the stage's name (a leftover for recover)."""
    out = _site(tmp_path / "_site", {"index.html": "old", "a/index.html": "old"})
    new = _site(tmp_path / ".stage", {"index.html": "new", "b/index.html": "new"})

    def die(path, *a, **kw):
        raise KeyboardInterrupt  # as a kill would: nothing after this line runs

    monkeypatch.setattr(output.shutil, "rmtree", die)
    with pytest.raises(KeyboardInterrupt):
        output.swap_in(new, out)
    assert _files(out) == {"index.html": "new", "b/index.html": "new"}
    assert _files(new) == {"index.html": "old", "a/index.html": "old"}


def test_a_killed_swap_leaves_one_whole_site(tmp_path):
    """A real kill (SIGKILL) of a process swapping sites in a loop: whenever it dies, _site is
    one of the two sites, whole, never a mix or missing."""
    sites = {"one": {"index.html": "1", "a/index.html": "1"}, "two": {"index.html": "2", "b/index.html": "2"}}
    out = _site(tmp_path / "_site", sites["one"])
    for attempt in range(5):
        pid = os.fork()
        if pid == 0:  # the child swaps until killed
            try:
                for i in range(10_000):
                    stage = _site(tmp_path / f".stage-{i}", sites["two" if i % 2 == 0 else "one"])
                    output.swap_in(stage, out)
            finally:
                os._exit(0)
        time.sleep(0.05 + 0.03 * attempt)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        assert _files(out) in (sites["one"], sites["two"])


def test_exchange_swaps_two_folders_named_relative_to_the_working_folder(tmp_path, monkeypatch):
    """renameat2 resolves relative names from the working folder (AT_FDCWD): `build --out site`
    names it so."""
    _site(tmp_path / "a", {"index.html": "A"})
    _site(tmp_path / "b", {"index.html": "B"})
    monkeypatch.chdir(tmp_path)
    assert output.exchange(Path("a"), Path("b")) is True
    assert _files(tmp_path / "a") == {"index.html": "B"} and _files(tmp_path / "b") == {"index.html": "A"}


@pytest.mark.parametrize("missing", [OSError("no C library"), AttributeError("renameat2")])
def test_exchange_without_renameat2_says_so_and_changes_nothing(tmp_path, monkeypatch, missing):
    """A C library without renameat2 (an older glibc, musl): exchange says False, and swap_in
    falls back to two renames."""
    def cdll(*args, **kwargs):
        raise missing

    out = _site(tmp_path / "_site", {"index.html": "old"})
    new = _site(tmp_path / ".stage", {"index.html": "new"})
    monkeypatch.setattr(output.ctypes, "CDLL", cdll)
    assert output.exchange(new, out) is False
    assert _files(out) == {"index.html": "old"} and _files(new) == {"index.html": "new"}
    output.swap_in(new, out)
    assert _files(out) == {"index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]
