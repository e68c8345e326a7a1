"""Which pages a build publishes: drafts, future and expired pages are left out unless asked for.

Time zone rule (one for every machine, so a CI runner and a laptop agree): a date or a date-time
without an offset is in UTC; ``2099-01-01`` is published from 2099-01-01 00:00 UTC. A date-time
with an offset (``2099-01-01T09:00:00+08:00``) means that moment. "Now" is the build's wall clock.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

UTC = dt.timezone.utc


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


# Each date's moment and its seconds since the epoch, made once a process: a build asks about
# 70,000 times at 10,000 pages (lists, feeds, the nav and publishing order pages by date). Equal
# values are the same moment (aware date-times compare by instant; a date never equals a
# date-time), so a value's entry serves every value equal to it. A site has few distinct dates.
_MOMENTS: dict[dt.date | dt.datetime, tuple[dt.datetime, float]] = {}


def _known(value: dt.date | dt.datetime) -> tuple[dt.datetime, float]:
    if isinstance(value, dt.datetime):
        m = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    else:
        m = dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    known = _MOMENTS[value] = (m, m.timestamp())
    return known


def moment(value: dt.date | dt.datetime) -> dt.datetime:
    """A front-matter date or date-time as an aware UTC moment (a date: its midnight in UTC)."""
    return (_MOMENTS.get(value) or _known(value))[0]


def seconds(value: dt.date | dt.datetime) -> float:
    """``moment(value)`` in seconds since the epoch."""
    return (_MOMENTS.get(value) or _known(value))[1]


def shown(value: dt.date | dt.datetime) -> str:
    """How a message writes a date: as the front matter did (a date alone, or the moment)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat()


@dataclass(frozen=True)
class Publishing:
    """What the build was asked to publish besides the pages that are live now."""
    drafts: bool = False
    future: bool = False
    expired: bool = False
    now: dt.datetime = field(default_factory=lambda: utc_now())  # late-bound: tests set the clock

    def flags(self) -> tuple[bool, bool, bool]:
        return (self.drafts, self.future, self.expired)

    def now_ns(self) -> int:
        return int(self.now.timestamp() * 1_000_000_000)

    def why_not(self, meta: dict[str, Any]) -> tuple[str, str] | None:
        """(why a page with this front matter is left out, "is a draft…", "expired on…"; its
        front-matter key), or None."""
        if meta.get("draft") and not self.drafts:
            return "is a draft (draft: true); use --drafts to build it", "draft"
        key = "publishDate" if "publishDate" in meta else "date"
        start = meta.get(key)
        if start is not None and moment(start) > self.now and not self.future:
            return f"is not published until {shown(start)}; use --future to build it", key
        end = meta.get("expiryDate")
        if end is not None and moment(end) <= self.now and not self.expired:
            return f"expired on {shown(end)} (expiryDate); use --expired to build it", "expiryDate"
        return None

    def next_change(self, metas: Iterable[dict[str, Any]]) -> int:
        """When, in ns since the epoch, the first page goes live or expires (0: never): until
        then a build with no changed file is up to date."""
        soon = [m for meta in metas for key in ("publishDate", "date", "expiryDate")
                if meta.get(key) is not None and (m := moment(meta[key])) > self.now]
        return int(min(soon).timestamp() * 1_000_000_000) if soon else 0
