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
from dataclasses import dataclass, field
from typing import Any, Callable

from ...errors import SiteError
from ...fs import Signature
from . import base as b
from . import jsondata as j
from .jsondata import Unreadable, decode_value
from .rows import decode_pages, inside_names

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
    # the pages as the state file holds them (see ``base``): the next save writes only how they differ
    base: b.Base | None = field(default=None, compare=False, repr=False)

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


# --- files ---------------------------------------------------------------------------------------

def _outputs(v: Any) -> dict[str, str]:
    """Output files: the next build deletes those it no longer makes."""
    names = j.mapping(v, str)
    inside_names(names)
    return names


_RAW = "\x00base"  # where state_header puts the base's bytes (set on every file: never the file's own)


def _whole(data: bytes) -> tuple[Any, None]:
    return json.loads(data), None


def _load(data: bytes, parse: Callable[[bytes], tuple[Any, bytes | None]] = _whole) -> dict:
    try:
        obj, raw = parse(data)
    except (ValueError, RecursionError) as e:
        raise Unreadable(f"not JSON ({e})") from None
    if type(obj) is not dict or obj.get("kind") != KIND or type(obj.get("version")) is not str:
        raise Unreadable("not a site-builder cache file")
    obj[_RAW] = raw
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
    """The state as JSON: its pages as a base and a delta (``base``), ``s.base`` then the base
    written. Raises TypeError, ValueError or RecursionError for a value JSON cannot hold."""
    links = {rel: [d, {"map": r}, [[w.path, w.line, w.message] for w in ws]]
             for rel, (d, r, ws) in s.links.items() if rel not in s.pages}
    base, delta = b.split(s.base, s.pages, s.links)
    data = b.join(base, j.dump({
        "kind": KIND, "version": s.version, "root": s.root, "out": s.out, "env": list(s.env),
        "inputs": j.encode_signatures(s.inputs), "delta": delta, "other_links": links,
        "links_key": s.links_key, "outputs": s.outputs, "quick": s.quick, "marker": s.marker,
        "search": s.search, "search_want": s.search_want, "search_plan": s.search_plan,
        "warnings": s.warnings, "pending": s.pending, "scanned_ns": s.scanned_ns,
        "templates": {name: [key, [r for r, _ in refs], [n for _, n in refs], reads]
                      for name, (key, refs, reads) in s.templates.items()},
        "template_keys": s.template_keys, "structure": s.structure, "extras_key": s.extras_key, "extras": s.extras,
        "until_ns": s.until_ns}))
    s.base = base
    return data


def state_header(data: bytes) -> dict:
    """The parsed file, checked only for being a state: the caller compares its version and
    site (to say which one differs) before ``load_state`` decodes the rest."""
    obj = _load(data, b.parse)
    if type(obj.get("root")) is not str or type(obj.get("out")) is not str:
        raise Unreadable("no site")
    return obj


def _env(v: Any) -> tuple:
    if len(j.only(v, str, bool)) != 9 or any(type(v[i]) is not bool for i in (3, 5, 6)):
        raise Unreadable("not a build environment")
    return tuple(v)


def _pages(obj: dict, content_dir: str) -> tuple[dict, dict, b.Base | None]:
    """The pages and links' entries of the base with its delta applied, and the base."""
    found, delta = decode_pages(obj["pages"], content_dir), j.mapping(obj["delta"], dict, list)
    rows, removed = decode_pages(delta["rows"], content_dir), j.only(delta["removed"], str)
    if found is None or rows is None:
        return {}, {}, None  # pages of another content folder: every page is read again
    pages, links = found
    base = b.loaded(obj.get(_RAW), pages, links)
    for rel in removed:
        if rel not in pages or rel in rows[0]:
            raise Unreadable("a delta that does not match its base")
        del pages[rel]
        links.pop(rel, None)
    for rel in rows[0]:
        links.pop(rel, None)
    pages.update(rows[0])
    links.update(rows[1])
    return pages, links, base


def load_state(obj: dict, content_dir: str) -> State:
    """The State of a parsed file (see ``state_header``); ``content_dir``: where its pages must be."""
    try:
        pages, links, base = _pages(obj, content_dir)
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
            extras=j.mapping(obj["extras"], str), until_ns=j.integer(obj["until_ns"]), base=base)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as e:  # missing or mis-shaped
        raise Unreadable(f"{type(e).__name__}: {e}") from None


def dump_inputs(s: State) -> bytes:
    return j.dump({"kind": KIND, "version": s.version, "env": list(s.env), "inputs": j.encode_signatures(s.inputs),
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

