"""``ingest URL…`` and ``ingest --feed``: pages fetched into ``seeds/``, then ingested.

Each page is fetched and read (an article must be found in it) before anything is written; then
its raw HTML goes to ``seeds/NAME.html`` with its record ``seeds/NAME.source.yaml`` (the address
and the date it was fetched), so a build never needs the network. A URL that fails writes nothing
and is one line of the errors, ``URL: reason``; the others go on.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import SiteError
from ..fs import write_atomic
from ..model.config import Config
from ..paths import slugify
from .fetch import STAMP, Fetcher, Response
from .html import parse_html
from .record import Record, is_html, read_record, record_path


@dataclass
class Fetched:
    url: str
    html: bytes
    record: Record
    fetched: bool = True        # False: the feed carried the entry's text


def fetch_pages(urls: list[str], fetcher: Fetcher, errors: list[SiteError]) -> list[Fetched]:
    """Each URL fetched and checked to hold an article; a failure is added to ``errors``."""
    out: list[Fetched] = []
    for url in dict.fromkeys(urls):
        try:
            r = fetcher.page(url)
            out.append(checked(url, r.body, record_of(r)))
        except SiteError as e:
            errors.append(e)
    return out


def record_of(r: Response, **feed: object) -> Record:
    return Record(url=r.url, final_url=r.final_url if r.final_url != r.url else "", fetched_at=r.fetched_at,
                  content_type=r.content_type, **feed)  # type: ignore[arg-type]


def checked(url: str, html: bytes, record: Record, fetched: bool = True) -> Fetched:
    """The page, once it is known to hold an article (else the reader's error, as ``URL: …``)."""
    try:
        parse_html(html, url, record)
    except SiteError as e:
        raise SiteError(url, None, e.message) from None
    return Fetched(url, html, record, fetched)


def save(config: Config, pages: list[Fetched]) -> list[Path]:
    """Write each page and its record into seeds/: a page fetched before keeps its file (it is
    fetched again: the newer copy replaces it); a new one gets a name from its address."""
    by_url = known_seeds(config)
    taken = {p.name.rsplit(".", 1)[0] for p in config.seeds_dir.glob("*")} if config.seeds_dir.is_dir() else set()
    paths = []
    for page in pages:
        path = by_url.get(page.url)
        if path is None:
            stem = base = seed_stem(page.record.address)
            i = 2
            while stem in taken or stem + ".source" in taken:
                stem, i = f"{base}-{i}", i + 1
            taken.add(stem)
            path = config.seeds_dir / f"{stem}.html"
        write_atomic(path, page.html)
        write_atomic(record_path(path), page.record.dump())
        paths.append(path)
    return paths


def seed_stem(url: str) -> str:
    """A file name from an address: its last meaningful path segment, else its host."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    for seg in reversed(segments):
        seg = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", seg, flags=re.I)
        if seg.lower() not in ("index", "default", "article", "story", "amp") and re.search(r"[A-Za-z]{3}", seg):
            return slugify(seg)
    return slugify((parts.hostname or "page") + " " + " ".join(segments))


def known_seeds(config: Config) -> dict[str, Path]:
    """Every address a seed was fetched from (asked for and after redirects) → its HTML file."""
    out: dict[str, Path] = {}
    if not config.seeds_dir.is_dir():
        return out
    for page in sorted(config.seeds_dir.iterdir()):
        if not is_html(page):
            continue
        try:
            record = read_record(record_path(page), config.shown(record_path(page)))
        except SiteError:
            continue  # a broken record is reported when its page is ingested
        if record:
            out.setdefault(record.url, page)
            if record.final_url:
                out.setdefault(record.final_url, page)
    return out


def fetched_line(config: Config, page: Fetched, path: Path) -> str:
    moved = f" (→ {page.record.final_url})" if page.record.final_url else ""
    how = "fetched" if page.fetched else "from the feed:"
    return f"{how} {page.url}{moved} → {config.shown(path)} ({len(page.html) / 1000:.0f} kB)"


def now() -> str:
    """The time of a fetch, as records keep it: UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime(STAMP)
