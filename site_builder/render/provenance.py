"""Where each figure and term comes from, as pages show it: the article (title, date,
language) and the URL of the quoted paragraph; figures in the order a reader wants them."""
from __future__ import annotations

import datetime as dt

from ..model.measures import Series, series
from ..model.site import Site
from ..model.urls import Urls
from ..paths import slugify
from .templates import format_date


class Provenance:
    """Figures and terms of a site, each with the article it is quoted from."""

    def __init__(self, site: Site, urls: Urls):
        self.site, self.urls = site, urls
        self._wholes = {(f["source"].partition("#")[0], f["id"]): f for p in site.pages
                        for f in p.meta.get("figures", []) if f.get("id")}
        self._themes: dict[str, tuple[list[dict], list[Series]]] = {}

    def theme_figures(self, theme: str) -> tuple[list[dict], list[Series]]:
        """Every figure of a theme's parts, newest article first, and the series of its trends
        (found as ``routes`` counts them: from the figures as written, dated by their article)."""
        found = self._themes.get(theme)
        if found is None:
            raw = sorted((f for p in self.site.pages if p.kind == "part" and p.theme == theme
                          for f in p.meta.get("figures", [])), key=self.newest_first)
            dated = [dict(f, date=self._date(f)) for f in raw]
            trends = [Series(s.kind, s.unit, s.label, tuple(self.figure(p) for p in s.points)) for s in series(dated)]
            found = self._themes[theme] = ([self.figure(f) for f in raw], trends)
        return found

    def _date(self, f: dict) -> dt.date | None:
        src = self.site.sources.get(f["source"].partition("#")[0])
        return src.date if src else None

    def href(self, ref: str) -> str:
        """The URL of a quoted paragraph (``article#p3``); '' when the article is unknown."""
        slug, _, para = ref.partition("#")
        src = self.site.sources.get(slug)
        return self.urls.url(f"{src.url}#{para}") if src else ""

    def figure(self, f: dict) -> dict:
        """A figure as templates and charts use it: its value shown, the whole it is part of,
        and the article it is quoted from (title, date, language, the paragraph's URL)."""
        slug = f["source"].partition("#")[0]
        whole = self._wholes.get((slug, f.get("of") or ""))
        src = self.site.sources.get(slug)
        date = src.date if src else None
        lang = src.meta.get("language", "") if src else ""
        return dict(f, display=display(f), kind=f.get("kind", ""), source_href=self.href(f["source"]),
                    whole=display(whole) if whole else "", article=src.title if src else slug,
                    article_href=self.urls.url(src.url) if src else "", article_lang=lang,
                    date=date, date_text=format_date(date, lang=self.site.config.language))

    def source_order(self, item: dict) -> tuple:
        """As the articles tell them: oldest article first, then paragraph, then place."""
        slug, _, para = item["source"].partition("#")
        src = self.site.sources.get(slug)
        return (src.date or dt.date.min if src else dt.date.min, slug, *_place(item))

    def newest_first(self, item: dict) -> tuple:
        """Newest article first, undated ones after (by name); within one article, in its order."""
        slug = item["source"].partition("#")[0]
        src = self.site.sources.get(slug)
        date = src.date if src else None
        return (date is None, -date.toordinal() if date else 0, slug, *_place(item))

    def terms(self) -> list[dict]:
        """One entry per term (compared case-insensitively), listing every article that quotes it;
        each entry's id is unique on the page even when two terms slug alike."""
        merged: dict[str, dict] = {}
        for t in sorted((t for p in self.site.pages for t in p.meta.get("terms", [])), key=self.source_order):
            entry = merged.setdefault(t["term"].casefold(), dict(term=t["term"], definition="", uses=[]))
            entry["definition"] = entry["definition"] or t.get("definition", "")
            src = self.site.sources.get(t["source"].partition("#")[0])
            use = dict(title=src.title if src else t["source"], href=self.href(t["source"]))
            if use not in entry["uses"]:
                entry["uses"].append(use)
        out, ids = sorted(merged.values(), key=lambda t: t["term"].casefold()), set()
        for t in out:
            base = "term-" + (slugify(t["term"]) or "x")
            t["id"], i = base, 2
            while t["id"] in ids:
                t["id"], i = f"{base}-{i}", i + 1
            ids.add(t["id"])
            t["source_href"] = t["uses"][0]["href"]
        return out


def _place(item: dict) -> tuple[int, int]:
    para = item["source"].partition("#")[2]
    fid = item.get("id", "")
    return (int(para[1:]) if para[1:].isdigit() else 0, int(fid[1:]) if fid[1:].isdigit() else 0)


def display(f: dict) -> str:
    """How a figure shows its value: as ingest wrote it, else (a hand-written figure) its value and unit."""
    return f.get("display") or f"{f['value']:,g}{' ' + f['unit'] if f.get('unit') else ''}"
