"""The record kept beside a fetched page: ``seeds/<name>.html`` + ``seeds/<name>.source.yaml``.

It says where the page came from and when, so that a build never needs the network and the
site can always be rebuilt from what was fetched. A feed entry whose content the feed carried
also keeps the feed's title, author and date for it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..errors import SiteError
from ..fs import read_text
from ..model.frontmatter import check_fields
from ..model.yamlfile import LineDict, load_yaml

SUFFIX = ".source.yaml"
HTML_SUFFIXES = (".html", ".htm")
_FIELDS: dict[str, Any] = {"url": str, "final_url": str, "fetched_at": str, "status": int, "content_type": str,
                           "feed": str, "title": str, "author": str, "published": "date"}


@dataclass(frozen=True)
class Record:
    url: str                         # as asked for
    final_url: str = ""              # after redirects
    fetched_at: str = ""             # UTC, ISO 8601
    status: int = 200
    content_type: str = ""           # as the server sent it (its charset decodes the page)
    feed: str = ""                   # the feed the entry came from
    title: str = ""                  # the feed's title, author and date of the entry
    author: str = ""
    published: dt.date | None = None

    @property
    def address(self) -> str:
        return self.final_url or self.url

    @property
    def charset(self) -> str:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip("\"'")
        return ""

    @property
    def retrieved(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.fetched_at[:10])
        except ValueError:
            return None

    def dump(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if v not in ("", None)}
        if self.published:
            data["published"] = self.published.isoformat()
        head = ("# Where site-builder fetched the page beside this file, and when (site-builder ingest URL).\n"
                "# A build reads only the saved page: it never needs the network again.\n")
        return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def record_path(seed: Path) -> Path:
    return seed.with_name(seed.name.rsplit(".", 1)[0] + SUFFIX)


def is_record(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def is_html(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


def http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(ch <= " " for ch in value)


def read_record(path: Path, shown: str) -> Record | None:
    """The record beside a seed (None when there is none); every problem is ``file:line``."""
    if not path.is_file():
        return None
    data = load_yaml(read_text(path, shown), shown, what="a source record")
    if not isinstance(data, LineDict):
        raise SiteError(shown, 1, "a source record is 'key: value' lines (url, final_url, fetched_at…)")
    values = check_fields(data, shown, _FIELDS, "source record")
    for key in ("url", "final_url", "feed"):
        if key in values and not http_url(values[key]) and not (key == "feed" and values[key]):
            raise SiteError(shown, data.line_of(key), f"{key} '{values[key]}' is not an http(s) address")
    if "url" not in values:
        raise SiteError(shown, 1, "a source record needs 'url': the address the page was fetched from")
    return Record(**values)
