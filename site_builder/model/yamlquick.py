"""Plain ``key: value`` YAML split into its scalars without a parser: nearly every page's front
matter is a few such lines, and PyYAML's parse, compose and construct were most of the time a page
took to read (a new node object for every scalar, before any value is made).

``entries`` returns each line's key and value as written, or None for anything outside a small
grammar, which ``yamlfile`` then reads with the full parser: every line is blank, a ``#`` comment
or ``key: value`` at the left margin, and a value is one line's plain scalar of safe characters, a
quoted string without escapes or inner quotes, or a flow list of those. ``yamlfile`` resolves and
builds each scalar with PyYAML's own resolver and constructor, so the result is PyYAML's:
``tests/test_yaml_quick.py`` compares the two on tricky YAML, each of which must be read alike or
left to the parser.
"""
from __future__ import annotations

import re

# what YAML reads as printable, less what it treats as a line break (NEL, LS, PS) or a byte-order
# mark: tabs, carriage returns and control characters are left to the parser
_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

_QUOTED = r'"[^"\\\n]*"|\'[^\'\n]*\''
# a plain scalar: no indicator first ('- ' would start a list), no ': ' or ' #' inside, no
# trailing space, nothing that could start a tag, anchor, alias, flow collection or block scalar
_PLAIN = r"(?:[\w.+]|-(?=[\w.]))(?:[\w .,/'()+!?;$-]|:(?=[\w./'()+!?;$-]))*(?<! )"
_ITEM = rf"{_QUOTED}|[\w./](?:[\w .\-/+]*[\w.\-/+])?"   # in a flow list: no ',', brackets or ':'
_LINE = re.compile(rf"([A-Za-z_][A-Za-z0-9_-]*):(?: ((?:{_QUOTED})|\[(?:(?:{_ITEM})(?:, (?:{_ITEM}))*)?\]|{_PLAIN}))?")
_ITEMS = re.compile(_ITEM)

Scalar = tuple[str, str]   # (its text, without quotes; '' when plain, else the quote: '"' or "'")
Entry = tuple[int, str, "Scalar | list[Scalar]"]   # (line, from 0; key, a plain scalar; value)


def entries(text: str) -> list[Entry] | None:
    """Each ``key: value`` line of the document, when every line is in the grammar above; None
    otherwise (and for a document without a key). ``key:`` is an empty plain scalar, as in YAML."""
    if _UNSAFE.search(text):
        return None
    found: list[Entry] = []
    for number, line in enumerate(text.split("\n")):
        if not line or line[0] == "#":
            continue
        m = _LINE.fullmatch(line)
        if m is None:
            return None
        value = m.group(2) or ""
        if value[:1] == "[":
            found.append((number, m.group(1), [_scalar(i.group(0)) for i in _ITEMS.finditer(value, 1, len(value) - 1)]))
        else:
            found.append((number, m.group(1), _scalar(value)))
    return found or None


def _scalar(text: str) -> Scalar:
    if text[:1] in ("'", '"'):
        return text[1:-1], text[0]
    return text, ""
