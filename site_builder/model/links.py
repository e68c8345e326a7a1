"""Links between pages: every link target a page's pre-scan found, resolved to a URL of the site
or reported (file and line) as broken, reused from the last build while the site's URLs and
the page are unchanged."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..errors import Collector
from ..fs import digest
from .frontmatter import suggest_sorted
from .pages import Page, static_files
from .urls import fragment_link, is_unsafe_target

if TYPE_CHECKING:
    from .site import Site


_PLAIN_MD_LINK = re.compile(r"^[\w.\-/]+\.md(?:#[\w\-]*)?$")
_UNKNOWN = object()  # not in a memo (None is an answer: a dropped link)


def resolve_link(site: Site, page: Page, target: str, line: int, files: set[str], errors: Collector) -> str | None:
    if _PLAIN_MD_LINK.match(target):  # the common case, without the general parsing below
        path, _, frag = target.partition("#")
        other = site.by_rel.get(posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path)))
        if other is not None:
            link = site.page_link(other)
            return site.urls.url(fragment_link(link, frag))
    urls_ = site.urls
    t = target.strip()
    if is_unsafe_target(t):
        errors.warn(page.shown, line, f"link to '{t[:40]}' dropped: javascript:, vbscript: "
                    "and data: links are not allowed")
        return None
    parts = urlsplit(t)
    if parts.scheme or t.startswith("//") or t.startswith("#") or not t:
        return t
    path, frag = unquote(parts.path), ("#" + parts.fragment if parts.fragment else "")
    if t.startswith("/"):
        rel = path.lstrip("/")
        if rel in site.routes or rel + "/" in site.routes or rel in files:
            return urls_.url(rel if rel in site.routes or rel in files else rel + "/") + frag
        hidden = next((u for u in site.unpublished.values() if u[0].url in (rel, rel + "/")), None)
        if hidden is not None:
            _unpublished(site, page, line, *hidden, errors)
            return t
        errors.error(page.shown, line, f"broken link: /{rel} is not a page or file of this site")
        return t
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path))
    if joined == ".." or joined.startswith("../"):
        errors.error(page.shown, line, f"broken link: {path} points outside content/")
        return t
    if joined.endswith(".md"):
        other = site.by_rel.get(joined)
        if other is None and joined in site.unpublished:
            _unpublished(site, page, line, *site.unpublished[joined], errors)
            return t
        if other is None:
            errors.error(page.shown, line, f"broken link: {path} (no page content/{joined})"
                         f"{suggest_sorted(joined, site.by_rel, 0.85)}")
            return t
        link = site.page_link(other)
        return urls_.url(fragment_link(link, frag[1:]))
    if joined in site.moved:  # a leaf bundle's file, beside its page
        return urls_.url(site.moved[joined]) + frag
    if joined in files:
        return urls_.url(joined) + frag
    errors.error(page.shown, line, f"broken link: {path} (no file content/{joined}); "
                 "link to a .md page or to a file in content/ or static/")
    return t


def _unpublished(site: Site, page: Page, line: int, other: Page, why: str, errors: Collector) -> None:
    errors.error(page.shown, line, f"links to {other.shown}, which {why}")


def links_key(site: Site, files: set[str]) -> str:
    """What link resolution depends on besides the page itself: every URL and file of the site."""
    return digest(site.config.base_url, sorted((p.rel, site.page_link(p)) for p in site.pages),
                  sorted(site.routes), sorted(files), sorted(site.moved.items()))


def check_links(site: Site, assets: list[tuple[Path, str]], errors: Collector, previous: Any) -> None:
    files = site.files = {rel for _, rel in assets} | set(static_files(site.config))
    site.links_key = links_key(site, files)
    reuse = previous.links if previous is not None and previous.links_key == site.links_key else {}
    memos: dict[str, dict[str, str | None]] = {}  # by folder: pages of one folder link to the same targets
    for page in site.pages:
        known = reuse.get(page.rel)
        if known and known[0] == page.digest:
            site.links[page.rel] = known[1]
            errors.warnings.extend(known[2])
            continue
        before = len(errors.warnings)
        memo = memos.setdefault(posixpath.dirname(page.rel), {})
        resolved: dict[str, str | None] = {}
        for target, line in page.scan.links:
            found = memo.get(target, _UNKNOWN)
            if found is not _UNKNOWN:
                resolved[target] = found  # type: ignore[assignment]
                continue
            problems = len(errors.errors) + len(errors.warnings)
            resolved[target] = resolve_link(site, page, target, line, files, errors)
            if len(errors.errors) + len(errors.warnings) == problems:
                memo[target] = resolved[target]  # only clean answers: a problem is reported per page and line
        site.links[page.rel] = resolved
        site.link_warnings[page.rel] = errors.warnings[before:]
