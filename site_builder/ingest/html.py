"""A saved web page (``seeds/*.html``) as an article.

trafilatura finds the article's text (paragraphs, headings, lists, quotations, tables) and the
page's metadata; the text rules of plain-text seeds (``article.finish``) then run over that text,
so a byline, a dateline or a share widget left in it is handled as in a ``.txt`` seed. Every
extracted paragraph ends up once: in a block, in the metadata, or dropped with a reason. What the
extractor left out is found by comparing its text with the page's visible text blocks
(``webpage``), and reported by the part of the page it was in (navigation, comments, ads…).
Which of the page's metadata and its visible text wins: ``webmeta``.
"""
from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

from lxml import etree

from ..errors import SiteError
from . import furniture, language, webmeta
from .article import Article, finish
from .blocks import clean_text
from .record import Record
from .webpage import OUTSIDE, Visible, align, declared_language, visible_blocks, wrong_zones

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # its warnings are not ours to print
    logging.getLogger(_name).propagate = False

@dataclass
class Part:
    kind: str            # heading | paragraph | quote | item | row
    text: str
    group: int           # parts of one list or table share a group
    ordered: bool = False


def _tree(data: bytes, path: str, record: Record | None) -> etree._Element:
    from trafilatura import load_html

    text = None
    if record and record.charset:
        try:
            text = data.decode(record.charset)  # the charset the server sent: the page may not say it
        except (LookupError, UnicodeDecodeError):
            text = None
    tree = load_html(text if text is not None else data)
    if tree is None or not len(tree):
        raise SiteError(path, None, "not an HTML page (nothing an HTML parser can read); nothing written")
    return tree


def _extract(tree: etree._Element) -> list[Part]:
    """The article's text as trafilatura extracts it, part by part, in order."""
    from trafilatura import extract

    xml = extract(copy.deepcopy(tree), output_format="xml", include_comments=False, include_tables=True,
                  include_images=False, include_links=False, include_formatting=False, deduplicate=False,
                  with_metadata=False)
    if not xml:
        return []
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    parts: list[Part] = []
    for group, el in enumerate(main if main is not None else [], 1):
        if el.tag == "list":
            ordered = (el.get("rend") or "").lower() == "ol"
            parts += [Part("item", _text(i), group, ordered) for i in el.iter("item")
                      if i.find("list") is None or _text(i, own=True)]
        elif el.tag == "table":
            parts += [Part("row", " | ".join(_text(c) for c in row.iter("cell")), group) for row in el.iter("row")]
        elif el.tag in ("head", "quote"):
            parts.append(Part("heading" if el.tag == "head" else "quote", _text(el), group))
        elif el.tag != "graphic":
            parts.append(Part("paragraph", _text(el), group))
    return [p for p in parts if p.text]


def _text(el: etree._Element, own: bool = False) -> str:
    """An element's words (a nested list's items are parts of their own)."""
    if own:
        return clean_text(el.text or "")
    pieces = []
    for node in el.iter():
        if node is not el and node.tag == "list":
            break
        pieces += [node.text or "", " " if node.tag == "lb" else ""]
        if node is not el:
            pieces.append(node.tail or "")
    return clean_text("".join(pieces))


def _lines(parts: list[Part], at: list[int | None], visible: list[Visible]) -> tuple[
        list[tuple[int, str]], dict[int, str], set[int], dict[int, int]]:
    """The parts as the lines of a text (each list or table one group, blank lines between
    groups), the kinds the markup gives, the lines that are never furniture (table rows), and
    each line's line in the HTML file."""
    lines: list[tuple[int, str]] = []
    kinds: dict[int, str] = {}
    plain: set[int] = set()
    html_line: dict[int, int] = {}
    last_group, k = None, 0
    for part, i in zip(parts, at):
        if last_group is not None and (part.group != last_group or part.kind not in ("item", "row")):
            lines.append((len(lines) + 1, ""))
        n = len(lines) + 1
        k = k + 1 if part.group == last_group else 1
        last_group = part.group
        prefix = f"{k}. " if part.kind == "item" and part.ordered else "- " if part.kind in ("item", "row") else ""
        lines.append((n, prefix + part.text))
        if part.kind in ("heading", "quote"):
            kinds[n] = part.kind
        if part.kind == "row":
            plain.add(n)
        html_line[n] = visible[i].line if i is not None else 0
    return lines, kinds, plain, html_line


def parse_html(data: bytes, path: str, record: Record | None = None) -> Article:
    """A saved page → an Article: its text's blocks, metadata and the report of what was dropped."""
    if not data.strip():
        raise SiteError(path, None, "empty file: there is no article text to ingest")
    from trafilatura import extract_metadata

    tree = _tree(data, path, record)
    visible = visible_blocks(tree)
    meta = extract_metadata(copy.deepcopy(tree), extensive=False)
    parts = _extract(tree)
    if not parts:
        raise SiteError(path, None, "no article text found in this page (the extractor kept nothing); "
                                    "save the article's own page, not a list or home page; nothing written")
    at = align(visible, [p.text for p in parts])
    art = Article(path=path, title="", blocks=[])
    webmeta.choose_title(art, visible, meta.title or "", meta.sitename or "", tree)
    if not art.title and record and record.title:
        art.title, art.title_from = record.title, "feed entry"
    parts, at = _title_out(art, parts, at, visible)
    _harvest(art, visible, meta.sitename or "")
    lines, kinds, plain, html_line = _lines(parts, at, visible)
    since = len(art.moved), len(art.removed)
    finish(art, lines, kinds, find_headline=not art.title, plain=plain)
    _renumber(art, since, html_line)
    published = any("date" in keys.split(", ") and "updated" not in keys for _, _, keys in art.moved)
    webmeta.settle(art, meta, tree, published)
    if record:
        _from_record(art, record)
    art.original_url, why = webmeta.original_url(meta.url or webmeta.jsonld_url(tree), record.address if record else "")
    if why:
        art.notes.append(f"original address {art.original_url or '(none)'}: {why}")
    text = " ".join(b.text for b in art.blocks)
    lang, how = language.choose(declared_language(tree), text)
    art.language = lang
    art.notes.append(f"language {lang or 'of the site'}: {how}")
    return art


def _title_out(art: Article, parts: list[Part], at: list[int | None], visible: list[Visible]) -> tuple[
        list[Part], list[int | None]]:
    """The headline at the top of the extracted text is the title, not a block of the text."""
    for i, part in enumerate(parts[:3]):
        if art.title and webmeta.same(part.text, art.title):
            art.moved.append((visible[at[i]].line if at[i] is not None else 0, part.text, "title"))
            return parts[:i] + parts[i + 1:], at[:i] + at[i + 1:]
        if part.kind == "paragraph" and len(part.text) > 120:
            break
    return parts, at


_HARVEST = ("", "header", OUTSIDE)   # parts of a page where a byline or a date stamp may stand


def _harvest(art: Article, visible: list[Visible], site: str) -> None:
    """What the extractor left out of the text: metadata a reader sees (a byline, a date stamp,
    the headline) taken by the text rules; the rest dropped, named by the part of the page it
    was in. Consecutive dropped blocks of one kind are one entry of the report."""
    wrong = wrong_zones(visible)
    kept = [i for i, v in enumerate(visible) if v.kept and not (art.title and webmeta.same(v.text, art.title))]
    first, last = (kept[0], kept[-1]) if kept else (len(visible), len(visible))
    run: list[Visible] = []
    run_why = ""

    def close() -> None:
        if run:
            text = " · ".join(v.text if len(v.text) <= 60 else v.text[:59] + "…" for v in run)
            text = text if len(text) <= 300 else text[:299] + "…"
            art.removed.append((run[0].line, text, run_why + (f", {len(run)} blocks" if len(run) > 1 else "")))
            run.clear()

    for i, v in enumerate(visible):
        if v.kept:
            close()
            continue
        zone = v.zone(wrong) or OUTSIDE
        text = clean_text(v.text)
        verdict = furniture.classify(text) if len(text) <= 400 else None
        outside = i < first or i > last
        if art.title and webmeta.same(text, art.title):
            close()
            art.moved.append((v.line, text, "title"))
            continue
        if outside and zone in _HARVEST and verdict and verdict.fields and not verdict.rest \
                and "title" not in verdict.fields:
            close()
            art.take(v.line, text, verdict.fields)
            continue
        if site and webmeta.same(text, site) and zone in _HARVEST:
            close()
            art.moved.append((v.line, text, "publisher"))
            continue
        # the text rules name a line more exactly than a generic part of the page does
        why = verdict.reason if verdict and verdict.reason and zone in _HARVEST + ("page footer",) else zone
        if run and why != run_why:
            close()
        run.append(v)
        run_why = why
    close()


def _renumber(art: Article, since: tuple[int, int], html_line: dict[int, int]) -> None:
    """The text rules counted the extracted text's lines: the report names the HTML file's."""
    art.moved[since[0]:] = [(html_line.get(n, 0), t, w) for n, t, w in art.moved[since[0]:]]
    art.removed[since[1]:] = [(html_line.get(n, 0), t, w) for n, t, w in art.removed[since[1]:]]
    for b in art.blocks:
        b.line = html_line.get(b.line, 0)


def _from_record(art: Article, record: Record) -> None:
    """A fetched page's record: the date it was retrieved; a feed's author and date for an entry
    whose page says neither."""
    art.retrieved = record.retrieved
    if record.author and not art.byline:
        art.byline = record.author
        art.notes.append(f"author “{record.author}” from the feed {record.feed}")
    if record.published and not art.date:
        art.date = record.published
        art.notes.append(f"date {record.published} from the feed {record.feed}")
