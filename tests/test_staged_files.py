"""A later build moves in the files each phase says it staged (the pages the render workers wrote,
the generated and copied files the write phase wrote, the search bundles the index phase made)
instead of walking a stage of one folder per page; a file staged and not said is moved in all the
same, never lost; the emptied stage is removed folder by folder (build/write.py, build/journal.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.build import build, journal, output, write as write_phase
from site_builder.build.marker import MARKER_FILE, encode as marker_bytes, owned_files
from site_builder.build.output import settle
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, tree, write_site

TEMPLATE = ("{% extends 'base.html' %}{% block main %}<article><h1>{{ page.title }}</h1>{{ page.content }}"
            "</article>{% endblock %}")


def files(version: int) -> dict[str, str]:
    """A site with pages in sections, a static file and a page template, each changed by ``version``."""
    body = "Words about the harbour and the bridge, for the search index."
    pages = {f"content/s{i % 3}/p{i}.md": page(f"Page {i}", f"{body} Part {i}.", date=f"2024-01-{1 + i:02d}")
             for i in range(9)}
    pages["content/s0/p0.md"] = page("Page 0", f"{body} Version {version}.", date="2024-01-01")
    if version > 1:  # a new page: new lists, feeds and sitemap (generated files)
        pages["content/s1/late.md"] = page("Late", "A late page.", date="2024-02-01")
    return {**pages, "static/style/site.css": f"body {{ margin: {version}px }}",
            "templates/page.html": TEMPLATE.replace("<h1>", f"<h1 data-v='{version}'>")}


def built(root: Path, version: int, search: bool = True) -> Path:
    """``root`` rewritten at ``version`` and built (warm when it was built before)."""
    write_site(root, files(version), {**BASE_CONFIG, "search": search})
    build(load_config(root), jobs=1)
    return root / "_site"


def clean(tmp_path: Path, version: int, search: bool = True) -> dict[str, str]:
    return tree(built(tmp_path / f"clean{version}", version, search))


def no_leftovers(root: Path) -> bool:
    return not [p.name for p in root.iterdir() if p.name.startswith("._site.")]


def test_a_warm_build_moves_in_every_staged_file_without_walking_the_stage(tmp_path, monkeypatch):
    """A changed page and template (pages), static file (a copy), a new page (generated lists,
    feeds, sitemap) and the search bundles remade: each moved in from what its phase reported,
    the stage never walked (the walk is only for a file nobody reported)."""
    root = tmp_path / "site"
    built(root, 0)
    walked: list[Path] = []
    real = write_phase.inventory
    monkeypatch.setattr(write_phase, "inventory", lambda folder: walked.append(folder) or real(folder))
    for version in (1, 2):
        out = built(root, version)
        assert walked == []
        assert tree(out) == clean(tmp_path, version)
        assert sorted(owned_files(out)) == sorted(set(tree(out)) - {MARKER_FILE})
        assert no_leftovers(root)
    assert any(f.startswith("pagefind/") for f in tree(out)) and "style/site.css" in tree(out)


@pytest.mark.parametrize("kept,search", [(2, True), (0, True), (0, False)])
def test_a_file_staged_and_not_reported_is_moved_in_all_the_same(tmp_path, monkeypatch, kept, search):
    """Half the reports lost, or all (a phase that forgets to say what it staged): the build is
    still the clean build's, byte for byte, and its marker lists every file. (Without search, the
    first edit changes only files the last build made: nothing reported, nothing else changes.)"""
    root = tmp_path / "site"
    built(root, 0, search)
    real = write_phase._put_in_place
    monkeypatch.setattr(write_phase, "_put_in_place", lambda g, stage, outputs, idx, staged: real(
        g, stage, outputs, idx, sorted(staged)[::kept] if kept else []))
    for version in (1, 2):
        out = built(root, version, search)
        assert tree(out) == clean(tmp_path, version, search)
        assert sorted(owned_files(out)) == sorted(set(tree(out)) - {MARKER_FILE})
        assert no_leftovers(root)


def staged(tmp_path: Path, names: list[str]) -> tuple[Path, Path]:
    out, stage = tmp_path / "_site", tmp_path / "._site.stage-1"
    out.mkdir()
    (out / MARKER_FILE).write_text(json.dumps({"generator": "site-builder", "format": 1, "files": []}))
    for rel in names:
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(rel)
    return out, stage


@pytest.mark.parametrize("stray", [False, True])
def test_the_journal_removes_the_folders_it_emptied_and_what_is_left_only_when_recovering(tmp_path, stray):
    """After the moves each folder of the stage they emptied goes (deepest first), then the stage;
    a stage that still holds a file is left to the build (which moves the file in), and removed
    when a reader finishes a killed build's journal."""
    moved = ["a/b/c/index.html", "a/b/index.html", "a/index.html", "d/e/x.txt", "top.html"]
    out, stage = staged(tmp_path, moved + (["d/stray.txt"] if stray else []))
    j = journal.Journal(journal.path_for(out, 1), stage, moved, [], False)
    journal.apply(j, out, strays=True)
    assert {f: (out / f).read_text() for f in moved} == {f: f for f in moved}
    if stray:
        assert sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")) == ["d", "d/stray.txt"]
        journal.apply(j, out)  # as recover() does
    assert not stage.exists()


def test_the_inventory_lists_files_and_links_never_following_a_link_or_looking_into_git(tmp_path):
    """(A stage, the output folder: what a clean build swaps in and the marker lists.)"""
    folder = tmp_path / "out"
    for rel in ["index.html", "a/b/c/deep.html", "a/b/page.html", ".git/config", "x/.GIT/HEAD", "y/.Git",
                "../elsewhere/secret.txt"]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(rel)
    (folder / "empty/inner").mkdir(parents=True)
    (folder / "a/to-dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (folder / "a/b/to-file").symlink_to(folder / "index.html")
    (folder / "dangling").symlink_to(tmp_path / "missing")
    assert output.inventory(folder) == ({"index.html", "a/b/c/deep.html", "a/b/page.html", "a/to-dir",
                                         "a/b/to-file", "dangling"}, True)
    assert output.inventory(folder / "a") == ({"b/c/deep.html", "b/page.html", "to-dir", "b/to-file"}, False)
    assert output.inventory(tmp_path / "missing") == (set(), False)


def test_a_page_is_staged_under_its_flat_name_and_a_long_path_as_it_is():
    assert journal.staged_name("a/b/index.html") == "a:b:index.html"
    assert journal.staged_name("index.html") == "index.html"
    long = "/".join(["folder"] * 40) + "/index.html"  # 290 bytes: more than a name may hold
    assert journal.staged_name(long) == long
    assert journal.staged_name("é/" * 79 + "xyz") == "é:" * 79 + "xyz"  # 240 bytes of UTF-8
    assert journal.staged_name("é/" * 79 + "xyzw") == "é/" * 79 + "xyzw"  # 241


def test_a_warm_build_stages_pages_without_a_folder_each(tmp_path, monkeypatch):
    """What the stage holds when the journal runs: the rendered pages under their flat names in
    its top folder; folders only for what is staged at its own path (the copied stylesheet, the
    search bundle)."""
    root = tmp_path / "site"
    built(root, 0)
    seen: list[set[str]] = []
    real = journal.run

    def spy(out, stage, move, delete, marker):
        seen.append({p.relative_to(stage).as_posix() + "/" * p.is_dir() for p in stage.rglob("*")})
        return real(out, stage, move, delete, marker)

    monkeypatch.setattr(journal, "run", spy)
    out = built(root, 1)
    assert {"s0:p0:index.html", "s1:p1:index.html", "s2:p8:index.html", "style/site.css"} <= seen[0]
    assert {f for f in seen[0] if f.endswith("/")} == {"style/", "pagefind/", "pagefind/0/"} | {
        f for f in seen[0] if f.startswith("pagefind/0/") and f.endswith("/")}
    assert not any("/" in f.rstrip("/") and not f.startswith(("style/", "pagefind/")) for f in seen[0])
    assert tree(out) == clean(tmp_path, 1) and no_leftovers(root)


def killed(tmp_path: Path, form: int, staged_as: dict[str, str], marker: bool = False) -> tuple[Path, Path]:
    """A built site, with a journal of ``form`` left by a killed build that had moved the first
    of ``staged_as`` (path -> where it was staged) already; ``marker``: one listing them is staged."""
    root = write_site(tmp_path / "s", {f"content/notes/n{i}.md": page(f"Note {i}", f"Body {i}.") for i in range(3)})
    build(load_config(root))
    out, stage = root / "_site", root / "._site.stage-999999"
    for i, name in enumerate(staged_as.values()):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_text(f"new {i}")
    if marker:
        (stage / MARKER_FILE).write_bytes(marker_bytes(set(owned_files(out)) | set(staged_as)))
    first = next(iter(staged_as))
    (stage / staged_as[first]).replace(out / first)
    (root / "._site.journal-999999").write_text(json.dumps({
        "site-builder-journal": form, "stage": stage.name, "move": list(staged_as), "delete": [], "marker": marker}))
    return root, out


@pytest.mark.parametrize("form,flat", [(2, True), (2, False), (1, False)])
def test_a_killed_builds_journal_is_finished_whether_its_pages_were_staged_flat_or_not(tmp_path, form, flat):
    """This version's journals (pages under their flat names, or at their own paths, as a
    generated file or a bundle is) and an older version's (format 1: every file at its own path)."""
    pages = [f"notes/n{i}/index.html" for i in range(3)]
    root, out = killed(tmp_path, form, {f: journal.staged_name(f) if flat else f for f in pages})
    assert settle(out, load_config(root)) == []
    assert [(out / f).read_text() for f in pages] == ["new 0", "new 1", "new 2"]
    assert no_leftovers(root)


def test_a_journal_of_a_later_format_is_discarded(tmp_path):
    pages = [f"notes/n{i}/index.html" for i in range(3)]
    root, out = killed(tmp_path, 3, {f: journal.staged_name(f) for f in pages})
    assert [str(w) for w in settle(out, load_config(root))] == [
        "._site.journal-999999: discarded this build journal: it is not a journal of this version "
        "of site-builder; nothing in it was done"]
    assert (out / pages[0]).read_text() == "new 0"  # (moved before the kill)
    assert [(out / f).read_text().startswith("<!doctype html>") for f in pages[1:]] == [True, True]


def test_a_journal_that_would_overwrite_a_file_the_build_did_not_write_from_a_flat_name_is_discarded(tmp_path):
    root, out = killed(tmp_path, 2, {"notes/n0/index.html": "notes:n0:index.html",
                                     "notes/mine.txt": "notes:mine.txt"}, marker=True)
    (out / "notes/mine.txt").write_text("mine")
    assert [str(w) for w in settle(out, load_config(root))] == [
        "._site.journal-999999: discarded this build journal: it would remove or overwrite "
        "notes/mine.txt, which site-builder did not write; nothing in it was done"]
    assert (out / "notes/mine.txt").read_text() == "mine"
