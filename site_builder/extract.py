"""Facts quoted from an article: numeric figures, named lists and quoted terms.

Every fact keeps the exact source text it came from, so the build can prove it
was not invented (see ``content._check_facts``). Pure functions on text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUM_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUM_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                  "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_WORDNUM = "|".join(sorted((w for w in NUM_WORDS if w not in ("zero", "one")), key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:{_WORDNUM}))"
_PRE = r"(?:(?:all|some|about|around|approximately|nearly|almost|over|more than|less than|at least|up to|a total of|roughly)\s+)"
_STOP = r"(?:of|and|or|in|to|for|with|the|a|an|by|on|at|from|as|is|are|was|were|have|has|been|its|their|them|this|that)"
_NOUN = rf"(?:(?!{_STOP}\b)[A-Za-z][\w’'-]*\s+){{0,4}}(?!{_STOP}\b)[A-Za-z][\w’'-]*s\b"
_SCALE = r"(?:\s+(?P<scale>trillion|billion|million|thousand))?"
_OF = r"\s+of\s+(?P<of>(?:[^,.;:()]|(?<=\d)[,.](?=\d)){3,60}?)(?=[,.;:](?!\d)|[()]|\s+(?:while|with|which|as)\b|$)"
FRACTION_WORDS = {"half": (1, 2), "a third": (1, 3), "one third": (1, 3), "one-third": (1, 3),
                  "two-thirds": (2, 3), "two thirds": (2, 3), "a quarter": (1, 4), "one quarter": (1, 4),
                  "one-quarter": (1, 4), "three-quarters": (3, 4), "one-fifth": (1, 5), "a fifth": (1, 5),
                  "one-eighth": (1, 8), "an eighth": (1, 8), "one-tenth": (1, 10), "a tenth": (1, 10)}
CURRENCIES = {"$": "USD", "us$": "USD", "hk$": "HKD", "nt$": "TWD", "a$": "AUD", "c$": "CAD", "s$": "SGD",
              "r$": "BRL", "ksh": "KES", "chf": "CHF", "€": "EUR", "£": "GBP", "¥": "CNY", "₹": "INR",
              "₩": "KRW", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "dollar": "USD", "dollars": "USD",
              "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "rupee": "INR",
              "rupees": "INR", "yen": "JPY", "won": "KRW", "元": "CNY", "美元": "USD"}
SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "thousand": 1e3,
          "万亿": 1e12, "亿": 1e8, "万": 1e4}

_CUR = r"US\$|HK\$|NT\$|[ARCS]\$|\$|€|£|¥|₹|₩|RMB|KSh|CHF"
_FRACTION_WORDS = "|".join(sorted(FRACTION_WORDS, key=len, reverse=True))
# Where a figure can start: a number, a currency sign before one, a number or fraction word,
# or a CJK numeral before a measure word. Patterns are then tried *anchored* at each start.
_START = re.compile(rf"(?:{_CUR})(?=\s?\d)|(?<![A-Za-z0-9_.,/])\d|\b(?i:{_WORDNUM}|{_FRACTION_WORDS})\b"
                    r"|[一二两三四五六七八九十百千]+(?=[大个家项条座])")
_QUALIFIER = re.compile(rf"{_PRE}$", re.I)
_SPAN_LEAD = re.compile(r"(?:the\s+)?(?:past|last|next|over the past|over the last|for|within|in the past)\s+(?:the\s+)?$", re.I)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("money", re.compile(rf"(?P<cur>(?:{_CUR})\s?)?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<scale>trillion|billion|million|thousand|bn|mn)?\b(?:\s?(?P<word>yuan|renminbi|dollars?|euros?|pounds?|rupees?|yen|won)\b)?(?P<alt>\s?\([^()]{{1,40}}\))?", re.I)),
    ("percent", re.compile(r"(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%|percent\b|per cent\b|percentage points?\b)", re.I)),
    ("fraction", re.compile(rf"(?P<num>\d{{1,3}}\s?/\s?\d{{1,4}}\b(?!\s?/\d)|(?i:{_FRACTION_WORDS})\b){_OF}")),
    ("span", re.compile(rf"(?P<num>{_NUM})\s+(?P<unit>years|decades|months|weeks|days)\b(?:{_OF})?", re.I)),
    ("count", re.compile(rf"(?P<num>{_NUM}){_SCALE}\s+(?P<noun>{_NOUN})")),
    ("part", re.compile(rf"(?P<num>{_NUM})\s+of\s+(?:them|these|those|which)\b(?P<rest>[^,.;:()]{{0,60}})")),
    ("cjk", re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万亿元|亿元|万元|美元|元|%|万家|万个|万人|万|亿|个|家|项|年)")),
    ("cjk-fraction", re.compile(r"(?P<num>\d{1,3}/\d{1,4})(?!\s?/\d)")),
    ("cjk-count", re.compile(r"(?P<num>[一二两三四五六七八九十百千]+)(?P<unit>大|个|家|项|条|座)(?P<noun>[\u4e00-\u9fff]{2,14}?)(?=[，。、；和及与]|$)")),
]
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass
class Found:
    start: int
    end: int
    figure: dict


def _number(text: str) -> float:
    t = text.strip().lower()
    if t in NUM_WORDS:
        return float(NUM_WORDS[t])
    return float(t.replace(",", ""))


_CJK_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cjk_number(text: str) -> int | None:
    """十 → 10, 二十五 → 25, 三百 → 300 (enough for counts in news text)."""
    total, digit = 0, 0
    for ch in text:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in "十百千":
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = 0
        else:
            return None
    return total + digit or None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


_BOUNDARY = re.compile(r"[,;:.](?=\s|$)|[，。；：！？(（\n]|--|—")


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match (never split at a decimal point), for a label."""
    left = max((m.end() for m in _BOUNDARY.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _BOUNDARY.finditer(text, end)), len(text))
    return text[left:right].strip()


def figures_in(text: str, source: str, first_id: int = 1) -> list[dict]:
    """Numeric facts in one paragraph, in order, each with the exact text it came from
    and an id ``f<n>`` counted from ``first_id`` (``of`` names the whole of a part)."""
    found: list[Found] = []
    end = 0
    for start in _START.finditer(text):
        p = start.start()
        if p < end:
            continue  # inside the previous figure
        before = text[max(0, p - 30):p]
        for kind, pat in PATTERNS:
            m = pat.match(text, p)
            if not m:
                continue
            lead = _SPAN_LEAD.search(before) if kind == "span" else _QUALIFIER.search(before)
            if kind == "span" and not lead:
                continue
            fig = _figure(kind, m, text, found, lead.group(0) if lead else "")
            if fig is None:
                continue
            s = p - (len(lead.group(0)) if lead else 0)
            fig.update(text=text[s:m.end()].strip().rstrip(",;"), source=source)
            found.append(Found(s, m.end(), fig))
            end = m.end()
            break
    for i, f in enumerate(found, first_id):
        f.figure["id"] = f"f{i}"
    for f in found:
        if "of" in f.figure:
            f.figure["of"] = f.figure["of"]["id"]
    return [f.figure for f in found]


def _figure(kind: str, m: re.Match[str], text: str, before: list[Found], lead: str) -> dict | None:
    g = m.groupdict()
    num = g.get("num") or ""
    if kind == "money":
        cur = (g.get("cur") or "").strip().lower()
        word = (g.get("word") or "").lower()
        if not (cur or word) or _YEAR.match(num):
            return None
        scale = (g.get("scale") or "").lower()
        value = _number(num) * SCALES.get(scale, 1)
        display = f"{g.get('cur') or ''}{num}{(' ' + scale) if scale else ''}{(' ' + word) if word else ''}".strip()
        return dict(kind="money", value=value, unit=CURRENCIES.get(cur or word, cur or word),
                    display=display, label=_clause(text, m.start(), m.end()))
    if kind == "percent":
        return dict(kind="percent", value=_number(num), unit="%", display=f"{num}%",
                    label=_clause(text, m.start(), m.end()))
    if kind == "fraction":
        key = num.lower().replace(" ", "") if "/" in num else num.lower()
        a, b = (map(int, key.split("/")) if "/" in key else FRACTION_WORDS[num.lower()])
        if b == 0 or a >= b:
            return None
        approx = "≈ " if lead else ""
        return dict(kind="fraction", value=round(a / b, 6), unit="share", display=f"{approx}{a}/{b}",
                    label=g["of"].strip())
    if kind == "span":
        value = _number(num)
        unit = g["unit"].lower()
        label = g["of"].strip() if g.get("of") else _clause(text, m.start(), m.end())
        return dict(kind="span", value=value, unit=unit, display=f"{_fmt(value)} {unit}", label=label)
    if kind == "part":
        whole = next((f.figure for f in reversed(before) if f.figure["kind"] == "count"
                      and f.end <= m.start() and m.start() - f.end < 80), None)
        if whole is None:
            return None
        rest = " ".join((g.get("rest") or "").split())
        return dict(kind="count", value=_number(num), unit=whole["unit"], display=_fmt(_number(num)),
                    label=f"{whole['label']} {rest}".strip(), of=whole)
    if kind == "count":
        if _YEAR.match(num) and not lead:
            return None
        noun = " ".join(g["noun"].split())
        scale = (g.get("scale") or "").lower()
        value = _number(num) * SCALES.get(scale, 1)
        return dict(kind="count", value=value, unit=noun.split()[-1],
                    display=f"{num} {scale}" if scale else _fmt(value), label=noun)
    if kind == "cjk-fraction":
        a, b = map(int, num.split("/"))
        if b == 0 or a >= b or not any("\u4e00" <= c <= "\u9fff" for c in text):
            return None
        return dict(kind="fraction", value=round(a / b, 6), unit="share", display=num,
                    label=_clause(text, m.start(), m.end()))
    if kind == "cjk-count":
        value = _cjk_number(num)
        if value is None:
            return None
        return dict(kind="count", value=float(value), unit=g["unit"], display=_fmt(value),
                    label=g["noun"])
    if kind == "cjk":
        unit = g["unit"]
        if unit == "年" and _YEAR.match(num):
            return None
        return dict(kind="percent" if unit == "%" else "count", value=_number(num), unit=unit,
                    display=f"{num}{unit}", label=_clause(text, m.start(), m.end()))
    return None


# --- named lists: "… clusters, such as A, B, and C" ------------------------------------
_CUE = re.compile(r",?\s+(?P<cue>such as|including|like|namely|e\.g\.,?)\s+")
_ITEMS = re.compile(r"(?:[^.;:!?()]|\.(?=\w))+")
_HEAD_START = re.compile(r"[.;:!?]\s*")
_HEAD_CUT = re.compile(r"^.*(?:,|\b(?:by|of|in|for|with|from|to|at|on|among|has|have|had|created|built|includes?|included|are|is|was|were))\s+", re.I)
_LIST_END = re.compile(r",?\s+(?:along with|as well as|while|which|where|and other|among others|etc)\b.*$|,\s+(?:with|and)\s+\w+\s+\w+.*\b(?:is|are|was|were|has|have)\b.*$")
_SPLIT = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+")


def lists_in(text: str, source: str, figures: list[dict]) -> list[dict]:
    """Named lists: '… clusters, such as A, B, and C' → title and items, quoted exactly."""
    out = []
    for cue in _CUE.finditer(text):
        m = _ITEMS.match(text, cue.end())
        if not m:
            continue
        body = _LIST_END.sub("", m.group(0)).strip().rstrip(",")
        items = [i.strip() for i in _SPLIT.split(body) if i.strip()]
        if len(items) < 2 or any(len(i.split()) > 6 or not i[0].isalnum() for i in items):
            continue
        starts = [x.end() for x in _HEAD_START.finditer(text, max(0, cue.start() - 160), cue.start())]
        head = text[starts[-1] if starts else max(0, cue.start() - 160):cue.start()].strip().rstrip(",")
        counted = next((f for f in figures if f["kind"] == "count" and head.endswith(f["text"])), None)
        if counted:
            title = counted["label"]
        else:
            words = _HEAD_CUT.sub("", head).split()[-5:]
            title = " ".join(w for w in words if w.lower() not in ("a", "an", "the", "many", "several", "other"))
        if not title:
            continue
        quoted = text[cue.start("cue"):cue.end() + len(body)]
        out.append(dict(title=title[0].upper() + title[1:], items=items, text=quoted.strip(), source=source))
    return out


# --- quoted terms: “intellectual content” ------------------------------------------------
# curly and CJK quotes pair up; a straight quote opens only after a space and closes before one
_QUOTED = re.compile(r"[“「『]([^“”「」『』]{2,60}?)[,.，。]?[”」』]|(?:(?<=^)|(?<=[\s(\[]))\"(?=\S)([^\"]{2,60}?)[,.]?\"(?=[\s,.;:!?)\]]|$)")
_TERM_OK = re.compile(r"^[\w][\w\s'’&-]*$")


def terms_in(text: str, source: str) -> list[dict]:
    out = []
    for m in _QUOTED.finditer(text):
        raw = (m.group(1) or m.group(2) or "").strip()
        term = raw.rstrip(",.，。")
        sentence_like = m.group(0)[-2:-1] in ".!?" and term[:1].isupper()  # a quoted sentence, not a term
        if not _TERM_OK.match(term) or sentence_like:
            continue
        n = len(term) if any("\u3000" <= c <= "\u9fff" for c in term) else len(term.split())
        if not term or n > (12 if n == len(term) else 4) or any(c in term for c in "!?;:。！？"):
            continue
        sentence = _sentence(text, m.start())
        out.append(dict(term=term, text=sentence, source=source))
    return out


def _sentence(text: str, pos: int) -> str:
    starts = [m.end() for m in re.finditer(r"[.!?。！？]\s+", text[:pos])]
    start = starts[-1] if starts else 0
    end_m = re.search(r"[.!?。！？](\s|$)", text[pos:])
    end = pos + end_m.end() if end_m else len(text)
    return text[start:end].strip()
