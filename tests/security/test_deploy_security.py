"""Issue 12, findings 16 and 22: what `deploy` may overwrite and what it may publish. A local
bare repository stands in for GitHub (the fixtures of tests/test_deploy.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import page, run, tree
from site_builder.build import build
from site_builder.commands.deploy import deploy
from site_builder.errors import SiteError
from test_deploy import Project, git, isolated_git, project  # noqa: F401  (fixtures)

MB = 2**20


def refused(project: Project, **kw: object) -> str:
    with pytest.raises(SiteError) as err:
        deploy(project.config, project.out, **kw)
    return str(err.value)


def branches(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(refname) %(objectname)")


# -- finding 16: which branch deploy may move ---------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("HEAD", "'HEAD' is not a valid branch name; choose another --branch"),
    ("@", "'@' is not a valid branch name; choose another --branch"),
    ("FETCH_HEAD", "'FETCH_HEAD' is not a valid branch name; choose another --branch"),
    ("refs/heads/site", "'refs/heads/site' is a full ref name; give the branch's name (--branch site)"),
    ("origin/gh-pages", "'origin/gh-pages' names the copy of a branch of 'origin'; give the branch's own "
                        "name (--branch gh-pages)"),
])
def test_branch_names_git_reads_as_something_else_are_refused(project: Project, name: str, message: str):
    """Finding 16: `deploy --branch` accepted HEAD, @, refs/heads/x (and FETCH_HEAD, origin/x),
    which git reads as another ref than the branch named, and overwrote them."""
    before_local, before_remote = branches(project.repo), branches(project.remote)
    assert refused(project, branch=name) == f"deploy: {message}"
    assert branches(project.repo) == before_local and branches(project.remote) == before_remote


def test_a_branch_checked_out_in_a_linked_worktree_is_refused(project: Project, tmp_path: Path):
    """Finding 16: a branch checked out in a linked worktree was moved by deploy, changing that
    worktree's HEAD under its files."""
    other = tmp_path / "other-tree"
    git(project.repo, "worktree", "add", "-q", "-b", "site", str(other))
    head = git(other, "rev-parse", "HEAD")
    assert refused(project, branch="site") == (
        f"deploy: 'site' is checked out in the working tree {other}, which deploy would change under it; "
        "choose another --branch")
    assert git(other, "rev-parse", "HEAD") == head and git(other, "status", "--porcelain") == ""


def test_a_branch_holding_the_source_history_is_refused_unless_forced(project: Project):
    """Finding 16: `--branch main` while on another branch overwrote the project's source history
    with the site. A branch of deploys (made by site-builder or by another tool: an orphan branch)
    is accepted; `--force` publishes on a shared one anyway."""
    repo = project.repo
    git(repo, "switch", "-q", "-c", "feature")
    main = git(repo, "rev-parse", "main")
    assert refused(project, branch="main") == (
        "deploy: 'main' shares history with your other branches, so it is not a branch of deploys and deploy "
        "would bury its commits under the site; choose another --branch, or deploy with --force to publish on "
        "it anyway")
    assert git(repo, "rev-parse", "main") == main and "refs/heads/main" not in branches(project.remote)

    # a history of deploys made by another tool (ghp-import, mkdocs gh-deploy): an orphan branch
    git(repo, "update-ref", "refs/heads/pages", git(repo, "commit-tree", git(repo, "mktree", "--missing"),
                                                    "-m", "Deployed with mkdocs"))
    deploy(project.config, project.out, branch="pages")
    assert int(git(project.remote, "rev-list", "--count", "pages")) == 2

    deploy(project.config, project.out, branch="main", force=True)
    assert git(project.remote, "rev-parse", "main^") == main


# -- finding 22: what deploy publishes ---------------------------------------------------------

@pytest.fixture
def big_files(project: Project):
    """Makes files of a given size that take no room on disk, in static/; the build's copies do,
    so they are removed after the test rather than left in pytest's kept temporary folders."""
    made: list[str] = []

    def make(rel: str, size: int) -> None:
        path = project.config.root / "static" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            f.truncate(size)
        made.append(rel)
    yield make
    for rel in made:
        for folder in (project.config.root / "static", project.out):
            (folder / rel).unlink(missing_ok=True)


def test_a_file_over_100_mb_is_refused_naming_it(project: Project, big_files):
    """Finding 22: deploy committed a 120 MB file without a word; GitHub refuses files over
    100 MB, so the push failed after the commit was made."""
    big_files("video/big.mp4", 120 * MB)
    big_files("huge.zip", 100 * MB + 1)
    big_files("ok.bin", 100 * MB)  # GitHub's limit is "larger than 100 MiB"
    build(project.config)
    assert refused(project) == (
        "_site/huge.zip: 100 MB is over GitHub's limit of 100 MB per file; remove it from the site or host it elsewhere\n"
        "_site/video/big.mp4: 120 MB is over GitHub's limit of 100 MB per file; remove it from the site or host it "
        "elsewhere")
    assert "refs/heads/gh-pages" not in branches(project.repo) + branches(project.remote)


def test_a_file_over_50_mb_is_published_with_a_warning(project: Project, big_files):
    """Finding 22: GitHub warns about files over 50 MB; deploy said nothing."""
    big_files("talk.mp4", 60 * MB)
    build(project.config)
    r = run("deploy", "--no-build", cwd=project.config.root)
    assert r.returncode == 0, r.stderr
    assert r.stderr == "_site/talk.mp4: warning: 60 MB: GitHub warns about files over 50 MB; consider hosting it elsewhere\n"
    assert "talk.mp4" in project.published()


def test_no_build_never_publishes_env_files_ds_store_or_symbolic_links(project: Project, tmp_path: Path):
    """Finding 22: `deploy --no-build` published a `.env` and `.DS_Store` left in the output
    folder, and the target of a symbolic link planted there."""
    out = project.out
    built = set(tree(out))
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=hunter2\n")
    (out / ".env").write_text("API_KEY=hunter2\n")
    (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (out / "b/.DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (out / "a/index.html").unlink()
    (out / "a/index.html").symlink_to(secret)  # a page the build wrote, replaced by a link
    (out / "leak.txt").symlink_to(secret)
    warnings: list[SiteError] = []
    deploy(project.config, out, no_build=True, warnings=warnings)
    assert set(project.published()) == built - {"a/index.html", ".site-builder.json"}
    assert "_site/a/index.html: a symbolic link: not published" in [str(w) for w in warnings]


def test_no_build_refuses_an_output_folder_no_build_marked(project: Project):
    """Finding 22: `deploy --no-build` published whatever the output folder held, with no sign
    that a build made it."""
    for name in (".nojekyll", ".site-builder.json"):
        (project.out / name).unlink(missing_ok=True)
    r = run("deploy", "--no-build", cwd=project.config.root)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("_site: no record of a site-builder build here; run 'site-builder build', or deploy "
                        "without --no-build\n")
    assert "refs/heads/gh-pages" not in branches(project.remote)


def test_no_build_publishes_only_the_files_the_build_wrote(project: Project):
    """Finding 22: `deploy --no-build` published files the build never wrote (left in the output
    folder by hand or by another tool); only the build's record of its files is published."""
    built = set(tree(project.out))
    (project.out / "notes").mkdir()
    (project.out / "notes/draft.html").write_text("<p>not for publication</p>")
    (project.out / "old.html").write_text("stale")
    deploy(project.config, project.out, no_build=True)
    assert set(project.published()) == built - {".site-builder.json"}


@pytest.mark.parametrize("change", ["edited", "untracked"])
def test_the_commit_message_says_when_uncommitted_changes_were_built(project: Project, change: str):
    """Finding 22: deploy named a commit that does not hold the uncommitted edits it built."""
    root = project.config.root
    if change == "edited":
        project.rebuild({"content/a.md": page("Alpha", "Not committed yet.")})
    else:
        project.rebuild({"content/new.md": page("New")})
    (project.repo / "README.md").write_text("an edit outside the site, which the site does not show\n")
    head = git(project.repo, "rev-parse", "--short", "HEAD")
    lines = deploy(project.config, project.out)
    subject = f"Deploy Test site from {head} + uncommitted changes with site-builder"
    assert git(project.remote, "log", "-1", "--format=%s", "gh-pages") == subject
    assert lines[0].endswith(f'"{subject}"')

    git(root, "add", "content")
    git(root, "commit", "-q", "-m", "sources")
    project.rebuild({"content/b.md": page("Beta", "Committed.")})
    git(root, "commit", "-q", "-am", "beta")
    assert {"_site", ".cache"} <= set(os.listdir(root))  # not committed: they are what a build makes
    deploy(project.config, project.out)
    head = git(project.repo, "rev-parse", "--short", "HEAD")
    assert git(project.remote, "log", "-1", "--format=%s", "gh-pages") == f"Deploy Test site from {head} with site-builder"
