"""sitemap.xml, the Atom feed and robots.txt: data in, XML text out."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

from .urls import Urls

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def x(text: str) -> str:
    """Text safe inside an XML element (control characters XML forbids are dropped)."""
    return escape(_XML_BAD.sub("", str(text)))


def xa(text: str) -> str:
    return quoteattr(_XML_BAD.sub("", str(text)))


def _stamp(day: dt.date | None, fallback: dt.date) -> str:
    return f"{(day or fallback).isoformat()}T00:00:00Z"


def sitemap(urls: Urls, entries: Iterable[tuple[str, dt.date | None]]) -> str:
    """``entries``: (site-relative URL, last modified)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for rel, day in entries:
        out.append(f"  <url><loc>{x(urls.absolute(rel))}</loc>"
                   + (f"<lastmod>{day.isoformat()}</lastmod>" if day else "") + "</url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def atom(urls: Urls, title: str, subtitle: str, author: str, language: str,
         entries: list[tuple[str, str, str, dt.date | None]], epoch: dt.date) -> str:
    """``entries``: (site-relative URL, title, summary, date), newest first."""
    updated = max((d for *_, d in entries if d), default=epoch)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={xa(language)}>',
           f"  <title>{x(title)}</title>"]
    if subtitle:
        out.append(f"  <subtitle>{x(subtitle)}</subtitle>")
    out += [f"  <id>{x(urls.absolute(''))}</id>",
            f'  <link rel="self" type="application/atom+xml" href={xa(urls.absolute("feed.xml"))}/>',
            f'  <link rel="alternate" type="text/html" href={xa(urls.absolute(""))}/>',
            f"  <updated>{_stamp(updated, epoch)}</updated>",
            f"  <author><name>{x(author or title)}</name></author>",
            '  <generator uri="https://pypi.org/project/site-builder/">site_builder</generator>']
    for rel, etitle, summary, day in entries:
        out += ["  <entry>",
                f"    <title>{x(etitle)}</title>",
                f'    <link rel="alternate" type="text/html" href={xa(urls.absolute(rel))}/>',
                f"    <id>{x(urls.absolute(rel))}</id>",
                f"    <updated>{_stamp(day, updated)}</updated>"]
        if summary:
            out.append(f"    <summary>{x(summary)}</summary>")
        out.append("  </entry>")
    out.append("</feed>\n")
    return "\n".join(out)


def robots(urls: Urls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"
