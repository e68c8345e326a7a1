"""Code blocks and what extensions stash: fenced code highlighted by Pygments through codehilite,
each block once a process (render/highlight.py), with only the fence options that change
the highlighting (``hl_lines``, ``linenums``, ``linenostart``); and the stash guard, which checks the
HTML that extensions hand to Python-Markdown's stash, where the tree sanitiser never looks.

Python-Markdown's fenced_code writes every other ``{key=value}`` of a fence into the page as an
attribute (``{ .python use_pygments=false onclick="..." }``), and pymdownx.superfences writes a
``data-`` value unescaped: the stash guard rebuilds any fragment with an element or attribute outside
what highlighted code, task lists and typography need, so such a value reaches the page as text."""
from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import markdown
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.codehilite import parse_hl_lines
from markdown.extensions.fenced_code import FencedBlockPreprocessor, FencedCodeExtension
from markdown.postprocessors import Postprocessor

from ..model.urls import URL_ATTRIBUTES
from .elements import tag
from .highlight import frozen, highlighted

FENCE_OPTIONS = ("hl_lines", "linenums", "linenostart")


class SafeFencedCode(FencedCodeExtension):
    """fenced_code, through SafeFencedBlocks."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(SafeFencedBlocks(md, self.getConfigs()), "fenced_code_block", 25)


class SafeFencedBlocks(FencedBlockPreprocessor):
    """Python-Markdown's fenced code: the same syntax (its FENCED_BLOCK_RE, its attribute parser),
    highlighting through codehilite's configuration, but no fence option other than FENCE_OPTIONS
    and never a fence's key=value as an attribute; each highlighted block is cached."""

    def run(self, lines: list[str]) -> list[str]:
        if not self.checked_for_deps:
            super().run([])  # (reads codehilite's configuration and whether attr_list is on)
        text, index = "\n".join(lines), 0
        while m := self.FENCED_BLOCK_RE.search(text, index):
            lang, id_, classes, options = None, "", [], {}
            if m.group("attrs"):
                attrs, remainder = get_attrs_and_remainder(m.group("attrs"))
                if remainder:  # unbalanced braces: not a fence (as Python-Markdown)
                    index = m.end("attrs")
                    continue
                id_, classes, options = self.handle_attrs(attrs)
                lang = classes.pop(0) if classes else None
            else:
                lang = m.group("lang") or None
                if m.group("hl_lines"):
                    options["hl_lines"] = parse_hl_lines(m.group("hl_lines"))
            placeholder = self.md.htmlStash.store(self.block(m.group("code"), lang, id_, classes, options))
            text = f"{text[:m.start()]}\n{placeholder}\n{text[m.end():]}"
            index = m.start() + 1 + len(placeholder)
        return text.split("\n")

    def block(self, code: str, lang: str | None, id_: str, classes: list[str], options: dict) -> str:
        chosen = _fence_options(options)
        if self.codehilite_conf and self.codehilite_conf["use_pygments"]:
            conf = {**self.codehilite_conf, **chosen}
            if classes:
                conf["css_class"] = f"{' '.join(classes)} {conf['css_class']}"
            return highlighted(code, lang, frozen(conf))
        # (pymdownx.highlight without superfences: codehilite is off, the code is not highlighted)
        language = f"{self.config['lang_prefix']}{lang}" if lang else None
        return str(tag("pre", {"id": id_ or None, "class": " ".join(classes) or None},
                       tag("code", {"class": language}, code)))


def _fence_options(options: dict) -> dict:
    out = {k: v for k, v in options.items() if k in FENCE_OPTIONS and v not in (None, [])}
    if not str(out.get("linenostart", "1")).isdigit():  # Pygments would raise on anything else
        del out["linenostart"]
    if "linenostart" in out:
        out["linenostart"] = int(out["linenostart"])
    return out


# --- the stash guard -------------------------------------------------------------------------------

# what extensions write into the stash: highlighted code (with line-number tables and anchors), task
# list boxes, typography (smarty's entities, keys, marks); anything else is shown as text
TAGS = frozenset("a abbr b br code del details div em hr i input ins kbd label li mark ol p pre s small "
                 "span strong sub summary sup table tbody td tfoot th thead tr ul".split())
_NAME = re.compile(r"[a-z][a-z0-9-]*\Z")


def _safe(name: str, value: str | None) -> bool:
    if not _NAME.match(name) or name.startswith("on") or name in ("style", "srcdoc", "formaction"):
        return False
    if name == "href":  # line anchors: a fragment of the page itself
        return (value or "").startswith("#")
    return name not in URL_ATTRIBUTES and name != "src"


class _Rebuild(HTMLParser):
    """A fragment again, element by element: allowed elements with their safe attributes
    (values escaped again), anything else escaped as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.changed = False

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        if tag not in TAGS:
            self.changed = True
            self.out.append(html.escape(self.get_starttag_text() or ""))
            return
        kept = [(n, v) for n, v in attrs if _safe(n, v)]
        self.changed |= len(kept) != len(attrs)
        shown = "".join(f' {n}="{html.escape(v)}"' if v is not None else f" {n}" for n, v in kept)
        self.out.append(f"<{tag}{shown}{close}>")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._start(tag, attrs, "")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._start(tag, attrs, "/")

    def handle_endtag(self, tag: str) -> None:
        self.changed |= tag not in TAGS
        self.out.append(f"</{tag}>" if tag in TAGS else html.escape(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        escaped = html.escape(data, quote=False)
        self.changed |= escaped != data and "<" in data  # ('>' and quotes in text are harmless)
        self.out.append(escaped)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def _text(self, raw: str) -> None:
        self.changed = True
        self.out.append(html.escape(raw))

    def handle_comment(self, data: str) -> None:
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")


@functools.lru_cache(maxsize=8192)
def guarded(fragment: str) -> str:
    """``fragment`` unchanged when it holds only TAGS with safe attributes, else rebuilt so that
    nothing else is markup (cached: the same highlighted blocks come back page after page)."""
    if "<" not in fragment:
        return fragment
    parser = _Rebuild()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out) if parser.changed else fragment


_CODE_BOX = re.compile(r'<div class="(?:[^"]* )?(?:codehilite|highlight)"(?=>)')


def focusable(fragment: str) -> str:
    """A highlighted block's box, which scrolls sideways when a line is long, reachable from the
    keyboard (axe: scrollable-region-focusable). (Idempotent: toc runs the postprocessors again.)"""
    m = _CODE_BOX.match(fragment)
    return fragment if m is None else f'{m.group(0)} tabindex="0"{fragment[m.end():]}'


class StashGuard(Postprocessor):
    """Runs before Python-Markdown puts the stash back into the page (raw_html, priority 30)."""

    def __init__(self, md: markdown.Markdown, sanitise: bool):
        super().__init__(md)
        self.sanitise = sanitise

    def run(self, text: str) -> str:
        blocks = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(blocks):
            if isinstance(block, str):
                blocks[i] = focusable(guarded(block) if self.sanitise else block)
        return text
