"""Quick block tests: Python-Markdown asks each block processor in turn whether it takes a block,
most of them with a regular expression searched over the whole block, although most blocks are
paragraphs that only the last processor takes. Each class here is Python-Markdown's own processor
whose ``test`` first looks for a text its regular expression cannot match without (``#`` for a
heading, ``>`` for a quotation...), registered in place of the stock one under its name and
priority, only where that processor is exactly the stock class. The same pages (a property test
compares with the stock processors), in less time. And the parser itself (``QuickBlockParser``) lists
the processors once for each chunk of blocks, not once for each block."""
from __future__ import annotations

import functools
import xml.etree.ElementTree as etree

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import (BlockQuoteProcessor, HashHeaderProcessor, HRProcessor, OListProcessor,
                                      ReferenceProcessor, SetextHeaderProcessor, UListProcessor)
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor

from .passes import source_digest

# BlockParser.parseBlocks as QuickBlockParser copies it (Python-Markdown 3.11): another one, and the
# stock parser is kept (tests/test_pins.py fails, to say so)
PARSE_BLOCKS_DIGEST = "1737e188f149267b"


def _lead(block: str) -> str:
    """The block's first character after at most three spaces (a list marker's place)."""
    return block[:4].lstrip(" ")[:1]


def _rule(block: str) -> bool:
    """A text every horizontal rule has: two of '-', '_' or '*' at most two spaces apart."""
    return any(c in block and (c + c in block or f"{c} {c}" in block or f"{c}  {c}" in block) for c in "-_*")


class QuickHashHeader(HashHeaderProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return "#" in block and super().test(parent, block)


class QuickSetextHeader(SetextHeaderProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:  # (an underline on the second line)
        return ("\n=" in block or "\n-" in block) and super().test(parent, block)


class QuickHR(HRProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return _rule(block) and super().test(parent, block)


class _Numbered:
    """A numbered list's test, before the stock list processor's (stock or sane_lists')."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return _lead(block).isdigit() and super().test(parent, block)  # type: ignore[misc]


class _Bulleted:
    """A bulleted list's test, before the stock list processor's (stock or sane_lists')."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return _lead(block) in ("*", "+", "-") and super().test(parent, block)  # type: ignore[misc]


class QuickOList(_Numbered, OListProcessor):
    pass


class QuickUList(_Bulleted, UListProcessor):
    pass


class QuickSaneOList(_Numbered, SaneOListProcessor):
    pass


class QuickSaneUList(_Bulleted, SaneUListProcessor):
    pass


class QuickQuote(BlockQuoteProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return ">" in block and super().test(parent, block)


class QuickReference(ReferenceProcessor):
    """A reference definition ('[id]: url') has ']:'; without it the stock processor takes the block
    out and puts it back unchanged, and the next processor is asked."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return "]:" in block


# name: (stock class, quick class, Python-Markdown's priority), ...
QUICK = {"hashheader": ((HashHeaderProcessor, QuickHashHeader, 70),),
         "setextheader": ((SetextHeaderProcessor, QuickSetextHeader, 60),),
         "hr": ((HRProcessor, QuickHR, 50),),
         "olist": ((OListProcessor, QuickOList, 40), (SaneOListProcessor, QuickSaneOList, 40)),
         "ulist": ((UListProcessor, QuickUList, 30), (SaneUListProcessor, QuickSaneUList, 30)),
         "quote": ((BlockQuoteProcessor, QuickQuote, 20),),
         "reference": ((ReferenceProcessor, QuickReference, 15),)}


def quicken(md: markdown.Markdown) -> None:
    """Each processor of QUICK that is exactly its stock class replaced by its quick one."""
    reg = md.parser.blockprocessors
    for name, choices in QUICK.items():
        for stock, quick, priority in choices:
            if name in reg and type(reg[name]) is stock:
                reg.register(quick(md.parser), name, priority)


class QuickBlockParser(BlockParser):
    """Python-Markdown's block parser, which asks the processors registry for its sorted list once
    per chunk of blocks, not once per block (a registry builds a new list each time it is walked)."""

    def parseBlocks(self, parent: etree.Element, blocks: list[str]) -> None:  # noqa: N802
        processors = list(self.blockprocessors)
        while blocks:
            for processor in processors:
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        # run returns True or None
                        break


@functools.lru_cache(maxsize=None)
def parse_blocks_is_the_copied_one() -> bool:
    return source_digest(BlockParser.parseBlocks) == PARSE_BLOCKS_DIGEST


def quicken_parser(md: markdown.Markdown) -> None:
    """``md``'s parser, where exactly Python-Markdown's, replaced by a QuickBlockParser holding the
    same processors (each pointed at it, as they parse nested blocks through their parser)."""
    old = md.parser
    if type(old) is not BlockParser or not parse_blocks_is_the_copied_one():
        return
    quick = QuickBlockParser(md)
    quick.blockprocessors = old.blockprocessors
    for processor in quick.blockprocessors:
        if processor.parser is old:
            processor.parser = quick
    md.parser = quick
