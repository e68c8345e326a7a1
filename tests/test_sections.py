"""Sections and bundles (issue 16): a section's index.md gives its title and introduces it (never
listed in its own list), a folder without one is titled from its name; a leaf bundle (a folder
whose index.md is its only page, beside images and other files) is a page with its files beside
it; lists order by weight, then date, then title."""
import os
import re

from conftest import page, run, write_site

PLAIN = """title: Plain
base_url: https://example.org/repo/
search: false
"""
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82")


def build(root, *extra):
    r = run("build", *extra, cwd=root)
    assert r.returncode == 0, r.stdout + r.stderr
    return root / "_site"


def cards(html: str) -> list[str]:
    """The titles of a list page's cards, in order."""
    ul = re.search(r'<ul class="card-list">.*?</ul>', html, re.S)
    return re.findall(r'<li[^>]*>\s*<a href="[^"]+">([^<]+)</a>', ul.group(0)) if ul else []


def h1(html: str) -> str:
    return re.search(r"<h1[^>]*>([^<]*)</h1>", html).group(1)


def test_a_sections_index_gives_its_title_and_introduces_it_without_being_listed(tmp_path):
    files = {"content/change_log/index.md": page("What changed", "Every release, newest first."),
             "content/change_log/v1.md": page("Version 1", date="2024-01-01"),
             "content/change_log/v2.md": page("Version 2", date="2024-02-01"),
             "content/user-guide/start.md": page("Getting started"),
             "content/API_docs/calls.md": page("Calls")}
    out = build(write_site(tmp_path / "s", files, PLAIN))
    log = (out / "change_log/index.html").read_text()
    assert h1(log) == "What changed" and "<title>What changed" in log
    assert "Every release, newest first." in log            # the intro, above the list
    assert cards(log) == ["Version 2", "Version 1"]         # never the intro itself
    assert h1((out / "user-guide/index.html").read_text()) == "User guide"   # no index.md: from the folder
    assert h1((out / "API_docs/index.html").read_text()) == "API docs"       # capitals kept
    crumbs = (out / "change_log/v1/index.html").read_text()
    assert '<a href="/repo/change_log/">What changed</a>' in crumbs          # breadcrumbs use the title too


def test_a_leaf_bundle_is_a_page_with_its_files_beside_it(tmp_path):
    files = {"content/posts/trip/index.md": page("A trip", "![The harbour](harbour.png)\n\n"
                                                 "[The map](files/map.pdf) and [again](./harbour.png).",
                                                 date="2024-05-01"),
             "content/posts/trip/harbour.png": PNG,
             "content/posts/trip/files/map.pdf": b"%PDF-1.4\n",
             "content/posts/hello.md": page("Hello", date="2024-04-01")}
    root = write_site(tmp_path / "s", files, PLAIN)
    out = build(root)
    trip = (out / "posts/trip/index.html").read_text()
    assert h1(trip) == "A trip" and 'class="card-list"' not in trip       # a page, not a list
    assert '<img alt="The harbour" src="/repo/posts/trip/harbour.png"' in trip
    assert '<a href="/repo/posts/trip/files/map.pdf">The map</a>' in trip
    assert '<a href="/repo/posts/trip/harbour.png">again</a>' in trip
    assert (out / "posts/trip/harbour.png").read_bytes() == PNG
    assert (out / "posts/trip/files/map.pdf").read_bytes() == b"%PDF-1.4\n"
    assert cards((out / "posts/index.html").read_text()) == ["A trip", "Hello"]   # listed in its parent
    assert '<a href="/repo/posts/">Posts</a>' in trip                         # its breadcrumb: the parent
    r = run("check", cwd=root)
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_any_page_at_its_folders_url_alone_in_the_folder_is_a_leaf_bundle(tmp_path):
    files = {"content/posts/trip/story.md": page("A trip", "![The harbour](harbour.png)", url="posts/trip/"),
             "content/posts/trip/harbour.png": PNG,
             "content/posts/only/_index.md": page("Only an index"),   # _index.md: a section, never a bundle
             "content/posts/notes/README.md": page("Notes", "[The map](map.pdf)"),   # a README is a folder's index
             "content/posts/notes/map.pdf": b"%PDF-1.4\n",
             "content/posts/hello.md": page("Hello")}
    out = build(write_site(tmp_path / "s", files, PLAIN))
    assert '<img alt="The harbour" src="/repo/posts/trip/harbour.png"' in (out / "posts/trip/index.html").read_text()
    assert '<a href="/repo/posts/notes/map.pdf">The map</a>' in (out / "posts/notes/index.html").read_text()
    assert cards((out / "posts/index.html").read_text()) == ["A trip", "Hello", "Notes"]


def test_a_leaf_bundles_files_move_with_its_page(tmp_path):
    """url: or slug: moves the page, and its files with it (Hugo publishes a bundle's resources
    under the page's address): the page's relative links -- raw HTML's too, which no one rewrites --
    lead to them, and so do other pages' links to the files."""
    files = {"content/posts/trip/index.md": page("A trip", "![The harbour](harbour.png) [map](files/map.pdf)\n\n"
                                                 '<img src="harbour.png" alt="raw">', url="journeys/harbour-trip/"),
             "content/posts/trip/harbour.png": PNG,
             "content/posts/trip/files/map.pdf": b"%PDF-1.4\n",
             "content/posts/walk/index.md": page("A walk", "![The hill](hill.png)", slug="hill-walk"),
             "content/posts/walk/hill.png": PNG,
             "content/posts/hello.md": page("Hello", "[The trip's map](trip/files/map.pdf) [hill](walk/hill.png) "
                                            "[walk](walk/index.md)")}
    root = write_site(tmp_path / "s", files, PLAIN + "allow_html: true\n")
    out = build(root)
    trip = (out / "journeys/harbour-trip/index.html").read_text()
    assert '<img alt="The harbour" src="/repo/journeys/harbour-trip/harbour.png"' in trip
    assert '<a href="/repo/journeys/harbour-trip/files/map.pdf">map</a>' in trip
    assert '<img src="harbour.png" alt="raw"' in trip            # relative: beside the page
    assert (out / "journeys/harbour-trip/harbour.png").read_bytes() == PNG
    assert (out / "journeys/harbour-trip/files/map.pdf").read_bytes() == b"%PDF-1.4\n"
    hello = (out / "posts/hello/index.html").read_text()
    assert '<a href="/repo/journeys/harbour-trip/files/map.pdf">' in hello
    # slug: on a bundle's index.md replaces the folder's name, the last segment (Hugo: posts/hill-walk/)
    assert (out / "posts/hill-walk/hill.png").read_bytes() == PNG
    walk = (out / "posts/hill-walk/index.html").read_text()
    assert '<img alt="The hill" src="/repo/posts/hill-walk/hill.png"' in walk
    assert '<a href="/repo/posts/hill-walk/hill.png">hill</a>' in hello
    assert '<a href="/repo/posts/hill-walk/">walk</a>' in hello
    assert not (out / "posts/trip").exists() and not (out / "posts/walk").exists()   # nothing left behind
    assert cards((out / "posts/index.html").read_text()) == ["A trip", "A walk", "Hello"]   # still leaf bundles
    r = run("check", cwd=root)   # every link and image of the built site leads to a file
    assert (r.returncode, r.stdout) == (0, "No problems found in _site/\n")


def test_slug_moves_only_a_leaf_bundle_not_a_section_or_the_home_page(tmp_path):
    """Hugo: slug does not apply to section pages; a section's index stays where its pages are listed."""
    files = {"content/index.md": page("Home", slug="start"),
             "content/docs/_index.md": page("The manual", slug="manual"),
             "content/docs/guide.md": page("Guide")}
    root = write_site(tmp_path / "s", files, PLAIN)
    r = run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    assert [line for line in r.stderr.splitlines() if "warning" in line] == [
        "content/docs/_index.md:3: warning: slug: is ignored on a section's _index.md (as in Hugo): the "
        "section's address is its folder's, /docs/; rename the folder to change it",
        "content/index.md:3: warning: slug: is ignored on the home page, whose address is the site's root "
        "(as in Hugo); remove the line"]
    out = root / "_site"
    assert h1((out / "docs/index.html").read_text()) == "The manual" and not (out / "manual").exists()
    assert not (out / "start").exists()
    files = {"content/posts/trip/index.md": page("The trip", slug="voyage"),
             "content/posts/trip/day-1.md": page("Day one")}
    r = run("build", cwd=write_site(tmp_path / "t", files, PLAIN))
    assert (r.returncode, r.stderr.strip()) == (1, "content/posts/trip/index.md:3: slug: would move this page away "
                                                   "from the pages beside it: posts/trip/ holds other pages, so it is "
                                                   "a section that index.md introduces at /posts/trip/; rename the "
                                                   "folder to change its address, or remove slug:")


def test_a_folder_with_index_md_and_other_pages_stays_a_section(tmp_path):
    files = {"content/posts/trip/index.md": page("The trip", "Three days by the sea."),
             "content/posts/trip/day-1.md": page("Day one", date="2024-05-01"),
             "content/posts/trip/photo.png": PNG,
             "content/posts/hello.md": page("Hello")}
    out = build(write_site(tmp_path / "s", files, PLAIN))
    trip = (out / "posts/trip/index.html").read_text()
    assert h1(trip) == "The trip" and cards(trip) == ["Day one"] and "Three days by the sea." in trip
    assert cards((out / "posts/index.html").read_text()) == ["Hello"]   # a section, not one of posts/' pages


def test_a_bundle_becomes_a_section_when_a_page_is_added_to_it(tmp_path):
    files = {"content/posts/trip/index.md": page("The trip"), "content/posts/hello.md": page("Hello")}
    root = write_site(tmp_path / "s", files, PLAIN)
    out = build(root)
    assert cards((out / "posts/index.html").read_text()) == ["Hello", "The trip"]
    (root / "content/posts/trip/day-1.md").write_text(page("Day one"))
    out = build(root)   # warm: the page read from the cache is a section's intro now
    assert cards((out / "posts/index.html").read_text()) == ["Hello"]
    assert cards((out / "posts/trip/index.html").read_text()) == ["Day one"]
    (root / "content/posts/trip/day-1.md").unlink()
    out = build(root)
    assert cards((out / "posts/index.html").read_text()) == ["Hello", "The trip"]


def test_a_bundles_links_are_checked_and_stay_inside_content(tmp_path):
    files = {"content/posts/trip/index.md": page("A trip", "Intro.\n\n![Gone](gone.png)\n\n[Up](../../../site.yaml)"),
             "content/posts/trip/harbour.png": PNG}
    r = run("build", cwd=write_site(tmp_path / "s", files, PLAIN))
    assert r.returncode == 1
    assert r.stderr.splitlines()[:2] == [
        "content/posts/trip/index.md:6: broken link: gone.png (no file content/posts/trip/gone.png); "
        "link to a .md page or to a file in content/ or static/",
        "content/posts/trip/index.md:8: broken link: ../../../site.yaml points outside content/"]


def test_a_bundle_file_linking_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    root = write_site(tmp_path / "s", {"content/posts/trip/index.md": page("A trip", "![x](harbour.png)")}, PLAIN)
    os.symlink(outside, root / "content/posts/trip/harbour.png")
    r = run("build", cwd=root)
    assert r.returncode == 1
    assert r.stderr == (f"content/posts/trip/harbour.png: symbolic link to a file outside the project ({outside}); "
                        "copy it into the project or remove the link\n")
    assert not (root / "_site").exists()


def test_lists_order_by_weight_then_newest_first_then_title(tmp_path):
    files = {"content/notes/a.md": page("Alpha", date="2024-01-01"),
             "content/notes/b.md": page("Bravo", date="2024-06-01"),
             "content/notes/c.md": page("Charlie", weight=2, date="2023-01-01"),
             "content/notes/d.md": page("Delta", weight=1),
             "content/notes/e.md": page("Echo"),
             "content/notes/f.md": page("Foxtrot", weight=2, date="2024-03-01"),
             "content/notes/g.md": page("Aardvark")}
    out = build(write_site(tmp_path / "s", files, PLAIN))
    # weighted first (1 before 2; equal weights newest first), then dated newest first, then by title
    assert cards((out / "notes/index.html").read_text()) == [
        "Delta", "Foxtrot", "Charlie", "Bravo", "Alpha", "Aardvark", "Echo"]
