"""Figures quoted from one paragraph, precision first: a figure is kept only when its card
(value, label, quote) is a true statement a reader can check against the quoted words.

Kinds: ``count`` (things; ``of`` names the whole of a part), ``fraction`` and ``percent``
(shares and levels), ``change`` (a signed percentage change), ``points`` (percentage points),
``multiple`` ("2.3 times"), ``money``, ``quantity`` (a physical unit) and ``span`` (time).
Pure functions on text; each paragraph is read in linear time (see ``Bounds``). This module finds
where a figure can start and which pattern matches there; ``kinds`` makes each kind's card.
"""
from __future__ import annotations

import re

from .kinds import CJK_NUM, Found, make
from .labels import Labeler, note
from .numbers import CJK_MEASURE, FRACTION_WORDS, NUM_WORDS, UNITS

MAX_FIGURES = 60      # per paragraph; the ingest report names what is left out
MAX_CANDIDATES = 600  # numbers looked at per paragraph: a real one has far fewer

_WORDNUM = "|".join(sorted((w for w in NUM_WORDS if w not in ("zero", "one")), key=len, reverse=True))
_DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIG}|(?i:{_WORDNUM}))"
_PRE = (r"(?:(?:all|some|about|around|approximately|nearly|almost|over|more than|less than|fewer than|"
        r"at least|up to|a total of|roughly|some)\s+)")
_STOP = r"(?:of|and|or|in|to|for|with|the|a|an|by|on|at|from|as|is|are|was|were|have|has|been|its|their|them|this|that)"
# a noun phrase ending at its first plural ('robotics', 'electrolysis', 'across' are not plurals)
_PLURAL = r"(?<!ss)(?<!ics)(?<!is)(?<!us)(?<=s)\b"
_NOUN = (rf"(?!{_STOP}\b)[A-Za-z][\w’'-]*(?:\s+(?:and\s+)?(?!{_STOP}\b)[A-Za-z][\w’'-]*){{0,4}}?{_PLURAL}"
         rf"(?:\s+(?!{_STOP}\b)[A-Za-z][\w’'-]*{_PLURAL})?")  # 'parts suppliers'; not 'industries saw increases'
_OF = r"\s+of\s+(?P<of>(?:[^,.;:()]|(?<=\d)[,.](?=\d)){3,60}?)(?=[,.;:](?!\d)|[()]|\s+(?:while|with|which|as)\b|$)"
_CUR = r"US\$|HK\$|NT\$|[ARCS]\$|\$|€|£|¥|₹|₩|RMB|KSh|CHF"
_CUR_WORD = r"yuan|renminbi|U\.S\. dollars|US dollars|dollars?|euros?|pounds?|rupees?|yen"
_FRACTION_WORDS = "|".join(sorted(FRACTION_WORDS, key=len, reverse=True))
_UNIT_EN = "|".join(sorted((re.escape(u) for u in UNITS if u.isascii()), key=len, reverse=True))
_UNIT_CJK = "|".join(sorted((u for u in UNITS if not u.isascii()), key=len, reverse=True))
_RANKING = re.compile(r"(?:\btop|\bno\.|\bnumber|\brank(?:ed|s|ing)?|第)\s*$", re.I)

# Where a figure can start; patterns are then tried *anchored* there (linear overall).
_START = re.compile(rf"(?:{_CUR})(?=\s?\d)|(?<![A-Za-z0-9_.,/])\d|\b(?i:{_WORDNUM}|{_FRACTION_WORDS}|one)\b"
                    rf"|百分之|{CJK_NUM}(?=分之|(?:万亿|亿|万)?[{CJK_MEASURE}大成])")

P = re.compile
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("money", P(rf"(?P<cur>(?:{_CUR})\s?)?(?P<num>{_DIG})\s?(?P<scale>trillion|billion|million|thousand|bn|mn)?\b"
                rf"(?:\s?(?P<word>{_CUR_WORD})\b)?(?P<alt>\s?\([^()]{{1,60}}\))?", re.I)),
    ("percent", P(rf"(?P<num>{_DIG})\s?(?P<unit>%|percent\b|per cent\b|percentage points?\b|pct\b)", re.I)),
    ("multiple", P(rf"(?P<num>{_DIG})\s+times\b(?P<as>\s+as\s+(?:many|much|high|large)\b)?", re.I)),
    ("quantity", P(rf"(?P<num>{_DIG})\s?(?P<scale>trillion|billion|million|thousand)?\s?(?P<unit>{_UNIT_EN})\b", re.I)),
    ("out-of", P(rf"(?P<num>{_NUM})\s+out\s+of\s+(?P<mid>(?:the\s+)?(?:[\w’'-]+\s+){{0,3}}?)(?P<whole>{_NUM})\s+"
                 rf"(?P<noun>{_NOUN})(?P<rest>[^,.;:()]{{0,80}})")),
    ("one-in", P(rf"(?P<num>one|{_NUM})\s+in\s+(?P<whole>{_NUM})\b(?!\s*(?:{_STOP}\s+)?\w+\s+(?:years|months))", re.I)),
    ("fraction", P(rf"(?P<num>\d{{1,3}}\s?/\s?\d{{1,4}}\b(?!\s?/\d)|(?i:{_FRACTION_WORDS})\b){_OF}")),
    ("span", P(rf"(?P<num>{_NUM})\s+(?P<unit>years|decades|months|weeks|days)\b(?:{_OF})?", re.I)),
    ("count", P(rf"(?P<num>{_NUM})(?:\s+(?P<scale>trillion|billion|million|thousand))?\s+(?P<noun>{_NOUN})")),
    ("part", P(rf"(?P<num>{_NUM})\s+of\s+(?:them|these|those|which)\b(?P<rest>[^,.;:()]{{0,60}})")),
    ("cjk-percent", P(rf"百分之(?P<num>{CJK_NUM}|{_DIG})")),
    ("cjk-fraction", P(rf"(?P<whole>{CJK_NUM}|\d+)分之(?P<num>{CJK_NUM}|\d+)")),
    ("cjk", P(rf"(?P<num>{_DIG}|{CJK_NUM})\s*(?P<scale>万亿|千万|亿|万)?(?P<unit>亿元|万元|元|美元|欧元|港元|%|％|个百分点|百分点"
              rf"|成|个月|年(?![代级度底初末中])|{_UNIT_CJK}|[{CJK_MEASURE}大])(?P<noun>[\u4e00-\u9fff]{{0,14}}?)"
              r"(?=[，。、；：,;:和及与（(]|中|$)")),
    ("slash-fraction", P(r"(?P<num>\d{1,3}/\d{1,4})(?!\s?/\d)")),
]
_LATIN = PATTERNS[:10]                                       # tried where a Latin figure can start
_CJK_AT_DIGIT = [p for p in PATTERNS if p[0] in ("cjk", "slash-fraction")]  # '12.8万亿元' starts with a digit
_CJK_ONLY = PATTERNS[10:]
_PRE_END = re.compile(rf"{_PRE}$", re.I)
_SPAN_LEAD = re.compile(r"(?:the\s+)?(?:past|last|next|over the past|over the last|for|within|in the past)\s+"
                        r"(?:the\s+)?$", re.I)
_CJK_CHAR = re.compile("[\u3400-\u9fff]")


def figures_in(text: str, source: str, first_id: int = 1, notes: list[str] | None = None,
               item: bool = False) -> list[dict]:
    """Numeric facts in one paragraph (or list ``item``), in order, each with the exact text it
    came from and an id ``f<n>`` counted from ``first_id``; what a cap leaves out goes to ``notes``."""
    found: list[Found] = []
    lab: Labeler | None = None  # made at the first candidate: most paragraphs have no number
    at_digit = _LATIN + _CJK_AT_DIGIT if _CJK_CHAR.search(text) else _LATIN
    end = 0
    for n, start in enumerate(_START.finditer(text)):
        p = start.start()
        if p < end:
            continue  # inside the previous figure
        if n == MAX_CANDIDATES:
            note(notes, source, f"numbers after the first {MAX_CANDIDATES} not read (a paragraph has at most "
                                f"{MAX_CANDIDATES}), from “{text[p:p + 40]}…”")
            break
        lo = max(0, p - 30)  # a rank or a lead ('about', 'over the past') is looked for this far back
        if _RANKING.search(text, lo, p):  # (searched in place: \b sees the letter before 'rank' in 'outranking')
            continue  # "top 10", "No. 1", 第3: a rank, not an amount
        before = text[lo:p]
        for kind, pat in (_CJK_ONLY if _CJK_CHAR.match(text, p) else at_digit):
            m = pat.match(text, p)
            if not m:
                continue
            lead = _PRE_END.search(before) if not kind.startswith("cjk") else None
            if kind == "span":
                lead = _SPAN_LEAD.search(before)
                if not lead:
                    continue
            s = p - (len(lead.group(0)) if lead else 0)
            lab = lab or Labeler(text, item)
            figs = make(kind, m, lab, found, lead.group(0) if lead else "")
            if figs is None:
                continue
            figs = [f for f in figs if f.figure.get("label")]
            if len(found) + len(figs) > MAX_FIGURES:
                note(notes, source, f"figures after the first {len(found)} skipped (a paragraph has at most "
                                    f"{MAX_FIGURES}), from “{text[p:p + 40]}…”")
                return _numbered(found, first_id, lab)
            for f in figs:
                f.figure.setdefault("text", text[s:m.end()].strip())  # no match ends in "," or ";"
                f.figure["source"] = source
                found.append(f)
            end = m.end()
            break
    return _numbered(found, first_id, lab)


def _numbered(found: list[Found], first_id: int, lab: Labeler | None) -> list[dict]:
    if lab is not None:
        lab.respectively(found)
    for i, f in enumerate(found, first_id):
        f.figure["id"] = f"f{i}"
    for f in found:
        if isinstance(f.figure.get("of"), dict):
            f.figure["of"] = f.figure["of"]["id"]
    return [f.figure for f in found]
