"""Highlighted code, cached by content: every block Pygments highlights — codehilite's fenced
(render/codeblocks.py) and indented blocks, pymdownx.highlight's blocks for superfences, inlinehilite
and indented code — is highlighted once a process for its text, language, options and the
highlighter's settings. Sites repeat the same snippets from page to page, and Pygments costs
hundreds of microseconds a block.

codehilite and pymdownx.highlight are used through their own extension points: codehilite's
``hilite`` tree processor and pymdownx's ``get_pymdownx_highlighter`` (the class superfences and
inlinehilite highlight with), whose ``Highlight.highlight`` keeps its signature (a test compares the
output with the stock extensions')."""
from __future__ import annotations

import functools
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.extensions.codehilite import CodeHilite, CodeHiliteExtension, HiliteTreeprocessor
from pymdownx.highlight import Highlight, HighlightExtension, HighlightTreeprocessor

_LIMIT = 4096  # blocks kept, each a few kilobytes at most


def frozen(value: Any) -> Any:
    """``value`` as a hashable key (dicts and lists as sorted tuples)."""
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    return value


@functools.lru_cache(maxsize=_LIMIT)
def highlighted(code: str, lang: str | None, conf: tuple, shebang: bool = False) -> str:
    """One block as codehilite highlights it (``conf``: its configuration, frozen)."""
    options = {k: list(v) if k == "hl_lines" else v for k, v in conf}
    style = options.pop("pygments_style", "default")
    return CodeHilite(code, lang=lang, style=style, **options).hilite(shebang=shebang)


class CachedHilite(HiliteTreeprocessor):
    """codehilite's tree processor (indented code blocks), through ``highlighted``."""

    def run(self, root: etree.Element) -> None:
        for block in root.iter("pre"):
            if len(block) == 1 and block[0].tag == "code" and block[0].text is not None:
                conf = frozen({**self.config, "tab_length": self.md.tab_length})
                html = highlighted(self.code_unescape(block[0].text), None, conf, shebang=True)
                block.clear()  # (as codehilite: a placeholder paragraph, replaced by the stash)
                block.tag = "p"
                block.text = self.md.htmlStash.store(html)


class CachedCodeHilite(CodeHiliteExtension):
    """codehilite, with its tree processor cached."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        hiliter = CachedHilite(md)
        hiliter.config = self.getConfigs()
        md.treeprocessors.register(hiliter, "hilite", 30)


_MADE: dict[tuple, str | tuple[dict, str]] = {}


class CachedHighlight(Highlight):
    """pymdownx.highlight's highlighter, each result kept for its settings and arguments. Not kept:
    a title written as HTML, which goes into the page's own stash."""

    def highlight(self, src: str, language: str, css_class: str = "highlight", hl_lines: Any = None,
                  linestart: int = -1, linestep: int = -1, linespecial: int = -1, inline: bool = False,
                  classes: Any = None, id_value: str = "", attrs: Any = None, title: Any = None,
                  code_block_count: int = 0) -> str | etree.Element:
        args = dict(hl_lines=hl_lines, linestart=linestart, linestep=linestep, linespecial=linespecial,
                    inline=inline, classes=classes, id_value=id_value, attrs=attrs, title=title,
                    code_block_count=code_block_count)
        if self.title_mode == "html" or any(isinstance(v, dict) for v in self.auto_title_map.values()):
            return super().highlight(src, language, css_class, **args)
        if not (self.line_spans or self.line_anchors):  # (the count only names line ids)
            args["code_block_count"] = 0
        settings = {k: v for k, v in vars(self).items() if k != "md"}
        key = frozen((settings, src, language, css_class, args))
        made = _MADE.get(key)
        if made is None:
            out = super().highlight(src, language, css_class, **args)
            made = out if isinstance(out, str) else (dict(out.attrib), out.text or "")
            if len(_MADE) >= _LIMIT:
                del _MADE[next(iter(_MADE))]  # the oldest
            _MADE[key] = made
        if isinstance(made, str):
            return made
        el = etree.Element("code", made[0])  # inline code: a new element, which the caller changes
        el.text = made[1]
        return el


class CachedIndentHighlight(HighlightTreeprocessor):
    """pymdownx.highlight's tree processor (indented code blocks), through CachedHighlight."""

    def run(self, root: etree.Element) -> None:
        conf = self.config
        for block in root.iter("pre"):
            if len(block) == 1 and block[0].tag == "code":
                self.ext.pygments_code_block += 1
                code = CachedHighlight(
                    self.md, **{k: conf[k] for k in _INDENT_SETTINGS})
                html = code.highlight(self.code_unescape(block[0].text).rstrip("\n"), "", conf["css_class"],
                                      code_block_count=self.ext.pygments_code_block)
                block.clear()
                block.tag = "p"
                block.text = self.md.htmlStash.store(html)


# the settings HighlightTreeprocessor passes to Highlight (pymdown-extensions 13)
_INDENT_SETTINGS = ("guess_lang", "pygments_style", "use_pygments", "noclasses", "linenums", "linenums_style",
                    "linenums_special", "linenums_class", "extend_pygments_lang", "language_prefix",
                    "code_attr_on_pre", "auto_title", "auto_title_map", "pygments_lang_class", "stripnl",
                    "default_lang")


class CachedHighlightExtension(HighlightExtension):
    """pymdownx.highlight, whose highlighter (for superfences, inlinehilite and indented code) is
    CachedHighlight."""

    def get_pymdownx_highlighter(self) -> type[Highlight]:
        return CachedHighlight

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        if self.enabled:
            hiliter = CachedIndentHighlight(md, self)
            hiliter.config = self.getConfigs()
            md.treeprocessors.register(hiliter, "indent-highlight", 30)
