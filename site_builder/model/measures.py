"""Measures and trends across articles: figures of several articles that report the same measure at
different dates. Conservative by design — a wrong trend is worse than none:

- a measure is (kind, unit, label) with the label normalised only in ways that cannot change
  what it names: case, width, spacing, punctuation at the ends, a leading article, the figure's
  own number and a conversion in brackets taken out, and a few spellings of one name made one
  (GDP and gross domestic product; R&D and research and development; "as a share of");
- figures of different kinds or units never meet; "span" figures (the past 40 years) are not
  measures;
- an undated article's figures are never in a trend; one article counts once per measure (its
  first figure); a series needs points from at least two different dates.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

_ASIDE = re.compile(r"\s*[(（][^()（）]*\d[^()（）]*[)）]")   # "(about 419 billion U.S. dollars)", not "(real)"
_LEAD = re.compile(r"^(?:the|a|an|its|their)\s+")
_ENDS = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_SAME = [  # one name, several spellings: (pattern, the spelling kept)
    (re.compile(r"\bgross domestic product\b"), "gdp"),
    (re.compile(r"\bresearch and development\b|\br ?& ?d\b"), "r&d"),
    (re.compile(r"\bas (?:a )?(?:share|proportion|percentage) of\b|\bshare of\b"), "share of"),
    (re.compile(r"\bper ?cent\b"), "percent"),
]
NOT_MEASURES = frozenset({"span"})


@dataclass(frozen=True)
class Series:
    """One measure's points, oldest first; each point a figure as ``Provenance.figure`` made it."""
    kind: str
    unit: str
    label: str          # the first point's label, as written
    points: tuple[dict, ...]


def _text(value: object) -> str:
    """A field as the facts check reads it (routes count trends before it runs): a number or a
    date written where text belongs is that text; anything else is no text."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool) else ""


def measure(f: dict) -> tuple[str, str, str] | None:
    """The measure a figure reports, as (kind, unit, normalised label); None when it is not one,
    also when the label is only the noun the number counts ("99,000 new energy vehicles" — of
    which place, in which period?)."""
    kind, text, display = _text(f.get("kind")), _text(f.get("text")), _text(f.get("display"))
    if not kind or kind in NOT_MEASURES or not _text(f.get("label")):
        return None
    label = _label(_text(f["label"]), text, display)
    return (kind, _text(f.get("unit")), label) if label else None


@functools.lru_cache(maxsize=65536)
def _label(label: str, text: str, display: str) -> str:
    """The label normalised, '' when it is only the number's own noun. Memoised: routes, related
    articles and each theme's trends ask for the measures of the same figures, 14,000 times a
    build at 1,000 articles."""
    label = _normal(label, text, display)
    return "" if label == _normal(text, display) else label


def _normal(text: str, *numbers: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    for number in sorted({n for n in numbers if n}, key=len, reverse=True):
        text = text.replace(unicodedata.normalize("NFKC", number).casefold(), " ")
    text = _ASIDE.sub(" ", text)
    for pattern, kept in _SAME:
        text = pattern.sub(kept, text)
    return _LEAD.sub("", _ENDS.sub("", " ".join(text.split())))


def title(f: dict) -> str:
    """What a figure measures, without its own number: "GDP", "Exports rose … in the period"."""
    label, text = f["label"], f.get("text") or ""
    label = label.replace(text, "…") if text and text in label else label
    return label[:1].upper() + label[1:]


def series(figures: list[dict]) -> list[Series]:
    """Every measure that two or more dated articles report at different dates, in the order
    of its first appearance in ``figures``."""
    found: dict[tuple[str, str, str], dict[str, dict]] = {}
    for f in figures:
        key = measure(f)
        if key is None or f.get("date") is None:
            continue
        found.setdefault(key, {}).setdefault(f["source"].partition("#")[0], f)  # an article's first
    out = []
    for (kind, unit, _), by_article in found.items():
        points = sorted(by_article.values(), key=lambda f: (f["date"], f["source"]))
        if len({p["date"] for p in points}) >= 2:
            out.append(Series(kind, unit, points[0]["label"], tuple(points)))
    return out
