"""The golden site: the seed site built at https://example.github.io/repo/ must match the
committed tests/golden/ byte for byte. After a deliberate change to templates, ingestion or
rendering, look at the diff, then `make golden` to accept it."""
import difflib
import os
import shutil
from pathlib import Path

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"


def build_seed(tmp: Path) -> Path:
    site = tmp / "site"
    site.mkdir()
    for d in ("content", "seeds"):
        shutil.copytree(ROOT / d, site / d)
    (site / "site.yaml").write_text((ROOT / "site.yaml").read_text().replace("search: true", "search: false"))
    build(load_config(site, base_url="https://example.github.io/repo/"), use_cache=False)
    return site / "_site"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_seed_site_matches_the_golden_copy(tmp_path):
    out = build_seed(tmp_path)
    if os.environ.get("GOLDEN_UPDATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    got, want = files(out), files(GOLDEN)
    assert sorted(got) == sorted(want)
    for name in want:
        if got[name] != want[name]:
            diff = difflib.unified_diff(want[name].decode(errors="replace").splitlines(),
                                        got[name].decode(errors="replace").splitlines(), "golden/" + name, "built", lineterm="")
            raise AssertionError(f"{name} differs from the golden copy (make golden accepts it):\n" +
                                 "\n".join(list(diff)[:40]))
