"""Real documentation trees, copied unchanged into a site's content/, build with 0 errors and
only the warnings a reader of their files finds real (issue 16): MkDocs' own docs/ (19 pages)
and Python-Markdown's docs/ (37 pages at a pinned commit, 68 in the 3.11.3 release).

The trees are not copied into this repository. Python-Markdown's release is read from its sdist
on PyPI, which holds docs/ and its licence (tools/docs_trees.py: pinned version and sha256,
cached in .cache/docs-trees/): it runs in CI, and skips only on a machine that cannot reach PyPI.
The pinned commits are read from a git snapshot of each project (``git archive``), found in
SITE_BUILDER_DOCS_GIT (a folder holding ``mkdocs+mkdocs/repo`` and ``Python-Markdown+markdown/repo``)
or the nearest ``.mirror`` folder above the checkout (where the workplace's snapshots are); those
tests are skipped, saying why, where neither holds the commit — MkDocs' tree is snapshot-only:
MkDocs' sdists (1.1 to 1.6) do not include docs/. Every expected title and warning below was
written from reading the files of that commit or release."""
import os
import shutil
import sys
import re
import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from site_builder.build import build
from site_builder.errors import format_warning
from site_builder.model.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import docs_trees  # noqa: E402

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
    """MkDocs at commit 2862536793b3: snapshot-only (skipped without one), since MkDocs' sdists on
    PyPI (1.1 to 1.6) do not include docs/."""
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
    # the API pages' '::: mkdocs.x' lines (and plugins.md's '#### ::: mkdocs.x' headings) are for
    # mkdocstrings, cli.md's '::: mkdocs-click' for mkdocs-click, contributing.md's one line and
    # plugins.md's line 265 for pymdownx.snippets: shown as text, one warning a page for each kind
    api = ("are mkdocstrings' syntax (API documentation generated from source code by a MkDocs plugin), which "
           "site_builder does not run; they are shown as text: write that documentation out, or remove them")
    snippet = ("is pymdownx.snippets' syntax (another file's text included here), which site_builder does not "
               "run: it could copy any file of the disk into a page; the line is shown as text: copy the text in, "
               "or remove the line")
    generated = [
        "content/about/contributing.md:1: warning: '--8<-- \"CONTRIBUTING.md\"' " + snippet,
        "content/dev-guide/api.md:5: warning: '::: mkdocs.structure.files.Files' and 4 more such lines (to line 22) "
        + api,
        "content/dev-guide/plugins.md:265: warning: '--8<-- \"docs/img/plugin-events.svg\"' " + snippet,
        "content/dev-guide/plugins.md:276: warning: '::: mkdocs.plugins.BasePlugin.on_startup' and 23 more such "
        "lines (to line 452) " + api,
        "content/dev-guide/themes.md:257: warning: '::: mkdocs.structure.nav.Navigation' and 39 more such lines "
        "(to line 619) " + api,
        "content/user-guide/cli.md:3: warning: '::: mkdocs-click' is the mkdocs-click extension's syntax (a "
        "command-line reference generated from the program's code), which site_builder does not run; the line "
        "is shown as text: write that documentation out, or remove the line"]
    assert [format_warning(w) for w in result.warnings] == generated + [
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
    """Python-Markdown at commit bb50627dc07f (3.10.3), from a snapshot; its 3.11.3 release, from
    PyPI, is test_python_markdown_release_docs_build."""
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


# Python-Markdown's mkdocs.yml, as far as site_builder has it: raw HTML (MkDocs passes it through),
# smarty, keys, toc permalinks, pymdownx.highlight and .superfences (its custom md-render and
# py-render fences are Python functions of the project's: the blocks are shown as code).
# Not here: pymdownx.blocks.html ('/// html | div.result' stays text, with a warning), pymdownx.emoji (images
# from another site), mdx_gh_links (not installed), mkdocstrings (the reference/ pages are one
# '::: markdown.x' line each, shown as written, with a warning)
RELEASE_CONFIG = CONFIG + """allow_html: true
markdown_extensions:
  - smarty
  - pymdownx.keys
  - toc:
      permalink: "§"
  - pymdownx.highlight:
      anchor_linenums: true
      line_spans: __span
      pygments_lang_class: true
  - pymdownx.superfences
"""


def release_tree(tmp_path: Path) -> Path:
    """A site whose content/ is the docs/ of Python-Markdown's pinned release, byte for byte."""
    try:
        tree = docs_trees.markdown_docs()
    except docs_trees.Unavailable as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must build Python-Markdown's docs tree: {e}")
        pytest.skip(f"{e} (an offline machine?)")
    root = tmp_path / "site"
    shutil.copytree(tree / "docs", root / "content")
    (root / "site.yaml").write_text(RELEASE_CONFIG)
    return root


def test_python_markdown_release_docs_build(tmp_path):
    """markdown 3.11.3's docs/ from its sdist on PyPI: runs in CI."""
    root = release_tree(tmp_path)
    assert "BSD 3-Clause License" in (docs_trees.markdown_docs() / "LICENSE.md").read_text()
    assert len(pages(root)) == 68
    result = build(load_config(root))
    unused = "front-matter key '{}' is not one site_builder uses; it is kept in page.meta for templates"
    # each of the 30 pages of reference/ is one line, '::: markdown.x' for its own module x (the
    # page's name), which the mkdocstrings plugin replaces with the module's API documentation
    blocks = ("pymdownx.blocks' syntax (a generic block, '/// name | title' ... '///'), which site_builder does "
              "not support; they are shown as text: write the block in Markdown (an admonition, details, or HTML "
              "with allow_html), or remove them")
    modules = [md[len("reference/"):-3] for md in pages(root) if md.startswith("reference/")]
    assert len(modules) == 30 and "markdown.extensions.toc" in modules
    assert [format_warning(w) for w in result.warnings] == [
        # MkDocs' and Material's keys: 'toc_depth: 2' and 'hide:' (navigation, toc...) on line 3
        "content/changelog.md:3: warning: " + unused.format("toc_depth"),
        # '/// html | div.result' blocks (pymdownx.blocks.html) after examples; contributing.md's
        # line 510 is inside a ```` fence, an example of the syntax, and its line 516 opens '////'
        "content/cli.md:91: warning: '/// html | div.result' and 1 more such line (to line 109) are " + blocks,
        "content/contributing.md:306: warning: '/// html | div.result' and 8 more such lines (to line 521) are "
        + blocks,
        "content/index.md:3: warning: " + unused.format("hide"),
        "content/playground.md:3: warning: " + unused.format("hide"),
        *[f"content/reference/{module}.md:1: warning: '::: {module}' is mkdocstrings' syntax (API documentation "
          "generated from source code by a MkDocs plugin), which site_builder does not run; the line is shown as "
          "text: write that documentation out, or remove the line" for module in modules]]
    for md in pages(root):
        url = re.sub(r"index$", "", md[:-3]).rstrip("/")
        assert (root / "_site" / url / "index.html").is_file(), md
    assert title_of(root, "playground") == "Playground"                          # YAML front matter
    assert title_of(root, "extensions/abbreviations") == "Abbreviations Extension"  # meta-data
    assert title_of(root, "contributing") == "Contributing to Python-Markdown"    # its # heading
    assert title_of(root, "reference/markdown.blockparser") == "Markdown.blockparser"  # the file name
    # '##### Manual Result Blocks' (line 499), linked from line 338, follows fences that only
    # superfences reads ('``` py-render { output-lang='html' }'): Python-Markdown's fenced_code
    # would leave the fences unmatched and the heading inside a code block
    html = (root / "_site/contributing/index.html").read_text()
    assert 'id="manual-result-blocks"' in html and 'href="#manual-result-blocks"' in html
    # lines 185-186: "...link to the code block with `\n[link](#example)`." is a code span, not a link
    html = (root / "_site/extensions/fenced_code_blocks/index.html").read_text()
    assert "<code>[link](#example)</code>" in html and 'href="#example"' not in html


def test_an_sdist_other_than_the_pinned_one_is_refused(tmp_path):
    fake = tmp_path / f"markdown-{docs_trees.VERSION}.tar.gz"
    fake.write_bytes(b"not the release")
    with pytest.raises(docs_trees.Unavailable, match="has sha256 .*, not the pinned"):
        docs_trees.checked(fake)
