"""An RSS or Atom feed's entries (feedparser), and which of them are new to the site.

An entry is known by its canonical address: the one its link gives, compared without the
fragment, tracking parameters (utm_*), a default port or the case of scheme and host. An entry
that carries its full text (``content:encoded``, Atom ``<content>``) is ingested from the feed;
one that carries a summary only is fetched from its link.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import SiteError


@dataclass
class Entry:
    link: str
    title: str = ""
    author: str = ""
    published: dt.date | None = None
    content: str = ""             # the entry's full text as HTML, when the feed carries it
    language: str = ""


def entries(data: bytes, source: str, base: str = "") -> list[Entry]:
    """The feed's entries that link to a web page, in the feed's order; ``source`` names the feed
    in errors, ``base`` resolves relative links (the feed's own address)."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base} if base else None)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        why = str(parsed.get("bozo_exception") or "no RSS or Atom elements").split("\n")[0][:160]
        raise SiteError(source, None, f"not an RSS or Atom feed ({why}); give the feed's address or file")
    language = (parsed.feed.get("language") or "").strip()
    out = []
    for e in parsed.entries:
        link = (e.get("link") or "").strip()
        if urlsplit(link).scheme not in ("http", "https"):
            continue  # an entry without a web address cannot be credited or re-fetched
        content = next((c.get("value", "") for c in e.get("content", []) if "html" in c.get("type", "")), "")
        out.append(Entry(link, " ".join((e.get("title") or "").split()), (e.get("author") or "").strip(),
                         _date(e.get("published_parsed") or e.get("updated_parsed")), content.strip(),
                         (e.get("language") or language)))
    return out


def canonical(url: str) -> str:
    """An address as entries are compared: http://Example.org:80/a?utm_source=x#top → http://example.org/a"""
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower()
    if p.port and not (p.scheme == "http" and p.port == 80 or p.scheme == "https" and p.port == 443):
        host += f":{p.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")])
    return urlunsplit((p.scheme.lower(), host, p.path or "/", query, ""))


def page_of(entry: Entry) -> bytes:
    """An entry's full text as a web page: its title as the headline, its link as the canonical
    address (what a saved copy of the original would say)."""
    title, link = html.escape(entry.title), html.escape(entry.link)
    lang = f' lang="{html.escape(entry.language)}"' if entry.language else ""
    meta = "".join(f'<meta {attr}="{name}" content="{html.escape(value)}">\n' for attr, name, value in (
        ("property", "article:published_time", entry.published.isoformat() if entry.published else ""),
        ("name", "author", entry.author)) if value)
    return (f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<link rel="canonical" href="{link}">\n{meta}</head>\n<body>\n<article>\n<h1>{title}</h1>\n'
            f'{entry.content}\n</article>\n</body>\n</html>\n').encode("utf-8")


def _date(parsed: object) -> dt.date | None:
    try:
        return dt.date(*parsed[:3]) if parsed else None  # type: ignore[index]
    except (TypeError, ValueError):
        return None
