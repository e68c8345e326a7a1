"""Symbolic links never lead a build or an ingest out of the project: issue 12, finding 2, and
the issue's "Never follow a link out of the project". Links inside the project keep working."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.build.incremental.inputs import scan_inputs
from site_builder.errors import SiteError
from site_builder.ingest import ingest
from site_builder.model import theme as default_theme
from site_builder.model.config import load_config
from site_builder.paths import inside, link_problem

from conftest import SEED, page, tree, write_site

SECRET = "SECRET-7f3a9c"  # what must never reach _site/ or content/


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, holding files a link could point at."""
    d = tmp_path / "outside"
    (d / "docs").mkdir(parents=True)
    (d / "id_rsa").write_text(f"-----BEGIN KEY----- {SECRET}\n")
    (d / "secret.md").write_text(page("Leaked", SECRET))
    (d / "docs/leak.md").write_text(page("Leaked too", SECRET))
    (d / "page.html").write_text(SECRET + " {{ page.title }}\n")
    (d / "article.txt").write_text(f"A headline\n\nThe article's only paragraph, {SECRET}, is long enough.\n")
    return d


def project(tmp_path: Path, links: dict[str, Path], files: dict | None = None) -> Path:
    root = write_site(tmp_path / "site", {"content/index.md": page("Home"), **(files or {})})
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target)
    return root


def leaked(root: Path) -> list[str]:
    """Files of _site/ or content/ that hold the secret."""
    return [str(p) for d in ("_site", "content") if (root / d).is_dir() for p in (root / d).rglob("*")
            if p.is_file() and not p.is_symlink() and SECRET in p.read_text(errors="replace")]


def build_error(root: Path) -> str:
    with pytest.raises(SiteError) as e:
        build(load_config(root), jobs=1)
    return str(e.value)


def outside_message(rel: str, target: Path, what: str = "file") -> str:
    return (f"{rel}: symbolic link to a {what} outside the project ({target}); copy it into the project "
            "or remove the link")


@pytest.mark.parametrize("rel,target,what", [
    ("content/leak.md", "secret.md", "file"),              # a page
    ("content/files/key.txt", "id_rsa", "file"),           # an asset under content/
    ("content/docs", "docs", "folder"),                    # a folder of pages
    ("static/key.txt", "id_rsa", "file"),                  # static/
    ("templates/static/key.txt", "id_rsa", "file"),        # the site's templates/static/
    ("templates/page.html", "page.html", "file"),          # a template: must not render the target
])
def test_finding_2_a_link_out_of_the_project_is_an_error_naming_the_link(tmp_path, outside, rel, target, what):
    """Finding 2: a link in content/, static/, templates/static/ or templates/ to a file outside
    the project (a private key, /etc/passwd) was copied into _site/ or rendered. Now it is an
    error naming the link, and the secret is not published."""
    root = project(tmp_path, {rel: outside / target}, {"content/a.md": page("A")})
    assert build_error(root) == outside_message(rel, outside / target, what)
    assert not (root / "_site").exists() and leaked(root) == []


def test_finding_2_a_link_out_of_the_project_keeps_the_last_good_site(tmp_path, outside):
    """Finding 2: the refused link leaves the previous site as it was (nothing half-copied)."""
    root = project(tmp_path, {})
    build(load_config(root), jobs=1)
    before = tree(root / "_site")
    (root / "static").mkdir()
    (root / "static/passwd").symlink_to(outside / "id_rsa")
    assert build_error(root) == outside_message("static/passwd", outside / "id_rsa")
    assert tree(root / "_site") == before and leaked(root) == []


def test_finding_2_a_linked_input_folder_is_an_error(tmp_path, outside):
    """Finding 2: the content/ folder itself (or static/, templates/, seeds/) linked out of the
    project is refused by name; site.yaml may still place a folder outside on purpose."""
    root = project(tmp_path, {})
    shutil.rmtree(root / "content")
    (root / "content").symlink_to(outside / "docs")
    assert build_error(root) == outside_message("content", outside / "docs", "folder")
    assert not (root / "_site").exists()
    (root / "content").unlink()
    (root / "site.yaml").write_text((root / "site.yaml").read_text() + f"content_dir: {outside / 'docs'}\n")
    build(load_config(root), jobs=1)  # named in site.yaml: the user's choice, not a planted link
    assert (root / "_site/leak/index.html").is_file()


def test_finding_2_a_linked_site_yaml_is_an_error(tmp_path, outside):
    """Finding 2: site.yaml itself read through a link out of the project."""
    root = project(tmp_path, {})
    (outside / "site.yaml").write_text((root / "site.yaml").read_text())
    (root / "site.yaml").unlink()
    (root / "site.yaml").symlink_to(outside / "site.yaml")
    with pytest.raises(SiteError) as e:
        load_config(root)
    assert str(e.value) == outside_message("site.yaml", outside / "site.yaml")


def test_finding_2_ingest_refuses_a_linked_seed(tmp_path, outside):
    """Finding 2: a linked seed was ingested and published as a source page. Now ingest refuses
    it (also when named on the command line) and writes nothing."""
    root = project(tmp_path, {"seeds/article.txt": outside / "article.txt"})
    shutil.copy(SEED, root / "seeds/guangdong.txt")
    for files in (None, [root / "seeds/article.txt"]):
        with pytest.raises(SiteError) as e:
            ingest(load_config(root), files)
        assert str(e.value) == outside_message("seeds/article.txt", outside / "article.txt")
        assert sorted(p.name for p in (root / "content").rglob("*")) == ["index.md"]
    assert leaked(root) == []


def test_finding_2_a_seed_field_through_a_link_is_not_read(tmp_path, outside):
    """Finding 2: `seed:` names the article a source page's facts are checked against; a seed
    reached through a link out of the project is an error, not read."""
    root = project(tmp_path, {"seeds/article.txt": outside / "article.txt"},
                   {"content/sources/article.md": page("Article", "The article's only paragraph.",
                                                       seed="seeds/article.txt"),
                    "content/a.md": page("A", figures=[{"id": "f1", "value": 1, "label": "x",
                                                        "text": "only", "source": "article#p1"}])})
    assert build_error(root) == ("content/sources/article.md:3: seed 'seeds/article.txt' is a symbolic link to a "
                                 f"file outside the project ({outside / 'article.txt'}); copy it into the project "
                                 "or remove the link")


def test_finding_2_the_input_scan_does_not_walk_out_of_the_project(tmp_path, outside):
    """Finding 2: the build's first step (the cache's input scan) followed every link, so a link to
    / walked the whole disk before any check. It records the link and stops there."""
    root = project(tmp_path, {"content/docs": outside / "docs", "content/loop": Path(".")})
    inputs = scan_inputs(load_config(root))
    assert not [p for p in inputs if p.startswith(str(outside))]
    assert str(root / "content/docs") in inputs
    assert not [p for p in inputs if "/loop/" in p]


def test_links_inside_the_project_work(tmp_path):
    """The rule is about leaving the project: links inside it are followed everywhere."""
    root = write_site(tmp_path / "site", {
        "shared/page.md": page("Shared", "Shared text."), "shared/docs/guide.md": page("Guide"),
        "shared/logo.png": b"png", "shared/page.html": "{% extends 'base.html' %}{% block main %}LINKED "
                                                       "{{ page.title }}{% endblock %}",
        "shared/article.txt": SEED.read_text(), "content/index.md": page("Home")})
    for rel, target in {"content/alias.md": "../shared/page.md", "content/docs": "../shared/docs",
                        "static/logo.png": "../shared/logo.png", "templates/page.html": "../shared/page.html",
                        "seeds/article.txt": "../shared/article.txt"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).symlink_to(target)
    ingest(load_config(root))
    build(load_config(root), jobs=1)
    out = root / "_site"
    assert "LINKED Shared" in (out / "alias/index.html").read_text()
    assert (out / "docs/guide/index.html").is_file() and (out / "logo.png").read_bytes() == b"png"
    assert list((root / "content/sources").glob("*.md"))


def test_the_default_theme_is_its_own_root(tmp_path, outside, monkeypatch):
    """The theme shipped in the package may not link out of itself either (site_builder/theme is
    itself a link, to the repository's templates/: that must keep working)."""
    assert Path(default_theme.THEME_DIR).is_symlink() or Path(default_theme.THEME_DIR).is_dir()
    theme = tmp_path / "package/theme"
    shutil.copytree(default_theme.THEME_DIR, theme)
    (theme / "static/leak.txt").symlink_to(outside / "id_rsa")
    monkeypatch.setattr(default_theme, "THEME_DIR", theme)
    root = project(tmp_path, {})
    assert build_error(root) == outside_message(str(theme / "static/leak.txt"), outside / "id_rsa")
    (theme / "static/leak.txt").unlink()
    (theme / "page.html").unlink()
    (theme / "page.html").symlink_to(outside / "page.html")
    (root / "content/a.md").write_text(page("A"))
    assert build_error(root) == outside_message("(default theme)/page.html", outside / "page.html")
    assert leaked(root) == []


def test_inside_and_link_problem(tmp_path):
    """The helpers other stages call (serve's .html fallback, deploy)."""
    (tmp_path / "root/sub").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "root/in").symlink_to(tmp_path / "root/sub")
    (tmp_path / "root/out").symlink_to(tmp_path / "other")
    (tmp_path / "root-sibling").mkdir()
    assert inside(tmp_path / "root", tmp_path / "root/in/x")
    assert inside(tmp_path / "root", tmp_path / "root")
    assert not inside(tmp_path / "root", tmp_path / "root/out/x")
    assert not inside(tmp_path / "root", tmp_path / "root-sibling")  # a prefix of the name is not inside
    assert not inside(tmp_path / "root", tmp_path / "root/../other")
    assert link_problem(tmp_path / "root/in", [tmp_path / "root"]) is None
    assert link_problem(tmp_path / "root/out", [tmp_path / "root"]) == (
        f"symbolic link to a folder outside the project ({tmp_path / 'other'}); copy it into the project "
        "or remove the link")
    assert link_problem(tmp_path / "root/out", [tmp_path / "root", tmp_path / "other"]) is None
    assert os.path.islink(tmp_path / "root/out")
