"""``site-builder check``: a built site checked offline, the way GitHub Pages will serve it.

Each page is parsed once (ids, URLs, metadata, with lines); then every URL is resolved against
the output's files, so an anchor into another page needs no second parse of it."""
from __future__ import annotations

import multiprocessing as mp
import os
import re
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.parsers import expat

from ..errors import SiteError
from ..model.config import Config
from ..model.urls import SCHEME, URL_ATTRIBUTES, Urls, unsafe_attribute
from ..processes import start_method

# the attributes whose URLs a visitor's browser fetches or follows
_URL_ATTRS = {
    "a": ("href",), "link": ("href",), "area": ("href",), "form": ("action",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",),
}
# where a data: URL is a document the visitor is taken to (an embedded image is fine)
_NAVIGATES = {("a", "href"), ("area", "href"), ("form", "action"), ("iframe", "src"), ("frame", "src"),
              ("object", "data"), ("embed", "src"), ("button", "formaction"), ("input", "formaction")}
# a srcset candidate, as the HTML spec splits them: its URL is a run of non-spaces (a data: URL
# keeps its commas) less trailing commas, and its descriptors run to the next comma
_CANDIDATE = re.compile(r"[\s,]*(\S*[^\s,])(?:,+(?=\s|$)|\s[^,]*|$)")
# Bare tags (<p>, </em>…) carry nothing checked but are most tags: dropping them first halves
# HTMLParser's work, and they never span lines. Kept: those looked at even when bare, raw-text
# elements (a script's "<a href>" text is not markup), uppercase ones (IGNORECASE costs 2×).
_RAW = "script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext"
_BARE = re.compile(rf"<(?:(?!(?:html|img|svg|{_RAW})>)|/(?!(?:svg|{_RAW})>))[a-z][a-z0-9]*>")
_PARALLEL_FROM = 500  # pages; below that, starting worker processes costs more than it saves
_GENERATED = "pagefind/"  # the search index: its files are link targets, not pages to check
_Problem = tuple[str, int, str]  # (file relative to the output folder, line, message)


class _Page(HTMLParser):
    """One page's ids, URLs and metadata, each with the line it is on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}
        self.names: set[str] = set()  # <a name>: old-style anchors, duplicates allowed
        self.links: list[tuple[int, str]] = []
        self.problems: list[tuple[int, str]] = []
        self.html_line = 0
        self.lang = ""
        self.title: tuple[int, list[str]] | None = None  # (line, text)
        self.description: tuple[int, str] | None = None
        self._svg = 0  # an SVG's <title> is a tooltip, not the page title
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        a: dict[str, str | None] = {}
        for name, value in attrs:  # names come lower-cased; a browser keeps the first of two
            if name in a:
                self.problems.append((line, f'duplicate attribute "{name}" on <{tag}> (a browser uses the first)'))
            else:
                a[name] = value
        unsafe = self._unsafe_urls(tag, a, line)
        ident = a.get("id")
        if ident:
            if ident in self.ids:
                self.problems.append((line, f'duplicate id "{ident}" (first on line {self.ids[ident]})'))
            else:
                self.ids[ident] = line
        names = _URL_ATTRS.get(tag)
        if names and not (tag == "form" and (a.get("method") or "get").lower() != "get"):
            for name in names:
                value = a.get(name)
                if value and name not in unsafe:
                    urls = [m[1] for m in _CANDIDATE.finditer(value)] if name == "srcset" else [value]
                    self.links.extend((line, u) for u in urls)
        if tag == "a" and a.get("name"):
            self.names.add(a["name"] or "")
        elif tag == "img" and "alt" not in a:
            self.problems.append((line, "<img> has no alt attribute"))
        elif tag == "html" and not self.html_line:
            self.html_line, self.lang = line, (a.get("lang") or "").strip()
        elif tag == "title" and not self._svg and self.title is None:
            self.title, self._in_title = (line, []), True
        elif tag == "meta" and (a.get("name") or "").lower() == "description" and self.description is None:
            self.description = line, a.get("content") or ""
        elif tag == "svg":
            self._svg += 1

    def _unsafe_urls(self, tag: str, a: dict[str, str | None], line: int) -> set[str]:
        """The rendering policy (``urls.unsafe_attribute``) on every URL a browser loads or follows;
        ``data:`` only where it navigates: a template may embed an image or a favicon as data.
        The names of the attributes reported."""
        found = set()
        for name in sorted(URL_ATTRIBUTES.intersection(a)):
            scheme = unsafe_attribute(name, a[name] or "", allow_data=(tag, name) not in _NAVIGATES)
            if scheme:
                self.problems.append((line, f"{scheme}: URL in <{tag} {name}>: javascript:, vbscript: "
                                            "and data: links are not allowed"))
                found.add(name)
        return found

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "svg":
            self._svg = max(0, self._svg - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title and self.title:
            self.title[1].append(data)

    def metadata_problems(self, rel: str) -> list[tuple[int, str]]:
        top = self.html_line or 1
        found = []
        if self.title is None:
            found.append((top, "page has no <title>"))
        elif not "".join(self.title[1]).strip():
            found.append((self.title[0], "<title> is empty"))
        if not self.lang:
            found.append((top, "<html> has no lang attribute"))
        if rel == "404.html":  # served for missing pages, never indexed: no description needed
            return found
        if self.description is None:
            found.append((top, "page has no meta description"))
        elif not self.description[1].strip():
            found.append((self.description[0], "meta description is empty"))
        return found


def _xml_urls(data: bytes, element: str, attr: str | None) -> list[tuple[int, str]]:
    """(line, URL) of every ``<element attr="URL">``, or of its text when ``attr`` is None."""
    parser = expat.ParserCreate()
    found: list[list] = []
    inside = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal inside
        ours = name.rpartition(":")[2] == element
        inside = ours and attr is None
        if ours and (attr is None or attrs.get(attr)):
            found.append([parser.CurrentLineNumber, attrs[attr] if attr else ""])

    def end(name: str) -> None:
        nonlocal inside
        inside = False

    def text(data: str) -> None:
        if inside:
            found[-1][1] += data

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(data, True)
    return [(line, url.strip()) for line, url in found]


class _Checker:
    def __init__(self, config: Config, files: set[str]):
        self.urls = Urls(config.base_url)
        self.base_url = config.base_url
        self.host = urlsplit(config.base_url).netloc.lower()
        self.files = files
        self.anchors: dict[str, set[str]] = {}  # parsed page → its ids and names
        # URL → (problem, target file): most URLs (navigation, assets) repeat on every page
        self.memo: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    def target(self, ref: str, page_dir: str) -> tuple[str | None, str | None]:
        """(problem, file) for a URL without its #fragment; (None, None) if it is not ours."""
        if SCHEME.match(ref) or ref.startswith("//"):
            scheme = "https" if ref.startswith("//") else ref.partition(":")[0].lower()
            parts = urlsplit(ref)
            if scheme not in ("http", "https") or parts.netloc.lower() != self.host:
                return None, None  # mailto:, tel:, data:, another host
            rel = self.urls.rel_of(parts.path or "/")
            if rel is None:
                return None, None  # another project on the same host: user.github.io/other/
        else:
            path = ref.partition("?")[0]  # GitHub Pages serves files, whatever the query
            if not path.startswith("/") or "/." in path:
                path = urljoin(self.urls.base_path + quote(page_dir), path)
            rel = self.urls.rel_of(path)
            if rel is None:  # /about/ in a /repo/ site: GitHub project pages answer 404
                return f"link {ref} is outside the base path {self.urls.base_path}", None
        rel = unquote(rel)
        # GitHub Pages: a/ → a/index.html; a → the file a, else a.html, else a/index.html
        tried = [rel + "index.html"] if rel == "" or rel.endswith("/") else [rel, rel + ".html", rel + "/index.html"]
        for name in tried:
            if name in self.files:
                return None, name
        if "." in rel.rpartition("/")[2]:
            tried = tried[:1]  # style.css: naming style.css.html too would only confuse
        names = ", ".join(tried[:-1]) + " or " + tried[-1] if len(tried) > 1 else tried[0]
        return f"broken link: {ref} (no file {names})", None

    def link(self, page: str, line: int, url: str, found: list[_Problem]) -> None:
        url = url.strip()
        ref, _, frag = url.partition("#")
        page_dir = page.rpartition("/")[0] + "/" if "/" in page else ""
        relative = not ref.startswith("/") and not SCHEME.match(ref)
        if not ref.partition("?")[0]:
            target: str | None = page  # "#x", "?q=1": this very page
        else:
            if relative and page == "404.html":  # served at every missing URL, whatever its folder
                found.append((page, line, f"relative link {url} breaks when 404.html is served for "
                                          "a missing page in a subfolder; use a root-relative URL"))
                return
            key = (page_dir if relative else "", ref)
            if key not in self.memo:
                self.memo[key] = self.target(ref, page_dir)
            problem, target = self.memo[key]
            if problem:
                found.append((page, line, problem))
                return
        # "#top" scrolls to the top without an id; ":~:" starts a text fragment
        if target in self.anchors and frag and frag.lower() != "top" and not frag.startswith(":~:"):
            ids = self.anchors[target]
            if frag not in ids and unquote(frag) not in ids:
                found.append((page, line, f'missing anchor: {url} (no id="{unquote(frag)}" in {target})'))

    def xml(self, out: Path, rel: str, element: str, attr: str | None, found: list[_Problem]) -> None:
        try:
            urls = _xml_urls((out / rel).read_bytes(), element, attr)
        except expat.ExpatError as e:
            found.append((rel, e.lineno, f"not well-formed XML: {expat.ErrorString(e.code)}"))
            return
        for line, url in urls:
            if element == "loc" and not url.startswith(self.base_url):
                found.append((rel, line, f"<loc> {url} is not under {self.base_url}"))
            else:
                self.link(rel, line, url, found)


def _parse_file(out: Path, rel: str) -> tuple[set[str], list[tuple[int, str]], list[tuple[int, str]]]:
    """One page's anchors, its URLs, and the problems it has on its own (ids, metadata)."""
    page = _Page()
    try:
        page.feed(_BARE.sub("", (out / rel).read_bytes().decode("utf-8", "replace")))
        page.close()
    except AssertionError as e:  # HTMLParser's way to give up on a bad <![…]> section
        return set(), [], [(page.getpos()[0], f"cannot parse the page: {e}")]
    return page.names.union(page.ids), page.links, page.problems + page.metadata_problems(rel)


def _parse_all(out: Path, rels: list[str]) -> list[tuple[set[str], list, list]]:
    """Pages parse independently and HTMLParser is the slow part: a big site uses every core."""
    parse = partial(_parse_file, out)
    if len(rels) < _PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return list(map(parse, rels))
    # forked workers start at once, with this module already imported; a process running other
    # threads starts them from a fork server instead (processes.start_method)
    with ProcessPoolExecutor(mp_context=mp.get_context(start_method())) as pool:
        return list(pool.map(parse, rels, chunksize=256))


def check_site(config: Config, out: Path) -> list[SiteError]:
    """Every problem in the built site at ``out``, sorted by file and line."""
    out = out.resolve()
    files: set[str] = set()
    for folder, _, names in os.walk(out):
        prefix = Path(folder).relative_to(out).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        files.update(prefix + n for n in names)
    checker = _Checker(config, files)
    found: list[_Problem] = []
    rels = sorted(f for f in files if f.endswith(".html") and not f.startswith(_GENERATED))
    parsed = _parse_all(out, rels)
    for rel, (anchors, _, problems) in zip(rels, parsed):
        checker.anchors[rel] = anchors
        found += [(rel, line, msg) for line, msg in problems]
    for rel, (_, links, _) in zip(rels, parsed):  # every page's ids are known now
        for line, url in links:
            checker.link(rel, line, url, found)
    if "sitemap.xml" in files:
        checker.xml(out, "sitemap.xml", "loc", None, found)
    for rel in sorted(f for f in files if f == "feed.xml" or f.endswith("/feed.xml")):  # the site's, each list's
        checker.xml(out, rel, "link", "href", found)
    found.sort(key=lambda p: (p[0], p[1]))
    return [SiteError(config.shown(out / rel), line, msg) for rel, line, msg in found]
