"""The search index's shards: which page goes into which, and where each one's bundle lives.

Pagefind holds every page it indexes in memory (about 0.3 MB a page) and has no incremental
mode, so one index of a 10,000-page site needs about 3 GB and is remade whole for a one-word
edit. The pages are therefore split into shards of about SHARD_PAGES (see ``site_plan``), each
its own Pagefind bundle (``pagefind/0/``, ``pagefind/1/``...) that the search page merges in the
browser (Pagefind's ``mergeIndex``). Pure: the renderer lists the bundles,
the build (``build.search``) indexes them."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Iterable

from ..model.urls import output_file

if TYPE_CHECKING:
    from ..model.site import Site

SHARD_PAGES = 1000
FOLDER = "pagefind"
UNINDEXED = ("404", "search", "alias")  # route kinds whose pages are not search results
SINGLE = ("page", "source", "part")  # route kinds showing one page; the others list pages
ARTICLES = SHARD_PAGES // 4  # articles a shard: each makes a source page and a part a theme
RECENT = ARTICLES // 5  # articles a shard among the newest (those after the last full shard)


def site_plan(site: Site) -> dict[int, list[str]]:
    """The plan of a site's search results: every page and the first page of each list (its
    later pages repeat what their items' own pages say), in shards chosen so that adding an
    article remakes few of them. An article's pages (its source and its parts) share a shard
    with the articles nearest it in date, ``ARTICLES`` a shard, oldest first; the newest ones,
    after the last full shard, ``RECENT`` a shard (in ``ARTICLES // RECENT`` places kept for
    them, so the shards after them keep their numbers until a full shard forms). A new article
    is most often the newest, and the pages it changes besides the lists are those of the
    articles nearest it (their related articles), so a new article remakes one or two small
    shards, not one of up to ``ARTICLES`` articles (on bench/multisite_bench.py's 1,000-article
    site, 210 pages indexed again instead of 490). Undated articles follow, by name; then other pages, placed by a hash of
    their path; then the lists (home, theme, section, tag pages...), which change with every
    article, in shards of their own. A site of at most SHARD_PAGES such pages has one shard."""
    dated: dict[str, list[str]] = {}
    undated: dict[str, list[str]] = {}
    pages, lists = [], []
    for r in site.routes.values():
        if r.kind in UNINDEXED or r.number != 1:
            continue
        f = output_file(r.url)
        refs = r.page.scan.refs if r.page is not None else []
        slug = r.page.slug if r.kind == "source" else refs[0][0].partition("#")[0] if r.kind == "part" and refs else ""
        if slug in site.sources:
            (dated if site.sources[slug].date else undated).setdefault(slug, []).append(f)
        elif r.kind in SINGLE:
            pages.append(f)
        else:
            lists.append(f)
    if len(pages) + len(lists) + sum(map(len, dated.values())) + sum(map(len, undated.values())) <= SHARD_PAGES:
        # one bundle: re-indexing all of it costs little, and one index ranks its results as one
        return {0: sorted(pages + lists + [f for d in (dated, undated) for fs in d.values() for f in fs])}
    shards: dict[int, list[str]] = {}
    full = len(dated) // ARTICLES  # shards of ARTICLES articles; the newest after them, RECENT a shard
    for i, slug in enumerate(sorted(dated, key=lambda s: (site.sources[s].date, s))):
        k = i // ARTICLES if i < full * ARTICLES else full + (i - full * ARTICLES) // RECENT
        shards.setdefault(k, []).extend(sorted(dated[slug]))
    first = full + -(-ARTICLES // RECENT) if dated else 0
    for i, slug in enumerate(sorted(undated)):
        shards.setdefault(first + i // ARTICLES, []).extend(sorted(undated[slug]))
    first += -(-len(undated) // ARTICLES)
    return {**shards, **plan(pages, lists, first)}


def plan(files: Iterable[str], lists: Iterable[str] = (), first: int = 0) -> dict[int, list[str]]:
    """Page files (relative to the output folder) by shard, numbered from ``first``, placed by a
    hash of their path; ``lists`` (pages listing others) in shards of their own after them. Each
    group's shard count is a power of two, so when a growing site doubles it, shard k's pages
    go to shard k or k + the old count."""
    shards: dict[int, list[str]] = {}
    count = _place(shards, sorted(files), first)
    _place(shards, sorted(lists), first + count)
    return dict(sorted(shards.items()))


def _place(shards: dict[int, list[str]], files: list[str], first: int) -> int:
    """Put ``files`` into shards ``first``, ``first + 1``...; returns how many shards they have."""
    if not files:
        return 0
    count = 1
    while len(files) > count * SHARD_PAGES:
        count *= 2
    for f in files:
        k = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big") % count
        shards.setdefault(first + k, []).append(f)
    return count


def bundle(shard: int) -> str:
    """Where a shard's bundle goes, relative to the output folder."""
    return f"{FOLDER}/{shard}/"


def shard_of(rel: str) -> int | None:
    """The shard whose bundle holds the output file ``rel``; None if it is not in one."""
    parts = rel.split("/", 2)
    return int(parts[1]) if len(parts) == 3 and parts[0] == FOLDER and parts[1].isdigit() else None
