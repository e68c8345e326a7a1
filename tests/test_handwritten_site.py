"""The hand-written example site (tests/sites/handwritten/): a Hugo or MkDocs user's site, no
articles, using every general-purpose feature. Built with --strict (no warnings allowed), then
checked, then read as a visitor would. Each feature adds its pages to the site and its
assertions here (expected text written by hand from the site's files)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run

SITE = ROOT / "tests" / "sites" / "handwritten"
BASE = "https://example.org/handwritten/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("handwritten") / "site"
    shutil.copytree(SITE, project)
    out = project / "_site"
    r = run("-C", str(project), "build", "--strict", "--out", str(out), "--base-url", BASE)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr.lower(), r.stderr
    return out


def test_the_site_builds_strictly_and_passes_check(built: Path) -> None:
    r = run("-C", str(built.parent), "check", "--out", str(built), "--base-url", BASE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No problems found" in r.stdout


def test_a_guide_page_shows_its_title_and_headings(built: Path) -> None:
    html = (built / "guides" / "first-steps" / "index.html").read_text(encoding="utf-8")
    assert html.count("<h1") == 1
    assert ">First steps</h1>" in html
    assert ">Install</h2>" in html and ">Build</h2>" in html


def test_the_section_page_lists_its_pages(built: Path) -> None:
    html = (built / "guides" / "index.html").read_text(encoding="utf-8")
    assert 'href="/handwritten/guides/first-steps/"' in html
