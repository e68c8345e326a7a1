"""``site-builder deploy``: publish the built site as one commit on a gh-pages branch, then push it.

Git plumbing only (like ghp-import): the commit is assembled in a temporary index, so the user's
working tree, index, HEAD and current branch are never touched.
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from ..build.marker import MARKER_FILE, owned_files
from ..errors import SiteError, SiteErrors
from ..model.config import Config
from ..render.feeds import NOJEKYLL

FALLBACK_NAME, FALLBACK_EMAIL = "site-builder", "site-builder@localhost"
MAX_FILE, WARN_FILE = 100 * 2**20, 50 * 2**20  # GitHub refuses a file over 100 MiB, warns over 50
_PSEUDO_REF = re.compile(r"^[A-Z_]*HEAD$")  # FETCH_HEAD, ORIG_HEAD: names git reads as its own
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
    r = _git(config, "remote", "get-url", remote)
    if r.returncode != 0:
        raise SiteError(WHERE, None, f"no git remote '{remote}'; add one with: git remote add {remote} URL")
    _check_branch(config, remote, branch)
    return r.stdout.strip()


def _check_branch(config: Config, remote: str, branch: str) -> None:
    """``branch`` names a branch, as its owner would type it, that no working tree has checked out."""
    if branch.startswith("refs/heads/"):
        raise SiteError(WHERE, None, f"'{branch}' is a full ref name; give the branch's name "
                                     f"(--branch {branch.removeprefix('refs/heads/')})")
    if branch.startswith(f"{remote}/"):
        raise SiteError(WHERE, None, f"'{branch}' names the copy of a branch of '{remote}'; give the "
                                     f"branch's own name (--branch {branch[len(remote) + 1:]})")
    r = _git(config, "check-ref-format", "--branch", branch)
    # --branch expands @{-1} and accepts '@' (which git reads as HEAD) and FETCH_HEAD-like names
    if r.returncode != 0 or r.stdout.strip() != branch or branch == "@" or _PSEUDO_REF.match(branch) \
            or branch.startswith("refs/"):
        raise SiteError(WHERE, None, f"'{branch}' is not a valid branch name; choose another --branch")
    # Moving a checked-out branch would change a HEAD under its working tree's files
    if _git(config, "symbolic-ref", "--quiet", "HEAD").stdout.strip() == f"refs/heads/{branch}":
        raise SiteError(WHERE, None, f"the current branch is '{branch}', which deploy overwrites; "
                                     "switch to the branch with your sources first")
    tree = ""
    for line in _must(config, "worktree", "list", "--porcelain").splitlines():
        if line.startswith("worktree "):
            tree = line[len("worktree "):]
        elif line == f"branch refs/heads/{branch}":
            raise SiteError(WHERE, None, f"'{branch}' is checked out in the working tree {tree}, which "
                                         "deploy would change under it; choose another --branch")


def _check_history(config: Config, branch: str, tip: str | None) -> None:
    """The commit a deploy builds on holds only deploys: none of its history is in another branch
    (as the project's sources are), which overwriting it would bury under the site."""
    if tip is None:
        return
    others = [f"--exclude={branch}", "--branches", f"--exclude=*/{branch}", "--remotes"]
    if _commit(config, "HEAD") is not None:
        others.append("HEAD")  # a detached HEAD, too
    ours = _must(config, "rev-list", "--count", tip, "--not", *others)
    if int(ours) < int(_must(config, "rev-list", "--count", tip)):
        raise SiteError(WHERE, None, f"'{branch}' shares history with your other branches, so it is not a "
                                     "branch of deploys and deploy would bury its commits under the site; "
                                     "choose another --branch, or deploy with --force to publish on it anyway")


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


def _all_files(out: Path) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if d != ".git"]
        rel = os.path.relpath(folder, out)
        found += [n if rel == "." else f"{rel}/{n}".replace(os.sep, "/") for n in names]
    return sorted(f for f in found if f != MARKER_FILE)  # the build's record, not part of the site


def _site_files(config: Config, out: Path, no_build: bool, warnings: list[SiteError]) -> dict[str, Path]:
    """What to publish (relative name → file): what the last build wrote, without symbolic links,
    secrets and macOS litter; a file GitHub would refuse stops the deploy, one it warns about is
    reported in ``warnings``."""
    listed = owned_files(out)  # what the last build wrote; None: no build marked the folder
    if listed is None:
        if no_build:
            raise SiteError(config.shown(out), None, "no record of a site-builder build here; run "
                                                     "'site-builder build', or deploy without --no-build")
        listed = _all_files(out)  # just built, and the record removed since: what is there
    files: dict[str, Path] = {}
    too_big = []
    for rel in listed:
        path = out / rel
        name = rel.rpartition("/")[2]
        try:
            st = path.lstat()
        except OSError:
            continue  # gone since the build: the site as it is now is what gets published
        if stat.S_ISLNK(st.st_mode):
            warnings.append(SiteError(config.shown(path), None, "a symbolic link: not published"))
        elif name == ".DS_Store" or name == ".env" or name.startswith(".env."):
            warnings.append(SiteError(config.shown(path), None, "macOS folder metadata: not published"
                                      if name == ".DS_Store" else "an environment file, which holds "
                                      "secrets: not published (remove it from the static folder)"))
        elif stat.S_ISREG(st.st_mode):
            if "\n" in str(path):  # hash-object --stdin-paths is one path per line
                raise SiteError(config.shown(path), None, "a file name contains a line break; rename it")
            if st.st_size > MAX_FILE:
                too_big.append(SiteError(config.shown(path), None, f"{_mb(st.st_size)} is over GitHub's limit of "
                                         f"{_mb(MAX_FILE)} per file; remove it from the site or host it elsewhere"))
            elif st.st_size > WARN_FILE:
                warnings.append(SiteError(config.shown(path), None, f"{_mb(st.st_size)}: GitHub warns about "
                                          f"files over {_mb(WARN_FILE)}; consider hosting it elsewhere"))
            files[rel] = path
    if too_big:
        raise SiteErrors(too_big) if len(too_big) > 1 else too_big[0]
    return files


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size % 2**20 else f"{size // 2**20} MB"


def _write_tree(config: Config, files: dict[str, Path]) -> tuple[str, int]:
    """Store ``files`` and a tree of them; the tree's sha and its number of files."""
    # --no-filters: publish the bytes the build wrote, whatever .gitattributes (LFS, eol) says
    shas = _must(config, "hash-object", "-w", "--no-filters", "--stdin-paths",
                 stdin="".join(f"{p}\n" for p in files.values())).split()
    # Every file is 100644: a web server ignores the executable bit, so it would only add noise
    entries = dict(zip(files, shas))
    if NOJEKYLL not in entries:
        entries[NOJEKYLL] = _must(config, "hash-object", "-w", "--stdin", stdin="")
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}  # never the user's index
        _must(config, "update-index", "--add", "-z", "--index-info", env=env,
              stdin="".join(f"100644 {sha}\t{rel}\0" for rel, sha in entries.items()))
        return _must(config, "write-tree", env=env), len(entries)


def _source(config: Config, out: Path) -> str:
    """What the site was built from, for the commit message: HEAD's short hash, and whether the
    site's files had changes not committed (they are in the site, not in that commit)."""
    head = _git(config, "rev-parse", "--short", "--verify", "--quiet", "HEAD^{commit}").stdout.strip()
    if not head:
        return "a working tree without commits"
    skip = [f":(exclude){os.path.relpath(d, config.root)}" for d in (out, config.cache_dir)
            if d.is_relative_to(config.root) and d != config.root]
    # --no-optional-locks: reading the status must not rewrite the user's index
    r = _git(config, "--no-optional-locks", "status", "--porcelain", "--untracked-files=normal", "--", ".", *skip)
    return f"{head} + uncommitted changes" if r.returncode == 0 and r.stdout.strip() else head


def _identity_env(config: Config) -> dict[str, str]:
    """The environment for commit-tree: the user's identity if git knows one, else ours."""
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        if _git(config, "var", f"GIT_{role}_IDENT").returncode != 0:
            env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = FALLBACK_NAME, FALLBACK_EMAIL
    return env


def deploy(config: Config, out: Path, remote: str = "origin", branch: str = "gh-pages",
           message: str | None = None, force: bool = False, no_build: bool = False,
           warnings: list[SiteError] | None = None) -> list[str]:
    """Commit the site in ``out`` (the files its build wrote) as the new tip of ``branch`` and
    push it to ``remote``. ``no_build``: ``out`` was not built just now, so it must carry a
    build's record of its files.

    Returns report lines for the CLI to print; warnings go to ``warnings``. Raises SiteError for
    anything the user must fix.
    """
    out = Path(out).resolve()
    url = _check_repository(config, out, remote, branch)
    files = _site_files(config, out, no_build, warnings if warnings is not None else [])
    ref = f"refs/heads/{branch}"
    local, theirs = _commit(config, ref), _remote_tip(config, remote, branch)
    parent = local or theirs
    if local and theirs and local != theirs and \
            _git(config, "merge-base", "--is-ancestor", local, theirs).returncode == 0:
        parent = theirs  # the local branch is only stale (deployed from elsewhere since): no divergence
    if not force:
        _check_history(config, branch, parent)

    tree, count = _write_tree(config, files)
    lines: list[str] = []
    if parent and _must(config, "rev-parse", f"{parent}^{{tree}}") == tree:
        new = parent
        lines.append(f"Nothing changed: {branch} already has this site at {_must(config, 'rev-parse', '--short', new)}")
    else:
        text = message.strip() if message else ""  # an empty --message would leave no subject
        if not text:
            text = f"Deploy {config.title} from {_source(config, out)} with site-builder"
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
