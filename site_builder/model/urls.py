"""The one URL helper. Every internal URL goes through ``Urls`` so that a site
deployed under a sub-path (``https://user.github.io/repo/``) is right by construction."""
from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote, urlsplit

from anyascii import anyascii

from .paths import path_problem

_SAFE = "/#%-._~!$&'()*+,;=:@"


class UnsafeUrl(ValueError):
    """A site-relative path that would leave the site (``..``, a scheme, a backslash)."""


_SCHEME = re.compile(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:(//|\\)|^\s*(javascript|vbscript|data):", re.I)


def clean_rel(rel: str) -> str:
    """Normalise a site-relative path: no leading slash, no ``.``/``..``, no scheme. Idempotent:
    a colon inside a path segment ('a:b/') is just a character of a root-relative path."""
    if any(c in rel for c in "\\\x00") or _SCHEME.match(rel) or rel.startswith("//"):
        raise UnsafeUrl(rel)
    path, hashmark, frag = rel.partition("#")
    parts = []
    for seg in path.split("/"):
        if seg == "..":
            raise UnsafeUrl(rel)
        if seg not in ("", "."):
            parts.append(seg)
    out = "/".join(parts)
    if path.endswith("/") and out:
        out += "/"
    return out + hashmark + frag


class Urls:
    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._made: dict[str, str] = {}  # a page asks for the same few URLs thousands of times

    def url(self, rel: str) -> str:
        """Root-relative URL under the base path: ``'innovation/'`` → ``'/repo/innovation/'``."""
        made = self._made.get(rel)
        if made is None:
            made = self._made[rel] = self.base_path + quote(clean_rel(rel), safe=_SAFE)
        return made

    def absolute(self, rel: str) -> str:
        return self.origin + self.url(rel)

    def rel_of(self, path: str) -> str | None:
        """The site-relative path of a root-relative URL path, or None if outside the base path."""
        if not path.startswith(self.base_path):
            return None if path + "/" != self.base_path else ""
        return path[len(self.base_path):]


@functools.lru_cache(maxsize=1 << 16)
def output_file(rel: str) -> str:
    """Where a page's URL lives on disk: ``'a/b/'`` → ``'a/b/index.html'``. Every page URL has
    passed the path policy when its page was read: one that fails it here is a bug, and is
    refused rather than turned into some other file (a '#x' once became the home page)."""
    problem = path_problem(rel)
    if problem:
        raise UnsafeUrl(f"{rel!r} {problem}")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _ascii_words(text: str) -> str:
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        t = anyascii(ch)
        # a CJK character transliterates to a syllable: keep syllables apart ("guang-dong")
        out.append(f" {t} " if t.isalpha() and unicodedata.category(ch) == "Lo" else t)
    return "".join(out)


_STOP = frozenset("a an the of in on at to for and or is are was were be been by with from its its as".split())


@functools.lru_cache(maxsize=1 << 16)  # a tag is slugified once per page that has it
def slugify(text: str, max_len: int = 60, short: bool = False) -> str:
    """A stable, readable ASCII slug: never empty, never contains '/', '\\' or '..'.
    ``short`` drops small words ("the", "of"…), for slugs made from long titles."""
    words = re.findall(r"[a-z0-9]+", _ascii_words(text).lower().replace("'", ""))
    if short and any(w not in _STOP for w in words):
        words = [w for w in words if w not in _STOP]
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > max_len:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_len]
    return slug or "untitled"
