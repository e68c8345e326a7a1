"""Ingest: articles in ``seeds/`` (plain text, saved web pages) → content pages, one set per article.

For an article with slug S it writes ``content/sources/S.md`` (the cleaned article,
paragraphs ``#p1``…) and ``content/<theme>/S.md`` for each theme that received a
paragraph (each paragraph tagged ``data-src="S#pN"``). Theme pages aggregate the
parts of every article. ``pages.plan`` is pure; only ``write`` touches the disk.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Collector, SiteError
from ..fs import ignored, read_bytes
from ..model.config import Config
from ..paths import link_problem, slugify
from .article import Article, parse_article
from .classify import Classifier
from .html import parse_html
from .pages import Planned, plan
from .record import is_html, is_record, read_record, record_path
from .write import apply, generated_pages, ingested_addresses, seed_slugs

if TYPE_CHECKING:
    from .fetch import Fetcher


def seed_files(config: Config) -> list[Path]:
    """The articles in seeds/: plain text, or saved web pages (.html, .htm); a fetched page's
    record beside it (.source.yaml) is not an article."""
    if not config.seeds_dir.is_dir():
        return []
    return sorted(p for p in config.seeds_dir.iterdir() if p.is_file() and not ignored(p.name) and not is_record(p))


def read_seed(config: Config, path: Path, data: bytes) -> Article:
    """One seed as an Article: a web page (with the record of its fetch, if any) or plain text."""
    shown = config.shown(path)
    if is_html(path):
        record = record_path(path)
        return parse_html(data, shown, read_record(record, config.shown(record)))
    return parse_article(data, shown)


def require_themes(config: Config) -> None:
    """Ingesting sorts paragraphs into themes: a plain site (``new`` without ``--articles``) has none yet."""
    if not config.themes:
        raise SiteError(config.shown(config.path), None, "ingest sorts each paragraph of an article into one of "
                        "the site's themes, and site.yaml has none; add a themes: list (the site that "
                        "'site-builder new --articles DIR' makes has a starter set to copy)")


def ingest(config: Config, files: list[Path] | None = None, force: bool = False) -> list[str]:
    """Ingest ``files`` (default: every file in seeds/). Returns the report, line by line."""
    everything = not files
    # a named file keeps the name it was given (a link is not replaced by its target)
    paths = [Path(os.path.abspath(p)) for p in files] if files else seed_files(config)
    if not paths:
        return [f"no articles in {config.shown(config.seeds_dir)}/: put an article there (a .txt file or a saved "
                "web page), or fetch one: site-builder ingest https://…"]
    require_themes(config)
    errors = Collector()
    articles: list[tuple[Path, str, Article]] = []
    roots = config.roots()
    for path in paths:
        shown = config.shown(path)
        problem = link_problem(path, roots) if any(path.is_relative_to(r) for r in roots) else None
        if problem:  # a file named outside the project on the command line is the user's choice
            errors.error(shown, None, problem)
            continue
        try:
            articles.append((path, shown, read_seed(config, path, read_bytes(path, shown))))
        except SiteError as e:
            errors.add(e)
    errors.raise_if_any()  # one bad seed: nothing is written

    existing = generated_pages(config)
    known = seed_slugs(existing)
    classifier = Classifier(config.themes, config.default_theme)
    classifier.fit(_paragraphs(config, [a for _, _, a in articles], everything))
    taken: set[str] = set()
    plans: list[Planned] = []
    for path, shown, art in articles:
        slug = known.get(shown) or slugify(art.title, short=True)
        base, i = slug, 2
        while slug in taken:
            slug, i = f"{base}-{i}", i + 1
        taken.add(slug)
        plans.append(plan(art, slug, shown, config, classifier))
    return apply(config, plans, existing, everything, force)


def _paragraphs(config: Config, articles: list[Article], everything: bool) -> list[str]:
    """The paragraphs that keyword frequencies are counted over: every seed's, also when only
    some seeds are ingested, so a paragraph sorts the same either way."""
    texts = [b.text for a in articles for b in a.blocks if b.kind != "heading"]
    if not everything:
        given = {a.path for a in articles}
        for path in seed_files(config):
            if config.shown(path) not in given:
                try:
                    texts += [b.text for b in read_seed(config, path, read_bytes(path, str(path))).blocks
                              if b.kind != "heading"]
                except SiteError:
                    continue  # an unreadable seed counts for nothing here; ingesting it says why
    return texts


def ingest_urls(config: Config, urls: list[str], fetcher: "Fetcher", force: bool = False) -> tuple[
        list[str], list[SiteError]]:
    """Fetch each page into seeds/ (with its record), then ingest the ones fetched. Returns the
    report and the URLs that failed (nothing is written for those)."""
    from . import web

    errors: list[SiteError] = []
    pages = web.fetch_pages(urls, fetcher, errors)
    return _save_and_ingest(config, pages, force), errors


def ingest_feed(config: Config, source: str, fetcher: "Fetcher", limit: int | None = None,
                force: bool = False) -> tuple[list[str], list[SiteError]]:
    """The feed's entries that the site does not have yet (by canonical address), at most
    ``limit`` of them: each from its full text in the feed, else fetched from its link."""
    from . import feed, web

    data, base = _read_feed(source, fetcher)
    entries = feed.entries(data, source, base)
    known = {feed.canonical(u) for u in [*web.known_seeds(config), *ingested_addresses(generated_pages(config))]}
    new = [e for e in dict((feed.canonical(e.link), e) for e in entries).values()
           if feed.canonical(e.link) not in known]
    todo = new[:limit] if limit is not None else new
    report = [f"feed {source}: {len(entries)} entries, {len(entries) - len(new)} already ingested, "
              f"{len(new)} new" + (f", ingesting {len(todo)} (--limit {limit})" if len(todo) < len(new) else "")]
    errors: list[SiteError] = []
    pages = []
    for e in todo:
        about = {"feed": source, "title": e.title, "author": e.author, "published": e.published}
        try:
            if e.content:
                record = web.Record(url=e.link, fetched_at=web.now(), content_type="text/html; charset=utf-8",
                                    **about)  # type: ignore[arg-type]
                pages.append(web.checked(e.link, feed.page_of(e), record, fetched=False))
            else:
                r = fetcher.page(e.link)
                pages.append(web.checked(e.link, r.body, web.record_of(r, **about)))
        except SiteError as err:
            errors.append(err)
    return report + _save_and_ingest(config, pages, force), errors


def _read_feed(source: str, fetcher: "Fetcher") -> tuple[bytes, str]:
    """(the feed's bytes, its address for relative links): fetched, or read from a file."""
    from .fetch import FEED_TYPES

    if source.startswith(("http://", "https://")):
        r = fetcher.page(source, FEED_TYPES)
        return r.body, r.final_url
    try:
        return Path(source).read_bytes(), ""
    except OSError as e:
        raise SiteError(source, None, f"cannot read the feed: {e.strerror}") from None


def _save_and_ingest(config: Config, pages: list, force: bool) -> list[str]:
    from . import web

    if not pages:
        return []
    paths = web.save(config, pages)
    return [web.fetched_line(config, p, path) for p, path in zip(pages, paths)] + ingest(config, paths, force)
