"""The build cache's pages as a base and a delta (site_builder/build/incremental/base.py): a build
writes back the base's bytes as they were and encodes only the rows of the pages that differ from
it (changed, added, renamed; a lent page whose git date changed) and the names of those removed;
a damaged delta is ignored like a damaged state. Expected rows are written by hand from the edits."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build.incremental import base
from site_builder.build.incremental.cache import Cache
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page, tree, write_site
from test_gitinfo import commit, git

UNREADABLE = "the build cache is unreadable (corrupt?); ignoring the cache (it is rebuilt as the site builds)"
HEAD = b'{"pages":'


@pytest.fixture
def docs(tmp_path) -> Path:
    return write_site(tmp_path / "site", {
        "content/a.md": page("Alpha", "Text a.", date="2024-01-01"),
        "content/b.md": page("Beta", "Text b.", date="2024-01-02"),
        "content/c.md": page("Gamma", "Text c.", date="2024-01-03"),
        "content/docs/d.md": page("Delta", "Text d."),
        "static/extra.txt": "one",
    })


def cache_of(root: Path) -> Cache:
    config = load_config(root)
    return Cache(config, config.output_dir)


def saved(root: Path) -> dict:
    return json.loads(cache_of(root).state_path.read_bytes())


def delta(root: Path) -> tuple[list[str], list[str]]:
    """(the rels of the delta's rows, the names it removes)"""
    d = saved(root)["delta"]
    return d["rows"]["rel"], d["removed"]


def base_bytes(root: Path) -> bytes:
    data = cache_of(root).state_path.read_bytes()
    assert data.startswith(HEAD)
    _, end = json.JSONDecoder().raw_decode(data.decode("ascii"), len(HEAD))
    return data[:end]


def loaded(root: Path) -> dict:
    """rel -> title of each page of the state as the next build reads it."""
    state = cache_of(root).load(None)
    assert state is not None
    return {rel: p.meta["title"] for rel, (_, p) in state.pages.items()}


def clean(root: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(load_config(root), out=out, use_cache=False)
    return tree(out)


ALL = {"a.md": "Alpha", "b.md": "Beta", "c.md": "Gamma", "docs/d.md": "Delta"}


def test_a_changed_page_is_the_only_row_written_and_the_base_is_kept_byte_for_byte(docs, tmp_path):
    build(load_config(docs))
    assert sorted(saved(docs)["pages"]["rel"]) == ["a.md", "b.md", "c.md", "docs/d.md"]
    assert delta(docs) == ([], [])
    first = base_bytes(docs)
    (docs / "content/b.md").write_text(page("Beta two", "Text b, changed.", date="2024-01-02"))
    assert build(load_config(docs)).warnings == []
    assert delta(docs) == (["b.md"], [])
    assert base_bytes(docs) == first
    assert loaded(docs) == {**ALL, "b.md": "Beta two"}
    (docs / "static/extra.txt").write_text("two")  # a build that reads no page: b.md is lent by the delta
    result = build(load_config(docs))
    assert result.warnings == [] and not result.up_to_date
    assert delta(docs) == (["b.md"], []) and base_bytes(docs) == first
    assert loaded(docs) == {**ALL, "b.md": "Beta two"}
    assert tree(docs / "_site") == clean(docs, tmp_path)


def test_added_removed_and_renamed_pages(docs, tmp_path):
    build(load_config(docs))
    first = base_bytes(docs)
    (docs / "content/docs/e.md").write_text(page("Epsilon", "Text e."))
    build(load_config(docs))
    assert delta(docs) == (["docs/e.md"], [])
    (docs / "content/a.md").unlink()
    build(load_config(docs))
    assert delta(docs) == (["docs/e.md"], ["a.md"])
    (docs / "content/c.md").rename(docs / "content/f.md")
    result = build(load_config(docs))
    assert result.warnings == []
    rows, removed = delta(docs)
    assert sorted(rows) == ["docs/e.md", "f.md"] and sorted(removed) == ["a.md", "c.md"]
    assert base_bytes(docs) == first
    assert loaded(docs) == {"b.md": "Beta", "f.md": "Gamma", "docs/d.md": "Delta", "docs/e.md": "Epsilon"}
    assert tree(docs / "_site") == clean(docs, tmp_path)


def test_a_larger_delta_makes_a_new_base(docs, tmp_path, monkeypatch):
    monkeypatch.setattr(base, "MIN_DELTA", 1)  # 4 pages: a delta of 2 rows is over the limit
    build(load_config(docs))
    first = base_bytes(docs)
    (docs / "content/a.md").write_text(page("Alpha two", "Text a, changed.", date="2024-01-01"))
    build(load_config(docs))
    assert delta(docs) == (["a.md"], []) and base_bytes(docs) == first
    (docs / "content/b.md").write_text(page("Beta two", "Text b, changed.", date="2024-01-02"))
    build(load_config(docs))
    assert delta(docs) == ([], []) and base_bytes(docs) != first
    assert sorted(saved(docs)["pages"]["rel"]) == ["a.md", "b.md", "c.md", "docs/d.md"]
    assert loaded(docs) == {**ALL, "a.md": "Alpha two", "b.md": "Beta two"}
    assert tree(docs / "_site") == clean(docs, tmp_path)


def test_a_lent_page_whose_git_date_changed_is_written_again(site):
    """The page's file does not change (it is lent by the cache, not read), its last commit does:
    its new ``updated`` date must be in the saved state, else the next build would lend the old one."""
    root = site({"content/a.md": page("A", date="2024-01-01"), "content/b.md": page("B", updated="2020-02-02")},
                {**BASE_CONFIG, "lastmod_from_git": True})
    git(root, "init", "-q")
    commit(root, "2024-03-05T12:00:00+00:00", ".")
    past = os.stat(root / "content").st_mtime - 60  # every file saved a minute ago: trusted, so lent
    for p in root.rglob("*"):
        os.utime(p, (past, past))
    build(load_config(root))
    assert build(load_config(root)).up_to_date and delta(root) == ([], [])
    assert str(cache_of(root).load(None).pages["a.md"][1].meta["updated"]) == "2024-03-05"
    git(root, "commit", "--amend", "-q", "--no-edit", "--reset-author", date="2024-09-09T10:00:00+00:00")
    result = build(load_config(root))
    assert not result.up_to_date and result.warnings == []
    assert delta(root) == (["a.md"], [])
    state = cache_of(root).load(None)
    assert str(state.pages["a.md"][1].meta["updated"]) == "2024-09-09"
    assert str(state.pages["b.md"][1].meta["updated"]) == "2020-02-02"
    assert 'Updated <time datetime="2024-09-09">' in (root / "_site/a/index.html").read_text()


def _damage(kind: str, state: dict) -> None:
    d = state["delta"]
    if kind == "removes-unknown":
        d["removed"].append("nowhere.md")
    elif kind == "removes-twice":
        d["removed"] += ["a.md", "a.md"]
    elif kind == "removes-its-own-row":
        d["removed"].append("b.md")
    elif kind == "row-url-outside":  # a page lent by the cache is not read (and checked) again
        d["rows"]["url"][0] = "../../escape/"
    elif kind == "row-short-column":
        d["rows"]["kind"].pop()
    elif kind == "row-bad-meta":
        d["rows"]["meta"][0]["date"] = {"object": "os.system"}
    elif kind == "not-a-delta":
        state["delta"] = [1, 2]
    elif kind == "no-delta":
        del state["delta"]


DAMAGE = ["removes-unknown", "removes-twice", "removes-its-own-row", "row-url-outside", "row-short-column",
          "row-bad-meta", "not-a-delta", "no-delta"]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_delta_is_ignored_with_a_warning(docs, tmp_path, kind):
    build(load_config(docs))
    (docs / "content/b.md").write_text(page("Beta two", "Text b, changed.", date="2024-01-02"))
    build(load_config(docs))
    cache = cache_of(docs)
    state = saved(docs)
    assert list(state)[0] == "pages" and state["delta"]["rows"]["rel"] == ["b.md"]
    _damage(kind, state)
    # written as the build writes it (the base first, compact): read by the quick split of the file
    cache.state_path.write_bytes(json.dumps(state, separators=(",", ":")).encode())
    assert cache.state_path.read_bytes().startswith(HEAD)
    cache.inputs_path.unlink()  # else "nothing changed" would not read the state
    (docs / "content/c.md").write_text(page("Gamma two", "Text c, changed.", date="2024-01-03"))
    result = build(load_config(docs))
    assert [str(w) for w in result.warnings] == [f".cache/site-builder/{cache.state_path.name}: {UNREADABLE}"]
    assert tree(docs / "_site") == clean(docs, tmp_path)


def test_a_file_not_split_as_written_is_read_whole(docs, tmp_path):
    """Another writer's JSON (spaces, other key order) is the same state: read whole, no warning,
    and the next save makes a new base of it."""
    build(load_config(docs))
    (docs / "content/b.md").write_text(page("Beta two", "Text b, changed.", date="2024-01-02"))
    build(load_config(docs))
    cache = cache_of(docs)
    state = saved(docs)
    cache.state_path.write_text(json.dumps(dict(reversed(state.items())), indent=1))
    cache.inputs_path.unlink()
    assert loaded(docs) == {**ALL, "b.md": "Beta two"}
    (docs / "static/extra.txt").write_text("two")
    assert build(load_config(docs)).warnings == []
    assert delta(docs) == ([], []) and base_bytes(docs).startswith(HEAD)
    assert loaded(docs) == {**ALL, "b.md": "Beta two"}
    assert tree(docs / "_site") == clean(docs, tmp_path)


def test_a_lent_page_whose_links_resolve_anew_is_written_again(docs, tmp_path):
    """a.md does not change, the page it links to moves: a.md's links entry (not its page) differs."""
    (docs / "content/a.md").write_text(page("Alpha", "See [beta](b.md).", date="2024-01-01"))
    past = os.stat(docs / "content").st_mtime - 60  # a.md saved a minute ago: trusted, so lent
    os.utime(docs / "content/a.md", (past, past))
    build(load_config(docs))
    assert cache_of(docs).load(None).links["a.md"][1] == {"b.md": "/b/"}
    (docs / "content/b.md").write_text(page("Beta", "Text b.", date="2024-01-02", slug="beta-moved"))
    assert build(load_config(docs)).warnings == []
    assert sorted(delta(docs)[0]) == ["a.md", "b.md"]
    assert cache_of(docs).load(None).links["a.md"][1] == {"b.md": "/beta-moved/"}
    assert tree(docs / "_site") == clean(docs, tmp_path)
