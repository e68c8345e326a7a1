"""A source article: plain text cleaned into numbered blocks, with metadata and a report.

Pure: text in, ``Article`` out. Nothing is dropped silently: every removed line is
recorded with its reason, and every kept word ends up in exactly one block.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .errors import SiteError
from .frontmatter import decode_text

MONTHS = ("january february march april may june july august september october november december"
          ).split()
_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_WORDS = rf"{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MON}(?:\s+\d{{4}})?"
_ISO = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_CJK_DATE = r"\d{4}年\d{1,2}月\d{1,2}日"

BARE_DATE = re.compile(rf"^\s*({_ISO}|{_CJK_DATE}|{_DATE_WORDS},?\s+\d{{4}})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?=\s|$|[|｜])\s*[|｜]?\s*")
DATE_HEADER = re.compile(rf"^\s*(?:date|published|posted|updated|发布时间|日期)\s*[:：]?\s*({_ISO}|{_DATE_WORDS}|{_CJK_DATE})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*", re.I)
DATELINE = re.compile(rf"^((?:[A-Z][\w.'’-]*\s?){{1,4}}(?:,\s*(?:[A-Z][\w.'’-]*\s?){{1,3}})?),\s*({_DATE_WORDS})\s*(\([^)]{{1,40}}\))?\s*(?:--|—|–|-)\s*")
DATELINE_AGENCY = re.compile(r"^((?:[A-Z][A-Z.'’-]+\s?){1,4})\s*(\([^)]{1,40}\))\s*(?:--|—|–|-)\s*")
SOURCE_LINE = re.compile(r"^\s*(?:source|来源)\s*[:：]\s*(.+)$", re.I)
BYLINE = re.compile(r"^\s*(?:by|written by|author|reporter|作者|记者)\s*[:：]?\s+(.{2,80})$", re.I)
BOILERPLATE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s*(share\s*(this|on|via)?|分享到?)\s*[:：]?.*$", re.I), "share footer"),
    (re.compile(r"^\s*(facebook|x|twitter|linkedin|whatsapp|email|e-mail|print|wechat|weibo|reddit|telegram|pinterest|copy link|微信|微博)\s*$", re.I), "social link"),
    (re.compile(r"^\s*(position|location|you are here|当前位置|您的位置)\s*[:：].*$", re.I), "breadcrumb"),
    (re.compile(r"^\s*[\w'’ &-]{1,30}(\s+(?:>|›|»|/|\|)\s+[\w'’ &-]{1,30}){2,}\s*$"), "breadcrumb"),
    (re.compile(r"^\s*(editor|editors|edited by|责任编辑|编辑)\s*[:：].*$", re.I), "editor credit"),
    (re.compile(r"^\s*(related|related articles|related stories|read more|see also|tags|keywords|相关阅读|相关新闻|标签)\s*[:：]?.*$", re.I), "related/tags line"),
    (re.compile(r"^\s*(copyright|©|\(c\)|all rights reserved|版权所有).*$", re.I), "copyright notice"),
    (re.compile(r"^\s*(advertisement|subscribe|sign up|click here|download our app)\b.*$", re.I), "advertising"),
]
CAPTION = re.compile(r"(^\s*(photo|file photo|photo taken|picture|image|caption|图为|图片)\b.*|.*[\[(](photo|图)[^\])]*[\])]\s*$|.*\((xinhua|afp|reuters|ap|getty images|vcg)[^)]*\)\s*$)", re.I)
BULLET = re.compile(r"^\s*(?:[-*•·–—▪◦●]|\d{1,3}[.)]|\(\d{1,3}\)|[①-⑳])\s+")
FINAL_PUNCT = ".!?。！？…:：;；,，\"”’)）»"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


@dataclass
class Block:
    n: int                      # paragraph number: the id is f"p{n}"
    kind: str                   # paragraph | heading | list | quote
    text: str                   # whitespace-normalised text (a list: its items joined by newlines)
    line: int                   # line in the source file where it starts
    items: list[str] = field(default_factory=list)
    ordered: bool = False

    @property
    def id(self) -> str:
        return f"p{self.n}"


@dataclass
class Article:
    path: str
    title: str
    blocks: list[Block]
    date: dt.date | None = None
    dateline: str = ""
    byline: str = ""
    origin: str = ""
    title_from: str = "headline"   # headline | lead sentence
    captions: list[str] = field(default_factory=list)
    removed: list[tuple[int, str, str]] = field(default_factory=list)   # (line, text, reason)
    moved: list[tuple[int, str, str]] = field(default_factory=list)     # (line, text, into)


def parse_date(text: str) -> dt.date | None:
    text = text.strip().rstrip(",")
    m = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", text) or \
            re.match(r"(\d{1,2})\s+([A-Za-z]+)\.?(?:\s+(\d{4}))?", text)
        if not m:
            return None
        a, b, year = m.groups()
        month_name, day = (a, b) if a.isalpha() else (b, a)
        month = next((i for i, name in enumerate(MONTHS, 1) if name.startswith(month_name.lower()[:3])), 0)
        if not year or not month:
            return None
        y, mo, d = int(year), month, int(day)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def clean_text(text: str) -> str:
    """One line of text: control characters out, runs of white space folded."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return " ".join(text.split())


def is_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _words(text: str) -> int:
    return len(text) // 2 if is_cjk(text) else len(text.split())


def looks_like_heading(line: str) -> bool:
    """A short line without final punctuation, made of words (not markup or symbols)."""
    s = line.strip()
    if not (0 < _words(s) <= (20 if is_cjk(s) else 12)) or s[-1] in FINAL_PUNCT or BULLET.match(s):
        return False
    letters = sum(ch.isalnum() or ch.isspace() for ch in s)
    return s[0].isalnum() and (s[-1].isalnum() or s[-1] in "'’\"”)") and letters >= 0.85 * len(s)


def _read(data: bytes, path: str) -> str:
    try:
        text = decode_text(data, path)
    except SiteError as e:
        raise SiteError(path, None, e.message) from None
    if not text.strip():
        raise SiteError(path, None, "empty file: there is no article text to ingest")
    return text


def _strip_meta(lines: list[tuple[int, str]], art: Article) -> list[tuple[int, str]]:
    """Move date, source and byline lines into metadata; drop boilerplate, keep captions."""
    kept: list[tuple[int, str]] = []
    for n, raw in lines:
        line = raw.strip()
        if not line:
            kept.append((n, ""))
            continue
        m = DATE_HEADER.match(line)
        if m and art.date is None:
            art.date = parse_date(m.group(1))
            art.moved.append((n, m.group(0).strip(), "date"))
            line = line[m.end():].strip()
            if not line:
                continue
        m = BARE_DATE.match(line)
        rest = line[m.end():] if m else ""
        if m and (not rest or SOURCE_LINE.match(rest) or BYLINE.match(rest)):
            art.date = art.date or parse_date(m.group(1))
            art.moved.append((n, m.group(0).strip(), "date"))
            line = rest.strip()
            if not line:
                continue
        m = SOURCE_LINE.match(line)
        if m:
            fields = [f.strip() for f in re.split(r"\s*[|｜]\s*", m.group(1)) if f.strip()]
            for f in fields:
                day = parse_date(f) if re.search(r"\d", f) else None
                if day and art.date is None:
                    art.date = day
                elif re.match(r"(?i)^(by\s+|author[:：]?\s*)", f):
                    art.byline = art.byline or re.sub(r"(?i)^(by\s+|author[:：]?\s*)", "", f)
                elif not art.origin:
                    art.origin = f
                elif not art.byline and not day:
                    art.byline = f
            art.moved.append((n, line, "source"))
            continue
        m = BYLINE.match(line)
        if m and _words(line) <= 12 and line[-1] not in ".!?。":
            art.byline = art.byline or m.group(1).strip()
            art.moved.append((n, line, "byline"))
            continue
        reason = next((why for pat, why in BOILERPLATE if pat.match(line)), None)
        if reason:
            art.removed.append((n, line, reason))
            continue
        if CAPTION.match(line) and _words(line) <= 60:
            art.captions.append(clean_text(line))
            art.moved.append((n, line, "photo caption"))
            continue
        kept.append((n, line))
    return kept


def _groups(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Blank-line separated groups; one line a group when the text has no blank lines."""
    text_lines = [(n, t) for n, t in lines if t]
    has_blank = any(not t for n, t in lines[1:-1]) if len(lines) > 2 else False
    if not has_blank:
        groups_: list[list[tuple[int, str]]] = []
        for x in text_lines:  # consecutive bullet lines stay one list
            if groups_ and BULLET.match(x[1]) and BULLET.match(groups_[-1][-1][1]):
                groups_[-1].append(x)
            else:
                groups_.append([x])
        return groups_
    groups: list[list[tuple[int, str]]] = [[]]
    for n, t in lines:
        if t:
            groups[-1].append((n, t))
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def _blocks(groups: list[list[tuple[int, str]]]) -> list[Block]:
    blocks: list[Block] = []

    def add(kind: str, text: str, line: int, **kw: object) -> None:
        blocks.append(Block(len(blocks) + 1, kind, text, line, **kw))  # type: ignore[arg-type]

    for group in groups:
        para: list[tuple[int, str]] = []
        items: list[tuple[int, str]] = []

        def flush_para() -> None:
            if para:
                text = clean_text(" ".join(t for _, t in para))
                kind = "quote" if _is_quotation(text) else "paragraph"
                add(kind, text, para[0][0])
                para.clear()

        def flush_items() -> None:
            if items:
                ordered = bool(re.match(r"\s*\(?\d", items[0][1]))
                texts = [clean_text(BULLET.sub("", t, count=1)) for _, t in items]
                add("list", "\n".join(texts), items[0][0], items=texts, ordered=ordered)
                items.clear()

        for i, (n, t) in enumerate(group):
            if BULLET.match(t):
                flush_para()
                items.append((n, t))
            elif items and t.startswith((" ", "\t")):
                items[-1] = (items[-1][0], items[-1][1] + " " + t.strip())
            else:
                flush_items()
                rest = group[i + 1:]
                if not para and rest and looks_like_heading(t):
                    add("heading", clean_text(t), n)
                else:
                    para.append((n, t))
        flush_items()
        flush_para()
    # a lone short line before another block is a heading too ("Background")
    for i, b in enumerate(blocks[:-1]):
        if b.kind == "paragraph" and looks_like_heading(b.text) and blocks[i + 1].kind != "heading" and i > 0:
            b.kind = "heading"
    return [b for b in blocks if b.text]


def _is_quotation(text: str) -> bool:
    return len(text) > 2 and text[0] in "\"“「『" and text[-1] in "\"”」』" and text.count(text[0]) <= 2


def _dateline(art: Article, blocks: list[Block]) -> None:
    first = next((b for b in blocks if b.kind in ("paragraph", "quote")), None)
    if first is None:
        return
    m = DATELINE.match(first.text) or DATELINE_AGENCY.match(first.text)
    if not m or m.end() >= len(first.text):
        return
    art.dateline = m.group(0).strip().rstrip("-—– ").strip()
    art.moved.append((first.line, art.dateline, "dateline"))
    if art.date is None and len(m.groups()) >= 2 and m.group(2) and not m.group(2).startswith("("):
        art.date = parse_date(m.group(2))
    first.text = first.text[m.end():].strip()


def _headline(art: Article, blocks: list[Block]) -> None:
    """A first short line without final punctuation is the headline."""
    if len(blocks) > 1 and blocks[0].kind in ("heading", "paragraph") and looks_like_heading(blocks[0].text):
        head = blocks.pop(0)
        art.title = head.text
        art.moved.append((head.line, head.text, "headline (the title)"))


def _title(art: Article, blocks: list[Block]) -> None:
    if art.title:
        return
    art.title_from = "lead sentence"
    lead = next((b.text for b in blocks if b.kind in ("paragraph", "quote")), blocks[0].text if blocks else "")
    art.title = short_title(lead)


def short_title(text: str) -> str:
    """A short form of a lead sentence: its main clause, cut at a natural boundary."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])|(?<=[。！？])", text.strip(), maxsplit=1)[0]
    if is_cjk(sentence):
        s = sentence.rstrip("。！？")
        return s if len(s) <= 30 else s[:30] + "…"
    s = re.sub(r",\s+(?:a|an|the)\s+[^,]{3,60},\s+", " ", sentence, count=1)  # drop an appositive
    s = s.rstrip(".!?")
    words = s.split()
    if len(words) <= 14:
        return s
    cut = re.search(r"\s(?:by|with|through|while|which|as|after|amid|because|and)\s|,\s", " ".join(words[5:]))
    head = " ".join(words[:5]) + (" " + " ".join(words[5:])[:cut.start()] if cut else "")
    head_words = head.split()
    return " ".join(head_words[:14]) + ("…" if len(head_words) > 14 else "")


def parse_article(data: bytes, path: str) -> Article:
    text = _read(data, path)
    lines = list(enumerate(text.split("\n"), 1))
    art = Article(path=path, title="", blocks=[])
    kept = _strip_meta(lines, art)
    blocks = _blocks(_groups(kept))
    _headline(art, blocks)
    _dateline(art, blocks)
    if not blocks:
        raise SiteError(path, None, "no article text left after removing boilerplate "
                                    f"({len(art.removed)} lines removed); nothing written")
    _title(art, blocks)
    if not blocks:  # only a headline: it is the text as well
        blocks = [Block(1, "paragraph", art.title, 1)]
    for i, b in enumerate(blocks, 1):
        b.n = i
    art.blocks = blocks
    return art
