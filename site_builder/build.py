"""Build: validate everything, render into a temporary folder, swap it in atomically.

A failed or interrupted build leaves the previous output byte-for-byte intact.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import errno
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import feeds
from .config import Config
from .content import static_files
from .site import Route, Site, load_site
from .errors import Collector, SiteError
from .frontmatter import suggest
from .render import Renderer, file_version
from .templates import dependencies
from .urls import Urls, output_file

MARKER = ".nojekyll"  # always written: GitHub Pages must not run Jekyll, and it marks our output


@dataclass
class BuildResult:
    out: Path
    pages: int
    seconds: float
    files: list[str] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)


def _epoch() -> dt.date:
    """The date used when content has none: SOURCE_DATE_EPOCH, never the wall clock."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde.isdigit():
        return dt.datetime.fromtimestamp(int(sde), dt.timezone.utc).date()
    return dt.date(1970, 1, 1)


def route_date(route: Route, site: Site) -> dt.date | None:
    page = route.page or route.intro
    day = page.meta.get("updated") or page.meta.get("date") if page else None
    members = [p.meta.get("updated") or p.date for p in route.members]
    dates = [d for d in [day, *members] if d]
    if route.kind == "home":
        dates += [p.meta.get("updated") or p.date for p in site.pages if p.date]
    return max(dates, default=None)


def render_site(site: Site, statics: dict[str, Path]) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path in the output folder. Pure."""
    config = site.config
    versions = {rel: file_version(path.read_bytes()) for rel, path in statics.items()
                if rel.endswith((".css", ".js", ".svg"))}
    renderer = Renderer(site, versions)
    errors = Collector()
    known = set(renderer.env.list_templates())
    for r in site.routes.values():
        if r.template not in known:
            who = r.page or r.intro
            errors.error(who.shown if who else "templates", who.line("template") if who else None,
                         f"template '{r.template}' not found{suggest(r.template, known, 0.8)}; "
                         "create it in templates/ or fix the name")
    errors.raise_if_any()
    dependencies(renderer.env, config, sorted({r.template for r in site.routes.values()}))
    out: dict[str, bytes] = {}
    for route in site.routes.values():
        try:
            out[output_file(route.url)] = renderer.render(route).encode()
        except SiteError as e:
            errors.add(e)
    errors.raise_if_any()
    urls, epoch = renderer.urls, _epoch()
    html_routes = [r for r in site.routes.values() if r.kind not in ("404", "search")]
    out["sitemap.xml"] = feeds.sitemap(urls, [(r.url, route_date(r, site)) for r in html_routes]).encode()
    entries = [(r.url, r.title, renderer.summary(r), route_date(r, site))
               for r in site.routes.values() if r.kind in ("source", "theme", "page")]
    entries.sort(key=lambda e: (e[3] or epoch, e[0]), reverse=True)
    out["feed.xml"] = feeds.atom(urls, config.title, config.description, config.author,
                                 config.language, entries[:50], epoch).encode()
    out["robots.txt"] = feeds.robots(urls).encode()
    out[MARKER] = b""
    if config.cname:
        out["CNAME"] = config.cname.strip().encode() + b"\n"
    return out


# --- writing -----------------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _swap_in(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.rename(tmp, out)
    elif _exchange(tmp, out):
        shutil.rmtree(tmp)  # now holds the previous site
    else:
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        os.rename(tmp, out)
        shutil.rmtree(old, ignore_errors=True)


def _clean_leftovers(out: Path) -> None:
    """Remove temporary folders that a killed build left behind (their process is gone)."""
    for p in out.parent.glob(f".{out.name}.*-*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                os.kill(int(pid), 0)
                continue  # still running
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
            shutil.rmtree(p, ignore_errors=True)


def _check_out(out: Path, config: Config) -> None:
    if out.exists() and not out.is_dir():
        raise SiteError(config.shown(out), None, "output path exists and is not a folder; "
                                                 "remove it or choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(config.shown(out), None, "output folder exists and was not made by "
                                                 "site-builder (no .nojekyll); empty it or choose another --out")
    for d in (config.content_dir, config.templates_dir, config.seeds_dir, config.static_dir, config.root):
        if out == d or d.is_relative_to(out):
            raise SiteError(config.shown(out), None, f"output folder would replace {config.shown(d) or '.'}; "
                                                     "choose another --out")


def write_tree(out: Path, files: dict[str, bytes], copies: dict[str, Path], after=None) -> None:
    """Write ``files`` and copy ``copies`` into a fresh sibling of ``out``, then swap it in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out)
    tmp = out.with_name(f".{out.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        made: set[str] = set()
        for rel in sorted(set(files) | set(copies)):
            target = tmp / rel
            parent = target.parent.as_posix()
            if parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(parent)
            if rel in files:
                target.write_bytes(files[rel])
            else:
                shutil.copyfile(copies[rel], target)
        if after is not None:
            after(tmp)
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def build(config: Config, out: Path | None = None, drafts: bool = False) -> BuildResult:
    t0 = time.perf_counter()
    out = (out or config.output_dir).resolve()
    _check_out(out, config)
    site = load_site(config, drafts=drafts)
    statics = static_files(config)
    files = render_site(site, statics)
    copies = {rel: path for path, rel in site.assets}
    copies.update({rel: path for rel, path in statics.items() if rel not in files})
    after = None
    if config.search:
        from .search import index_site

        after = index_site
    try:
        write_tree(out, files, copies, after)
    except OSError as e:
        what = "No space left on device; free some space" if e.errno == errno.ENOSPC else e.strerror
        raise SiteError(config.shown(out), None, f"cannot write the site: {what}. "
                                                 "The previous site is unchanged") from None
    pages = sum(1 for f in files if f.endswith(".html"))
    return BuildResult(out, pages, time.perf_counter() - t0, sorted(files), site.warnings)
