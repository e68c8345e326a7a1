"""Dates written in articles: found by pattern, read by dateparser (English and Chinese forms).

A date with no year is never completed by guessing: ``read`` takes the year only when the
caller passes one it found in another stamp of the same article, else it gives no date.
ISO and ``2024年1月13日`` forms are read directly (they need no interpretation, and most
articles have one), so dateparser is imported only for the other forms.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
        r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME = r"(?:\s*,?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)"
# a date with its year, in the forms news pages use; each alternative is one regex group
WITH_YEAR = (rf"\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
             rf"|{_MON}\s*{_DAY}\s*(?:,\s*|\s+)\d{{4}}\b|{_DAY}\s+{_MON}\s*,?\s*\d{{4}}\b"
             rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}}\b|\d{{2}} \d{{2}}, \d{{4}}\b")
NO_YEAR = rf"{_MON}\s*{_DAY}\b|(?<![\d年])\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
DATE = re.compile(rf"(?:{WITH_YEAR})|(?:{NO_YEAR})", re.I)
TIME = re.compile(rf"^{_TIME}|{_TIME}$|^\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[AaPp]\.?[Mm]\.?)?,?\s*")
_HAS_YEAR = re.compile(rf"^(?:{WITH_YEAR})$", re.I)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")


def has_year(expr: str) -> bool:
    return bool(_HAS_YEAR.match(expr.strip()))


@lru_cache(maxsize=64)
def _parser(year: int | None):  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser  # heavy import: only for forms that need it

    if year is None:
        settings = {"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "MDY"}
    else:
        settings = {"REQUIRE_PARTS": ["day", "month"], "RELATIVE_BASE": dt.datetime(year, 1, 1),
                    "PREFER_DATES_FROM": "current_period"}
    return DateDataParser(languages=["en", "zh"], settings=settings)


@lru_cache(maxsize=4096)
def read(expr: str, year: int | None = None) -> dt.date | None:
    """The date ``expr`` names; a date without a year only with ``year`` given, else None."""
    expr = " ".join(expr.split())
    m = _ISO.match(expr)
    if m:
        y, mo, d = (int(x) for x in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
        try:
            return dt.date(y, mo, d)
        except ValueError:
            return None
    if not has_year(expr) and not year:
        return None
    m = re.match(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日$", expr)
    if m:  # dateparser reads 1月13日 only with a year
        try:
            return dt.date(year, int(m.group(1)), int(m.group(2))) if year else None
        except ValueError:
            return None
    parser = _parser(None if has_year(expr) else year)
    found = parser.get_date_data(re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", expr)).date_obj
    if found is None or (not has_year(expr) and found.year != year):
        return None
    return found.date()
