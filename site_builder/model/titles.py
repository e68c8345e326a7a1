"""A page's title when its front matter has none, as MkDocs and Hugo users expect: the page's
first heading when the text opens with a level-1 heading (``# Title``, or ``Title`` underlined
with ``===``), else the file's name made readable (``change_log.md`` → "Change log"). That
heading is then not rendered again under the title, and neither is one that repeats the title."""
from __future__ import annotations

import html
import re

from .scan import without_code

_ATX = re.compile(r"^ {0,3}#(?!#)[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{:?[^{}]*\}[ \t]*$")          # a trailing attribute list
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_SPACES = re.compile(r"\s+")
_ATX_ANY = re.compile(r"^ {0,3}#(?!#)[ \t]+\S", re.M)
_SETEXT_ANY = re.compile(r"^ {0,3}[^\s=>|\-*+#][^\n]*\n {0,3}=+[ \t]*$", re.M)


def leading_heading(body: str) -> tuple[str, int, int] | None:
    """(plain text, start offset, end offset) of the level-1 heading the body opens with."""
    start = len(body) - len(body.lstrip("\n"))
    end = body.find("\n", start)
    first = body[start:] if end == -1 else body[start:end]
    m = _ATX.match(first)
    if m:
        text = plain(m.group(1))
        return (text, start, start + len(first)) if text else None
    if end == -1 or first.startswith(("    ", "\t")) or not first.strip():
        return None
    after = body.find("\n", end + 1)
    underline = body[end + 1:] if after == -1 else body[end + 1:after]
    if _SETEXT.match(underline):
        text = plain(first)
        return (text, start, end + 1 + len(underline)) if text else None
    return None


def plain(markdown: str) -> str:
    """A heading's text without its Markdown: link and image text kept, code spans' content
    kept, emphasis and escapes removed, entities decoded, spaces collapsed."""
    text = _ATTRS.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = text.replace("`", "")
    for _ in range(3):  # nested emphasis: ***a*** is at most three levels
        text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def same_title(a: str, b: str) -> bool:
    return _SPACES.sub(" ", a).strip().casefold() == _SPACES.sub(" ", b).strip().casefold()


def without_heading(body: str, title: str) -> str:
    """The body without the level-1 heading it opens with when that heading is the page's
    heading: it is the title, repeats it, or is the text's only level-1 heading (Python-Markdown's
    docs: `title: Abbreviations Extension`, then `# Abbreviations`). The template shows the title
    as the page's heading. Its lines are kept blank, so every line keeps its number."""
    found = leading_heading(body)
    if found is None or not (same_title(found[0], title) or _level_ones(body) == 1):
        return body
    _, start, end = found
    return body[:start] + "\n" * body.count("\n", start, end) + body[end:]


def _level_ones(body: str) -> int:
    """How many level-1 headings the body has, outside code (``# x`` lines and ``===`` underlines)."""
    text = without_code(body)
    return len(_ATX_ANY.findall(text)) + len(_SETEXT_ANY.findall(text))


def from_file_name(rel: str) -> str:
    """'guides/change_log.md' → 'Change log'; an index (index.md, README.md) is named by its folder."""
    parts = rel[:-3].split("/")
    name = parts[-2] if parts[-1] in ("index", "_index", "README") and len(parts) > 1 else parts[-1]
    words = _SPACES.sub(" ", name.replace("_", " ").replace("-", " ")).strip() or name
    return words[:1].upper() + words[1:]
