"""The command line as a user meets it: exit codes, one-line errors, -C, new."""
import re
import shutil

from conftest import SEED, page, run


def test_build_prints_one_summary_line(site):
    root = site({"content/a.md": page("A")})
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"Built 4 pages in \d+\.\d\d s \(\d+ pages/s\), 0 from cache\n", r.stdout)
    # saved again, unchanged: a build, not "up to date" (which a first build slower than the
    # racy window, on a loaded machine, would otherwise allow)
    (root / "content/a.md").write_text((root / "content/a.md").read_text())
    r = run("build", cwd=root)
    assert re.fullmatch(r"Built 4 pages in \d+\.\d\d s \(\d+ pages/s\), 4 from cache\n", r.stdout)
    from test_cache import age

    age(root)
    run("build", cwd=root)
    r = run("build", cwd=root)
    assert re.fullmatch(r"Site is up to date: 4 pages, checked in \d+\.\d\d s\n", r.stdout)


def test_the_summary_counts_pages_from_the_cache(site):
    """A page whose URL is not an HTML file (url: notes.txt) is rendered but is not an HTML page
    (it printed "-1 from cache"); a static .html file is an HTML page but is copied, not rendered."""
    root = site({"content/a.md": page("A"), "content/n.md": page("Notes", url="notes.txt")})
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    # HTML pages: a, home, about and 404; notes.txt is not one
    assert re.fullmatch(r"Built 4 pages in \d+\.\d\d s \(\d+ pages/s\), 0 from cache\n", r.stdout)
    (root / "static").mkdir()
    (root / "static/plain.html").write_text("<p>plain</p>")
    (root / "content/n.md").write_text(page("Notes", "New text.", url="notes.txt"))
    r = run("build", cwd=root)
    assert re.fullmatch(r"Built 5 pages in \d+\.\d\d s \(\d+ pages/s\), 4 from cache\n", r.stdout)


def test_a_clean_build_fills_the_cache_for_the_next_build(site):
    """--clean reads nothing from the cache, but the build after it is incremental again
    (it re-rendered every page: the clean build saved no state)."""
    root = site({"content/a.md": page("A"), "content/b.md": page("B")})
    assert run("build", cwd=root).returncode == 0
    (root / "content/a.md").write_text(page("A", "Changed."))
    r = run("build", "--clean", cwd=root)
    # HTML pages: a, b, home, about and 404, all rendered
    assert re.fullmatch(r"Built 5 pages in \d+\.\d\d s \(\d+ pages/s\), 0 from cache\n", r.stdout), r.stdout
    (root / "content/b.md").write_text(page("B", "Changed too."))
    r = run("build", cwd=root)
    # only b is rendered again (the home page lists its title, which is unchanged)
    assert re.fullmatch(r"Built 5 pages in \d+\.\d\d s \(\d+ pages/s\), 4 from cache\n", r.stdout), r.stdout


def test_verbose_build_prints_the_time_of_each_phase(site):
    root = site({"content/a.md": page("A")})
    r = run("build", "--verbose", cwd=root)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Built 4 pages in ")
    assert [re.fullmatch(r"  (\w+) +\d+\.\d\d s", ln).group(1) for ln in lines[1:]] == [
        "gather", "plan", "render", "anchors", "index", "write"]


def test_content_error_is_one_line_exit_1(site):
    root = site({"content/a.md": "---\ntitle: A\n\tdate: 2024-01-01\n---\n"})
    r = run("build", cwd=root)
    assert r.returncode == 1
    assert r.stderr == "content/a.md:3: a tab character is used for indentation; YAML needs spaces\n"
    assert "Traceback" not in r.stderr


def test_verbose_shows_the_traceback(site):
    root = site({"content/a.md": "---\ntitle: [\n---\n"})
    r = run("build", "--verbose", cwd=root)
    assert r.returncode == 1 and "Traceback" in r.stderr


def test_usage_errors_exit_2(site):
    root = site({})
    assert run("frobnicate", cwd=root).returncode == 2
    assert run("build", "--no-such-flag", cwd=root).returncode == 2
    assert run(cwd=root).returncode == 2
    r = run("-C", str(root / "missing"), "build")
    assert r.returncode == 2 and "cannot change to" in r.stderr


def test_dash_C_runs_as_if_started_there(site, tmp_path):
    root = site({"content/a.md": page("A")})
    r = run("-C", str(root), "build", "--out", "elsewhere", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (root / "elsewhere/a/index.html").is_file()


def test_no_site_yaml(tmp_path):
    r = run("build", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr.startswith("site.yaml: no site.yaml in ")


def test_base_url_option(site):
    root = site({"content/a.md": page("A")})
    assert run("build", "--base-url", "https://u.github.io/r/", cwd=root).returncode == 0
    assert 'href="/r/a/"' in (root / "_site/index.html").read_text()  # the home page links the page A
    assert 'href="/r/"' in (root / "_site/a/index.html").read_text()  # and the page links home
    r = run("build", "--base-url", "u.github.io/r/", cwd=root)
    assert r.returncode == 1 and r.stderr.startswith("--base-url: base_url 'u.github.io/r/' needs a scheme")


def test_new_then_ingest_then_build(tmp_path):
    target = tmp_path / "mysite"
    assert run("new", "--articles", str(target)).returncode == 0
    shutil.copy(SEED, target / "seeds" / "article.txt")
    r = run("-C", str(target), "ingest")
    assert r.returncode == 0, r.stderr
    r = run("-C", str(target), "build")
    assert r.returncode == 0, r.stderr
    assert (target / "_site/index.html").is_file()
    assert list((target / "_site/sources").glob("*/index.html"))
    assert run("new", str(target)).returncode == 1  # not empty: refused


def test_ingest_rejects_a_binary_seed_and_writes_nothing(site):
    root = site({"seeds/photo.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00"})
    r = run("ingest", cwd=root)
    assert r.returncode == 1
    assert r.stderr == "seeds/photo.txt: binary data (a NUL byte), not text; only UTF-8 text files belong here\n"
    assert not (root / "content").exists() or not any((root / "content").rglob("*.md"))
