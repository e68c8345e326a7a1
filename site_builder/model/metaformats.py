"""Front matter in the other formats imported content uses: TOML between ``+++`` lines (Hugo)
and MkDocs/MultiMarkdown meta-data (``Key: value`` lines at the top, no fences), each read into
the ``LineDict`` YAML front matter gives, with the line in the file of every key.

Meta-data is read with the regular expressions of Python-Markdown's ``meta`` extension (a key of
letters, digits, ``_`` and ``-`` with up to 3 spaces before it; a line indented 4 spaces or more
continues the value; keys lower-cased; a blank line ends the block), and MkDocs' joining of a
value's lines with spaces. Unlike the extension, a first paragraph is taken as meta-data only
when *every* line of it is a meta-data line and it names at least one key site_builder knows,
so that a page opening with "Note: this is..." keeps its first paragraph."""
from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from typing import Any

from ..errors import SiteError
from .yamlfile import MAX_DEPTH, MAX_INT_DIGITS, LineDict, date_problem

# Python-Markdown's markdown/extensions/meta.py, verbatim
META_RE = re.compile(r'^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)')
META_MORE_RE = re.compile(r'^[ ]{4,}(?P<value>.*)')

_TOML_KEY = re.compile(r'^[ \t]*(?:"([^"\n]*)"|\'([^\'\n]*)\'|([A-Za-z0-9_-]+))[ \t]*[=.]')
_TOML_TABLE = re.compile(r'^[ \t]*\[\[?[ \t]*(?:"([^"\n]*)"|\'([^\'\n]*)\'|([A-Za-z0-9_-]+))')
_TOML_LINE = re.compile(r"at line (\d+)")
_TRUE, _FALSE = ("true", "yes", "on"), ("false", "no", "off")


def meta_block(text: str, known: Any) -> tuple[list[str], str, int] | None:
    """(the meta-data lines, the body after them, the body's first line), when the text opens
    with a meta-data block that names a key in ``known``; else None."""
    end = text.find("\n\n")
    block = (text if end == -1 else text[:end]).split("\n")
    if not block or not META_RE.match(block[0]):
        return None
    keys = []
    for line in block:
        m = META_RE.match(line)
        if m:
            keys.append(m.group("key").lower())
        elif not META_MORE_RE.match(line):
            return None  # a line that is not meta-data: this is a paragraph
    if not {k.lower() for k in known} & set(keys):
        return None
    body = "" if end == -1 else text[end + 1:]
    return block, body, len(block) + 1


def load_meta(lines: list[str], path: str, fields: dict[str, Any]) -> LineDict:
    """Meta-data lines (``meta_block``) as a mapping; values typed for the ``fields`` they fill:
    'true'/'false' for a flag, a whole number, a comma-separated list."""
    values: dict[str, list[str]] = {}
    data = LineDict(line=1)
    key = ""
    spelled = {k.lower(): k for k in fields}  # keys are lower-cased: publishdate is publishDate
    for n, line in enumerate(lines, 1):
        m = META_RE.match(line)
        if m:
            key = m.group("key").lower().strip()
            key = spelled.get(key, key)
            data.key_lines.setdefault(key, n)
            values.setdefault(key, []).append(m.group("value").strip())
        else:
            values[key].append(META_MORE_RE.match(line).group("value").strip())  # type: ignore[union-attr]
    for key, parts in values.items():
        data[key] = _typed(" ".join(p for p in parts if p), fields.get(key, str))
    return data


def _typed(value: str, want: Any) -> Any:
    """A meta-data string as the type its field wants, where it reads as one (else the string,
    which the field's check then reports with its line)."""
    low = value.lower()
    if want is bool and low in _TRUE + _FALSE:
        return low in _TRUE
    if want in (int, float) and re.fullmatch(r"[+-]?\d{1,%d}" % MAX_INT_DIGITS, value):
        return int(value)
    if want is float and re.fullmatch(r"[+-]?\d{0,50}\.\d{1,50}", value):
        return float(value)
    if want == [str]:
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


def load_toml(text: str, path: str, first_line: int) -> LineDict:
    """TOML front matter as a mapping, every top-level key with its line in the file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = _TOML_LINE.search(str(e))
        line = first_line + int(m.group(1)) - 1 if m else first_line
        message = _TOML_LINE.sub("", str(e)).replace("(, column", "(column").strip()
        lines = text.split("\n")
        bad_date = date_problem(lines[line - first_line]) if m and line - first_line < len(lines) else None
        raise SiteError(path, line, bad_date or f"invalid TOML: {message}") from None
    except (ValueError, RecursionError):  # a number past Python's digit limit, nesting past the stack
        raise SiteError(path, first_line, f"TOML values nested over {MAX_DEPTH} levels or numbers of "
                                          f"over {MAX_INT_DIGITS} digits; simplify them") from None
    lines = _toml_key_lines(text, first_line)
    out = LineDict(line=first_line)
    for key, value in data.items():
        out[key] = _checked(value, path, lines.get(key, first_line), 1)
        out.key_lines[key] = lines.get(key, first_line)
    return out


def _toml_key_lines(text: str, first_line: int) -> dict[str, int]:
    """The line of each top-level key: ``key = ...``, ``key.sub = ...`` or a ``[key]`` table."""
    found: dict[str, int] = {}
    in_table = False
    for n, line in enumerate(text.split("\n"), first_line):
        table = _TOML_TABLE.match(line)
        if table:
            in_table = True
            found.setdefault(next(g for g in table.groups() if g is not None), n)
            continue
        m = None if in_table else _TOML_KEY.match(line)
        if m:
            found.setdefault(next(g for g in m.groups() if g is not None), n)
    return found


def _checked(value: Any, path: str, line: int, depth: int) -> Any:
    """A TOML value within the limits YAML front matter has, and storable: a time of day as text."""
    if depth > MAX_DEPTH:
        raise SiteError(path, line, f"values nested more than {MAX_DEPTH} levels deep; flatten them")
    if isinstance(value, dict):
        return {k: _checked(v, path, line, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_checked(v, path, line, depth + 1) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** MAX_INT_DIGITS:
        raise SiteError(path, line, f"a number has over {MAX_INT_DIGITS} digits; use a smaller one, "
                                    "or quotes if it is text")
    if isinstance(value, float) and not math.isfinite(value):
        return value  # as YAML's .nan: a field that needs a number says so
    if isinstance(value, dt.time):
        return value.isoformat()
    return value
