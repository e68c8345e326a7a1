"""What a browser would make of a built page, reduced to what could run code: written for the
tests, independently of site_builder's own sanitiser (a bug there must not hide here)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# every attribute a browser loads or follows as a URL (HTML and SVG, current and legacy)
URL_ATTRS = {"href", "src", "srcset", "xlink:href", "action", "formaction", "poster", "data", "background",
             "cite", "longdesc", "ping", "manifest", "codebase", "archive", "classid", "usemap", "lowsrc",
             "dynsrc", "icon", "profile"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "base", "style", "math", "applet", "portal",
                  "template", "noscript"}
_UNSAFE = re.compile(r"(javascript|vbscript|data):", re.I)
_SKIPPED = re.compile(r"[\x00-\x20\x7f]+")
# the default theme's own script (templates/static/sort.js: the figures table's sorting), as the
# asset helper writes it: a fixed name with a content hash, under the site's path, nothing else
_THEME_SCRIPT = re.compile(r"(?:/[A-Za-z0-9._-]+)*/sort\.js\?v=[0-9a-f]{10}\Z")


def unsafe_url(value: str) -> bool:
    """As a browser reads an attribute: entities are decoded already; it skips control
    characters and spaces inside a scheme."""
    return any(_UNSAFE.match(_SKIPPED.sub("", part)) for part in re.split(r"[\s,]+", value) + [value])


class Scanner(HTMLParser):
    """Elements and attributes a page's content could use to run script or leave the page.
    Of two attributes with one name (any case), a browser keeps the first: so does this."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        first: dict[str, str | None] = {}
        for name, value in attrs:  # HTMLParser lower-cases names, as a browser does
            first.setdefault(name, value)
        theme_script = set(first) == {"src", "defer"} and _THEME_SCRIPT.match(first["src"] or "")
        if tag == "script" and first.get("type") != "application/ld+json" and not theme_script:
            self.bad.append(f"<script {first}>")
        if tag in FORBIDDEN_TAGS or (tag == "meta" and "http-equiv" in first):
            self.bad.append(f"<{tag}>")
        for name, value in first.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.bad.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRS and value and unsafe_url(value):
                self.bad.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def scan_html(text: str) -> list[str]:
    s = Scanner()
    s.feed(text)
    s.close()
    return s.bad


def scan_site(out: Path) -> list[str]:
    """Every problem in every HTML page under ``out``, as 'file: problem'."""
    found = []
    for f in sorted(out.rglob("*.html")):
        found += [f"{f.relative_to(out).as_posix()}: {b}" for b in scan_html(f.read_text(encoding="utf-8"))]
    return found


def first_attrs(text: str, tag: str) -> list[dict[str, str | None]]:
    """The attributes of every ``tag`` element, first of each name kept, as a browser does."""
    found: list[dict[str, str | None]] = []

    class P(HTMLParser):
        def handle_starttag(self, t: str, attrs: list[tuple[str, str | None]]) -> None:
            if t == tag:
                d: dict[str, str | None] = {}
                for k, v in attrs:
                    d.setdefault(k, v)
                found.append(d)

    p = P(convert_charrefs=True)
    p.feed(text)
    p.close()
    return found

