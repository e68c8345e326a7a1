"""A state's pages as a base and a delta, so that a build which changed a few pages does not
encode and dump the rows of all the others again.

A state file holds the rows of every page (``rows``' columns) as some earlier build wrote them,
the *base*, then the *delta*: the rows of the pages that differ from the base now, and the names
of the base's pages no longer there. Saving writes the base's JSON back byte for byte as it was
read and encodes only the delta; the base is made anew when there is none (a clean build, a file
whose base could not be split off) or when the delta has outgrown ``max(MIN_DELTA, pages //
DELTA_SHARE)``.

"Differs" is decided by value, never by where a page came from: a page keeps its base row only
if its file's signature, every field of its ``Page`` and its links' entry (digest, resolved
URLs, warnings) equal those of the base. A page lent by the cache can change after it was read:
git's ``updated`` date (``build.gitinfo``) and its kind, theme and section, derived again on
every build. So the base keeps each page's fields as it holds them (a shallow copy of the
page's ``__dict__``): kind, theme and section are plain strings, and a page's ``meta`` is never
changed in place once read (``gitinfo`` gives a page a new ``meta``), so a changed one is a
different object, which the comparison sees.

The base's bytes are reused only as they were parsed: ``parse`` takes the base from the start of
the file with ``raw_decode``, so they are exactly the JSON the loaded pages were decoded (and
checked) from; a file that does not start that way is parsed whole, and gets a new base.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ...fs import Signature
from ...model.pages import Page
from . import jsondata as j
from .rows import encode_pages

MIN_DELTA = 64      # a delta of this many rows is always kept (encoding them: ~2 ms)
DELTA_SHARE = 16    # ... or of one page in 16, beyond which the base is made anew
HEAD = b'{"pages":'  # a state file's first bytes, then its base
_DECODER = json.JSONDecoder()

Rows = dict[str, tuple[Signature | None, Page]]
Links = dict[str, tuple[str, dict, list]]


@dataclass(frozen=True, eq=False)
class Base:
    """The pages of a state file's base: its JSON, and each page's fields as it holds them."""
    raw: bytes | memoryview
    pages: dict[str, tuple[Signature | None, dict]]  # rel -> (signature, the Page's fields)
    links: Links


def loaded(raw: bytes | memoryview | None, pages: Rows, links: Links) -> Base | None:
    """The base a state file was read with (before its delta is applied to ``pages``)."""
    if raw is None:
        return None
    return Base(raw, {rel: (sig, dict(p.__dict__)) for rel, (sig, p) in pages.items()}, dict(links))


def _page(fields: dict) -> Page:
    page = object.__new__(Page)
    page.__dict__.update(fields)
    return page


def made(pages: Rows, links: Links) -> Base:
    """A new base of these pages: their fields taken first, then encoded from what was taken."""
    held = {rel: (sig, dict(p.__dict__)) for rel, (sig, p) in pages.items()}
    held_links = dict(links)
    rows = {rel: (sig, _page(fields)) for rel, (sig, fields) in held.items()}
    return Base(j.dump(encode_pages(rows, held_links)), held, held_links)


def _warnings(ws: list) -> list[tuple]:
    return [(w.path, w.line, w.message) for w in ws]


def _same_link(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return a is b
    return a[0] == b[0] and a[1] == b[1] and _warnings(a[2]) == _warnings(b[2])


def changes(base: Base, pages: Rows, links: Links) -> tuple[list[str], list[str]]:
    """The pages whose rows differ from the base's, and the base's pages no longer there."""
    held, held_links = base.pages, base.links
    changed = []
    for rel, (sig, page) in pages.items():
        b = held.get(rel)
        # (fields compared in C, each value first by identity: a lent page's are the base's own)
        if b is None or b[0] != sig or b[1] != page.__dict__ or (
                held_links.get(rel) != links.get(rel) and not _same_link(held_links.get(rel), links.get(rel))):
            changed.append(rel)
    return changed, [rel for rel in held if rel not in pages]


def split(base: Base | None, pages: Rows, links: Links) -> tuple[Base, dict]:
    """The base to write (``base``, or a new one when there is none or the delta outgrew it) and
    the delta: the columns of the rows that differ from it, and the names it holds no longer."""
    if base is not None:
        changed, removed = changes(base, pages, links)
        if len(changed) + len(removed) <= max(MIN_DELTA, len(pages) // DELTA_SHARE):
            return base, {"rows": encode_pages({rel: pages[rel] for rel in changed}, links), "removed": removed}
    base = made(pages, links)
    return base, {"rows": encode_pages({}, {}), "removed": []}


def join(base: Base, rest: bytes) -> bytes:
    """A state file: the base first (where ``parse`` finds it), then the rest (a JSON object)."""
    return b"".join((HEAD, base.raw, b",", memoryview(rest)[1:]))


def parse(data: bytes) -> tuple[Any, memoryview | None]:
    """A state file parsed (its base as its "pages"), and the base's bytes as they are in it:
    None for a file that does not start with a base (then parsed whole, as any JSON)."""
    if data.startswith(HEAD) and data.isascii():
        text = data.decode("ascii")
        try:
            pages, end = _DECODER.raw_decode(text, len(HEAD))
            rest = json.loads("{" + text[end + 1:]) if text[end:end + 1] == "," else None
        except (ValueError, RecursionError):
            rest = None  # (parsed whole below, to say why)
        if type(rest) is dict and "pages" not in rest:
            rest["pages"] = pages
            return rest, memoryview(data)[len(HEAD):end]
    return json.loads(data), None
