"""An output folder the build owns: issue 12, findings 4, 14 and 21, and the issue's "An output
folder the build owns". The marker .site-builder.json lists every file the build wrote; a build
deletes or overwrites nothing else, refuses a folder it does not own (--force takes it over,
never touching .git), never writes inside a folder it reads, and never publishes the cache."""
from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from site_builder.build import build
from site_builder.build.marker import MARKER_FILE, owned_files
from site_builder.build import journal
from site_builder.build.output import inventory
from site_builder.build.search import finish
from site_builder.errors import SiteError
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, run, tree, write_site

FILES = {"content/a.md": page("A", "Alpha."), "content/b.md": page("B", "Beta.")}


def git(cwd, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "U", "GIT_AUTHOR_EMAIL": "u@example.org",
           "GIT_COMMITTER_NAME": "U", "GIT_COMMITTER_EMAIL": "u@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def assert_marker_matches(out, theirs: set[str] = frozenset()) -> None:
    """The marker lists every file in ``out`` but the marker and the files ``theirs``."""
    files, _ = inventory(out)
    assert owned_files(out) == sorted(files - {MARKER_FILE} - theirs)


# --- the marker -----------------------------------------------------------------------------------

def test_the_marker_lists_exactly_the_files_the_build_wrote(site):
    root = site(FILES)
    out = root / "_site"
    build(load_config(root))
    data = json.loads((out / MARKER_FILE).read_text())
    assert data == {"generator": "site-builder", "format": 1, "files": sorted(set(tree(out)) - {MARKER_FILE})}
    assert {"index.html", "a/index.html", "b/index.html", ".nojekyll", "sitemap.xml"} <= set(data["files"])
    (root / "content/b.md").unlink()
    (root / "content/c.md").write_text(page("C"))
    build(load_config(root))  # incremental: the marker moves in through the journal
    assert "b/index.html" not in owned_files(out) and "c/index.html" in owned_files(out)
    assert_marker_matches(out)
    build(load_config(root), use_cache=False)  # clean
    assert_marker_matches(out)


@pytest.mark.parametrize("text", ["", "{", "[]", '{"generator": "other", "format": 1, "files": []}',
                                  '{"generator": "site-builder", "format": 2, "files": []}',
                                  '{"generator": "site-builder", "format": 1, "files": ["/etc/passwd"]}',
                                  '{"generator": "site-builder", "format": 1, "files": ["a/../../x"]}',
                                  '{"generator": "site-builder", "format": 1, "files": [".git/config"]}',
                                  '{"generator": "site-builder", "format": 1, "files": [3]}'])
def test_an_invalid_marker_owns_nothing(tmp_path, text):
    (tmp_path / MARKER_FILE).write_text(text)
    assert owned_files(tmp_path) is None


def test_the_marker_follows_the_dev_servers_later_search_index(site):
    """The dev server indexes search after the reload: the bundles move in through the journal
    and the marker lists them."""
    root = site(FILES, {**BASE_CONFIG, "search": True})
    config, out = load_config(root), root / "_site"
    result = build(config, search_now=False)
    assert result.state.pending and not any(f.startswith("pagefind/") for f in owned_files(out))
    assert finish(config, out, result.state)
    assert any(f.startswith("pagefind/0/") for f in owned_files(out))
    assert_marker_matches(out)
    (root / "content/a.md").write_text(page("A", "Changed words."))
    result = build(config, search_now=False, state=result.state)
    assert result.rendered < 5  # the marker the indexer rewrote did not make this a clean build
    finish(config, out, result.state)
    assert_marker_matches(out)


# --- finding 4: --out into a git checkout ---------------------------------------------------------

def test_out_into_a_git_checkout_is_refused_and_force_never_touches_git(site, tmp_path):
    """finding 4: --out (or output_dir) wiped any folder that contained .nojekyll, including its
    .git and files the build never wrote: building into a local user.github.io checkout destroyed
    its unpushed commits."""
    root = site(FILES)
    pages = tmp_path / "user.github.io"
    pages.mkdir()
    git(pages, "init", "-q")
    (pages / ".nojekyll").write_text("")
    (pages / "notes.md").write_text("my notes")
    git(pages, "add", "-A")
    git(pages, "commit", "-q", "-m", "unpushed work")
    repo = tree(pages / ".git")
    r = run("build", "--out", str(pages), cwd=root)
    assert tree(pages / ".git") == repo and (pages / "notes.md").read_text() == "my notes"
    assert r.returncode == 1
    assert r.stderr == (f"{pages}: the output folder is a git repository (it has .git): a build replaces what is "
                        "in it. Publish with 'site-builder deploy', choose another output folder, or build --force "
                        "to take it over (files the build does not write are deleted; .git is never touched)\n")
    assert tree(pages / ".git") == repo and (pages / "notes.md").read_text() == "my notes"
    r = run("build", "--out", str(pages), "--force", cwd=root)
    assert r.returncode == 0, r.stderr
    assert r.stderr == (f"{pages}: warning: took over this folder (--force): 1 file(s) site-builder did not write "
                        "are deleted; .git is kept\n")
    assert tree(pages / ".git") == repo and git(pages, "log", "--format=%s") == "unpushed work\n"
    assert not (pages / "notes.md").exists() and (pages / "index.html").is_file()
    assert_marker_matches(pages)
    (root / "content/a.md").write_text(page("A", "Changed."))
    assert run("build", "--out", str(pages), cwd=root).returncode == 1  # still a git checkout: still refused
    for args in (["--force"], ["--force", "--clean"]):  # incremental and clean: .git untouched
        (root / "content/b.md").write_text(page("B", " ".join(args)))
        r = run("build", "--out", str(pages), *args, cwd=root)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        assert tree(pages / ".git") == repo
        assert_marker_matches(pages)


def test_a_folder_the_build_did_not_make_is_refused(site, tmp_path):
    """finding 4: .nojekyll alone no longer proves the folder is the build's."""
    root = site(FILES)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / ".nojekyll").write_text("")
    (theirs / "thesis.txt").write_text("years of work")
    with pytest.raises(SiteError) as e:
        build(load_config(root), out=theirs)
    assert sorted(os.listdir(theirs)) == [".nojekyll", "thesis.txt"]
    assert "holds 1 file(s) this build does not write, e.g. thesis.txt" in str(e.value)
    (theirs / ".nojekyll").unlink()
    with pytest.raises(SiteError) as e:
        build(load_config(root), out=theirs)
    assert str(e.value) == (f"{theirs}: the output folder is not empty and was not made by site-builder (no "
                            f"{MARKER_FILE}); empty it, choose another output folder, or build --force to take "
                            "it over (files the build does not write are deleted; .git is kept)")
    assert os.listdir(theirs) == ["thesis.txt"]


def test_files_added_to_an_owned_folder_are_never_deleted(site):
    """A file put into the output folder by hand is not the build's: incremental and clean
    builds leave it, and a build that would overwrite it stops (unless --force)."""
    root = site(FILES)
    out = root / "_site"
    build(load_config(root))
    (out / "mine.txt").write_text("mine")
    (out / "a/draft.html").write_text("my draft")
    (root / "content/a.md").write_text(page("A", "Changed."))
    build(load_config(root))
    build(load_config(root), use_cache=False)
    (root / "content/a.md").unlink()  # its folder goes, but not the file in it that is not the build's
    build(load_config(root))
    assert (out / "mine.txt").read_text() == "mine" and (out / "a/draft.html").read_text() == "my draft"
    assert not (out / "a/index.html").exists() and "mine.txt" not in owned_files(out)
    (out / "c").mkdir()
    (out / "c/index.html").write_text("my page")
    (root / "content/c.md").write_text(page("C"))
    with pytest.raises(SiteError) as e:
        build(load_config(root))
    assert str(e.value) == ("_site/c/index.html: this file was not written by site-builder and the build would "
                            "overwrite it; move it out of the output folder, or build --force")
    assert (out / "c/index.html").read_text() == "my page"
    build(load_config(root), force=True)
    assert "C" in (out / "c/index.html").read_text() and "c/index.html" in owned_files(out)
    assert_marker_matches(out, {"mine.txt", "a/draft.html"})


def test_a_folder_built_by_an_older_site_builder_is_taken_over_safely(site):
    """Migration: a folder an older version built has .nojekyll but no marker. It is accepted
    when every file in it is one this build writes (or the older version's search index);
    otherwise build --force once."""
    root = site(FILES)
    out = root / "_site"
    build(load_config(root))
    (out / MARKER_FILE).unlink()  # what an older version left: the same files, no marker
    (out / "pagefind/0/fragment").mkdir(parents=True)
    (out / "pagefind/0/fragment/en_1.pf_fragment").write_bytes(b"old index")
    r = run("build", cwd=root)
    assert r.returncode == 0 and r.stderr == ""
    assert not (out / "pagefind").exists() and owned_files(out) is not None
    (out / MARKER_FILE).unlink()
    (root / "content/b.md").unlink()  # the older build's b/index.html is not one this build writes
    r = run("build", cwd=root)
    assert r.returncode == 1
    assert r.stderr == (f"_site: this folder was built by an older site-builder (it has .nojekyll but no {MARKER_FILE}) "
                        "and holds 1 file(s) this build does not write, e.g. b/index.html; move them out, or build "
                        "--force once to take the folder over (deleting them)\n")
    assert (out / "b/index.html").exists()
    r = run("build", "--force", cwd=root)
    assert r.returncode == 0 and not (out / "b").exists()
    assert run("build", cwd=root).returncode == 0
    assert_marker_matches(out)


# --- finding 14: the output inside a folder the build reads -----------------------------------

def config_with(**extra) -> str:
    return yaml.safe_dump({**BASE_CONFIG, **extra}, sort_keys=False)


@pytest.mark.parametrize("folder,key", [("content/_site", "content_dir"), ("static/out", "static_dir"),
                                        ("templates/out", "templates_dir"), ("seeds/x/out", "seeds_dir")])
def test_an_output_folder_inside_an_input_folder_is_refused(tmp_path, folder, key):
    """finding 14: an output folder inside content/ or static/ nested itself on every build (under
    serve: 69 rebuilds in 10 s, still growing)."""
    text = config_with(output_dir=folder)
    line = text.splitlines().index(f"output_dir: {folder}") + 1
    root = write_site(tmp_path / "s", {**FILES, "static/x.css": "", "templates/page.html": "{{ page.title }}",
                                       "seeds/x/.keep": ""}, text)
    message = (f"site.yaml:{line}: output_dir is inside {key}, which the build reads: every build would copy the "
               "last one into itself; put it beside it, e.g. output_dir: _site\n")
    for args in (["build"], ["serve", "--port", "0"]):
        r = run(*args, cwd=root, timeout=30)
        assert (r.returncode, r.stderr) == (1, message)
    assert not (root / folder).exists()
    (root / "site.yaml").write_text(config_with())
    r = run("build", "--out", folder, cwd=root)
    top = folder.split("/")[0]
    assert (r.returncode, r.stderr) == (1, f"--out: output folder {folder}/ is inside {top}/, which the build "
                                           "reads: every build would copy the last one into itself; choose a "
                                           "folder outside it, e.g. _site\n")
    assert not (root / folder).exists()


# --- finding 21: the cache inside the output folder ----------------------------------------------

def test_a_cache_folder_inside_the_output_folder_is_refused(tmp_path):
    """finding 21: cache_dir inside the output folder was accepted, and then deployed with
    absolute paths in it."""
    text = config_with(cache_dir="_site/cache")
    root = write_site(tmp_path / "s", FILES, text)
    line = text.splitlines().index("cache_dir: _site/cache") + 1
    r = run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, f"site.yaml:{line}: cache_dir is inside output_dir: the cache would be "
                                           "published with the site; put it outside, e.g. cache_dir: .cache\n")
    (root / "site.yaml").write_text(config_with(cache_dir="build/cache"))
    r = run("build", "--out", "build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "--out: the cache folder build/cache/ is inside output folder build/ and "
                                           "would be published; choose another output folder or cache_dir\n")
    assert not (root / "build").exists()


def test_a_new_projects_gitignore_ignores_what_a_build_keeps_beside_the_output(tmp_path):
    """finding 5: the scaffold's .gitignore did not ignore the journal, so a repository could
    ship one."""
    assert run("new", str(tmp_path / "p")).returncode == 0
    git(tmp_path / "p", "init", "-q")
    names = ["_site/index.html", ".cache/x", "._site.journal-12", "._site.stage-12/a.html", "._site.index-3/x",
             "._site.building-4/x", "._site.search0pages-5/x"]
    ignored = subprocess.run(["git", "check-ignore", *names], cwd=tmp_path / "p", capture_output=True, text=True)
    assert ignored.stdout.split() == names


# --- how a whole new site goes in ------------------------------------------------------------------

def test_a_clean_build_of_the_builds_own_folder_swaps_the_whole_folder_in(site):
    """A first build, and a clean build of a folder holding only the build's files, put the new
    folder in place in one exchange (a new folder: a reader sees the old site or the new one,
    never a mix), with no warning; a file added by hand keeps the folder where it is (the
    build's files move in around it)."""
    root = site(FILES)
    out = root / "_site"
    first = build(load_config(root))
    assert first.warnings == [] and owned_files(out) is not None
    before = os.stat(out).st_ino
    (root / "content/a.md").write_text(page("A", "Changed."))
    again = build(load_config(root), use_cache=False)
    assert again.warnings == [] and os.stat(out).st_ino != before
    assert "Changed." in (out / "a/index.html").read_text()
    assert_marker_matches(out)
    (out / "mine.txt").write_text("mine")
    kept = os.stat(out).st_ino
    (root / "content/a.md").write_text(page("A", "Again."))
    assert build(load_config(root), use_cache=False).warnings == []
    assert os.stat(out).st_ino == kept and (out / "mine.txt").read_text() == "mine"
    assert "Again." in (out / "a/index.html").read_text()
    assert_marker_matches(out, {"mine.txt"})


def test_force_takes_over_a_folder_without_git_and_records_it_before_deleting(site, tmp_path, monkeypatch):
    """--force on a folder site-builder did not make (no .git): one warning counting the files it
    deletes; the marker lists them before the journal deletes them (a build killed meanwhile is
    finished by the next one, which may delete only what the marker lists)."""
    root = site(FILES)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "old.html").write_text("old")
    (theirs / "a").mkdir()
    (theirs / "a/index.html").write_text("old a")
    seen = []
    real = journal.run

    def spy(out, stage, move, delete, marker):
        seen.append((sorted(delete), owned_files(out)))
        real(out, stage, move, delete, marker)

    monkeypatch.setattr(journal, "run", spy)
    result = build(load_config(root), out=theirs, force=True)
    assert [str(w) for w in result.warnings] == [f"{theirs}: took over this folder (--force): 1 file(s) "
                                                 "site-builder did not write are deleted"]
    assert seen and seen[0][0] == ["old.html"] and {"old.html", "a/index.html"} <= set(seen[0][1])
    assert not (theirs / "old.html").exists() and "Alpha." in (theirs / "a/index.html").read_text()
    assert_marker_matches(theirs)


def test_an_older_builds_search_index_is_the_builds_and_git_is_never_swapped_away(site, tmp_path):
    """In this process (the tests above run the command line): a folder an older version built,
    its search index under pagefind/ included, is taken over without --force and the old index
    goes; --force on a git checkout moves the files in around .git, never swapping the folder."""
    root = site(FILES)
    out = root / "_site"
    build(load_config(root))
    (out / MARKER_FILE).unlink()
    (out / "pagefind/0").mkdir(parents=True)
    (out / "pagefind/0/en_1.pf_fragment").write_bytes(b"old index")
    assert build(load_config(root)).warnings == []
    assert not (out / "pagefind").exists()
    assert_marker_matches(out)
    pages = tmp_path / "checkout"
    pages.mkdir()
    git(pages, "init", "-q")
    repo = tree(pages / ".git")
    (pages / "notes.md").write_text("mine")
    for clean in (False, True):
        result = build(load_config(root), out=pages, force=True, use_cache=not clean)
        assert [str(w) for w in result.warnings] == ([] if clean else [
            f"{pages}: took over this folder (--force): 1 file(s) site-builder did not write are deleted; .git is kept"])
        assert tree(pages / ".git") == repo and (pages / "a/index.html").is_file()
        assert not (pages / "notes.md").exists()
        assert_marker_matches(pages)
