"""How much work Python-Markdown would do on a page: a deterministic limit instead of a hang.

Python-Markdown is linear on ordinary text but superlinear on some inputs far below the
10 MB file cap. Measured with Markdown 3.11 (tests/security/test_limits.py times each case):

- every inline match (emphasis, code span, link, entity, escape, hard break...) rebuilds the
  whole text of its paragraph: ``n`` marks cost ``n`` times its length (1 MB of
  ``*emph* word``: 31 s);
- each ``[`` is followed, character by character in Python, to its closing ``]``, and each
  ``](`` to its closing ``)``: unclosed or nested brackets cost their distance each
  (100 KB of ``![``: over a minute);
- each reference to a footnote looks through the earlier references to it
  (``[^1]`` × 4,000: 10 s);
- each block (text between blank lines) is taken from the front of a list: ``n`` blocks
  cost ``n²`` (200,000 blocks: 12 s);
- each line opening a code fence is searched, by a slow regex, to its closing fence
  (20,000 unclosed fences: 17 s);
- with ``allow_html``, each start tag is parsed to its ``>`` (``<a `` × 16,000: 27 s).

The estimates are upper bounds of those costs, computed on the page body as written (code
included: it is cheaper to over-count code than to guess, as Python-Markdown would, where
it ends). Each limit is about a second of work on a slow machine and over thirty times what
the largest pages of real documentation trees need (Python-Markdown's, MkDocs', Hugo's,
Material for MkDocs', the Rust book's, Jekyll's and Babel's changelogs).
"""
from __future__ import annotations

import bisect
import math
import re
from typing import Callable

MAX_INLINE_WORK = 5_000_000_000   # characters copied by inline rebuilds, over a page's blocks
MAX_BRACKET_SCAN = 4_000_000      # characters scanned in Python for '[' and '](', over a page
MAX_FOOTNOTE_REFS = 1_000         # footnote references in a page
MAX_BLOCKS = 50_000               # blocks (text between blank lines) in a page
MAX_FENCE_SCAN = 50_000_000       # characters searched for closing code fences
MAX_TAG_SCAN = 5_000_000          # characters parsed for HTML start tags (allow_html only)

_MARKS = ("*", "_", "[", "<", "&", "\\", "`", "  \n")  # what can start an inline match
_PLACEHOLDER = 16  # a match leaves a placeholder of about this many characters in the text
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SEP = "\x00"      # stands for a blank line: decode_text refuses NUL, so no page has one
_NOT_MARK = re.compile(r"[^*_\[<&\\`\x00]+")
_HARD_BREAK = re.compile(r"  \n")
_BRACKET = re.compile(r"\]\(|[\[\]()\x00]")
_QUOTE = re.compile(r"[\"']")
_FENCE = re.compile(r"^(`{3,}|~{3,})", re.M)
_TAG = re.compile(r"<[a-zA-Z]")
_FENCE_CLOSE = re.compile(r"^(`{3,}|~{3,}) *$", re.M)
_TAG_BODY = re.compile(r"""(?:[^>=]+|=+\s*(?:"[^"]*"|'[^']*')|=)*""")
_SPLIT = "; split the page into several pages"
_FAR = 100  # a bracket scanning farther than this is named in the message


def _inline_work(marks: int, length: int) -> int:
    return marks * (length + _PLACEHOLDER * marks)


# Below this length no page can reach the inline (every character a mark), fence (every line a
# fence) or block limits: an ordinary page needs one count of '[' and nothing else
_SHORT = min(math.isqrt(MAX_INLINE_WORK // (1 + _PLACEHOLDER)), math.isqrt(MAX_FENCE_SCAN * 3), MAX_BLOCKS)


def too_complex(text: str, allow_html: bool = False) -> tuple[int, str] | None:
    """(offset in ``text``, message) when rendering the page body ``text`` would take
    superlinear work; None for an ordinary page, after one count of its '['."""
    length, squares = len(text), text.count("[")
    if (length <= _SHORT and squares <= MAX_FOOTNOTE_REFS and squares * length <= MAX_BRACKET_SCAN
            and (not allow_html or length * length <= MAX_TAG_SCAN)):
        return None
    footnotes = text.count("[^")
    if footnotes > MAX_FOOTNOTE_REFS:
        return _nth(text, "[^", MAX_FOOTNOTE_REFS), (f"too complex to render ({footnotes:,} footnote "
                                                      f"references; the limit is {MAX_FOOTNOTE_REFS:,}){_SPLIT}")
    if text.count("\n") > MAX_BLOCKS and len(_BLANK_LINE.findall(text)) >= MAX_BLOCKS:
        return _offset(text, MAX_BLOCKS), (f"too complex to render (over {MAX_BLOCKS:,} paragraphs and "
                                           f"other blocks){_SPLIT}")
    if ("```" in text or "~~~" in text) and len(_FENCE.findall(text)) * len(text) > MAX_FENCE_SCAN:
        scanned, at = _scan(text, _FENCE, _fence_ends(text), MAX_FENCE_SCAN)
        if scanned > MAX_FENCE_SCAN:
            return at, f"too complex to render (code fences that are never closed){_SPLIT}"
    if allow_html and text.count("<") * len(text) > MAX_TAG_SCAN:
        scanned, at = _scan(text, _TAG, _tag_end, MAX_TAG_SCAN)
        if scanned > MAX_TAG_SCAN:
            return at, f"too complex to render (HTML start tags without their closing '>'){_SPLIT}"
    return _block_problem(text)


def _block_problem(text: str) -> tuple[int, str] | None:
    length, marks = len(text), sum(text.count(m) for m in _MARKS)
    if _inline_work(marks, length) <= MAX_INLINE_WORK and text.count("[") * length <= MAX_BRACKET_SCAN:
        return None  # the page as one block is within both limits, so are its blocks together
    blocks = _BLANK_LINE.sub(_SEP, text)
    lengths = [len(b) for b in blocks.split(_SEP)]
    counts = [len(b) for b in _NOT_MARK.sub("", _HARD_BREAK.sub("*", blocks)).split(_SEP)]
    work = [_inline_work(m, n) for m, n in zip(counts, lengths)]
    if sum(work) > MAX_INLINE_WORK:
        i = work.index(max(work))
        return _offset(text, i), (f"too complex to render ({counts[i]:,} links, emphasis, code spans or "
                                  f"other inline marks in {lengths[i]:,} characters without a blank line); "
                                  "add blank lines between paragraphs, or split the page")
    if "[" in text:
        scans = _bracket_scans(blocks)
        if sum(s for s, _ in scans) > MAX_BRACKET_SCAN:
            i = scans.index(max(scans))
            return _offset(text, i), (f"too complex to render ({scans[i][1]:,} '[' or '(' closed far away or "
                                      f"never, in {lengths[i]:,} characters without a blank line); "
                                      r"close them, write a literal bracket as \[, or split the page")
    return None


def _nth(text: str, sub: str, n: int) -> int:
    """Where the ``n``-th (from 0) occurrence of ``sub`` starts."""
    at = -1
    for _ in range(n + 1):
        at = text.index(sub, at + 1)
    return at


def _offset(text: str, block: int) -> int:
    """Where block number ``block`` starts in ``text`` (its first character that is not space)."""
    start = 0
    for i, sep in enumerate(_BLANK_LINE.finditer(text)):
        if i == block:
            break
        start = sep.end()
    return len(text) - len(text[start:].lstrip())


def _bracket_scans(blocks: str) -> list[tuple[int, int]]:
    """(characters scanned, brackets scanning over _FAR characters) for each block of ``blocks``
    (joined by _SEP), as Python-Markdown's link patterns scan: each '[' to its matching ']' (else
    the end of its block), each '](' to its matching ')' (else the end; a quote inside a link's
    parentheses may make it read on, so that counts to the end too)."""
    out: list[tuple[int, int]] = []
    squares: list[int] = []
    rounds: list[tuple[int, bool]] = []   # (position, opened by '](')
    scans: list[int] = []

    def scanned(start: int, end: int) -> None:
        scans.append(end - start)

    for m in _BRACKET.finditer(blocks + _SEP):
        token, pos = m.group(), m.start()
        if token == "[":
            squares.append(pos)
        elif token == "]" and squares:
            scanned(squares.pop(), pos)
        elif token == "](":
            if squares:
                scanned(squares.pop(), pos)
            rounds.append((pos + 1, True))
        elif token == "(":
            rounds.append((pos, False))
        elif token == ")" and rounds:
            start, link = rounds.pop()
            if link:
                quoted = _QUOTE.search(blocks, start, pos)
                end = blocks.find(_SEP, pos)
                scanned(start, pos if not quoted else end if end >= 0 else len(blocks))
        elif token == _SEP:  # the end of a block: what is still open scanned up to here
            for start in [*squares, *(p for p, link in rounds if link)]:
                scanned(start, pos)
            out.append((sum(scans), sum(n > _FAR for n in scans)))
            squares.clear()
            rounds.clear()
            scans.clear()
    return out


def _scan(text: str, starts: re.Pattern[str], end_of: Callable[[re.Match[str]], int],
          limit: int) -> tuple[int, int]:
    """(characters a regex-driven parser reads from each match of ``starts`` to ``end_of`` it,
    where the farthest-reaching one starts). Stops past ``limit``: this search is bounded too."""
    total, far, at = 0, -1, 0
    for m in starts.finditer(text):
        reach = end_of(m) - m.start()
        total += reach
        if reach > far:
            far, at = reach, m.start()
        if total > limit:
            break
    return total, at


def _fence_ends(text: str) -> Callable[[re.Match[str]], int]:
    """fenced_code's regex searches from a line opening a fence to the next line closing it (the
    same fence, then only spaces), else to the end of the text."""
    closers: dict[str, list[int]] = {}
    for m in _FENCE_CLOSE.finditer(text):
        closers.setdefault(m.group(1), []).append(m.start())

    def end(m: re.Match[str]) -> int:
        found = closers.get(m.group(1), [])
        i = bisect.bisect_right(found, m.start())
        return found[i] if i < len(found) else len(text)
    return end


def _tag_end(m: re.Match[str]) -> int:
    """html.parser's tolerant start-tag regex reads from ``<x`` to its '>', which a quoted
    attribute value can hide."""
    return _TAG_BODY.match(m.string, m.end()).end()  # type: ignore[union-attr]  # '*': always matches


def estimates(text: str, allow_html: bool = True) -> dict[str, tuple[int, int]]:
    """Each estimate of a page body in full, with its limit: name -> (value, limit). For
    measuring documentation trees against the limits (bench/markdown_limits.py)."""
    blocks = _BLANK_LINE.sub(_SEP, text)
    lengths = [len(b) for b in blocks.split(_SEP)]
    counts = [len(b) for b in _NOT_MARK.sub("", _HARD_BREAK.sub("*", blocks)).split(_SEP)]
    return {
        "inline work": (sum(_inline_work(m, n) for m, n in zip(counts, lengths)), MAX_INLINE_WORK),
        "bracket scan": (sum(s for s, _ in _bracket_scans(blocks)), MAX_BRACKET_SCAN),
        "footnote references": (text.count("[^"), MAX_FOOTNOTE_REFS),
        "blocks": (len(lengths), MAX_BLOCKS),
        "fence scan": (_scan(text, _FENCE, _fence_ends(text), 10**15)[0], MAX_FENCE_SCAN),
        "tag scan": (_scan(text, _TAG, _tag_end, 10**15)[0] if allow_html else 0, MAX_TAG_SCAN),
    }
