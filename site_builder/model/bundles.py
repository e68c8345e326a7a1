"""Leaf bundles (Hugo's name): a folder whose index is its only page, with images and other files
beside it. The index is ``index.md`` or ``README.md``, or any page whose URL is the folder's;
``_index.md`` always makes a section. The bundle is one page, and its files are published beside
that page, wherever its ``url:`` or ``slug:`` puts it (as Hugo publishes a bundle's resources
under the page's own address), so that every relative link of the page, raw HTML's included,
still leads to them."""
from __future__ import annotations

import posixpath

from ..errors import Collector
from .pages import Page
from .urls import output_file

_INDEXES = ("index.md", "README.md")


def folder_of(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def leaf_indexes(pages: list[Page]) -> set[str]:
    """The content paths of the pages that are leaf bundles (a page with ``section:`` is not one)."""
    under: dict[str, int] = {}
    for page in pages:  # how many pages each folder holds, at any depth
        parts = page.rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            key = "/".join(parts[:i])
            under[key] = under.get(key, 0) + 1
    return {p.rel for p in pages if "section" not in p.meta and _is_index(p) and under.get(folder_of(p.rel)) == 1}


def _is_index(page: Page) -> bool:
    folder, name = folder_of(page.rel), posixpath.basename(page.rel)
    if not folder or name == "_index.md":
        return False
    return name in _INDEXES or page.url == folder + "/"


def moved_files(pages: list[Page], leaves: set[str], files: list[str]) -> dict[str, str]:
    """content path → output path of each file of a leaf bundle whose page is not at its folder's
    address: beside the page (``posts/trip/map.pdf`` → ``journeys/trip/map.pdf``)."""
    homes: dict[str, str] = {}
    for page in pages:
        if page.rel in leaves:
            home = posixpath.dirname(output_file(page.url))
            if home != folder_of(page.rel):
                homes[folder_of(page.rel)] = home
    if not homes:
        return {}
    moved: dict[str, str] = {}
    for rel in files:
        folder = folder_of(rel)
        while folder and folder not in homes:
            folder = folder_of(folder)
        if folder:
            moved[rel] = posixpath.join(homes[folder], rel[len(folder) + 1:])
    return moved


def check_slugs(pages: list[Page], leaves: set[str], errors: Collector) -> None:
    """``slug:`` on a folder's index renames the folder in the URL only for a leaf bundle (Hugo's
    rule); a section's index stays at its folder's URL, where its pages are listed."""
    for page in pages:
        folder, name = folder_of(page.rel), posixpath.basename(page.rel)
        if "slug" not in page.meta or "url" in page.meta or name not in (*_INDEXES, "_index.md"):
            continue
        if not folder:
            errors.warn(page.shown, page.line("slug"), "slug: is ignored on the home page, whose address "
                        "is the site's root (as in Hugo); remove the line")
        elif name == "_index.md":
            errors.warn(page.shown, page.line("slug"), f"slug: is ignored on a section's _index.md (as in "
                        f"Hugo): the section's address is its folder's, /{folder}/; rename the folder to change it")
        elif page.rel not in leaves:
            errors.error(page.shown, page.line("slug"), f"slug: would move this page away from the pages "
                         f"beside it: {folder}/ holds other pages, so it is a section that {name} introduces "
                         f"at /{folder}/; rename the folder to change its address, or remove slug:")
