"""The build journal cannot be abused: issue 12, findings 1, 5, 6 and 13, and the issue's
"A journal that cannot be abused". A journal is one JSON object; one found beside the output
folder is verified before anything in it is done, and discarded with a warning when it is not
sound; readers (check, deploy, serve) finish a killed build's journal before they look."""
from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build.marker import MARKER_FILE, encode as marker_bytes, owned_files
from site_builder.build.output import recover, settle
from site_builder.commands.serve import DevServer
from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, run, tree, write_site


def warnings_of(result) -> list[str]:
    return [str(w) for w in result.warnings]


# --- finding 1: a newline in url: or section: -------------------------------------------------

@pytest.mark.parametrize("field", ["url", "section"])
def test_a_newline_in_url_or_section_deletes_nothing_outside(tmp_path, field):
    """finding 1: `url: "notes\\ndelete /abs/path"` made the line-based journal unlink that file on
    the next warm build and on every serve rebuild."""
    # a page's file is its url; a section's list page is section/index.html: aim both outside
    victim = tmp_path / "victim.txt" if field == "url" else tmp_path / "victim/index.html"
    victim.parent.mkdir(parents=True, exist_ok=True)
    victim.write_text("precious")
    value = f"notes\ndelete {victim}" if field == "url" else f"notes\ndelete {tmp_path}/victim"
    root = write_site(tmp_path / "s", {"content/n.md": page("N", "Hello.", **{field: value}),
                                       "content/other.md": page("Other", "Text.")})
    for i in range(3):  # a first build, then warm builds that re-render the page
        try:
            build(load_config(root))
        except SiteError:
            pass  # the path policy may refuse the name: what matters is what survives
        (root / "content/n.md").write_text(page(f"N{i}", f"Hello {i}.", **{field: value}))  # (and its section list)
    server = DevServer(root, "127.0.0.1", 0, log=lambda line: None)
    for i in range(2):  # the dev server's rebuilds
        server.rebuild(None)
        (root / "content/n.md").write_text(page(f"S{i}", f"Served {i}.", **{field: value}))
    assert victim.read_text() == "precious"
    assert not [p.name for p in root.iterdir() if ".journal-" in p.name]


# --- finding 5: a journal planted beside the output folder -------------------------------------

def built_blog(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    root = write_site(tmp_path / "s", {f"content/notes/n{i}.md": page(f"Note {i}", f"Body {i}.") for i in range(3)})
    build(load_config(root))
    return root, root / "_site", tree(root / "_site")


def outside(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A file and a folder outside the project that a planted journal aims at."""
    (tmp_path / "elsewhere/keep").mkdir(parents=True)
    (tmp_path / "elsewhere/keep/data.txt").write_text("keep me")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    return victim, tmp_path / "elsewhere", tree(tmp_path / "elsewhere")


def planted(root: Path, data: dict) -> Path:
    journal = root / "._site.journal-999999"
    journal.write_text(json.dumps({"site-builder-journal": 1, "stage": "._site.stage-999999", "move": [],
                                   "delete": [], "marker": True, **data}))
    return journal


def staged(root: Path, files: dict[str, str], listed: list[str]) -> Path:
    stage = root / "._site.stage-999999"
    stage.mkdir(exist_ok=True)
    for rel, text in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(text)
    (stage / MARKER_FILE).write_bytes(marker_bytes(listed))
    return stage


CASES = {
    # the old line format: a stage path to rmtree, absolute and '..' entries
    "old format, absolute": lambda root, victim, away: (
        (root / "._site.journal-999999").write_text(f"{away}\ndelete {victim}\nend"),
        "it is incomplete or not a journal of this version of site-builder"),
    "old format, dot-dot": lambda root, victim, away: (
        (root / "._site.journal-999999").write_text(f"{away}\ndelete ../../victim.txt\nmove ../elsewhere\nend"),
        "it is incomplete or not a journal of this version of site-builder"),
    "absolute delete": lambda root, victim, away: (
        (staged(root, {}, owned_files(root / "_site")), planted(root, {"delete": [str(victim)]})),
        f"'{victim}' is not a path inside the output folder"),
    "dot-dot delete": lambda root, victim, away: (
        (staged(root, {}, owned_files(root / "_site")), planted(root, {"delete": ["notes/../../../victim.txt"]})),
        "'notes/../../../victim.txt' is not a path inside the output folder"),
    "stage outside": lambda root, victim, away: (
        planted(root, {"stage": str(away), "move": ["keep/data.txt"]}),
        f"its stage '{away}' is not a folder this build makes beside _site"),
    "stage of another pid": lambda root, victim, away: (
        (staged(root, {}, []), planted(root, {"stage": "._site.stage-1"})),
        "its stage '._site.stage-1' is not a folder this build makes beside _site"),
    "stage a link out": lambda root, victim, away: (
        ((root / "._site.stage-999999").symlink_to(away), planted(root, {"move": ["keep/data.txt"]})),
        "its stage ._site.stage-999999 is not a folder of this user"),
    "move through a link": lambda root, victim, away: (
        ((root / "_site/notes/n0/out").symlink_to(away),
         staged(root, {"notes/n0/out/keep/data.txt": "overwritten"}, owned_files(root / "_site")),
         planted(root, {"move": ["notes/n0/out/keep/data.txt"]})),
        "'notes/n0/out/keep/data.txt' leads through a symbolic link"),
    "delete a file the build did not write": lambda root, victim, away: (
        ((root / "_site/mine.txt").write_text("mine"), staged(root, {}, owned_files(root / "_site")),
         planted(root, {"delete": ["mine.txt"]})),
        "it would remove or overwrite mine.txt, which site-builder did not write"),
    "delete but keep the marker": lambda root, victim, away: (
        (staged(root, {}, []), planted(root, {"marker": False, "delete": ["notes/n0/index.html"]})),
        f"it would remove notes/n0/index.html but keep {MARKER_FILE} as it is"),
    "add but keep the marker": lambda root, victim, away: (
        (staged(root, {"new.html": "planted"}, []), planted(root, {"marker": False, "move": ["new.html"]})),
        f"it would add new.html but keep {MARKER_FILE} as it is"),
    "marker in the entries": lambda root, victim, away: (
        (staged(root, {}, []), planted(root, {"delete": [MARKER_FILE]})),
        f"'{MARKER_FILE}' is not a path inside the output folder"),
    "a link as the journal": lambda root, victim, away: (
        (root / "._site.journal-999999").symlink_to(victim), "it is not a regular file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_planted_journal_is_discarded_with_a_warning(tmp_path, case):
    """finding 5: a stale journal (a repository can ship one) was trusted: its first line was
    rmtree'd and its entries unlinked, anywhere."""
    root, out, before = built_blog(tmp_path)
    victim, away, away_before = outside(tmp_path)
    mine = (out / "mine.txt").exists()
    _, reason = CASES[case](root, victim, away)
    (root / "content/notes/n1.md").write_text(page("Note 1", "Changed."))  # a warm build
    result = build(load_config(root))
    assert victim.exists() and tree(away) == away_before  # nothing outside touched
    assert warnings_of(result) == [f"._site.journal-999999: discarded this build journal: {reason}; "
                                   "nothing in it was done"]
    assert not os.path.lexists(root / "._site.journal-999999")
    if case == "delete a file the build did not write":
        assert (out / "mine.txt").read_text() == "mine"
    elif case == "move through a link":
        assert (out / "notes/n0/out").is_symlink()
    else:
        assert not mine
        after = tree(out)
        assert after.keys() == before.keys() and after["notes/n0/index.html"] == before["notes/n0/index.html"]
        assert after["notes/n1/index.html"] != before["notes/n1/index.html"]
    assert warnings_of(build(load_config(root))) == []  # reported once, never fatal


def test_check_finishes_a_killed_builds_journal_before_reading(tmp_path):
    """finding 13: `check` read a folder a killed build had left half moved. It finishes the
    journal first (a sound one is applied, a planted one is reported and discarded)."""
    root, out, _ = built_blog(tmp_path)
    (root / "content/notes/n1.md").write_text(page("Note 1", "Changed."))
    stage = staged(root, {"notes/n1/index.html": (out / "notes/n1/index.html").read_text().replace("Body 1", "Killed")},
                   owned_files(out))
    planted(root, {"move": ["notes/n1/index.html"]})
    r = run("check", cwd=root)
    assert r.returncode == 0, r.stderr
    assert "Killed" in (out / "notes/n1/index.html").read_text() and not stage.exists()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    planted(root, {"delete": [str(victim)]})
    r = run("check", cwd=root)
    assert r.returncode == 0 and r.stderr == ("._site.journal-999999: warning: discarded this build journal: "
                                              f"'{victim}' is not a path inside the output folder; "
                                              "nothing in it was done\n")
    assert victim.read_text() == "precious"


def test_an_edit_journal_left_by_a_killed_build_is_finished(tmp_path):
    """A build that only rewrites files it wrote keeps the marker as it is (no marker in the
    journal): killed while moving them, the next reader finishes the moves."""
    root, out, before = built_blog(tmp_path)
    stage = staged(root, {f"notes/n{i}/index.html": f"new {i}" for i in range(3)}, [])
    (stage / MARKER_FILE).unlink()
    (stage / "notes/n0/index.html").rename(out / "notes/n0/index.html")  # killed after the first move
    planted(root, {"marker": False, "move": [f"notes/n{i}/index.html" for i in range(3)]})
    assert settle(out, load_config(root)) == []
    assert [(out / f"notes/n{i}/index.html").read_text() for i in range(3)] == ["new 0", "new 1", "new 2"]
    assert tree(out).keys() == before.keys() and (out / MARKER_FILE).read_bytes() == marker_bytes(
        set(before) - {MARKER_FILE})
    assert not stage.exists() and not (root / "._site.journal-999999").exists()


def test_serve_finishes_a_killed_builds_journal_before_serving(tmp_path):
    """finding 13: `serve` served a folder a killed build had left half moved; a planted journal
    is reported and discarded there too."""
    root, out, _ = built_blog(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    staged(root, {}, owned_files(out))
    planted(root, {"delete": [str(victim)]})
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--port", "0"], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert lines[0] == (f"._site.journal-999999: warning: discarded this build journal: '{victim}' is not a path "
                        "inside the output folder; nothing in it was done\n")
    assert lines[1].startswith("Built ") and victim.read_text() == "precious"


def test_a_live_builds_journal_is_waited_for_then_refused(tmp_path):
    """A journal a running build holds (its lock) is not touched: a build leaves it, a reader
    waits and then says so."""
    root, out, before = built_blog(tmp_path)
    config = load_config(root)
    staged(root, {}, set(owned_files(out)) - {"notes/n0/index.html"})
    journal = planted(root, {"delete": ["notes/n0/index.html"]})
    fd = os.open(journal, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert recover(out, config) == [] and journal.exists()
        with pytest.raises(SiteError) as e:
            recover(out, config, wait=0.2)
        assert str(e.value) == "_site: a build is moving files into this folder; run this again when it has finished"
    finally:
        os.close(fd)
    assert settle(out, config) == [] and not journal.exists()  # its process gone: finished
    assert not (out / "notes/n0").exists() and tree(out).keys() == before.keys() - {"notes/n0/index.html"} | {MARKER_FILE}


# --- finding 6: a newline in a content file's name ---------------------------------------------

def test_a_newline_in_a_file_name_never_corrupts_the_journal(tmp_path):
    """finding 6: a newline in a content file name corrupted the journal; every later build,
    also --clean and after removing the file, failed with 'internal error'."""
    root = write_site(tmp_path / "s", {"content/a.md": page("A"), "content/odd\nname.md": page("Odd")})
    for text in ("One.", "Two."):
        r = run("build", cwd=root)
        assert r.returncode in (0, 1) and "internal error" not in r.stderr, r.stderr
        (root / "content/odd\nname.md").write_text(page("Odd", text))
        (root / "content/a.md").write_text(page("A", text))
    (root / "content/odd\nname.md").unlink()
    for args in (["build"], ["build"], ["build", "--clean"]):
        r = run(*args, cwd=root)
        assert r.returncode == 0 and r.stderr == "", r.stderr
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]
    assert sorted(owned_files(root / "_site")) == sorted(set(tree(root / "_site")) - {MARKER_FILE})


# --- finding 13: kill -9 at any moment leaves the old site or the new one ----------------------

VERSIONS = {
    "old": "{% extends 'base.html' %}{% block main %}<article><h1>{{ page.title }}</h1>{{ page.content }}"
           "</article>{% endblock %}",
    "new": "{% extends 'base.html' %}{% block main %}<article class='v2'><h1>{{ page.title }} (v2)</h1>"
           "{{ page.content }}<p>Searchable extra words</p></article>{% endblock %}",
}


def search_site(root: Path, version: str) -> Path:
    body = "\n\n".join(f"## Part {k}\n\nWords about topic {k} and more words for the index." for k in range(6))
    files = {f"content/s{i % 4}/p{i}.md": page(f"Page {i}", body, date=f"2024-01-{1 + i % 28:02d}") for i in range(60)}
    return write_site(root, {**files, "templates/page.html": VERSIONS[version]}, {**BASE_CONFIG, "search": True})


def test_kill_9_at_random_moments_leaves_the_old_site_or_the_new_one(tmp_path):
    """finding 13: a build killed during the file moves (or during search indexing: 11 of 20
    kills) left _site half old, half new; check passed it and deploy --no-build published it.
    Now the search index is made before anything moves in, and readers finish the journal."""
    refs = [subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--jobs", "1"],
                             cwd=search_site(tmp_path / v, v)) for v in VERSIONS]
    assert [p.wait() for p in refs] == [0, 0]  # the two complete sites, built clean elsewhere
    trees = {v: tree(tmp_path / v / "_site") for v in VERSIONS}
    assert any(f.startswith("pagefind/") for f in trees["new"]) and trees["old"] != trees["new"]
    root = search_site(tmp_path / "s", "old")
    t0 = time.monotonic()
    assert run("build", cwd=root).returncode == 0
    span = time.monotonic() - t0
    rng = random.Random(int(os.environ.get("KILL_SEED", "12")))
    want, config = "old", load_config(root)
    outcomes = []
    for i in range(15):
        want = "new" if want == "old" else "old"
        (root / "templates/page.html").write_text(VERSIONS[want])
        proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build"], cwd=root, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, span))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        settle(root / "_site", config)  # what check, deploy and serve do first
        now = tree(root / "_site")
        got = next((v for v, t in trees.items() if t == now), None)
        assert got is not None, f"kill {i}: a mix of the old and the new site"
        assert sorted(owned_files(root / "_site")) == sorted(set(now) - {MARKER_FILE})  # deploy --no-build's list
        outcomes.append(got == want)
        if i % 5 == 4:  # the next build recovers
            assert run("build", cwd=root).returncode == 0
            assert tree(root / "_site") == trees[want]
    assert run("check", cwd=root).returncode == 0
    print(f"{sum(outcomes)} of {len(outcomes)} killed builds had finished")
