"""The blocks of an article's text: paragraphs, headings, lists and quotations.

Pure: body lines in (line number, text as written), numbered ``Block``s out. Every kept
word ends up in exactly one block.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

BULLET = re.compile(r"^\s*(?:--|[-*•·–—▪◦●]|\d{1,3}[.)]|\(\d{1,3}\)|[①-⑳])\s+")
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


def clean_text(text: str) -> str:
    """One line of text: control characters out, runs of white space folded."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    return " ".join(text.split())


_CJK = re.compile("[\u3000-\u9fff\uf900-\ufaff]")


def is_cjk(text: str) -> bool:
    return bool(text) and max(text) >= "\u3000" and _CJK.search(text) is not None


def words(text: str) -> int:
    return len(text) // 2 if is_cjk(text) else len(text.split())


QUOTES = "“”\"'‘’「」『』"
_QUESTION = re.compile(r"^(?:what|which|why|how|who|where|when|is|are|can|could|will|should|does|do|did)\b", re.I)


def looks_like_heading(line: str) -> bool:
    """A short line of words without final punctuation (a question and a quoted phrase count)."""
    s = line.strip()
    cjk = is_cjk(s)
    if not (0 < words(s) <= (20 if cjk else 12)) or BULLET.match(s):
        return False
    core = s.strip(QUOTES)
    if not core or not core[0].isalnum():
        return False
    if s[-1] in "?？":  # "Which Provinces Are Growing the Fastest?"
        return cjk or bool(_QUESTION.match(core)) or sum(w[:1].isupper() for w in core.split()) * 2 > len(core.split())
    if core[-1] in FINAL_PUNCT or not (core[-1].isalnum() or core[-1] in "%)）"):
        return False
    letters = sum(ch.isalnum() or ch.isspace() or ch in QUOTES + ":：-%" for ch in s)
    return letters >= 0.85 * len(s)


def is_sentence(line: str) -> bool:
    """A line of running text: ends like a sentence and is not short."""
    s = line.strip().rstrip(QUOTES + ")）")
    return bool(s) and s[-1] in ".!?。！？…;；" and words(line) >= (6 if is_cjk(line) else 5)




Line = tuple[int, str]   # (line number, text as written: leading white space kept)


def groups(lines: list[Line]) -> list[list[Line]]:
    """Blank-line separated groups; one line a group when the text has no blank lines."""
    text_lines = [(n, t) for n, t in lines if t.strip()]
    has_blank = any(not t.strip() for n, t in lines[1:-1]) if len(lines) > 2 else False
    if not has_blank:
        out: list[list[Line]] = []
        for x in text_lines:  # consecutive bullet lines (and their wrapped lines) stay one list
            if out and (_bullet(x[1]) or _continues(x[1], out[-1][-1][1])) and _bullet(out[-1][0][1]):
                out[-1].append(x)
            else:
                out.append([x])
        return out
    found: list[list[Line]] = [[]]
    for n, t in lines:
        if t.strip():
            found[-1].append((n, t))
        elif found[-1]:
            found.append([])
    return [g for g in found if g]


def _continues(line: str, item: str) -> bool:
    """A wrapped line of a list item: indented with spaces, or going on in lower case."""
    s = line.strip()
    if not s or _bullet(line):
        return False
    return line[:1] in (" ", "\t") or (s[0].islower() and item.rstrip()[-1:] not in ".!?。！？")


_NUMBER = re.compile(r"^\d{1,2}$")


def _bullet(line: str) -> bool:
    return bool(BULLET.match(line.strip()))


def build(lines: list[Line], kinds: dict[int, str] | None = None) -> list[Block]:
    """``kinds``: line number -> heading or quote, where the page's markup says so (HTML seeds)."""
    blocks: list[Block] = []
    kinds = kinds or {}

    def add(kind: str, text: str, line: int, **kw: object) -> None:
        blocks.append(Block(len(blocks) + 1, kind, text, line, **kw))  # type: ignore[arg-type]

    for group in groups(lines):
        para: list[Line] = []
        items: list[Line] = []

        def flush_para() -> None:
            if para:
                text = clean_text(" ".join(t for _, t in para))
                add("quote" if _is_quotation(text) else "paragraph", text, para[0][0])
                para.clear()

        def flush_items() -> None:
            if items:
                ordered = bool(re.match(r"\s*\(?\d", items[0][1]))
                texts = [clean_text(BULLET.sub("", t.strip(), count=1)) for _, t in items]
                add("list", "\n".join(texts), items[0][0], items=texts, ordered=ordered)
                items.clear()

        skip = False
        for i, (n, t) in enumerate(group):
            if skip:
                skip = False
                continue
            rest = group[i + 1:]
            if kinds.get(n) in ("heading", "quote"):
                flush_items()
                flush_para()
                add(kinds[n], clean_text(t), n)
            elif _bullet(t):
                flush_para()
                items.append((n, t))
            elif items and _continues(t, items[-1][1]):
                items[-1] = (items[-1][0], items[-1][1].rstrip() + " " + t.strip())
            elif not para and rest and _NUMBER.match(t.strip()) and looks_like_heading(rest[0][1]):
                flush_items()  # "1" on its own line, then the heading it numbers
                add("heading", clean_text(f"{t.strip()} {rest[0][1]}"), n)
                skip = True
            else:
                flush_items()
                if not para and rest and looks_like_heading(t):
                    add("heading", clean_text(t), n)
                else:
                    para.append((n, t))
        flush_items()
        flush_para()
    _lone_headings(blocks, set(kinds))
    return [b for b in blocks if b.text]


def _lone_headings(blocks: list[Block], fixed: set[int]) -> None:
    """A lone short line before another block is a heading too ("Background", "“板凳要坐十年冷”"),
    and a bare section number joins the heading after it."""
    for i, b in enumerate(blocks[:-1]):
        nxt = blocks[i + 1]
        if b.kind == "paragraph" and _NUMBER.match(b.text) and (nxt.kind == "heading" or looks_like_heading(nxt.text)):
            nxt.kind, nxt.text, nxt.line, b.text = "heading", f"{b.text} {nxt.text}", b.line, ""
        elif b.kind in ("paragraph", "quote") and b.line not in fixed and looks_like_heading(b.text) \
                and nxt.kind != "heading" and i > 0:
            b.kind = "heading"


def _is_quotation(text: str) -> bool:
    return len(text) > 2 and text[0] in "\"“「『" and text[-1] in "\"”」』" and text.count(text[0]) <= 2
