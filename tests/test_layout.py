"""The layout (README, "Code map"): imports point down the pipeline, as pyproject.toml's
import-linter contract says; the build cache's code hash covers every module of every
subpackage; the default theme is the repository's templates/."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from site_builder.build import inputs
from site_builder.model import theme

from conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the contracts of ``folder``'s pyproject.toml, on its site_builder."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_the_import_contract_holds():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_import_contract_catches_an_import_up_the_layers(tmp_path):
    """The contracts bite: the model importing the renderer (a copy of the package with that one
    import added) breaks the layers, and through the model ingest now reaches the renderer too."""
    copy = tmp_path / "site_builder"
    shutil.copytree(ROOT / "site_builder", copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    config = copy / "model" / "config.py"
    config.write_text(config.read_text().replace("from ..errors import SiteError\n",
                                                 "from ..errors import SiteError\nfrom ..render import markdown\n", 1))
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 2 broken." in result.stdout
    assert ("site_builder.model is not allowed to import site_builder.render:\n\n"
            "- site_builder.model.config -> site_builder.render.markdown (l.13)") in result.stdout
    assert "site_builder.ingest is not allowed to import site_builder.render:" in result.stdout


def test_the_code_hash_covers_every_subpackage(tmp_path, monkeypatch):
    """A cache made by other code is never reused: an edit to a module in a subpackage, or a
    module renamed, changes the hash."""
    copy = tmp_path / "site_builder"
    shutil.copytree(ROOT / "site_builder", copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs, "PACKAGE", copy)
    first = inputs.code_hash()
    assert inputs.code_hash() == first
    renderer = copy / "render" / "context.py"
    renderer.write_text(renderer.read_text() + "\n# an edit\n")
    edited = inputs.code_hash()
    assert edited != first
    (copy / "model" / "theme.py").rename(copy / "model" / "themes.py")  # same place in the order
    assert inputs.code_hash() not in (first, edited)


def test_the_default_theme_is_the_repositorys_templates():
    """site_builder/theme links to templates/ (the demo site's theme ships in the package)."""
    assert (ROOT / "site_builder" / "theme").is_symlink()
    assert theme.THEME_DIR.resolve() == (ROOT / "templates").resolve()
    assert (theme.THEME_DIR / "base.html").is_file()
