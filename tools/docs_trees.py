"""Python-Markdown's own docs/ tree for tests/test_docs_trees.py, from the project's sdist on PyPI
(the one source of a real docs tree that this machine and CI both reach; the tree is not copied
into this repository). Downloaded once by pip at a pinned version, its sha256 checked, and the
docs/ folder and the licence unpacked into .cache/docs-trees/markdown-<version>/ (git-ignored).

``python tools/docs_trees.py`` fetches it (``make test`` runs it first). Under CI=true a failed
download is an error (exit 1): CI must run the test, never skip it. Elsewhere (an offline
machine) it is a note, and the test skips, saying why."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "docs-trees"
# the release site_builder is tested with (pyproject.toml); its sdist holds docs/ (MkDocs' do not)
VERSION = "3.11.3"
SHA256 = "81eb91631dc97ad1efbc76019ef0f80fe90ca49ddf81546752d79989c3bfff3e"  # markdown-3.11.3.tar.gz


class Unavailable(Exception):
    """The tree could not be had: the message says why."""


def markdown_docs(cache: Path = CACHE) -> Path:
    """The unpacked sdist folder (``docs/`` and ``LICENSE.md`` in it), fetched on the first call."""
    tree = cache / f"markdown-{VERSION}"
    if (tree / "docs").is_dir():
        return tree
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".fetch-") as tmp:
        archive = _download(Path(tmp))
        unpacked = Path(tmp) / "tree"
        _unpack(archive, unpacked)
        try:
            unpacked.rename(tree)  # whole or not at all; a parallel fetch may have won
        except OSError:
            if not (tree / "docs").is_dir():
                raise
    return tree


def _download(into: Path) -> Path:
    # pip reads the sdist's metadata (a build of setuptools' egg_info in an isolated env): about
    # 3 s of CPU. Few retries, so that an offline machine says so in seconds, not minutes
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
           "--retries", "1", "--timeout", "30", "--dest", str(into), f"markdown=={VERSION}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    archive = into / f"markdown-{VERSION}.tar.gz"
    if done.returncode != 0 or not archive.is_file():
        tail = " ".join((done.stderr or done.stdout).split())[-300:]
        raise Unavailable(f"pip could not download markdown=={VERSION}'s sdist from PyPI: {tail}")
    return checked(archive)


def checked(archive: Path) -> Path:
    """The archive, when it is the one pinned (by its sha256)."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != SHA256:
        raise Unavailable(f"{archive.name} has sha256 {digest}, not the pinned {SHA256}: not used")
    return archive


def _unpack(archive: Path, into: Path) -> None:
    top = f"markdown-{VERSION}/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith(top + "docs/") or m.name == top + "LICENSE.md"]
        tar.extractall(into.parent / "x", members=members, filter="data")
    shutil.move(into.parent / "x" / top, into)


def main() -> int:
    try:
        tree = markdown_docs()
    except Unavailable as e:
        if os.environ.get("CI") == "true":
            print(f"error: {e}", file=sys.stderr)
            return 1
        print(f"note: {e}: tests/test_docs_trees.py will skip its PyPI tree", file=sys.stderr)
        return 0
    print(f"Python-Markdown's docs tree: {tree.relative_to(ROOT)}/docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
