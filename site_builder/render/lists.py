"""What a page of a list shows besides its items: its pager, and the archive's months."""
from __future__ import annotations

import calendar
from typing import Any

from ..model.routes import Route, pager_url
from ..model.urls import Urls
from .view import Card


def pager(route: Route, urls: Urls) -> dict[str, Any] | None:
    """The pager of a list that has more than one page (see routes.pager_url): the page's number,
    the count, the previous and next pages' URLs, and the numbers shown (None for a gap)."""
    if route.pages < 2:
        return None
    n, last = route.number, route.pages
    href = {k: urls.url(pager_url(route.first, k)) for k in range(1, last + 1)}
    shown = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
    links: list[tuple[int, str] | None] = []
    before = 0
    for k in shown:  # 1 … 4 5 [6] 7 8 … 20
        if k - before > 1:
            links.append(None)
        links.append((k, href[k]))
        before = k
    return dict(number=n, pages=last, prev=href.get(n - 1), next=href.get(n + 1), links=links)


def by_month(cards: list[Card], language: str) -> list[tuple[str, list[Card]]]:
    """An archive page's entries under a heading per month (newest first), the undated last."""
    groups: dict[str, list[Card]] = {}
    for card in cards:
        d = card.date
        label = ("Undated" if d is None else f"{d.year}年{d.month}月" if language.startswith("zh")
                 else f"{calendar.month_name[d.month]} {d.year}")
        groups.setdefault(label, []).append(card)
    return list(groups.items())
