"""A web page's metadata against its visible text: which title, date, author, publisher and address
an article gets, where each came from, and what happens when they disagree.

The rule: **what a reader sees on the page wins over what its metadata says.** The visible headline,
byline and publication date are what anyone can check against the original; metadata (Open Graph,
JSON-LD, ``<meta>``) is written for machines, often by a template, and is stale or generic more
often than the visible text is (a syndicated story keeps the agency's metadata, an edited headline
keeps its first og:title, a CMS stamps "Staff" as the author). Metadata fills what the visible
text does not say; a disagreement is reported, never resolved silently. One exception: a visible
date that only says *Updated* does not replace the published date of the metadata.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from lxml import etree

from .article import Article
from .webpage import Visible, squash


def where(tree: etree._Element, value: str, date: bool = False) -> str:
    """Where in the page's markup ``value`` is stated: '<meta property="og:title">, line 9',
    'JSON-LD, line 20', '<time>, line 70', '<link rel="canonical">, line 8' or ''."""
    if not value:
        return ""
    want = value[:10] if date else squash(value).lower()

    def has(text: str | None) -> bool:
        return bool(text) and want in (text if date else squash(text).lower())

    for el in tree.iter("meta"):
        name = el.get("property") or el.get("name") or el.get("itemprop")
        if name and has(el.get("content")):
            attr = "property" if el.get("property") else "name" if el.get("name") else "itemprop"
            return f'<meta {attr}="{name}">, line {el.sourceline}'
    for el in tree.iter("link"):
        if has(el.get("href")):
            return f'<link rel="{el.get("rel")}">, line {el.sourceline}'
    for el in tree.iter("script"):
        if "ld+json" in (el.get("type") or "") and has(el.text):
            return f"JSON-LD, line {el.sourceline}"
    for el in tree.iter("time"):
        if has(el.get("datetime")):
            return f"<time>, line {el.sourceline}"
    for tag in ("title", "h1"):
        for el in tree.iter(tag):
            if has(el.text_content()):
                return f"<{tag}>, line {el.sourceline}"
    return ""


# the label a byline element may keep in front of the name: "By Jane Doe", "记者：李明"
_AUTHOR_LABEL = re.compile(r"^(?:by|author|作者|记者)\s*(?:[:：]\s*|\s+)", re.I)


def same(a: str, b: str) -> bool:
    return squash(a).casefold() == squash(b).casefold()


def strip_site(title: str, site: str) -> str:
    """'Headline - Section - Site' → 'Headline' when the site's name ends it."""
    if site and title:
        m = re.match(rf"^(.*?)(?:\s+[-|–—·:]\s+[^|–—·]{{1,40}})*\s+[-|–—·:]\s+{re.escape(site)}\s*$", title)
        if m and m.group(1).strip():
            return m.group(1).strip()
    return title


def visible_title(visible: list[Visible], meta_title: str, site: str) -> str:
    """The page's headline as shown: the <h1> that the metadata's title names, else its only <h1>
    (never one that is the site's name: a logo)."""
    h1s = [v.text for v in visible if v.tag == "h1" and not same(v.text, site or "\0")]
    for h in h1s:
        if meta_title and (squash(h).casefold() in squash(meta_title).casefold()
                           or squash(meta_title).casefold() in squash(h).casefold()):
            return h
    return h1s[0] if len(set(h1s)) == 1 else ""


def choose_title(art: Article, visible: list[Visible], meta_title: str, site: str, tree: etree._Element) -> None:
    """The title: the visible headline, else the metadata's (the site's name taken off its end)."""
    meta_title = strip_site(meta_title or "", site)
    shown = visible_title(visible, meta_title, site)
    if shown:
        art.title, art.title_from = shown, "headline"
        if meta_title and not same(shown, meta_title) and not same(strip_site(shown, site), meta_title):
            art.notes.append(f"the page's metadata gives the title “{meta_title}” ({where(tree, meta_title)}); "
                             f"the visible headline “{shown}” is used")
    elif meta_title:
        art.title, art.title_from = meta_title, "page metadata"
        art.notes.append(f"title “{meta_title}” from the page's metadata ({where(tree, meta_title) or 'its title'})")


def settle(art: Article, meta, tree: etree._Element, published_seen: bool) -> None:  # noqa: ANN001
    """Date, author and publisher: the visible text's (already in ``art``), else the metadata's."""
    meta_date = _date(meta.date)
    if meta_date and art.date and meta_date != art.date:
        if published_seen:
            art.notes.append(f"the page's metadata gives the date {meta_date} ({where(tree, meta.date, True)}); "
                             f"the visible date {art.date} is used")
        else:  # only an 'Updated' stamp was visible: the metadata's publication date comes first
            art.notes.append(f"date {meta_date} from the page's metadata ({where(tree, meta.date, True)}); "
                             f"the visible stamp gives {art.date} as the date it was updated")
            art.updated = art.updated or art.date
            art.date = meta_date
    elif meta_date and not art.date:
        art.date = meta_date
        art.notes.append(f"date {meta_date} from the page's metadata ({where(tree, meta.date, True) or 'htmldate'})")
    author = _AUTHOR_LABEL.sub("", (meta.author or "").strip())
    if author and art.byline and not same(author, art.byline):
        art.notes.append(f"the page's metadata gives the author “{author}” ({where(tree, author) or 'a byline element'}); "
                         f"the visible byline “{art.byline}” is used")
    elif author and not art.byline:
        art.byline = author
        art.notes.append(f"author “{author}” from the page's metadata ({where(tree, author) or 'a byline element'})")
    if meta.sitename:
        art.publisher = meta.sitename.strip()
        art.notes.append(f"publisher “{art.publisher}” from the page's metadata ({where(tree, art.publisher)})")
        if same(art.origin, art.publisher):
            art.origin = ""  # the same name twice: the publisher
    if meta.license:
        art.licence = meta.license.strip()
        art.notes.append(f"licence “{art.licence}” from the page ({where(tree, art.licence) or 'a licence link'})")


def original_url(canonical: str, fetched: str) -> tuple[str, str]:
    """(the original's address, why): the page's canonical address when it is on the host it was
    fetched from (a page cannot claim another site's address), else the address fetched."""
    ok = canonical if canonical and urlsplit(canonical).scheme in ("http", "https") else ""
    if ok and fetched and _host(ok) != _host(fetched):
        return fetched, f"the page's canonical address {ok} is on another host than {fetched}: not used"
    if ok:
        return ok, "the page's canonical address" + (" (fetched from " + fetched + ")" if fetched and ok != fetched
                                                      else "")
    return fetched, ("the address it was fetched from" if fetched else "")


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


_ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "OpinionNewsArticle", "TechArticle", "ScholarlyArticle", "WebPage"}


def jsonld_url(tree: etree._Element) -> str:
    """The article's own address in its JSON-LD (``mainEntityOfPage``, else ``url``): a page with
    no canonical link or og:url often states it only there."""
    import json

    for el in tree.iter("script"):
        if "ld+json" not in (el.get("type") or ""):
            continue
        try:
            data = json.loads(el.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict) or not set(_types(item)) & _ARTICLE_TYPES:
                continue
            for key in ("mainEntityOfPage", "url"):
                value = item.get(key)
                value = value.get("@id") or value.get("url") if isinstance(value, dict) else value
                if isinstance(value, str) and urlsplit(value).scheme in ("http", "https"):
                    return value.split("#")[0]
    return ""


def _types(item: dict) -> list[str]:
    kind = item.get("@type", [])
    return [kind] if isinstance(kind, str) else [k for k in kind if isinstance(k, str)] if isinstance(kind, list) else []
