"""Bounded work (issue 12, findings 7, 9 and 20): a few hundred bytes of YAML or a page far
below the 10 MB cap must not take minutes or gigabytes; an odd `language:` must not crash
Pagefind (or lead it out of the output folder). Each refusal is one line `path:line:
message`, exit 1, well within a time limit that the old code missed by minutes."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from site_builder.errors import SiteError
from site_builder.model import yamlfile
from site_builder.model.scan import scan_body
from site_builder.render.markdown import Converter

from conftest import BASE_CONFIG, page, run, serve_folder, write_site

LIMIT = 10  # seconds, for builds the old code ran for a minute and more


def bomb(levels: int = 9) -> str:
    """The 'billion laughs': each list holds nine copies of the one before (9^9 'lol's)."""
    lines = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"[:levels - 1]):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def timed_run(*args: str, cwd: Path):
    start = time.monotonic()
    r = run(*args, cwd=cwd, timeout=60)
    return r, time.monotonic() - start


# --- finding 7: YAML alias bombs ----------------------------------------------------------------

def test_alias_bomb_in_front_matter_is_refused_at_once(tmp_path):
    """Finding 7: a YAML alias bomb of a few hundred bytes in a page's `extra:` took over 60 s
    and 3 GB; aliases are refused before any value is built, naming the first alias."""
    text = "---\ntitle: Bomb\nextra:\n" + bomb() + "---\nText.\n"
    assert len(text.encode()) < 600
    root = write_site(tmp_path / "site", {"content/bomb.md": text, "content/a.md": page("A")})
    r, seconds = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "content/bomb.md:5: YAML aliases (&anchor / *alias) are not allowed "
                                           "in front matter; write the value out\n")
    assert seconds < LIMIT


def test_alias_bomb_in_site_yaml_is_refused_at_once(tmp_path):
    """Finding 7 for site.yaml: the same bomb under `extra:`."""
    config = "title: T\nbase_url: https://example.org/\nsearch: false\nextra:\n" + bomb()
    root = write_site(tmp_path / "site", {"site.yaml": config, "content/a.md": page("A")})
    r, seconds = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "site.yaml:6: YAML aliases (&anchor / *alias) are not allowed in "
                                           "site.yaml; write the value out\n")
    assert seconds < LIMIT


def test_ingest_reading_a_page_with_a_bomb_finishes(tmp_path):
    """Finding 7 in `ingest`, which reads the front matter of the pages it made before: a bomb in
    one of them is skipped like any broken page, and the build names it."""
    text = "---\ntitle: Bomb\nseed: seeds/other.txt\ngenerated: 0123abcd\nextra:\n" + bomb() + "---\nText.\n"
    root = write_site(tmp_path / "site", {"content/sources/bomb.md": text,
                                          "seeds/a.txt": "A headline\n\nThe laboratory opened in 2023.\n"})
    r, seconds = timed_run("ingest", cwd=root)
    assert r.returncode == 0 and seconds < LIMIT, r.stderr
    r, seconds = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "content/sources/bomb.md:7: YAML aliases (&anchor / *alias) are not "
                                           "allowed in front matter; write the value out\n")


@pytest.mark.parametrize("base", ["CSafeLoader", "SafeLoader"])
def test_both_yaml_loaders_refuse_aliases_and_deep_nesting(monkeypatch, base):
    """Finding 7 with libyaml's loader and with the pure-Python one (used where PyYAML was built
    without libyaml): the check is on the composed nodes, before either builds a value."""
    if not hasattr(yaml, base):
        pytest.skip(f"PyYAML without {base}")
    monkeypatch.setattr(yamlfile, "_StrictLoader", yamlfile._make_loader(getattr(yaml, base)))
    cases = {
        "extra:\n" + bomb(): "f.md:4: YAML aliases (&anchor / *alias) are not allowed in front matter; write the "
                             "value out",
        "a: &x 1\nb: *x\n": "f.md:3: YAML aliases (&anchor / *alias) are not allowed in front matter; write the "
                            "value out",
        "a: &x [*x]\n": "f.md:2: YAML aliases (&anchor / *alias) are not allowed in front matter; write the value out",
        "base: &b {x: 1}\nc:\n  <<: *b\n": "f.md:4: YAML aliases (&anchor / *alias) are not allowed in front "
                                          "matter; write the value out",
        "a: " + "[" * 51 + "]" * 51: "f.md:2: values nested more than 50 levels deep; flatten them",
        "d: 2024-02-30": "f.md:2: '2024-02-30' is not a valid date (February 2024 has 29 days); write a real date "
                         "as YYYY-MM-DD, or put it in quotes if it is text",
    }
    for text, expected in cases.items():
        with pytest.raises(SiteError) as e:
            yamlfile.load_yaml(text, "f.md", 2)
        assert str(e.value) == expected
    # an anchor nobody refers to is harmless; 50 levels are fine
    assert yamlfile.load_yaml("a: &x 1\nb: 2\n", "f.md") == {"a": 1, "b": 2}
    assert yamlfile.load_yaml("a: " + "[" * 49 + "]" * 49, "f.md")["a"] is not None


# --- finding 9: Markdown that Python-Markdown renders in superlinear time ------------------------

INLINE = "links, emphasis, code spans or other inline marks"
SPLIT = "add blank lines between paragraphs, or split the page"
BRACKETS = r"close them, write a literal bracket as \[, or split the page"
PATHOLOGICAL = {
    # name: (body, line, why) — each took from 10 s to several minutes before
    "100 KB of ![": ("![" * 50_000, 4, f"50,000 {INLINE} in 100,000 characters without a blank line); {SPLIT}"),
    "nested [ ] 20,000 deep": ("[" * 20_000 + "x" + "]" * 20_000, 4,
                               f"20,000 {INLINE} in 40,001 characters without a blank line); {SPLIT}"),
    "[^1] x 20,000": ("[^1] " * 20_000 + "\n\n[^1]: A note.", 4,
                      "20,001 footnote references; the limit is 1,000); split the page into several pages"),
    "1 MB of *emph* word": ("*emph* word " * 87_000, 4,
                            f"174,000 {INLINE} in 1,044,000 characters without a blank line); {SPLIT}"),
    "hard breaks": ("a  \n" * 50_000, 4, f"50,000 {INLINE} in 200,000 characters without a blank line); {SPLIT}"),
    # named: the brackets that close over 100 characters later, or never
    "8,000 unclosed [": ("[" * 8_000, 4, f"7,900 '[' or '(' closed far away or never, in 8,000 characters "
                                         f"without a blank line); {BRACKETS}"),
    "nested [ ] 3,000 deep": ("[" * 3_000 + "x" + "]" * 3_000, 4,
                              f"2,950 '[' or '(' closed far away or never, in 6,001 characters without a blank "
                              f"line); {BRACKETS}"),
    "[a]( x 3,000": ("[a](" * 3_000, 4, f"2,975 '[' or '(' closed far away or never, in 12,000 characters without a "
                                        f"blank line); {BRACKETS}"),
    "20,000 unclosed fences": ("```x\n" * 20_000, 4, "code fences that are never closed); split the page into "
                                                      "several pages"),
    "200,000 paragraphs": ("a\n\n" * 200_000, 100_004, "over 50,000 paragraphs and other blocks); split the page "
                                                       "into several pages"),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_is_refused_quickly(tmp_path, name):
    """Finding 9: 100 KB of `![`, nested brackets, `[^1]` × 20,000, 1 MB of `*emph* word` and
    the other inputs Python-Markdown renders in superlinear time hung the build; a density
    limit in the pre-scan (the same on every machine) refuses them with the line and the reason."""
    body, line, why = PATHOLOGICAL[name]
    root = write_site(tmp_path / "site", {"content/x.md": "---\ntitle: X\n---\n" + body, "content/a.md": page("A")})
    r, seconds = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, f"content/x.md:{line}: too complex to render ({why}\n")
    assert seconds < LIMIT


def test_html_start_tags_without_end_are_refused_where_html_is_allowed(tmp_path):
    """Finding 9 with `allow_html: true`: Python's HTML parser reads each unclosed `<a ` to the
    end of the page (16,000 of them: 27 s)."""
    root = write_site(tmp_path / "site", {"content/x.md": "---\ntitle: X\n---\n" + "<a " * 16_000,
                                          "content/a.md": page("A")}, {**BASE_CONFIG, "allow_html": True})
    r, seconds = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "content/x.md:4: too complex to render (HTML start tags without their "
                                           "closing '>'); split the page into several pages\n")
    assert seconds < LIMIT


JUST_BELOW = {  # the largest inputs of each kind that pass: each renders in about a second
    "2,000 unclosed [": ("[" * 2_000, False),
    "1,400 [a](": ("[a](" * 1_400, False),
    "15,000 hard breaks": ("a  \n" * 15_000, False),
    "1,000 footnote references": ("[^1] " * 999 + "\n\n[^1]: A note.", False),
    "49,000 paragraphs": ("a\n\n" * 49_000, False),
    "4,000 unclosed fences": ("```x\n" * 4_000, False),
    "1,800 unclosed <a": ("<a " * 1_800, True),
}


@pytest.mark.parametrize("name", JUST_BELOW)
def test_inputs_just_below_the_limits_render_in_bounded_time(name):
    """Finding 9: the limits sit where the work is still about a second, so what they let
    through cannot hang a build either."""
    body, allow_html = JUST_BELOW[name]
    assert scan_body(body, 1, allow_html).too_complex is None
    start = time.process_time()
    Converter(allow_html=allow_html).convert(body)
    assert time.process_time() - start < LIMIT


def test_a_large_real_world_page_is_not_too_complex():
    """Finding 9: a changelog as projects write them (here 5,000 entries, 300 KB, links, code
    spans and emphasis in lists under headings) stays far below every limit."""
    entries = [f"* [#{i}](https://github.com/o/r/pull/{i}) Fix `parse_{i}()` for **nested** input "
               f"([@user{i % 97}](https://github.com/user{i % 97}))" for i in range(5_000)]
    body = "\n\n".join(f"## v{v}.0\n\n" + "\n".join(entries[v * 50:(v + 1) * 50]) for v in range(100))
    assert len(body) > 300_000
    assert scan_body(body, 1).too_complex is None


def test_the_scan_stays_linear_on_long_pages():
    """The pre-scan itself: it counted lines from the start of the page for every link, and
    sliced from the start for every indented block (1 s on a 300 KB changelog)."""
    body = ("Text with a [link](a.md) and more.\n\n    code\n\n" * 20_000)
    start = time.process_time()
    scan = scan_body(body, 1)
    assert time.process_time() - start < 2
    assert scan.links[-1] == ("a.md", 1 + 4 * 19_999)


# --- finding 20: the site's language, in <html lang> and in Pagefind's file names -----------------

HELP = "write the 2- or 3-letter language code, with a script or region if needed, e.g. language: en, zh-CN, " \
       "pt-BR or sr-Latn"


@pytest.mark.parametrize("language, message", [
    ("english", f"language 'english' is not a BCP 47 language tag; {HELP}"),
    ("en_US", f"language 'en_US' is not a BCP 47 language tag (did you mean 'en-US'?); {HELP}"),
    ("''", f"language '' is not a BCP 47 language tag; {HELP}"),
    ("../../../../pagefind-escape", f"language '../../../../pagefind-escape' is not a BCP 47 language tag; {HELP}"),
    ("yue-Hant-HK-x-abcdefgh-abcdefgh", "language 'yue-Hant-HK-x-abcdefgh-abcdefgh' is longer than 20 characters, "
                                        f"more than the search index can hold; {HELP}"),
])
def test_an_odd_language_is_a_clear_error(tmp_path, language, message):
    """Finding 20: an odd `language:` made Pagefind panic with an unhelpful message (and
    `../..` in it made Pagefind write a file outside the project); it must be a BCP 47 tag."""
    config = f"title: T\nbase_url: https://example.org/\nsearch: true\nlanguage: {language}\n"
    root = write_site(tmp_path / "p" / "site", {"site.yaml": config, "content/a.md": page("A")})
    r, _ = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, f"site.yaml:4: {message}\n")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["site"]


def test_a_page_language_is_checked_the_same_way(tmp_path):
    """Finding 20 for a page's own `language:` (it becomes that page's <html lang>, which Pagefind
    reads): the same rule, with the page's file and line."""
    root = write_site(tmp_path / "site", {"content/a.md": page("A", language="en-aaaaaaaa-aaaaaaaa-aaaaaaaa")})
    r, _ = timed_run("build", cwd=root)
    assert (r.returncode, r.stderr) == (1, "content/a.md:3: language 'en-aaaaaaaa-aaaaaaaa-aaaaaaaa' is longer than "
                                           f"20 characters, more than the search index can hold; {HELP}\n")


@pytest.mark.parametrize("language", ["en", "zh-CN", "pt-BR", "sr-Latn", "de-CH-1996", "x-klingon",
                                      "sr-Latn-RS-u-nu-latn"])
def test_accepted_languages_index_with_pagefind(tmp_path, language):
    """Finding 20: every tag accepted, up to the longest allowed, goes through a real Pagefind
    index (search on) without a panic, under its own name."""
    config = f"title: T\nbase_url: https://example.org/\nsearch: true\nlanguage: {language}\n"
    root = write_site(tmp_path / "site", {"site.yaml": config, "content/a.md": page("A", "Laboratories open."),
                                          "content/b.md": page("B", "Otvorena laboratorija.", language="sr-Latn-RS")})
    r, _ = timed_run("build", cwd=root)
    assert r.returncode == 0, r.stderr
    entry = json.loads((root / "_site/pagefind/0/pagefind-entry.json").read_text())
    assert sorted(entry["languages"]) == sorted({language.lower(), "sr-latn-rs"})
    assert f'<html lang="{language}">' in (root / "_site/a/index.html").read_text()


@pytest.mark.browser
@pytest.mark.parametrize("language, word, body", [("zh-CN", "实验室", "广东新建了十个实验室。"),
                                                   ("sr-Latn", "laboratorija", "Otvorena je nova laboratorija.")])
def test_search_finds_pages_of_a_site_in_another_language(browser, tmp_path, language, word, body):
    """Finding 20 in Chromium: with such a language the search page finds a page by a word of it."""
    config = f"title: T\nbase_url: https://example.org/\nsearch: true\nlanguage: {language}\n"
    root = write_site(tmp_path / "site", {"site.yaml": config, "content/lab.md": page("Lab", body)})
    assert run("build", cwd=root).returncode == 0
    server, url = serve_folder(root / "_site")
    ctx = browser.new_context()
    try:
        pg = ctx.new_page()
        pg.goto(url + "search/")
        pg.locator("#search input").fill(word)
        links = pg.locator(".pagefind-ui__result-link")
        links.first.wait_for(timeout=15000)
        assert links.first.get_attribute("href") == "/lab/"
    finally:
        ctx.close()
        server.shutdown()
