"""The one ignore rule (``fs.ignored``, README "Content"): the same names are skipped by the
content and static walk, template lookup, ingest's seed list, the build's input scan and the dev
server's watch. Before, four rules disagreed: a ``x.swx`` in static/ was published but never
watched, a ``#a.txt#`` autosave in seeds/ was ingested as an article."""
import pytest

from site_builder.build.incremental.inputs import scan_inputs
from site_builder.commands.changes import Folders, kind_of
from site_builder.fs import ignored
from site_builder.ingest import seed_files
from site_builder.model.config import load_config

from conftest import SEED, page, run, write_site

# (name, ignored) — the reason in the comment, written from the rule, not from the code
NAMES = [
    (".git", True),               # hidden
    (".DS_Store", True),          # hidden
    (".a.md.swp", True),          # hidden (vim's swap file of a.md)
    (".#a.md", True),             # hidden (Emacs' lock file)
    (".a.md.tmp-1234", True),     # hidden (site-builder's own temporary)
    ("a.md~", True),              # backup
    ("#a.md#", True),             # Emacs autosave
    ("a.md.swp", True),           # swap file kept beside the file
    ("a.swx", True),              # vim's second swap file
    ("a.md.tmp", True),           # temporary
    ("a.md.tmp-99", True),        # temporary of another tool
    ("__pycache__", True),        # Python's byte-code folder
    ("a.md", False),
    ("4913", False),              # vim's probe file: a plain name, seen and gone at once
    ("tmp", False),               # a folder called tmp is content
    ("a.tmpl", False),
    ("swp", False),
    ("a.swp.md", False),
    ("a~b.md", False),
    ("~a.md", False),
    ("#tag", False),              # one '#' only
    ("C#", False),
    ("file#1#.md", False),        # not '#…#' as a whole
    ("__init__.py", False),
    ("_index.md", False),
]


@pytest.mark.parametrize("name,expected", NAMES)
def test_the_rule(name, expected):
    assert ignored(name) is expected


JUNK = [name for name, junk in NAMES if junk and name != ".git"]


@pytest.fixture
def junky(tmp_path):
    """A site with every ignored name beside a real file in content/, static/, templates/ and seeds/."""
    files = {"content/index.md": page("Home"), "static/style.txt": "css", "seeds/a.txt": SEED.read_text(),
             "templates/page.html": "{% extends 'base.html' %}"}
    for name in JUNK:
        files[f"content/{name}"] = page("Junk", "junk") if not name == "__pycache__" else ""
        files[f"static/{name}"] = "junk"
        files[f"seeds/{name}"] = SEED.read_text()
        files[f"templates/{name}"] = "junk"
    for folder in ("content", "static", "seeds", "templates"):
        files.pop(f"{folder}/__pycache__")
        files[f"{folder}/__pycache__/x.md"] = page("Cached", "junk")
    return write_site(tmp_path / "site", files)


def test_every_stage_skips_the_same_names(junky):
    config = load_config(junky)
    roots = ("content", "static", "seeds", "templates")
    # ingest: only the real article
    assert [p.name for p in seed_files(config)] == ["a.txt"]
    result = run("ingest", cwd=junky)
    assert result.returncode == 0, result.stderr
    articles = [line.split(" → ")[0] for line in result.stdout.splitlines() if line.startswith("seeds/")]
    assert articles == ["seeds/a.txt"]
    # build: none is published, none is an error
    result = run("build", cwd=junky)
    assert result.returncode == 0, result.stderr
    out = junky / "_site"
    published = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert "style.txt" in published
    ours = {".nojekyll", ".site-builder.json"}  # site-builder's own hidden files
    assert [p for p in published if p not in ours and any(ignored(part) for part in p.split("/"))] == []
    # the build's input scan (also the dev server's polling walk) sees none of them, and the
    # dev server's classifier drops every one of them that inotify reports
    scanned = scan_inputs(config)
    folders = Folders.of(config)
    reported = [str(p) for r in roots for p in (junky.resolve() / r).rglob("*")]
    watched = [p for p in reported if kind_of(p, folders) is not None]
    for seen in (scanned, watched):
        names = {part for path in seen for part in path[len(str(junky)) + 1:].split("/")}
        assert names.isdisjoint(JUNK), names & set(JUNK)
        assert any(path.endswith("static/style.txt") for path in seen)


def test_a_template_with_an_ignored_name_is_refused(site):
    """A template the input scan does not watch would leave stale pages after an edit: refused."""
    root = site({"content/a.md": page("A"), "templates/page.html": "{% include '.part.html' %}",
                 "templates/.part.html": "part"})
    result = run("build", cwd=root)
    assert result.returncode == 1
    assert result.stderr == ("templates/.part.html: site-builder ignores this name (hidden, or an editor's "
                             "backup), so an edit to it would not rebuild the site; rename it\n")
