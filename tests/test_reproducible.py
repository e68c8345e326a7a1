"""Reproducible builds: the same content in two folders, built at different times (and with
different file times), gives byte-identical trees — search index included."""
import os
import shutil
import time

from conftest import ROOT, run, tree


def copy_site(dst):
    dst.mkdir(parents=True)
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, dst / d)
    shutil.copy(ROOT / "site.yaml", dst / "site.yaml")
    return dst


def test_two_builds_in_two_places_at_two_times_are_identical(tmp_path):
    a = copy_site(tmp_path / "first" / "site")
    assert run("build", cwd=a).returncode == 0
    time.sleep(1.1)
    b = copy_site(tmp_path / "elsewhere" / "deeper" / "copy")
    for p in b.rglob("*"):
        os.utime(p, (1_000_000_000, 1_000_000_000))  # other file times too
    assert run("build", "--jobs", "1", cwd=b).returncode == 0
    first, second = tree(a / "_site"), tree(b / "_site")
    assert any(f.startswith("pagefind/") for f in first)
    assert first == second
    for f in (a / "_site").rglob("*"):
        if f.is_file() and f.suffix in (".html", ".xml", ".txt", ".json"):
            assert str(tmp_path) not in f.read_text(errors="replace"), f  # no local paths leak out
