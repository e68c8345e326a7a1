"""Two real documentation trees, copied unchanged into a site's content/, build with 0 errors and
only the warnings a reader of their files finds real (issue 16): MkDocs' own docs/ (19 pages)
and Python-Markdown's docs/ (37 pages).

The trees are not copied into this repository: they are read at a pinned commit from a git
snapshot of each project (``git archive``), found in SITE_BUILDER_DOCS_GIT (a folder holding
``mkdocs+mkdocs/repo`` and ``Python-Markdown+markdown/repo``) or the nearest ``.mirror`` folder
above the checkout (where the workplace's snapshots are);
the tests are skipped, saying why, where neither holds the commit. Every expected title and
warning below was written from reading the files at that commit."""
import os
import re
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import format_warning
from site_builder.model.config import load_config

def _snapshots() -> Path:
    """SITE_BUILDER_DOCS_GIT, else the nearest '.mirror' folder above the checkout."""
    if os.environ.get("SITE_BUILDER_DOCS_GIT"):
        return Path(os.environ["SITE_BUILDER_DOCS_GIT"])
    here = Path(__file__).resolve()
    return next((p / ".mirror" for p in here.parents if (p / ".mirror").is_dir()), here.parent / ".mirror")


SNAPSHOTS = _snapshots()
MKDOCS = ("mkdocs+mkdocs/repo", "2862536793b3c67d9d83c33e0dd6d50a791928f8")     # 2025-10-20
MARKDOWN = ("Python-Markdown+markdown/repo", "bb50627dc07fde6ee5ed7478464062c537ebad2c")  # 2026-07-30
CONFIG = "title: Imported docs\nbase_url: http://127.0.0.1:8000/\nlanguage: en\n"


def docs_tree(tmp_path: Path, snapshot: tuple[str, str]) -> Path:
    """A site whose content/ is the project's docs/ at the pinned commit, byte for byte."""
    git_dir, commit = SNAPSHOTS / snapshot[0], snapshot[1]
    if not git_dir.is_dir():
        pytest.skip(f"no snapshot of {snapshot[0]} in {SNAPSHOTS} (set SITE_BUILDER_DOCS_GIT)")
    archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", commit, "docs"], capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"{snapshot[0]} has no commit {commit}: {archive.stderr.decode()[:200]}")
    root = tmp_path / "site"
    root.mkdir()
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(root, filter="data")
    (root / "docs").rename(root / "content")
    (root / "site.yaml").write_text(CONFIG)
    return root


def title_of(root: Path, url: str) -> str:
    html = (root / "_site" / url / "index.html").read_text()
    return re.search(r"<title>(.*?) · Imported docs</title>", html).group(1)


def pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root / "content").as_posix() for p in (root / "content").rglob("*.md"))


def test_mkdocs_docs_build(tmp_path):
    root = docs_tree(tmp_path, MKDOCS)
    assert len(pages(root)) == 19
    # getting-started.md:138 shows "img/favicon.ico", which MkDocs' theme supplies, not docs/:
    # the theme's file is the site's static/ here
    (root / "static/img").mkdir(parents=True)
    (root / "static/img/favicon.ico").write_bytes((root / "content/img/site-name.png").read_bytes())
    result = build(load_config(root))
    # contributing.md is one line, `--8<-- "CONTRIBUTING.md"` (pymdownx.snippets includes the
    # repository's CONTRIBUTING.md there), and cli.md's options come from the mkdocs-click
    # plugin: the ids other pages link to in them exist only in MkDocs' own build
    theirs = "no heading or id '{}' on /{}/); link to one of its headings' ids"
    contributing = "../about/contributing.md#{}"
    expected = [
        ("about/release-notes.md", 335, "../user-guide/cli.md#mkdocs-get-deps", "mkdocs-get-deps", "user-guide/cli"),
        ("about/release-notes.md", 634, contributing.format("submitting-changes-to-the-builtin-themes"),
         "submitting-changes-to-the-builtin-themes", "about/contributing"),
        ("about/release-notes.md", 1004, "contributing.md#submitting-changes-to-the-builtin-themes",
         "submitting-changes-to-the-builtin-themes", "about/contributing"),
        ("dev-guide/themes.md", 1050, contributing.format("submitting-changes-to-the-builtin-themes"),
         "submitting-changes-to-the-builtin-themes", "about/contributing"),
        ("dev-guide/translations.md", 25, contributing.format("submitting-changes-to-the-builtin-themes"),
         "submitting-changes-to-the-builtin-themes", "about/contributing"),
        ("dev-guide/translations.md", 46, contributing.format("installing-for-development"),
         "installing-for-development", "about/contributing"),
        ("dev-guide/translations.md", 47, contributing.format("submitting-pull-requests"),
         "submitting-pull-requests", "about/contributing"),
        *[("dev-guide/translations.md", n, contributing.format("installing-for-development"),
           "installing-for-development", "about/contributing") for n in (57, 77, 80)],
    ]
    assert [format_warning(w) for w in result.warnings] == [
        f"content/{f}:{n}: warning: missing anchor: {link} ({theirs.format(frag, url)}" for f, n, link, frag, url in expected]
    for md in pages(root):  # every page built; README.md is its folder's index
        url = re.sub(r"(index|README)$", "", md[:-3]).rstrip("/")
        assert (root / "_site" / url / "index.html").is_file(), md
    assert title_of(root, "getting-started") == "Getting Started with MkDocs"      # its first # heading
    assert title_of(root, "user-guide/cli") == "Command Line Interface"
    assert title_of(root, "about/contributing") == "Contributing"                  # no heading: the file name
    html = (root / "_site/getting-started/index.html").read_text()
    assert html.count("<h1") == 1                                                  # the heading not repeated
    assert "Extending MkDocs" in (root / "_site/dev-guide/index.html").read_text()  # dev-guide/README.md


def test_python_markdown_docs_build(tmp_path):
    root = docs_tree(tmp_path, MARKDOWN)
    assert len(pages(root)) == 37
    result = build(load_config(root))
    assert [format_warning(w) for w in result.warnings] == [
        # MkDocs' toc_depth: kept in page.meta, not used by site_builder
        "content/changelog.md:2: warning: front-matter key 'toc_depth' is not one site_builder uses; "
        "it is kept in page.meta for templates",
        # '[makeExtension]: #makeextension', and no heading of the page makes that id
        "content/extensions/api.md:833: warning: missing anchor: #makeextension (no heading or id "
        "'makeextension' on /extensions/api/); link to one of its headings' ids"]
    for md in pages(root):
        url = re.sub(r"index$", "", md[:-3]).rstrip("/")
        assert (root / "_site" / url / "index.html").is_file(), md
    # meta-data titles (`title: Abbreviations Extension`, some with spaces after the colon)
    assert title_of(root, "extensions/abbreviations") == "Abbreviations Extension"
    assert title_of(root, "change_log/release-2.4") == "Release Notes for v2.4"
    assert title_of(root, "contributing") == "Contributing to Python-Markdown"  # no meta-data: its # heading
    html = (root / "_site/extensions/abbreviations/index.html").read_text()
    assert "title: Abbreviations" not in html and "Abbreviations Extension" in html
