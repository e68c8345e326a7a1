"""A source article: plain text cleaned into numbered blocks, with metadata and a report.

Pure: text in, ``Article`` out. Nothing is dropped silently: every removed line is
recorded with its reason, and every kept word ends up in exactly one block.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import SiteError
from ..fs import decode_text
from . import dates, furniture, language
from .blocks import FINAL_PUNCT, Block, build, clean_text, is_cjk, is_sentence, looks_like_heading, words
from .furniture import Verdict

__all__ = ["Article", "Block", "clean_text", "is_cjk", "parse_article", "short_title"]

DATELINE = re.compile(rf"^((?:[A-Z][\w.'’-]*\s?){{1,4}}(?:,\s*(?:[A-Z][\w.'’-]*\s?){{1,3}})?),\s*((?:{dates.WITH_YEAR})|(?:{dates.NO_YEAR}))\s*(\([^)]{{1,40}}\))?\s*(?:--|—|–|-)\s*")
DATELINE_AGENCY = re.compile(r"^((?:[A-Z][A-Z.'’-]+\s?){1,4})\s*(\([^)]{1,40}\))\s*(?:--|—|–|-)\s*")
# 'DONGGUAN, Guangdong -- ': a place in capitals, perhaps its province, and a long dash
DATELINE_PLACE = re.compile(r"^((?:[A-Z]{3,}[A-Z.'’-]*\s?){1,3})(,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?\s*(?:--|—)\s*")



@dataclass
class Article:
    path: str
    title: str
    blocks: list[Block]
    date: dt.date | None = None
    updated: dt.date | None = None
    dateline: str = ""
    byline: str = ""
    origin: str = ""
    source_note: str = ""
    kicker: str = ""
    language: str = ""              # "" when the text's script does not tell: the site's language
    title_from: str = "headline"    # headline | lead sentence | page metadata
    # a web page's (html.py): where the original is, who published it, under what licence
    original_url: str = ""
    publisher: str = ""
    licence: str = ""
    retrieved: dt.date | None = None
    notes: list[str] = field(default_factory=list)   # metadata taken from markup, and disagreements
    captions: list[str] = field(default_factory=list)
    removed: list[tuple[int, str, str]] = field(default_factory=list)   # (line, text, reason)
    moved: list[tuple[int, str, str]] = field(default_factory=list)     # (line, text, "key, key")

    def take(self, n: int, text: str, fields: dict[str, object]) -> None:
        """Metadata from one line: each key filled once (the first line that has it wins);
        the line is recorded with the keys it filled, or as dropped when it filled none."""
        filled = []
        for key, value in fields.items():
            if key == "caption":
                if value not in self.captions:
                    self.captions.append(str(value))
                filled.append(key)
            elif key == "title":
                filled += _set_title(self, str(value))
            elif not getattr(self, key):
                setattr(self, key, value)
                filled.append(key)
        if filled:
            self.moved.append((n, text, ", ".join(filled)))
        else:
            self.removed.append((n, text, "repeats metadata already taken"))


def _read(data: bytes, path: str) -> str:
    try:
        text = decode_text(data, path)
    except SiteError as e:
        raise SiteError(path, None, e.message) from None
    if not text.strip():
        raise SiteError(path, None, "empty file: there is no article text to ingest")
    return text


# --- titles -----------------------------------------------------------------------------------

_PAGE_MARK = re.compile(r"\s*(?:【\d{1,3}】|\[\d{1,3}\])$")


def _set_title(art: Article, text: str) -> list[str]:
    """The headline as the title, a series label beside it as the kicker ('…|制造业九章')."""
    if art.title:
        return []
    text = _PAGE_MARK.sub("", clean_text(text))
    parts = [p for p in re.split(r"\s*[|｜]\s*", text) if p]
    if len(parts) == 2:
        kicker, title = sorted(parts, key=lambda p: (words(p) if not is_cjk(p) else len(p)))
        art.kicker, art.title = kicker, title
        return ["kicker", "title"] if parts[0] == kicker else ["title", "kicker"]
    art.title = text
    return ["title"]


def short_title(text: str) -> str:
    """A short form of a lead sentence: a whole clause, never a cut inside a phrase."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])|(?<=[。！？])", text.strip(), maxsplit=1)[0]
    if is_cjk(sentence):
        s = sentence.rstrip("。！？")
        if len(s) > 40:  # the longest run of whole clauses that fits, not inside a quotation
            cuts = [m.start() for m in re.finditer(r"[，；：]", s) if 8 <= m.start() <= 40]
            s = next((s[:c] for c in reversed(cuts) if _balanced(s[:c]) == s[:c]), s)
        return _balanced(s)
    s = re.sub(r",\s+(?:a|an|the)\s+[^,]{3,60},\s+", " ", sentence, count=1)  # drop an appositive
    s = s.rstrip(".!?")
    words = s.split()
    if len(words) <= 14:
        return _balanced(s)
    cut = re.search(r"\s(?:by|with|through|while|which|as|after|amid|because|and)\s|,\s", " ".join(words[5:]))
    return _balanced(" ".join(words[:5]) + (" " + " ".join(words[5:])[:cut.start()] if cut else " " + " ".join(words[5:])))


def _balanced(s: str) -> str:
    """No dangling opening quote or bracket: cut before it (or keep what closes it)."""
    for a, b in ("“”", "「」", "『』", "《》", "（）", "()"):
        if s.count(a) > s.count(b):
            i = s.rindex(a)
            s = s[1:] if i == 0 else s[:i].rstrip(" ，,：:")
    return s


def _title(art: Article, blocks: list[Block]) -> None:
    if art.title:
        return
    art.title_from = "lead sentence"
    texts = [b.text for b in blocks if b.kind in ("paragraph", "quote") and b.text.rstrip()[-1:] not in ":："]
    art.title = short_title(texts[0] if texts else blocks[0].text if blocks else "")


# --- furniture: header, footer, and lines anywhere ---------------------------------------------

def _headline_like(line: str) -> bool:
    """A heading, or a longer line above the text that does not end like a sentence."""
    s = _PAGE_MARK.sub("", line.strip())
    long_head = 0 < words(s) <= (50 if is_cjk(s) else 25) and s[-1] not in FINAL_PUNCT.replace("”", "").replace(")", "") \
        and looks_like_heading(" ".join(s.split()[:8]) if not is_cjk(s) else s[:20])
    return looks_like_heading(s) or long_head or (bool(re.search(r"[|｜]", s)) and all(
        looks_like_heading(p) for p in re.split(r"\s*[|｜]\s*", s) if p))


def _furniture(lines: list[tuple[int, str]], art: Article, find_headline: bool,
               plain: set[int]) -> list[tuple[int, str]]:
    """Take metadata out of the lines and drop page furniture (each with its record); the rest,
    with blank lines and indentation kept, is the article's text. ``find_headline``: look for the
    headline among the lines above the text (not when the page's markup has given it); ``plain``:
    lines that are never furniture (a table's rows)."""
    verdicts: dict[int, Verdict | None] = {n: None if n in plain else furniture.classify(clean_text(t))
                                           for n, t in lines if t.strip()}
    text_at = [i for i, (n, t) in enumerate(lines) if t.strip() and (verdicts[n] is None or verdicts[n].rest)]
    body_lines = [i for i in text_at if is_sentence(verdicts[lines[i][0]].rest if verdicts[lines[i][0]] else lines[i][1])]
    first = body_lines[0] if body_lines else len(lines)
    last = body_lines[-1] if body_lines else len(lines)
    undecided = [i for i in text_at if verdicts[lines[i][0]] is None]
    head = [i for i in undecided if i < first]
    anchor = next((i for i, (n, t) in enumerate(lines[:first]) if t.strip() and verdicts[n] and verdicts[n].stamp), None)
    candidates = [i for i in head if _headline_like(lines[i][1]) and lines[i][1].strip()[-1] not in ":："]
    before = [i for i in candidates if anchor is not None and i < anchor]
    headline = before[-1] if before else next(iter(candidates), None)
    decided: dict[int, Verdict] = {}
    if find_headline and headline is not None and not any(v and "title" in v.fields for v in verdicts.values()):
        decided[headline] = Verdict(fields={"title": lines[headline][1]})
        for i in head:
            if i < headline:
                decided[i] = Verdict(reason="site navigation")
    related = False
    for i in undecided:
        line = clean_text(lines[i][1])
        if (i < first or i > last) and furniture.names_line(line):
            decided[i] = Verdict(fields={"byline": line})
        elif i > last and (related or furniture.RELATED_HEAD.match(line)):
            related = True
            decided[i] = Verdict(reason="related links")
    kept: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for i, (n, t) in enumerate(lines):
        v = decided.get(i) or verdicts.get(n)
        if v is None:
            kept.append((n, t))
            continue
        text = clean_text(t)
        if v.rest:
            text = text[:len(text) - len(clean_text(v.rest))].strip()
            kept.append((n, v.rest))
        if pending and ("date" in v.fields or v.yearless):
            art.moved.append((pending[0], pending[1], "date" if "date" in v.fields else "date without a year"))
            pending = None
        if v.pending:
            pending = (n, text)
        elif v.reason:
            art.removed.append((n, text, v.reason))
        elif v.fields:
            art.take(n, text, v.fields)
        elif v.yearless:
            art.removed.append((n, text, "date without a year"))
    if pending:
        art.removed.append((pending[0], pending[1], "label without a date"))
    return kept


def _dateline(art: Article, blocks: list[Block]) -> None:
    """An agency dateline at the start of one of the first paragraphs ('GUANGZHOU, April 5 (Xinhua) --')."""
    if art.dateline:
        return
    for b in [b for b in blocks if b.kind in ("paragraph", "quote")][:4]:
        m = DATELINE.match(b.text) or DATELINE_AGENCY.match(b.text) or DATELINE_PLACE.match(b.text)
        if not m or m.end() >= len(b.text):
            continue
        fields: dict[str, object] = {"dateline": m.group(0).strip().rstrip("-—– ").strip()}
        day = dates.read(m.group(2)) if m.re is DATELINE else None
        if day:
            fields["date"] = day
        art.take(b.line, m.group(0).strip(), fields)
        b.text = b.text[m.end():].strip()
        return


def _end_marks(art: Article, blocks: list[Block]) -> None:
    """'(完)', 'Enditem' glued to the end of a paragraph."""
    for b in blocks:
        m = furniture.END_MARK.search(b.text) if b.kind in ("paragraph", "quote") else None
        if m and m.start() > 0:
            art.removed.append((b.line, m.group(0).strip(), "end mark"))
            b.text = b.text[:m.start()].rstrip()


def parse_article(data: bytes, path: str) -> Article:
    text = _read(data, path)
    art = Article(path=path, title="", blocks=[])
    finish(art, list(enumerate(text.split("\n"), 1)))
    # plain text declares nothing: its script tells CJK; any other text takes the site's language
    # (py3langid is for web pages only: loading its model doubled the time and quadrupled the
    # memory of ingesting a plain-text seed, 1.5 s → 2.9 s and 35 → 145 MB on 350 KB)
    art.language = language.by_script("".join(b.text for b in art.blocks)[:3000])
    return art


def finish(art: Article, lines: list[tuple[int, str]], kinds: dict[int, str] | None = None,
           find_headline: bool = True, plain: set[int] | None = None) -> None:
    """The text rules on an article's lines: metadata and furniture out, blocks numbered, a title.
    ``kinds``: the lines whose kind the page's markup gives (heading, quote)."""
    kept = _furniture(lines, art, find_headline, plain or set())
    blocks = build(kept, kinds or {})
    _dateline(art, blocks)
    _end_marks(art, blocks)
    blocks = [b for b in blocks if b.text]
    if not blocks:
        if not art.title:
            raise SiteError(art.path, None, "no article text left after removing boilerplate "
                                            f"({len(art.removed)} lines removed); nothing written")
        blocks = [Block(1, "paragraph", art.title, 1)]  # only a headline: it is the text as well
    _title(art, blocks)
    for i, b in enumerate(blocks, 1):
        b.n = i
    art.blocks = blocks
