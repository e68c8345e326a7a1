"""Front matter split from a page's text, and typed fields checked (site.yaml's and a page's
alike). The YAML itself is read by ``yamlfile``: strict, with line numbers in the file; the
text by ``fs.read_text``.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..errors import SiteError
from .metaformats import load_meta, load_toml, meta_block
from .yamlfile import LineDict, date_problem, load_yaml


def split_front_matter(text: str, path: str, fields: Any = ()) -> tuple[str, str | None, int, str, int]:
    """Split front matter from the body: ``---`` YAML (closed by ``---`` or ``...``), ``+++`` TOML,
    or, when ``fields`` names the keys a page may have, MkDocs-style meta-data (``metaformats``).

    Returns (format: 'yaml', 'toml', 'meta' or '', its text or None, its first line, body,
    the body's first line).
    """
    for fence, kind in (("---", "yaml"), ("+++", "toml")):
        if not (text.startswith(fence + "\n") or text == fence):
            continue
        ends = [fence] if kind == "toml" else ["---", "..."]
        found = [(i, len(e)) for e in ends for i in [text.find(f"\n{e}\n", 3)] if i != -1]
        found += [(len(text) - 4, 3) for e in ends if not found and text.endswith("\n" + e)]
        if not found:
            raise SiteError(path, 1, f"front matter starts here but is never closed; "
                                     f"add a line with {fence} after it")
        end = min(found)[0]
        fm = text[4:end + 1]
        return kind, fm, 2, text[end + 5:], fm.count("\n") + 3
    found = meta_block(text, fields) if fields else None
    if found is not None:
        lines, body, body_line = found
        return "meta", "\n".join(lines), 1, body, body_line
    return "", None, 0, text, 1


def parse_front_matter(text: str, path: str, fields: dict[str, Any] | None = None) -> tuple[LineDict, str, int]:
    """(front matter mapping, body, line of the body's first line) for a content file.
    ``fields``: the keys a page may have (meta-data is recognised by them, and typed for them)."""
    kind, fm, fm_line, body, body_line = split_front_matter(text, path, fields or ())
    if fm is None or not fm.strip():
        return LineDict(line=1), body, body_line
    if kind == "toml":
        return load_toml(fm, path, fm_line), body, body_line
    if kind == "meta":
        return load_meta(fm.split("\n"), path, fields or {}), body, body_line
    data = load_yaml(fm, path, fm_line)
    if data is None:
        return LineDict(line=1), body, body_line
    if not isinstance(data, LineDict):
        raise SiteError(path, fm_line, "front matter must be 'key: value' lines, "
                                       f"not a {type(data).__name__}")
    return data, body, body_line


# --- typed fields: one checker for site.yaml and for front matter -----------------

_MOMENT = "a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM:SS, with +HH:MM if not UTC)"
_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number",
               float: "a number", list: "a list", dict: "a mapping", "date": "a date (YYYY-MM-DD)",
               "when": _MOMENT, "moment": _MOMENT}


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else type(value).__name__


def suggest(word: str, choices: Any, cutoff: float = 0.6) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def suggest_sorted(word: str, choices: Any, cutoff: float = 0.6) -> str:
    """``suggest`` among ``choices`` in sorted order (a set's or a mapping's order must not decide)."""
    return suggest(word, sorted(choices), cutoff)


def coerce(value: Any, want: Any, path: str, line: int, key: str) -> Any:
    """``value`` as type ``want`` (str, bool, int, float, list, dict, 'date', [str]),
    or an error that says what to write."""
    def bad() -> SiteError:
        name = "a list of strings" if want == [str] else _TYPE_NAMES.get(want, str(want))
        return SiteError(path, line, f"'{key}' must be {name}, not {_kind(value)}")

    if want is str:
        if isinstance(value, bool) or isinstance(value, (list, dict)) or value is None:
            raise bad()
        if isinstance(value, (int, float, dt.date)):
            return str(value)
        if isinstance(value, str):
            return value
        raise bad()
    if want in (bool, list, dict):  # taken as YAML wrote them
        if isinstance(value, want):
            return value
        raise bad()
    if want is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise bad()
    if want is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):  # .nan, .inf, 1.0e999: no order, no arithmetic
                raise SiteError(path, line, f"'{key}' must be a finite number, not {value}; e.g. {key}: 12.5")
            return float(value)
        raise bad()
    if want in ("date", "when", "moment"):
        found = _dated(value, want, path, line, key)
        if found is None:
            raise bad()
        return found
    if want == [str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                           for v in value):
            return [str(v) for v in value]
        raise bad()
    raise TypeError(want)


def _dated(value: Any, want: str, path: str, line: int, key: str) -> Any:
    """``value`` as a 'date', a 'when' (a date-time is kept whole, with its offset: date, updated)
    or a 'moment' (a date, or a date-time as written: publishDate, expiryDate); None when it is
    neither a date nor a text that could be one."""
    if want == "moment":
        if isinstance(value, dt.date):
            return _in_utc(value, path, line, key)
        if isinstance(value, str):
            try:
                text = value.strip()
                when = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            except ValueError:
                return None
            return _in_utc(when, path, line, key)
        return None
    if isinstance(value, dt.datetime):
        return _in_utc(value, path, line, key) if want == "when" else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            text = value.strip()
            if want == "when" and len(text) > 10:
                try:
                    moment = dt.datetime.fromisoformat(text)
                except ValueError:
                    pass  # '2024-03-01 (Friday)': its day, as always
                else:
                    return _in_utc(moment, path, line, key)
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            problem = date_problem(value)
            if problem:
                raise SiteError(path, line, problem) from None
    return None


def _in_utc(value: Any, path: str, line: int, key: str) -> Any:
    """A date-time whose moment exists in UTC, where lists and feeds compare it
    ('0001-01-01T00:00:00+05:00' is before year 1 there: an error, not a crash)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(dt.timezone.utc)
        except OverflowError:
            raise SiteError(path, line, f"'{key}' {value.isoformat()} is before year 1 or after 9999 in UTC; "
                            "write a date between them") from None
    return value


def check_fields(data: LineDict, path: str, fields: dict[str, Any], what: str,
                 keep_unknown: bool = False) -> dict[str, Any]:
    """Validate known keys and types; an unknown key is an error with a did-you-mean, or, with
    ``keep_unknown`` (a page's front matter), kept as it is (the caller warns of it)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        line = data.line_of(key)
        if key not in fields:
            if not keep_unknown:
                raise SiteError(path, line, f"unknown {what} key '{key}'{suggest(key, fields)}")
            out[key] = value
            continue
        if value is None:
            continue
        out[key] = coerce(value, fields[key], path, line, key)
    return out
