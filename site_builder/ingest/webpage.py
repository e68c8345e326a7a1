"""What a reader sees of a saved web page: its visible text blocks, in order, each with its line
in the HTML file and the parts of the page around it (navigation, share bar, comments…).

Pure: an lxml tree in, ``Visible`` blocks out. The extractor (trafilatura, in ``html.py``) says
what the article's text is; comparing it with these blocks tells what it left out, and why.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

# elements whose text starts a new block; the others (a, span, em, time…) run inside one
BLOCKS = frozenset("""address article aside blockquote body button caption dd details dialog div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main menu nav ol p pre section summary
table tbody td tfoot th thead tr ul""".split())
# never shown as text
HIDDEN_TAGS = frozenset("script style noscript template head svg math iframe object embed canvas select "
                        "textarea input audio video picture source track map area link meta title".split())
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# the part of a page an element is, by the words of its class and id (first match wins)
_ZONE_WORDS: list[tuple[str, frozenset[str]]] = [
    ("breadcrumb", frozenset({"breadcrumb", "breadcrumbs", "crumbs", "crumb"})),
    ("share bar", frozenset({"share", "sharing", "sharebar", "social", "addthis", "sharethis"})),
    ("comments", frozenset({"comment", "comments", "disqus", "replies", "respond"})),
    ("cookie banner", frozenset({"cookie", "cookies", "consent", "gdpr", "cmp"})),
    ("related links", frozenset({"related", "recommend", "recommended", "recommendations", "popular",
                                 "trending", "mostread", "most", "more", "readmore", "outbrain", "taboola"})),
    ("advertising", frozenset({"ad", "ads", "advert", "adverts", "advertisement", "adslot", "adsense",
                               "sponsor", "sponsored", "promo", "dfp", "gpt"})),
    ("sign-up box", frozenset({"newsletter", "subscribe", "subscription", "signup", "paywall", "register"})),
    ("navigation", frozenset({"nav", "navbar", "navigation", "menu", "menubar", "topbar", "skip", "pagination",
                              "pager"})),
    ("tags", frozenset({"tags", "tag", "topics", "keywords"})),
    ("sidebar", frozenset({"sidebar", "rail", "widget", "widgets"})),
    ("page footer", frozenset({"footer", "foot", "copyright", "colophon"})),
    ("header", frozenset({"header", "masthead", "topnav", "logo", "branding"})),
]
_ROLE_ZONES = {"navigation": "navigation", "banner": "header", "contentinfo": "page footer",
               "complementary": "sidebar", "search": "navigation", "dialog": "dialog", "alertdialog": "dialog"}
_TAG_ZONES = {"nav": "navigation", "footer": "page footer", "header": "header", "aside": "sidebar",
              "form": "form", "menu": "navigation", "dialog": "dialog"}
OUTSIDE = "outside the article text"


@dataclass
class Visible:
    line: int                      # where the block starts in the HTML file
    text: str                      # white space folded
    tag: str                       # the element that holds it (h1, p, li, div…)
    zones: tuple[tuple[int, str], ...] = ()   # (element number, part of the page), innermost first
    kept: bool = False             # in the article text the extractor kept

    def zone(self, wrong: set[int]) -> str:
        """Why the block is not article text: the innermost part of the page around it that does
        not also hold article text (a wrapper named 'has-sidebar' around the article is no sidebar)."""
        return next((why for owner, why in self.zones if owner not in wrong), "")


@dataclass
class _Frame:
    tag: str
    zones: tuple[tuple[int, str], ...]
    block: bool
    skip: bool
    line: int
    buf: list[str] = field(default_factory=list)


def _words(el: etree._Element) -> set[str]:
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return set(re.split(r"[^a-z0-9]+", names)) if names.strip() else set()


def own_zone(el: etree._Element, tag: str) -> str:
    words = _words(el)
    for why, keys in _ZONE_WORDS:
        if words & keys:
            return why
    return _ROLE_ZONES.get((el.get("role") or "").strip().lower(), "") or _TAG_ZONES.get(tag, "")


def hidden(el: etree._Element, tag: str) -> bool:
    return (tag in HIDDEN_TAGS or el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"
            or bool(_HIDDEN_STYLE.search(el.get("style") or "")))


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def visible_blocks(tree: etree._Element) -> list[Visible]:
    """The page's visible text, block by block, in document order. Iterative (no recursion), so
    however deeply a page nests its elements this cannot overflow the stack."""
    tree = _without_comments(tree)
    body = tree.find(".//body")
    root = body if body is not None else tree
    out: list[Visible] = []
    stack: list[_Frame] = []
    blocks: list[_Frame] = []          # the block frames of the stack: text goes to the last one
    count = 0

    def flush(frame: _Frame) -> None:
        text = fold("".join(frame.buf))
        frame.buf.clear()
        if text:
            out.append(Visible(frame.line, text, frame.tag, frame.zones))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            count += 1
            parent = stack[-1] if stack else None
            skip = (parent is not None and parent.skip) or not tag or hidden(el, tag)
            if skip:
                walker.skip_subtree()
            zone = "" if skip else own_zone(el, tag)
            zones = ((count, zone),) + parent.zones if zone and parent else ((count, zone),) if zone else \
                (parent.zones if parent else ())
            frame = _Frame(tag, zones, tag in BLOCKS or parent is None, skip, el.sourceline or 0)
            if frame.block and blocks and not skip:
                flush(blocks[-1])      # the parent's text so far is a block of its own
                blocks[-1].line = frame.line
            stack.append(frame)
            if frame.block and not skip:
                blocks.append(frame)
            if not skip:
                blocks[-1].buf.append(el.text or "")
                if tag == "br":
                    blocks[-1].buf.append("\n")
        else:
            frame = stack.pop()
            if frame.block and not frame.skip:
                blocks.pop()
                flush(frame)
            if blocks:
                blocks[-1].buf.append(el.tail or "")
    return out


def _without_comments(tree: etree._Element) -> etree._Element:
    """A copy without comments and processing instructions, their tails kept as text."""
    import copy

    tree = copy.deepcopy(tree)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return tree


# --- which visible blocks the extracted text covers ----------------------------------------------

_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def squash(text: str) -> str:
    """Text compared without white space: the extractor folds and breaks lines its own way."""
    return _SPACE.sub("", unicodedata.normalize("NFC", text))


def align(visible: list[Visible], parts: list[str]) -> list[int | None]:
    """For each part of the extracted text, the visible block where it starts (None when the
    extractor changed its words past finding); marks the blocks the parts cover as kept. Parts are
    looked for in order, so a short part ('Share') is not matched with words in an earlier block."""
    keys = [squash(v.text) for v in visible]
    starts, pos = [], 0
    for k in keys:
        starts.append(pos)
        pos += len(k)
    whole = "".join(keys)
    bounds = set(starts) | {len(whole)}
    out: list[int | None] = []
    pos = 0
    for part in parts:
        key = squash(part)
        at = _find(whole, key, pos, bounds) if key else -1
        if at < 0:
            at = _find(whole, key, 0, bounds) if key else -1
        if at < 0:
            out.append(None)
            continue
        first = _block_at(starts, at)
        last = _block_at(starts, at + len(key) - 1)
        for v in visible[first:last + 1]:
            v.kept = True
        out.append(first)
        pos = max(pos, at + len(key))
    return out


def _find(whole: str, key: str, pos: int, bounds: set[int]) -> int:
    """Where ``key`` occurs from ``pos``; a short key only as whole blocks (never inside words)."""
    at = whole.find(key, pos)
    if len(key) >= 25:
        return at
    tries = 0
    while at >= 0 and not (at in bounds and at + len(key) in bounds) and tries < 200:
        at, tries = whole.find(key, at + 1), tries + 1
    return at if at >= 0 and at in bounds and at + len(key) in bounds else -1


def _block_at(starts: list[int], offset: int) -> int:
    import bisect

    return max(0, bisect.bisect_right(starts, offset) - 1)


def wrong_zones(visible: list[Visible]) -> set[int]:
    """Page parts that hold article text: their names say nothing about what was dropped."""
    return {owner for v in visible if v.kept for owner, _ in v.zones}


def declared_language(tree: etree._Element) -> str:
    """The language the page declares: <html lang>, else Content-Language, else og:locale."""
    root = tree.getroottree().getroot()
    for value in (root.get("lang"), root.get("xml:lang"),
                  *root.xpath("//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
                              "='content-language']/@content"),
                  *root.xpath("//meta[@property='og:locale']/@content")):
        tag = (value or "").strip().replace("_", "-").split(",")[0].strip()
        if tag:
            return tag
    return ""
