"""Figures quoted from one paragraph, precision first: a figure is kept only when its card
(value, label, quote) is a true statement a reader can check against the quoted words.

Kinds: ``count`` (things; ``of`` names the whole of a part), ``fraction`` and ``percent``
(shares and levels), ``change`` (a signed percentage change), ``points`` (percentage points),
``multiple`` ("2.3 times"), ``money``, ``quantity`` (a physical unit) and ``span`` (time).
Pure functions on text; each paragraph is read in linear time (see ``Bounds``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile

from . import numbers as N
from .labels import Labeler, note
from .numbers import CJK_MEASURE, CURRENCIES, FRACTION_WORDS, NUM_WORDS, UNITS

MAX_FIGURES = 60      # per paragraph; the ingest report names what is left out
MAX_CANDIDATES = 600  # numbers looked at per paragraph: a real one has far fewer

_WORDNUM = "|".join(sorted((w for w in NUM_WORDS if w not in ("zero", "one")), key=len, reverse=True))
_DIG = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIG}|(?i:{_WORDNUM}))"
_CJK_NUM = "[〇一二两三四五六七八九十百千]+"
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
_TIME_NOUNS = {"years", "months", "weeks", "days", "hours", "minutes", "decades", "quarters", "times",
               "seconds", "centuries", "percent", "points"}
_GENERIC = {"units", "pieces", "items", "sets", "copies", "cases", "ones"}  # label: the clause
_RANKING = re.compile(r"(?:\btop|\bno\.|\bnumber|\brank(?:ed|s|ing)?|第)\s*$", re.I)
_SUPERLATIVE = re.compile(r"\b(?:largest|biggest|smallest|top|first|last|best|leading|highest|lowest|fastest)\b", re.I)

# Where a figure can start; patterns are then tried *anchored* there (linear overall).
_START = re.compile(rf"(?:{_CUR})(?=\s?\d)|(?<![A-Za-z0-9_.,/])\d|\b(?i:{_WORDNUM}|{_FRACTION_WORDS}|one)\b"
                    rf"|百分之|{_CJK_NUM}(?=分之|(?:万亿|亿|万)?[{CJK_MEASURE}大成])")

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
    ("cjk-percent", P(rf"百分之(?P<num>{_CJK_NUM}|{_DIG})")),
    ("cjk-fraction", P(rf"(?P<whole>{_CJK_NUM}|\d+)分之(?P<num>{_CJK_NUM}|\d+)")),
    ("cjk", P(rf"(?P<num>{_DIG}|{_CJK_NUM})\s*(?P<scale>万亿|千万|亿|万)?(?P<unit>亿元|万元|元|美元|欧元|港元|%|％|个百分点|百分点"
              rf"|成|个月|年(?![代级度底初末中])|{_UNIT_CJK}|[{CJK_MEASURE}大])(?P<noun>[\u4e00-\u9fff]{{0,14}}?)"
              r"(?=[，。、；：,;:和及与（(]|中|$)")),
    ("slash-fraction", P(r"(?P<num>\d{1,3}/\d{1,4})(?!\s?/\d)")),
]
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_LATIN = PATTERNS[:10]                                       # tried where a Latin figure can start
_CJK_AT_DIGIT = [p for p in PATTERNS if p[0] in ("cjk", "slash-fraction")]  # '12.8万亿元' starts with a digit
_CJK_ONLY = PATTERNS[10:]
_PRE_END = re.compile(rf"{_PRE}$", re.I)
_SPAN_LEAD = re.compile(r"(?:the\s+)?(?:past|last|next|over the past|over the last|for|within|in the past)\s+"
                        r"(?:the\s+)?$", re.I)
_CJK_CHAR = re.compile("[\u3400-\u9fff]")


@dataclass
class Found:
    start: int
    end: int
    figure: dict


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
        if _RANKING.search(text[max(0, p - 8):p]):
            end = p + 1
            continue  # "top 10", "No. 1", 第3: a rank, not an amount
        before = text[max(0, p - 30):p]
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
                f.figure.setdefault("text", text[s:m.end()].strip().rstrip(",;"))
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


def _fig(start: int, end: int, **kw: object) -> Found:
    return Found(start, end, dict(kw))


def _signed(value: float, sign: int, display: str) -> tuple[float, str]:
    """A change keeps its direction: 'fell 3%' and 'declined by -2.7%' are decreases."""
    if sign < 0 or (sign == 0 and value < 0):
        return -abs(value), "−" + display.lstrip("-−")
    return (abs(value), "+" + display) if sign > 0 else (value, display)


def _percent(m: re.Match[str], lab: Labeler, num: float, unit: str, cjk: bool) -> Found | None:
    """A percentage: a share or level (``percent``), a change (``change``) or ``points``."""
    text = lab.text
    minus = m.start() > 0 and text[m.start() - 1] in "-−" and not text[max(0, m.start() - 2):m.start() - 1].isalnum()
    start = m.start() - 1 if minus else m.start()
    label = lab.clause(start, m.end())
    if not label:
        return None  # no label a reader can check: no figure (and no more work on it)
    value = -num if minus else num
    sign, share = lab.direction(start, m.end())
    points = "百分点" in unit or "point" in unit.lower()
    written = m.group("num")
    shown = written.lstrip("-−") if re.match(r"[\d.,]+$", written) else N.fmt(abs(value))
    if points:
        kind, display = "points", shown + ("个百分点" if cjk else " percentage points")
        value, display = _signed(value, sign, display)
    elif sign and not share:
        kind, display = "change", shown + "%"
        value, display = _signed(value, sign, display)
    else:
        kind, display = "percent", (f"{'−' if value < 0 else ''}{shown}%")
    return _fig(start, m.end(), kind=kind, value=value, unit="percentage points" if points else "%",
                display=lab.qualifier(start, m.end()) + display, label=label,
                text=text[start:m.end()])


def make(kind: str, m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    text, s, e = lab.text, m.start(), m.end()
    if kind == "money":
        cur = (g.get("cur") or "").strip().lower()
        word = " ".join((g.get("word") or "").lower().split())
        if not (cur or word) or _YEAR.match(num) or not lab.clause(s, e):
            return None
        scale = (g.get("scale") or "").lower()
        display = f"{g.get('cur') or ''}{num}{(' ' + scale) if scale else ''}{(' ' + word) if word else ''}".strip()
        return [_fig(s, e, kind="money", value=N.with_scale(N.number(num), scale),
                     unit=CURRENCIES.get(cur or word, cur or word), display=lab.qualifier(s, e) + display,
                     label=lab.clause(s, e))]
    if kind == "percent":
        f = _percent(m, lab, N.number(num), g["unit"], False)
        return [f] if f else None
    if kind == "multiple":
        sign, _ = lab.direction(s, e)
        if sign < 0:
            return None  # "fell 3 times" does not say by how much
        return [_fig(s, e, kind="multiple", value=N.number(num), unit="times",
                     display=lab.qualifier(s, e) + f"{N.fmt(N.number(num))} times", label=lab.clause(s, e))]
    if kind == "quantity":
        unit = UNITS[" ".join(g["unit"].lower().split())]
        scale = (g.get("scale") or "").lower()
        value = N.with_scale(N.number(num), scale)
        return [_fig(s, e, kind="quantity", value=value, unit=unit,
                     display=lab.qualifier(s, e) + f"{num}{' ' + scale if scale else ''} {unit}",
                     label=lab.clause(s, e))]
    if kind == "out-of":
        part, whole = N.number(num), N.number(g["whole"])
        if not 0 < part <= whole:
            return None
        noun = " ".join(g["noun"].split())
        if noun.split()[-1].lower() in _TIME_NOUNS:
            return None
        ws = m.start("whole")
        whole_fig = _fig(ws, m.end("noun"), kind="count", value=whole, unit=noun.split()[-1], display=N.fmt(whole),
                         label=noun, text=text[ws:m.end("noun")])
        rest = " ".join(g["rest"].split())
        part_fig = _fig(s, e, kind="count", value=part, unit=noun.split()[-1], display=N.fmt(part),
                        label=f"{noun} {rest}".strip(), of=whole_fig.figure)
        return [part_fig, whole_fig]
    if kind == "one-in":
        a, b = N.number(num), N.number(g["whole"])
        if not 0 < a < b <= 1000:
            return None
        return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                     display=lab.qualifier(s, e) + f"{N.fmt(a)}/{N.fmt(b)}", label=lab.clause(s, e))]
    if kind == "fraction":
        key = num.lower().replace(" ", "") if "/" in num else num.lower()
        a, b = (map(int, key.split("/")) if "/" in key else FRACTION_WORDS[num.lower()])
        if b == 0 or a >= b:
            return None
        return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                     display=f"{lab.qualifier(s, e) or ('≈ ' if lead else '')}{a}/{b}", label=g["of"].strip())]
    if kind == "span":
        value = N.number(num)
        unit = g["unit"].lower()
        label = g["of"].strip() if g.get("of") else lab.clause(s, e)
        return [_fig(s, e, kind="span", value=value, unit=unit, display=f"{N.fmt(value)} {unit}", label=label)]
    if kind == "part":
        near = takewhile(lambda f: s - f.end < 80, reversed(before))  # never the whole paragraph
        whole = next((f.figure for f in near if f.figure["kind"] == "count" and f.end <= s), None)
        if whole is None:
            return None
        rest = " ".join((g.get("rest") or "").split())
        return [_fig(s, e, kind="count", value=N.number(num), unit=whole["unit"], display=N.fmt(N.number(num)),
                     label=f"{whole['label']} {rest}".strip(), of=whole)]
    if kind == "count":
        noun = " ".join(g["noun"].split())
        if (_YEAR.match(num) and not lead) or noun.split()[-1].lower() in _TIME_NOUNS or _SUPERLATIVE.search(noun):
            return None
        if num.lower() == "one":
            return None  # "one of the provinces": not an amount
        scale = (g.get("scale") or "").lower()
        value = N.with_scale(N.number(num), scale)
        qual = lab.qualifier(s, e)
        generic = noun.split()[-1].lower() in _GENERIC
        return [_fig(s, e, kind="count", value=value, unit=noun.split()[-1],
                     display=qual + (f"{num} {scale}" if scale else N.fmt(value)),
                     label=lab.clause(s, e) if generic else noun)]
    if kind in ("cjk", "cjk-percent", "cjk-fraction", "slash-fraction"):
        return _cjk(kind, m, lab, before)
    return None


def _cjk_value(num: str) -> float | None:
    return N.cjk_number(num) if re.match(_CJK_NUM + "$", num) else N.number(num)


def _cjk(kind: str, m: re.Match[str], lab: Labeler, before: list[Found]) -> list[Found] | None:
    g = m.groupdict()
    text, s, e = lab.text, m.start(), m.end()  # (only tried on text with a CJK character)
    if kind == "slash-fraction" or kind == "cjk-fraction":
        if kind == "slash-fraction":
            a, b = map(int, g["num"].split("/"))
        else:
            a, b = _cjk_value(g["num"]), _cjk_value(g["whole"])
        if not a or not b or a >= b:
            return None
        return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                     display=lab.qualifier(s, e) + f"{N.fmt(a)}/{N.fmt(b)}", label=lab.clause(s, e))]
    value = _cjk_value(g["num"])
    if value is None:
        return None
    if kind == "cjk-percent":
        f = _percent(m, lab, value, "%", True)
        return [f] if f else None
    unit, scale, noun = g["unit"], g.get("scale") or "", g.get("noun") or ""
    digits = bool(re.match(r"\d", g["num"]))
    if unit in ("亿元", "万元"):
        scale, unit = scale + unit[0], "元"
    value = N.with_scale(value, scale)
    if unit in ("%", "％", "个百分点", "百分点"):
        f = _percent(m, lab, value, unit, True)
        if f:
            f.end = m.end("unit")
            f.figure["text"] = text[f.start:f.end]
        return [f] if f else None
    shown = lab.qualifier(s, m.end("unit")) + text[s:m.end("unit")]
    e = m.end("unit")
    if unit == "成":
        if digits or value >= 10 or not re.search(r"(增长|下降|占|近|约|超过)$", text[max(0, s - 4):s]):
            return None
        f = _percent(m, lab, value * 10, "%", True)
        if f:
            f.end, f.figure["text"] = e, text[f.start:e]
            f.figure["display"] = f.figure["display"].rstrip("%") + "%"
        return [f] if f else None
    if unit in ("元", "美元", "欧元", "港元"):
        return [_fig(s, e, kind="money", value=value, unit=CURRENCIES[unit], display=shown, label=lab.clause(s, e),
                     text=text[s:e])]
    if unit in ("年", "个月"):
        if not digits or _YEAR.match(g["num"]) or scale:
            return None
        return [_fig(s, e, kind="span", value=value, unit="years" if unit == "年" else "months", display=shown,
                     label=lab.clause(s, e), text=text[s:e])]
    if unit in UNITS:
        return [_fig(s, e, kind="quantity", value=value, unit=UNITS[unit], display=shown, label=lab.clause(s, e),
                     text=text[s:e])]
    # a measure word: a count; 一条/一个 is the article "a", never a figure
    if (not digits and value == 1) or text[max(0, s - 1):s] == "第" or (unit == "大" and digits):
        return None
    label = noun if len(noun) >= 2 else lab.clause(s, e)
    e2 = e + len(noun)
    fig = _fig(s, e2, kind="count", value=value, unit="个" if unit == "大" else unit, display=shown, label=label, text=text[s:e2])
    whole = _cjk_whole(text, s, before)
    if whole is not None:
        fig.figure.update(of=whole, label=lab.clause(s, e2))
    return [fig]


def _cjk_whole(text: str, s: int, before: list[Found]) -> dict | None:
    """'41个工业大类行业中，39个行业…', '31个制造业大类，其中15个…': the whole a part belongs to."""
    near = [f for f in takewhile(lambda f: s - f.end < 20, reversed(before)) if f.figure["kind"] == "count"]
    if not near:
        return None
    between = text[near[0].end:s]
    return near[0].figure if re.fullmatch(r"\s*(?:中)?[，,]?\s*(?:其中)?\s*", between) and \
        ("中" in between or "其中" in between) else None
