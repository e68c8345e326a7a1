"""A saved state's pages in columns: one list per field, so that checking a field's type is one
C-speed pass over every page (the hostility rules are ``state``'s docstring)."""
from __future__ import annotations

import re
from itertools import chain
from typing import Any

from ...errors import SiteError
from ...fs import Signature
from ...model.pages import Page
from ...model.scan import Scan
from . import jsondata as j
from .jsondata import Unreadable, decode_value, encode_value

COLUMNS = ("rel", "sig", "meta", "lines", "body_line", "digest", "meta_digest", "url", "kind", "theme",
           "section", "targets", "target_lines", "refs", "ref_lines", "ids", "id_lines",
           "directives", "directive_lines", "deepest",
           "link_digest", "link_urls", "link_warnings")
TEXT_COLUMNS = ("rel", "digest", "meta_digest", "url", "kind", "theme", "section")


def encode_pages(rows: dict[str, tuple[Signature | None, Page]], links: dict[str, tuple[str, dict, list]]) -> dict:
    """The pages ``rows`` (rel -> (signature, page)) and their links' entries, in columns."""
    pages = [p for _, p in rows.values()]
    first = pages[0] if pages else None
    src_prefix = first.src[:-len(first.rel)] if first else ""
    shown_prefix = first.shown[:-len(first.rel)] if first else ""
    derived = all(p.src == src_prefix + p.rel and p.shown == shown_prefix + p.rel for p in pages)
    cols: dict[str, list] = {k: [] for k in COLUMNS}
    for rel, (sig, p) in rows.items():
        targets = [t for t, _ in p.scan.links]
        link = links.get(rel)
        resolved = link[1] if link else {}
        row = (rel, sig, {k: v if type(v) is str else encode_value(v) for k, v in p.meta.items()}, p.lines,
               p.body_line, p.digest, p.meta_digest, p.url, p.kind, p.theme, p.section,
               targets, [n for _, n in p.scan.links], [t for t, _ in p.scan.refs], [n for _, n in p.scan.refs],
               [t for t, _ in p.scan.ids], [n for _, n in p.scan.ids],
               [t for t, _ in p.scan.directives], [n for _, n in p.scan.directives], p.scan.deepest,
               None if link is None else link[0],
               # the usual case: one URL per distinct target, in the order the scan found them
               [resolved[t] for t in dict.fromkeys(targets)] if list(resolved) == list(dict.fromkeys(targets))
               else {"map": resolved},
               [[w.path, w.line, w.message] for w in link[2]] if link else [])
        for k, v in zip(COLUMNS, row):
            cols[k].append(v)
    cols["src"] = src_prefix if derived else [p.src for p in pages]
    cols["shown"] = shown_prefix if derived else [p.shown for p in pages]
    return cols


def decode_pages(c: Any, content_dir: str) -> tuple[dict, dict] | None:
    """The pages and links' entries of ``encode_pages``' columns, every field checked; None for the
    pages of another content folder (they are all read again)."""
    if type(c) is not dict:
        raise Unreadable("no pages")
    cols = [c[k] for k in COLUMNS]
    n = len(j.only(c["rel"], str))
    if any(type(col) is not list or len(col) != n for col in cols):
        raise Unreadable("page columns of different lengths")
    for k in TEXT_COLUMNS:
        j.only(c[k], str)
    j.only(c["body_line"], int)
    # a page from the cache is not read again: its URL and section must be as safe as when it was
    inside_names([u[:-1] if u.endswith("/") else u for u in c["url"] + c["section"] if u])
    j.only(c["link_digest"], str, type(None))
    j.lists_of(c["link_warnings"], list)
    for k, lines in (("targets", "target_lines"), ("refs", "ref_lines"), ("ids", "id_lines"),
                     ("directives", "directive_lines")):
        if list(map(len, j.lists_of(c[k], str))) != list(map(len, j.lists_of(c[lines], int))):
            raise Unreadable("columns of different lengths")
    if set(map(len, j.lists_of(c["deepest"], int))) - {2}:
        raise Unreadable("not a nesting depth")
    sigs = [x for x in j.only(c["sig"], list, type(None)) if x is not None]
    if set(map(len, j.lists_of(sigs, int))) - {3}:
        raise Unreadable("not a file signature")
    j.only(c["meta"], dict)
    j.only(list(chain.from_iterable(map(dict.values, j.only(c["lines"], dict)))), int)
    j.only(list(chain.from_iterable(x for x in j.only(c["link_urls"], list, dict) if type(x) is list)),
           str, type(None))
    src, shown = c["src"], c["shown"]
    if type(src) is str and type(shown) is str:
        if src != content_dir.rstrip("/") + "/":
            return None if n else ({}, {})  # pages of another content folder
        src, shown = [src + rel for rel in c["rel"]], [shown + rel for rel in c["rel"]]
    elif len(j.only(src, str)) != n or len(j.only(shown, str)) != n:
        raise Unreadable("no page files")
    pages, links = {}, {}
    # every column's type is checked above: the loop only assembles (it runs once per page)
    for (rel, sig, meta, lines, body_line, digest, meta_digest, url, kind, theme, section, targets, target_lines,
         refs, ref_lines, ids, id_lines, directives, directive_lines, deepest, link_digest, link_urls,
         link_warnings), path, name \
            in zip(zip(*cols), src, shown):
        scan = Scan(links=list(zip(targets, target_lines)), refs=list(zip(refs, ref_lines)) if refs else [],
                    ids=list(zip(ids, id_lines)) if ids else [], deepest=(deepest[0], deepest[1]),
                    directives=list(zip(directives, directive_lines)) if directives else [])
        pages[rel] = (sig and (sig[0], sig[1], sig[2]), Page(
            src=path, rel=rel, shown=name, meta={k: x if type(x) is str else decode_value(x) for k, x in meta.items()},
            lines=lines, body=None, body_line=body_line, digest=digest, meta_digest=meta_digest, url=url, kind=kind,
            theme=theme, section=section, scan=scan))
        if link_digest is not None:
            if type(link_urls) is list:
                unique = dict.fromkeys(targets)
                if len(link_urls) != len(unique):
                    raise Unreadable("links that do not match their page")
                resolved = dict(zip(unique, link_urls))
            else:
                resolved = j.mapping(decode_value(link_urls), str, type(None))
            links[rel] = (link_digest, resolved,
                          [SiteError(*w) for w in j.warnings(link_warnings)] if link_warnings else [])
    return pages, links


# a '.' or '..' segment, an empty one, a leading '/', a control character or a backslash
_UNSAFE_OUTPUT = re.compile(r"(?:^|/)\.{0,2}(?:/|$)|^/|[\x00-\x09\x0b-\x1f\x7f\\]", re.M)


def inside_names(names: Any) -> None:
    """Relative names that stay inside their folder. (All in one search: one per line, so no
    name may hold a newline.)"""
    joined = "\n".join(names)
    if names and (joined.count("\n") != len(names) - 1 or _UNSAFE_OUTPUT.search(joined)):
        raise Unreadable("a name outside the output folder")
