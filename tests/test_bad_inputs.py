"""Bad input, one small site per case (tests/bad_inputs/<case>/, an overlay on _base/): each
gives exit 1 and exactly one line 'path:line: message' (no traceback), leaves the previous
_site/ byte for byte and content/ untouched. The BOM case must simply work."""
import shutil
from pathlib import Path

import pytest

from conftest import run, tree

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def overlay(src: Path, dst: Path) -> None:
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if rel.name in ("expected.txt", "command.txt"):
            continue
        target = dst / rel
        if p.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(p.readlink())
        elif p.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)


def snapshot(root: Path) -> dict:
    """content/ and seeds/ byte for byte (symlinks as their targets, never followed)."""
    out = {}
    for base in ("content", "seeds", "site.yaml"):
        path = root / base
        if path.is_file():
            out[base] = path.read_bytes()
        for p in sorted(path.rglob("*")) if path.is_dir() else []:
            out[p.relative_to(root).as_posix()] = (str(p.readlink()) if p.is_symlink() else
                                                   p.read_bytes() if p.is_file() else "dir")
    return out


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(CORPUS / "_base", root)
    assert run("build", cwd=root).returncode == 0  # the last good site
    before_site = tree(root / "_site")
    if case == "huge-file":  # 50 MB: made here, not committed
        (root / "content/huge.md").write_bytes(b"---\ntitle: Huge\n---\n" + b"word " * 10_485_760)
    overlay(CORPUS / case, root)
    before_content = snapshot(root)
    command = (CORPUS / case / "command.txt").read_text().split() if (CORPUS / case / "command.txt").exists() else ["build"]
    r = run(*command, cwd=root)
    expected = (CORPUS / case / "expected.txt").read_text()
    if expected.strip() == "ok":
        assert r.returncode == 0, r.stderr
        assert (root / "_site/bom/index.html").exists()
        return
    assert (r.returncode, r.stderr) == (1, expected)
    assert "Traceback" not in r.stdout + r.stderr
    assert tree(root / "_site") == before_site
    assert snapshot(root) == before_content
    assert not [p.name for p in tmp_path.iterdir() if p.name != "site"]
    assert not [p.name for p in root.iterdir() if p.name.startswith("._site.")]
