"""What one build left behind (``State``, and its small summary ``Inputs``) and their form on
disk: JSON, data only, written and read field by field.

A cache file is input like any other: a project, an archive or a copied folder can bring one.
So reading it never runs code (no pickle) and never trusts a shape: every field is checked
as it is decoded, and anything that is not exactly what ``dump_state`` writes raises
``Unreadable`` (the cache is then ignored with a warning). Front-matter values keep their
YAML types (dates, datetimes, bytes, sets, tuples, big integers) and the line of every key.
"""
from __future__ import annotations

import json
import re
from itertools import chain
from dataclasses import dataclass, field
from typing import Any

from ...errors import SiteError
from ...fs import Signature
from ...model.pages import Page
from ...model.scan import Scan
from . import jsondata as j
from .jsondata import Unreadable, decode_value, encode_value

# A file changed in the same clock tick as the scan that recorded it can keep its signature
# (same size, same inode, same coarse mtime). Like git's "racy" entries, signatures this close
# to their scan are not trusted: those files are compared by content instead.
RACY_NS = 2_000_000_000
KIND = "site-builder build cache"

@dataclass
class State:
    """What one build of one output folder left behind."""
    version: str
    root: str
    out: str
    env: tuple
    inputs: dict[str, Signature | None] = field(default_factory=dict)
    pages: dict[str, tuple[Signature | None, Any]] = field(default_factory=dict)  # rel -> (sig, Page)
    links_key: str = ""                                    # the site's URLs when links were resolved
    links: dict[str, tuple[str, dict, list]] = field(default_factory=dict)  # rel -> (page digest, resolved, warnings)
    outputs: dict[str, str] = field(default_factory=dict)  # output file -> key of its inputs
    quick: dict[str, str] = field(default_factory=dict)    # output file -> quick key (see incremental.keys)
    marker: Signature | None = None                         # out/.site-builder.json as this build left it
    search: dict[int, str] = field(default_factory=dict)      # search shard -> key of the pages it was made from
    search_want: dict[int, str] = field(default_factory=dict)  # ... and the key it should have now
    search_plan: dict[int, list[str]] = field(default_factory=dict)  # search shard -> its pages
    warnings: list[tuple] = field(default_factory=list)     # (path, line, message), repeated when up to date
    pending: bool = False                                   # the search index still has to be made
    scanned_ns: int = 0                                     # wall clock just before the inputs were scanned
    templates: dict[str, tuple] = field(default_factory=dict)  # name -> (source hash, references, site reads)
    template_keys: dict[str, str] = field(default_factory=dict)  # name -> key of its closure and site reads
    structure: str = ""                                      # the structure key of this build
    extras_key: str = ""                                     # what sitemap, feed... were made from
    extras: dict[str, str] = field(default_factory=dict)    # ... and their output keys
    until_ns: int = 0                                       # when a page goes live or expires (0: never)

    def trusted(self, sig: Signature | None) -> bool:
        """Whether an unchanged signature proves an unchanged file."""
        return sig is not None and sig[0] < self.scanned_ns - RACY_NS


@dataclass
class Inputs:
    """The small part of a State that says whether anything changed: read on its own, so a
    build with nothing to do does not load every page's metadata."""
    env: tuple
    inputs: dict[str, Signature | None]
    marker: Signature | None
    scanned_ns: int
    pending: bool
    pages: int
    warnings: list[tuple]
    until_ns: int = 0

    def unchanged(self, env: tuple, inputs: dict[str, Signature | None], marker: Signature | None,
                  now_ns: int) -> bool:
        """Nothing to build: no file changed, and no page has gone live or expired since."""
        trusted = self.scanned_ns - RACY_NS
        return (self.env == env and self.inputs == inputs and self.marker == marker and marker is not None
                and not (self.until_ns and now_ns >= self.until_ns)
                and not self.pending and all(sig is None or sig[0] < trusted for sig in inputs.values()))


# --- pages, in columns: one list per field, so checking a field's type is one C-speed pass --------

_COLUMNS = ("rel", "sig", "meta", "lines", "body_line", "digest", "meta_digest", "url", "kind", "theme",
            "section", "targets", "target_lines", "refs", "ref_lines", "ids", "id_lines",
            "directives", "directive_lines", "deepest",
            "link_digest", "link_urls", "link_warnings")
_TEXT_COLUMNS = ("rel", "digest", "meta_digest", "url", "kind", "theme", "section")


def _encode_pages(s: State) -> dict:
    pages = [p for _, p in s.pages.values()]
    first = pages[0] if pages else None
    src_prefix = first.src[:-len(first.rel)] if first else ""
    shown_prefix = first.shown[:-len(first.rel)] if first else ""
    derived = all(p.src == src_prefix + p.rel and p.shown == shown_prefix + p.rel for p in pages)
    cols: dict[str, list] = {k: [] for k in _COLUMNS}
    for rel, (sig, p) in s.pages.items():
        targets = [t for t, _ in p.scan.links]
        link = s.links.get(rel)
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
        for k, v in zip(_COLUMNS, row):
            cols[k].append(v)
    cols["src"] = src_prefix if derived else [p.src for p in pages]
    cols["shown"] = shown_prefix if derived else [p.shown for p in pages]
    return cols


def _decode_pages(c: Any, content_dir: str) -> tuple[dict, dict]:
    if type(c) is not dict:
        raise Unreadable("no pages")
    cols = [c[k] for k in _COLUMNS]
    n = len(j.only(c["rel"], str))
    if any(type(col) is not list or len(col) != n for col in cols):
        raise Unreadable("page columns of different lengths")
    for k in _TEXT_COLUMNS:
        j.only(c[k], str)
    j.only(c["body_line"], int)
    # a page from the cache is not read again: its URL and section must be as safe as when it was
    _inside_names([u[:-1] if u.endswith("/") else u for u in c["url"] + c["section"] if u])
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
            return {}, {}  # pages of another content folder: every page is read again
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


# --- files ---------------------------------------------------------------------------------------

# a '.' or '..' segment, an empty one, a leading '/', a control character or a backslash
_UNSAFE_OUTPUT = re.compile(r"(?:^|/)\.{0,2}(?:/|$)|^/|[\x00-\x09\x0b-\x1f\x7f\\]", re.M)


def _inside_names(names: Any) -> None:
    """Relative names that stay inside their folder. (All in one search: one per line, so no
    name may hold a newline.)"""
    joined = "\n".join(names)
    if names and (joined.count("\n") != len(names) - 1 or _UNSAFE_OUTPUT.search(joined)):
        raise Unreadable("a name outside the output folder")


def _outputs(v: Any) -> dict[str, str]:
    """Output files: the next build deletes those it no longer makes."""
    names = j.mapping(v, str)
    _inside_names(names)
    return names


def _dump(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), check_circular=False).encode("ascii")


def _load(data: bytes) -> dict:
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError) as e:
        raise Unreadable(f"not JSON ({e})") from None
    if type(obj) is not dict or obj.get("kind") != KIND or type(obj.get("version")) is not str:
        raise Unreadable("not a site-builder cache file")
    return obj


def _shards(v: Any, check: Any) -> dict[int, Any]:
    if type(v) is not dict or not all(k.isascii() and k.isdecimal() for k in v):
        raise Unreadable("not a mapping of search shards")
    return {int(k): check(x) for k, x in v.items()}


def _templates(v: Any) -> dict[str, tuple]:
    out = {}
    for name, (key, refs, ref_lines, reads) in j.mapping(v, list).items():
        out[name] = (j.text(key), j.pairs(refs, ref_lines), None if reads is None else j.only(reads, str))
    return out


def dump_state(s: State) -> bytes:
    """The state as JSON. Raises TypeError, ValueError or RecursionError for a value JSON cannot hold."""
    links = {rel: [d, {"map": r}, [[w.path, w.line, w.message] for w in ws]]
             for rel, (d, r, ws) in s.links.items() if rel not in s.pages}
    return _dump({
        "kind": KIND, "version": s.version, "root": s.root, "out": s.out, "env": list(s.env),
        "inputs": j.encode_signatures(s.inputs), "pages": _encode_pages(s), "other_links": links,
        "links_key": s.links_key, "outputs": s.outputs, "quick": s.quick, "marker": s.marker,
        "search": s.search, "search_want": s.search_want, "search_plan": s.search_plan,
        "warnings": s.warnings, "pending": s.pending, "scanned_ns": s.scanned_ns,
        "templates": {name: [key, [r for r, _ in refs], [n for _, n in refs], reads]
                      for name, (key, refs, reads) in s.templates.items()},
        "template_keys": s.template_keys, "structure": s.structure, "extras_key": s.extras_key, "extras": s.extras,
        "until_ns": s.until_ns})


def state_header(data: bytes) -> dict:
    """The parsed file, checked only for being a state: the caller compares its version and
    site (to say which one differs) before ``load_state`` decodes the rest."""
    obj = _load(data)
    if type(obj.get("root")) is not str or type(obj.get("out")) is not str:
        raise Unreadable("no site")
    return obj


def _env(v: Any) -> tuple:
    if len(j.only(v, str, bool)) != 9 or any(type(v[i]) is not bool for i in (3, 5, 6)):
        raise Unreadable("not a build environment")
    return tuple(v)


def load_state(obj: dict, content_dir: str) -> State:
    """The State of a parsed file (see ``state_header``); ``content_dir``: where its pages must be."""
    try:
        pages, links = _decode_pages(obj["pages"], content_dir)
        for rel, (d, r, ws) in j.mapping(obj["other_links"], list).items():
            links[rel] = (j.text(d), j.mapping(decode_value(r), str, type(None)), [SiteError(*w) for w in j.warnings(ws)])
        return State(
            obj["version"], obj["root"], obj["out"], _env(obj["env"]), inputs=j.signatures(obj["inputs"]),
            pages=pages, links_key=j.text(obj["links_key"]), links=links, outputs=_outputs(obj["outputs"]),
            quick=j.mapping(obj["quick"], str), marker=j.signature(obj["marker"]),
            search=_shards(obj["search"], j.text), search_want=_shards(obj["search_want"], j.text),
            search_plan=_shards(obj["search_plan"], lambda x: j.only(x, str)), warnings=j.warnings(obj["warnings"]),
            pending=j.flag(obj["pending"]), scanned_ns=j.integer(obj["scanned_ns"]),
            templates=_templates(obj["templates"]), template_keys=j.mapping(obj["template_keys"], str),
            structure=j.text(obj["structure"]), extras_key=j.text(obj["extras_key"]),
            extras=j.mapping(obj["extras"], str), until_ns=j.integer(obj["until_ns"]))
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as e:  # missing or mis-shaped
        raise Unreadable(f"{type(e).__name__}: {e}") from None


def dump_inputs(s: State) -> bytes:
    return _dump({"kind": KIND, "version": s.version, "env": list(s.env), "inputs": j.encode_signatures(s.inputs),
                  "marker": s.marker, "scanned_ns": s.scanned_ns, "pending": s.pending,
                  "pages": sum(1 for o in s.outputs if o.endswith(".html")), "warnings": s.warnings,
                  "until_ns": s.until_ns})


def load_inputs(data: bytes, version: str) -> Inputs:
    obj = _load(data)
    try:
        if obj["version"] != version:
            raise Unreadable("another version")
        return Inputs(_env(obj["env"]), j.signatures(obj["inputs"]), j.signature(obj["marker"]),
                      j.integer(obj["scanned_ns"]), j.flag(obj["pending"]), j.integer(obj["pages"]),
                      j.warnings(obj["warnings"]), j.integer(obj["until_ns"]))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise Unreadable(f"{type(e).__name__}: {e}") from None

