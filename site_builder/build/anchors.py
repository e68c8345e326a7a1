"""Every build checks the ``#fragment`` of each link a page's Markdown writes (``[x](other.md#part)``,
``[x](#part)``) against the ids of the page it leads to, as rendered, and reports a missing one
at the .md file and line of the link. A warning, not an error (``--strict`` makes it one): a
heading's id is made from its text, and content imported from another tool may link to the ids
that tool made. Only the pages some fragment leads to are read: this costs nothing on a site
without such links."""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import SiteError
from ..model.pages import Page
from ..model.site import Site
from ..model.urls import fragment_link, output_file
from .journal import staged_name

# the templates and Markdown write attributes in double quotes
_ID = re.compile(r'\sid="([^"]*)"|<a\s[^>]*?\bname="([^"]*)"')


def check_anchors(site: Site, stage: Path, out: Path) -> list[SiteError]:
    """A warning for each link whose fragment names no id of its target page. ``stage`` holds the
    pages rendered by this build (under their flat names when they move in through the journal),
    ``out`` the ones kept from the last."""
    ids: dict[str, set[str] | None] = {}
    found: list[SiteError] = []
    for page in site.pages:
        for target, line in page.scan.links:
            if "#" not in target:
                continue  # (most links: 130,000 on the bench site, 0.03 s of each build to split and unquote)
            url, _, frag = target.partition("#")
            frag = unquote(frag)
            if not frag or frag.lower() == "top" or frag.startswith(":~:"):
                continue  # "#top" scrolls up without an id; ":~:" is a text fragment
            link = _target_url(site, page, url)
            if link is None:
                continue  # another site, or a file: not ours to read
            where, _, want = fragment_link(link, frag).partition("#")  # a part's ids are its own there
            f = output_file(where)
            if f not in ids:
                ids[f] = _ids(stage / staged_name(f), stage / f, out / f)
            if ids[f] is not None and want not in ids[f]:  # type: ignore[operator]
                found.append(SiteError(page.shown, line, f"missing anchor: {target} (no heading or id "
                                       f"'{frag}' on /{where}); link to one of its headings' ids"))
    return found


def _target_url(site: Site, page: Page, url: str) -> str | None:
    """The site-relative link of the page a link leads to (``page_link``: a part shown on its
    theme page with its ``#anchor``), or None when it is not a page here."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        return site.page_link(page)
    if path.startswith("/"):
        rel = path.lstrip("/")
        return rel if rel in site.routes else rel + "/" if rel + "/" in site.routes else None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path))
    other = site.by_rel.get(joined)
    return site.page_link(other) if other is not None else None


def _ids(*candidates: Path) -> set[str] | None:
    """The ids (and ``<a name>``s) of a rendered page: this build's, else the last build's."""
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        return {html.unescape(a or b) for a, b in _ID.findall(text)}
    return None
