"""YAML read strictly, with the line in the file of every key.

PyYAML's marks give the line of every key; the caller's offset (where front matter starts)
makes an error point at the line a person sees in their editor. A document is checked as
composed nodes before any value is built: an alias (a few hundred bytes of ``&a [*b, *b]``
expand into billions of values) or nesting deeper than MAX_DEPTH is refused, and so are
values Python cannot hold (2024-02-30, a 5,000-digit number), each as a SiteError.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Any

import yaml

from ..errors import SiteError
from . import yamlquick

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping from YAML that remembers the line (1-based, in the file) of each key."""

    def __init__(self, *args: Any, line: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


MAX_DEPTH = 50          # levels of nested lists and mappings; deeper data overflows Python's stack later
MAX_INT_DIGITS = 100    # a longer number is an identifier or a mistake: Python cannot even print 4,300 digits
_INT_LIMIT = 10 ** MAX_INT_DIGITS


def _make_loader(base: type) -> type:
    """A strict SafeLoader on ``base`` (libyaml's when installed, else the pure-Python one):
    keys remember their lines, duplicate keys and values Python cannot hold are errors."""

    class StrictLoader(base):  # type: ignore[misc,valid-type]
        line_offset = 0

        def line_in_file(self, node: yaml.Node) -> int:
            return node.start_mark.line + 1 + self.line_offset

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
            self.flatten_mapping(node)
            result = LineDict(line=self.line_in_file(node))
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                line = self.line_in_file(key_node)
                _check_key(result, key, line)
                result[key] = self.construct_object(value_node, deep=deep)
                result.key_lines[key] = line
            return result

        def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):  # 2024-02-30, 0000-01-01, 25:00
                raise SiteError("", self.line_in_file(node), f"'{node.value}' is not a valid date "
                                f"({_date_problem(self.timestamp_regexp.match(node.value))}); write a real "
                                "date as YYYY-MM-DD, or put it in quotes if it is text") from None

        def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
            try:
                value = super().construct_yaml_int(node)
            except ValueError:  # over Python's 4,300 digits
                value = None
            if value is None or abs(value) >= _INT_LIMIT:
                raise SiteError("", self.line_in_file(node), f"the number '{node.value[:20]}…' has over "
                                f"{MAX_INT_DIGITS} digits; use a smaller one, or quotes if it is text")
            return value

    StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_mapping)
    StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)
    StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
    return StrictLoader


def _check_key(mapping: LineDict, key: Any, line: int) -> None:
    """A key may be set once, and must be a plain value."""
    try:
        hash(key)
    except TypeError:
        raise SiteError("", line, "a mapping key must be a plain value") from None
    if key in mapping:
        raise SiteError("", line, f"duplicate key '{key}' (first set on line "
                                  f"{mapping.key_lines[key]}); keep one of them")


_StrictLoader = _make_loader(_BaseLoader)
_Constructor = _make_loader(yaml.constructor.SafeConstructor)  # yamlquick's scalars: no parser
_STR = yaml.resolver.Resolver.DEFAULT_SCALAR_TAG


@functools.lru_cache(maxsize=4096)  # keys and many values ('notes', tags) recur on every page
def _tag(plain: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar."""
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, plain, (True, False))


def _quick(entries: list[yamlquick.Entry], line_offset: int) -> LineDict | None:
    """``yamlquick``'s entries as the strict loader makes them: each plain scalar resolved by
    PyYAML's resolver and built by the loader's constructor (a date, number, boolean or null),
    keys checked as ``construct_mapping`` checks them, a list's items after every key (PyYAML
    builds a list when the document is done). None if a scalar has no constructor."""
    build = _Constructor()
    build.line_offset = line_offset

    def value(scalar: yamlquick.Scalar, line: int) -> Any:
        text, quote = scalar
        if quote:
            return text
        tag = _tag(text)
        if tag == _STR:
            return text
        make = build.yaml_constructors.get(tag)
        if make is None:
            raise LookupError(tag)
        mark = yaml.Mark("", 0, line, 0, None, None)
        return make(build, yaml.ScalarNode(tag, text, mark, mark))

    result = LineDict(line=entries[0][0] + 1 + line_offset)
    lists: list[tuple[list, list[yamlquick.Scalar], int]] = []
    try:
        for line, key_text, written in entries:
            key = value((key_text, ""), line)
            _check_key(result, key, line + 1 + line_offset)
            if isinstance(written, list):
                result[key] = []
                lists.append((result[key], written, line))
            else:
                result[key] = value(written, line)
            result.key_lines[key] = line + 1 + line_offset
        for items, written, line in lists:
            items.extend(value(s, line) for s in written)
    except LookupError:
        return None
    return result


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # not calendar.month_name: that follows the locale


def _date_problem(match: re.Match[str]) -> str:
    """What is wrong with a timestamp PyYAML matched but Python cannot hold, in our own words
    (datetime's messages differ between Python versions)."""
    v = {k: int(x) for k, x in match.groupdict().items() if x and x.isdigit()}
    year, month, day = v["year"], v["month"], v["day"]
    if not 1 <= year <= 9999:
        return "the year must be 1 to 9999"
    if not 1 <= month <= 12:
        return "the month must be 1 to 12"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    for key, top in (("hour", 23), ("minute", 59), ("second", 59)):
        if v.get(key, 0) > top:
            return f"the {key} must be 0 to {top}"
    return "the time zone must be less than 24 hours from UTC"


_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d\d?)-(?P<day>\d\d?)")


def date_problem(text: str) -> str | None:
    """What is wrong with the first date written in ``text`` (2024-13-45), as YAML's dates say it."""
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
        return None
    except ValueError:
        return (f"'{m.group(0)}' is not a valid date ({_date_problem(m)}); write a real date as "
                "YYYY-MM-DD, or put it in quotes if it is text")


def _check_graph(root: yaml.Node, text: str, what: str) -> tuple[int, str] | None:
    """(line, message) when the composed document uses an alias or nests too deeply: checked on
    the node graph, before any value is built. An alias makes two places share one node, so a
    few hundred bytes of ``&a [*b, *b, ...]`` would expand into billions of values."""
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, int]] = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        if id(node) in seen:
            return _alias_line(text), (f"YAML aliases (&anchor / *alias) are not allowed in {what}; "
                                       "write the value out")
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            return node.start_mark.line + 1, (f"values nested more than {MAX_DEPTH} levels deep; "
                                               "flatten them")
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
        todo.extend((child, depth + 1) for child in children)
    return None


def _alias_line(text: str) -> int:
    """The line of the first ``*alias`` (events carry its own position; nodes only the anchor's)."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return 1


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


def load_yaml(text: str, path: str, first_line: int = 1, what: str = "front matter") -> Any:
    """Parse YAML strictly: duplicate keys, aliases and deep nesting are errors; errors carry
    the line in the file. ``what`` names the document in messages ('front matter', 'site.yaml').
    Plain ``key: value`` lines are read without the parser (``yamlquick``), with the same result."""
    quick = yamlquick.entries(text)
    if quick:
        try:
            found = _quick(quick, first_line - 1)
        except SiteError as e:
            raise SiteError(path, e.line, e.message) from None
        if found is not None:
            return found
    return _load_full(text, path, first_line, what)


def _load_full(text: str, path: str, first_line: int, what: str) -> Any:
    """``load_yaml`` with PyYAML's parser (libyaml's when installed), for any YAML."""
    loader = _StrictLoader(text)
    loader.line_offset = first_line - 1
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problem = _check_graph(node, text, what)
        if problem:
            raise SiteError("", problem[0] + first_line - 1, problem[1])
        return loader.construct_document(node)
    except SiteError as e:
        raise SiteError(path, e.line, e.message) from None
    except yaml.MarkedYAMLError as e:
        line, message = _friendly(e, text)
        raise SiteError(path, line + first_line - 1 if line else first_line, message) from None
    except yaml.YAMLError as e:
        raise SiteError(path, first_line, f"invalid YAML: {e}") from None
    finally:
        loader.dispose()
