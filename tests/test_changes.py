"""The dev server's change classifier (commands/changes.py): which kind each changed path is,
and which named steps a burst of changes asks for. Pure: no watcher, no server."""
from pathlib import Path

import pytest

from site_builder.commands.changes import Folders, Kind, Plan, Step, classify, kind_of
from site_builder.model import theme
from site_builder.model.config import load_config

from conftest import write_site

S = Path("/site")
THEME = Path("/pkg/site_builder/theme")
FOLDERS = Folders(config=S / "site.yaml", seeds=S / "seeds", templates=(S / "templates", THEME),
                  static=(S / "static", S / "templates/static", THEME / "static"), content=S / "content",
                  outputs=(S / "_site", S / ".cache"), allowed=(S,))


@pytest.mark.parametrize("path,kind", [
    ("/site/site.yaml", Kind.CONFIG),
    ("/site/content/a.md", Kind.CONTENT),
    ("/site/content/guides/deep/b.md", Kind.CONTENT),
    ("/site/content/img/logo.png", Kind.CONTENT),          # a page's asset is content
    ("/site/content", Kind.CONTENT),                        # the folder itself (made, removed, replaced)
    ("/site/content/4913", Kind.CONTENT),                   # vim's probe file is a real name
    ("/site/seeds/article.txt", Kind.SEEDS),
    ("/site/templates/page.html", Kind.TEMPLATES),
    ("/site/templates/partials/nav.html", Kind.TEMPLATES),
    ("/site/templates", Kind.TEMPLATES),
    ("/site/templates/static/style.css", Kind.STATIC),      # a theme's static/ is copied, not rendered
    ("/pkg/site_builder/theme/base.html", Kind.TEMPLATES),  # the default theme
    ("/pkg/site_builder/theme/static/style.css", Kind.STATIC),
    ("/site/static/logo.png", Kind.STATIC),
    ("/site/static/js/x.js", Kind.STATIC),
    # ignored: editors' files, hidden files and folders, the output and cache, anything elsewhere
    ("/site/content/.a.md.swp", None),
    ("/site/content/a.md~", None),
    ("/site/content/#a.md#", None),
    ("/site/content/.#a.md", None),
    ("/site/content/a.md.tmp", None),
    ("/site/content/.git/index", None),
    ("/site/content/.drafts/a.md", None),
    ("/site/templates/.page.html.swp", None),
    ("/site/seeds/.article.txt.swp", None),
    ("/site/_site/index.html", None),
    ("/site/_site", None),
    ("/site/.cache/state.json", None),
    ("/site/site.yaml~", None),
    ("/site/.site.yaml.swp", None),
    ("/site/README.md", None),
    ("/site/contented/a.md", None),                         # a name that merely starts like content
    ("/elsewhere/content/a.md", None),
])
def test_kind_of_each_path(path, kind):
    assert kind_of(path, FOLDERS) is kind


def test_the_innermost_folder_decides():
    """static_dir inside content_dir: its files are static files; the cache inside content is no change."""
    folders = Folders(config=S / "site.yaml", seeds=S / "content/seeds", templates=(S / "templates",),
                      static=(S / "content/static",), content=S / "content",
                      outputs=(S / "_site", S / "content/cache"), allowed=(S,))
    assert kind_of("/site/content/static/x.css", folders) is Kind.STATIC
    assert kind_of("/site/content/seeds/a.txt", folders) is Kind.SEEDS
    assert kind_of("/site/content/a.md", folders) is Kind.CONTENT
    assert kind_of("/site/content/cache/bodies.sqlite", folders) is None
    assert folders.roots() == [S / "site.yaml", S / "content", S / "templates"]  # none inside another


@pytest.mark.parametrize("paths,kinds,steps", [
    (["/site/content/a.md"], [Kind.CONTENT], (Step.BUILD,)),
    (["/site/templates/page.html"], [Kind.TEMPLATES], (Step.BUILD,)),
    (["/site/static/a.css"], [Kind.STATIC], (Step.BUILD,)),
    (["/site/seeds/a.txt"], [Kind.SEEDS], (Step.INGEST, Step.BUILD)),
    (["/site/site.yaml"], [Kind.CONFIG], (Step.RELOAD_CONFIG, Step.REWATCH, Step.BUILD)),
    (["/site/content/b.md", "/site/seeds/a.txt", "/site/site.yaml", "/site/content/a.md"],
     [Kind.CONFIG, Kind.SEEDS, Kind.CONTENT], (Step.RELOAD_CONFIG, Step.REWATCH, Step.INGEST, Step.BUILD)),
])
def test_a_burst_becomes_a_plan_of_named_steps(paths, kinds, steps):
    plan = classify(paths, FOLDERS)
    assert list(plan.changed) == kinds
    assert plan.steps == steps


def test_a_burst_of_nothing_that_matters_is_no_plan():
    assert classify([], FOLDERS) is None
    assert classify(["/site/content/.a.md.swp", "/site/_site/a/index.html", "/site/content/a.md~"], FOLDERS) is None


def test_a_plan_keeps_only_what_matters_and_says_what_changed():
    plan = classify(["/site/content/b.md", "/site/content/.b.md.swp", "/site/content/a.md", "/site/_site/x"], FOLDERS)
    assert plan == Plan({Kind.CONTENT: ("/site/content/a.md", "/site/content/b.md")})
    shown = lambda p: Path(p).relative_to(S).as_posix()  # noqa: E731
    assert plan.describe(shown) == "content: 2 files changed"
    assert classify(["/site/content/a.md"], FOLDERS).describe(shown) == "content: 1 file changed (content/a.md)"
    assert (classify(["/site/content/a.md", "/site/site.yaml", "/site/content/b.md"], FOLDERS).describe(shown)
            == "config: 1 file, content: 2 files changed")
    assert classify(["/site/seeds/x.txt"], FOLDERS).seeds == ("/site/seeds/x.txt",)


def test_folders_of_a_real_site(tmp_path):
    """From site.yaml, folders that do not exist yet included (templates/ made later overrides
    the default theme); the default theme and its static/ too; output and cache never watched."""
    root = write_site(tmp_path / "site", {"pages/a.md": "x", "pages/static/x.css": ""},
                      "title: T\ncontent_dir: pages\nstatic_dir: pages/static\noutput_dir: ../out\n")
    folders = Folders.of(load_config(root))
    root = root.resolve()
    default = theme.THEME_DIR.resolve()
    assert folders.roots() == [root / "site.yaml", root / "pages", root / "seeds", root / "templates", default]
    assert folders.outputs == (tmp_path.resolve() / "out", root / ".cache")
    assert kind_of(str(root / "pages/static/x.css"), folders) is Kind.STATIC
    assert kind_of(str(root / "templates/page.html"), folders) is Kind.TEMPLATES
    assert kind_of(str(default / "static/style.css"), folders) is Kind.STATIC
    assert kind_of(str(root / "content/a.md"), folders) is None  # not the content folder any more
