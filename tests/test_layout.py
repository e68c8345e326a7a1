"""The layout (README, "Code map"): imports point down the pipeline, as pyproject.toml's
import-linter contract says; the build cache's code hash covers every module of every
subpackage; the default theme is the repository's templates/."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from site_builder.build.incremental import environment
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
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_the_import_contract_catches_an_import_up_the_layers(tmp_path):
    """The contracts bite: the model importing the renderer (a copy of the package with that one
    import added) breaks the layers, and through the model ingest now reaches the renderer too;
    a part split from a module importing the whole back (the Jinja environment the template graph,
    the command line's grammar the commands) breaks its own contract."""
    copy = tmp_path / "site_builder"
    shutil.copytree(ROOT / "site_builder", copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    config = copy / "model" / "config.py"
    config.write_text(config.read_text().replace("from ..errors import SiteError\n",
                                                 "from ..errors import SiteError\nfrom ..render import markdown\n", 1))
    for rel, line in (("render/templates.py", "from . import templatedeps\n"), ("commands/options.py", "from . import cli\n")):
        module = copy / rel
        module.write_text(module.read_text().replace("from __future__ import annotations\n",
                                                     f"from __future__ import annotations\n{line}", 1))
    result = lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    said = " ".join(result.stdout.split())  # lint-imports wraps long lines
    assert "Contracts: 0 kept, 4 broken." in said
    assert ("site_builder.model is not allowed to import site_builder.render: "
            "- site_builder.model.config -> site_builder.render.markdown (l.12)") in said
    assert "site_builder.ingest is not allowed to import site_builder.render:" in said
    assert ("site_builder.render.templates is not allowed to import site_builder.render.templatedeps: "
            "- site_builder.render.templates -> site_builder.render.templatedeps (l.4)") in said
    assert ("site_builder.commands.options is not allowed to import site_builder.commands.cli: "
            "- site_builder.commands.options -> site_builder.commands.cli (l.4)") in said


def test_the_code_hash_covers_every_subpackage(tmp_path, monkeypatch):
    """A cache made by other code is never reused: an edit to a module in a subpackage, or a
    module renamed, changes the hash."""
    copy = tmp_path / "site_builder"
    shutil.copytree(ROOT / "site_builder", copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(environment, "PACKAGE", copy)
    first = environment.code_hash()
    assert environment.code_hash() == first
    renderer = copy / "render" / "context.py"
    renderer.write_text(renderer.read_text() + "\n# an edit\n")
    edited = environment.code_hash()
    assert edited != first
    (copy / "model" / "theme.py").rename(copy / "model" / "themes.py")  # same place in the order
    assert environment.code_hash() not in (first, edited)


def test_the_default_theme_is_the_repositorys_templates():
    """site_builder/theme links to templates/ (the demo site's theme ships in the package)."""
    assert (ROOT / "site_builder" / "theme").is_symlink()
    assert theme.THEME_DIR.resolve() == (ROOT / "templates").resolve()
    assert (theme.THEME_DIR / "base.html").is_file()


def test_no_file_names_a_path_of_this_machine():
    """Nothing in the repository depends on where it was cloned: no path under this machine's
    work folder (the shared bench harness is found relative to the checkout)."""
    machine = "/" + "work" + "/"  # (spelt so that this file does not name it)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    found = []
    for rel in files.decode().split("\0"):
        path = ROOT / rel
        if not rel or not path.is_file() or path.is_symlink() or rel.startswith("tests/golden/"):
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary (a screenshot)
        for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if machine in line:
                found.append(f"{rel}:{n}: {line.strip()[:100]}")
    assert found == []


def test_the_bench_finds_the_shared_harness_beside_the_checkout(tmp_path):
    """bench/run.sh looks for the shared harness at ../shared/bench from the project's root,
    wherever it is cloned (here: a copy with no harness beside it, so it stops and says where)."""
    clone = tmp_path / "somewhere" / "project"
    (clone / "bench").mkdir(parents=True)
    shutil.copy(ROOT / "bench" / "run.sh", clone / "bench" / "run.sh")
    (clone / ".venv" / "bin").mkdir(parents=True)
    (clone / ".venv" / "bin" / "python").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if k != "BENCH_SHARED"}
    result = subprocess.run(["bash", str(clone / "bench" / "run.sh")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"no shared harness at {tmp_path}/somewhere/shared/bench (set BENCH_SHARED)\n"
    (tmp_path / "somewhere" / "shared" / "bench").mkdir(parents=True)  # found: the next check speaks
    result = subprocess.run(["bash", str(clone / "bench" / "run.sh")], env={**env, "BENCH_SIZES": "x"},
                            capture_output=True, text=True, timeout=60)
    assert "no shared harness" in result.stderr  # run_all.sh is what it looks for
    (tmp_path / "somewhere" / "shared" / "bench" / "run_all.sh").write_text("")
    result = subprocess.run(["bash", str(clone / "bench" / "run.sh")], env={**env, "BENCH_SIZES": "x"},
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (2, "BENCH_SIZES: 'x' is not a page count\n")


VULTURE = Path(sys.executable).with_name("vulture")


def test_no_dead_code():
    """Every function, class, method, attribute and constant of site_builder is used by the
    package, its tests or the bench scripts (vulture; the names used only by libraries and
    templates are listed in tests/vulture_whitelist.py, each with why)."""
    result = subprocess.run([str(VULTURE), "site_builder", "tests", "bench", "--min-confidence", "60"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    ours = [line for line in result.stdout.splitlines() if line.startswith("site_builder/")]
    assert ours == [], result.stdout + result.stderr


def test_the_dead_code_check_finds_an_unused_function(tmp_path):
    """The check bites: a function nothing calls is reported (a copy of the package with one added)."""
    copy = tmp_path / "site_builder"
    shutil.copytree(ROOT / "site_builder", copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "model" / "urls.py").write_text((copy / "model" / "urls.py").read_text()
                                            + "\n\ndef forgotten(x):\n    return x\n")
    result = subprocess.run([str(VULTURE), str(copy), str(ROOT / "tests"), "--min-confidence", "60"],
                            capture_output=True, text=True, timeout=300)
    assert f"{copy}/model/urls.py" in result.stdout and "unused function 'forgotten'" in result.stdout
