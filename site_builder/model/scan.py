"""The pre-scan of a page body, before any Markdown is rendered: its links, provenance
references and explicit ids (each with its line in the file), how deeply it nests, and
whether it is too complex to render (``complexity``). The site is validated from these, so a
broken link or a page that would hang Python-Markdown is an error before anything is written."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .complexity import too_complex


# the target of an inline link or image, found from its "](": the link text does not matter here
# (written as X*(PX*)* rather than (X|P)*: the same matches, without a branch for every character)
_TARGET = re.compile(r"\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)")


_DATA_SRC = re.compile(r'data-src="([^"]*)"')


_ID = re.compile(r"(?:^|\s)#([\w-]+)")


_MARKERS = re.compile(r"(?:[-*+]|\d{1,9}[.)]|>)(?=\s|$)")


MAX_NESTING = 100  # Python-Markdown slows down sharply, then overflows the stack, past a few hundred


_DEEP = re.compile(r"\n[ \t>*+\-0-9.)]{%d}" % (MAX_NESTING // 2))


@dataclass
class Scan:
    """What a body refers to, with the line of each reference in the file."""
    links: list[tuple[str, int]] = field(default_factory=list)
    refs: list[tuple[str, int]] = field(default_factory=list)   # provenance: 'article#p3'
    ids: list[tuple[str, int]] = field(default_factory=list)    # explicit {: #id }
    deepest: tuple[int, int] = (0, 0)   # (nesting levels, line), for lines nested over MAX_NESTING // 2
    directives: list[tuple[str, int]] = field(default_factory=list)  # '::: name', '/// name', '--8<--' (plugins.py)
    too_complex: tuple[int, str] | None = None  # (line, message): see complexity.py


# Both are searched in the text after a "\n" ("\n\n") put before it, so that each starts with a
# newline, which the regex engine looks for quickly ('^' or '\A' first made it try every position).
# A fence's run of backticks is possessive: the opening matches with all of it or not at all (no
# newline after it), and trying each shorter run, each to the line's end, was quadratic
_FENCED = re.compile(r"\n( {0,3}(`{3,}+|~{3,}+)[^\n]*\n.*?(?:^ {0,3}\2[`~]*[ \t]*$|\Z))", re.M | re.S)


# from a line start: a run of blank lines (a line of spaces is blank: Python-Markdown normalises
# it), or of indented lines; matched apart, so that a run is never read again from inside
_INDENTED_CODE = re.compile(r"(?<=\n)(?:(?:[ \t]*\n)++|(?:(?: {4}|\t)[ \t]*+[^ \t\n][^\n]*(?:\n|\Z))+)")

_SPACES_LINE = re.compile(r" {1,3}\n")
_INDENTED_TEXT = re.compile(r"\n(?: {4}|\t)[ \t]*+[^ \t\n]")  # (a blanked fence is all spaces)

# a line after which a block starts even without a blank line: Python-Markdown's '#' heading, a
# horizontal rule; and a setext underline, under a paragraph's line
_BLOCK_END = re.compile(r"#| {0,3}([-_*])(?: {0,2}\1){2,} *$")
_UNDERLINE = re.compile(r"=+ *$")
_TEXT_LINE = re.compile(r"(?! {4}|\t|[ \t]*$|#|=+ *$|\s*(?:[-*+]|\d{1,9}[.)])\s| {0,3}>)")  # a paragraph's line


_SIMPLE_SPANS = re.compile(r"`[^`\n]+`")


_RUN = re.compile(r"`+")


# what is left: a `span` going on over the lines of its paragraph (Python-Markdown's inline patterns
# match across the newlines of a block), never past a blank line nor into a heading, quote or table
# row. Single backticks only: each try ends at the next backtick, so a page costs linear time
_LONG_SPANS = re.compile(r"(?<!`)`(?!`)(?:[^`\n]|\n(?![ \t]*(?:\n|\Z|#|>|\|)))+`(?!`)")


_HEADING_START = re.compile(r" {0,3}#")


_LINE_ATTR = re.compile(r"\{:?([^{}\n]*)\}[ \t]*$", re.M)


_NESTED_LINE = re.compile(r"^(?=[ \t>]|[-*+]\s|\d{1,9}[.)]\s)([ \t>]*)((?:(?:[-*+]|\d{1,9}[.)])(?=\s)[ \t]*)*)", re.M)


_NOT_NEWLINE = re.compile("[^\n]")


# lines for MkDocs plugins and extensions site_builder has not: mkdocstrings' '::: identifier' (its
# AutoDocProcessor.regex, without a '{' or ':' first: a Pandoc div), pymdownx.blocks' '/// name',
# pymdownx.snippets' '--8<-- "file"' (or a '--8<--' line around a list of files)
_DIRECTIVE = re.compile(r"^(?:#{1,6} *)?(::: ?[^\s{:][^\n]*?)[ \t]*$|^ {0,3}(/{3,}[ \t]*[\w-]+[^\n]*?)[ \t]*$"
                        r"|^[ \t]*(-+8<-+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?)[ \t]*$", re.M)


_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])\s")  # (four spaces in: code)


# a definition is the whole line: '[id]: url', then nothing or a title (Python-Markdown's
# ReferenceProcessor); '[types of sites]: Project Pages sites, and...' is a sentence, not a link
_REF_DEFS = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(\S+?)>?[ \t]*"
                       r"(?:(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\))[ \t]*)?$", re.M)


def _blank(m: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", m.group(0))


def without_code(text: str, depth: int = 0) -> str:
    """The body with code (fenced, indented, spans) blanked out, so nothing inside it counts;
    offsets and lines unchanged. (``depth``: how many list items' content ``text`` is inside.)"""
    if "```" in text or "~~~" in text:
        text = _FENCED.sub(_blank, "\n" + text)[1:]
    if text[:1] in (" ", "\t") or (("\n    " in text or "\n\t" in text) and _INDENTED_TEXT.search(text)):
        # "\n\n" stands for the start, a blank line before the first; but a first line of spaces
        # is a paragraph's line for Python-Markdown (it normalises a line of spaces only after a newline)
        lead = "\n\nx" if _SPACES_LINE.match(text) else "\n\n"
        text = _blank_indented(lead + text, depth)[len(lead):]
    if "`" in text:  # most spans are on one line: blank them in place
        text = _code_spans(text) if "``" in text else _SIMPLE_SPANS.sub(lambda m: " " * len(m.group(0)), text)
    if "`" in text:
        text = _LONG_SPANS.sub(lambda m: m.group(0) if _in_heading(text, m.start()) else _blank(m), text)
    return text


def _line(text: str, end: int) -> tuple[int, str]:
    """The line that the newline at ``end`` ends: (its start, its text)."""
    start = text.rfind("\n", 0, end) + 1
    return start, text[start:end]


def _ends_block(text: str, end: int) -> bool:
    """Whether the line the newline at ``end`` ends is one after which a block starts."""
    start, s = _line(text, end)
    return bool(_BLOCK_END.match(s) or (_UNDERLINE.match(s) and start > 1 and _TEXT_LINE.match(_line(text, start - 1)[1])))


@dataclass
class _Blocks:
    """The indented blocks of a text found so far, in order."""
    text: str
    seen: list[tuple[int, int, bool]] = field(default_factory=list)  # (start, end, list content)
    code_ends: set[int] = field(default_factory=set)                 # where code ends: a block starts there

    def leaves_list(self, end: int) -> bool:
        """Whether the block whose last line the newline at ``end`` ends leaves a list open.
        Walked back to the block's first line only: each line is looked at a bounded number of times."""
        text = self.text
        while end > 0:
            start, s = _line(text, end)
            if _ends_block(text, end):
                return False
            if start < 2 or start in self.code_ends or not _line(text, start - 1)[1].strip(" \t") \
                    or _ends_block(text, start - 1):  # the block's first line
                if _LIST_ITEM.match(s):  # (a list starts a block: after a paragraph's line it is text)
                    return True
                i = bisect.bisect_right(self.seen, (start, len(text))) - 1
                return i >= 0 and self.seen[i][0] <= start < self.seen[i][1] and self.seen[i][2]
            end = start - 1
        return False


def _blank_indented(text: str, depth: int) -> str:
    """``text`` (starting with a blank line) with its indented code blanked, as Python-Markdown's
    block parser decides: indented lines right after a paragraph's line continue it; after a
    heading or a rule, or after a blank line, they are code, unless the last block before them
    leaves a list open (then they are its item's content: ListIndentProcessor), which is read as
    a document of its own, four spaces less indented."""
    blocks = _Blocks(text)
    out, done, blank = [], 0, (1, 1)  # (text[0], a newline, stands for a blank line before the first)
    item = (0, 0)                      # the list item content last seen, over blank lines

    def content() -> None:
        nonlocal done
        if item[1] and depth < MAX_NESTING:
            out.extend([text[done:item[0]], _item_content(text[item[0]:item[1]], depth + 1)])
            done = item[1]

    for m in _INDENTED_CODE.finditer(text):
        start, end = m.span()
        if text[start] not in (" ", "\t") or not text[start:end].strip(" \t\n"):
            blank = (start, end)  # a run of blank lines
            continue
        if start == blank[1]:
            start = blank[0]  # (the code's first line is the next block's, after them)
        elif not _ends_block(text, start - 1):
            continue  # a paragraph's lazy lines
        listed = blocks.leaves_list(start - 1)
        blocks.seen.append((start, end, listed))
        if listed and start == item[1]:
            item = (item[0], end)  # the same item's content, over blank lines
            continue
        content()
        item = (start, end) if listed else (0, 0)
        if not listed:
            blocks.code_ends.add(end)
            out += [text[done:start], _NOT_NEWLINE.sub(" ", text[start:end])]
            done = end
    content()
    return "".join(out) + text[done:]


def _item_content(text: str, depth: int) -> str:
    """A list item's indented content with its code blanked, read as Python-Markdown reads it:
    each line four spaces (or a tab) less indented."""
    lines = text.split("\n")
    cut = [1 if ln[:1] == "\t" else len(ln[:4]) - len(ln[:4].lstrip(" ")) for ln in lines]
    inner = without_code("\n".join(ln[k:] for ln, k in zip(lines, cut)), depth).split("\n")
    return "\n".join(ln[:k] + x for ln, k, x in zip(lines, cut, inner))


def _code_spans(text: str) -> str:
    """``text`` with the code spans of one line blanked: what ``re.sub(r"(`+)(?:(?!\\1)[^\\n])+?\\1",
    spaces, text)`` gives, in linear time (that regex tries each backtick of a run as a start, with
    each shorter length, to the line's end: hours for a few thousand backticks in a row).

    From a run of ``r`` backticks, the regex closes on the first later run of its line of at least
    ``k`` backticks, ``k`` as long as possible but over ``r / 2`` (a shorter opening would match at
    its own next backtick); failing that, it starts again one backtick later, with ``r - 1``."""
    runs = [(m.start(), m.end()) for m in _RUN.finditer(text)]
    longest = [0] * len(runs)   # the longest later run on the same line
    for j in range(len(runs) - 2, -1, -1):
        if text.find("\n", runs[j][1], runs[j + 1][0]) == -1:
            longest[j] = max(runs[j + 1][1] - runs[j + 1][0], longest[j + 1])
    out, done, j = [], 0, 0
    while j < len(runs):
        start, end = max(runs[j][0], done), runs[j][1]  # a span may have closed on part of this run
        if start >= end or not longest[j]:
            j += 1
            continue
        start += max(0, end - start - 2 * longest[j] + 1)
        k = min(end - start, longest[j])
        j += 1
        while runs[j][1] - runs[j][0] < k:
            j += 1
        out += [text[done:start], " " * (runs[j][0] + k - start)]
        done = runs[j][0] + k
    return "".join(out) + text[done:]


def _in_heading(text: str, pos: int) -> bool:
    """Whether ``pos`` is on a '# heading' line, which is a block of its own."""
    return bool(_HEADING_START.match(text, text.rfind("\n", 0, pos) + 1))


def scan_body(body: str, first_line: int, allow_html: bool = False) -> Scan:
    """Links, provenance references, explicit ids, nesting depth and whether the body is too
    complex to render (``complexity``), each with its line in the file. Whole-text regexes (no
    per-line loop): this runs over every page of a large site."""
    scan = Scan()
    text = without_code(body)
    counted = [0, first_line]  # (offset, its line): each pass asks in increasing order, so
                               # counting on from the last answer keeps a pass linear

    def line_of(pos: int) -> int:
        if pos < counted[0]:
            counted[:] = [0, first_line]
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    if "](" in text:
        scan.links += [(m.group(1), line_of(m.start())) for m in _TARGET.finditer(text) if m.group(1)]
    if "]:" in text:
        scan.links += [(m.group(1), line_of(m.start())) for m in _REF_DEFS.finditer(text)]
        scan.links.sort(key=lambda x: x[1])
    if "{" in text:
        for m in _LINE_ATTR.finditer(text):
            n = line_of(m.start())
            scan.refs += [(src, n) for src in _DATA_SRC.findall(m.group(1))]
            scan.ids += [(ident, n) for ident in _ID.findall(m.group(1))]
    if ":::" in text or "///" in text or "8<" in text:
        scan.directives = [(m.group(m.lastindex), line_of(m.start())) for m in _DIRECTIVE.finditer(text)]
    found = too_complex(body, allow_html)
    if found:
        scan.too_complex = (line_of(found[0]), found[1])
    # a line nested deeper than MAX_NESTING has over MAX_NESTING / 2 characters of indentation,
    # quotes and list markers before its text (a tab counts at most 2 levels): most pages have none
    for m in _NESTED_LINE.finditer(body) if _DEEP.search("\n" + body) else ():
        lead, markers = m.group(1), m.group(2)
        if not lead and not markers:
            continue
        expanded = lead.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        depth = indent // 2 + lead.count(">") + len(_MARKERS.findall(markers))
        if depth > scan.deepest[0]:
            scan.deepest = (depth, line_of(m.start()))
    return scan
