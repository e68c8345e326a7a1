"""How each kind of figure a pattern of ``figures`` matched becomes a card (value, unit, display,
label), or nothing when the words do not make a true statement a reader can check: ``make``
dispatches on the pattern's kind, one function a kind."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import takewhile
from typing import Callable

from . import numbers as N
from .labels import Labeler
from .numbers import CURRENCIES, FRACTION_WORDS, UNITS

CJK_NUM = "[〇一二两三四五六七八九十百千]+"
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_TIME_NOUNS = {"years", "months", "weeks", "days", "hours", "minutes", "decades", "quarters", "times",
               "seconds", "centuries", "percent", "points"}
_GENERIC = {"units", "pieces", "items", "sets", "copies", "cases", "ones"}  # label: the clause
_SUPERLATIVE = re.compile(r"\b(?:largest|biggest|smallest|top|first|last|best|leading|highest|lowest|fastest)\b", re.I)


@dataclass
class Found:
    start: int
    end: int
    figure: dict


def _fig(start: int, end: int, **kw: object) -> Found:
    return Found(start, end, dict(kw))


def _signed(value: float, sign: int, display: str) -> tuple[float, str]:
    """A change keeps its direction: 'fell 3%' and 'declined by -2.7%' are decreases."""
    if sign < 0 or (sign == 0 and value < 0):
        return -abs(value), "−" + display.lstrip("-−")
    return (abs(value), "+" + display) if sign > 0 else (value, display)


def _percentage(m: re.Match[str], lab: Labeler, num: float, unit: str, cjk: bool) -> Found | None:
    """A percentage: a share or level (``percent``), a change (``change``) or ``points``."""
    text = lab.text
    minus = m.start() > 0 and text[m.start() - 1] in ("-", "−") and not text[max(0, m.start() - 2):m.start() - 1].isalnum()
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


def _money(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    cur = (g.get("cur") or "").strip().lower()
    word = " ".join((g.get("word") or "").lower().split())
    if not (cur or word) or _YEAR.match(num) or not lab.clause(s, e):
        return None
    named = cur or word  # the symbol as written, else the word: 'US$', 'yuan'
    scale = (g.get("scale") or "").lower()
    display = f"{g.get('cur') or ''}{num}{(' ' + scale) if scale else ''}{(' ' + word) if word else ''}".strip()
    return [_fig(s, e, kind="money", value=N.with_scale(N.number(num), scale),
                 unit=CURRENCIES.get(named, named), display=lab.qualifier(s, e) + display,
                 label=lab.clause(s, e))]


def _percent(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    f = _percentage(m, lab, N.number(num), g["unit"], False)
    return [f] if f else None


def _multiple(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    sign, _ = lab.direction(s, e)
    if sign < 0:
        return None  # "fell 3 times" does not say by how much
    return [_fig(s, e, kind="multiple", value=N.number(num), unit="times",
                 display=lab.qualifier(s, e) + f"{N.fmt(N.number(num))} times", label=lab.clause(s, e))]


def _quantity(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    unit = UNITS[" ".join(g["unit"].lower().split())]
    scale = (g.get("scale") or "").lower()
    value = N.with_scale(N.number(num), scale)
    return [_fig(s, e, kind="quantity", value=value, unit=unit,
                 display=lab.qualifier(s, e) + f"{num}{' ' + scale if scale else ''} {unit}",
                 label=lab.clause(s, e))]


def _out_of(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    text = lab.text
    s, e = m.start(), m.end()
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


def _one_in(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    a, b = N.number(num), N.number(g["whole"])
    if not 0 < a < b <= 1000:
        return None
    return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                 display=lab.qualifier(s, e) + f"{N.fmt(a)}/{N.fmt(b)}", label=lab.clause(s, e))]


def _fraction(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    a, b = map(int, num.split("/")) if "/" in num else FRACTION_WORDS[num.lower()]  # int() skips the spaces of '1 / 8'
    if a >= b:  # a share is less than the whole (so b is not 0)
        return None
    return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                 display=f"{lab.qualifier(s, e) or ('≈ ' if lead else '')}{a}/{b}", label=g["of"].strip())]


def _span(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    value = N.number(num)
    unit = g["unit"].lower()
    label = g["of"].strip() if g.get("of") else lab.clause(s, e)
    return [_fig(s, e, kind="span", value=value, unit=unit, display=f"{N.fmt(value)} {unit}", label=label)]


def _part(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
    # the nearest count before it (each figure in ``before`` ends where a later one may start)
    near = takewhile(lambda f: s - f.end < 80, reversed(before))  # never the whole paragraph
    whole = next((f.figure for f in near if f.figure["kind"] == "count"), None)
    if whole is None:
        return None
    rest = " ".join((g.get("rest") or "").split())
    return [_fig(s, e, kind="count", value=N.number(num), unit=whole["unit"], display=N.fmt(N.number(num)),
                 label=f"{whole['label']} {rest}".strip(), of=whole)]


def _count(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    g = m.groupdict()
    num = g.get("num") or ""
    s, e = m.start(), m.end()
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


def _cjk_value(num: str) -> float | None:
    return N.cjk_number(num) if re.match(CJK_NUM + "$", num) else N.number(num)


def _cjk_fraction(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    """'三分之一' and, in CJK text, '1/3'."""
    g, s, e = m.groupdict(), m.start(), m.end()
    if "whole" in g:
        a, b = _cjk_value(g["num"]), _cjk_value(g["whole"])
    else:
        a, b = map(int, g["num"].split("/"))
    if not a or not b or a >= b:
        return None
    return [_fig(s, e, kind="fraction", value=round(a / b, 6), unit="share",
                 display=lab.qualifier(s, e) + f"{N.fmt(a)}/{N.fmt(b)}", label=lab.clause(s, e))]


def _cjk(m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    """'12.8万亿元', '百分之五', '3成', '41个行业' (only tried on text with a CJK character)."""
    g = m.groupdict()
    text, s, e = lab.text, m.start(), m.end()
    value = _cjk_value(g["num"])
    if value is None:
        return None
    if "unit" not in g:  # 百分之…
        f = _percentage(m, lab, value, "%", True)
        return [f] if f else None
    unit, scale, noun = g["unit"], g.get("scale") or "", g.get("noun") or ""
    digits = bool(re.match(r"\d", g["num"]))
    if unit in ("亿元", "万元"):  # after a scale ('5万万元', 万万 being 亿; '3千万亿元'): both apply
        value, unit = N.with_scale(value, unit[0]), "元"
    value = N.with_scale(value, scale)
    if unit in ("%", "％", "个百分点", "百分点"):
        f = _percentage(m, lab, value, unit, True)
        if f:
            f.end = m.end("unit")
            f.figure["text"] = text[f.start:f.end]
        return [f] if f else None
    shown = lab.qualifier(s, m.end("unit")) + text[s:m.end("unit")]
    e = m.end("unit")
    if unit == "成":
        if digits or value >= 10 or not re.search(r"(增长|下降|占|近|约|超过)$", text[max(0, s - 4):s]):
            return None
        f = _percentage(m, lab, value * 10, "%", True)
        if f:
            f.end, f.figure["text"] = e, text[f.start:e]
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
    # a measure word: a count; 一条/一个 is the article "a", never a figure (第3个, a rank, never comes here:
    # figures_in skips a number after 第)
    if (not digits and value == 1) or (unit == "大" and digits):
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
    return near[0].figure if re.fullmatch(r"\s*(?:中)?[，,]?\s*(?:其中)?\s*", between) and "中" in between else None


_Maker = Callable[[re.Match[str], Labeler, list[Found], str], "list[Found] | None"]
_MAKERS: dict[str, _Maker] = {
    "money": _money, "percent": _percent, "multiple": _multiple, "quantity": _quantity, "out-of": _out_of,
    "one-in": _one_in, "fraction": _fraction, "span": _span, "part": _part, "count": _count,
    "cjk": _cjk, "cjk-percent": _cjk, "cjk-fraction": _cjk_fraction, "slash-fraction": _cjk_fraction,
}


def make(kind: str, m: re.Match[str], lab: Labeler, before: list[Found], lead: str) -> list[Found] | None:
    """The figures a match of pattern ``kind`` makes (``before``: those found earlier in the
    paragraph; ``lead``: 'about ', 'over the past '… before it), or None."""
    return _MAKERS[kind](m, lab, before, lead)
