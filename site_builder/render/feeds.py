"""sitemap.xml, the Atom feed, robots.txt, .nojekyll and CNAME: data in, text out."""
from __future__ import annotations

import datetime as dt
import heapq
import re
from typing import TYPE_CHECKING, Callable, Iterable

from ..model.publish import moment
from ..model.urls import Urls

if TYPE_CHECKING:
    from ..model.pages import Page
    from ..model.routes import Route
    from ..model.site import Site
    from .context import Renderer

FEED_ENTRIES = 50
NOJEKYLL = ".nojekyll"  # always written: GitHub Pages must not run Jekyll on the site

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# xml.sax.saxutils' escape and quoteattr, written out: importing that module imports urllib.request,
# email and ssl, a tenth of an up-to-date build's start-up (tests/test_list_feeds.py compares them)
_XML_TEXT = str.maketrans({"&": "&amp;", ">": "&gt;", "<": "&lt;"})
_XML_ATTR = str.maketrans({"&": "&amp;", ">": "&gt;", "<": "&lt;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def x(text: str) -> str:
    """Text safe inside an XML element (control characters XML forbids are dropped)."""
    return _XML_BAD.sub("", str(text)).translate(_XML_TEXT)


def xa(text: str) -> str:
    """An attribute value, quoted: in double quotes, else single quotes when it holds only double ones."""
    data = _XML_BAD.sub("", str(text)).translate(_XML_ATTR)
    if '"' not in data:
        return f'"{data}"'
    return f"'{data}'" if "'" not in data else '"' + data.replace('"', "&quot;") + '"'


def _stamp(value: dt.date) -> str:
    """RFC 3339: a date at midnight UTC; a date-time as written, with its offset (UTC without one)."""
    if isinstance(value, dt.datetime):
        text = value.isoformat(timespec="seconds")
        return text + "Z" if value.tzinfo is None else text[:-6] + "Z" if text.endswith("+00:00") else text
    return f"{value.isoformat()}T00:00:00Z"


def sitemap(urls: Urls, entries: Iterable[tuple[str, dt.date | None]]) -> str:
    """``entries``: (site-relative URL, last modified)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for rel, day in entries:
        out.append(f"  <url><loc>{x(urls.absolute(rel))}</loc>"
                   + (f"<lastmod>{_stamp(day) if isinstance(day, dt.datetime) else day}</lastmod>"
                      if day else "") + "</url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def atom(urls: Urls, title: str, subtitle: str, author: str, language: str,
         entries: list[tuple[str, str, str, dt.date]], newest: dt.date,
         at: str = "feed.xml", page: str = "") -> str:
    """``entries``: (site-relative URL, title, summary, date), newest first; the feed lives at
    ``at`` and is the feed of the page ``page``; without entries it was updated on ``newest``,
    the site's newest date."""
    updated = max((d for *_, d in entries), default=newest, key=moment)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xa(language)}>',
           f"  <title>{x(title)}</title>"]
    if subtitle:
        out.append(f"  <subtitle>{x(subtitle)}</subtitle>")
    out += [f"  <id>{x(urls.absolute(page if at != 'feed.xml' else ''))}</id>",
            f'  <link rel="self" type="application/atom+xml" href={xa(urls.absolute(at))}/>',
            f'  <link rel="alternate" type="text/html" href={xa(urls.absolute(page))}/>',
            f"  <updated>{_stamp(updated)}</updated>",
            f"  <author><name>{x(author or title)}</name></author>",
            '  <generator uri="https://pypi.org/project/site-builder/">site_builder</generator>']
    for rel, etitle, summary, day in entries:
        out += ["  <entry>",
                f"    <title>{x(etitle)}</title>",
                f'    <link rel="alternate" type="text/html" href={xa(urls.absolute(rel))}/>',
                f"    <id>{x(urls.absolute(rel))}</id>",
                f"    <updated>{_stamp(day)}</updated>"]
        if summary:
            out.append(f"    <summary>{x(summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>\n")
    return "\n".join(out)


def robots(urls: Urls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"


def newest_date(site: Site) -> dt.date | None:
    """The newest date (``updated``, else ``date``) of any page: the ``<updated>`` of a feed
    without dated entries. A site without a single date has no feeds at all (an Atom feed must
    say when it was updated, and no date can be made up: neither the clock nor 1970)."""
    return max((d for p in site.pages if (d := p.meta.get("updated") or p.meta.get("date"))), default=None, key=moment)


def route_date(route: Route, site: Site) -> dt.date | None:
    page = route.page or route.intro
    day = page.meta.get("updated") or page.meta.get("date") if page else None
    dates = [d for d in [day, *(p.meta.get("updated") or p.meta.get("date") for p in route.members)] if d]
    if route.kind == "home":
        dates += [p.meta.get("updated") or p.meta["date"] for p in site.pages if p.date]
    return max(dates, default=None, key=moment)


def _dated(pages: Iterable[Page], link: Callable[[Page], str]) -> list[tuple[str, str, str, dt.date]]:
    """Feed entries of ``pages``, newest first: an undated page is left out (a reader would see
    it as new, or as from 1970)."""
    dated = [(day, p.url, p) for p in pages if (day := p.meta.get("updated") or p.meta.get("date"))]
    newest = heapq.nlargest(FEED_ENTRIES, dated, key=lambda e: (moment(e[0]), e[1]))  # a tag may have thousands
    return [(link(p), p.title, p.meta.get("summary", ""), day) for day, _, p in newest]


def list_feeds(site: Site) -> dict[str, list[Page]]:
    """Each feed beside the site's: its file → the pages it may carry. A theme's: its articles'
    parts; a section's and a tag's: the pages of its list (all of its pages)."""
    out: dict[str, list[Page]] = {}
    for r in site.routes.values():
        if r.kind == "theme" and r.number == 1:
            out[f"{r.url}feed.xml"] = [p for p in site.pages if p.kind == "part" and p.theme == r.key]
        elif r.kind in ("section", "tag"):
            out.setdefault(f"{r.first or r.url}feed.xml", []).extend(r.members)
    return out


def site_files(site: Site, renderer: Renderer) -> dict[str, bytes]:
    """Sitemap, feeds, robots.txt, .nojekyll and CNAME, from the site's routes, front matter
    and config only (a build reuses them while those are unchanged)."""
    config, urls, newest = site.config, renderer.urls, newest_date(site)
    routes = [r for r in site.routes.values() if r.kind not in ("404", "search", "alias")]
    out = {"sitemap.xml": sitemap(urls, [(r.url, route_date(r, site)) for r in routes]).encode()}
    if newest is not None:
        entries = [(r.url, r.title, renderer.summary(r), route_date(r, site))
                   for r in site.routes.values() if r.kind in ("source", "theme", "page") and r.number == 1]
        entries = sorted((e for e in entries if e[3]), key=lambda e: (moment(e[3]), e[0]), reverse=True)
        out["feed.xml"] = atom(urls, config.title, config.description, config.author,
                               config.language, entries[:FEED_ENTRIES], newest).encode()
        for at, pages in list_feeds(site).items():
            r = site.routes[at[:-len("feed.xml")]]
            out[at] = atom(urls, f"{r.title} · {config.title}", renderer.summary(r), config.author, config.language,
                           _dated(pages, site.page_link), newest, at=at, page=r.url).encode()
    out["robots.txt"] = robots(urls).encode()
    out[NOJEKYLL] = b""
    if config.cname:
        out["CNAME"] = config.cname.strip().encode() + b"\n"
    return out
