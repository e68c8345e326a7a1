"""Issue 12's property test: arbitrary strings — control characters, <>"'&, ../, #, drive letters,
reserved names, unicode — as url, slug, section, file names, figure ids, titles and terms. A build
either stops with clean one-line errors naming the file, or writes only inside its output folder
pages that parse and carry nothing the input did not legitimately create (no script but the
theme's, no handler attribute, no javascript: URL)."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import BASE_CONFIG, page, write_site
from htmlscan import scan_html
from site_builder.build import build
from site_builder.errors import SiteError, SiteErrors
from site_builder.model.config import load_config

FRAGMENTS = ["<", ">", '"', "'", "&", "&amp;", "../", "..", ".", "/", "\\", "#", "?", ":", "*", "|", "%2e%2e/", "%00",
             "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x85", "\u202e", "\u2028", "\ufeff", "C:", "c:/", "CON", "nul.txt",
             "javascript:alert(1)", "<script>", "</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
             "{{ x }}", "{% x %}", '{: onclick="x" }', "[x](javascript:y)", " ", "é", "e\u0301", "广东", "😀", ".git",
             "index", "index.html", "feed.xml", "sitemap.xml", "404", "sources", "tags", "pagefind", "A", "a", "-"]
HOSTILE = st.one_of(st.text(max_size=24), st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join))
FIELDS = ["url", "slug", "section", "file", "static", "figure", "title", "term"]
FIGURE_TEXT = "7 of 10 items"


def files_for(values: dict[str, str]) -> dict[str, str]:
    """A small site with each hostile value in its one place; every other value benign."""
    term = values.get("term", "intellectual content")
    source = page("Source", f"Over {FIGURE_TEXT} were counted; {term} appears here.\n{{: #p1 }}\n",
                  seed="seeds/none.txt", date="2024-01-02",
                  terms=[{"term": term, "source": "src#p1", "definition": "A definition."}])
    part = {"title": "Part", "date": "2024-01-03",
            "figures": [{"id": values.get("figure", "f1"), "value": 0.7, "display": "7 of 10", "label": "items",
                         "unit": "share", "text": FIGURE_TEXT, "source": "src#p1", "kind": "fraction"}]}
    files = {
        "content/sources/src.md": source,
        "content/overview/part.md": "---\n" + yaml.safe_dump(part, allow_unicode=True) + "---\nA paragraph.\n",
        "content/u.md": page("U", "Text.", **({"url": values["url"]} if "url" in values else {})),
        "content/s.md": page("S", "Text.", **({"slug": values["slug"]} if "slug" in values else {})),
        "content/sec.md": page("Sec", "Text.", **({"section": values["section"]} if "section" in values else {})),
        "content/t.md": page(values.get("title", "T"), "[to u](u.md)"),
        f"content/{values.get('file', 'named')}.md": page("Named", "[to s](s.md)"),
        f"static/{values.get('static', 'file.txt')}": "static text\n",
    }
    return files


def writable(name: str) -> bool:
    """A name this test can write as one file (the input itself must land inside the project)."""
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name and \
        len(name.encode("utf-8")) < 200 and not name.startswith(".") and name != "named"


def everything(folder: Path) -> set[str]:
    return {os.path.relpath(os.path.join(d, n), folder) for d, dirs, names in os.walk(folder) for n in names + dirs}


def check_error(err: SiteError) -> None:
    """Clean errors: one line each, naming a file of the site (and a line when it has one)."""
    for e in err.errors if isinstance(err, SiteErrors) else [err]:
        assert "\n" not in str(e) and "\r" not in str(e), str(e)
        assert e.path.startswith(("content/", "static/", "site.yaml", "_site")), str(e)
        assert e.line is None or e.line >= 1


def check_output(out: Path) -> None:
    real = out.resolve()
    for d, _, names in os.walk(out):
        for n in names:
            p = Path(d) / n
            assert not p.is_symlink() and p.resolve().is_relative_to(real), p
            if n.endswith(".html"):
                text = p.read_text(encoding="utf-8")
                assert scan_html(text) == [], (p.relative_to(out), scan_html(text))
                for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
                    json.loads(block)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1, max_size=2))
@example({"url": "notes\ndelete /etc/hostname"})
@example({"slug": "#x"})
@example({"url": "feed.xml"})
@example({"section": "feed.xml"})
@example({"section": "index.html"})  # the section's feed needs a folder where the home page is a file
@example({"section": "robots.txt"})  # the section's own feed.xml/feed.xml is named by content/sec.md, not "the generated ..."
@example({"section": "../../../tmp/x"})
@example({"url": "C:/Windows/x/"})
@example({"figure": '"><script>window.pwned=1</script>'})
@example({"file": 's"><img src=x onerror=alert(1)>'})
@example({"title": "</script><script>alert(1)</script>", "term": "</title><script>x</script>"})
@example({"file": "a "})  # a fine file name ('a .md'), but not a folder of the site ('a /')
@example({"file": "U", "static": "con.txt"})  # content/U.md beside content/u.md: a case-only collision
def test_arbitrary_names_never_escape_or_inject(values):
    """Issue 12's property test (findings 1, 3, 6, 11, 12, 15, 18), beside the one in
    test_paths.py: titles and terms too, two hostile names in one site, and the issue's examples."""
    assume(all(writable(values[k]) for k in ("file", "static") if k in values))
    with tempfile.TemporaryDirectory(prefix="sb-fuzz-") as tmp:
        root = write_site(Path(tmp) / "site", files_for(values), {**BASE_CONFIG, "search": False})
        before = everything(Path(tmp))
        try:
            build(load_config(root))
        except SiteError as err:
            check_error(err)
            assert not (root / "_site").exists()  # a failed first build writes nothing
        else:
            check_output(root / "_site")
        written = everything(Path(tmp)) - before  # only the output folder and the cache, whatever happened
        assert all(w.split(os.sep)[:2] in (["site", "_site"], ["site", ".cache"]) for w in written), written
