"""Numbers as articles write them: digits, number words, Chinese numerals and scale words,
currencies and physical units. Data and pure parsing; no extraction here."""
from __future__ import annotations

import re
from functools import lru_cache

NUM_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUM_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                  "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
FRACTION_WORDS = {"half": (1, 2), "a third": (1, 3), "one third": (1, 3), "one-third": (1, 3),
                  "two-thirds": (2, 3), "two thirds": (2, 3), "a quarter": (1, 4), "one quarter": (1, 4),
                  "one-quarter": (1, 4), "three-quarters": (3, 4), "three quarters": (3, 4),
                  "one-fifth": (1, 5), "a fifth": (1, 5), "one-eighth": (1, 8), "an eighth": (1, 8),
                  "one-tenth": (1, 10), "a tenth": (1, 10)}
CURRENCIES = {"$": "USD", "us$": "USD", "hk$": "HKD", "nt$": "TWD", "a$": "AUD", "c$": "CAD", "s$": "SGD",
              "r$": "BRL", "ksh": "KES", "chf": "CHF", "€": "EUR", "£": "GBP", "¥": "CNY", "₹": "INR",
              "₩": "KRW", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "dollar": "USD", "dollars": "USD",
              "u.s. dollars": "USD", "us dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
              "pounds": "GBP", "rupee": "INR", "rupees": "INR", "yen": "JPY", "won": "KRW",
              "元": "CNY", "人民币": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD", "日元": "JPY"}
SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "thousand": 1e3,
          "万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
# Physical units: how an article writes them -> the unit a figure carries
UNITS = {"gw": "GW", "gigawatt": "GW", "gigawatts": "GW", "mw": "MW", "megawatt": "MW", "megawatts": "MW",
         "kw": "kW", "kilowatt": "kW", "kilowatts": "kW", "kwh": "kWh", "kilowatt-hours": "kWh",
         "mwh": "MWh", "gwh": "GWh", "twh": "TWh", "terawatt-hours": "TWh", "gigawatt-hours": "GWh",
         "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "metric tons": "t", "kg": "kg",
         "kilograms": "kg", "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km",
         "kilometer": "km", "square kilometers": "km²", "square kilometres": "km²", "sq km": "km²",
         "hectares": "ha", "teu": "TEU", "teus": "TEU", "twenty-foot equivalent units": "TEU",
         "千瓦时": "kWh", "度": "kWh", "千瓦": "kW", "兆瓦": "MW", "吨": "t", "公里": "km",
         "千米": "km", "平方公里": "km²", "标箱": "TEU", "公顷": "ha"}
# Chinese measure words that count things (一条 is "a", never a figure: see figures.py)
CJK_MEASURE = "个家项种辆台张座条所名人户件部架艘批类"
CJK_DIGITS = "零〇一二两三四五六七八九十百千万亿"


def number(text: str) -> float:
    """'1,234.5' -> 1234.5, 'twelve' -> 12."""
    t = text.strip().lower()
    if t in NUM_WORDS:
        return float(NUM_WORDS[t])
    return float(t.replace(",", ""))


@lru_cache(maxsize=1)
def _cn2an():  # noqa: ANN202 - loaded only for Chinese numerals (it takes a second to import)
    import cn2an
    return cn2an


def cjk_number(text: str) -> float | None:
    """Chinese numerals ('二十五', '一千二百', '两') -> value, by cn2an; None when not a numeral."""
    if not text or any(ch not in CJK_DIGITS for ch in text):
        return None
    try:
        return float(_cn2an().cn2an(text, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


def with_scale(value: float, scale: str) -> float:
    """Apply 'billion', '万', '亿', '万亿' to a value."""
    return round(value * SCALES.get(scale.lower(), 1), 6) if scale else value


_TRIM = re.compile(r"\.0+$|(\.\d*?)0+$")


def fmt(value: float) -> str:
    """1234.0 -> '1,234'; 2.50 -> '2.5'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{value:,.0f}"
    return _TRIM.sub(r"\1", f"{value:,.6f}")
