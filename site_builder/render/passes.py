"""Quick passes: three of Python-Markdown's own whole-page passes, each doing its work the same way
with less of it, registered in the stock ones' places (names, priorities) on the pages the converter
makes, where the stock one is exactly Python-Markdown's class and its code the one copied here
(``DIGESTS``; tests/test_pins.py fails when one changes). The same pages (a property test compares
with the stock passes), in less time:

- whitespace: lines of spaces emptied with a regular expression that starts with a newline (the
  stock one, a look-behind, is tried at every character of the page: a fifteenth of the time);
- prettify: whether a tag is block-level asked once a page per tag, not once per element;
- unescape: a text without an escape (STX) is left as it is, not searched."""
from __future__ import annotations

import functools
import hashlib
import inspect
import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
from markdown import util
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import PrettifyTreeprocessor, UnescapeTreeprocessor

# the code each quick pass copies or relies on, as in Python-Markdown 3.11
DIGESTS = {"NormalizeWhitespace.run": "a99bc2f9e0d83abc", "PrettifyTreeprocessor._prettifyETree": "c2f85aa56a16652c",
           "PrettifyTreeprocessor.run": "cdeb0a0e855490df", "UnescapeTreeprocessor.unescape": "e39bc0842698ba68"}
# '(?<=\n) +\n' -> '\n', the stock substitution: each run of spaces between two newlines removed
_SPACES_LINE = re.compile(r"\n +(?=\n)")


def source_digest(func: Callable) -> str:
    return hashlib.sha256(inspect.getsource(func).encode()).hexdigest()[:16]


class QuickWhitespace(NormalizeWhitespace):
    def run(self, lines: list[str]) -> list[str]:
        source = '\n'.join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        source = _SPACES_LINE.sub("\n", source)
        return source.split('\n')


class QuickPrettify(PrettifyTreeprocessor):
    def run(self, root: etree.Element) -> None:
        self._blocks: dict[object, bool] = {}  # tag: is_block_level(tag), this page
        super().run(root)

    def _block(self, tag: object) -> bool:
        found = self._blocks.get(tag)
        if found is None:
            found = self._blocks[tag] = self.md.is_block_level(tag)
        return found

    def _prettifyETree(self, elem: etree.Element) -> None:  # noqa: N802
        """ Recursively add line breaks to `ElementTree` children. """
        i = "\n"
        block = self._block
        if block(elem.tag) and elem.tag not in ['code', 'pre']:
            if (not elem.text or not elem.text.strip()) \
                    and len(elem) and block(elem[0].tag):
                elem.text = i
            for e in elem:
                if block(e.tag):
                    self._prettifyETree(e)
        if not elem.tail or not elem.tail.strip():
            elem.tail = i


class QuickUnescape(UnescapeTreeprocessor):
    def unescape(self, text: str) -> str:
        return self.RE.sub(self._unescape, text) if util.STX in text else text


# name: (registry, stock class, quick class, Python-Markdown's priority)
QUICK_PASSES = {"normalize_whitespace": ("preprocessors", NormalizeWhitespace, QuickWhitespace, 30),
                "prettify": ("treeprocessors", PrettifyTreeprocessor, QuickPrettify, 10),
                "unescape": ("treeprocessors", UnescapeTreeprocessor, QuickUnescape, 0)}


@functools.lru_cache(maxsize=None)
def changed_code() -> tuple[str, ...]:
    """The pieces of Python-Markdown's code in DIGESTS that are not what the quick passes copy."""
    classes = {"NormalizeWhitespace": NormalizeWhitespace, "PrettifyTreeprocessor": PrettifyTreeprocessor,
               "UnescapeTreeprocessor": UnescapeTreeprocessor}
    return tuple(name for name, digest in DIGESTS.items()
                 if source_digest(getattr(classes[name.split(".")[0]], name.split(".")[1])) != digest)


def quicken_passes(md: markdown.Markdown) -> None:
    """Each pass of QUICK_PASSES that is exactly its stock class replaced by its quick one, while
    Python-Markdown's code is the one they copy."""
    if changed_code():
        return
    for name, (where, stock, quick, priority) in QUICK_PASSES.items():
        reg = getattr(md, where)
        if name in reg and type(reg[name]) is stock:
            reg.register(quick(md), name, priority)
