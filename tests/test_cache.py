"""The build cache and incremental builds: never an output that differs from a clean build."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build.incremental.cache import Cache
from site_builder.build.incremental import VERSION
from site_builder.build.marker import MARKER_FILE, encode as marker_bytes, owned_files
from site_builder.build.output import recover
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, ROOT, page, tree, write_site


def clean_tree(root, tmp_path, name="clean"):
    out = tmp_path / name
    shutil.rmtree(out, ignore_errors=True)
    build(load_config(root), out=out, use_cache=False)
    return tree(out)


@pytest.fixture
def blog(tmp_path):
    files = {f"content/notes/n{i}.md": page(f"Note {i}", f"Text {i} [next](n{(i + 1) % 6}.md)", date=f"2024-01-0{i + 1}",
                                           tags=["even" if i % 2 == 0 else "odd"]) for i in range(6)}
    files["content/innovation/lab.md"] = page("Lab", "An innovation laboratory.", date="2024-02-01")
    files["static/extra.txt"] = "static file"
    return write_site(tmp_path / "site", files)


EDITS = {
    "body": lambda r: (r / "content/notes/n2.md").write_text(page("Note 2", "New words here.", date="2024-01-03", tags=["even"])),
    "title": lambda r: (r / "content/notes/n3.md").write_text(page("Renamed", "Text 3", date="2024-01-04", tags=["odd"])),
    "tag": lambda r: (r / "content/notes/n1.md").write_text(page("Note 1", "Text 1", date="2024-01-02", tags=["new"])),
    "add": lambda r: (r / "content/notes/n9.md").write_text(page("Nine", "Nine.", date="2024-03-01")),
    "delete": lambda r: (r / "content/notes/n5.md").unlink() or (r / "content/notes/n4.md").write_text(
        page("Note 4", "Text 4", date="2024-01-05", tags=["even"])),
    "part": lambda r: (r / "content/innovation/lab.md").write_text(page("Lab", "A bigger laboratory.", date="2024-02-01")),
    "template": lambda r: (r / "templates/page.html").parent.mkdir(exist_ok=True) or (r / "templates/page.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1>{{ page.title }}</h1><div>{{ page.content }}</div>{% endblock %}"),
    "config": lambda r: (r / "site.yaml").write_text((r / "site.yaml").read_text().replace("Test site", "Renamed site")),
    "static": lambda r: (r / "static/extra.txt").write_text("changed"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_warm_build_equals_a_clean_build(blog, tmp_path, edit):
    config = load_config(blog)
    build(config)
    EDITS[edit](blog)
    result = build(load_config(blog))
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)
    assert (result.rendered == 0) == (edit == "static")  # a .txt file is copied; no page depends on it


@pytest.mark.parametrize("change", ["uncite", "recite"])
def test_a_source_shows_where_it_is_cited_after_a_part_changes(tmp_path, change):
    """A theme part's body edit that drops (or adds back) its citations of the source article
    changes the source page's "Used in" notes: the warm build must redo the source page."""
    root = tmp_path / "seed"
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    part = root / "content/innovation/guangdong-accelerating-construction-strong-manufacturing.md"
    text = part.read_text()
    if change == "recite":
        part.write_text(re.sub(r"\{: data-src=[^}]*\}", "", text))
        build(load_config(root))
        part.write_text(text)
    else:
        build(load_config(root))
        part.write_text(re.sub(r"\{: data-src=[^}]*\}", "", text))
    build(load_config(root))
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def test_a_cited_sources_new_title_reaches_every_page_citing_it(tmp_path):
    """The theme pages' provenance marks say "Source: … of “<title>”": retitling the source
    article changes those pages' bodies although their files did not change (a body key that
    left out the cited sources' titles kept the old title on five theme pages)."""
    root = tmp_path / "seed"
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    source = root / "content/sources/guangdong-accelerating-construction-strong-manufacturing.md"
    old = "title: Guangdong is accelerating the construction of a strong manufacturing province\n"
    build(load_config(root))
    assert old in source.read_text()
    source.write_text(source.read_text().replace(old, "title: Guangdong builds a manufacturing powerhouse\n", 1))
    build(load_config(root))
    theme = (root / "_site/innovation/index.html").read_text()
    assert "Guangdong builds a manufacturing powerhouse" in theme
    assert "accelerating the construction of a strong manufacturing province”" not in theme
    assert tree(root / "_site") == clean_tree(root, tmp_path)


def test_only_what_changed_is_rendered(blog):
    build(load_config(blog))
    EDITS["body"](blog)
    result = build(load_config(blog))
    assert result.rendered == 1  # the page; its title and date did not change, so no list did
    EDITS["title"](blog)
    result = build(load_config(blog))
    # the page, the notes section, its tag, the home page's recent list, and the section's five other
    # pages: their sidebar lists the page by its title, and n2 and n4 link to it as prev/next
    assert result.rendered == 9
    assert "Renamed" in (blog / "_site/notes/index.html").read_text()


def age(root, seconds=60):
    """Make every input look saved a minute ago (a signature taken right after a save is not
    trusted, so a fresh test site would never be 'up to date')."""
    past = os.stat(root).st_mtime - seconds
    for p in root.rglob("*"):
        os.utime(p, (past, past), follow_symlinks=False)


def test_nothing_changed_is_up_to_date(blog):
    age(blog)
    first = build(load_config(blog))
    before = tree(blog / "_site")
    result = build(load_config(blog))
    assert result.up_to_date and result.pages == first.pages == 14
    assert tree(blog / "_site") == before


# modules an up-to-date check never needs: the renderer and what it imports, the site's reader
_HEAVY = ("site_builder.render.context", "site_builder.model.site", "site_builder.build.workers", "xml.sax.saxutils")
_PROBE = ("import sys\nfrom site_builder.commands.cli import main\nmain(sys.argv[1:])\n"
          f"print('imported:', *(m for m in {_HEAVY!r} if m in sys.modules))")


def test_an_up_to_date_site_is_checked_without_the_renderer(blog):
    """A build with nothing to do (a new process, as a user runs it) imports none of the modules
    that read and render a site: at 10,000 pages they were a fifth of its CPU. One with something
    to do imports them, but never xml.sax.saxutils (urllib.request, email and ssl with it)."""
    age(blog)
    build(load_config(blog))
    probe = [sys.executable, "-c", _PROBE, "-C", str(blog), "build"]
    # run from the site: `python -c` puts its working folder first on sys.path, and a checkout's
    # site_builder/ there would be imported instead of the one under test (make mutate's copy)
    checked = subprocess.run(probe, capture_output=True, text=True, timeout=120, cwd=blog)
    assert "Site is up to date" in checked.stdout, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == "imported:"
    (blog / "content/notes/n2.md").write_text(page("Note 2", "New words.", date="2024-01-03", tags=["even"]))
    built = subprocess.run(probe, capture_output=True, text=True, timeout=120, cwd=blog)
    assert "Built 14 pages" in built.stdout, built.stdout + built.stderr
    assert built.stdout.splitlines()[-1] == "imported: " + " ".join(_HEAVY[:3])


def test_a_deleted_output_folder_is_rebuilt(blog):
    build(load_config(blog))
    shutil.rmtree(blog / "_site")
    result = build(load_config(blog))
    assert not result.up_to_date and (blog / "_site/index.html").exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign-version", "other-site"])
def test_a_corrupt_or_foreign_cache_is_ignored_with_a_warning(blog, tmp_path, damage):
    config = load_config(blog)
    build(config)
    cache = Cache(config, config.output_dir)
    if damage == "garbage":
        cache.state_path.write_bytes(b"\x00not JSON")
    elif damage == "truncated":
        cache.state_path.write_bytes(cache.state_path.read_bytes()[:100])
    else:
        state = json.loads(cache.state_path.read_bytes())
        if damage == "foreign-version":
            state["version"] = "site_builder 0.0.1 cache 0"
        else:
            state["root"] = "/somewhere/else"
        cache.state_path.write_text(json.dumps(state))
    (blog / "content/notes/n0.md").write_text(page("Zero", "Changed.", date="2024-01-01", tags=["even"]))
    result = build(load_config(blog))
    expected = {"garbage": "the build cache is unreadable (corrupt?)", "truncated": "the build cache is unreadable (corrupt?)",
                "foreign-version": "the build cache is from another version of site-builder",
                "other-site": "the build cache belongs to another site"}[damage]
    assert [str(w) for w in result.warnings] == [
        f".cache/site-builder/{cache.state_path.name}: {expected}; ignoring the cache (it is rebuilt as the site builds)"]
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


def test_a_corrupt_body_cache_is_ignored(blog, tmp_path):
    config = load_config(blog)
    build(config)
    Cache(config, config.output_dir).bodies_path.write_bytes(b"garbage" * 100)
    EDITS["template"](blog)
    result = build(load_config(blog))
    assert any("rendered-Markdown cache is unreadable" in str(w) for w in result.warnings)
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


def test_parallel_output_is_byte_identical_to_serial(tmp_path):
    files = {f"content/s{i % 3}/p{i}.md": page(f"P{i}", f"# H{i}\n\nText [x](p{i}.md) *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
                                             date=f"2024-01-{1 + i % 28:02d}", tags=[f"t{i % 5}"]) for i in range(150)}
    root = write_site(tmp_path / "s", files)
    build(load_config(root), out=tmp_path / "serial", jobs=1, use_cache=False)
    build(load_config(root), out=tmp_path / "parallel", jobs=2, use_cache=False)
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def killed_journal(blog, move: dict[str, str], delete: list[str]) -> tuple[Path, Path]:
    """What a build killed while moving its files in leaves: its stage and its journal."""
    out = blog / "_site"
    stage = blog / "._site.stage-999999"
    for rel, text in move.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(text)
    (stage / MARKER_FILE).write_bytes(marker_bytes((set(owned_files(out)) - set(delete)) | set(move)))
    journal = blog / "._site.journal-999999"
    journal.write_text(json.dumps({"site-builder-journal": 1, "stage": stage.name, "move": list(move),
                                   "delete": delete, "marker": True}))
    return stage, journal


def test_a_journal_left_by_a_killed_build_is_completed(blog):
    config = load_config(blog)
    build(config)
    out = blog / "_site"
    stage, journal = killed_journal(blog, {"notes/n0/index.html": "new version"}, ["notes/n1/index.html"])
    assert recover(out, config) == []
    assert (out / "notes/n0/index.html").read_text() == "new version"
    assert not (out / "notes/n1").exists()
    assert not journal.exists() and not stage.exists()
    assert "notes/n1/index.html" not in owned_files(out) and "notes/n0/index.html" in owned_files(out)


def test_an_unfinished_journal_is_discarded(blog):
    config = load_config(blog)
    build(config)
    before = tree(blog / "_site")
    stage, journal = killed_journal(blog, {"x.html": "half"}, [])
    journal.write_text(journal.read_text()[:-20])  # killed while writing it
    warnings = recover(blog / "_site", config)
    assert [str(w) for w in warnings] == ["._site.journal-999999: discarded this build journal: it is incomplete "
                                          "or not a journal of this version of site-builder; nothing in it was done"]
    assert tree(blog / "_site") == before and not stage.exists() and not journal.exists()
