"""Reading text files and their YAML: strict, with line numbers in the file.

PyYAML's marks give the line of every key; we add the front-matter offset so an
error points at the line a person sees in their editor.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SiteError

MAX_TEXT_BYTES = 10 * 1024 * 1024  # Python-Markdown needs ~3 s per MB: beyond this a page should be split

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping from YAML that remembers the line (1-based, in the file) of each key."""

    def __init__(self, *args: Any, line: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict(line=node.start_mark.line + 1 + self.line_offset)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + self.line_offset
            try:
                hash(key)
            except TypeError:
                raise SiteError("", line, "a mapping key must be a plain value") from None
            if key in result:
                raise SiteError("", line, f"duplicate key '{key}' (first set on line "
                                          f"{result.key_lines[key]}); keep one of them")
            result[key] = self.construct_object(value_node, deep=deep)
            result.key_lines[key] = line
        return result


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_mapping)


def _friendly(err: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    problem = err.problem or "invalid YAML"
    mark = err.problem_mark
    line = mark.line + 1 if mark else None
    lines = text.split("\n")
    tabbed = [i for i, ln in enumerate(lines[: (line or len(lines))], 1)
              if "\t" in ln[: len(ln) - len(ln.lstrip())]]
    if tabbed or "tab" in problem:
        return (tabbed[-1] if tabbed else line), "a tab character is used for indentation; YAML needs spaces"
    if err.context and "quoted scalar" in err.context and err.context_mark:
        return err.context_mark.line + 1, "a quoted string is never closed; add the closing quote"
    if err.context and err.context_mark and "flow" in err.context:
        opener = "[ list" if "sequence" in err.context else "{ mapping"
        return err.context_mark.line + 1, f"a {opener} is never closed; add the closing {opener[0].translate(str.maketrans('[{', ']}'))}"
    if "mapping values are not allowed" in problem:
        return line, "a ':' inside a value; put the value in quotes"
    if err.context and err.context_mark and "end of stream" in problem:
        return err.context_mark.line + 1, f"invalid YAML: {err.context}, {problem}"
    return line, f"invalid YAML: {problem}"


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML strictly: duplicate keys are errors; errors carry the line in the file."""
    loader = _StrictLoader(text)
    loader.line_offset = first_line - 1
    try:
        return loader.get_single_data()
    except SiteError as e:
        raise SiteError(path, e.line, e.message) from None
    except yaml.MarkedYAMLError as e:
        line, message = _friendly(e, text)
        raise SiteError(path, line + first_line - 1 if line else first_line, message) from None
    except yaml.YAMLError as e:
        raise SiteError(path, first_line, f"invalid YAML: {e}") from None
    finally:
        loader.dispose()


def decode_text(data: bytes, path: str) -> str:
    """UTF-8 text with a BOM stripped and newlines normalised; binary or invalid is an error."""
    if len(data) > MAX_TEXT_BYTES:
        raise SiteError(path, None, f"file is {len(data) / 1e6:.1f} MB; the limit is "
                                    f"{MAX_TEXT_BYTES // (1024 * 1024)} MB per file, split it into several files")
    if b"\x00" in data:
        raise SiteError(path, None, "binary data (a NUL byte), not text; "
                                    "only UTF-8 text files belong here")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SiteError(path, line, f"not valid UTF-8 (byte 0x{data[e.start]:02x}); "
                                    "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SiteError(shown, None, f"cannot read: {e.strerror}") from None
    return decode_text(data, shown)


def split_front_matter(text: str, path: str) -> tuple[str | None, int, str, int]:
    """Split ``---`` front matter from the body.

    Returns (yaml_text or None, first yaml line, body, first body line).
    """
    if not (text.startswith("---\n") or text == "---"):
        return None, 0, text, 1
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise SiteError(path, 1, "front matter starts here but is never closed; "
                                     "add a line with --- after it")
    fm = text[4:end + 1]
    body = text[end + 5:]
    body_line = fm.count("\n") + 3
    return fm, 2, body, body_line


def parse_front_matter(text: str, path: str) -> tuple[LineDict, str, int]:
    """(front matter mapping, body, line of the body's first line) for a content file."""
    fm, fm_line, body, body_line = split_front_matter(text, path)
    if fm is None:
        return LineDict(line=1), body, body_line
    data = load_yaml(fm, path, fm_line) if fm.strip() else None
    if data is None:
        return LineDict(line=1), body, body_line
    if not isinstance(data, LineDict):
        raise SiteError(path, fm_line, "front matter must be 'key: value' lines, "
                                       f"not a {type(data).__name__}")
    return data, body, body_line


# --- typed fields: one checker for site.yaml and for front matter -----------------

_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number",
               float: "a number", list: "a list", dict: "a mapping", "date": "a date (YYYY-MM-DD)"}


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


def coerce(value: Any, want: Any, path: str, line: int, key: str) -> Any:
    """``value`` as type ``want`` (str, bool, int, float, list, dict, 'date', [str]),
    or an error that says what to write."""
    import datetime as dt

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
    if want is bool:
        if isinstance(value, bool):
            return value
        raise bad()
    if want is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise bad()
    if want is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise bad()
    if want == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                pass
        raise bad()
    if want == [str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                           for v in value):
            return [str(v) for v in value]
        raise bad()
    if want is list:
        if isinstance(value, list):
            return value
        raise bad()
    if want is dict:
        if isinstance(value, dict):
            return value
        raise bad()
    raise TypeError(want)


def check_fields(data: LineDict, path: str, fields: dict[str, Any], what: str) -> dict[str, Any]:
    """Validate known keys and types; an unknown key is an error with a did-you-mean."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        line = data.line_of(key)
        if key not in fields:
            raise SiteError(path, line, f"unknown {what} key '{key}'{suggest(key, fields)}")
        if value is None:
            continue
        out[key] = coerce(value, fields[key], path, line, key)
    return out
