"""``lastmod_from_git: true``: a page's updated date from its last commit (one git log for the
site), shown on the page and in the sitemap; a warning outside a repository and in a shallow clone."""
import os
import subprocess
from pathlib import Path

import pytest

from site_builder.build import build, gitinfo
from site_builder.model.config import load_config

from conftest import BASE_CONFIG, page

CONFIG = {**BASE_CONFIG, "lastmod_from_git": True}


def git(root: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "A",
           "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def commit(root: Path, date: str, *files: str) -> None:
    git(root, "add", *files)
    git(root, "commit", "-q", "-m", f"at {date}", date=date)


@pytest.fixture
def repo(site) -> Path:
    root = site({"content/a.md": page("A", date="2024-01-01"), "content/b.md": page("B", updated="2020-02-02"),
                 "content/c.md": page("C", date="2030-01-01"), "content/docs/d e.md": page("D e")}, CONFIG)
    git(root, "init", "-q")
    commit(root, "2024-03-05T23:30:00-05:00", ".")  # 2024-03-06 in UTC
    (root / "content/a.md").write_text(page("A", "Changed.", date="2024-01-01"))
    commit(root, "2024-06-01T08:00:00+00:00", "content/a.md")
    (root / "content/untracked.md").write_text(page("U"))
    return root


def lastmods(out: Path) -> dict[str, str]:
    import re
    return dict(re.findall(r"<loc>https://example.org/([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>",
                           (out / "sitemap.xml").read_text()))


def test_updated_from_the_last_commit(repo):
    result = build(load_config(repo))
    assert result.warnings == []
    out = repo / "_site"
    dates = lastmods(out)
    assert dates["a/"] == "2024-06-01"       # its last commit
    assert dates["b/"] == "2020-02-02"       # its own updated: wins
    assert "c/" not in dates or dates["c/"] == "2030-01-01"  # a commit before its date is no update
    assert dates["docs/d%20e/"] == "2024-03-06"  # the author date in UTC; a name with a space
    assert "untracked/" not in dates         # no commit: no date
    html = (out / "a/index.html").read_text()
    assert 'Updated <time datetime="2024-06-01">' in html
    assert '"dateModified": "2024-06-01"' in html or '"dateModified":"2024-06-01"' in html


def test_one_git_log_for_the_whole_site(repo, monkeypatch):
    for i in range(40):
        (repo / f"content/many/p{i}.md").parent.mkdir(exist_ok=True)
        (repo / f"content/many/p{i}.md").write_text(page(f"P{i}"))
    commit(repo, "2024-07-01T00:00:00+00:00", ".")
    calls = []
    real = subprocess.run

    def counted(args, *a, **kw):
        calls.append(args[:6])
        return real(args, *a, **kw)

    monkeypatch.setattr(gitinfo.subprocess, "run", counted)
    build(load_config(repo))
    assert [c[5] for c in calls] == ["log", "rev-parse"]  # one log, one shallow check: never one per page
    assert lastmods(repo / "_site")["many/p39/"] == "2024-07-01"


def test_a_new_commit_updates_the_dates_without_a_file_change(repo):
    build(load_config(repo))
    past = os.stat(repo / "content").st_mtime - 60  # every file saved a minute ago: trusted (the
    for p in repo.rglob("*"):                      # repository's too: HEAD, index and reflog are inputs)
        os.utime(p, (past, past))
    (repo / "content/c.md").write_text(page("C", "New text.", date="2024-01-01"))
    os.utime(repo / "content/c.md", (past, past))
    build(load_config(repo))
    assert build(load_config(repo)).up_to_date
    commit(repo, "2024-09-09T10:00:00+00:00", "content/c.md")  # the file as it was: only git changed
    result = build(load_config(repo))
    assert not result.up_to_date
    assert lastmods(repo / "_site")["c/"] == "2024-09-09"
    assert 'Updated <time datetime="2024-09-09">' in (repo / "_site/c/index.html").read_text()


def test_not_a_repository_is_a_warning(site):
    root = site({"content/a.md": page("A", date="2024-01-01")}, CONFIG)
    result = build(load_config(root))
    [w] = result.warnings
    assert str(w).startswith("site.yaml: lastmod_from_git: content/ is not in a git repository with commits (")
    assert str(w).endswith("); pages keep the updated dates of their front matter")
    assert lastmods(root / "_site")["a/"] == "2024-01-01"


def test_a_shallow_clone_warns_and_still_dates(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    result = build(load_config(clone))
    assert [str(w) for w in result.warnings] == [
        "site.yaml: lastmod_from_git: this is a shallow clone, so a page last changed before its oldest commit "
        "gets that commit's date; fetch the whole history (git fetch --unshallow; in GitHub Actions, "
        "actions/checkout with fetch-depth: 0)"]
    dates = lastmods(clone / "_site")
    assert dates["a/"] == "2024-06-01" and dates["docs/d%20e/"] == "2024-06-01"  # the only commit it has


def test_switched_off_the_cache_forgets_git_dates(repo):
    build(load_config(repo))
    (repo / "site.yaml").write_text((repo / "site.yaml").read_text().replace("lastmod_from_git: true",
                                                                             "lastmod_from_git: false"))
    build(load_config(repo))
    assert lastmods(repo / "_site")["a/"] == "2024-01-01"
    assert "Updated" not in (repo / "_site/a/index.html").read_text()
