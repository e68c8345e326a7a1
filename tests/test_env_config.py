"""SITE_BUILDER_<KEY> environment variables override site.yaml's keys, typed like them; every
error names the variable; a change of one is a change of the site (never 'up to date')."""
import os

import pytest

from conftest import BASE_CONFIG, page, run

CONFIG = {**BASE_CONFIG, "search": True}


def _pages(n: int) -> dict[str, str]:
    return {f"content/notes/n{i}.md": page(f"Note {i}", date=f"2024-01-{i + 1:02}") for i in range(n)}


def test_overrides_typed_like_the_key(site):
    root = site(_pages(3), CONFIG)
    r = run("build", cwd=root, env={"SITE_BUILDER_TITLE": "Preview: 2024", "SITE_BUILDER_BASE_URL":
                                    "https://preview.example.org/pr-7", "SITE_BUILDER_PAGINATE": "2",
                                    "SITE_BUILDER_SEARCH": "false"})
    assert r.returncode == 0, r.stderr
    out = root / "_site"
    home = (out / "index.html").read_text()
    assert "<title>Preview: 2024</title>" in home  # a string stays a string ('2024' is not a number)
    assert '<link rel="canonical" href="https://preview.example.org/pr-7/">' in home
    assert (out / "notes/page/2/index.html").is_file() and not (out / "notes/page/3").exists()
    assert not (out / "search").exists()


def test_the_command_line_beats_the_environment(site):
    root = site(_pages(1), CONFIG)
    r = run("build", "--base-url", "https://cli.example.org/", cwd=root,
            env={"SITE_BUILDER_BASE_URL": "https://env.example.org/"})
    assert r.returncode == 0, r.stderr
    assert 'href="https://cli.example.org/"' in (root / "_site/index.html").read_text()


@pytest.mark.parametrize("name, value, message", [
    ("SITE_BUILDER_PAGINATE", "ten", "'paginate' must be a whole number, not a string"),
    ("SITE_BUILDER_PAGINATE", "0", "paginate is 0: it is how many items a page of a list shows, from 1 to 1000; "
                                   "e.g. paginate: 10"),
    ("SITE_BUILDER_SEARCH", "maybe", "'search' must be true or false, not a string"),
    ("SITE_BUILDER_BASE_URL", "example.org", "base_url 'example.org' needs a scheme and a host, "
                                             "e.g. https://user.github.io/repo/"),
    ("SITE_BUILDER_EXTRA", "{a: [", "a { mapping is never closed; add the closing }"),
    ("SITE_BUILDER_TITEL", "x", "site.yaml has no key 'titel' (did you mean 'SITE_BUILDER_TITLE'?); unset it, "
                                "or name a key of site.yaml, e.g. SITE_BUILDER_BASE_URL"),
    ("SITE_BUILDER_THEMES", "[]", "themes are written in site.yaml; unset it, or name a key of site.yaml, "
                                  "e.g. SITE_BUILDER_BASE_URL"),
])
def test_errors_name_the_variable(site, name, value, message):
    root = site(_pages(1), CONFIG)
    r = run("build", cwd=root, env={name: value})
    assert (r.returncode, r.stderr) == (1, f"{name}: {message}\n")


def test_a_changed_variable_rebuilds(site):
    root = site(_pages(1), CONFIG)
    past = os.stat(root).st_mtime - 60  # files saved a minute ago: trusted as unchanged
    for p in root.rglob("*"):
        os.utime(p, (past, past))
    assert run("build", cwd=root, env={"SITE_BUILDER_TITLE": "First"}).returncode == 0
    r = run("build", cwd=root, env={"SITE_BUILDER_TITLE": "First"})
    assert r.stdout.startswith("Site is up to date"), r.stdout
    r = run("build", cwd=root, env={"SITE_BUILDER_TITLE": "Second"})
    assert r.returncode == 0 and not r.stdout.startswith("Site is up to date"), r.stdout
    assert "<title>Second</title>" in (root / "_site/index.html").read_text()
