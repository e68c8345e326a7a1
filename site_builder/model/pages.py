"""Content pages: ``content/**/*.md`` read, validated and cross-checked as a whole site.

A page's place decides its role:
- ``content/<theme>/<name>.md``  a *part*: one article's paragraphs for that theme,
  shown as a section of the theme page ``/<theme>/``;
- a page with ``seed:``          a *source*: the cleaned article, paragraphs ``#p1``…;
- a page at the URL of a generated page (``index.md``, ``<section>/index.md``,
  ``<theme>/index.md``, ``about.md``…) supplies that page's introduction;
- anything else is an ordinary page; its folder is its section.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from ..errors import Collector, SiteError
from ..fs import decode_text, read_bytes, walk_files
from ..paths import example_name, path_problem, printable, segment_problem
from ..processes import pool
from . import theme
from .config import Config
from .frontmatter import check_fields, parse_front_matter, split_front_matter
from .publish import seconds
from .scan import MAX_NESTING, Scan, scan_body
from .titles import from_file_name, leading_heading, without_heading
from .values import check_language
from .yamlfile import LineDict

FIELDS: dict[str, Any] = {
    "title": str, "date": "when", "updated": "when", "summary": str, "description": str,
    "theme": str, "tags": [str], "weight": int, "draft": bool, "slug": str, "url": str,
    "template": str, "section": str, "figures": list, "lists": list, "terms": list,
    "seed": str, "origin": str, "dateline": str, "byline": str, "author": str,
    "source_note": str, "kicker": str, "language": str,
    "original_url": str, "publisher": str, "licence": str, "credit": str, "retrieved": "date",
    "generated": str, "extra": dict, "publishDate": "moment", "expiryDate": "moment",
    "aliases": [str],
}


@dataclass
class Page:
    src: str                 # the file, as walk() found it (a string: most are never opened again)
    rel: str                 # 'innovation/guangdong.md', relative to content/
    shown: str               # how messages name it: 'content/innovation/guangdong.md'
    meta: dict[str, Any]
    lines: dict[str, int]    # front-matter key -> line in the file
    body: str | None         # None when the page came from the build cache: see load_body
    body_line: int
    digest: str
    meta_digest: str = ""    # the front matter alone: a body-only edit leaves the site's structure as it was
    url: str = ""            # site-relative: '' is home, 'innovation/' a folder page
    kind: str = "page"       # page | part | source | intro
    theme: str = ""
    section: str = ""        # folder, '' at the top
    scan: Scan = field(default_factory=Scan)

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def date(self) -> dt.date | None:
        """The day it is dated (a date-time's own day, in its own offset, as Hugo shows it)."""
        value = self.meta.get("date")
        return value.date() if isinstance(value, dt.datetime) else value

    @property
    def when(self) -> float | None:
        """The moment it is dated, in seconds since the epoch: what lists and feeds order by."""
        value = self.meta.get("date")
        return None if value is None else seconds(value)

    @property
    def slug(self) -> str:
        return self.rel.rsplit("/", 1)[-1][:-3]

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def _url_for(rel: str, meta: dict[str, Any], page_shown: str, lines: dict[str, int]) -> str:
    if "url" in meta:
        url = meta["url"].strip()
        if url.startswith("/") or "://" in url or url.startswith("\\"):
            raise SiteError(page_shown, lines["url"], f"url '{printable(url)}' must be relative to the site "
                            f"root, without a leading slash or scheme (e.g. url: {example_name(url.strip('/') + '/')})")
        problem = path_problem(url)
        if problem:
            raise SiteError(page_shown, lines["url"], f"url '{printable(url)}' {problem}; "
                            f"use a path inside the site, e.g. url: {example_name(url)}")
        return url if url == "" or url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + "/"
    parts = rel[:-3].split("/")  # every name was checked by walk()
    if "slug" in meta:
        slug = meta["slug"].strip()
        problem = segment_problem(slug)
        if problem:
            raise SiteError(page_shown, lines["slug"], f"slug '{printable(slug)}' {problem}; a slug is "
                            f"one path segment, e.g. slug: {example_name(slug, segment=True)}")
        if parts[-1] not in ("index", "_index", "README"):
            parts[-1] = slug
        elif parts[-1] != "_index" and len(parts) > 1:  # a bundle's index: the slug replaces
            parts[-2:] = [slug]                           # the folder's name, as in Hugo
        # _index.md (a section) and the home page keep their folder's URL (bundles.check_slugs)
    else:  # 'a .md' is a fine file name; 'a ', the page's folder in the site, is not
        problem = segment_problem(parts[-1])
        if problem:
            raise SiteError(page_shown, None, f"this page's folder in the site, '{printable(parts[-1])}', "
                            f"{problem}; rename the file or set a slug, e.g. slug: "
                            f"{example_name(parts[-1], segment=True)}")
    if parts[-1] in ("index", "_index", "README"):  # README.md: a folder's index, as on GitHub and in MkDocs
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def _section_for(rel: str, meta: dict[str, Any], page_shown: str, lines: dict[str, int]) -> str:
    section = meta.get("section", "").strip()
    if section.endswith("/"):
        section = section[:-1]
    problem = path_problem(section)
    if problem:
        raise SiteError(page_shown, lines.get("section"), f"section '{printable(section)}' {problem}; "
                        f"a section is a folder of the site, e.g. section: {example_name(section)}")
    return section or (rel.rsplit("/", 1)[0] if "/" in rel else "")


def check_original_url(url: str, where: str, line: int | None) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch <= " " or ch == "\x7f" for ch in url):
        raise SiteError(where, line, f"original_url '{printable(url)}' is not a web address; write the "
                                     "address of the original article, e.g. original_url: https://example.org/news/1")


def read_page(path: Path, rel: str, config: Config) -> Page:
    shown = config.shown(path)
    raw = read_bytes(path, shown)
    text = decode_text(raw, shown)
    data, body, body_line = parse_front_matter(text, shown, FIELDS)
    meta_digest = hashlib.sha256(text[: len(text) - len(body)].encode()).hexdigest()[:20]
    meta = check_fields(data, shown, FIELDS, "front matter", keep_unknown=True)
    lines = dict(data.key_lines) if isinstance(data, LineDict) else {}
    if not meta.get("title", "").strip():  # else the heading the text opens with, else the file's name
        heading = leading_heading(body)
        meta["title"] = heading[0] if heading else from_file_name(rel)
        if heading:
            lines["title"] = body_line + body.count("\n", 0, heading[1])
    body = without_heading(body, meta["title"])
    if "language" in meta:  # the page's <html lang>, which Pagefind puts into file names
        check_language(meta["language"], shown, lines.get("language"))
    if "original_url" in meta:  # a link on the source page: only to a web page
        check_original_url(meta["original_url"], shown, lines.get("original_url"))
    page = Page(src=str(path), rel=rel, shown=shown, meta=meta, lines=lines, body=body,
                body_line=body_line, digest=hashlib.sha256(raw).hexdigest()[:20], meta_digest=meta_digest)
    page.url = _url_for(rel, meta, shown, lines)
    page.section = _section_for(rel, meta, shown, lines)
    page.scan = scan_body(body, body_line, config.allow_html)
    if page.scan.too_complex:
        raise SiteError(shown, *page.scan.too_complex)
    depth, line = page.scan.deepest
    if depth > MAX_NESTING:
        raise SiteError(shown, line, f"Markdown nested {depth} levels deep (lists, quotes or indentation); "
                        f"the limit is {MAX_NESTING}: flatten it")
    return page


_CONFIG: Config | None = None  # in a reading worker only: the payload ``_begin`` was sent


def _begin(config: Config) -> None:
    global _CONFIG
    _CONFIG = config


def _read_one(item: tuple[str, str]) -> Page | SiteError:
    try:
        page = read_page(Path(item[0]), item[1], _CONFIG)  # type: ignore[arg-type]
    except SiteError as e:
        return e
    page.body = None  # the renderer reads it again (checked against the digest): not worth sending back
    return page


def read_pages(items: list[tuple[Path, str]], config: Config, jobs: int) -> list[Page | SiteError]:
    """Read and check pages, on all cores when there are many."""
    if jobs < 2 or len(items) < 256:
        out: list[Page | SiteError] = []
        for path, rel in items:
            try:
                out.append(read_page(path, rel, config))
            except SiteError as e:
                out.append(e)
        return out
    with pool(jobs, _begin, config) as procs:
        return procs.map(_read_one, [(str(p), rel) for p, rel in items], chunksize=64)


def load_body(page: Page) -> str:
    """The Markdown body, read again for a page the cache remembered without it."""
    if page.body is not None:
        return page.body
    raw = read_bytes(page.src, page.shown)
    if hashlib.sha256(raw).hexdigest()[:20] != page.digest:
        raise SiteError(page.shown, None, "changed while the site was building; build again")
    body = split_front_matter(decode_text(raw, page.shown), page.shown, FIELDS)[3]
    return without_heading(body, page.title)


def walk(content_dir: Path, config: Config, errors: Collector) -> tuple[list[tuple[str, str]], list[tuple[Path, str]]]:
    """(markdown files, other files) under content/, as (path, posix path relative to content/)."""
    pages: list[tuple[str, str]] = []
    assets: list[tuple[Path, str]] = []
    for path, rel in walk_files(content_dir, config.roots(), _shown(config), errors):
        if rel.endswith(".md"):
            pages.append((path, rel))
        else:
            assets.append((Path(path), rel))
    return pages, assets


def check_indexes(rels: list[str], config: Config, errors: Collector) -> None:
    """A folder's README.md is its index only where it has no index.md (or _index.md): both is
    an error naming both, not a URL clash."""
    present = set(rels)
    for rel in rels:
        folder, _, name = rel.rpartition("/")
        if name != "README.md":
            continue
        prefix = folder + "/" if folder else ""
        index = next((prefix + n for n in ("index.md", "_index.md") if prefix + n in present), None)
        if index is not None:
            errors.error(config.shown(config.content_dir / rel), None, f"this folder has an index page "
                         f"already, {config.shown(config.content_dir / index)}; a README.md is the index of a "
                         "folder without one: remove one of them, or rename the README (e.g. about.md)")


def static_files(config: Config) -> dict[str, Path]:
    """Files copied as they are: the theme's ``static/``, then the site's (which wins). The
    default theme shipped in the package is its own root: its links may not leave it."""
    found: dict[str, Path] = {}
    errors = Collector()
    for d in [*(t / "static" for t in reversed(theme.template_dirs(config))), config.static_dir]:
        roots = (theme.THEME_DIR.resolve(),) if d.parent == theme.THEME_DIR else config.roots()
        for path, rel in walk_files(d, roots, _shown(config), errors):
            found[rel] = Path(path)
    errors.raise_if_any()
    return found


def _shown(config: Config) -> Callable[[str], str]:
    """How ``walk_files`` names a path in a message: as the site shows it, control characters escaped."""
    return lambda path: printable(config.shown(path), 1000)
