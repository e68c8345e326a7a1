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
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Collector, SiteError
from .frontmatter import LineDict, check_fields, decode_text, parse_front_matter, split_front_matter
from .markup import MAX_NESTING, Scan, scan_body
from .urls import UnsafeUrl, clean_rel, slugify

FIELDS: dict[str, Any] = {
    "title": str, "date": "date", "updated": "date", "summary": str, "description": str,
    "theme": str, "tags": [str], "weight": int, "draft": bool, "slug": str, "url": str,
    "template": str, "section": str, "figures": list, "lists": list, "terms": list,
    "seed": str, "origin": str, "dateline": str, "byline": str, "author": str,
    "generated": str, "extra": dict,
}
_SLUG_OK = re.compile(r"^[^/\\\x00]+$")
_SKIP = re.compile(r"(^\.|~$|^#.*#$|\.swp$|\.tmp$)")


@dataclass
class Page:
    src: Path
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
        return self.meta.get("date")

    @property
    def slug(self) -> str:
        return self.rel.rsplit("/", 1)[-1][:-3]

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def _url_for(rel: str, meta: dict[str, Any], page_shown: str, lines: dict[str, int]) -> str:
    if "url" in meta:
        url = meta["url"].strip()
        if url.startswith("/") or "://" in url or url.startswith("\\"):
            raise SiteError(page_shown, lines["url"], f"url '{url}' must be relative to the site "
                            f"root, without a leading slash or scheme (e.g. url: {url.strip('/') or 'about'}/)")
        try:
            out = clean_rel(url)
        except UnsafeUrl:
            raise SiteError(page_shown, lines["url"], f"url '{url}' leaves the site ('..' or a "
                            "backslash); use a path inside the site") from None
        if "#" in out:
            raise SiteError(page_shown, lines["url"], "url must not contain '#'")
        return out if out == "" or out.endswith("/") or "." in out.rsplit("/", 1)[-1] else out + "/"
    parts = rel[:-3].split("/")
    if "slug" in meta:
        slug = meta["slug"].strip()
        if not _SLUG_OK.match(slug) or slug in (".", ".."):
            raise SiteError(page_shown, lines["slug"], f"slug '{slug}' must be one path segment, "
                            f"without '/', '\\' or '..'; e.g. slug: {slugify(slug)}")
        parts[-1] = slug
    if parts[-1] in ("index", "_index"):
        parts = parts[:-1]
    url = "/".join(parts) + "/" if parts else ""
    try:
        clean_rel(url)
    except UnsafeUrl:
        raise SiteError(page_shown, None, f"this file name makes the URL '{url}', which browsers would run "
                        "or misread; rename the file or set a slug") from None
    return url


def read_page(path: Path, rel: str, config: Config) -> Page:
    shown = config.shown(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise SiteError(shown, None, f"cannot read: {e.strerror}") from None
    text = decode_text(raw, shown)
    data, body, body_line = parse_front_matter(text, shown)
    meta_digest = hashlib.sha256(text[: len(text) - len(body)].encode()).hexdigest()[:20]
    meta = check_fields(data, shown, FIELDS, "front matter")
    lines = dict(data.key_lines) if isinstance(data, LineDict) else {}
    if not meta.get("title", "").strip():
        raise SiteError(shown, 1, "'title' is required in the front matter: add  title: ...")
    page = Page(src=path, rel=rel, shown=shown, meta=meta, lines=lines, body=body,
                body_line=body_line, digest=hashlib.sha256(raw).hexdigest()[:20], meta_digest=meta_digest)
    page.url = _url_for(rel, meta, shown, lines)
    page.section = meta.get("section") or (rel.rsplit("/", 1)[0] if "/" in rel else "")
    page.scan = scan_body(body, body_line)
    depth, line = page.scan.deepest
    if depth > MAX_NESTING:
        raise SiteError(shown, line, f"Markdown nested {depth} levels deep (lists, quotes or indentation); "
                        f"the limit is {MAX_NESTING}: flatten it")
    return page


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(jobs: int):  # noqa: ANN201 - multiprocessing.pool.Pool
    """Forked workers (they inherit what the parent has read) that leave Ctrl-C to the parent."""
    import multiprocessing

    return multiprocessing.get_context("fork").Pool(jobs, initializer=_ignore_sigint)


_READING: Config | None = None  # set before forking: the readers inherit it


def _read_one(item: tuple[str, str]) -> Page | tuple[str, int | None, str]:
    try:
        page = read_page(Path(item[0]), item[1], _READING)  # type: ignore[arg-type]
    except SiteError as e:
        return (e.path, e.line, e.message)
    page.body = None  # the renderer reads it again (checked against the digest): not worth sending back
    return page


def read_pages(items: list[tuple[Path, str]], config: Config, jobs: int) -> list[Page | SiteError]:
    """Read and check pages, on all cores when there are many."""
    global _READING
    if jobs < 2 or len(items) < 256:
        out: list[Page | SiteError] = []
        for path, rel in items:
            try:
                out.append(read_page(path, rel, config))
            except SiteError as e:
                out.append(e)
        return out
    _READING = config
    try:
        with process_pool(jobs) as pool:
            results = pool.map(_read_one, [(str(p), rel) for p, rel in items], chunksize=64)
    finally:
        _READING = None
    return [r if isinstance(r, Page) else SiteError(*r) for r in results]


def load_body(page: Page) -> str:
    """The Markdown body, read again for a page the cache remembered without it."""
    if page.body is not None:
        return page.body
    try:
        raw = page.src.read_bytes()
    except OSError as e:
        raise SiteError(page.shown, None, f"cannot read: {e.strerror}") from None
    if hashlib.sha256(raw).hexdigest()[:20] != page.digest:
        raise SiteError(page.shown, None, "changed while the site was building; build again")
    return split_front_matter(decode_text(raw, page.shown), page.shown)[2]


def walk(content_dir: Path, config: Config, errors: Collector) -> tuple[list[tuple[str, str]], list[tuple[Path, str]]]:
    """(markdown files, other files) under content/, as (path, posix path relative to content/).
    Symlinks are followed; a loop is an error. Plain strings and scandir: this runs on every
    build (a Markdown file's path stays a string: most are never opened again)."""
    pages: list[tuple[str, str]] = []
    assets: list[tuple[Path, str]] = []
    if not content_dir.is_dir():
        return pages, assets
    seen: dict[str, str] = {}
    root = str(content_dir)
    todo = [(root, "")]
    while todo:
        folder, prefix = todo.pop()
        real = os.path.realpath(folder)
        if real in seen:
            errors.error(config.shown(folder), None, "symlink loop: this folder is the same as "
                         f"{seen[real]}; remove the link")
            continue
        seen[real] = config.shown(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            errors.error(config.shown(folder), None, f"cannot read this folder: {e.strerror}")
            continue
        subfolders = []
        for entry in entries:
            if _SKIP.search(entry.name):
                continue
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                subfolders.append((entry.path, rel + "/"))
            elif not is_file:
                errors.error(config.shown(entry.path), None, "broken symbolic link (or a symlink loop); "
                             "remove it or point it at a file")
            elif entry.name.endswith(".md"):
                pages.append((entry.path, rel))
            else:
                assets.append((Path(entry.path), rel))
        todo.extend(reversed(subfolders))
    pages.sort(key=lambda x: x[1])
    assets.sort(key=lambda x: x[1])
    return pages, assets


def static_files(config: Config) -> dict[str, Path]:
    """Files copied as they are: the theme's ``static/``, then the site's (which wins)."""
    from .templates import template_dirs

    found: dict[str, Path] = {}
    for d in [*(t / "static" for t in reversed(template_dirs(config))), config.static_dir]:
        if d.is_dir():
            for path in sorted(d.rglob("*")):
                if path.is_file() and not _SKIP.search(path.name):
                    found[path.relative_to(d).as_posix()] = path
    return found
