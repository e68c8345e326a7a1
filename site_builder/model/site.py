"""The site as a whole: routes (every output page), cross-page links, provenance and quoted
facts — all validated before anything is written."""
from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .config import Config
from .content import Page, load_body, read_pages, static_files, walk
from .errors import Collector, SiteError
from .frontmatter import LineDict, check_fields, read_text, suggest
from .markup import is_unsafe_target
from .paths import example_name, link_problem, printable, segment_problem
from .urls import Urls, slugify


@dataclass
class Route:
    """One output page: generated (home, theme, section, tag…) or a content page."""
    url: str
    kind: str                # home theme section tags tag about terms search 404 page source
    title: str
    template: str
    page: Page | None = None     # the content page it renders (page, source)
    intro: Page | None = None    # a content page at this URL that introduces it
    key: str = ""                # theme id, section path or tag slug
    members: list[Page] = field(default_factory=list)
    owner: str = ""              # how an error names what made it: 'content/a.md', 'the home page'


@dataclass
class Site:
    config: Config
    pages: list[Page]
    assets: list[tuple[Path, str]]
    routes: dict[str, Route]
    by_rel: dict[str, Page]
    sources: dict[str, Page]              # article slug -> source page
    parts: dict[str, list[Page]]          # theme id -> parts, oldest article first
    urls: Urls = field(init=False)
    links: dict[str, dict[str, str | None]] = field(default_factory=dict)  # page rel -> target -> url
    links_key: str = ""
    link_warnings: dict[str, list[SiteError]] = field(default_factory=dict)
    signatures: dict[str, Any] = field(default_factory=dict)   # content rel -> file signature
    fresh: set[str] = field(default_factory=set)               # pages read anew (not lent by the cache)
    files: set[str] = field(default_factory=set)               # every non-page file a link may name
    usage: dict[str, dict[str, list[Page]]] = field(default_factory=dict)  # source -> #pN -> pages
    warnings: list[SiteError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.urls = Urls(self.config.base_url)

    def resolve_late(self, page: Page, target: str) -> str:
        """Resolve a link met while rendering that the scan did not see; an error names the page."""
        errors = Collector()
        url = _resolve(self, page, target, 0, self.files, errors)
        if errors.errors:
            raise SiteError(page.shown, None, errors.errors[0].message)
        return url if url is not None else target

    def page_link(self, page: Page) -> str:
        """Site-relative URL of a content page (a part lives on its theme page)."""
        if page.kind == "part":
            return f"{page.theme}/#{page.slug}"
        return page.url


def _newest_first(pages: list[Page]) -> list[Page]:
    return sorted(pages, key=lambda p: (-(p.date or dt.date.min).toordinal(), p.meta.get("weight", 0), p.title, p.rel))


def _assign_kinds(pages: list[Page], config: Config, errors: Collector) -> None:
    theme_ids = {t.id for t in config.themes}
    for page in pages:
        top = page.rel.split("/", 1)[0] if "/" in page.rel else ""
        theme = page.meta.get("theme", "")
        if theme and theme not in theme_ids:
            errors.error(page.shown, page.line("theme"), f"unknown theme '{theme}'"
                         f"{_suggest(theme, theme_ids)}; themes are set in site.yaml")
        if "seed" in page.meta:
            page.kind = "source"
        elif top in theme_ids and page.rel.count("/") == 1 and page.slug not in ("index", "_index"):
            page.kind, page.theme = "part", top
            if theme and theme != top:
                errors.error(page.shown, page.line("theme"), f"this page is in the '{top}' theme "
                             f"folder but says theme: {theme}; move it or remove the line")
        else:
            page.theme = theme or (top if top in theme_ids else "")


def _suggest(word: str, choices: Any, cutoff: float = 0.6) -> str:
    return suggest(word, sorted(choices), cutoff)


def build_routes(config: Config, pages: list[Page], errors: Collector) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    owner: dict[str, str] = {}

    def add(route: Route, who: str) -> None:
        if route.url in routes:
            errors.error(who, 1, f"URL /{route.url} is also produced by {owner[route.url]}; "
                         "rename one of them or give it a different slug")
            return
        routes[route.url] = route
        owner[route.url] = route.owner = who

    add(Route("", "home", config.title, "index.html"), "the home page")
    add(Route("404.html", "404", "Page not found", "404.html"), "the 404 page")
    add(Route("about/", "about", "About this site", "about.html"), "the About page")
    if config.search:
        add(Route("search/", "search", "Search", "search.html"), "the search page")
    parts = [p for p in pages if p.kind == "part"]
    for theme in config.themes:
        members = [p for p in parts if p.theme == theme.id]
        if members:
            add(Route(f"{theme.id}/", "theme", theme.title, "theme.html", key=theme.id,
                      members=sorted(members, key=lambda p: (p.date or dt.date.min, p.rel))),
                f"the '{theme.id}' theme page")
    if any(p.meta.get("terms") for p in pages):
        add(Route("terms/", "terms", "Key terms", "terms.html"), "the Key terms page")
    sections: dict[str, list[Page]] = {}
    tags: dict[str, list[Page]] = {}
    names: dict[str, str] = {}
    for page in pages:
        for tag in page.meta.get("tags", []):
            problem = segment_problem(slugify(tag))
            if problem:  # 'CON' → tags/con/, which Windows cannot hold
                errors.error(page.shown, page.line("tags"), f"tag '{printable(tag)}' makes the URL "
                             f"/tags/{slugify(tag)}/, whose name {problem}; use another word")
            names.setdefault(slugify(tag), tag)
    for page in _newest_first(pages):  # sorted once: every list below is in this order
        if page.kind in ("page", "source") and page.section:
            sections.setdefault(page.section, []).append(page)
        for tag in page.meta.get("tags", []):
            tags.setdefault(slugify(tag), []).append(page)
    for section, members in sorted(sections.items()):
        title = "Sources" if section == "sources" else section.rsplit("/", 1)[-1].replace("-", " ").capitalize()
        add(Route(f"{section}/", "section", title, "list.html", key=section, members=members),
            f"the '{section}' section list")
    if tags:
        add(Route("tags/", "tags", "Tags", "tags.html"), "the tag index")
        for slug, members in sorted(tags.items()):
            add(Route(f"tags/{slug}/", "tag", f"{names[slug]}", "list.html", key=slug, members=members),
                f"the tag page for '{names[slug]}'")
    for page in pages:
        if page.kind == "part":
            continue
        if page.url in routes and routes[page.url].page is None and page.kind != "source":
            route = routes[page.url]
            if route.intro is not None:
                errors.error(page.shown, 1, f"URL /{page.url} is also produced by {route.intro.shown}; "
                             "rename one of them or give it a different slug")
            route.intro = page
            page.kind = "intro"
            continue
        add(Route(page.url, page.kind, page.title, page.meta.get("template")
                  or ("source.html" if page.kind == "source" else "page.html"), page=page), page.shown)
    return routes


_PLAIN_MD_LINK = re.compile(r"^[\w.\-/]+\.md(?:#[\w\-]*)?$")


def _resolve(site: Site, page: Page, target: str, line: int, files: set[str], errors: Collector) -> str | None:
    if _PLAIN_MD_LINK.match(target):  # the common case, without the general parsing below
        path, _, frag = target.partition("#")
        other = site.by_rel.get(posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path)))
        if other is not None:
            link = site.page_link(other)
            return site.urls.url(link.partition("#")[0] + "#" + frag if frag else link)
    urls_ = site.urls
    t = target.strip()
    if is_unsafe_target(t):
        errors.warn(page.shown, line, f"link to '{t[:40]}' dropped: javascript:, vbscript: "
                    "and data: links are not allowed")
        return None
    parts = urlsplit(t)
    if parts.scheme or t.startswith("//") or t.startswith("#") or not t:
        return t
    path, frag = unquote(parts.path), ("#" + parts.fragment if parts.fragment else "")
    if t.startswith("/"):
        rel = path.lstrip("/")
        if rel in site.routes or rel + "/" in site.routes or rel in files:
            return urls_.url(rel if rel in site.routes or rel in files else rel + "/") + frag
        errors.error(page.shown, line, f"broken link: /{rel} is not a page or file of this site")
        return t
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path))
    if joined == ".." or joined.startswith("../"):
        errors.error(page.shown, line, f"broken link: {path} points outside content/")
        return t
    if joined.endswith(".md"):
        other = site.by_rel.get(joined)
        if other is None:
            errors.error(page.shown, line, f"broken link: {path} (no page content/{joined})"
                         f"{_suggest(joined, site.by_rel, 0.85)}")
            return t
        link = site.page_link(other)
        return urls_.url(link.partition("#")[0] + frag if frag else link)
    if joined in files:
        return urls_.url(joined) + frag
    errors.error(page.shown, line, f"broken link: {path} (no file content/{joined}); "
                 "link to a .md page or to a file in content/ or static/")
    return t


def links_key(site: Site, files: set[str]) -> str:
    """What link resolution depends on besides the page itself: every URL and file of the site."""
    from .cache import digest

    return digest(site.config.base_url, sorted((p.rel, site.page_link(p)) for p in site.pages),
                  sorted(site.routes), sorted(files))


def _check_links(site: Site, assets: list[tuple[Path, str]], errors: Collector, previous: Any) -> None:
    files = site.files = {rel for _, rel in assets} | set(static_files(site.config))
    site.links_key = links_key(site, files)
    reuse = previous.links if previous is not None and previous.links_key == site.links_key else {}
    memo: dict[tuple[str, str], str | None] = {}  # pages of one folder link to the same targets
    for page in site.pages:
        known = reuse.get(page.rel)
        if known and known[0] == page.digest:
            site.links[page.rel] = known[1]
            errors.warnings.extend(known[2])
            continue
        before = len(errors.warnings)
        folder = posixpath.dirname(page.rel)
        resolved: dict[str, str | None] = {}
        for target, line in page.scan.links:
            key = (folder, target)
            if key in memo:
                resolved[target] = memo[key]
                continue
            problems = len(errors.errors) + len(errors.warnings)
            resolved[target] = _resolve(site, page, target, line, files, errors)
            if len(errors.errors) + len(errors.warnings) == problems:
                memo[key] = resolved[target]  # only clean answers: a problem is reported per page and line
        site.links[page.rel] = resolved
        site.link_warnings[page.rel] = errors.warnings[before:]


def _norm(text: str) -> str:
    return " ".join(text.split())


_FACT_FIELDS: dict[str, dict[str, Any]] = {
    "figures": {"id": str, "value": float, "unit": str, "label": str, "text": str, "source": str,
                "display": str, "kind": str, "of": str, "currency": str, "scale": str},
    "lists": {"id": str, "title": str, "items": [str], "text": str, "source": str},
    "terms": {"term": str, "text": str, "source": str, "definition": str},
}
_FACT_REQUIRED = {"figures": ("value", "label", "text", "source"), "lists": ("title", "items", "source"),
                  "terms": ("term", "source")}


def _source_text(site: Site, source: Page, errors: Collector) -> str:
    """The article a source page was made from: its seed file when present, else its body.
    A seed reached through a symbolic link that leaves the project is never read."""
    seed = source.meta.get("seed", "")
    path = Path(os.path.normpath(site.config.root / seed))
    roots = site.config.roots()
    if seed and any(path.is_relative_to(r) for r in roots) and path.is_file():
        problem = link_problem(path, roots)
        if problem:
            errors.error(source.shown, source.line("seed"), f"seed '{printable(seed)}' is a {problem}")
            return _norm(load_body(source))
        try:
            return _norm(read_text(path, site.config.shown(path)))
        except SiteError as e:
            errors.add(e)
    return _norm(load_body(source))


def _check_provenance(site: Site, errors: Collector) -> dict[str, dict[str, list[Page]]]:
    """Every ``data-src`` names a real source paragraph. Returns source -> id -> pages using it."""
    usage: dict[str, dict[str, list[Page]]] = {}
    ids = {slug: {i for i, _ in src.scan.ids} for slug, src in site.sources.items()}
    for page in site.pages:
        for ref, line in page.scan.refs:
            slug, _, para = ref.partition("#")
            if slug not in site.sources:
                errors.error(page.shown, line, f"data-src '{ref}': no source article '{slug}'"
                             f"{_suggest(slug, site.sources)}")
            elif para not in ids[slug]:
                errors.error(page.shown, line, f"data-src '{ref}': {site.sources[slug].shown} has "
                             f"no paragraph #{para}")
            else:
                usage.setdefault(slug, {}).setdefault(para, []).append(page)
    return usage


def _check_facts(site: Site, errors: Collector) -> None:
    """Figures, lists and terms must be quoted from their source: hand edits cannot drift."""
    texts: dict[str, str] = {}
    for page in site.pages:
        for key, fields in _FACT_FIELDS.items():
            for item in page.meta.get(key, []):
                line = item.line if isinstance(item, LineDict) else page.line(key)
                if not isinstance(item, LineDict):
                    errors.error(page.shown, line, f"each entry of '{key}' must be a mapping")
                    continue
                try:
                    values = check_fields(item, page.shown, fields, f"{key} entry")
                except SiteError as e:
                    errors.add(e)
                    continue
                missing = [k for k in _FACT_REQUIRED[key] if k not in values]
                if missing:
                    errors.error(page.shown, line, f"this {key} entry needs '{missing[0]}'")
                    continue
                problem = segment_problem(values["id"]) if "id" in values else None
                if problem:  # an id becomes part of HTML ids and #fragments
                    errors.error(page.shown, item.line_of("id"), f"{key[:-1]} id '{printable(values['id'])}' "
                                 f"{problem}; e.g. id: {example_name(values['id'], segment=True)}")
                    continue
                item.update(values)
                slug = values["source"].partition("#")[0]
                source = site.sources.get(slug)
                if source is None:
                    errors.error(page.shown, item.line_of("source"), f"source '{values['source']}': "
                                 f"no source article '{slug}'{_suggest(slug, site.sources)}")
                    continue
                if slug not in texts:
                    texts[slug] = _source_text(site, source, errors)
                quoted = [values.get("text") or values.get("term", "")] + values.get("items", [])
                for q in quoted:
                    if q and _norm(q) not in texts[slug]:
                        errors.error(page.shown, item.line_of("text" if "text" in values else "term"),
                                     f"'{q[:60]}' does not occur in the source article {slug}; "
                                     "quote the source exactly or run 'site-builder ingest --force'")
                        break


def load_site(config: Config, drafts: bool = False, previous: Any = None, jobs: int = 1,
              signatures: dict[str, Any] | None = None) -> Site:
    """Read and validate the whole site; raise every problem found, before any output.
    ``previous`` (the cache's State) lends pages whose file has not changed, already parsed."""
    from .cache import signature

    errors = Collector()
    files, assets = walk(config.content_dir, config, errors)
    known = previous.pages if previous is not None else {}
    reused: dict[str, Page] = {}
    known_sigs = signatures or {}  # the build's input scan has stat-ed every file already
    signatures = {}
    unread: list[tuple[Path, str]] = []
    for path, rel in files:
        sig = known_sigs[path] if path in known_sigs else signature(path)
        signatures[rel] = sig
        cached = known.get(rel)
        if cached is not None and cached[0] == sig and previous.trusted(sig):
            page = cached[1]
            page.kind, page.theme = "page", ""  # derived anew below, for every page
            reused[rel] = page
        else:
            unread.append((Path(path), rel))
    fresh = {rel: result for (_, rel), result in zip(unread, read_pages(unread, config, jobs))}
    pages: list[Page] = []
    for _, rel in files:
        page = reused.get(rel) or fresh[rel]
        if isinstance(page, SiteError):
            errors.add(page)
        elif drafts or not page.meta.get("draft"):
            pages.append(page)
    errors.raise_if_any()
    _assign_kinds(pages, config, errors)
    routes = build_routes(config, pages, errors)
    sources: dict[str, Page] = {}
    for page in pages:
        if page.kind == "source":
            if page.slug in sources:
                errors.error(page.shown, 1, f"two source articles named '{page.slug}' "
                             f"(also {sources[page.slug].shown}); rename one")
            sources[page.slug] = page
    parts = {key: route.members for route in routes.values() if route.kind == "theme"
             for key in [route.key]}
    site = Site(config=config, pages=pages, assets=assets, routes=routes,
                by_rel={p.rel: p for p in pages}, sources=sources, parts=parts)
    site.signatures = signatures
    site.fresh = {rel for _, rel in unread}
    errors.raise_if_any()
    _check_links(site, assets, errors, previous)
    site.usage = _check_provenance(site, errors)
    _check_facts(site, errors)
    errors.raise_if_any()
    site.warnings = errors.warnings
    return site
