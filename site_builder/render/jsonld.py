"""schema.org data of a page (JSON-LD): the WebSite everywhere; an Article for sources, themes
and pages, saying which articles it is based on."""
from __future__ import annotations

from typing import Any

from ..model.config import Config
from ..model.urls import Urls
from .view import Context


def jsonld(kind: str, ctx: Context, cfg: Config, urls: Urls) -> list[dict]:
    """schema.org data: the WebSite everywhere; an Article for sources, themes and pages."""
    site = {"@context": "https://schema.org", "@type": "WebSite", "name": cfg.title,
            "url": urls.absolute(""), "inLanguage": cfg.language}
    if cfg.description:
        site["description"] = cfg.description
    if kind not in ("source", "theme", "page"):
        return [site]
    article: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle" if kind == "source" else "Article",
        "headline": ctx.title[:110], "description": ctx.description, "url": ctx.permalink,
        "mainEntityOfPage": ctx.permalink, "inLanguage": ctx.language,
        "isPartOf": {"@type": "WebSite", "name": cfg.title, "url": urls.absolute("")}}
    if ctx.date:
        article["datePublished"] = ctx.date.isoformat()
    if ctx.updated:
        article["dateModified"] = ctx.updated.isoformat()
    author = ctx.meta.get("byline") or ctx.meta.get("author") or cfg.author
    if author:
        article["author"] = {"@type": "Person" if ctx.meta.get("byline") else "Organization", "name": author}
    if kind == "source":
        article["isBasedOn"] = _original(ctx)
    sources = [p.source for p in ctx.parts if p.source]
    if sources and kind != "source":
        article["isBasedOn"] = [{"@type": "NewsArticle", "headline": s.title, "url": urls.origin + s.href,
                                 **({"datePublished": s.date.isoformat()} if s.date else {})} for s in sources]
    return [site, article]


def _original(ctx: Context) -> dict[str, Any]:
    """schema.org of the article a source page republishes: who published it, and where it is."""
    meta = ctx.meta
    out: dict[str, Any] = {"@type": "NewsArticle", "headline": ctx.title[:110]}
    if meta.get("original_url"):
        out["url"] = meta["original_url"]
    if ctx.date:
        out["datePublished"] = ctx.date.isoformat()
    if meta.get("byline"):
        out["author"] = {"@type": "Person", "name": meta["byline"]}
    if meta.get("publisher") or meta.get("origin"):
        out["publisher"] = {"@type": "Organization", "name": meta.get("publisher") or meta["origin"]}
    if meta.get("licence"):
        out["license"] = meta["licence"]
    return out
