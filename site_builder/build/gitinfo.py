"""``lastmod_from_git: true``: a page's ``updated`` date from the last commit that touched its file,
as Hugo's ``enableGitInfo``. One ``git log`` for the whole content folder, never one per page.

The date is the commit's author date, in UTC (the time zone rule of ``model.publish``). A page's own
``updated:`` wins; a commit older than the page's ``date`` is not an update. Not a git repository,
no git, or a shallow clone: a warning, and the pages keep what their front matter says (in a
shallow clone, the dates of the files its history does show)."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Iterable

from ..errors import SiteError
from ..model.config import CONFIG_NAME, Config
from ..model.pages import Page

TIMEOUT = 120  # seconds: a long history of a large site takes a few; a hung git must not hang the build


def _git(config: Config, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(config.content_dir), *args],
                          capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def last_commits(config: Config) -> tuple[dict[str, dt.date], list[SiteError]]:
    """Each file of content/ (its path relative to content/) → the UTC day of the last commit touching it."""
    where = CONFIG_NAME
    try:
        found = _git(config, "log", "--relative", "--name-only", "--no-renames", "-z", "--format=%x01%at", "--", ".")
    except FileNotFoundError:
        return {}, [SiteError(where, None, "lastmod_from_git: git is not installed; pages keep the "
                                           "updated dates of their front matter")]
    except subprocess.TimeoutExpired:
        return {}, [SiteError(where, None, f"lastmod_from_git: git log took over {TIMEOUT} s; pages keep the "
                                           "updated dates of their front matter")]
    if found.returncode != 0:
        why = found.stderr.decode("utf-8", "replace").strip().splitlines()
        return {}, [SiteError(where, None, f"lastmod_from_git: {config.shown(config.content_dir)}/ is not in a git "
                              f"repository with commits ({why[0] if why else 'git log failed'}); pages keep the "
                              "updated dates of their front matter")]
    dates: dict[str, dt.date] = {}
    day: dt.date | None = None
    for token in found.stdout.split(b"\0"):
        token = token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            day = dt.datetime.fromtimestamp(int(token[1:]), dt.timezone.utc).date()
        elif token and day is not None:
            dates.setdefault(token.decode("utf-8", "surrogateescape"), day)  # the log is newest first
    notes: list[SiteError] = []
    shallow = _git(config, "rev-parse", "--is-shallow-repository")
    if shallow.returncode == 0 and shallow.stdout.strip() == b"true":
        notes.append(SiteError(where, None, "lastmod_from_git: this is a shallow clone, so a page last changed "
                               "before its oldest commit gets that commit's date; fetch the whole history "
                               "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"))
    return dates, notes


def apply_dates(pages: Iterable[Page], dates: dict[str, dt.date]) -> None:
    """Set (or clear) each page's git ``updated`` date; a page's front matter ``updated`` is kept.
    Run on every build: a page lent by the cache still has the last build's. A changed page gets a
    new ``meta``, never one changed in place (the cache's base compares them: incremental.base)."""
    for page in pages:
        if "updated" in page.lines:  # written in the front matter
            continue
        day = dates.get(page.rel)
        if day is not None and (page.date is None or day > page.date):
            if page.meta.get("updated") != day:
                page.meta = {**page.meta, "updated": day}
        elif "updated" in page.meta:
            page.meta = {k: v for k, v in page.meta.items() if k != "updated"}


def git_inputs(config: Config) -> list[Path]:
    """Files of the repository that a commit or checkout changes (a new commit changes dates while
    the site's files stay as they were): inputs of the build, so it is never "up to date" after one."""
    if not config.lastmod_from_git:
        return []
    for d in (config.content_dir, *config.content_dir.parents):
        dot = d / ".git"
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            gitdir = Path(text[len("gitdir:"):].strip()) if text.startswith("gitdir:") else dot
            gitdir = gitdir if gitdir.is_absolute() else d / gitdir
        elif dot.is_dir():
            gitdir = dot
        else:
            continue
        return [gitdir / "HEAD", gitdir / "index", gitdir / "logs" / "HEAD"]
    return []


def git_dates(config: Config, pages: list[Page]) -> list[SiteError]:
    """The pages' git dates when the site asks for them (warnings, if git cannot give them)."""
    dates, notes = last_commits(config) if config.lastmod_from_git else ({}, [])
    apply_dates(pages, dates)
    return notes
