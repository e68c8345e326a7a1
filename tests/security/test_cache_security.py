"""The build cache is data, never code (issue 12, finding 19), and never the reason a build
goes wrong: a planted, hostile, damaged or foreign cache is ignored with a warning and the
site comes out as a clean build makes it. Also issue 16: a build warning no longer makes the
saved state unreadable."""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import pickle
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from site_builder.build import build
from site_builder.build.incremental.cache import Cache
from site_builder.model.config import load_config
from site_builder.model.yamlfile import LineDict

from conftest import ROOT, page, tree, write_site

PACKAGE = ROOT / "site_builder"
UNREADABLE = "the build cache is unreadable (corrupt?); ignoring the cache (it is rebuilt as the site builds)"


@pytest.fixture
def blog(tmp_path):
    files = {f"content/notes/n{i}.md": page(f"Note {i}", f"Text {i} [next](n{(i + 1) % 4}.md)\n\n## Part {i}\n\nMore.",
                                           date=f"2024-01-0{i + 1}", tags=["even" if i % 2 == 0 else "odd"])
             for i in range(4)}
    files["static/extra.txt"] = "static file"
    return write_site(tmp_path / "site", files)


def clean_tree(root: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(load_config(root), out=out, use_cache=False)
    return tree(out)


def edit(root: Path, n: int = 0, words: str = "Changed.") -> None:
    (root / f"content/notes/n{n}.md").write_text(page(f"Note {n}", words, date=f"2024-01-0{n + 1}", tags=["even"]))


def two_builds(root: Path) -> Cache:
    """A clean build, then a warm one that stores note 1's rendered body in the cache's table."""
    build(load_config(root))
    edit(root, 1, "Note one, *rendered* and kept.\n\n## A heading\n\nText.")
    build(load_config(root))
    config = load_config(root)
    return Cache(config, config.output_dir)


class Payload:
    """Unpickling this creates ``path`` (pickle calls open(path, 'w')): proof that a cache file ran code."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


# --- finding 19: a planted cache never runs ------------------------------------------------------

def test_a_planted_pickle_in_the_cache_is_never_executed(blog, tmp_path):
    """Finding 19: the build cache was a pickle; a planted one ran code on the next build. Every
    cache file (state, its summary, the rendered-Markdown table) now holds a payload that would
    create a file: the build must not create it, must say the cache is unreadable, and must
    make the same site as a clean build."""
    cache = two_builds(blog)
    ran = tmp_path / "payload-ran"
    bomb = pickle.dumps(Payload(ran))
    for path in (cache.state_path, cache.inputs_path):
        for planted in (path, path.with_suffix(".pickle"), path.with_suffix(".json")):
            planted.write_bytes(bomb)
    db = sqlite3.connect(cache.bodies_path)
    with db:
        assert db.execute("UPDATE body SET toc = ?", (bomb,)).rowcount > 0
    db.close()
    (blog / "templates").mkdir()
    (blog / "templates/page.html").write_text(  # every page is rendered again: every body is looked up
        "{% extends 'base.html' %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}")
    edit(blog)
    result = build(load_config(blog))
    assert not ran.exists()
    assert [str(w) for w in result.warnings] == [f".cache/site-builder/{cache.state_path.name}: {UNREADABLE}"]
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)
    edit(blog, 1)
    result = build(load_config(blog))  # the cache it wrote is good again
    assert result.warnings == [] and result.rendered < result.pages and not ran.exists()


def test_a_planted_rendered_markdown_table_is_never_executed(blog, tmp_path):
    """Finding 19, the second cache file: the rendered-Markdown table's tables of contents were
    pickles too, read whenever a changed page's body was found in it."""
    cache = two_builds(blog)
    ran = tmp_path / "payload-ran"
    db = sqlite3.connect(cache.bodies_path)
    with db:
        assert db.execute("UPDATE body SET toc = ?", (pickle.dumps(Payload(ran)),)).rowcount > 0
    db.close()
    (blog / "templates").mkdir()
    (blog / "templates/page.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}")
    result = build(load_config(blog))
    assert not ran.exists()
    assert any("the rendered-Markdown cache is unreadable" in str(w) for w in result.warnings)
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


def test_no_pickle_in_the_package():
    """Finding 19: no module of site_builder imports pickle (or marshal, shelve, dill): nothing it
    reads from disk can be code."""
    modules = sorted(PACKAGE.rglob("*.py"))  # every subpackage's modules too
    assert len(modules) > 40 and PACKAGE / "build" / "incremental" / "cache.py" in modules
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in modules
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.match(r"\s*(import|from)\s+(c?pickle|_pickle|marshal|shelve|dill|cloudpickle)\b", line)]
    assert found == []


# --- hostile or damaged JSON ---------------------------------------------------------------------

def _state(cache: Cache) -> dict:
    return json.loads(cache.state_path.read_bytes())


def _hostile(kind: str, state: dict, victim: Path) -> dict | bytes:
    if kind == "delete-outside":  # the next build deletes outputs it no longer makes
        state["outputs"][os.path.relpath(victim, state["out"])] = "0" * 32
    elif kind == "absolute-output":
        state["outputs"][str(victim)] = "0" * 32
    elif kind == "unknown-type":
        state["pages"]["meta"][0]["date"] = {"object": "os.system"}
    elif kind == "unhashable-key":
        state["pages"]["meta"][0]["extra"] = {"yaml": [1, [[[1, 2], "x", 2]]]}
    elif kind == "url-outside":  # a page lent by the cache is not read (and checked) again
        state["pages"]["url"][0] = "../../escape/"
    elif kind == "wrong-field-type":
        state["pages"]["url"][0] = 7
    elif kind == "missing-field":
        del state["pages"]["digest"]
    elif kind == "short-column":
        state["pages"]["kind"].pop()
    elif kind == "bad-signature":
        state["inputs"]["stat"][1][0] = "yesterday"
    elif kind == "bad-link-warning":
        state["pages"]["link_warnings"][0] = [["x.md", "one", "message"]]
    elif kind == "deep-nesting":
        return json.dumps(state)[:-1].encode() + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    elif kind == "huge-integer":
        return json.dumps(state).replace('"scanned_ns":', '"scanned_ns":' + "9" * 5000 + ", \"y\":").encode()
    elif kind == "not-an-object":
        return b"[1, 2, 3]"
    return state


HOSTILE = ["delete-outside", "absolute-output", "url-outside", "unknown-type", "unhashable-key", "wrong-field-type", "missing-field",
           "short-column", "bad-signature", "bad-link-warning", "deep-nesting", "huge-integer", "not-an-object"]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_json_cache_is_ignored_with_a_warning(blog, tmp_path, kind):
    """Finding 19: the JSON cache is checked field by field; a file with the right version and
    site but the wrong shape, an unknown type, or output names outside the output folder (which
    the next build would delete) is ignored with a warning, and nothing outside is touched."""
    config = load_config(blog)
    build(config)
    cache = Cache(config, config.output_dir)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    data = _hostile(kind, _state(cache), victim)
    cache.state_path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    cache.inputs_path.unlink()  # else "nothing changed" would not read the state
    edit(blog)
    result = build(load_config(blog))
    assert [str(w) for w in result.warnings] == [f".cache/site-builder/{cache.state_path.name}: {UNREADABLE}"]
    assert victim.read_text() == "keep me"
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


def test_every_truncation_of_the_state_is_a_warning_and_a_correct_site(blog, tmp_path):
    """A cache cut short anywhere (a full disk, a killed copy) is one warning, never an error."""
    config = load_config(blog)
    build(config)
    cache = Cache(config, config.output_dir)
    whole = cache.state_path.read_bytes()
    expected = None
    for i, cut in enumerate([0, 1, len(whole) // 7, len(whole) // 3, len(whole) // 2, len(whole) - 2, len(whole) - 1]):
        cache.state_path.write_bytes(whole[:cut])
        cache.inputs_path.unlink(missing_ok=True)
        edit(blog, words=f"Edit {i}.")
        result = build(load_config(blog))
        assert [str(w) for w in result.warnings] == [f".cache/site-builder/{cache.state_path.name}: {UNREADABLE}"], cut
        expected = clean_tree(blog, tmp_path)
        assert tree(blog / "_site") == expected, cut
        cache.state_path.write_bytes(whole)


def test_a_damaged_summary_falls_back_to_the_state(blog):
    """The small 'did anything change' file is only a shortcut: damaged, the state is read."""
    config = load_config(blog)
    build(config)
    cache = Cache(config, config.output_dir)
    cache.inputs_path.write_bytes(b'{"kind": "site-builder build cache", "version": 1}')
    edit(blog)
    result = build(load_config(blog))
    assert result.warnings == [] and result.rendered == 1


def test_a_copied_project_never_uses_its_copied_cache_output(blog, tmp_path):
    """A cache that came with a project (copied, unpacked, cloned: new files) cannot put its HTML
    in the site: rendered bodies are reused only while the output folder is the one this cache
    recorded (its marker file's identity), which a copy never is."""
    cache = two_builds(blog)
    db = sqlite3.connect(cache.bodies_path)
    with db:
        assert db.execute("UPDATE body SET html = '<script>alert(1)</script>'").rowcount > 0
    db.close()
    shutil.move(blog, tmp_path / "original")
    shutil.copytree(tmp_path / "original", blog, symlinks=True)  # same path, same times, new inodes
    edit(blog)
    build(load_config(blog))
    assert not any(b"alert(1)" in p.read_bytes() for p in (blog / "_site").rglob("*.html"))
    assert tree(blog / "_site") == clean_tree(blog, tmp_path)


# --- issue 16: warnings round-trip -----------------------------------------------------------------

def test_a_build_warning_survives_the_cache(tmp_path):
    """Issue 16 (and finding 19's 'decode exactly'): a link warning was kept in the state as a
    SiteError, which pickle could write but not read back, so after any warning every build said
    'the build cache is unreadable' and rebuilt everything. Now the warning is stored as data: two
    warm builds render nothing, repeat the warning, and say nothing about the cache."""
    root = write_site(tmp_path / "site", {
        "content/a.md": page("A", "A [bad link](javascript:alert(1)) here."),
        "content/b.md": page("B", "B."),
        "static/extra.txt": "one",
    })
    warning = "content/a.md:4: link to 'javascript:alert(1)' dropped: javascript:, vbscript: and data: links are not allowed"
    first = build(load_config(root))
    assert [str(w) for w in first.warnings] == [warning]
    for text in ("two", "three"):
        (root / "static/extra.txt").write_text(text)  # a change no page depends on
        result = build(load_config(root))
        assert [str(w) for w in result.warnings] == [warning]
        assert result.rendered == 0 and not result.up_to_date


# --- exact round trips ---------------------------------------------------------------------------

YAML_EXTRA = """extra:
  when: 2024-03-01 10:20:30.5+02:00
  naive: 2024-03-01 10:20:30
  day: 2024-03-01
  blob: !!binary aGVsbG8=
  tags: !!set {a, b}
  order: !!omap [{x: 1}, {y: 2}]
  big: 123456789012345678901234567890
  neg: -0x1F
  inf: .inf
  1: int key
  2024-01-01: date key
  null: null key
  3.5: float key
  nested: {deep: [{a: 1, b: [2024-05-06, "x"]}]}
"""


def same(a, b) -> bool:
    """Equal, of the same types all the way down, with the same YAML lines (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, LineDict) and (a.line != b.line or a.key_lines != b.key_lines):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def test_the_state_of_a_real_site_round_trips_exactly(tmp_path):
    """The seed site (sources, parts, figures, lists and terms from real articles) plus a page
    with every YAML type in its front matter: the state read back equals the state written, with
    the same types and the same key lines."""
    from site_builder.build.incremental.state import dump_state, load_state, state_header

    root = tmp_path / "seed"
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    (root / "content/types.md").write_text(f"---\ntitle: Types\ndate: 2024-01-02\n{YAML_EXTRA}---\nBody.\n")
    config = load_config(root)
    state = build(config).state
    assert any(p.meta.get("figures") for _, p in state.pages.values())
    back = load_state(state_header(dump_state(state)), str(config.content_dir))
    assert back == state
    for rel, (sig, p) in state.pages.items():
        assert same(back.pages[rel][1].meta, p.meta), rel
        assert same(back.pages[rel][1].scan.links, p.scan.links) and back.pages[rel][0] == sig


def yaml_values():
    scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**80, max_value=10**80)
               | st.floats() | st.text() | st.binary(max_size=20) | st.dates()
               | st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d if d.tzinfo is None
                                                                        else d.astimezone(dt.timezone(d.utcoffset()))))
    keys = st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.dates()

    def line_dict(items):
        d = LineDict(line=items[0])
        for k, v, line in items[1]:
            d[k] = v
            if line is not None:
                d.key_lines[k] = line
        return d

    return st.recursive(scalars, lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.frozensets(keys, max_size=3).map(set)
        | st.dictionaries(keys, inner, max_size=4)
        | st.tuples(st.integers(0, 10**6), st.lists(st.tuples(keys, inner, st.none() | st.integers(0, 10**6)),
                                                    max_size=4)).map(line_dict)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(yaml_values())
def test_every_front_matter_value_round_trips_exactly(value):
    """Whatever YAML can give (and LineDicts with their lines), stored and read back, is the same
    value with the same types."""
    from site_builder.build.incremental.jsondata import decode_value, encode_value

    assert same(decode_value(json.loads(json.dumps(encode_value(value)))), value)


@pytest.mark.parametrize("stored", [{"yaml": 1}, {"date": "2024-13-01"}, {"set": [[1]]}, {"int": "12"},
                                    {"bytes": "not base64!"}, {"date": "x", "set": []}, {"eval": "1+1"}])
def test_a_value_that_is_not_exactly_ours_is_unreadable(stored):
    from site_builder.build.incremental.jsondata import Unreadable, decode_value

    with pytest.raises(Unreadable):
        decode_value(stored)
