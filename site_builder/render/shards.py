"""The search index's shards: which page goes into which, and where each one's bundle lives.

Pagefind holds every page it indexes in memory (about 0.3 MB a page) and has no incremental
mode, so one index of a 10,000-page site needs about 3 GB and is remade whole for a one-word
edit. The pages are therefore split by a hash of their path into shards of at most
SHARD_PAGES, each its own Pagefind bundle (``pagefind/0/``, ``pagefind/1/``...) that the search
page merges in the browser (Pagefind's ``mergeIndex``). Pure: the renderer lists the bundles,
the build (``build.search``) indexes them."""
from __future__ import annotations

import hashlib
from typing import Iterable

SHARD_PAGES = 1000
FOLDER = "pagefind"
UNINDEXED = ("404", "search", "alias")  # route kinds whose pages are not search results


def plan(files: Iterable[str]) -> dict[int, list[str]]:
    """Page files (relative to the output folder) by shard. The shard count is a power of two,
    so when a growing site doubles it, shard k's pages go to shard k or k + the old count."""
    files = sorted(files)
    count = 1
    while len(files) > count * SHARD_PAGES:
        count *= 2
    shards: dict[int, list[str]] = {}
    for f in files:
        k = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big") % count
        shards.setdefault(k, []).append(f)
    return dict(sorted(shards.items()))


def bundle(shard: int) -> str:
    """Where a shard's bundle goes, relative to the output folder."""
    return f"{FOLDER}/{shard}/"


def shard_of(rel: str) -> int | None:
    """The shard whose bundle holds the output file ``rel``; None if it is not in one."""
    parts = rel.split("/", 2)
    return int(parts[1]) if len(parts) == 3 and parts[0] == FOLDER and parts[1].isdigit() else None
