"""Deploy: the built site becomes one commit on gh-pages of a local bare "remote"; nothing else moves."""
from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, page, run, tree, write_site
from site_builder.build import build
from site_builder.commands.deploy import deploy
from site_builder.errors import SiteError
from site_builder.model.config import Config, load_config


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No system or user git config, no inherited GIT_* variables, no repository above tmp_path."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@dataclass
class Project:
    repo: Path  # the user's repository
    remote: Path  # a bare repository standing in for GitHub
    config: Config  # the site lives in repo/docs, as it often does beside code

    @property
    def out(self) -> Path:
        return self.config.output_dir

    def published(self, ref: str = "gh-pages") -> dict[str, str]:
        """Path → blob sha of every file on the remote's branch."""
        listing = git(self.remote, "ls-tree", "-r", ref).splitlines()
        return {line.split("\t", 1)[1]: line.split()[2] for line in listing}

    def commits(self, ref: str = "gh-pages") -> int:
        return int(git(self.remote, "rev-list", "--count", ref))

    def rebuild(self, files: dict[str, str]) -> None:
        write_site(self.config.root, files)
        build(self.config)


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def init_repo(path: Path, identity: bool = True) -> None:
    git(path, "init", "-q", "-b", "main")
    if identity:
        git(path, "config", "user.name", "Site Owner")
        git(path, "config", "user.email", "owner@example.org")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    remote = tmp_path / "remote.git"
    remote.mkdir()
    git(remote, "init", "-q", "--bare")
    repo = tmp_path / "project"
    root = write_site(repo / "docs", {"content/a.md": page("Alpha"), "content/b.md": page("Beta")},
                      {**BASE_CONFIG, "cname": "docs.example.org"})
    (repo / "README.md").write_text("code and docs\n")
    (repo / ".gitignore").write_text("_site/\n")
    init_repo(repo)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "sources")
    config = load_config(root)
    build(config)
    return Project(repo, remote, config)


def test_first_deploy_publishes_exactly_the_built_site(project: Project) -> None:
    lines = deploy(project.config, project.out)
    built = {rel: blob_sha((project.out / rel).read_bytes()) for rel in tree(project.out)
             if rel != ".site-builder.json"}  # the build's list of its files is not part of the site
    assert project.published() == built  # same names and same bytes
    assert {"index.html", ".nojekyll", "CNAME"} <= set(built)
    assert project.commits() == 1
    head = git(project.repo, "rev-parse", "--short", "HEAD")
    subject = f"Deploy Test site from {head} with site-builder"
    assert git(project.remote, "log", "-1", "--format=%s|%an", "gh-pages") == f"{subject}|Site Owner"
    tip = git(project.remote, "rev-parse", "--short", "gh-pages")
    assert lines == [f'Committed {len(built)} files to gh-pages as {tip} "{subject}"',
                     f"Pushed gh-pages to origin ({project.remote})"]
    # The local branch records the deploy too, so the next one builds on it
    assert git(project.repo, "rev-parse", "gh-pages") == git(project.remote, "rev-parse", "gh-pages")


def test_the_users_repository_is_untouched(project: Project) -> None:
    repo = project.repo
    (repo / "README.md").write_text("an edit not yet staged\n")
    (repo / "NOTES.md").write_text("staged\n")
    git(repo, "add", "NOTES.md")
    (repo / "scratch.txt").write_text("untracked\n")

    def state() -> tuple[str, ...]:
        return (git(repo, "symbolic-ref", "HEAD"), git(repo, "rev-parse", "HEAD"),
                git(repo, "status", "--porcelain"), git(repo, "ls-files", "--stage"),
                git(repo, "diff"), git(repo, "reflog", "HEAD"), git(repo, "stash", "list"))

    before, files_before = state(), tree(repo / "docs")
    deploy(project.config, project.out)
    assert state() == before  # same branch, HEAD, staged and unstaged changes; HEAD's reflog shows no checkout
    assert tree(repo / "docs") == files_before
    assert " M README.md" in before[2] and "A  NOTES.md" in before[2]
    assert project.commits() == 1


def test_each_deploy_adds_one_commit_and_an_unchanged_site_adds_none(project: Project) -> None:
    deploy(project.config, project.out)
    first = git(project.remote, "rev-parse", "gh-pages")

    project.rebuild({"content/a.md": page("Alpha", "Changed text.")})
    lines = deploy(project.config, project.out, message="Publish the new alpha")
    assert project.commits() == 2
    assert git(project.remote, "rev-parse", "gh-pages^") == first
    assert git(project.remote, "log", "-1", "--format=%s", "gh-pages") == "Publish the new alpha"
    assert lines[0].endswith('"Publish the new alpha"')
    second = git(project.remote, "rev-parse", "gh-pages")

    lines = deploy(project.config, project.out)
    assert project.commits() == 2 and git(project.remote, "rev-parse", "gh-pages") == second
    short = git(project.remote, "rev-parse", "--short", "gh-pages")
    assert lines == [f"Nothing changed: gh-pages already has this site at {short}",
                     f"gh-pages on origin ({project.remote}) is already up to date"]

    # Nothing to commit, but a remote left behind (an earlier push failed) is still brought up to date
    git(project.remote, "update-ref", "refs/heads/gh-pages", first)
    lines = deploy(project.config, project.out)
    assert lines[0].startswith("Nothing changed") and lines[1].startswith("Pushed gh-pages to origin")
    assert git(project.remote, "rev-parse", "gh-pages") == second


def other_clone(project: Project, tmp_path: Path) -> Path:
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(project.remote), str(other))
    git(other, "config", "user.name", "Someone Else")
    git(other, "config", "user.email", "else@example.org")
    return other


def test_a_diverged_remote_is_refused_unless_forced(project: Project, tmp_path: Path) -> None:
    deploy(project.config, project.out)
    other = other_clone(project, tmp_path)
    # Someone publishes an unrelated history to gh-pages from their clone
    (other / "index.html").write_text("their site\n")
    git(other, "add", "index.html")
    theirs = git(other, "commit-tree", git(other, "write-tree"), "-m", "their deploy")
    git(other, "push", "-q", "--force", "origin", f"{theirs}:refs/heads/gh-pages")

    with pytest.raises(SiteError) as err:
        deploy(project.config, project.out)
    assert "diverged" in str(err.value) and "--force" in str(err.value)
    assert git(project.remote, "rev-parse", "gh-pages") == theirs

    lines = deploy(project.config, project.out, force=True)
    assert lines[-1] == f"Pushed gh-pages to origin ({project.remote})"
    assert git(project.remote, "rev-parse", "gh-pages") == git(project.repo, "rev-parse", "gh-pages")
    assert "CNAME" in project.published()


def test_a_stale_local_branch_builds_on_the_remote_tip(project: Project, tmp_path: Path) -> None:
    """Deployed from elsewhere since: the remote is ahead, not diverged, so no --force is needed."""
    deploy(project.config, project.out)
    other = other_clone(project, tmp_path)
    git(other, "switch", "-q", "gh-pages")
    (other / "extra.html").write_text("theirs\n")
    git(other, "add", "extra.html")
    git(other, "commit", "-q", "-m", "their deploy")
    git(other, "push", "-q", "origin", "gh-pages")
    theirs = git(other, "rev-parse", "HEAD")

    project.rebuild({"content/b.md": page("Beta", "New text.")})
    deploy(project.config, project.out)
    assert project.commits() == 3
    assert git(project.remote, "rev-parse", "gh-pages^") == theirs
    assert "extra.html" not in project.published()  # our deploy publishes exactly our site


def test_first_deploy_continues_the_remote_branch(project: Project, tmp_path: Path) -> None:
    """A fresh clone has no local gh-pages: the remote's tip is fetched and becomes the parent."""
    deploy(project.config, project.out)
    first = git(project.remote, "rev-parse", "gh-pages")
    git(project.repo, "branch", "-q", "-D", "gh-pages")
    git(project.repo, "update-ref", "-d", "refs/remotes/origin/gh-pages")
    project.rebuild({"content/a.md": page("Alpha", "Again.")})
    deploy(project.config, project.out)
    assert git(project.remote, "rev-parse", "gh-pages^") == first and project.commits() == 2


def test_nojekyll_is_published_even_when_missing(project: Project) -> None:
    (project.out / ".nojekyll").unlink()
    deploy(project.config, project.out)
    assert project.published()[".nojekyll"] == blob_sha(b"")


def test_missing_identity_falls_back_and_no_commits_yet(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    remote.mkdir()
    git(remote, "init", "-q", "--bare")
    root = write_site(tmp_path / "site", {"content/a.md": page("A")})
    init_repo(root, identity=False)
    git(root, "remote", "add", "origin", str(remote))
    config = load_config(root)
    build(config)
    deploy(config, config.output_dir)
    assert git(remote, "log", "-1", "--format=%an <%ae>|%cn|%s", "gh-pages") == \
        "site-builder <site-builder@localhost>|site-builder|" \
        "Deploy Test site from a working tree without commits with site-builder"


def test_user_errors(project: Project, tmp_path: Path) -> None:
    config = project.config
    with pytest.raises(SiteError) as err:
        deploy(config, config.root / "nowhere")
    assert str(err.value) == "nowhere: no built site here; run 'site-builder build' first"

    git(project.repo, "switch", "-q", "-c", "gh-pages")  # moving the checked-out branch would move HEAD
    with pytest.raises(SiteError, match="the current branch is 'gh-pages'"):
        deploy(config, project.out)
    git(project.repo, "switch", "-q", "main")

    git(project.repo, "remote", "remove", "origin")
    with pytest.raises(SiteError) as err:
        deploy(config, project.out)
    assert str(err.value) == "deploy: no git remote 'origin'; add one with: git remote add origin URL"

    plain = write_site(tmp_path / "plain", {"content/a.md": page("A")})
    plain_config = load_config(plain)
    build(plain_config)
    with pytest.raises(SiteError) as err:
        deploy(plain_config, plain_config.output_dir)
    assert str(err.value) == (f"deploy: {plain} is not in a git repository; run 'git init' and add a "
                              "remote, or publish _site/ another way")


def test_git_failures_are_quoted(project: Project) -> None:
    hook = project.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(SiteError) as err:
        deploy(project.config, project.out)
    assert str(err.value) == (f"deploy: could not push 'gh-pages' to 'origin' ({project.remote}): "
                              "[remote rejected] (pre-receive hook declined)")

    git(project.repo, "remote", "set-url", "origin", str(project.remote.parent / "gone.git"))
    with pytest.raises(SiteError) as err:
        deploy(project.config, project.out)
    assert str(err.value).startswith("deploy: cannot read remote 'origin': fatal: ")
    assert "gone.git" in str(err.value)


def test_cli(project: Project) -> None:
    root = project.config.root
    r = run("deploy", "--no-build", cwd=root)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert len(out) == 2 and out[0].startswith("Committed ") and out[1] == f"Pushed gh-pages to origin ({project.remote})"
    assert project.commits() == 1

    git(project.repo, "remote", "remove", "origin")
    r = run("deploy", "--no-build", cwd=root)
    assert r.returncode == 1
    assert r.stderr == "deploy: no git remote 'origin'; add one with: git remote add origin URL\n"
    assert "Traceback" not in r.stderr
