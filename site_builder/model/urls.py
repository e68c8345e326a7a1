"""The one URL helper. Every internal URL goes through ``Urls`` so that a site
deployed under a sub-path (``https://user.github.io/repo/``) is right by construction.
Also the one policy on unsafe URLs (``unsafe_scheme``, ``unsafe_attribute``), for link resolution,
the renderer's sanitiser, site-relative paths and ``check`` alike."""
from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote, urlsplit

from markdown.util import AMP_SUBSTITUTE

from ..paths import path_problem

_SAFE = "/#%-._~!$&'()*+,;=:@"


class UnsafeUrl(ValueError):
    """A site-relative path that would leave the site (``..``, a scheme, a backslash)."""


SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")  # a URL that starts with one is not site-relative
_ABSOLUTE = re.compile(r"\s*" + SCHEME.pattern + r"(//|\\)")


def clean_rel(rel: str) -> str:
    """Normalise a site-relative path: no leading slash, no ``.``/``..``, no scheme. Idempotent:
    a colon inside a path segment ('a:b/') is just a character of a root-relative path."""
    if any(c in rel for c in "\\\x00") or _ABSOLUTE.match(rel) or unsafe_scheme(rel) or rel.startswith("//"):
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


_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.I)


_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_scheme(url: str) -> str | None:
    """``javascript``, ``vbscript`` or ``data`` when a browser reads this URL (an attribute's value,
    entities already decoded) with that scheme: they run code or hide content. The one policy for
    rendering and for ``check``. Control and space characters, which a browser skips inside a
    scheme (``java\tscript:``), are removed first."""
    m = _BAD_SCHEME.match(_IGNORED_IN_SCHEME.sub("", url))
    return m.group(1).lower() if m else None


def is_unsafe_target(target: str) -> bool:
    """A link target as written in Markdown, entities decoded as a browser would
    (``&#106;avascript:``), has an unsafe scheme: never link it."""
    return unsafe_scheme(html.unescape(target.replace(AMP_SUBSTITUTE, "&"))) is not None


# attributes whose value a browser loads or follows as a URL (HTML and SVG, current and legacy);
# some hold a list of them, separated by spaces or commas
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "xlink:href", "action", "formaction", "poster", "data",
                            "background", "cite", "longdesc", "ping", "manifest", "codebase", "archive",
                            "classid", "usemap", "lowsrc", "dynsrc", "icon", "profile", "itemtype"})
_URL_LISTS = frozenset({"srcset", "ping", "archive"})
_LIST_SEPARATORS = re.compile(r"[\s,]+")


def unsafe_attribute(name: str, value: str, allow_data: bool = False) -> str | None:
    """The unsafe scheme a browser finds in the value of URL attribute ``name`` (entities decoded),
    or None: in each URL of a list (``srcset``, ``ping``), else in the whole value. ``allow_data``:
    a ``data:`` URL that does not navigate (an image embedded by a template) is allowed."""
    for part in _LIST_SEPARATORS.split(value) if name in _URL_LISTS else (value,):
        scheme = unsafe_scheme(part)
        if scheme and not (allow_data and scheme == "data"):
            return scheme
    return None


def part_id(anchor: str, frag: str) -> str:
    """The id a part's ``frag`` has on its theme page, where the theme's intro and each part,
    converted apart, are shown together: under the part's anchor (``labs--background``), so two
    "Background" headings or two ``fn:1`` stay unique (``--`` is never in a heading's slug)."""
    return frag if frag.lower() == "top" or frag.startswith(":~:") else f"{anchor}--{frag}"


def fragment_link(link: str, frag: str) -> str:
    """A page's link (``page_link``) with a ``#frag`` of that page: on a part shown on its theme
    page (``innovation/#labs``) the fragment is the part's own id there (``part_id``)."""
    if not frag:
        return link
    base, _, anchor = link.partition("#")
    return f"{base}#{part_id(anchor, frag) if anchor else frag}"

