"""``site-builder deploy``: publish the built site as one commit on a gh-pages branch, then push it.

Git plumbing only (like ghp-import): the commit is assembled in a temporary index, so the user's
working tree, index, HEAD and current branch are never touched.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config
from .errors import SiteError
from .output import MARKER

FALLBACK_NAME, FALLBACK_EMAIL = "site-builder", "site-builder@localhost"
WHERE = "deploy"  # git problems belong to no file of the site: messages start with the command


def _git(config: Config, *args: str, env: dict[str, str] | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=config.root, capture_output=True, text=True,
                              env=env, input=stdin)
    except FileNotFoundError:
        raise SiteError(WHERE, None, "git is not installed or not on PATH; install git to deploy") from None


def _reason(r: subprocess.CompletedProcess[str]) -> str:
    """git's own words for a failure: a refused ref's reason, its first fatal/error line, or its last line."""
    refused = [line.split("\t")[-1] for line in r.stdout.splitlines() if line.startswith("!")]  # push --porcelain
    errors = [line.strip() for line in r.stderr.splitlines() if line.startswith(("fatal:", "error:"))]
    lines = [line.strip() for line in r.stderr.splitlines() if line.strip()]
    return (refused or errors or lines[-1:] or ["git printed nothing"])[0]


def _must(config: Config, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    """Run a git command that only fails on a broken repository; its output, stripped."""
    r = _git(config, *args, env=env, stdin=stdin)
    if r.returncode != 0:
        raise SiteError(WHERE, None, f"'git {args[0]}' failed: {_reason(r)}")
    return r.stdout.strip()


def _commit(config: Config, ref: str) -> str | None:
    r = _git(config, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return r.stdout.strip() if r.returncode == 0 else None


def _public(url: str) -> str:
    """A remote URL safe to print: CI logs must not show a token embedded in it."""
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()
    return url


def _check_repository(config: Config, out: Path, remote: str, branch: str) -> str:
    """Everything the user must fix, found before anything is written; the remote's URL."""
    if not (out / "index.html").is_file():
        raise SiteError(config.shown(out), None, "no built site here; run 'site-builder build' first")
    r = _git(config, "rev-parse", "--git-dir")
    if r.returncode != 0:
        if "safe.directory" in r.stderr:  # a repository git refuses to use, not a missing one
            raise SiteError(WHERE, None, f"git refuses to use the repository: {_reason(r)}")
        raise SiteError(WHERE, None, f"{config.root} is not in a git repository; run 'git init' and "
                                     f"add a remote, or publish {config.shown(out)}/ another way")
    if _git(config, "check-ref-format", f"refs/heads/{branch}").returncode != 0:
        raise SiteError(WHERE, None, f"'{branch}' is not a valid branch name; choose another --branch")
    r = _git(config, "remote", "get-url", remote)
    if r.returncode != 0:
        raise SiteError(WHERE, None, f"no git remote '{remote}'; add one with: git remote add {remote} URL")
    # Moving the checked-out branch would change the user's HEAD under their working tree
    if _git(config, "symbolic-ref", "--quiet", "HEAD").stdout.strip() == f"refs/heads/{branch}":
        raise SiteError(WHERE, None, f"the current branch is '{branch}', which deploy overwrites; "
                                     "switch to the branch with your sources first")
    return r.stdout.strip()


def _remote_tip(config: Config, remote: str, branch: str) -> str | None:
    """The remote branch's commit, fetched so it can be a parent; None when it does not exist yet."""
    r = _git(config, "ls-remote", "--exit-code", remote, f"refs/heads/{branch}")
    if r.returncode == 2:  # --exit-code: the remote has no such branch
        return None
    if r.returncode != 0:
        raise SiteError(WHERE, None, f"cannot read remote '{remote}': {_reason(r)}")
    sha = r.stdout.split()[0]
    if _git(config, "cat-file", "-e", f"{sha}^{{commit}}").returncode != 0:
        _must(config, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    return sha


def _write_tree(config: Config, out: Path) -> tuple[str, int]:
    """Store every file of ``out`` and a tree of them; the tree's sha and its number of files."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and ".git" not in p.relative_to(out).parts)
    bad = next((p for p in files if "\n" in str(p)), None)
    if bad is not None:  # --stdin-paths is one path per line
        raise SiteError(config.shown(bad), None, "a file name contains a line break; rename it")
    # --no-filters: publish the bytes the build wrote, whatever .gitattributes (LFS, eol) says
    shas = _must(config, "hash-object", "-w", "--no-filters", "--stdin-paths",
                 stdin="".join(f"{p}\n" for p in files)).split()
    # Every file is 100644: a web server ignores the executable bit, so it would only add noise
    entries = {p.relative_to(out).as_posix(): sha for p, sha in zip(files, shas)}
    if MARKER not in entries:
        entries[MARKER] = _must(config, "hash-object", "-w", "--stdin", stdin="")
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}  # never the user's index
        _must(config, "update-index", "--add", "-z", "--index-info", env=env,
              stdin="".join(f"100644 {sha}\t{rel}\0" for rel, sha in entries.items()))
        return _must(config, "write-tree", env=env), len(entries)


def _identity_env(config: Config) -> dict[str, str]:
    """The environment for commit-tree: the user's identity if git knows one, else ours."""
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        if _git(config, "var", f"GIT_{role}_IDENT").returncode != 0:
            env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = FALLBACK_NAME, FALLBACK_EMAIL
    return env


def deploy(config: Config, out: Path, remote: str = "origin", branch: str = "gh-pages",
           message: str | None = None, force: bool = False) -> list[str]:
    """Commit the contents of ``out`` as the new tip of ``branch`` and push it to ``remote``.

    Returns report lines for the CLI to print. Raises SiteError for anything the user must fix.
    """
    out = Path(out).resolve()
    url = _check_repository(config, out, remote, branch)
    ref = f"refs/heads/{branch}"
    local, theirs = _commit(config, ref), _remote_tip(config, remote, branch)
    parent = local or theirs
    if local and theirs and local != theirs and \
            _git(config, "merge-base", "--is-ancestor", local, theirs).returncode == 0:
        parent = theirs  # the local branch is only stale (deployed from elsewhere since): no divergence

    tree, count = _write_tree(config, out)
    lines: list[str] = []
    if parent and _must(config, "rev-parse", f"{parent}^{{tree}}") == tree:
        new = parent
        lines.append(f"Nothing changed: {branch} already has this site at {_must(config, 'rev-parse', '--short', new)}")
    else:
        text = message.strip() if message else ""  # an empty --message would leave no subject
        if not text:
            head = _git(config, "rev-parse", "--short", "--verify", "--quiet", "HEAD^{commit}").stdout.strip()
            text = f"Deploy {config.title} from {head or 'a working tree without commits'} with site-builder"
        new = _must(config, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", text,
                    env=_identity_env(config))
        subject = text.splitlines()[0]
        lines.append(f'Committed {count} files to {branch} as {_must(config, "rev-parse", "--short", new)} "{subject}"')
    if new != local:
        # The expected old value makes this fail rather than lose a commit made meanwhile
        _must(config, "update-ref", "-m", "site-builder deploy", ref, new, local or "")

    r = _git(config, "push", "--porcelain", *(["--force"] if force else []), remote, f"{ref}:{ref}")
    shown = _public(url)
    if r.returncode != 0 or any(line.startswith("!") for line in r.stdout.splitlines()):
        if "non-fast-forward" in r.stdout or "fetch first" in r.stdout:
            raise SiteError(WHERE, None, f"'{branch}' on '{remote}' has diverged from the local '{branch}' "
                                         "(it was deployed from elsewhere); deploy with --force to overwrite it")
        raise SiteError(WHERE, None, f"could not push '{branch}' to '{remote}' ({shown}): {_reason(r)}")
    if any(line.startswith("=") for line in r.stdout.splitlines()):
        lines.append(f"{branch} on {remote} ({shown}) is already up to date")
    else:
        lines.append(f"Pushed {branch} to {remote} ({shown})")
    return lines
