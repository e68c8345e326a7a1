"""The site as a whole, read and validated before anything is written: its pages (``pages``),
routes (``routes``), cross-page links (``links``), provenance and quoted facts (``facts``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Collector, SiteError
from ..fs import signature
from ..paths import path_problem, printable
from . import theme
from .config import CONFIG_NAME, Config
from .facts import check_facts, check_provenance
from .frontmatter import suggest_sorted
from .links import check_links, resolve_link
from .nav import Nav, build_nav
from .bundles import check_slugs, leaf_indexes, moved_files
from .pages import FIELDS, Page, check_indexes, read_pages, walk
from .plugins import warn_plugin_lines
from .publish import Publishing
from .routes import Route, assign_kinds, build_routes, page_link
from .urls import SCHEME, UnsafeUrl, Urls, clean_rel


@dataclass
class Site:
    config: Config
    pages: list[Page]
    assets: list[tuple[Path, str]]
    routes: dict[str, Route]
    by_rel: dict[str, Page]
    sources: dict[str, Page]              # article slug -> source page
    urls: Urls = field(init=False)
    links: dict[str, dict[str, str | None]] = field(default_factory=dict)  # page rel -> target -> url
    links_key: str = ""
    link_warnings: dict[str, list[SiteError]] = field(default_factory=dict)
    unpublished: dict[str, tuple[Page, str]] = field(default_factory=dict)  # rel -> (page, why it is left out)
    next_change: int = 0                 # ns since the epoch when a page goes live or expires; 0: never
    signatures: dict[str, Any] = field(default_factory=dict)   # content rel -> file signature
    fresh: set[str] = field(default_factory=set)               # pages read anew (not lent by the cache)
    files: set[str] = field(default_factory=set)               # every non-page file a link may name
    moved: dict[str, str] = field(default_factory=dict)        # content rel -> output rel of a bundle's file
    usage: dict[str, dict[str, list[Page]]] = field(default_factory=dict)  # source -> #pN -> pages
    warnings: list[SiteError] = field(default_factory=list)
    nav: Nav = field(default_factory=lambda: Nav([]))

    def __post_init__(self) -> None:
        self.urls = Urls(self.config.base_url)

    def __reduce__(self) -> tuple:
        """To a worker process: what rendering reads, without what this build learnt about its
        inputs (signatures, pages read anew, warnings) or memoised (URLs): the same site pickles
        to the same bytes from one build to the next, so the dev server's workers keep it
        (``processes.Kept``)."""
        return (_rendered, (self.config, self.pages, self.assets, self.routes, self.by_rel, self.sources,
                            dict(links=self.links, links_key=self.links_key, unpublished=self.unpublished,
                                 next_change=self.next_change, files=self.files, moved=self.moved, usage=self.usage, nav=self.nav)))

    def resolve_late(self, page: Page, target: str) -> str:
        """Resolve a link met while rendering that the scan did not see; an error names the page."""
        errors = Collector()
        url = resolve_link(self, page, target, 0, self.files, errors)
        if errors.errors:
            raise SiteError(page.shown, None, errors.errors[0].message)
        return url if url is not None else target

    def page_link(self, page: Page) -> str:
        """Site-relative URL of a content page (a part lives on its theme page, or on its own page
        when the theme has several articles)."""
        return page_link(self.routes, page)


def _warn_unknown_keys(pages: list[Page], errors: Collector) -> None:
    """Keys site_builder does not use (MkDocs' toc_depth, Hugo's categories…) are kept in
    ``page.meta`` for templates, with a warning: imported content builds, a typo is still seen; so
    is the text of MkDocs plugins' lines (``plugins``), which imported docs trees hold."""
    for page in pages:
        for key in page.meta:
            if key not in FIELDS:
                errors.warn(page.shown, page.line(key), f"front-matter key '{key}' is not one site_builder "
                            f"uses{suggest_sorted(key, FIELDS)}; it is kept in page.meta for templates")
        if page.scan.directives:
            warn_plugin_lines(page, errors)


def _rendered(config: Config, pages: list[Page], assets: list[tuple[Path, str]], routes: dict[str, Route],
              by_rel: dict[str, Page], sources: dict[str, Page], rest: dict[str, Any]) -> Site:
    return Site(config, pages, assets, routes, by_rel, sources, **rest)


def load_site(config: Config, publish: Publishing | None = None, previous: Any = None, jobs: int = 1,
              signatures: dict[str, Any] | None = None) -> Site:
    """Read and validate the whole site; raise every problem found, before any output.
    ``publish``: drafts, future and expired pages wanted (default: none of them).
    ``previous`` (the cache's State) lends pages whose file has not changed, already parsed."""
    publish = publish or Publishing()
    errors = Collector()
    files, assets = walk(config.content_dir, config, errors)
    check_indexes([rel for _, rel in files], config, errors)
    signatures, read, fresh = _read_all(files, config, previous, jobs, signatures or {})
    pages: list[Page] = []
    unpublished: dict[str, tuple[Page, str]] = {}
    for _, rel in files:
        page = read[rel]
        if isinstance(page, SiteError):
            errors.add(page)
            continue
        # derived anew below, for every page (the same string objects whether read or lent by the
        # cache: an unchanged site pickles to the same bytes, see Site.__reduce__)
        page.kind, page.theme = "page", ""
        why = publish.why_not(page.meta)
        if why is None:
            pages.append(page)
        else:
            unpublished[rel] = (page, why[0])
    errors.raise_if_any()
    _warn_unknown_keys(pages, errors)
    assign_kinds(pages, config, errors)
    # a leaf bundle's files go beside its page, wherever url: or slug: put it
    leaves = leaf_indexes(pages)
    check_slugs(pages, leaves, errors)
    moved = moved_files(pages, leaves, [rel for _, rel in assets])
    assets = [(path, moved.get(rel, rel)) for path, rel in assets]
    routes = build_routes(config, pages, errors)
    site = Site(config=config, pages=pages, assets=assets, routes=routes,
                by_rel={p.rel: p for p in pages}, sources=_sources(pages, errors))
    site.signatures = signatures
    site.moved = moved
    site.unpublished = unpublished
    site.next_change = publish.next_change(p.meta for p in [*pages, *(u for u, _ in unpublished.values())])
    site.fresh = fresh
    site.nav = build_nav(site, set(signatures), errors)
    check_extra_files(config, errors)
    errors.raise_if_any()
    check_links(site, assets, errors, previous)
    site.usage = check_provenance(site, errors)
    check_facts(site, errors)
    errors.raise_if_any()
    site.warnings = errors.warnings
    return site


def _read_all(files: list[tuple[Any, str]], config: Config, previous: Any, jobs: int,
              known_sigs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Page | SiteError], set[str]]:
    """Every page of ``files``: lent by ``previous`` (the cache's State) when its file has not
    changed, else read (on ``jobs`` cores). Returns each file's signature, each page or the error
    reading it, and the pages read anew."""
    known = previous.pages if previous is not None else {}
    reused: dict[str, Page] = {}
    signatures = {}
    unread: list[tuple[Path, str]] = []
    for path, rel in files:
        sig = known_sigs[path] if path in known_sigs else signature(path)  # the build's input scan stat-ed them
        signatures[rel] = sig
        cached = known.get(rel)
        if cached is not None and cached[0] == sig and previous.trusted(sig):
            reused[rel] = cached[1]
        else:
            unread.append((Path(path), rel))
    fresh = {rel: result for (_, rel), result in zip(unread, read_pages(unread, config, jobs))}
    return signatures, {rel: reused.get(rel) or fresh[rel] for _, rel in files}, set(fresh)


def _sources(pages: list[Page], errors: Collector) -> dict[str, Page]:
    """The source articles by slug (two of one name: an error)."""
    sources: dict[str, Page] = {}
    for page in pages:
        if page.kind == "source":
            if page.slug in sources:
                errors.error(page.shown, 1, f"two source articles named '{page.slug}' "
                             f"(also {sources[page.slug].shown}); rename one")
            sources[page.slug] = page
    return sources


def check_extra_files(config: Config, errors: Collector) -> None:
    """``extra_css`` and ``extra_js``: web addresses, or files under static/ (the site's or the theme's)."""
    static = [config.static_dir, *(d / "static" for d in theme.template_dirs(config))]
    for key, items in (("extra_css", config.extra_css), ("extra_js", config.extra_js)):
        for value, line in items:
            if SCHEME.match(value) or value.startswith("//"):
                if value.partition(":")[0].lower() not in ("http", "https"):
                    errors.error(CONFIG_NAME, line, f"{key}: '{printable(value)}' is neither a file under "
                                 "static/ nor a web address (https://…)")
                continue
            try:
                rel = clean_rel(value)
            except UnsafeUrl:
                rel = ""
            if not rel or path_problem(rel) or rel.endswith("/"):
                errors.error(CONFIG_NAME, line, f"{key}: '{printable(value)}' must be a file under static/, "
                             f"e.g. {'css/extra.css' if key == 'extra_css' else 'js/extra.js'}")
            elif not any((d / rel).is_file() for d in static):
                errors.error(CONFIG_NAME, line, f"{key}: no file static/{printable(rel)}; put the file there "
                             "or fix the path")
