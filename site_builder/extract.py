"""Facts quoted from an article: numeric figures, named lists and quoted terms.

Every fact keeps the exact source text it came from, so the build can prove it
was not invented (see ``content._check_facts``). Pure functions on text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import takewhile

# Caps per paragraph: a real paragraph stays far below them; a hostile or broken one
# (a 350 KB run of "1% and …") is cut short, and the ingest report says what was skipped.
MAX_FIGURES = 60
MAX_LISTS = 10
MAX_ITEMS = 30        # a "such as" list longer than this is not a list a reader wants as a card
MAX_TERMS = 40
MAX_LABEL = 240       # a clause longer than this does not make a label a reader can check
MAX_LIST_TEXT = 600   # characters from a cue to the end of its list
MAX_QUOTE = 600       # a term's sentence longer than this is quoted as the term alone

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
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？]")


class Bounds:
    """Where the clauses (or sentences) of one text begin and end, found in one pass, so
    that each lookup is a binary search: extraction stays linear in the paragraph's length."""

    def __init__(self, text: str, pattern: re.Pattern[str] = _BOUNDARY):
        self.text = text
        found = list(pattern.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """From the end of the last boundary before ``start`` to the first one at or after ``end``."""
        i = bisect_right(self.ends, start)
        j = bisect_left(self.starts, end)
        return (self.ends[i - 1] if i else 0), (self.starts[j] if j < len(self.starts) else len(self.text))


def _clause(bounds: Bounds, start: int, end: int) -> str:
    """The clause around a match (never split at a decimal point), for a label; "" when it
    is too long to be a label."""
    left, right = bounds.around(start, end)
    return bounds.text[left:right].strip() if right - left <= MAX_LABEL else ""


def figures_in(text: str, source: str, first_id: int = 1, notes: list[str] | None = None) -> list[dict]:
    """Numeric facts in one paragraph, in order, each with the exact text it came from
    and an id ``f<n>`` counted from ``first_id`` (``of`` names the whole of a part).
    What the caps leave out is said in ``notes``."""
    found: list[Found] = []
    bounds = Bounds(text)
    end = 0
    for start in _START.finditer(text):
        p = start.start()
        if p < end:
            continue  # inside the previous figure
        if len(found) == MAX_FIGURES:
            _note(notes, source, f"figures after the first {MAX_FIGURES} skipped (a paragraph has at most "
                                 f"{MAX_FIGURES}), from “{text[p:p + 40]}…”")
            break
        before = text[max(0, p - 30):p]
        for kind, pat in PATTERNS:
            m = pat.match(text, p)
            if not m:
                continue
            lead = _SPAN_LEAD.search(before) if kind == "span" else _QUALIFIER.search(before)
            if kind == "span" and not lead:
                continue
            fig = _figure(kind, m, bounds, found, lead.group(0) if lead else "")
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


def _note(notes: list[str] | None, source: str, message: str) -> None:
    if notes is not None:
        notes.append(f"{source}: {message}")


def _figure(kind: str, m: re.Match[str], bounds: Bounds, before: list[Found], lead: str) -> dict | None:
    fig = _figure_of(kind, m, bounds, before, lead)
    return fig if fig is None or fig["label"] else None  # no label a reader can check: no figure


def _figure_of(kind: str, m: re.Match[str], bounds: Bounds, before: list[Found], lead: str) -> dict | None:
    text = bounds.text
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
                    display=display, label=_clause(bounds, m.start(), m.end()))
    if kind == "percent":
        return dict(kind="percent", value=_number(num), unit="%", display=f"{num}%",
                    label=_clause(bounds, m.start(), m.end()))
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
        label = g["of"].strip() if g.get("of") else _clause(bounds, m.start(), m.end())
        return dict(kind="span", value=value, unit=unit, display=f"{_fmt(value)} {unit}", label=label)
    if kind == "part":
        near = takewhile(lambda f: m.start() - f.end < 80, reversed(before))  # never the whole paragraph
        whole = next((f.figure for f in near if f.figure["kind"] == "count" and f.end <= m.start()), None)
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
                    label=_clause(bounds, m.start(), m.end()))
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
                    display=f"{num}{unit}", label=_clause(bounds, m.start(), m.end()))
    return None


# --- named lists: "… clusters, such as A, B, and C" ------------------------------------
_CUE = re.compile(r",?\s+(?P<cue>such as|including|like|namely|e\.g\.,?)\s+")
_ITEMS = re.compile(r"(?:[^.;:!?()]|\.(?=\w))+")
_HEAD_START = re.compile(r"[.;:!?]\s*")
_HEAD_CUT = re.compile(r"^.*(?:,|\b(?:by|of|in|for|with|from|to|at|on|among|has|have|had|created|built|includes?|included|are|is|was|were))\s+", re.I)
_LIST_END = re.compile(r",?\s+(?:along with|as well as|while|which|where|and other|among others|etc)\b.*$|,\s+(?:with|and)\s+\w+\s+\w+.*\b(?:is|are|was|were|has|have)\b.*$")
_SPLIT = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+")


def lists_in(text: str, source: str, figures: list[dict], notes: list[str] | None = None) -> list[dict]:
    """Named lists: '… clusters, such as A, B, and C' → title and items, quoted exactly.
    A list ends at the next cue at the latest, so each character is read a bounded number of times."""
    out = []
    cues = list(_CUE.finditer(text))
    for k, cue in enumerate(cues):
        if len(out) == MAX_LISTS:
            _note(notes, source, f"lists after the first {MAX_LISTS} skipped (a paragraph has at most "
                                 f"{MAX_LISTS}), from “{text[cue.start():cue.start() + 40].strip()}…”")
            break
        stop = min(cues[k + 1].start() if k + 1 < len(cues) else len(text), cue.end() + MAX_LIST_TEXT + 1)
        m = _ITEMS.match(text, cue.end(), stop)
        if not m:
            continue
        if m.end() > cue.end() + MAX_LIST_TEXT:
            _note(notes, source, f"a list longer than {MAX_LIST_TEXT} characters skipped: "
                                 f"“{text[cue.start():cue.start() + 40].strip()}…”")
            continue
        body = _LIST_END.sub("", m.group(0)).strip().rstrip(",")
        items = [i.strip() for i in _SPLIT.split(body) if i.strip()]
        if len(items) > MAX_ITEMS:
            _note(notes, source, f"a list of {len(items)} items skipped (at most {MAX_ITEMS}): "
                                 f"“{text[cue.start():cue.start() + 40].strip()}…”")
            continue
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


def terms_in(text: str, source: str, notes: list[str] | None = None) -> list[dict]:
    out: list[dict] = []
    sentences = Bounds(text, _SENTENCE_END)
    for m in _QUOTED.finditer(text):
        if len(out) == MAX_TERMS:
            _note(notes, source, f"quoted terms after the first {MAX_TERMS} skipped (a paragraph has at most "
                                 f"{MAX_TERMS}), from “{m.group(0)[:40]}”")
            break
        raw = (m.group(1) or m.group(2) or "").strip()
        term = raw.rstrip(",.，。")
        sentence_like = m.group(0)[-2:-1] in ".!?" and term[:1].isupper()  # a quoted sentence, not a term
        if not _TERM_OK.match(term) or sentence_like:
            continue
        n = len(term) if any("\u3000" <= c <= "\u9fff" for c in term) else len(term.split())
        if not term or n > (12 if n == len(term) else 4) or any(c in term for c in "!?;:。！？"):
            continue
        left, right = sentences.around(m.start(), m.end())
        right = min(right + 1, len(text))  # the sentence keeps its final stop
        sentence = text[left:right].strip() if right - left <= MAX_QUOTE else m.group(0)
        out.append(dict(term=term, text=sentence, source=source))
    return out
