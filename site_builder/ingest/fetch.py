"""Fetch web pages politely: a clear user agent, timeouts, a redirect limit, a size limit and
``robots.txt``. urllib3 (trafilatura's own HTTP client) does the HTTP; every way a fetch can fail
is a ``SiteError(url, None, reason)``, which the command line prints as one line,
``https://example.org/x: 404 Not Found``.
"""
from __future__ import annotations

import datetime as dt
import http
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

from .. import __version__
from ..errors import SiteError

USER_AGENT = f"site-builder/{__version__} (static site generator; fetches the pages its user names)"
ROBOTS_AGENT = "site-builder"     # the name robots.txt rules address
MAX_BYTES = 5_000_000             # a web page's HTML; an article page is rarely over 1 MB
MAX_REDIRECTS = 5
TIMEOUT = 20.0                    # seconds for a whole response, connecting and reading included
STAMP = "%Y-%m-%dT%H:%M:%SZ"      # when a page was fetched: UTC, to the second
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "text/html")  # some servers send a feed as text/html


@dataclass
class Response:
    url: str                  # as asked for
    final_url: str            # after redirects
    content_type: str
    body: bytes
    fetched_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime(STAMP))


class Fetcher:
    """One client for a run: its connection pool and each site's robots.txt, read once."""

    def __init__(self, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        self.timeout, self.max_bytes = timeout, max_bytes
        self.pool = urllib3.PoolManager(retries=False)
        self.robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

    def page(self, url: str, types: tuple[str, ...] = HTML_TYPES) -> Response:
        """The page at ``url`` (redirects followed, each hop allowed by its site's robots.txt)."""
        check_url(url)
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._allowed(url, current)
            status, headers, body = self._get(url, current, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
                                              if types == HTML_TYPES else ", ".join(types) + ", */*;q=0.5")
            if status in (301, 302, 303, 307, 308) and headers.get("Location"):
                current = urljoin(current, headers["Location"])
                if urlsplit(current).scheme not in ("http", "https"):
                    raise SiteError(url, None, f"redirected to {current}, which is not a web address")
                continue
            if status != 200:
                raise SiteError(url, None, _status_line(status))
            ctype = headers.get("Content-Type", "")
            if ctype.split(";")[0].strip().lower() not in types:
                what = "web page" if types == HTML_TYPES else "feed"
                raise SiteError(url, None, f"not a {what} (Content-Type: {ctype or 'none'}); nothing written")
            return Response(url, current, ctype, body)
        raise SiteError(url, None, f"more than {MAX_REDIRECTS} redirects; nothing written")

    def _get(self, url: str, current: str, accept: str) -> tuple[int, dict[str, str], bytes]:
        """One GET, its body read within the time and size limits."""
        deadline = time.monotonic() + self.timeout
        try:
            # every request names us (a request's own headers would replace a pool's defaults)
            r = self.pool.request("GET", current, headers={"User-Agent": USER_AGENT, "Accept": accept,
                                                           "Accept-Encoding": "gzip, deflate"},
                                  redirect=False, preload_content=False,
                                  timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout))
        except urllib3.exceptions.NewConnectionError as e:  # (urllib3 makes it a kind of timeout)
            raise SiteError(url, None, f"cannot connect: {_reason(e)}; nothing written") from None
        except urllib3.exceptions.TimeoutError:
            raise SiteError(url, None, f"no answer within {self.timeout:g} s (timed out); nothing written") from None
        except urllib3.exceptions.HTTPError as e:
            raise SiteError(url, None, f"cannot connect: {_reason(e)}; nothing written") from None
        try:
            headers = {k.title(): v for k, v in r.headers.items()}
            if r.status != 200:
                return r.status, headers, b""
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise SiteError(url, None, _too_big(int(length), self.max_bytes))
            chunks, size = [], 0
            # read1: whatever has arrived, so a server that trickles bytes meets the deadline
            for chunk in iter(lambda: r.read1(65536, decode_content=True), b""):
                size += len(chunk)
                if size > self.max_bytes:
                    raise SiteError(url, None, _too_big(size, self.max_bytes, more=True))
                if time.monotonic() > deadline:
                    raise SiteError(url, None, f"no whole answer within {self.timeout:g} s (timed out); nothing written")
                chunks.append(chunk)
            return r.status, headers, b"".join(chunks)
        except urllib3.exceptions.TimeoutError:
            raise SiteError(url, None, f"no whole answer within {self.timeout:g} s (timed out); nothing written") \
                from None
        except urllib3.exceptions.HTTPError as e:
            raise SiteError(url, None, f"the answer broke off: {_reason(e)}; nothing written") from None
        finally:
            r.release_conn()

    def _allowed(self, url: str, current: str) -> None:
        """Refuse what the site's robots.txt disallows for us (read once per site)."""
        parts = urlsplit(current)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.robots:
            self.robots[site] = self._robots(url, site)
        rules = self.robots[site]
        if isinstance(rules, str):
            raise SiteError(url, None, rules)
        if not rules.can_fetch(ROBOTS_AGENT, current):
            raise SiteError(url, None, f"{site}/robots.txt does not allow fetching {parts.path or '/'}; nothing written")

    def _robots(self, url: str, site: str) -> urllib.robotparser.RobotFileParser | str:
        """The site's robots.txt rules; a missing one allows everything, as the standard says
        (RFC 9309); one that cannot be read (5xx, no answer) allows nothing, as crawlers do."""
        rules = urllib.robotparser.RobotFileParser(site + "/robots.txt")
        try:
            status, _, body = self._get(url, site + "/robots.txt", "text/plain")
        except SiteError as e:
            return f"{site}/robots.txt could not be read ({e.message.split(';')[0]}); nothing fetched from this site"
        if status == 200:
            rules.parse(body.decode("utf-8", errors="replace").splitlines())
        elif 400 <= status < 500:
            rules.parse([])                       # none: everything is allowed
        else:
            return f"{site}/robots.txt answered {_status_line(status)}; nothing fetched from this site"
        return rules


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch <= " " or ch == "\x7f" for ch in url):
        raise SiteError(url, None, "not a web address: give an http:// or https:// address")


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP status {status}"


def _too_big(size: int, limit: int, more: bool = False) -> str:
    # unannounced (``more``): reading stopped past the limit, where a network chunk ended, so
    # the bytes read say nothing of the page's size
    shown = f"over {limit / 1e6:.1f}" if more else f"{size / 1e6:.1f}"
    return f"the page is {shown} MB, more than the {limit / 1e6:g} MB a page may be; nothing written"


def _reason(e: Exception) -> str:
    reason = getattr(e, "reason", None) or e
    text = str(reason)
    if "Name or service not known" in text or "nodename nor servname" in text or "Failed to resolve" in text:
        return "unknown host"
    if "Connection refused" in text:
        return "connection refused"
    return text.split(": ", 1)[-1][:120]
